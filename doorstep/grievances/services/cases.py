"""Grievance cases: ``clean_case()`` (the validator pages and API share), opening, changing and
moving a case on, and the audited reads of its summary and narrative, sealed under the case's key."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core import audit, inputs, tenancy, vault
from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.roles import STAFF_ROLES
from doorstep.members.models import Member
from doorstep.organizations.models import Organization, RoleAssignment, User
from doorstep.supplychains.models import Party
from doorstep.work.models import WorkOrder

from ..models import FINISHED, Case, CaseKind, CaseStatus, Category, Priority, Source
from . import sharing
from ._common import _ids

CASE_PURPOSE = "grievance.case"


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
    if clean.members is not None:
        errors = sharing.check_new_members(case, clean.members)
        if errors:
            raise ValidationError(message=_("The case is not saved."), errors=errors)
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
