"""Every write about grievances. ``clean_case()``, ``clean_action()`` and ``clean_remedy()`` are the
validators pages and API share. What may name a person (summary, narrative, an action's details and
outcome, a remedy's description, attachments) is sealed under the case's key; reading it is audited.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core import audit, inputs, money, tenancy, uploads, vault
from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.roles import STAFF_ROLES
from doorstep.members.models import Member
from doorstep.organizations.models import Organization, RoleAssignment, User
from doorstep.supplychains.models import Party
from doorstep.work.models import WorkOrder

from .models import (
    FINISHED,
    ActionKind,
    Case,
    CaseAction,
    CaseAttachment,
    CaseKind,
    CaseStatus,
    Category,
    Priority,
    Remedy,
    RemedyKind,
    Source,
)

CASE_PURPOSE = "grievance.case"
ACTION_PURPOSE = "grievance.action"
REMEDY_PURPOSE = "grievance.remedy"
FILE_PURPOSE = "grievance.attachment"
FILE_NAME_PURPOSE = "grievance.attachment_name"


def _ids(value) -> list[int]:
    """Ids from a list, or from text "12, 15 17"; anything not a whole number is kept out (and
    reported by the caller, which compares counts)."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    found = []
    for item in value:
        item = getattr(item, "pk", item)
        try:
            found.append(int(item))
        except (TypeError, ValueError):
            found.append(-1)
    return found


@dataclass
class CleanCase:
    fields: dict[str, Any] = field(default_factory=dict)
    sealed: dict[str, str] = field(default_factory=dict)
    members: list[Member] | None = None
    parties: list[Party] | None = None
    orders: list[WorkOrder] | None = None


def _staff_user(organization: Organization, value, errors: list[FieldError]) -> User | None:
    if value in (None, ""):
        return None
    pk = getattr(value, "pk", value)
    holds = RoleAssignment.objects.filter(
        organization=organization,
        user_id=pk if str(pk).isdigit() else 0,
        is_active=True,
        role__in=STAFF_ROLES,
    ).select_related("user")
    assignment = holds.first()
    if assignment is None:
        errors.append(FieldError("taken_by", _("Choose an organizer or admin of this organization.")))
        return None
    return assignment.user


def clean_case(organization: Organization, raw: Mapping[str, Any], *, partial: bool = False) -> CleanCase:
    errors: list[FieldError] = []
    clean = CleanCase()

    def wanted(name: str) -> bool:
        return not partial or name in raw

    if wanted("kind"):
        clean.fields["kind"] = inputs.choice(raw.get("kind") or "individual", "kind", CaseKind, errors)
    if wanted("category"):
        clean.fields["category"] = inputs.choice(
            raw.get("category"), "category", Category, errors, required=True
        )
    if wanted("priority"):
        clean.fields["priority"] = inputs.choice(
            raw.get("priority") or "normal", "priority", Priority, errors
        )
    if wanted("group_description"):
        clean.fields["group_description"] = " ".join(str(raw.get("group_description") or "").split())[:200]
    if wanted("opened_on"):
        opened = inputs.date_value(raw.get("opened_on"), "opened_on", errors) or timezone.localdate()
        if opened > timezone.localdate():
            errors.append(FieldError("opened_on", _("A case cannot be opened in the future.")))
        clean.fields["opened_on"] = opened
    if wanted("taken_by"):
        clean.fields["taken_by"] = _staff_user(organization, raw.get("taken_by"), errors)
    for name, limit in (("summary", 300), ("narrative", 20000)):
        if not wanted(name):
            continue
        text = str(raw.get(name) or "").strip()
        if name == "summary" and not text:
            errors.append(FieldError("summary", _("Say in a line what the problem is.")))
        elif len(text) > limit:
            errors.append(
                FieldError(name, _("Keep this under %(limit)s characters.") % {"limit": f"{limit:,}"})
            )
        clean.sealed[name] = text
    if wanted("members") or (partial and "member_numbers" in raw):
        # Members by id (the API) or by their member numbers (the page, as written on her card).
        if str(raw.get("member_numbers") or "").strip():
            numbers = _ids(raw.get("member_numbers"))
            found = Member.objects.filter(
                organization=organization, number__in=numbers, merged_into__isnull=True
            )
            ids, wanted_count = [m.pk for m in found], len(set(numbers))
        else:
            ids = _ids(raw.get("members"))
            wanted_count = len(set(ids))
        clean.members = list(
            Member.objects.filter(organization=organization, pk__in=ids, merged_into__isnull=True)
        )
        if len(clean.members) != wanted_count:
            errors.append(FieldError("members", _("Some of these are not members of this organization.")))
    if wanted("parties"):
        ids = _ids(raw.get("parties"))
        clean.parties = list(Party.objects.filter(organization=organization, pk__in=ids))
        if len(clean.parties) != len(set(ids)):
            errors.append(FieldError("parties", _("Some of these are not work givers of this organization.")))
    if wanted("orders"):
        ids = _ids(raw.get("orders"))
        clean.orders = list(WorkOrder.objects.filter(organization=organization, pk__in=ids))
        if len(clean.orders) != len(set(ids)):
            errors.append(FieldError("orders", _("Some of these are not work orders of this organization.")))
        elif clean.members is not None and clean.orders:
            theirs = {m.pk for m in clean.members}
            if any(o.member_id not in theirs for o in clean.orders):
                errors.append(FieldError("orders", _("Link only orders of the members the case is about.")))
    if not partial:
        kind = clean.fields.get("kind")
        if kind == CaseKind.INDIVIDUAL and clean.members is not None and len(clean.members) != 1:
            errors.append(FieldError("members", _("A case of one member names exactly one member.")))
        if kind == CaseKind.COLLECTIVE and not clean.members and not clean.fields.get("group_description"):
            errors.append(
                FieldError("members", _("Name the members, or say which group or place the case stands for."))
            )
    if errors:
        raise ValidationError(message=_("The case is not saved."), errors=errors)
    return clean


