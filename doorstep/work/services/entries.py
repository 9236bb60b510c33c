"""An order's entries (deliveries, payments, deductions, costs, helpers' hours): one added, checked
against the whole order, and one corrected. An entry is written with the order's figures worked out
again in the same transaction, so nothing is ever half-written.

Money is never deleted (DESIGN.md §3, ``work.models``): ``reverse_entry()`` corrects an entry with a
reversing one, which carries its values with those that count negated and says who recorded it,
when and why. ``orders.update_order()`` writes a changed order's entries with the same two helpers,
``_insert_entries()`` and ``_reversals()``.
"""

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core import audit, tenancy
from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.roles import STAFF_ROLES
from doorstep.organizations.models import Organization

from ..models import WorkOrder
from ._common import _clean_reason, _locked, _not_voided
from .figures import recompute
from .validation import ENTRY_KINDS, ENTRY_MODELS, ENTRY_VALUES, clean_order, order_as_raw

# The values of an entry that a reversal negates, by kind.
NEGATED = {
    "deliveries": ("quantity", "rejected"),
    "payments": ("amount",),
    "deductions": ("amount",),
    "costs": ("amount",),
    "helpers": ("hours",),
}


def _insert_entries(order: WorkOrder, kind: str, rows: list[dict], actor) -> list:
    model = ENTRY_MODELS[kind]
    now = timezone.now()
    return model.objects.bulk_create(
        model(organization_id=order.organization_id, order=order, recorded_by=actor, recorded_at=now, **row)
        for row in rows
    )


def _reversals(kind: str, entries: list, *, reason: str, actor) -> list:
    """Write the reversal of each entry: its values, those that count negated."""
    model = ENTRY_MODELS[kind]
    now = timezone.now()
    rows = []
    for entry in entries:
        values = {name: getattr(entry, name) for name in ENTRY_VALUES[kind] if name != "paid_by"}
        if kind == "payments":
            values["paid_by_id"] = entry.paid_by_id
        for name in NEGATED[kind]:
            values[name] = -values[name]
        rows.append(
            model(
                organization_id=entry.organization_id,
                order_id=entry.order_id,
                reverses=entry,
                reversal_reason=reason,
                recorded_by=actor,
                recorded_at=now,
                **values,
            )
        )
    return model.objects.bulk_create(rows)


def add_entry(order: WorkOrder, kind: str, *, data: Mapping[str, Any], actor):
    """Add a delivery, payment, deduction, cost or helper, checked against the whole order."""
    tenancy.require_role(actor, order.organization_id, STAFF_ROLES)
    if kind not in ENTRY_KINDS:
        raise ValidationError.for_field("kind", _("Unknown kind of entry."))
    organization = Organization.objects.get(pk=order.organization_id)
    with transaction.atomic():
        locked = _locked(order)
        _not_voided(locked)
        candidate = order_as_raw(locked)
        candidate[kind] = [*candidate[kind], dict(data)]
        try:
            clean = clean_order(organization, candidate)
        except ValidationError as problem:
            # Name the new entry's fields without its list position, as the form that sent it does.
            prefix = f"{kind}.{len(candidate[kind]) - 1}."
            raise ValidationError(
                message=problem.message,
                errors=[FieldError(e.field.removeprefix(prefix), e.message) for e in problem.errors],
            ) from None
        (entry,) = _insert_entries(order, kind, clean.entries[kind][-1:], actor)
        WorkOrder.objects.filter(pk=order.pk).update(updated_at=timezone.now())
        recompute(order_ids=[order.pk])
        audit.record(
            f"work_order.{kind}_added",
            actor=actor,
            organization=order.organization_id,
            obj=order,
            metadata={"entry_id": entry.pk},
        )
    order.refresh_from_db()
    return entry


def reverse_entry(order: WorkOrder, kind: str, entry_id: int, *, reason: str, actor):
    """Correct an entry: record its reversal (who, when, why) and work the figures out again. An
    entry is reversed once; a reversal is not reversed (record a new entry instead)."""
    tenancy.require_role(actor, order.organization_id, STAFF_ROLES)
    if kind not in ENTRY_KINDS:
        raise ValidationError.for_field("kind", _("Unknown kind of entry."))
    reason = _clean_reason(reason)
    with transaction.atomic():
        _not_voided(_locked(order))
        entry = ENTRY_MODELS[kind].objects.filter(order=order, pk=entry_id).first()
        if entry is None:
            raise Http404
        if entry.is_reversal:
            raise ValidationError.for_field(
                "entry", _("A correction cannot be reversed; record a new entry instead."), code="is_reversal"
            )
        if entry.reversals.exists():
            raise ValidationError.for_field(
                "entry", _("This entry is already reversed."), code="already_reversed"
            )
        (reversal,) = _reversals(kind, [entry], reason=reason, actor=actor)
        WorkOrder.objects.filter(pk=order.pk).update(updated_at=timezone.now())
        recompute(order_ids=[order.pk])
        audit.record(
            f"work_order.{kind}_reversed",
            actor=actor,
            organization=order.organization_id,
            obj=order,
            metadata={"entry_id": entry.pk, "reversal_id": reversal.pk, "reason_length": len(reason)},
        )
    order.refresh_from_db()
    return reversal
