"""Her rights over her work orders, registered with ``core.rights`` (``work.apps``): the export of
her orders and their entries (voided orders and reversals included, marked as such), her erasure
(the one deliberate deletion of records of money), and the move of her orders to the record that
stays when two records of one woman are merged."""

from datetime import date
from decimal import Decimal

from doorstep.members.models import Member

from .. import derive as derivation
from ..models import WorkOrder
from .figures import recompute
from .validation import ENTRY_KINDS, ORDER_FIELDS, _entry_raw


def _jsonable(value):
    if isinstance(value, date | Decimal):
        return str(value)
    return value


def export_sections(member: Member) -> dict[str, list[dict]]:
    """Her work orders and, in sections of their own, their entries (registered with core.rights):
    voided orders and reversals included, marked as such."""
    sections: dict[str, list[dict]] = {"work_orders": [], **{kind: [] for kind in ENTRY_KINDS}}
    orders = WorkOrder.objects.filter(member=member).select_related("party").order_by("given_on", "pk")
    for order in orders:
        row = {"order": order.pk, **{name: _jsonable(getattr(order, name)) for name in ORDER_FIELDS}}
        row["party"] = order.party.name
        row.update({name: _jsonable(getattr(order, name)) for name in derivation.DERIVED_FIELDS})
        row["voided"] = order.voided_at is not None
        row["voided_at"] = order.voided_at.isoformat() if order.voided_at else None
        row["void_reason"] = order.void_reason
        sections["work_orders"].append(row)
        for kind in ENTRY_KINDS:
            for entry in getattr(order, kind).all():
                values = {k: _jsonable(v) for k, v in _entry_raw(kind, entry).items()}
                sections[kind].append(
                    {
                        "order": order.pk,
                        "id": entry.pk,
                        **values,
                        "reverses": entry.reverses_id,
                        "reversal_reason": entry.reversal_reason,
                        "recorded_at": entry.recorded_at.isoformat() if entry.recorded_at else None,
                    }
                )
    return sections


def erase_rows(member: Member) -> None:
    WorkOrder.objects.filter(member=member).delete()


def move_orders(source: Member, target: Member) -> None:
    """Merging two records of one woman: her orders go with the record that stays (and are measured
    against the benchmark of that record's place)."""
    ids = list(WorkOrder.objects.filter(member=source).values_list("pk", flat=True))
    WorkOrder.objects.filter(pk__in=ids).update(member=target)
    recompute(order_ids=ids)
