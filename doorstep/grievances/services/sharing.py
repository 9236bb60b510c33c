"""Escalation to a company: sharing a case under a live agreement and the consent of its members, what
the company may see of it, and the company's replies and commitments.

A shared case must not single her out to a company that asks its supplier, or to an intermediary who
keeps his own ledger (DESIGN.md §4):

- **Bands, not amounts.** Money the company sees (what the linked orders still owe, remedies) is a
  band of a 1–2.5–5 series in the currency's units: under 100, 100–250, 250–500, 500–1,000,
  1,000–2,500, 2,500–5,000, 5,000–10,000, and so on (``amount_band``).
- **Months, not days.** Every date the company sees is a month (``YYYY-MM``); its own commitments'
  deadlines excepted.
- **Not one woman's case unless she agreed to be known.** Whether the case is individual or collective
  is shown only when every member named on it agreed, for this company, to be known to it.
- **The k-check** (``who_could_it_be``): before sharing, for each work giver on the case, the
  organization's own records are searched for that work giver's workers who would match what the
  company sees: an order of his (not voided) given in the months of the case's linked orders (or,
  with none linked, the month the case was opened), owing in those months an amount in the same
  band, per currency (when the company sees an amount), and carrying the flag of the case's
  category where the category has one (late payment, rejected goods, cancelled order, low rates).
  Fewer than the organization's *k* such workers, and the share is refused, saying so; an
  administrator may share it anyway with a reason (sealed with the case; the audit event keeps the
  counts and the reason's length).
- **Consent on every read.** The company sees a case only while every member named on it consents to
  a case going to a company (``grievances.queries.shared_with``), and her name only while her own
  consent to be named to *this* company stands (purpose ``company_identity``, per company): a
  withdrawal counts at the company's next read. A member added to a shared case must consent first.
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core import audit, disclosure, tenancy, vault
from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.roles import ADMIN_ROLES, STAFF_ROLES, Role
from doorstep.members.models import Purpose
from doorstep.members.queries import consenting_members
from doorstep.members.services.pii import names_shown_with_consent
from doorstep.organizations.models import Organization, SharingPurpose
from doorstep.organizations.queries import recipient_ids
from doorstep.supplychains import services as chain_services
from doorstep.work import queries as work_queries

from .. import queries
from ..models import Case, CaseShare, Category, CompanyReply

SHARE_PURPOSE = "grievance.share"


REPLY_PURPOSE = "grievance.reply"

# The flag of a work order that says what a case of this category is about, where there is one.
FLAG_OF_CATEGORY = {
    Category.LATE_PAYMENT: "flag_late",
    Category.REJECTED_GOODS: "flag_rejected_without_reason",
    Category.CANCELLED_ORDER: "flag_cancelled_after_materials",
    Category.LOW_RATES: "flag_below_minimum",
}


@dataclass(frozen=True)
class Band:
    """An amount as the company sees it: at least ``at_least`` and under ``under``, in ``currency``."""

    currency: str
    at_least: Decimal
    under: Decimal

    @property
    def label(self) -> str:
        if not self.at_least:
            return _("under %(high)s %(currency)s") % {"high": f"{self.under:,}", "currency": self.currency}
        return _("%(low)s–%(high)s %(currency)s") % {
            "low": f"{self.at_least:,}",
            "high": f"{self.under:,}",
            "currency": self.currency,
        }


def amount_band(amount, currency: str) -> Band:
    """The band of a 1–2.5–5 series an amount falls in: under 100, 100–250, 250–500, 500–1,000, …"""
    amount = Decimal(amount)
    low, high = Decimal(0), Decimal(100)
    steps = (Decimal("2.5"), Decimal(2), Decimal(2))
    i = 0
    while amount >= high:
        low, high = high, high * steps[i % 3]
        i += 1
    return Band(currency, Decimal(int(low)), Decimal(int(high)))


def _month(day: date) -> str:
    return day.strftime("%Y-%m")


def companies_for_cases(organization) -> list:
    """The companies this organization shares grievances with today (a live agreement for a company's
    due diligence that lists grievances)."""
    ids = recipient_ids(organization, SharingPurpose.COMPANY_DUE_DILIGENCE, "grievances")
    return list(
        Organization.objects.filter(pk__in=ids, kind=Organization.Kind.COMPANY, is_active=True).order_by(
            "name"
        )
    )


def _without_consent(case: Case, members) -> list[int]:
    """The numbers of these members whose consent does not cover a case going to a company today."""
    members = list(members)
    if not members:
        return []
    consenting = set(
        consenting_members([case.organization_id], Purpose.COMPANY_CASE, timezone.localdate())
        .filter(pk__in=[m.pk for m in members])
        .values_list("pk", flat=True)
    )
    return sorted(m.number for m in members if m.pk not in consenting)


def check_new_members(case: Case, members) -> list[FieldError]:
    """Members about to be named on a case that is shared with a company must consent to that first."""
    current = set(case.members.values_list("pk", flat=True))
    added = [m for m in members if m.pk not in current]
    shared = [s.company.name for s in case.shares.filter(withdrawn_at__isnull=True).select_related("company")]
    missing = _without_consent(case, added) if shared else []
    if not missing:
        return []
    return [
        FieldError(
            "members",
            _(
                "This case is shared with %(companies)s, and these members have not agreed to a case "
                "being shared with a company: %(numbers)s."
            )
            % {"companies": ", ".join(shared), "numbers": ", ".join(f"#{n}" for n in missing)},
        )
    ]


@dataclass(frozen=True)
class Match:
    """How many of a work giver's workers in the organization's records match what a company would
    see of a case (``who_could_it_be``)."""

    party: Any
    matching: int
    workers: int
    seen: str  # what the company would see, in words


def who_could_it_be(case: Case, *, actor) -> list[Match]:
    """For each work giver on the case: his workers in the organization's own records who match what
    the company would see (work giver, months, amount band, category); see the module docstring."""
    linked = list(case.orders.all())
    bands = [amount_band(amount, currency) for currency, amount in sorted(queries.owed(case).items())]
    flag = FLAG_OF_CATEGORY.get(case.category)
    named = {m.pk for m in case.members.all()}
    found = []
    for party in case.parties.all():
        months = {(o.given_on.year, o.given_on.month) for o in linked if o.party_id == party.pk} or {
            (case.opened_on.year, case.opened_on.month)
        }
        orders = work_queries.orders_of(actor, case.organization_id).filter(party=party)
        workers = set(orders.values_list("member_id", flat=True).distinct()) | named
        in_months = Q()
        for year, month in months:
            in_months |= Q(given_on__year=year, given_on__month=month)
        owed: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        seen, flagged = set(), set()
        for member_id, currency, shortfall, status, flagged_order in (
            orders.filter(in_months)
            .order_by()
            .values_list("member_id", "currency", "shortfall", "status", flag or "pk")
        ):
            seen.add(member_id)
            if status != "cancelled" and shortfall > 0:
                owed[member_id][currency] += shortfall
            if flag is None or flagged_order is True:
                flagged.add(member_id)

        # She is one of his workers, and matches what is seen of her own case, whatever her records say.
        matching = {m for m in seen if m in flagged and _in_bands(owed[m], bands)} | named
        words = [party.name, *(_("%(band)s owed") % {"band": b.label} for b in bands)]
        words += [f"{y:04d}-{m:02d}" for y, m in sorted(months)]
        words.append(str(case.get_category_display()))
        found.append(Match(party, len(matching), len(workers), "; ".join(words)))
    return found


def _in_bands(owed: Mapping[str, Decimal], bands: list[Band]) -> bool:
    """What she is owed falls, in every currency the company sees, in the band it sees."""
    return all(owed.get(b.currency, 0) > 0 and amount_band(owed[b.currency], b.currency) == b for b in bands)


def share_case(case: Case, company: Organization, raw: Mapping[str, Any], *, actor):
    """Show a case to a company. Needs a live agreement with it covering grievances, the consent of
    every member named on the case to sharing a case with a company, and the k-check (or an
    administrator's reason to share it anyway: ``override_reason``). Her name is never a choice made
    here: only her own consent to be named to this company shows it."""
    role = tenancy.require_role(actor, case.organization_id, STAFF_ROLES)
    errors: list[FieldError] = []
    code = "invalid"
    if company not in companies_for_cases(case.organization):
        errors.append(
            FieldError(
                "company", _("Your organization has no agreement in force to share cases with this company.")
            )
        )
    missing = _without_consent(case, case.members.all())
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
    reason = str(raw.get("override_reason") or "").strip()
    if len(reason) > 1000:
        errors.append(
            FieldError("override_reason", _("Keep this under %(limit)s characters.") % {"limit": "1,000"})
        )
    if case.shares.filter(company=company, withdrawn_at__isnull=True).exists():
        errors.append(FieldError("company", _("This case is already shared with this company.")))
    k = disclosure.checked_k(case.organization.disclosure_k)
    matches = who_could_it_be(case, actor=actor)
    too_few = [m for m in matches if m.matching < k]
    overridden = False
    if too_few:
        if reason and role in ADMIN_ROLES:
            overridden = True
        else:
            code = "singles_out"
            for match in too_few:
                errors.append(
                    FieldError(
                        "company",
                        _(
                            "Only %(n)s of the %(workers)s workers of %(party)s in your records match "
                            "what %(company)s would see (%(seen)s): fewer than %(k)s, so the case could "
                            "point at her. An administrator can share it anyway, giving the reason."
                        )
                        % {
                            "n": match.matching,
                            "party": match.party.name,
                            "workers": match.workers,
                            "company": company.name,
                            "seen": match.seen,
                            "k": k,
                        },
                    )
                )
            if reason:
                errors.append(
                    FieldError(
                        "override_reason",
                        _("Only an administrator of your organization can share a case despite this check."),
                    )
                )
            elif role in ADMIN_ROLES:
                errors.append(
                    FieldError("override_reason", _("To share it anyway, say why (she asked for it, …)."))
                )
    if errors:
        raise ValidationError(message=_("The case is not shared."), code=code, errors=errors)
    sealed = {"message": message, **({"override_reason": reason} if overridden else {})}
    with transaction.atomic():
        share, _created = CaseShare.objects.update_or_create(
            case=case,
            company=company,
            defaults={
                "organization_id": case.organization_id,
                "sealed_message": vault.seal(case.subject_key, sealed, purpose=SHARE_PURPOSE),
                "shared_by": actor,
                "withdrawn_at": None,
            },
        )
        audit.record(
            "grievance.shared",
            actor=actor,
            organization=case.organization_id,
            obj=share,
            metadata={"case_id": case.pk, "company_id": company.pk},
        )
        if overridden:
            audit.record(
                "grievance.share_check_overridden",
                actor=actor,
                organization=case.organization_id,
                obj=share,
                metadata={
                    "case_id": case.pk,
                    "company_id": company.pk,
                    "k": k,
                    "party_ids": [m.party.pk for m in too_few],
                    "matching": [m.matching for m in too_few],
                    "reason_length": len(reason),
                },
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
    the organization itself; amounts as bands, dates as months; whether it is one woman's case and
    the members' names only where each agreed to be known to this company."""

    share: Any
    message: str
    owed: list[Band]
    steps: list[dict]
    names: list[str]
    kind: str | None


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
            "band": amount_band(r.amount, r.currency) if r.amount else None,
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
    for step in steps:
        step["month"] = _month(step.pop("on"))
    members = list(case.members.select_related("subject_key"))
    known = set(
        consenting_members(
            [case.organization_id], Purpose.COMPANY_IDENTITY, timezone.localdate(), company=share.company
        )
        .filter(pk__in=[m.pk for m in members])
        .values_list("pk", flat=True)
    )
    named = [m for m in members if m.pk in known]
    names = []
    if named:
        shown = names_shown_with_consent(
            named, actor=actor, reason=f"case shared with company {share.company_id}"
        )
        names = [shown[m.pk] for m in named]
    audit.record(
        "grievance.company_read",
        actor=actor,
        organization=case.organization_id,
        obj=share,
        metadata={"case_id": case.pk, "company_id": share.company_id, "named": len(named)},
    )
    message = vault.open_sealed(key, bytes(share.sealed_message), purpose=SHARE_PURPOSE).get("message", "")
    owed = [amount_band(amount, currency) for currency, amount in sorted(queries.owed(case).items())]
    kind = case.kind if members and len(named) == len(members) else None
    return CompanyView(share, message, owed, steps, names, kind)


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