def _next_number(organization_id: int) -> int:
    Organization.objects.select_for_update().get(pk=organization_id)
    last = Case.objects.filter(organization_id=organization_id).aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


def create_case(
    organization: Organization, *, data: Mapping[str, Any], actor, source: str = Source.STAFF
) -> Case:
    tenancy.require_role(actor, organization, STAFF_ROLES)
    clean = clean_case(organization, data)
    with transaction.atomic():
        key = vault.new_subject_key(organization)
        case = Case.objects.create(
            organization=organization,
            number=_next_number(organization.pk),
            subject_key=key,
            sealed=vault.seal(key, clean.sealed, purpose=CASE_PURPOSE),
            source=source,
            created_by=actor,
            **clean.fields,
        )
        _set_links(case, clean)
        audit.record("grievance.opened", actor=actor, organization=organization, obj=case)
    return case


def _set_links(case: Case, clean: CleanCase) -> None:
    if clean.members is not None:
        case.members.set(clean.members)
    if clean.parties is not None:
        case.parties.set(clean.parties)
    if clean.orders is not None:
        case.orders.set(clean.orders)


def update_case(case: Case, *, data: Mapping[str, Any], actor) -> Case:
    tenancy.require_role(actor, case.organization_id, STAFF_ROLES)
    clean = clean_case(case.organization, data, partial=True)
    with transaction.atomic():
        for name, value in clean.fields.items():
            setattr(case, name, value)
        if clean.sealed:
            sealed = vault.open_sealed(case.subject_key, bytes(case.sealed), purpose=CASE_PURPOSE)
            sealed.update(clean.sealed)
            case.sealed = vault.seal(case.subject_key, sealed, purpose=CASE_PURPOSE)
        case.save()
        _set_links(case, clean)
        changed = sorted(
            [*clean.fields, *clean.sealed, *(n for n in ("members", "parties", "orders") if n in data)]
        )
        audit.record(
            "grievance.updated",
            actor=actor,
            organization=case.organization_id,
            obj=case,
            metadata={"fields": changed},
        )
    return case


def set_status(case: Case, status: str, *, actor, on: date | None = None) -> Case:
    """Move a case on (or reopen it). Resolving or closing it dates its end."""
    tenancy.require_role(actor, case.organization_id, STAFF_ROLES)
    errors: list[FieldError] = []
    status = inputs.choice(status, "status", CaseStatus, errors, required=True)
    if errors:
        raise ValidationError(message=_("The status is not changed."), errors=errors)
    with transaction.atomic():
        before = case.status
        case.status = status
        case.finished_on = (on or timezone.localdate()) if status in FINISHED else None
        case.save(update_fields=["status", "finished_on", "updated_at"])
        audit.record(
            "grievance.status",
            actor=actor,
            organization=case.organization_id,
            obj=case,
            metadata={"from": before, "to": status},
        )
    return case


def _audit_read(cases, *, actor, reason: str) -> None:
    """One audit event for cases whose sealed words were just opened (ids, never words)."""
    audit.record_reads(
        "grievance.read",
        actor=actor,
        rows=cases,
        object_type="grievances.case",
        ids_key="case_ids",
        reason=reason,
    )


def reveal_case(case: Case, *, actor, reason: str) -> dict:
    """The case's summary and narrative (an audited read)."""
    tenancy.require_role(actor, case.organization_id, STAFF_ROLES)
    opened = vault.open_sealed(case.subject_key, bytes(case.sealed), purpose=CASE_PURPOSE)
    _audit_read([case], actor=actor, reason=reason)
    return opened


