"""The evidence brief: a printable report of an organization's or a network's key figures for a
period, with charts, tables and the methods behind them, to hand to a government or a brand.

Its figures leave the organization, so they come through the aggregates door like any other: a
network's from the organizations sharing with it for network statistics; a member-based
organization's own from its members who consented to research, at its own k. Each table is a
release, audited as such.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core import disclosure, tenancy
from doorstep.core.charts import Chart
from doorstep.core.roles import Role
from doorstep.organizations.models import Organization
from doorstep.work.queries import reference_benchmarks

from . import queries, services
from .charts import bars, shown_cells

# Who may make a brief: an organization's admins and organizers, a network's analysts too.
BRIEF_ROLES = frozenset({Role.ORG_ADMIN, Role.ORGANIZER, Role.NETWORK_ANALYST})
TABLES = (
    ("work", ("sector",)),
    ("work", ("month",)),
    ("members", ("category",)),
)
NETWORK_TABLES = (("work", ("organization",)),)


@dataclass
class Brief:
    organization: object
    start: date | None
    end: date | None
    tables: list[tuple[str, queries.Figures]] = field(default_factory=list)
    key: list[tuple[str, str]] = field(default_factory=list)  # (what, value) of the period's totals
    charts: list[Chart] = field(default_factory=list)
    refreshed_at: datetime | None = None
    benchmarks: list = field(default_factory=list)  # the shipped minimum wages of the countries in it
    k: int = disclosure.DEFAULT_K
    reason: str = ""  # why there are no figures

    @property
    def own(self) -> bool:
        return not self.organization.is_network


def get_organization(user, slug: str):
    """The organization whose brief the user may make (404 otherwise)."""
    organization = Organization.objects.filter(slug=slug, is_active=True).first()
    if organization is None or tenancy.role_in(user, organization) not in BRIEF_ROLES:
        raise Http404
    if not (organization.is_network or organization.kind in Organization.MEMBER_BASED_KINDS):
        raise Http404
    return organization


def build(organization, *, actor, start=None, end=None, channel: str = "brief") -> Brief:
    """The brief for a checked period; ``ValidationError`` for a bad one."""
    brief = Brief(organization, start, end)
    own = brief.own
    wanted = TABLES + (() if own else NETWORK_TABLES)
    for dataset, group_by in wanted:
        # A network's months are of a calendar year (periods on a lattice): this year's, unless a
        # period was asked for.
        this_year = not own and "month" in group_by and start is None and end is None
        ask = queries.ask(
            organization,
            dataset=dataset,
            group_by=list(group_by),
            period=str(timezone.localdate().year) if this_year else None,
            start=start,
            end=end,
            own=own,
            purpose=None if own else "network_statistics",
        )
        result = services.release(ask, actor=actor, channel=channel)
        brief.tables.append((_title(dataset, group_by), result))
        brief.k = result.k
        brief.refreshed_at = result.refreshed_at or brief.refreshed_at
    by_sector = brief.tables[0][1]
    if not by_sector.rows:
        brief.reason = by_sector.reason
        return brief
    total = next(row for row in by_sector.rows if row.key == (disclosure.TOTAL,))
    brief.key = _key_figures(total.figures)
    brief.charts = _charts(brief)
    countries = {str(o.country) for _title_, t in brief.tables for o in t.organizations if o.country}
    brief.benchmarks = reference_benchmarks(countries)
    return brief


def _title(dataset: str, group_by: tuple) -> str:
    dimension = queries.DIMENSIONS[group_by[0]].label
    if dataset == "members":
        return _("Members by %(dimension)s") % {"dimension": str(dimension).lower()}
    return _("Work and pay by %(dimension)s") % {"dimension": str(dimension).lower()}


def _key_figures(figures: dict) -> list[tuple[str, str]]:
    if figures.get("workers") is None:
        return []
    currency = figures.get("currency") or ""
    lines = [
        (_("Workers"), str(figures["workers"])),
        (_("Work orders"), str(figures["orders"])),
    ]
    if figures.get("median_net_hourly") is not None:
        lines.append((_("Median net earnings an hour"), f"{figures['median_net_hourly']} {currency}".strip()))
    if figures.get("median_minimum_wage_ratio") is not None:
        lines.append(
            (_("Median earnings against the minimum wage"), f"{figures['median_minimum_wage_ratio']}×")
        )
    if figures.get("below_minimum_percent") is not None:
        lines.append((_("Workers earning below the minimum wage"), f"{figures['below_minimum_percent']}%"))
    if figures.get("median_payment_delay_days") is not None:
        lines.append((_("Median days to be paid in full"), figures["median_payment_delay_days"]))
    if figures.get("rejection_percent") is not None:
        lines.append((_("Pieces rejected"), f"{figures['rejection_percent']}%"))
    if figures.get("cancellation_percent") is not None:
        lines.append((_("Orders cancelled"), f"{figures['cancellation_percent']}%"))
    return lines


def _charts(brief: Brief) -> list[Chart]:
    by_sector, by_month, members = (brief.tables[i][1] for i in range(3))
    minimum = _("minimum wage")
    charts = [
        Chart(
            "earnings_by_sector",
            _("Earnings against the minimum wage, by sector"),
            _("Median of each worker's net earnings an hour ÷ the minimum wage an hour"),
            bars(shown_cells(by_sector), "median_minimum_wage_ratio", "×"),
            reference=1,
            reference_label=minimum,
        ),
        Chart(
            "below_by_month",
            _("Workers earning below the minimum wage, by month"),
            _("Percent of workers with a benchmark"),
            bars(shown_cells(by_month)[-12:], "below_minimum_percent", "%"),
            maximum=100,
        ),
        Chart(
            "members_by_category",
            _("Members by category"),
            _("Members"),
            bars(shown_cells(members), "workers"),
        ),
    ]
    return [c for c in charts if c.bars]


def methods(brief: Brief) -> list[str]:
    """What the figures are and how they were made, in sentences for the page and the PDF."""
    lines = []
    if brief.own:
        lines.append(
            _(
                "These are the figures of %(name)s's own members who consented to their data being used "
                "for research."
            )
            % {"name": brief.organization.name}
        )
    else:
        names = sorted({o.name for _t, table in brief.tables for o in table.organizations})
        lines.append(
            _("These figures come from the organizations that share their data with %(name)s: %(names)s.")
            % {"name": brief.organization.name, "names": ", ".join(names) or "—"}
        )
    lines.append(str(queries.METHOD))
    lines.append(
        _(
            "Groups of fewer than %(k)s workers are withheld, with enough others that totals do not give "
            "them away."
        )
        % {"k": brief.k}
    )
    lines.append(
        _(
            "Net earnings are what she was paid less the costs she bore, divided by the hours she and her "
            "unpaid helpers worked; each order is compared with the statutory minimum wage for her area, "
            "sector and skill in force when the work was done, converted to an hourly wage as its source "
            "states or as noted below."
        )
    )
    if brief.refreshed_at:
        lines.append(
            _("Figures as of %(when)s.") % {"when": brief.refreshed_at.strftime("%Y-%m-%d %H:%M UTC")}
        )
    return lines
