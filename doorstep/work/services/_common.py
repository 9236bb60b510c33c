"""What orders and entries share: the order locked for the length of a change, the refusal to
change a voided order, and the reason a correction or a void must give."""

from django.utils.translation import gettext as _

from doorstep.core.errors import ValidationError

from ..models import WorkOrder


def _clean_reason(reason, name: str = "reason") -> str:
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise ValidationError.for_field(
            name, _("Say why, e.g. typed 1000 instead of 100, or recorded twice."), code="required"
        )
    if len(reason) > 300:
        raise ValidationError.for_field(name, _("Say why in at most 300 characters."), code="too_long")
    return reason


def _not_voided(order: WorkOrder) -> None:
    if order.voided_at is not None:
        raise ValidationError.for_field(
            "order", _("This order is voided; it cannot be changed."), code="order_voided"
        )


def _locked(order: WorkOrder) -> WorkOrder:
    """The order, locked until the transaction ends: two changes to one order (two organizers, a
    phone retrying) are checked and recomputed one after the other, never against a stale order."""
    return WorkOrder.objects.select_for_update().get(pk=order.pk)