def summaries(cases, *, actor, reason: str) -> dict[int, str]:
    """The one-line summaries of a page of cases (one audit event)."""
    cases = list(cases)
    if not cases:
        return {}
    tenancy.require_role(actor, cases[0].organization_id, STAFF_ROLES)
    found = {
        c.pk: vault.open_sealed(c.subject_key, bytes(c.sealed), purpose=CASE_PURPOSE).get("summary", "")
        for c in cases
    }
    _audit_read(cases, actor=actor, reason=reason)
    return found


# Timeline -------------------------------------------------------------------------------------------


def clean_action(raw: Mapping[str, Any]) -> tuple[dict, dict]:
    errors: list[FieldError] = []
    happened = inputs.date_value(raw.get("happened_on"), "happened_on", errors) or timezone.localdate()
    if happened > timezone.localdate():
        errors.append(
            FieldError(
                "happened_on", _("Record what happened, not what is planned: use a deadline for that.")
            )
        )
    deadline = inputs.date_value(raw.get("deadline"), "deadline", errors)
    if deadline and deadline < happened:
        errors.append(FieldError("deadline", _("The deadline comes before the action.")))
    fields = {
        "kind": inputs.choice(raw.get("kind"), "kind", ActionKind, errors, required=True),
        "happened_on": happened,
        "deadline": deadline,
    }
    sealed = {name: str(raw.get(name) or "").strip() for name in ("detail", "outcome", "deadline_note")}
    for name, text in sealed.items():
        if len(text) > 5000:
            errors.append(FieldError(name, _("Keep this under %(limit)s characters.") % {"limit": "5,000"}))
    if not sealed["detail"] and not sealed["outcome"]:
        errors.append(FieldError("detail", _("Say what was done or what came of it.")))
    if errors:
        raise ValidationError(message=_("The action is not saved."), errors=errors)
    return fields, sealed


def add_action(case: Case, raw: Mapping[str, Any], *, actor) -> CaseAction:
    tenancy.require_role(actor, case.organization_id, STAFF_ROLES)
    fields, sealed = clean_action(raw)
    with transaction.atomic():
        action = CaseAction.objects.create(
            organization_id=case.organization_id,
            case=case,
            author=actor,
            sealed=vault.seal(case.subject_key, sealed, purpose=ACTION_PURPOSE),
            **fields,
        )
        Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
        audit.record(
            "grievance.action",
            actor=actor,
            organization=case.organization_id,
            obj=action,
            metadata={"case_id": case.pk, "kind": action.kind},
        )
    return action


def complete_deadline(action: CaseAction, *, actor) -> CaseAction:
    tenancy.require_role(actor, action.organization_id, STAFF_ROLES)
    if action.deadline is None or action.deadline_done_at is not None:
        raise ValidationError.for_field("deadline", _("There is no open deadline here."), code="no_deadline")
    with transaction.atomic():
        action.deadline_done_at = timezone.now()
        action.save(update_fields=["deadline_done_at"])
        audit.record("grievance.deadline_done", actor=actor, organization=action.organization_id, obj=action)
    return action


def clean_remedy(case: Case, raw: Mapping[str, Any]) -> tuple[dict, dict, list[WorkOrder]]:
    errors: list[FieldError] = []
    kind = inputs.choice(raw.get("kind"), "kind", RemedyKind, errors, required=True)
    received = inputs.date_value(raw.get("received_on"), "received_on", errors) or timezone.localdate()
    if received > timezone.localdate():
        errors.append(FieldError("received_on", _("Record a remedy once it is won, not before.")))
    amount, currency = None, ""
    if kind == RemedyKind.MONEY or str(raw.get("amount") or "").strip():
        amount = money.decimal(
            raw.get("amount"), "amount", errors, required=kind == RemedyKind.MONEY, positive=True
        )
        currency = money.currency(raw.get("currency") or "", "currency", errors)
    ids = _ids(raw.get("orders"))
    orders = list(case.orders.filter(pk__in=ids))
    if len(orders) != len(set(ids)):
        errors.append(FieldError("orders", _("Link only orders of this case.")))
    description = str(raw.get("description") or "").strip()
    if len(description) > 5000:
        errors.append(
            FieldError("description", _("Keep this under %(limit)s characters.") % {"limit": "5,000"})
        )
    if kind and kind != RemedyKind.MONEY and not description:
        errors.append(FieldError("description", _("Say what was won.")))
    if errors:
        raise ValidationError(message=_("The remedy is not saved."), errors=errors)
    return (
        {"kind": kind, "amount": amount, "currency": currency, "received_on": received},
        {"description": description},
        orders,
    )


