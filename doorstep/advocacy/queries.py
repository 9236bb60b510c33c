"""Reads of the legal tracker (public)."""

from dataclasses import dataclass, field

from django.http import Http404
from django_countries import countries

from .models import Fact, LegalFact

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
    rows = sorted(profiles.values(), key=lambda p: p.name)
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
    from .models import LegalFactChange

    return LegalFactChange.objects.filter(fact__country=code.upper()).select_related("fact", "changed_by")[
        :limit
    ]
