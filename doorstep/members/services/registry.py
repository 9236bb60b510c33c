"""The member registry: registering a member (one, or a checked batch from an import with one insert
per table), editing her details and status (her status history follows), and her own corrections."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from doorstep.core import audit, tenancy, vault
from doorstep.core.bulk import insert_rows
from doorstep.core.disclosure import new_record_key
from doorstep.core.errors import PermissionDenied
from doorstep.core.roles import STAFF_ROLES
from doorstep.organizations.models import Organization

from .. import search
from ..models import (
    MEMBER_ATTRIBUTES,
    Member,
    MemberGroup,
    MemberIdentifier,
    ProfileChange,
    Status,
    StatusChange,
)
from .duplicates import flag_possible_duplicates
from .identifiers import _certain_duplicates, _digests
from .pii import PII_FIELDS, PII_PURPOSE
from .validation import CleanMember, clean_member


def _group(organization_id: int, name: str | None) -> MemberGroup | None:
    if not name:
        return None
    group, _created = MemberGroup.objects.get_or_create(organization_id=organization_id, name=name)
    return group


def _next_number(organization_id: int) -> int:
    Organization.objects.select_for_update().get(pk=organization_id)
    last = (
        Member.objects.filter(organization_id=organization_id)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return (last or 0) + 1


def create_member(organization: Organization, *, data: Mapping[str, Any], actor) -> Member:
    tenancy.require_role(actor, organization, STAFF_ROLES)
    clean = clean_member(organization, data)
    pii = {name: clean.pii.get(name) for name in PII_FIELDS}
    with transaction.atomic():
        digests = _digests(organization.pk, pii)
        duplicate = _certain_duplicates(organization.pk, digests, exclude=None)
        if duplicate:
            raise duplicate
        key = vault.new_subject_key(organization)
        member = Member.objects.create(
            organization=organization,
            number=_next_number(organization.pk),
            subject_key=key,
            pii=vault.seal(key, pii, purpose=PII_PURPOSE),
            group=_group(organization.pk, clean.group_name),
            **clean.fields,
        )
        MemberIdentifier.objects.bulk_create(
            MemberIdentifier(organization=organization, member=member, kind=kind, digest=digest)
            for kind, digest in digests
        )
        StatusChange.objects.create(
            organization=organization,
            member=member,
            status=member.status,
            changed_on=member.joined_on,
            recorded_by=actor,
        )
        audit.record("member.created", actor=actor, organization=organization, obj=member)
        flag_possible_duplicates(organization.pk, [member.pk])
    return member


def create_members_bulk(
    organization: Organization, cleans: list[CleanMember], *, actor, source: str
) -> list[int]:
    """Register many checked members at once (an import batch), inside the caller's transaction.

    Rows go in with one insert per table (``core.bulk``): an import of 100,000 members must take
    seconds, not minutes.
    """
    tenancy.require_role(actor, organization, STAFF_ROLES)
    search.refresh(organization.pk)  # current before the batch, so that it can just remember the new names
    first_number = _next_number(organization.pk)
    keys = vault.new_subject_keys(organization, len(cleans))
    groups: dict[str, int | None] = {}
    now, today = timezone.now(), timezone.localdate()
    rows = []
    for offset, (clean, key) in enumerate(zip(cleans, keys, strict=True)):
        name = clean.group_name or ""
        if name not in groups:
            group = _group(organization.pk, name)
            groups[name] = group.pk if group else None
        fields = {**MEMBER_DEFAULTS, "joined_on": today, **clean.fields, "record_key": new_record_key()}
        pii = {field_name: clean.pii.get(field_name) for field_name in PII_FIELDS}
        rows.append(
            (
                organization.pk,
                first_number + offset,
                key.id,
                key.seal(pii, purpose=PII_PURPOSE),
                groups[name],
                now,
                now,
                *(fields[c] for c in MEMBER_COLUMNS),
            )
        )
    insert_rows(
        Member,
        [
            "organization",
            "number",
            "subject_key",
            "pii",
            "group",
            "created_at",
            "updated_at",
            *MEMBER_COLUMNS,
        ],
        rows,
    )
    numbers = dict(
        Member.objects.filter(
            organization=organization, number__gte=first_number, number__lt=first_number + len(cleans)
        ).values_list("number", "pk")
    )
    ids = [numbers[first_number + offset] for offset in range(len(cleans))]
    insert_rows(
        MemberIdentifier,
        ["organization", "member", "kind", "digest"],
        (
            (organization.pk, member_id, kind, digest)
            for member_id, clean in zip(ids, cleans, strict=True)
            for kind, digest in _digests(organization.pk, clean.pii)
        ),
    )
    insert_rows(
        StatusChange,
        ["organization", "member", "status", "changed_on", "recorded_by", "recorded_at"],
        (
            (
                organization.pk,
                member_id,
                row[7 + MEMBER_COLUMNS.index("status")],
                row[7 + MEMBER_COLUMNS.index("joined_on")],
                actor.pk,
                now,
            )
            for member_id, row in zip(ids, rows, strict=True)
        ),
    )
    search.remember(
        organization.pk,
        {
            pk: " ".join(filter(None, [c.pii.get("full_name"), c.pii.get("other_names")]))
            for pk, c in zip(ids, cleans, strict=True)
        },
    )
    audit.record(
        "member.imported",
        actor=actor,
        organization=organization,
        object_type="members.member",
        metadata={"source": source, "member_ids": ids},
    )
    return ids


# The member columns an import fills (besides those create_members_bulk sets itself), and their defaults
# (a record key is drawn for each row: ``core.disclosure.new_record_key``).
MEMBER_COLUMNS = [*MEMBER_ATTRIBUTES, "country", "record_key"]
MEMBER_DEFAULTS = {
    "sectors": [],
    "skills": [],
    "gender": "",
    "birth_year": None,
    "languages": [],
    "literacy": "",
    "phone_type": "",
    "household_size": None,
    "dependants": None,
    "country": "",
    "admin1": "",
    "admin2": "",
    "locality": "",
    "status": Status.ACTIVE,
}


def update_member(member: Member, *, data: Mapping[str, Any], actor, status_on: date | None = None) -> Member:
    """Change some of her details (only the keys given). A status change joins her status history."""
    tenancy.require_role(actor, member.organization_id, STAFF_ROLES)
    return _update(member, data=data, actor=actor, status_on=status_on)


# What a member with a login may correct herself.
SELF_EDITABLE = (
    "full_name",
    "other_names",
    "phones",
    "address",
    "languages",
    "literacy",
    "phone_type",
    "household_size",
    "dependants",
    "locality",
)


# What she may change herself but staff check first: applied at once, a number another member has
# would be refused, and the refusal would tell her that member is in the organization.
CHECKED_BY_STAFF = ("phones",)


def update_own_profile(member: Member, *, data: Mapping[str, Any], actor) -> tuple[Member, bool]:
    """A member corrects her own details (only ``SELF_EDITABLE`` ones); a new phone number is queued
    for staff (``ProfileChange``) whether or not another member has it. Returns her record and
    whether a change was queued (the same answer either way)."""
    if getattr(actor, "pk", None) is None or member.user_id != actor.pk:
        raise PermissionDenied()
    data = {k: v for k, v in data.items() if k in SELF_EDITABLE}
    checked = {k: data.pop(k) for k in CHECKED_BY_STAFF if k in data}
    organization = Organization.objects.get(pk=member.organization_id)
    requested = clean_member(organization, {"country": member.country.code, **checked}, partial=True).pii
    member = _update(member, data=data, actor=actor, status_on=None)
    with transaction.atomic():
        member = Member.objects.select_for_update().select_related("subject_key").get(pk=member.pk)
        pii = vault.open_sealed(member.subject_key, member.pii, purpose=PII_PURPOSE)
        wanted = {name: value for name, value in requested.items() if pii.get(name) != value}
        if not wanted:
            return member, False
        sealed = vault.seal(member.subject_key, wanted, purpose=PII_PURPOSE)
        change, _created = ProfileChange.objects.update_or_create(
            organization_id=member.organization_id,
            member=member,
            status=ProfileChange.Status.OPEN,
            defaults={"sealed": sealed},
        )
        audit.record(
            "member.change_requested",
            actor=actor,
            organization=member.organization_id,
            obj=member,
            metadata={"change_id": change.pk, "fields": sorted(f"pii.{name}" for name in wanted)},
        )
    return member, True


def requested_values(change: ProfileChange) -> dict:
    """What she asked for (read by staff reviewing the change, on her audited profile page)."""
    return vault.open_sealed(change.member.subject_key, change.sealed, purpose=PII_PURPOSE)


def decide_profile_change(change: ProfileChange, *, apply: bool, actor) -> ProfileChange:
    """Staff apply what she asked for (checked like any edit of theirs: a number another member has
    is refused, with the reason, to staff) or dismiss it."""
    tenancy.require_role(actor, change.organization_id, STAFF_ROLES)
    with transaction.atomic():
        change = (
            ProfileChange.objects.select_for_update(of=("self",))
            .select_related("member__subject_key")
            .get(pk=change.pk)
        )
        if change.status != ProfileChange.Status.OPEN:
            return change
        if apply:
            update_member(change.member, data=requested_values(change), actor=actor)
        change.status = ProfileChange.Status.APPLIED if apply else ProfileChange.Status.DISMISSED
        change.decided_by, change.decided_at = actor, timezone.now()
        change.save(update_fields=["status", "decided_by", "decided_at"])
        audit.record(
            "member.change_applied" if apply else "member.change_dismissed",
            actor=actor,
            organization=change.organization_id,
            obj=change.member,
            metadata={"change_id": change.pk},
        )
    return change


def _update(member: Member, *, data: Mapping[str, Any], actor, status_on: date | None) -> Member:
    organization = Organization.objects.get(pk=member.organization_id)
    clean = clean_member(organization, {"country": member.country.code, **data}, partial=True)
    with transaction.atomic():
        member = Member.objects.select_for_update().select_related("subject_key").get(pk=member.pk)
        changed = sorted(name for name, value in clean.fields.items() if getattr(member, name) != value)
        for name in changed:
            setattr(member, name, clean.fields[name])
        if clean.group_name is not None:
            group = _group(member.organization_id, clean.group_name)
            if member.group_id != (group.pk if group else None):
                member.group = group
                changed.append("group")
        pii_changed = []
        if clean.pii:
            pii = vault.open_sealed(member.subject_key, member.pii, purpose=PII_PURPOSE)
            pii_changed = sorted(name for name, value in clean.pii.items() if pii.get(name) != value)
            if pii_changed:
                pii.update(clean.pii)
                digests = _digests(member.organization_id, pii)
                duplicate = _certain_duplicates(member.organization_id, digests, exclude=member.pk)
                if duplicate:
                    raise duplicate
                member.pii = vault.seal(member.subject_key, pii, purpose=PII_PURPOSE)
                MemberIdentifier.objects.filter(member=member).delete()
                MemberIdentifier.objects.bulk_create(
                    MemberIdentifier(organization_id=member.organization_id, member=member, kind=k, digest=d)
                    for k, d in digests
                )
        if not changed and not pii_changed:
            return member
        member.save()
        if "status" in changed:
            StatusChange.objects.create(
                organization_id=member.organization_id,
                member=member,
                status=member.status,
                changed_on=status_on or timezone.localdate(),
                recorded_by=actor,
            )
        audit.record(
            "member.updated",
            actor=actor,
            organization=member.organization_id,
            obj=member,
            metadata={"fields": changed + [f"pii.{name}" for name in pii_changed]},
        )
    return member