def add_remedy(case: Case, raw: Mapping[str, Any], *, actor) -> Remedy:
    """Record what was won (money with its currency, settling some of the case's orders; orders
    restored; rates raised; something else)."""
    tenancy.require_role(actor, case.organization_id, STAFF_ROLES)
    fields, sealed, orders = clean_remedy(case, raw)
    with transaction.atomic():
        remedy = Remedy.objects.create(
            organization_id=case.organization_id,
            case=case,
            recorded_by=actor,
            sealed=vault.seal(case.subject_key, sealed, purpose=REMEDY_PURPOSE),
            **fields,
        )
        remedy.orders.set(orders)
        audit.record(
            "grievance.remedy",
            actor=actor,
            organization=case.organization_id,
            obj=remedy,
            metadata={"case_id": case.pk, "kind": remedy.kind, "currency": remedy.currency},
        )
    return remedy


def add_attachment(case: Case, *, name: str, data: bytes, actor) -> CaseAttachment:
    tenancy.require_role(actor, case.organization_id, STAFF_ROLES)
    safe_name, content_type = uploads.check_evidence(name, data)
    with transaction.atomic():
        attachment = CaseAttachment.objects.create(
            organization_id=case.organization_id,
            case=case,
            sealed_name=vault.seal_bytes(case.subject_key, safe_name.encode(), purpose=FILE_NAME_PURPOSE),
            content_type=content_type,
            size=len(data),
            sealed=vault.seal_bytes(case.subject_key, data, purpose=FILE_PURPOSE),
            uploaded_by=actor,
        )
        audit.record(
            "grievance.attachment",
            actor=actor,
            organization=case.organization_id,
            obj=attachment,
            metadata={"case_id": case.pk},
        )
    return attachment


def open_attachment(attachment: CaseAttachment, *, actor) -> tuple[str, bytes]:
    """(file name, content) of an attachment: an audited read."""
    tenancy.require_role(actor, attachment.organization_id, STAFF_ROLES)
    key = attachment.case.subject_key
    name = vault.open_sealed_bytes(key, bytes(attachment.sealed_name), purpose=FILE_NAME_PURPOSE).decode()
    data = vault.open_sealed_bytes(key, bytes(attachment.sealed), purpose=FILE_PURPOSE)
    audit.record(
        "grievance.attachment_read", actor=actor, organization=attachment.organization_id, obj=attachment
    )
    return name, data


@dataclass
class Entry:
    """One line of a case's timeline, opened."""

    on: date
    kind: str  # "action", "remedy", "attachment", "opened", "finished"
    item: Any
    text: dict


def timeline(case: Case, *, actor, reason: str) -> list[Entry]:
    """The case's actions, remedies and attachments in date order, opened (one audited read)."""
    tenancy.require_role(actor, case.organization_id, STAFF_ROLES)
    key = case.subject_key
    entries = [Entry(case.opened_on, "opened", case, {})]
    for action in case.actions.select_related("author"):
        entries.append(
            Entry(
                action.happened_on,
                "action",
                action,
                vault.open_sealed(key, bytes(action.sealed), purpose=ACTION_PURPOSE),
            )
        )
    for remedy in case.remedies.prefetch_related("orders"):
        entries.append(
            Entry(
                remedy.received_on,
                "remedy",
                remedy,
                vault.open_sealed(key, bytes(remedy.sealed), purpose=REMEDY_PURPOSE),
            )
        )
    for attachment in case.attachments.select_related("uploaded_by"):
        name = vault.open_sealed_bytes(key, bytes(attachment.sealed_name), purpose=FILE_NAME_PURPOSE).decode()
        entries.append(
            Entry(timezone.localtime(attachment.created_at).date(), "attachment", attachment, {"name": name})
        )
    for reply in case.replies.select_related("company", "author"):
        text = vault.open_sealed(key, bytes(reply.sealed), purpose=REPLY_PURPOSE)
        entries.append(Entry(timezone.localtime(reply.created_at).date(), "reply", reply, text))
    for commitment in case.commitments.select_related("company"):
        entries.append(Entry(timezone.localtime(commitment.created_at).date(), "commitment", commitment, {}))
    if case.finished_on:
        entries.append(Entry(case.finished_on, "finished", case, {}))
    order = {
        "opened": 0,
        "action": 1,
        "attachment": 2,
        "reply": 3,
        "commitment": 4,
        "remedy": 5,
        "finished": 6,
    }
    entries.sort(key=lambda e: (e.on, order[e.kind], getattr(e.item, "pk", 0)))
    _audit_read([case], actor=actor, reason=reason)
    return entries


