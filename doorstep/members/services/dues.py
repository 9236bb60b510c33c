"""Dues payments: an amount in a currency for a period, paid on a date (audited)."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core import audit, tenancy
from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.roles import STAFF_ROLES

from ..models import DuesPayment, Member


def record_dues(member: Member, *, period: str, amount, currency: str, paid_on: date, actor) -> DuesPayment:
    tenancy.require_role(actor, member.organization_id, STAFF_ROLES)
    errors = []
    try:
        amount = Decimal(str(amount))
        if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
            raise InvalidOperation
        amount = amount.quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        errors.append(
            FieldError("amount", _("Give an amount above zero with at most two decimals, e.g. 50 or 12.50."))
        )
    if not re.fullmatch(r"[A-Z]{3}", str(currency or "")):
        errors.append(
            FieldError("currency", _("Give the currency as its three-letter code, e.g. INR or KES."))
        )
    if not str(period or "").strip():
        errors.append(FieldError("period", _("Say which period the dues are for, e.g. 2026.")))
    if paid_on and paid_on > timezone.localdate():
        errors.append(FieldError("paid_on", _("The payment date cannot be in the future.")))
    if errors:
        raise ValidationError(message=_("The dues payment could not be recorded."), errors=errors)
    with transaction.atomic():
        payment = DuesPayment.objects.create(
            organization_id=member.organization_id,
            member=member,
            period=str(period).strip()[:20],
            amount=amount,
            currency=currency,
            paid_on=paid_on,
            recorded_by=actor,
        )
        audit.record(
            "member.dues_recorded",
            actor=actor,
            organization=member.organization_id,
            obj=payment,
            metadata={"member_id": member.pk},
        )
    return payment
