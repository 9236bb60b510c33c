"""Her rights over her data: the export of everything Doorstep holds about her (every app's section,
as JSON and CSV in a zip) and her erasure (every app's rows, then her record, then her key); and
the members app's own section of both, registered with core.rights."""

import io
import json
import zipfile
from datetime import date
from decimal import Decimal

from django.db import transaction

from doorstep.core import analytics, audit, cells, rights, tenancy, vault
from doorstep.core.roles import ADMIN_ROLES, STAFF_ROLES

from ..models import (
    MEMBER_ATTRIBUTES,
    ConsentEvent,
    DuesPayment,
    Member,
    MemberGroup,
    MemberIdentifier,
    ProfileChange,
    StatusChange,
)
from .pii import PII_PURPOSE


def _jsonable(value):
    if isinstance(value, date | Decimal):
        return str(value)
    return value


def export_sections(member: Member) -> dict[str, list[dict]]:
    """What the members app holds about her (registered with core.rights)."""
    pii = vault.open_sealed(member.subject_key, member.pii, purpose=PII_PURPOSE)
    profile = {
        "number": member.number,
        **{name: getattr(member, name) for name in MEMBER_ATTRIBUTES},
        "country": member.country.code,
        "group": member.group.name if member.group else "",
        **pii,
    }
    sections = {
        "profile": [profile],
        "status_history": list(member.status_history.values("status", "changed_on")),
        "dues": list(member.dues.values("period", "amount", "currency", "paid_on")),
        "consents": list(member.consents.values("purpose", "company_id", "given", "effective_on", "method")),
    }
    return {
        name: [{k: _jsonable(v) for k, v in row.items()} for row in rows] for name, rows in sections.items()
    }


def erase_rows(member: Member) -> None:
    """Remove the members app's rows about her (registered with core.rights)."""
    MemberGroup.objects.filter(leader=member).update(leader=None)
    for model in (MemberIdentifier, ConsentEvent, DuesPayment, StatusChange, ProfileChange):
        model.objects.filter(member=member).delete()


def export_member(member: Member, *, actor) -> bytes:
    """Everything Doorstep holds about her, as a zip of one JSON file and one CSV per section."""
    tenancy.require_role(actor, member.organization_id, STAFF_ROLES)
    sections: dict[str, list[dict]] = {}
    for handler in rights.handlers():
        for name, rows in handler.export(member).items():
            sections[f"{handler.app}.{name}"] = rows
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("member.json", json.dumps(sections, ensure_ascii=False, indent=2, default=str))
        for name, rows in sections.items():
            text = io.StringIO()
            columns = sorted({key for row in rows for key in row})
            writer = cells.dict_writer(text, fieldnames=columns)
            writer.writeheader()
            for row in rows:
                writer.writerow(
                    {
                        k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
                        for k, v in row.items()
                    }
                )
            archive.writestr(f"{name}.csv", text.getvalue())
    audit.record("member.exported", actor=actor, organization=member.organization_id, obj=member)
    return buffer.getvalue()


def _merged_ids(member: Member) -> list[int]:
    """The records merged into hers, and into those, all the way down (they are her too)."""
    found, frontier = [], [member.pk]
    while frontier:
        frontier = list(Member.objects.filter(merged_into__in=frontier).values_list("pk", flat=True))
        found += frontier
    return found


def _erase_one(member: Member) -> None:
    for merged in Member.objects.filter(merged_into=member).select_related("subject_key"):
        _erase_one(merged)
    key = member.subject_key
    for handler in rights.handlers():
        handler.erase(member)
    member.delete()
    vault.shred(key)


def erase_member(member: Member, *, actor) -> None:
    """Her right to erasure: every app's rows about her, then her record, then her key; once that
    has committed, her rows in the analytics files are written out at once (``core.analytics.
    erase_members``), not at the next refresh.

    Aggregates already published are not recomputed. The audit event keeps only ids.
    """
    tenancy.require_role(actor, member.organization_id, ADMIN_ROLES)
    with transaction.atomic():
        member = Member.objects.select_for_update().select_related("subject_key").get(pk=member.pk)
        member_id, organization_id, key = member.pk, member.organization_id, member.subject_key
        erased = [member_id, *_merged_ids(member)]
        for merged in Member.objects.filter(merged_into=member).select_related("subject_key"):
            _erase_one(merged)  # records merged into hers are her too
        for handler in rights.handlers():
            handler.erase(member)
        linked_user = member.user
        member.delete()
        vault.shred(key)
        if linked_user is not None:
            linked_user.is_active = False
            linked_user.set_unusable_password()
            linked_user.save(update_fields=["is_active", "password"])
        audit.record(
            "member.erased",
            actor=actor,
            organization=organization_id,
            object_type="members.member",
            object_id=member_id,
        )
        # After the commit, so that a refresh reading the database cannot put her back afterwards.
        transaction.on_commit(lambda: analytics.erase_members(organization_id, erased))
