"""Requests to join a network: asked by an organization's admin, approved or declined by the
network's (approval starts the affiliation), or withdrawn. Every step is audited."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core import audit, tenancy
from doorstep.core.errors import ValidationError
from doorstep.core.roles import ADMIN_ROLES
from doorstep.organizations.models import Affiliation, Organization
from doorstep.organizations.services import add_affiliation

from ..models import AffiliationRequest
from ._common import _names


def request_affiliation(organization: Organization, *, network: Organization, message: str, actor):
    """The organization's admin asks ``network`` to take it in."""
    tenancy.require_role(actor, organization, ADMIN_ROLES)
    if not network.is_network or not network.is_active:
        raise ValidationError.for_field("network", _("Only an active network can take affiliates."))
    if network.pk == organization.pk:
        raise ValidationError.for_field("network", _("An organization cannot join itself."))

    if Affiliation.objects.filter(member=organization, network=network, until__isnull=True).exists():
        raise ValidationError.for_field(
            "network", _("%(organization)s is already in %(network)s.") % _names(organization, network)
        )
    try:
        with transaction.atomic():
            request = AffiliationRequest.objects.create(
                organization=organization, network=network, message=message.strip(), requested_by=actor
            )
    except IntegrityError:
        raise ValidationError.for_field(
            "network",
            _("%(organization)s has already asked to join %(network)s.") % _names(organization, network),
            code="already_requested",
        ) from None
    audit.record(
        "affiliation.requested",
        actor=actor,
        organization=organization,
        obj=request,
        metadata={"network_id": network.pk},
    )
    return request


def _check_pending(request: AffiliationRequest) -> None:
    if request.status != AffiliationRequest.Status.PENDING:
        raise ValidationError(
            message=_("This request has already been answered (%(status)s).")
            % {"status": request.get_status_display()},
            code="already_decided",
        )


def decide_request(request: AffiliationRequest, *, approve: bool, answer: str = "", actor):
    """The network's admin approves (the affiliation starts today) or declines a request."""
    tenancy.require_role(actor, request.network, ADMIN_ROLES)
    with transaction.atomic():
        request = AffiliationRequest.objects.select_for_update().get(pk=request.pk)
        _check_pending(request)
        if approve:
            add_affiliation(member=request.organization, network=request.network, requested=True, actor=actor)
        request.status = AffiliationRequest.Status.APPROVED if approve else AffiliationRequest.Status.DECLINED
        request.answer = answer.strip()
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "answer", "decided_by", "decided_at"])
        audit.record(
            "affiliation.request_decided",
            actor=actor,
            organization=request.network,
            obj=request,
            metadata={"status": request.status, "organization_id": request.organization_id},
        )
    return request


def withdraw_request(request: AffiliationRequest, *, actor):
    tenancy.require_role(actor, request.organization, ADMIN_ROLES)
    with transaction.atomic():
        request = AffiliationRequest.objects.select_for_update().get(pk=request.pk)
        _check_pending(request)
        request.status = AffiliationRequest.Status.WITHDRAWN
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "decided_by", "decided_at"])
        audit.record(
            "affiliation.request_withdrawn", actor=actor, organization=request.organization, obj=request
        )
    return request
