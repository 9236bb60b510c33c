"""Wage benchmarks: the reference data shipped with Doorstep, conversion to an hourly wage with each
benchmark's own hours convention, and the lookup of the benchmark that applies to a piece of work.

**Conversion to hourly** (``hourly()``): an hourly wage as it is; a daily wage ÷ hours a day; a
monthly wage ÷ (days a month × hours a day). The hours and days are the benchmark's own (from its
source where it states them, otherwise an assumption its ``convention_note`` says).

**Lookup** (``Book.lookup()``): among the statutory minimum wages (the shipped reference rows and the
organization's own) of her country and the order's currency, in force on the date the work was done
(the latest ``effective_from`` on or before it), the first level that has one:

1. ``exact``    her area (state or province) is named, the order's sector, her skill level;
2. ``sector``   her area is named, the order's sector, any skill level;
3. ``region``   her area is named, a rate for all sectors;
4. ``national`` a rate for the whole country (the order's sector if there is one, else all sectors).

"Any skill level" prefers a rate without a skill level and otherwise takes the lowest of the rates
for the skill levels there, the floor every worker is owed (levels 2 to 4 also try her own skill
level first). Within a level the organization's own rate comes before the reference data, then the
most recent, then the one needing fewest conversions (hour, day, month). Every result carries the
sentence that says which benchmark was used and why.
"""

import csv
import functools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from doorstep.core.money import quantize
from doorstep.core.sectors import Sector

from .models import BenchmarkKind, Period, WageBenchmark

REFERENCE_FILE = Path(__file__).parent / "data" / "minimum_wages.csv"
LEVELS = ("exact", "sector", "region", "national")
_PERIOD_ORDER = {Period.HOUR: 0, Period.DAY: 1, Period.MONTH: 2}


def _fmt(number: Decimal) -> str:
    return f"{number.normalize():f}"


def hourly(benchmark: WageBenchmark) -> tuple[Decimal, str]:
    """The benchmark as an hourly wage (4 decimal places) and the conversion, written out."""
    amount, currency = benchmark.amount, benchmark.currency
    if benchmark.period == Period.HOUR:
        value = quantize(amount)
        text = _("%(amount)s %(currency)s an hour.") % {"amount": _fmt(amount), "currency": currency}
    elif benchmark.period == Period.DAY:
        value = quantize(amount / benchmark.hours_per_day)
        text = _("%(amount)s %(currency)s a day ÷ %(hours)s hours a day = %(hourly)s an hour.") % {
            "amount": _fmt(amount),
            "currency": currency,
            "hours": _fmt(benchmark.hours_per_day),
            "hourly": _fmt(value),
        }
    else:
        value = quantize(amount / (benchmark.days_per_month * benchmark.hours_per_day))
        text = _(
            "%(amount)s %(currency)s a month ÷ (%(days)s days a month × %(hours)s hours a day) "
            "= %(hourly)s an hour."
        ) % {
            "amount": _fmt(amount),
            "currency": currency,
            "days": _fmt(benchmark.days_per_month),
            "hours": _fmt(benchmark.hours_per_day),
            "hourly": _fmt(value),
        }
    if benchmark.convention_note and benchmark.period != Period.HOUR:
        text = f"{text} {benchmark.convention_note}"
    return value, text


@dataclass(frozen=True)
class Match:
    benchmark: WageBenchmark | None
    level: str  # one of LEVELS, or "" when nothing applies
    hourly: Decimal | None
    reason: str


def describe(benchmark: WageBenchmark) -> str:
    """One line naming a benchmark: what, where, for whom, from when, from which source."""
    sector = (
        str(Sector(benchmark.sector).label)
        if benchmark.sector in Sector.values
        else (benchmark.sector_text or _("all sectors"))
    )
    return _(
        "%(kind)s, %(country)s, %(region)s, %(sector)s, %(skill)s: %(amount)s %(currency)s %(period)s, "
        "in force from %(start)s%(unconfirmed)s (source: %(source)s)."
    ) % {
        "kind": BenchmarkKind(benchmark.kind).label,
        "country": benchmark.country.name,
        "region": benchmark.region or _("whole country"),
        "sector": sector,
        "skill": benchmark.skill or _("any skill level"),
        "amount": _fmt(benchmark.amount),
        "currency": benchmark.currency,
        "period": Period(benchmark.period).label,
        "start": benchmark.effective_from.isoformat(),
        "unconfirmed": "" if benchmark.effective_from_confirmed else _(" (date not confirmed)"),
        "source": benchmark.source,
    }


def _level_reason(level: str, skill_rule: str) -> str:
    reasons = {
        "exact": _("Her area, the order's sector and her skill level all match."),
        "sector": _("Her area and the order's sector match; %(skill)s"),
        "region": _(
            "Her area matches but it has no rate for this sector, so its rate for all sectors is used; "
            "%(skill)s"
        ),
        "national": _("There is no rate for her area, so the national rate is used; %(skill)s"),
    }
    return reasons[level] % {"skill": skill_rule} if level != "exact" else reasons[level]


