"""Numbered receipts for dues payments: 1, 2, 3… per organization, never reused, one per payment.
Issuing again gives the receipt already issued."""

from django.db import transaction
from django.db.models import Max

from doorstep.core import audit, tenancy
from doorstep.core.roles import STAFF_ROLES
from doorstep.members.models import DuesPayment
from doorstep.organizations.models import Organization

from ..models import DuesReceipt


def issue_receipt(payment: DuesPayment, *, actor) -> DuesReceipt:
    tenancy.require_role(actor, payment.organization_id, STAFF_ROLES)
    with transaction.atomic():
        # The organization's row serializes the numbering: two receipts issued at once get two numbers.
        Organization.objects.select_for_update().get(pk=payment.organization_id)
        existing = DuesReceipt.objects.filter(payment=payment).first()
        if existing is not None:
            return existing
        last = DuesReceipt.objects.filter(organization_id=payment.organization_id).aggregate(n=Max("number"))[
            "n"
        ]
        receipt = DuesReceipt.objects.create(
            organization_id=payment.organization_id, payment=payment, number=(last or 0) + 1, issued_by=actor
        )
        audit.record(
            "governance.receipt_issued",
            actor=actor,
            organization=payment.organization_id,
            obj=receipt,
            metadata={"payment_id": payment.pk, "number": receipt.number},
        )
    return receipt