# A member's rights -------------------------------------------------------------------------------------


def export_sections(member: Member) -> dict[str, list[dict]]:
    """The cases she is part of, with their summaries (registered with core.rights)."""
    rows = []
    for case in Case.objects.filter(members=member).select_related("subject_key").order_by("opened_on", "pk"):
        sealed = vault.open_sealed(case.subject_key, bytes(case.sealed), purpose=CASE_PURPOSE)
        rows.append(
            {
                "case": case.number,
                "kind": case.kind,
                "category": case.category,
                "status": case.status,
                "opened_on": case.opened_on.isoformat(),
                "finished_on": case.finished_on.isoformat() if case.finished_on else None,
                "summary": sealed.get("summary", ""),
                "narrative": sealed.get("narrative", "") if case.kind == CaseKind.INDIVIDUAL else "",
            }
        )
    return {"grievances": rows}


def erase_rows(member: Member) -> None:
    """Her own cases go with their key (so even a backup cannot open them); she leaves collective ones."""
    for case in Case.objects.filter(members=member, kind=CaseKind.INDIVIDUAL).select_related("subject_key"):
        key = case.subject_key
        case.delete()
        vault.shred(key)
    for case in Case.objects.filter(members=member):
        case.members.remove(member)


def move_cases(source: Member, target: Member) -> None:
    for case in Case.objects.filter(members=source):
        case.members.remove(source)
        case.members.add(target)


def send_reminders(*, today: date | None = None) -> int:
    """E-mail the organizer who took up a case (or, if nobody did, the organization's admins) about
    deadlines due by tomorrow or already past, once a day at most. The message names the case by its
    number and organization only: no worker's details leave by e-mail. Returns the e-mails sent."""
    from datetime import timedelta

    from django.conf import settings
    from django.core.mail import send_mail
    from django.urls import reverse

    from doorstep.core.roles import ADMIN_ROLES

    today = today or timezone.localdate()
    now = timezone.now()
    due = (
        CaseAction.objects.filter(
            deadline__isnull=False, deadline_done_at__isnull=True, deadline__lte=today + timedelta(days=1)
        )
        .exclude(case__status__in=FINISHED)
        .exclude(reminded_at__gte=now - timedelta(hours=20))
        .select_related("case__taken_by", "case__organization")
    )
    sent = 0
    for action in due:
        case = action.case
        people = (
            [case.taken_by]
            if case.taken_by and case.taken_by.email
            else [
                a.user
                for a in RoleAssignment.objects.filter(
                    organization=case.organization, role__in=ADMIN_ROLES, is_active=True
                ).select_related("user")
                if a.user.email
            ]
        )
        link = reverse("grievance", args=[case.organization.slug, case.pk])
        for person in people:
            send_mail(
                _("Deadline for case %(number)s on %(day)s")
                % {"number": case.number, "day": action.deadline.isoformat()},
                _(
                    "A deadline of case %(number)s (%(organization)s) falls on %(day)s. "
                    "Open the case: %(link)s"
                )
                % {
                    "number": case.number,
                    "organization": case.organization.name,
                    "day": action.deadline.isoformat(),
                    "link": f"{settings.BASE_URL}{link}",
                },
                settings.DEFAULT_FROM_EMAIL,
                [person.email],
            )
            sent += 1
        CaseAction.objects.filter(pk=action.pk).update(reminded_at=now)
        audit.record(
            "grievance.reminded",
            organization=case.organization_id,
            obj=action,
            metadata={"case_id": case.pk, "recipients": len(people)},
        )
    return sent


# Intake without an account --------------------------------------------------------------------------

INTAKE_PURPOSE = "grievance.intake"
RECEIPT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud and typed on a keypad
INTAKE_LIMIT = (5, 3600)  # reports an hour from one address
STATUS_LIMIT = (20, 3600)  # receipt checks an hour from one address


def open_channel(organization: Organization, *, actor):
    """Publish a new intake link (closing the old one: its address stops working at once)."""
    import secrets

    from .models import IntakeChannel

    tenancy.require_role(actor, organization, STAFF_ROLES)
    with transaction.atomic():
        IntakeChannel.objects.filter(organization=organization, is_open=True).update(is_open=False)
        channel = IntakeChannel.objects.create(
            organization=organization, code=secrets.token_urlsafe(9), created_by=actor
        )
        audit.record("intake.opened", actor=actor, organization=organization, obj=channel)
    return channel


def close_channel(organization: Organization, *, actor) -> None:
    from .models import IntakeChannel

    tenancy.require_role(actor, organization, STAFF_ROLES)
    with transaction.atomic():
        IntakeChannel.objects.filter(organization=organization, is_open=True).update(is_open=False)
        audit.record("intake.closed", actor=actor, organization=organization)


