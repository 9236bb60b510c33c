"""Reads of advocacy: the legal tracker (public), campaigns (an organization's own, and the public
ones), and reports to the ILO with their sections and versions (their organization's staff only)."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404
from django_countries import countries

from doorstep.core import tenancy
from doorstep.core.roles import STAFF_ROLES

from .models import Campaign, Fact, LegalFact, LegalFactChange, Report

COVERAGE_FACTS = (Fact.MINIMUM_WAGE, Fact.SOCIAL_SECURITY, Fact.SAFETY)


@dataclass
class Profile:
    country: str
    name: str
    facts: dict[str, LegalFact] = field(default_factory=dict)

    @property
    def ratified(self) -> bool:
        found = self.facts.get(Fact.C177_RATIFIED)
        return bool(found and found.value.get("ratified", True) and found.value.get("on"))

    def value(self, fact: str, key: str, default=""):
        found = self.facts.get(fact)
        return found.value.get(key, default) if found else default


def world(filters: dict | None = None) -> list[Profile]:
    """A profile for every country with at least one fact, by name; ``ratified`` (True/False) and
    ``q`` (words of the country's name) filter it."""
    filters = filters or {}
    profiles: dict[str, Profile] = {}
    for found in LegalFact.objects.all():
        code = str(found.country)
        profile = profiles.setdefault(code, Profile(code, str(countries.name(code))))
        profile.facts[found.fact] = found
    return matching(sorted(profiles.values(), key=lambda p: p.name), filters)


def matching(rows: list[Profile], filters: dict) -> list[Profile]:
    """The profiles ``world`` gave that pass its filters (to filter one load several ways)."""
    if filters.get("ratified") in (True, False):
        rows = [p for p in rows if p.ratified == filters["ratified"]]
    if filters.get("q"):
        rows = [p for p in rows if filters["q"].lower() in p.name.lower()]
    return rows


def profile(code: str) -> Profile:
    """A country's profile (empty for a real country with no facts yet); 404 for an unknown code."""
    code = (code or "").upper()
    if code not in dict(countries):
        raise Http404
    found = Profile(code, str(countries.name(code)))
    for fact in LegalFact.objects.filter(country=code).select_related("updated_by"):
        found.facts[fact.fact] = fact
    return found


def history(code: str, limit: int = 100):
    return LegalFactChange.objects.filter(fact__country=code.upper()).select_related("fact", "changed_by")[
        :limit
    ]


# Campaigns -----------------------------------------------------------------------------------------


def campaigns_for(user, organization):
    """Campaigns the organization leads or takes part in, for its staff."""
    tenancy.require_role(user, organization, STAFF_ROLES)
    return (
        Campaign.objects.filter(Q(organization=organization) | Q(participants=organization))
        .distinct()
        .select_related("organization")
    )


def get_campaign_for(user, organization, campaign_id):
    try:
        return (
            campaigns_for(user, organization)
            .prefetch_related("demands", "targets", "actions", "participants")
            .get(pk=campaign_id)
        )
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_demand(campaign, demand_id):
    try:
        return campaign.demands.select_related("campaign").get(pk=demand_id)
    except (ValueError, TypeError, campaign.demands.model.DoesNotExist):
        raise Http404 from None


def get_target(campaign, target_id):
    if not target_id:
        return None
    try:
        return campaign.targets.get(pk=target_id)
    except (ValueError, TypeError, campaign.targets.model.DoesNotExist):
        raise Http404 from None


def public_campaigns():
    return Campaign.objects.filter(is_public=True, organization__is_active=True).select_related(
        "organization"
    )


def get_public_campaign(campaign_id):
    try:
        return (
            public_campaigns()
            .prefetch_related("demands", "targets", "actions", "participants")
            .get(pk=campaign_id)
        )
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# Reports to the ILO ------------------------------------------------------------------------------------


def reports_of(user, organization):
    return tenancy.scoped(Report, user, organization)


def get_report(user, report_id, organization=None):
    return tenancy.get_scoped_or_404(
        Report, user, report_id, organization, select_related=["organization"], prefetch_related=["sections"]
    )


def get_report_section(report, section_id):
    try:
        return report.sections.get(pk=section_id)
    except (ValueError, TypeError, report.sections.model.DoesNotExist):
        raise Http404 from None


def get_report_version(report, number):
    try:
        return report.versions.get(number=number)
    except (ValueError, TypeError, report.versions.model.DoesNotExist):
        raise Http404 from None
