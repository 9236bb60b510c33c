"""Work orders recorded, changed and voided. An order recorded or changed is written with its derived
figures in the same transaction, so that nothing is ever half-written.

Money is never deleted (DESIGN.md §3, ``work.models``): ``update_order()`` reverses the entries a new
list leaves out or changes and adds the new ones (``entries``); ``void_order()`` keeps an order out
of the figures without removing it.
"""

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core import audit, tenancy
from doorstep.core.roles import STAFF_ROLES
from doorstep.organizations.models import Organization

from ..models import WorkOrder
from ._common import _clean_reason, _locked, _not_voided
from .entries import _insert_entries, _reversals
from .figures import recompute
from .validation import ENTRY_KINDS, ENTRY_VALUES, clean_order, order_as_raw, standing_entries


def _same(kind: str, entry, row: dict) -> bool:
    """Whether a standing entry has the values of a clean row."""
    for name in ENTRY_VALUES[kind]:
        if name == "paid_by":
            if entry.paid_by_id != (row["paid_by"].pk if row["paid_by"] else None):
                return False
        elif getattr(entry, name) != row[name]:
            return False
    return True


def create_order(organization: Organization, *, data: Mapping[str, Any], actor) -> WorkOrder:
    tenancy.require_role(actor, organization, STAFF_ROLES)
    clean = clean_order(organization, data)
    with transaction.atomic():
        order = WorkOrder.objects.create(
            organization=organization,
            member=clean.member,
            party=clean.party,
            recorded_by=actor,
            **clean.fields,
        )
        for kind in ENTRY_KINDS:
            _insert_entries(order, kind, clean.entries[kind], actor)
        recompute(order_ids=[order.pk])
        audit.record("work_order.created", actor=actor, organization=organization, obj=order)
    order.refresh_from_db()
    return order


def update_order(order: WorkOrder, *, data: Mapping[str, Any], actor, reason: str = "") -> WorkOrder:
    """Change an order's fields (those given). A list of entries given becomes what stands: entries
    it repeats stay as they are, those it leaves out or changes are reversed (with ``reason``, or
    "changed with the order" when none is given) and the new or changed ones are added."""
    tenancy.require_role(actor, order.organization_id, STAFF_ROLES)
    organization = Organization.objects.get(pk=order.organization_id)
    why = _clean_reason(reason) if reason else _("Changed with the order")
    with transaction.atomic():
        locked = _locked(order)
        _not_voided(locked)
        candidate = {**order_as_raw(locked), **data}
        clean = clean_order(organization, candidate)
        WorkOrder.objects.filter(pk=order.pk).update(
            member=clean.member, party=clean.party, updated_at=timezone.now(), **clean.fields
        )
        changes: dict[str, list[int]] = {}
        for kind in ENTRY_KINDS:
            if kind not in data:
                continue
            unmatched = list(standing_entries(order, kind).order_by("pk"))
            new_rows = []
            for row in clean.entries[kind]:
                same = next((e for e in unmatched if _same(kind, e, row)), None)
                if same is None:
                    new_rows.append(row)
                else:
                    unmatched.remove(same)
            reversed_ = _reversals(kind, unmatched, reason=why, actor=actor)
            added = _insert_entries(order, kind, new_rows, actor)
            if reversed_ or added:
                changes[f"{kind}_reversed"] = [e.pk for e in unmatched]
                changes[f"{kind}_reversals"] = [e.pk for e in reversed_]
                changes[f"{kind}_added"] = [e.pk for e in added]
        recompute(order_ids=[order.pk])
        audit.record(
            "work_order.updated",
            actor=actor,
            organization=order.organization_id,
            obj=order,
            metadata={"fields": sorted(data), **changes, "reason_length": len(reason or "")},
        )
    order.refresh_from_db()
    return order


def void_order(order: WorkOrder, *, reason: str, actor) -> WorkOrder:
    """Void an order (recorded by mistake, twice…): it is kept, with who voided it, when and why,
    and left out of every figure from now on (the analytics engine's next refresh included)."""
    tenancy.require_role(actor, order.organization_id, STAFF_ROLES)
    reason = _clean_reason(reason)
    with transaction.atomic():
        _not_voided(_locked(order))
        now = timezone.now()
        WorkOrder.objects.filter(pk=order.pk).update(
            voided_at=now, voided_by=actor, void_reason=reason, updated_at=now
        )
        audit.record(
            "work_order.voided",
            actor=actor,
            organization=order.organization_id,
            obj=order,
            metadata={"reason_length": len(reason)},
        )
    order.refresh_from_db()
    return order