def _receipt_digest(code: str) -> str:
    from django.utils.crypto import salted_hmac

    normal = "".join(c for c in code.upper() if c.isalnum())
    return salted_hmac("doorstep.grievances.receipt", normal, algorithm="sha256").hexdigest()


def _new_receipt() -> str:
    import secrets

    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def submit_intake(
    channel_code: str, raw: Mapping[str, Any], *, address: str | None, language: str = ""
) -> str:
    """A report through the public form; returns the receipt code to give her (shown once, never
    stored: only its keyed hash is). Junk never reaches the case list: a person reads it first."""
    from doorstep.core import throttle
    from doorstep.core.errors import Throttled

    from .models import IntakeChannel, IntakeReport

    channel = (
        IntakeChannel.objects.filter(code=channel_code, is_open=True).select_related("organization").first()
    )
    if channel is None or not channel.organization.is_active:
        from django.http import Http404

        raise Http404
    if not throttle.allow(
        f"intake:{channel.pk}", address, limit=INTAKE_LIMIT[0], window_seconds=INTAKE_LIMIT[1]
    ):
        raise Throttled(message=_("Too many reports from here in the last hour. Please try again later."))
    errors: list[FieldError] = []
    description = str(raw.get("description") or "").strip()
    if len(description) < 10:
        errors.append(FieldError("description", _("Say what happened, in a few words at least.")))
    elif len(description) > 5000:
        errors.append(
            FieldError("description", _("Keep this under %(limit)s characters.") % {"limit": "5,000"})
        )
    category = inputs.choice(raw.get("category") or "", "category", Category, errors)
    if str(raw.get("website") or "").strip():  # a field people never see: only robots fill it in
        errors.append(FieldError("description", _("This report could not be sent.")))
    if errors:
        raise ValidationError(message=_("The report is not sent."), errors=errors)
    sealed = {
        "description": description,
        **{
            name: " ".join(str(raw.get(name) or "").split())[:200]
            for name in ("work_giver", "name", "phone", "member_number")
        },
        "for_someone": str(raw.get("for_someone") or "").lower() in ("1", "true", "on", "yes"),
    }
    receipt = _new_receipt()
    with transaction.atomic():
        key = vault.new_subject_key(channel.organization)
        report = IntakeReport.objects.create(
            organization=channel.organization,
            channel=channel,
            receipt_digest=_receipt_digest(receipt),
            subject_key=key,
            sealed=vault.seal(key, sealed, purpose=INTAKE_PURPOSE),
            category=category or "",
            language=language[:10],
        )
        audit.record("intake.received", organization=channel.organization, obj=report)
    return receipt


def intake_status(receipt: str, *, address: str | None) -> dict | None:
    """Status and dates of a report by its receipt code (and of its case, once taken up); None for
    a wrong or unknown code alike. Nothing else: no name, no organization, no words."""
    from doorstep.core import throttle
    from doorstep.core.errors import Throttled

    from .models import IntakeReport

    if not throttle.allow("intake-status", address, limit=STATUS_LIMIT[0], window_seconds=STATUS_LIMIT[1]):
        raise Throttled(message=_("Too many checks from here in the last hour. Please try again later."))
    report = (
        IntakeReport.objects.filter(receipt_digest=_receipt_digest(str(receipt or "")))
        .select_related("case")
        .first()
    )
    if report is None:
        return None
    found = {
        "status": report.status,
        "received_on": timezone.localtime(report.received_at).date(),
        "reviewed_on": timezone.localtime(report.reviewed_at).date() if report.reviewed_at else None,
        "case_status": None,
        "case_updated_on": None,
    }
    if report.case is not None:
        found["case_status"] = report.case.status
        found["case_updated_on"] = timezone.localtime(report.case.updated_at).date()
    return found


def reveal_reports(reports, *, actor, reason: str) -> dict[int, dict]:
    reports = list(reports)
    for organization_id in {r.organization_id for r in reports}:
        tenancy.require_role(actor, organization_id, STAFF_ROLES)
    opened = {
        r.pk: vault.open_sealed(r.subject_key, bytes(r.sealed), purpose=INTAKE_PURPOSE) for r in reports
    }
    audit.record_reads(
        "intake.read",
        actor=actor,
        rows=reports,
        object_type="grievances.intakereport",
        ids_key="report_ids",
        reason=reason,
    )
    return opened


