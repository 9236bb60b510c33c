"""Remedies: what a case won (money with its currency, settling some of its orders; orders restored;
rates raised), checked by ``clean_remedy()``; the description is sealed under the case's key."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core import audit, inputs, money, tenancy, vault
from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.roles import STAFF_ROLES
from doorstep.work.models import WorkOrder

from ..models import Case, Remedy, RemedyKind
from ._common import _ids

REMEDY_PURPOSE = "grievance.remedy"


def clean_remedy(case: Case, raw: Mapping[str, Any]) -> tuple[dict, dict, list[WorkOrder]]:
    errors: list[FieldError] = []
    kind = inputs.choice(raw.get("kind"), "kind", RemedyKind, errors, required=True)
    received = inputs.date_value(raw.get("received_on"), "received_on", errors) or timezone.localdate()
    if received > timezone.localdate():
        errors.append(FieldError("received_on", _("Record a remedy once it is won, not before.")))
    amount, currency = None, ""
    if kind == RemedyKind.MONEY or str(raw.get("amount") or "").strip():
        amount = money.decimal(
            raw.get("amount"), "amount", errors, required=kind == RemedyKind.MONEY, positive=True
        )
        currency = money.currency(raw.get("currency") or "", "currency", errors)
    ids = _ids(raw.get("orders"))
    orders = list(case.orders.filter(pk__in=ids))
    if len(orders) != len(set(ids)):
        errors.append(FieldError("orders", _("Link only orders of this case.")))
    description = str(raw.get("description") or "").strip()
    if len(description) > 5000:
        errors.append(
            FieldError("description", _("Keep this under %(limit)s characters.") % {"limit": "5,000"})
        )
    if kind and kind != RemedyKind.MONEY and not description:
        errors.append(FieldError("description", _("Say what was won.")))
    if errors:
        raise ValidationError(message=_("The remedy is not saved."), errors=errors)
    return (
        {"kind": kind, "amount": amount, "currency": currency, "received_on": received},
        {"description": description},
        orders,
    )


def add_remedy(case: Case, raw: Mapping[str, Any], *, actor) -> Remedy:
    """Record what was won (money with its currency, settling some of the case's orders; orders
    restored; rates raised; something else)."""
    tenancy.require_role(actor, case.organization_id, STAFF_ROLES)
    fields, sealed, orders = clean_remedy(case, raw)
    with transaction.atomic():
        remedy = Remedy.objects.create(
            organization_id=case.organization_id,
            case=case,
            recorded_by=actor,
            sealed=vault.seal(case.subject_key, sealed, purpose=REMEDY_PURPOSE),
            **fields,
        )
        remedy.orders.set(orders)
        audit.record(
            "grievance.remedy",
            actor=actor,
            organization=case.organization_id,
            obj=remedy,
            metadata={"case_id": case.pk, "kind": remedy.kind, "currency": remedy.currency},
        )
    return remedy