class Book:
    """The minimum wages one organization's orders are measured against, held in memory so that a
    million orders can be looked up without a query each (``lookup`` is memoized)."""

    def __init__(self, organization_id: int | None, benchmarks: list[WageBenchmark] | None = None):
        if benchmarks is None:
            benchmarks = list(
                WageBenchmark.objects.filter(kind=BenchmarkKind.MINIMUM_WAGE).filter(
                    models_q_for(organization_id)
                )
            )
        self.organization_id = organization_id
        self._by_country: dict[str, list[WageBenchmark]] = {}
        for benchmark in benchmarks:
            self._by_country.setdefault(benchmark.country.code, []).append(benchmark)
        self.lookup = functools.lru_cache(maxsize=65536)(self._lookup)

    def _lookup(
        self, country: str, area: str, sector: str, skills: tuple[str, ...], currency: str, on: date
    ) -> Match:
        area = (area or "").strip().lower()
        in_force = [b for b in self._by_country.get(country, []) if b.effective_from <= on]
        candidates = [b for b in in_force if b.currency == currency]
        if not candidates:
            if in_force:
                reason = _("No minimum wage in %(currency)s is known for this country on %(date)s.")
            else:
                reason = _("No minimum wage is known for this country on %(date)s.")
            return Match(None, "", None, reason % {"currency": currency, "date": on.isoformat()})
        # Keep only the latest rate in force for each scope (a newer rate replaces an older one).
        latest: dict[tuple, WageBenchmark] = {}
        for b in candidates:
            scope = (b.organization_id, tuple(b.region_names), b.sector, b.skill.lower(), b.period)
            if scope not in latest or latest[scope].effective_from < b.effective_from:
                latest[scope] = b
        candidates = list(latest.values())
        named = [b for b in candidates if area and area in b.region_names]
        national = [b for b in candidates if not b.region_names]
        wanted_skills = {s.strip().lower() for s in skills if s.strip()}
        steps = (
            ("exact", [b for b in named if b.sector == sector and b.skill.lower() in wanted_skills]),
            ("sector", [b for b in named if b.sector == sector]),
            ("region", [b for b in named if not b.sector]),
            (
                "national",
                [b for b in national if b.sector == sector] or [b for b in national if not b.sector],
            ),
        )
        for level, found in steps:
            if found:
                chosen, skill_rule = self._choose(found, wanted_skills)
                value, conversion = hourly(chosen)
                reason = " ".join([_level_reason(level, skill_rule), describe(chosen), conversion])
                return Match(chosen, level, value, reason)
        return Match(
            None,
            "",
            None,
            _("No minimum wage is known for her area or for the whole country on %(date)s.")
            % {"date": on.isoformat()},
        )

    @staticmethod
    def _choose(found: list[WageBenchmark], skills: set[str]) -> tuple[WageBenchmark, str]:
        def preference(b: WageBenchmark):
            return (
                b.organization_id is None,
                -b.effective_from.toordinal(),
                _PERIOD_ORDER[b.period],
                b.pk or 0,
            )

        hers = [b for b in found if b.skill.lower() in skills]
        if hers:
            return min(hers, key=preference), _("the rate for her skill level is used.")
        general = [b for b in found if not b.skill]
        if general:
            return min(general, key=preference), _("the rate without a skill level is used.")
        # One rate per skill level (the preferred one), then the lowest of them.
        per_skill: dict[str, WageBenchmark] = {}
        for b in sorted(found, key=preference):
            per_skill.setdefault(b.skill.lower(), b)
        lowest = min(per_skill.values(), key=lambda b: (hourly(b)[0], preference(b)))
        return lowest, _(
            "no rate for her skill level is known, so the lowest rate there is used "
            "(the floor every worker is owed)."
        )


def models_q_for(organization_id: int | None):
    query = Q(organization__isnull=True)
    if organization_id is not None:
        query |= Q(organization_id=organization_id)
    return query


# Reference data -------------------------------------------------------------------------------------


def _reference_rows() -> list[dict]:
    with REFERENCE_FILE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def sync_reference(**_kwargs) -> int:
    """Bring the shipped reference rows in step with ``data/minimum_wages.csv``; the number changed.

    Runs after every ``migrate`` (``apps.WorkConfig``). Orders measured against a changed or removed
    row are recomputed in the background.
    """
    changed = 0
    keys = set()
    with transaction.atomic():
        for row in _reference_rows():
            keys.add(row["key"])
            values = {
                "kind": BenchmarkKind.MINIMUM_WAGE,
                "country": row["country"],
                "region": row["region"],
                "region_names": [n.strip().lower() for n in row["region_names"].split(";") if n.strip()],
                "sector": row["sector"],
                "sector_text": row["sector_text"],
                "skill": row["skill"],
                "amount": Decimal(row["amount"]),
                "currency": row["currency"],
                "period": row["period"],
                "hours_per_day": Decimal(row["hours_per_day"]) if row["hours_per_day"] else None,
                "days_per_month": Decimal(row["days_per_month"]) if row["days_per_month"] else None,
                "convention_note": row["convention_note"],
                "effective_from": date.fromisoformat(row["effective_from"]),
                "effective_from_confirmed": row["effective_from_confirmed"] == "yes",
                "source": row["source"],
                "as_of": row["as_of"],
                "notes": row["notes"],
            }
            current = WageBenchmark.objects.filter(reference_key=row["key"]).first()
            if current is None:
                WageBenchmark.objects.create(reference_key=row["key"], **values)
                changed += 1
                continue
            differs = any(
                str(getattr(current, name).code if name == "country" else getattr(current, name))
                != str(value)
                for name, value in values.items()
            )
            if differs:
                for name, value in values.items():
                    setattr(current, name, value)
                current.save()
                changed += 1
        removed, _detail = (
            WageBenchmark.objects.filter(organization__isnull=True, reference_key__isnull=False)
            .exclude(reference_key__in=keys)
            .delete()
        )
        changed += removed
    if changed:
        from .tasks import recompute_orders  # noqa: PLC0415 - cycle: tasks → services.figures → benchmarks

        transaction.on_commit(lambda: recompute_orders.enqueue(None))
    return changed