def accept_report(report, data: Mapping[str, Any], *, actor) -> Case:
    """Open a case from a report: the organizer confirms the category, the member(s) and the summary;
    the report's words become the case's narrative."""
    from .models import IntakeStatus

    tenancy.require_role(actor, report.organization_id, STAFF_ROLES)
    if report.status != IntakeStatus.PENDING:
        raise ValidationError.for_field("status", _("This report has already been read."), code="reviewed")
    words = vault.open_sealed(report.subject_key, bytes(report.sealed), purpose=INTAKE_PURPOSE)
    narrative = "\n\n".join(
        part
        for part in (
            words.get("description", ""),
            _("Work giver named: %(name)s") % {"name": words["work_giver"]}
            if words.get("work_giver")
            else "",
            _("Sent by %(name)s, %(phone)s")
            % {"name": words.get("name") or "—", "phone": words.get("phone") or "—"},
        )
        if part
    )
    with transaction.atomic():
        case = create_case(
            report.organization, data={**data, "narrative": narrative}, actor=actor, source=Source.INTAKE
        )
        report.status, report.case = IntakeStatus.ACCEPTED, case
        report.reviewed_at, report.reviewed_by = timezone.now(), actor
        report.save(update_fields=["status", "case", "reviewed_at", "reviewed_by"])
        audit.record(
            "intake.accepted",
            actor=actor,
            organization=report.organization_id,
            obj=report,
            metadata={"case_id": case.pk},
        )
    return case


def reject_report(report, *, actor) -> None:
    """Not a grievance (junk, a test, spam): it stays out of the case list; its words are destroyed."""
    from .models import IntakeStatus

    tenancy.require_role(actor, report.organization_id, STAFF_ROLES)
    if report.status != IntakeStatus.PENDING:
        raise ValidationError.for_field("status", _("This report has already been read."), code="reviewed")
    with transaction.atomic():
        report.status, report.reviewed_at, report.reviewed_by = IntakeStatus.REJECTED, timezone.now(), actor
        report.sealed = b""
        report.save(update_fields=["status", "reviewed_at", "reviewed_by", "sealed"])
        audit.record("intake.rejected", actor=actor, organization=report.organization_id, obj=report)


# Escalation to a company --------------------------------------------------------------------------------

SHARE_PURPOSE = "grievance.share"
REPLY_PURPOSE = "grievance.reply"


def companies_for_cases(organization) -> list:
    """The companies this organization shares grievances with today (a live agreement for a company's
    due diligence that lists grievances)."""
    from doorstep.organizations.models import SharingPurpose
    from doorstep.organizations.queries import recipient_ids

    ids = recipient_ids(organization, SharingPurpose.COMPANY_DUE_DILIGENCE, "grievances")
    return list(
        Organization.objects.filter(pk__in=ids, kind=Organization.Kind.COMPANY, is_active=True).order_by(
            "name"
        )
    )


def share_case(case: Case, company: Organization, raw: Mapping[str, Any], *, actor):
    """Show a case to a company. Needs a live agreement with it covering grievances, and the consent
    of every member named on the case to sharing a case with a company; showing who she is needs
    her explicit agreement besides (``show_identity``)."""
    from doorstep.members.models import Purpose
    from doorstep.members.queries import consenting_members

    from .models import CaseShare

    tenancy.require_role(actor, case.organization_id, STAFF_ROLES)
    errors: list[FieldError] = []
    if company not in companies_for_cases(case.organization):
        errors.append(
            FieldError(
                "company", _("Your organization has no agreement in force to share cases with this company.")
            )
        )
    members = list(case.members.all())
    if members:
        consenting = set(
            consenting_members([case.organization_id], Purpose.COMPANY_CASE, timezone.localdate())
            .filter(pk__in=[m.pk for m in members])
            .values_list("pk", flat=True)
        )
        missing = sorted(m.number for m in members if m.pk not in consenting)
        if missing:
            errors.append(
                FieldError(
                    "members",
                    _("These members have not agreed to a case being shared with a company: %(numbers)s.")
                    % {"numbers": ", ".join(f"#{n}" for n in missing)},
                )
            )
    message = str(raw.get("message") or "").strip()
    if len(message) > 5000:
        errors.append(FieldError("message", _("Keep this under %(limit)s characters.") % {"limit": "5,000"}))
    show_identity = str(raw.get("show_identity") or "").lower() in ("1", "true", "on", "yes")
    if show_identity and not members:
        errors.append(
            FieldError("show_identity", _("There is no named member whose identity could be shown."))
        )
    if case.shares.filter(company=company, withdrawn_at__isnull=True).exists():
        errors.append(FieldError("company", _("This case is already shared with this company.")))
    if errors:
        raise ValidationError(message=_("The case is not shared."), errors=errors)
    with transaction.atomic():
        share, _created = CaseShare.objects.update_or_create(
            case=case,
            company=company,
            defaults={
                "organization_id": case.organization_id,
                "sealed_message": vault.seal(case.subject_key, {"message": message}, purpose=SHARE_PURPOSE),
                "show_identity": show_identity,
                "shared_by": actor,
                "withdrawn_at": None,
            },
        )
        audit.record(
            "grievance.shared",
            actor=actor,
            organization=case.organization_id,
            obj=share,
            metadata={"case_id": case.pk, "company_id": company.pk, "show_identity": show_identity},
        )
    return share


