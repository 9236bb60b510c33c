"""Escalation to a company: sharing a case under a live agreement and the consent of its members, what
the company may see of it, and the company's replies and commitments."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core import audit, tenancy, vault
from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.roles import STAFF_ROLES, Role
from doorstep.members.models import Purpose
from doorstep.members.queries import consenting_members
from doorstep.members.services.pii import names_shown_with_consent
from doorstep.organizations.models import Organization, SharingPurpose
from doorstep.organizations.queries import recipient_ids
from doorstep.supplychains import services as chain_services

from .. import queries
from ..models import Case, CaseShare, CompanyReply

SHARE_PURPOSE = "grievance.share"


REPLY_PURPOSE = "grievance.reply"


def companies_for_cases(organization) -> list:
    """The companies this organization shares grievances with today (a live agreement for a company's
    due diligence that lists grievances)."""
    ids = recipient_ids(organization, SharingPurpose.COMPANY_DUE_DILIGENCE, "grievances")
    return list(
        Organization.objects.filter(pk__in=ids, kind=Organization.Kind.COMPANY, is_active=True).order_by(
            "name"
        )
    )


def share_case(case: Case, company: Organization, raw: Mapping[str, Any], *, actor):
    """Show a case to a company. Needs a live agreement with it covering grievances, and the consent
    of every member named on the case to sharing a case with a company; showing who she is needs
    her explicit agreement besides (``show_identity``)."""
    tenancy.require_role(actor, case.organization_id, STAFF_ROLES)
    errors: list[FieldError] = []
    if company not in companies_for_cases(case.organization):
        errors.append(
            FieldError(
                "company", _("Your organization has no agreement in force to share cases with this company.")
            )
        )
    members = list(case.members.all())
    if members:
        consenting = set(
            consenting_members([case.organization_id], Purpose.COMPANY_CASE, timezone.localdate())
            .filter(pk__in=[m.pk for m in members])
            .values_list("pk", flat=True)
        )
        missing = sorted(m.number for m in members if m.pk not in consenting)
        if missing:
            errors.append(
                FieldError(
                    "members",
                    _("These members have not agreed to a case being shared with a company: %(numbers)s.")
                    % {"numbers": ", ".join(f"#{n}" for n in missing)},
                )
            )
    message = str(raw.get("message") or "").strip()
    if len(message) > 5000:
        errors.append(FieldError("message", _("Keep this under %(limit)s characters.") % {"limit": "5,000"}))
    show_identity = str(raw.get("show_identity") or "").lower() in ("1", "true", "on", "yes")
    if show_identity and not members:
        errors.append(
            FieldError("show_identity", _("There is no named member whose identity could be shown."))
        )
    if case.shares.filter(company=company, withdrawn_at__isnull=True).exists():
        errors.append(FieldError("company", _("This case is already shared with this company.")))
    if errors:
        raise ValidationError(message=_("The case is not shared."), errors=errors)
    with transaction.atomic():
        share, _created = CaseShare.objects.update_or_create(
            case=case,
            company=company,
            defaults={
                "organization_id": case.organization_id,
                "sealed_message": vault.seal(case.subject_key, {"message": message}, purpose=SHARE_PURPOSE),
                "show_identity": show_identity,
                "shared_by": actor,
                "withdrawn_at": None,
            },
        )
        audit.record(
            "grievance.shared",
            actor=actor,
            organization=case.organization_id,
            obj=share,
            metadata={"case_id": case.pk, "company_id": company.pk, "show_identity": show_identity},
        )
    return share


def withdraw_share(share, *, actor) -> None:
    tenancy.require_role(actor, share.organization_id, STAFF_ROLES)
    with transaction.atomic():
        share.withdrawn_at = timezone.now()
        share.save(update_fields=["withdrawn_at"])
        audit.record("grievance.share_withdrawn", actor=actor, organization=share.organization_id, obj=share)


@dataclass
class CompanyView:
    """A shared case as the company may see it: no summary, narrative, outcome or note written for
    the organization itself; the members' names only where she agreed to be known."""

    share: Any
    message: str
    owed: dict
    steps: list[dict]
    names: list[str]


def company_view(share, *, actor) -> CompanyView:
    """What the company sees of a shared case (read by a company user; audited for the organization)."""
    case = share.case
    key = case.subject_key
    steps = [{"on": case.opened_on, "kind": "opened", "label": _("Case taken up")}]
    steps += [
        {"on": a.happened_on, "kind": "action", "label": a.get_kind_display()} for a in case.actions.all()
    ]
    steps += [
        {
            "on": r.received_on,
            "kind": "remedy",
            "label": r.get_kind_display(),
            "amount": r.amount,
            "currency": r.currency,
        }
        for r in case.remedies.all()
    ]
    steps += [
        {
            "on": timezone.localtime(r.created_at).date(),
            "kind": "reply",
            "label": r.company.name,
            "text": vault.open_sealed(key, bytes(r.sealed), purpose=REPLY_PURPOSE).get("text", ""),
        }
        for r in case.replies.filter(company=share.company).select_related("company")
    ]
    steps += [
        {
            "on": timezone.localtime(c.created_at).date(),
            "kind": "commitment",
            "label": c.get_status_display(),
            "text": c.action,
            "owner": c.owner,
            "deadline": c.deadline,
        }
        for c in case.commitments.filter(company=share.company)
    ]
    if case.finished_on:
        steps.append({"on": case.finished_on, "kind": "finished", "label": case.get_status_display()})
    steps.sort(key=lambda s: s["on"])
    names = []
    if share.show_identity:
        members = list(case.members.select_related("subject_key"))
        shown = names_shown_with_consent(
            members, actor=actor, reason=f"case shared with company {share.company_id}"
        )
        names = [shown[m.pk] for m in members]
    audit.record(
        "grievance.company_read",
        actor=actor,
        organization=case.organization_id,
        obj=share,
        metadata={"case_id": case.pk, "company_id": share.company_id, "identity": share.show_identity},
    )
    message = vault.open_sealed(key, bytes(share.sealed_message), purpose=SHARE_PURPOSE).get("message", "")
    return CompanyView(share, message, queries.owed(case), steps, names)


def company_reply(share, text: str, *, actor):
    _require_company_user(share, actor)
    text = str(text or "").strip()
    if not text:
        raise ValidationError.for_field("text", _("Write your answer."))
    if len(text) > 5000:
        raise ValidationError.for_field(
            "text", _("Keep this under %(limit)s characters.") % {"limit": "5,000"}
        )
    case = share.case
    with transaction.atomic():
        reply = CompanyReply.objects.create(
            organization_id=case.organization_id,
            case=case,
            company=share.company,
            author=actor,
            sealed=vault.seal(case.subject_key, {"text": text}, purpose=REPLY_PURPOSE),
        )
        Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
        for owner in (case.organization_id, share.company_id):
            audit.record(
                "grievance.company_reply",
                actor=actor,
                organization=owner,
                obj=reply,
                metadata={"case_id": case.pk},
            )
    return reply


def company_commitment(share, raw: Mapping[str, Any], *, actor):
    """A commitment the company makes on the case: tracked with its due diligence, and on the case."""
    _require_company_user(share, actor)
    with transaction.atomic():
        commitment = chain_services.add_commitment(
            share.company, share.case.organization, {"step": "remediate", **raw}, actor=actor
        )
        share.case.commitments.add(commitment)
    return commitment


def _require_company_user(share, actor) -> None:
    tenancy.require_role(actor, share.company_id, {Role.COMPANY, Role.ORG_ADMIN})
