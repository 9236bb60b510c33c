"""Many orders at once: quick entry (one product and one work giver for many members, each with her
quantity; all or nothing) and an import's batch of checked orders, written with their entries
inside the import's transaction."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core import audit, tenancy
from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.roles import STAFF_ROLES
from doorstep.organizations.models import Organization

from ..models import WorkOrder
from .figures import recompute
from .validation import ENTRY_KINDS, ENTRY_MODELS, CleanOrder, clean_order


def create_batch(
    organization: Organization, *, common: Mapping[str, Any], quantities: Mapping[int, Any], actor
) -> list[WorkOrder]:
    """Quick entry: one product, one party, many members, each with her quantity. All or nothing;
    errors name the member's row (``members.<member id>.quantity_ordered``)."""
    tenancy.require_role(actor, organization, STAFF_ROLES)
    wanted = {member_id: q for member_id, q in quantities.items() if str(q or "").strip()}
    if not wanted:
        raise ValidationError.for_field(
            "members", _("Give a quantity for at least one member."), code="required"
        )
    cleans, errors = [], []
    for member_id, quantity in wanted.items():
        try:
            cleans.append(
                clean_order(organization, {**common, "member": member_id, "quantity_ordered": quantity})
            )
        except ValidationError as problem:
            for error in problem.errors:
                name = (
                    f"members.{member_id}.{error.field}"
                    if error.field in ("member", "quantity_ordered")
                    else error.field
                )
                if all(e.field != name or e.message != error.message for e in errors):
                    errors.append(FieldError(name, error.message))
    if errors:
        raise ValidationError(message=_("The batch is not recorded; nothing was saved."), errors=errors)
    with transaction.atomic():
        orders = WorkOrder.objects.bulk_create(
            WorkOrder(
                organization=organization, member=c.member, party=c.party, recorded_by=actor, **c.fields
            )
            for c in cleans
        )
        recompute(order_ids=[o.pk for o in orders])
        audit.record(
            "work_order.batch_created",
            actor=actor,
            organization=organization,
            object_type="work.workorder",
            metadata={"order_ids": [o.pk for o in orders]},
        )
    return orders


def create_orders_bulk(
    organization: Organization, cleans: list[CleanOrder], *, actor, source: str
) -> list[int]:
    """Write checked orders and their entries (an import batch) inside the caller's transaction."""
    tenancy.require_role(actor, organization, STAFF_ROLES)
    orders = WorkOrder.objects.bulk_create(
        WorkOrder(organization=organization, member=c.member, party=c.party, recorded_by=actor, **c.fields)
        for c in cleans
    )
    now = timezone.now()
    for kind in ENTRY_KINDS:
        model = ENTRY_MODELS[kind]
        model.objects.bulk_create(
            model(organization=organization, order=order, recorded_by=actor, recorded_at=now, **row)
            for order, c in zip(orders, cleans, strict=True)
            for row in c.entries[kind]
        )
    ids = [o.pk for o in orders]
    recompute(order_ids=ids)
    audit.record(
        "work_order.imported",
        actor=actor,
        organization=organization,
        object_type="work.workorder",
        metadata={"source": source, "order_ids": ids},
    )
    return ids