def withdraw_share(share, *, actor) -> None:
    tenancy.require_role(actor, share.organization_id, STAFF_ROLES)
    with transaction.atomic():
        share.withdrawn_at = timezone.now()
        share.save(update_fields=["withdrawn_at"])
        audit.record("grievance.share_withdrawn", actor=actor, organization=share.organization_id, obj=share)


@dataclass
class CompanyView:
    """A shared case as the company may see it: no summary, narrative, outcome or note written for
    the organization itself; the members' names only where she agreed to be known."""

    share: Any
    message: str
    owed: dict
    steps: list[dict]
    names: list[str]


def company_view(share, *, actor) -> CompanyView:
    """What the company sees of a shared case (read by a company user; audited for the organization)."""
    from . import queries

    case = share.case
    key = case.subject_key
    steps = [{"on": case.opened_on, "kind": "opened", "label": _("Case taken up")}]
    steps += [
        {"on": a.happened_on, "kind": "action", "label": a.get_kind_display()} for a in case.actions.all()
    ]
    steps += [
        {
            "on": r.received_on,
            "kind": "remedy",
            "label": r.get_kind_display(),
            "amount": r.amount,
            "currency": r.currency,
        }
        for r in case.remedies.all()
    ]
    steps += [
        {
            "on": timezone.localtime(r.created_at).date(),
            "kind": "reply",
            "label": r.company.name,
            "text": vault.open_sealed(key, bytes(r.sealed), purpose=REPLY_PURPOSE).get("text", ""),
        }
        for r in case.replies.filter(company=share.company).select_related("company")
    ]
    steps += [
        {
            "on": timezone.localtime(c.created_at).date(),
            "kind": "commitment",
            "label": c.get_status_display(),
            "text": c.action,
            "owner": c.owner,
            "deadline": c.deadline,
        }
        for c in case.commitments.filter(company=share.company)
    ]
    if case.finished_on:
        steps.append({"on": case.finished_on, "kind": "finished", "label": case.get_status_display()})
    steps.sort(key=lambda s: s["on"])
    names = []
    if share.show_identity:
        from doorstep.members.services import names_shown_with_consent

        members = list(case.members.select_related("subject_key"))
        shown = names_shown_with_consent(
            members, actor=actor, reason=f"case shared with company {share.company_id}"
        )
        names = [shown[m.pk] for m in members]
    audit.record(
        "grievance.company_read",
        actor=actor,
        organization=case.organization_id,
        obj=share,
        metadata={"case_id": case.pk, "company_id": share.company_id, "identity": share.show_identity},
    )
    message = vault.open_sealed(key, bytes(share.sealed_message), purpose=SHARE_PURPOSE).get("message", "")
    return CompanyView(share, message, queries.owed(case), steps, names)


def company_reply(share, text: str, *, actor):
    from .models import CompanyReply

    _require_company_user(share, actor)
    text = str(text or "").strip()
    if not text:
        raise ValidationError.for_field("text", _("Write your answer."))
    if len(text) > 5000:
        raise ValidationError.for_field(
            "text", _("Keep this under %(limit)s characters.") % {"limit": "5,000"}
        )
    case = share.case
    with transaction.atomic():
        reply = CompanyReply.objects.create(
            organization_id=case.organization_id,
            case=case,
            company=share.company,
            author=actor,
            sealed=vault.seal(case.subject_key, {"text": text}, purpose=REPLY_PURPOSE),
        )
        Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
        for owner in (case.organization_id, share.company_id):
            audit.record(
                "grievance.company_reply",
                actor=actor,
                organization=owner,
                obj=reply,
                metadata={"case_id": case.pk},
            )
    return reply


def company_commitment(share, raw: Mapping[str, Any], *, actor):
    """A commitment the company makes on the case: tracked with its due diligence, and on the case."""
    from doorstep.supplychains import services as chain_services

    _require_company_user(share, actor)
    with transaction.atomic():
        commitment = chain_services.add_commitment(
            share.company, share.case.organization, {"step": "remediate", **raw}, actor=actor
        )
        share.case.commitments.add(commitment)
    return commitment


def _require_company_user(share, actor) -> None:
    from doorstep.core.roles import Role

    tenancy.require_role(actor, share.company_id, {Role.COMPANY, Role.ORG_ADMIN})
