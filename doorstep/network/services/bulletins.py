"""Bulletins: drafts and their language versions, their sections, and publication in the public
archive and feed. Every change is audited."""

import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core import audit, ordering, tenancy
from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.html import clean_html
from doorstep.core.roles import Role
from doorstep.organizations.models import Organization

from ..models import Bulletin, BulletinSection, NewsItem
from ._common import _check_language

BULLETIN_ROLES = frozenset({Role.ORGANIZER, Role.ORG_ADMIN})


def _bulletin_fields(data: dict) -> dict:
    fields = {}
    if "title" in data:
        title = (data["title"] or "").strip()
        if not title:
            raise ValidationError.for_field("title", _("A bulletin needs a title."))
        fields["title"] = title[:200]
    if "summary" in data:
        fields["summary"] = (data["summary"] or "").strip()[:1000]
    if "language" in data:
        fields["language"] = _check_language(data["language"])
    return fields


def create_bulletin(organization: Organization, *, data: dict, actor) -> Bulletin:
    """A new draft, or (``translation_of``) a new language version of an existing bulletin, which
    starts as a copy of it to translate."""
    tenancy.require_role(actor, organization, BULLETIN_ROLES)
    fields = _bulletin_fields({"title": "", "summary": "", "language": "", **data})
    source = data.get("translation_of")
    with transaction.atomic():
        if source is not None:
            if source.organization_id != organization.pk:
                raise ValidationError.for_field("translation_of", _("No such bulletin."))
            if Bulletin.objects.filter(
                organization=organization, edition=source.edition, language=fields["language"]
            ).exists():
                raise ValidationError.for_field(
                    "language", _("This bulletin already has a version in that language.")
                )
        bulletin = Bulletin.objects.create(
            organization=organization,
            edition=source.edition if source is not None else uuid.uuid4(),
            created_by=actor,
            **fields,
        )
        if source is not None:
            BulletinSection.objects.bulk_create(
                BulletinSection(
                    organization=organization,
                    bulletin=bulletin,
                    position=section.position,
                    heading=section.heading,
                    body=section.body,
                    news_item=section.news_item,
                )
                for section in source.sections.all()
            )
        audit.record(
            "bulletin.created",
            actor=actor,
            organization=organization,
            obj=bulletin,
            metadata={"language": bulletin.language, "translation_of": getattr(source, "pk", None)},
        )
    return bulletin


def update_bulletin(bulletin: Bulletin, *, data: dict, actor) -> Bulletin:
    tenancy.require_role(actor, bulletin.organization_id, BULLETIN_ROLES)
    fields = _bulletin_fields({k: v for k, v in data.items() if k in ("title", "summary")})
    with transaction.atomic():
        for name, value in fields.items():
            setattr(bulletin, name, value)
        bulletin.save()
        audit.record("bulletin.updated", actor=actor, organization=bulletin.organization_id, obj=bulletin)
    return bulletin


def _section_fields(data: dict) -> dict:
    heading = (data.get("heading") or "").strip()
    body = clean_html(data.get("body") or "")
    errors = []
    if not heading:
        errors.append(FieldError("heading", _("A section needs a heading.")))
    if not body:
        errors.append(
            FieldError("body", _("A section needs some text (what is left once unsafe parts are removed)."))
        )
    if errors:
        raise ValidationError(message=_("The section could not be saved."), errors=errors)
    return {"heading": heading[:200], "body": body}


def add_section(
    bulletin: Bulletin, *, data: dict, actor, news_item: NewsItem | None = None
) -> BulletinSection:
    tenancy.require_role(actor, bulletin.organization_id, BULLETIN_ROLES)
    fields = _section_fields(data)
    with transaction.atomic():
        last = bulletin.sections.order_by("-position").values_list("position", flat=True).first()
        section = BulletinSection.objects.create(
            organization_id=bulletin.organization_id,
            bulletin=bulletin,
            position=(last or 0) + 1,
            news_item=news_item,
            **fields,
        )
        audit.record(
            "bulletin.section_added", actor=actor, organization=bulletin.organization_id, obj=section
        )
    return section


def update_section(section: BulletinSection, *, data: dict, actor) -> BulletinSection:
    tenancy.require_role(actor, section.organization_id, BULLETIN_ROLES)
    fields = _section_fields(data)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(section, name, value)
        section.save()
        audit.record(
            "bulletin.section_updated", actor=actor, organization=section.organization_id, obj=section
        )
    return section


def delete_section(section: BulletinSection, *, actor) -> None:
    tenancy.require_role(actor, section.organization_id, BULLETIN_ROLES)
    with transaction.atomic():
        audit.record(
            "bulletin.section_deleted", actor=actor, organization=section.organization_id, obj=section
        )
        section.delete()


def move_section(section: BulletinSection, *, up: bool, actor) -> None:
    """Swap the section with the one before (``up``) or after it."""
    tenancy.require_role(actor, section.organization_id, BULLETIN_ROLES)
    ordering.move(section, section.bulletin.sections.all(), up=up)


def publish_bulletin(bulletin: Bulletin, *, actor) -> Bulletin:
    """Show the bulletin in the public archive and feed (it can still be corrected afterwards)."""
    tenancy.require_role(actor, bulletin.organization_id, BULLETIN_ROLES)
    if not bulletin.sections.exists():
        raise ValidationError(message=_("Add at least one section before publishing."), code="empty_bulletin")
    with transaction.atomic():
        if not bulletin.is_published:
            bulletin.status = Bulletin.Status.PUBLISHED
            bulletin.published_at = timezone.now()
            bulletin.save(update_fields=["status", "published_at", "updated_at"])
            audit.record(
                "bulletin.published", actor=actor, organization=bulletin.organization_id, obj=bulletin
            )
    return bulletin
