"""Notices: a message to members chosen by group, locality, sector or status, in each one's
language, sent only to those whose consent to be contacted stands on the day it goes out.

Discreet by default: the organization writes the words, and the page reminds it that a phone is
often shared; a notice never adds the organization's name, a case, a work giver or an amount. Those
reach a member only when she asks with her PIN (``BAL``)."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core import audit, tenancy, vault
from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.roles import STAFF_ROLES
from doorstep.core.sectors import Sector
from doorstep.members import queries as member_queries
from doorstep.members.models import Member, MemberIdentifier, Purpose, Status
from doorstep.members.services.pii import PII_PURPOSE
from doorstep.organizations.models import Organization

from .. import tasks
from ..models import Channel, Notice, OutboxMessage
from ..parts import cost
from .channels import normalize
from .sending import queue_message

LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)


@dataclass(frozen=True)
class NoticeInput:
    title: str
    texts: dict[str, str]
    group_ids: list[int] = field(default_factory=list)
    locality: str = ""
    sector: str = ""
    status: str = ""
    asks_question: bool = False


def create_notice(organization: Organization, data: NoticeInput, *, actor) -> Notice:
    tenancy.require_role(actor, organization, STAFF_ROLES)
    errors = []
    if not data.title.strip():
        errors.append(FieldError("title", _("Give the notice a title (only you see it).")))
    texts = {lang: " ".join(str(words).split()) for lang, words in data.texts.items() if str(words).strip()}
    if not texts:
        errors.append(FieldError("texts", _("Write the message in at least one language.")))
    for language, words in texts.items():
        if language not in LANGUAGE_CODES:
            errors.append(FieldError(f"texts.{language}", _("Unknown language.")))
        elif cost(words).parts > 6:
            errors.append(
                FieldError(
                    f"texts.{language}",
                    _("Too long: %(parts)d parts; at most 6.") % {"parts": cost(words).parts},
                )
            )
    groups = list(member_queries.groups_of(actor, organization).filter(pk__in=data.group_ids))
    if len(groups) != len(set(data.group_ids)):
        errors.append(FieldError("group_ids", _("One of these groups is not yours.")))
    if data.sector and data.sector not in Sector.values:
        errors.append(FieldError("sector", _("Unknown sector.")))
    if data.status and data.status not in Status.values:
        errors.append(FieldError("status", _("Unknown status.")))
    if errors:
        raise ValidationError(message=_("The notice is not saved."), errors=errors)
    with transaction.atomic():
        notice = Notice.objects.create(
            organization=organization,
            title=data.title.strip()[:120],
            texts=texts,
            audience={
                "group_ids": sorted({g.pk for g in groups}),
                "locality": data.locality.strip(),
                "sector": data.sector,
                "status": data.status,
            },
            asks_question=data.asks_question,
            created_by=actor,
        )
        audit.record("sms.notice_created", actor=actor, organization=organization, obj=notice)
    return notice


def recipients(notice: Notice):
    """The members it goes to today: chosen by its audience (the sector aside: ``_recipient_list``),
    with a phone, consenting to contact."""
    audience = notice.audience or {}
    members = member_queries.consenting_members(
        [notice.organization_id], Purpose.CONTACT, timezone.localdate()
    )
    if audience.get("group_ids"):
        members = members.filter(group_id__in=audience["group_ids"])
    if audience.get("locality"):
        members = members.filter(locality__iexact=audience["locality"])
    members = members.filter(status=audience.get("status") or Status.ACTIVE)
    phones = MemberIdentifier.objects.filter(
        organization_id=notice.organization_id, kind=MemberIdentifier.Kind.PHONE
    ).values("member_id")
    return members.filter(pk__in=phones).order_by("pk")


def _recipient_list(notice: Notice) -> list[Member]:
    members = list(recipients(notice).select_related("subject_key"))
    sector = (notice.audience or {}).get("sector")
    if sector:  # a JSON list: filtered here, the same on SQLite and PostgreSQL
        members = [m for m in members if sector in (m.sectors or [])]
    return members


def text_for(notice: Notice, member: Member, organization: Organization) -> tuple[str, str]:
    """(language, words): her first language the notice is written in, else the organization's."""
    for language in [*(member.languages or []), *(organization.languages or []), *notice.texts]:
        if language in notice.texts:
            return language, notice.texts[language]
    raise ValueError("a notice without words")


@dataclass(frozen=True)
class Preview:
    count: int
    parts: int
    by_language: list[dict]  # {"language", "members", "parts_each", "encoding"}


def preview(notice: Notice, *, actor) -> Preview:
    """How many members it would reach today and how many message parts that costs."""
    tenancy.require_role(actor, notice.organization_id, STAFF_ROLES)
    organization = notice.organization
    counts: dict[str, int] = {}
    for member in _recipient_list(notice):
        language, _words = text_for(notice, member, organization)
        counts[language] = counts.get(language, 0) + 1
    rows = []
    for language, words in notice.texts.items():
        counted = cost(words)
        rows.append(
            {
                "language": language,
                "members": counts.get(language, 0),
                "parts_each": counted.parts,
                "encoding": counted.encoding,
            }
        )
    return Preview(sum(counts.values()), sum(r["members"] * r["parts_each"] for r in rows), rows)


def send_notice(notice: Notice, *, actor) -> Notice:
    """Send it (once: a second press changes nothing); the copies are queued by a background job."""
    tenancy.require_role(actor, notice.organization_id, STAFF_ROLES)
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        if notice.status == Notice.Status.SENT:
            return notice
        if not Channel.objects.filter(organization_id=notice.organization_id, is_active=True).exists():
            raise ValidationError(message=_("Connect an SMS channel before sending."), code="no_channel")
        notice.status, notice.sent_at = Notice.Status.SENT, timezone.now()
        notice.save(update_fields=["status", "sent_at"])
        audit.record("sms.notice_sent", actor=actor, organization=notice.organization_id, obj=notice)
        transaction.on_commit(lambda: tasks.expand_notice.enqueue(notice.pk))
    return notice


def expand_notice(notice_id: int) -> int:
    """The job: one queued message per recipient (``notice:<id>:<member id>``, so running it again
    queues nobody twice); returns how many were queued now."""
    notice = Notice.objects.select_related("organization").get(pk=notice_id)
    channel = Channel.objects.filter(organization_id=notice.organization_id, is_active=True).first()
    if channel is None:
        return 0
    queued = 0
    for member in _recipient_list(notice):
        pii = vault.open_sealed(member.subject_key, bytes(member.pii), purpose=PII_PURPOSE)
        number = next(
            (n for n in (normalize(notice.organization, p) for p in pii.get("phones", [])) if n), None
        )
        if number is None:
            continue
        _language, words = text_for(notice, member, notice.organization)
        with transaction.atomic():
            _message, new = queue_message(
                channel,
                idempotency_key=f"notice:{notice.pk}:{member.pk}",
                to=number,
                text=words,
                purpose=OutboxMessage.Purpose.NOTICE,
                key=member.subject_key,
                member=member,
                notice=notice,
            )
        queued += new
    audit.record(
        "sms.notice_queued", organization=notice.organization_id, obj=notice, metadata={"count": queued}
    )
    return queued
