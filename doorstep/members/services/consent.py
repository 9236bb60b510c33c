"""Consent per purpose, kept as a history of events: given or withdrawn, from a date, and how (audited).
Being named to a company is given for one company at a time: the event names it."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core import audit, tenancy
from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.roles import STAFF_ROLES
from doorstep.organizations.models import Organization

from ..models import ConsentEvent, ConsentMethod, Member, Purpose


def record_consent(
    member: Member,
    *,
    purpose: str,
    given: bool,
    effective_on: date,
    method: str,
    actor,
    company_id: int | None = None,
) -> ConsentEvent:
    tenancy.require_role(actor, member.organization_id, STAFF_ROLES)
    errors = []
    if purpose not in Purpose.values:
        errors.append(FieldError("purpose", _("Unknown purpose.")))
    company = None
    if purpose == Purpose.COMPANY_IDENTITY:
        company = Organization.objects.filter(
            pk=company_id or 0, kind=Organization.Kind.COMPANY, is_active=True
        ).first()
        if company is None:
            errors.append(FieldError("company_id", _("Say which company may know her name.")))
    elif company_id:
        errors.append(
            FieldError("company_id", _("Only consent to being named to a company names a company."))
        )
    if method not in ConsentMethod.values:
        errors.append(FieldError("method", _("Say how consent was given: on paper, verbally or digitally.")))
    if effective_on > timezone.localdate():
        errors.append(FieldError("effective_on", _("Consent cannot be recorded for a future date.")))
    if errors:
        raise ValidationError(message=_("The consent could not be recorded."), errors=errors)
    with transaction.atomic():
        event = ConsentEvent.objects.create(
            organization_id=member.organization_id,
            member=member,
            purpose=purpose,
            company=company,
            given=given,
            effective_on=effective_on,
            method=method,
            recorded_by=actor,
        )
        audit.record(
            "member.consent_given" if given else "member.consent_withdrawn",
            actor=actor,
            organization=member.organization_id,
            obj=event,
            metadata={
                "member_id": member.pk,
                "purpose": purpose,
                **({"company_id": company.pk} if company else {}),
            },
        )
    return event


def withdraw_by_text(member: Member) -> ConsentEvent:
    """She texted STOP: her consent to be contacted ends today, recorded with method ``sms`` (no
    staff member acted; the channel's token and her number's digest identified her)."""
    with transaction.atomic():
        event = ConsentEvent.objects.create(
            organization_id=member.organization_id,
            member=member,
            purpose=Purpose.CONTACT,
            given=False,
            effective_on=timezone.localdate(),
            method=ConsentMethod.SMS,
        )
        audit.record(
            "member.consent_withdrawn",
            organization=member.organization_id,
            obj=event,
            metadata={"member_id": member.pk, "purpose": Purpose.CONTACT, "method": ConsentMethod.SMS},
        )
    return event
