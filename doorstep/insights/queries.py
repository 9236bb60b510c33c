"""The one door for figures that leave an organization (DESIGN.md §4): a network's statistics across
its affiliates, a company's due-diligence figures on its own chain, an ally's research.

A request names the recipient (the network, company or ally the user acts for), a dataset
(``members``, ``work``, ``grievances`` or ``protection``), one or two dimensions to group by and a
period. Then, in this order:

1. only organizations with a live sharing agreement with the recipient, for the purpose and the
   kind of data, take part (``organizations.queries.sharing_organization_ids``);
2. only their members whose consent covers the purpose count (``members.queries.consenting_members``);
3. for a company, only work orders whose work giver lies in the company's own chain count (parties the
   organization marked as that company, and every party below them);
4. each worker is counted **once**: in the cell of her own attributes (category, country, area) and,
   for the attributes of her orders (sector, work giver, supplier), in the cell where most of her
   orders fall, with all her orders. Grouped by month, the unit is a worker in a month. So the
   cells partition the workers and the totals are sums, which disclosure control needs;
5. ``core.disclosure`` suppresses every cell under *k* workers (the largest k of the organizations
   taking part) and enough others that the totals do not give them away. Every figure of a
   suppressed cell is withheld, not only its count.

Figures are medians over workers (each worker's own median first), so that no one worker with many
orders makes a cell's figure hers; no minimum, maximum or single worker's figure is ever given.
"""

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from doorstep.core import analytics, disclosure, inputs, tenancy
from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.roles import Role
from doorstep.core.sectors import Sector
from doorstep.grievances.models import CaseStatus
from doorstep.grievances.models import Category as GrievanceCategory
from doorstep.members.models import Category, Gender
from doorstep.members.queries import CONSENT_FOR_SHARING, consent_changed_since
from doorstep.organizations.models import Organization, SharingPurpose
from doorstep.organizations.queries import purposes_for, sharing_organization_ids
from doorstep.protection.models import SchemeKind
from doorstep.supplychains.queries import company_chain

from . import cells
from .models import Release

DATASETS = {
    "members": gettext_lazy("Members"),
    "work": gettext_lazy("Work and earnings"),
    "grievances": gettext_lazy("Grievances"),
    "protection": gettext_lazy("Social protection coverage"),
}
ALL = frozenset(DATASETS)


@dataclass(frozen=True)
class Dimension:
    code: str
    label: str  # lazy
    datasets: frozenset[str]
    of_orders: bool = False  # an attribute of her orders (her cell is where most of them fall)
    company_only: bool = False  # work givers are shown only to the company whose chain they are in


DIMENSIONS = {
    d.code: d
    for d in (
        Dimension("category", gettext_lazy("Category"), ALL),
        Dimension("gender", gettext_lazy("Gender"), ALL),
        Dimension(
            "sector", gettext_lazy("Sector"), frozenset({"members", "work", "protection"}), of_orders=True
        ),
        Dimension("country", gettext_lazy("Country"), ALL),
        Dimension("admin1", gettext_lazy("State or province"), ALL),
        Dimension("admin2", gettext_lazy("District"), ALL),
        Dimension("organization", gettext_lazy("Organization"), ALL),
        Dimension("problem", gettext_lazy("Problem"), frozenset({"grievances"}), of_orders=True),
        Dimension("case_status", gettext_lazy("Case status"), frozenset({"grievances"}), of_orders=True),
        Dimension("scheme", gettext_lazy("Scheme"), frozenset({"protection"}), of_orders=True),
        Dimension("scheme_kind", gettext_lazy("Kind of scheme"), frozenset({"protection"}), of_orders=True),
        Dimension("month", gettext_lazy("Month"), frozenset({"work"})),
        Dimension(
            "party",
            gettext_lazy("Work giver"),
            frozenset({"work", "grievances"}),
            of_orders=True,
            company_only=True,
        ),
        Dimension(
            "supplier", gettext_lazy("Supplier"), frozenset({"work"}), of_orders=True, company_only=True
        ),
    )
}

FIGURES = {
    "members": ("workers",),
    "work": (
        "workers",
        "orders",
        "median_net_hourly",
        "median_minimum_wage_ratio",
        "below_minimum_percent",
        "median_payment_delay_days",
        "rejection_percent",
        "cancellation_percent",
    ),
    "grievances": ("workers", "cases", "resolved_percent", "median_days_to_resolution"),
    "protection": ("workers", "applications", "applied_percent", "enrolled_percent"),
}
FIGURE_LABELS = {
    "workers": gettext_lazy("Workers"),
    "orders": gettext_lazy("Work orders"),
    "cases": gettext_lazy("Cases"),
    "applications": gettext_lazy("Applications to schemes"),
    "applied_percent": gettext_lazy("Members who applied to a scheme, in percent"),
    "enrolled_percent": gettext_lazy("Members enrolled in a scheme, in percent"),
    "resolved_percent": gettext_lazy("Cases resolved, in percent"),
    "median_days_to_resolution": gettext_lazy("Median days to resolution"),
    "median_net_hourly": gettext_lazy("Median net earnings an hour"),
    "median_minimum_wage_ratio": gettext_lazy("Median ratio to the minimum wage"),
    "below_minimum_percent": gettext_lazy("Workers below the minimum wage, in percent"),
    "median_payment_delay_days": gettext_lazy("Median payment delay (days)"),
    "rejection_percent": gettext_lazy("Rejected, in percent of pieces delivered"),
    "cancellation_percent": gettext_lazy("Cancelled, in percent of orders"),
}
NOT_RECORDED = ""


@dataclass
class Ask:
    """A checked request for figures."""

    recipient: Organization
    dataset: str
    purpose: str
    group_by: tuple[str, ...]
    start: date | None = None
    end: date | None = None
    organization_id: int | None = None  # only this sharing organization
    on: date = field(default_factory=timezone.localdate)
    own: bool = False  # the recipient's own members' figures, for it to publish (a report, a brief)
    k: int | None = None  # a higher threshold the asker wants (never lower than the organizations')
    period: str = ""  # the lattice period (``2026-03``, ``2026-Q1``, ``2026``) that start and end are


def ask(
    recipient: Organization,
    *,
    dataset: str,
    group_by,
    purpose: str | None = None,
    period: str | None = None,
    start=None,
    end=None,
    organization_id=None,
    own: bool = False,
    k=None,
) -> Ask:
    """Check a request; ``ValidationError`` naming the parameter that is wrong.

    ``period``: a calendar month, quarter or year (``core.disclosure.lattice_period``). A recipient
    outside the organization gets figures for such a period only: ``start`` and ``end`` are taken
    when they are exactly one, and refused otherwise.

    ``own``: the organization's own figures, to publish outside it (a report to the ILO): of its
    members who consented to research, suppressed at its own k, through the same table; it keeps
    free ranges of days."""
    errors: list[FieldError] = []
    if dataset not in DATASETS:
        errors.append(
            FieldError("dataset", _("Choose one of: %(choices)s.") % {"choices": ", ".join(DATASETS)})
        )
    allowed = [SharingPurpose.RESEARCH] if own else purposes_for(recipient)
    purpose = purpose or (allowed[0] if allowed else "")
    if purpose not in allowed:
        errors.append(
            FieldError(
                "purpose",
                _("%(name)s can receive figures for: %(choices)s.")
                % {"name": recipient.name, "choices": ", ".join(allowed)},
            )
        )
    if isinstance(group_by, str):
        group_by = [part.strip() for part in group_by.split(",") if part.strip()]
    group_by = tuple(group_by or ())
    possible = [
        d.code
        for d in DIMENSIONS.values()
        if dataset in d.datasets and (not d.company_only or purpose == SharingPurpose.COMPANY_DUE_DILIGENCE)
    ]
    if not 1 <= len(group_by) <= 2 or len(set(group_by)) != len(group_by):
        errors.append(FieldError("group_by", _("Group by one or two different dimensions.")))
    for code in group_by:
        if code not in possible:
            errors.append(
                FieldError(
                    "group_by",
                    _("“%(code)s” is not a dimension here; choose from: %(choices)s.")
                    % {"code": code, "choices": ", ".join(possible)},
                )
            )
    levels = [code for code in group_by if code in PLACES]
    if len(group_by) == 2 and (len(levels) > 1 or set(levels) & {"admin1", "admin2"}):
        # Two levels of one hierarchy side by side, or a district by something else, would each add
        # equations that a state minus its districts could be solved with: places below the
        # country are offered one at a time.
        errors.append(
            FieldError(
                "group_by",
                _("States and districts are shown alone, and a country with a dimension other than a place."),
            )
        )
    start, end, chosen = _period(period, start, end, errors, own=own)
    if k not in (None, ""):
        try:
            k = int(k)
        except (TypeError, ValueError):
            k = -1
        if k < disclosure.MINIMUM_K:
            errors.append(
                FieldError(
                    "k",
                    _("Give a whole number of at least %(low)s; the organizations' own k applies if higher.")
                    % {"low": disclosure.MINIMUM_K},
                )
            )
    else:
        k = None
    if "month" in group_by and chosen is None and not own:
        errors.append(
            FieldError(
                "period",
                _("Grouped by month, give a period: %(forms)s.") % {"forms": disclosure.PERIOD_FORMS},
            )
        )
    if organization_id not in (None, ""):
        try:
            organization_id = int(organization_id)
        except (TypeError, ValueError):
            errors.append(FieldError("organization_id", _("Give an organization's number.")))
    else:
        organization_id = None
    if organization_id is not None and (
        len(group_by) != 1 or "organization" in group_by or set(group_by) & {"admin1", "admin2"}
    ):
        errors.append(
            FieldError(
                "organization_id",
                _(
                    "For one organization's figures, group by one dimension other than organization, "
                    "state or district."
                ),
            )
        )
    if errors:
        raise ValidationError(message=_("These figures cannot be made."), errors=errors)
    return Ask(
        recipient,
        dataset,
        purpose,
        group_by,
        start,
        end,
        organization_id,
        own=own,
        k=k,
        period=chosen.text if chosen else "",
    )


def _period(period, start, end, errors: list, *, own: bool):
    """The days asked for, and their lattice period (None: all time, or a free range of the
    organization's own)."""
    if period not in (None, ""):
        try:
            chosen = disclosure.lattice_period(period)
        except ValueError:
            errors.append(
                FieldError(
                    "period",
                    _("Give a calendar month, quarter or year: %(forms)s.")
                    % {"forms": disclosure.PERIOD_FORMS},
                )
            )
            return None, None, None
        if start not in (None, "") or end not in (None, ""):
            errors.append(FieldError("period", _("Give a period, or from and to, not both.")))
        return chosen.start, chosen.end, chosen
    start, end = inputs.period(start, end, errors)
    if start is None and end is None:
        return None, None, None
    chosen = disclosure.period_of_days(start, end)
    if chosen is None and not own:
        errors.append(
            FieldError(
                "from" if start is not None else "to",
                _(
                    "Figures outside the organization are for a calendar month, quarter or year, not a "
                    "range of days: give period as %(forms)s."
                )
                % {"forms": disclosure.PERIOD_FORMS},
            )
        )
    return start, end, chosen


@dataclass
class Row:
    key: tuple  # one part per dimension; TOTAL in a margin
    labels: tuple
    figures: dict  # None values where withheld
    suppressed: str = ""  # "primary", "complementary" or ""
    key_sum: int = 0  # the sum of its workers' record keys (cell-key noise); never shown


@dataclass
class Figures:
    ask: Ask
    k: int
    unit: str  # "worker" or "worker_month"
    organizations: list[Organization]
    rows: list[Row]  # the cells, then the margins; a 1-D table's total last
    reason: str = ""  # why there is nothing, when there is nothing
    refreshed_at: object = None  # figures from the analytics engine: as of its last refresh

    @property
    def figure_names(self) -> tuple[str, ...]:
        return FIGURES[self.ask.dataset]

    @property
    def suppressed_count(self) -> int:
        return sum(1 for row in self.rows if row.suppressed)


def figures(ask: Ask) -> Figures:
    """The suppressed table for a checked request.

    One organization's figures are its row of the table by organization and the dimension asked,
    suppressed with the others' rows, so that it cannot be subtracted from the table of all."""
    if ask.own:
        return _table(ask, [ask.recipient.pk])
    organization_ids = sharing_organization_ids(ask.recipient, ask.purpose, ask.dataset, ask.on)
    unit = "worker_month" if "month" in ask.group_by else "worker"
    if ask.organization_id is not None and ask.organization_id not in organization_ids:
        reason = _("That organization does not share this kind of data with you for this purpose today.")
        return Figures(ask, disclosure.DEFAULT_K, unit, [], [], reason)
    if not organization_ids:
        reason = _("No organization shares this kind of data with you for this purpose today.")
        return Figures(ask, disclosure.DEFAULT_K, unit, [], [], reason)
    if ask.organization_id is not None:
        whole = _of_year(replace(ask, group_by=("organization", *ask.group_by)), organization_ids)
        rows = [
            replace(row, key=row.key[1:], labels=row.labels[1:])
            for row in whole.rows
            if row.key[0] == ask.organization_id
        ]
        organizations = [o for o in whole.organizations if o.pk == ask.organization_id]
        return Figures(ask, whole.k, unit, organizations, rows, whole.reason)
    return _of_year(ask, organization_ids)


def exact_figures(ask: Ask) -> Figures:
    """Every cell of the table as it is, nothing withheld and no noise: for the door's own checks
    (the attack suite, ``disclosure audit``, the engine's parity with the ORM). Never shown."""
    organization_ids = (
        [ask.recipient.pk]
        if ask.own
        else sharing_organization_ids(ask.recipient, ask.purpose, ask.dataset, ask.on)
    )
    unit = "worker_month" if "month" in ask.group_by else "worker"
    if not organization_ids:
        return Figures(ask, disclosure.DEFAULT_K, unit, [], [], "")
    return _table(ask, organization_ids, protect=False)


def _of_year(ask: Ask, organization_ids: list[int]) -> Figures:
    """A table by month for a quarter or a month is read from its year's one protected table: its
    cells are the year's cells of those months, as shown or withheld there, and a margin over the
    shorter period is shown only where every cell it adds up is shown. So the year's, the quarters'
    and the months' tables give together nothing that the year's alone does not."""
    if "month" not in ask.group_by or not ask.period or ask.period == ask.period[:4]:
        return _table(ask, organization_ids)
    year = disclosure.lattice_period(ask.period).year
    whole = _table(replace(ask, period=year.text, start=year.start, end=year.end), organization_ids)
    if not whole.rows:
        return replace(whole, ask=ask)
    at = ask.group_by.index("month")
    months = {f"{ask.start.year:04d}-{m:02d}" for m in range(ask.start.month, ask.end.month + 1)}
    inner = [row for row in whole.rows if row.key[at] in months]
    part = _table(ask, organization_ids, protect=False)
    margins = []
    for row in part.rows:
        if row.key[at] != disclosure.TOTAL:
            continue
        adds_up = [
            cell
            for cell in inner
            if all(
                mine == disclosure.TOTAL or mine == theirs
                for mine, theirs in zip(row.key, cell.key, strict=True)
            )
        ]
        if adds_up and all(not cell.suppressed for cell in adds_up):
            margins.append(row)
        else:
            margins.append(
                replace(row, figures=dict.fromkeys(FIGURES[ask.dataset]), suppressed="complementary")
            )
    return replace(whole, ask=ask, rows=inner + margins)


def _table(ask: Ask, organization_ids: list[int], *, protect: bool = True) -> Figures:
    organizations = list(Organization.objects.filter(pk__in=organization_ids).order_by("name"))
    unit = "worker_month" if "month" in ask.group_by else "worker"
    k = max([disclosure.checked_k(o.disclosure_k) for o in organizations] + [ask.k or 0])
    chain = None
    if ask.dataset in ("work", "grievances") and ask.purpose == SharingPurpose.COMPANY_DUE_DILIGENCE:
        chain = company_chain(ask.recipient, organization_ids)
    return _table_from_engine(ask, organizations, k, unit, chain, protect=protect)


def empty_figures(dataset: str) -> dict:
    """The figures of a cell that has no one in it."""
    counted = {"workers", "orders", "cases", "applications"}
    empty = {name: 0 if name in counted else None for name in FIGURES[dataset]}
    return empty | ({"currency": ""} if dataset == "work" else {})


def _suppression(protected, key: tuple) -> str:
    if key in protected.primary:
        return "primary"
    return "complementary" if key in protected.complementary else ""


def _table_from_engine(
    ask: Ask, organizations: list, k: int, unit: str, chain: dict | None, *, protect: bool = True
) -> Figures:
    """The same table from the engine's files (``insights.cells``): as of its last refresh, less the
    members whose consent changed since then. ``protect=False``: every cell as it is (for the door's
    own use, never shown)."""
    organization_ids = [o.pk for o in organizations]
    purpose = CONSENT_FOR_SHARING[ask.purpose]
    places = [code for code in ask.group_by if code in PLACES]
    try:
        with analytics.Snapshot(organization_ids) as snapshot:
            recent = consent_changed_since(organization_ids, snapshot.refreshed_at)
            found = _read(snapshot, ask, ask.group_by, purpose, recent, chain)
            # Places are protected as one hierarchy: read its finest cells too (``protect_tree``).
            tree = None
            if protect and places and "month" not in ask.group_by:
                tree = _read(snapshot, ask, PLACES, purpose, recent, chain).counts
    except analytics.Unavailable as problem:
        analytics.request_refresh(verify=problem.damaged)
        return Figures(
            ask, k, unit, organizations, [], problem.message, refreshed_at=analytics.last_refresh()
        )
    analytics.keep_fresh(found.refreshed_at)
    if not found.counts:
        return Figures(
            ask, k, unit, organizations, [], _("No worker's data fits these choices."), found.refreshed_at
        )
    protected = disclosure.protect_counts(
        found.counts,
        k=k,
        dims=len(ask.group_by),
        codes=[_code_list(ask, code, organization_ids) for code in ask.group_by],
        margins=[_place_statuses(code, tree, k) if tree is not None else None for code in ask.group_by],
    )
    if not protect:  # every cell as it is: the keys only, nothing withheld
        protected = disclosure.Protected(k, protected.dims, dict.fromkeys(protected.counts, 0))
    elif protected.counts[(disclosure.TOTAL,) * len(ask.group_by)] is None:
        reason = _("Fewer than %(k)s workers fit these choices: no figure is shown.") % {"k": k}
        return Figures(ask, k, unit, organizations, [], reason, found.refreshed_at)
    rows = _rows(
        ask,
        protected,
        _labeller(ask, found.counts, chain),
        lambda key: found.figures.get(key) or empty_figures(ask.dataset),
    )
    for row in rows:
        row.key_sum = found.keys.get(row.key, 0)
    return Figures(ask, k, unit, organizations, rows, refreshed_at=found.refreshed_at)


def perturbed(result: Figures) -> Figures:
    """The table as it leaves the organization: every count and sum of a shown cell perturbed by
    the cell-key method (``core.disclosure.perturb``: the same workers, the same noise). Medians and
    shares stay as computed, rounded, and only for cells that pass. An organization's own figures
    (``own``) stay exact."""
    if result.ask.own:
        return result
    k = result.k
    rows = []
    for row in result.rows:
        values = dict(row.figures)
        workers = values.get("workers")
        if not row.suppressed and workers:
            values["workers"] = disclosure.perturb(workers, row.key_sum, k=k)
            for name in ("orders", "cases", "applications"):
                if values.get(name):
                    values[name] = disclosure.perturb(
                        values[name], row.key_sum, k=k, floor=1, offset=disclosure.SUM_OFFSET
                    )
        rows.append(replace(row, figures=values))
    return replace(result, rows=rows)


PLACES = ("country", "admin1", "admin2")  # a hierarchy, coarsest first


def _read(snapshot, ask: Ask, group_by: tuple, purpose: str, recent, chain) -> cells.Cells:
    if ask.dataset == "members":
        return cells.members(snapshot, group_by=group_by, consent=purpose, recent=recent)
    of_units = {"grievances": cells.grievances, "protection": cells.protection}.get(ask.dataset, cells.work)
    return of_units(
        snapshot, group_by=group_by, consent=purpose, recent=recent, start=ask.start, end=ask.end, chain=chain
    )


def _code_list(ask: Ask, code: str, organization_ids: list[int]) -> list | None:
    """The codes a dimension has whether or not anyone is in them (None: no fixed list)."""
    listed = {
        "category": Category.values,
        "gender": Gender.values,
        "sector": Sector.values,
        "problem": GrievanceCategory.values,
        "case_status": CaseStatus.values,
        "scheme_kind": SchemeKind.values,
        "organization": organization_ids,
    }
    if code == "month" and ask.period:
        return [f"{ask.start.year:04d}-{m:02d}" for m in range(ask.start.month, ask.end.month + 1)]
    return listed.get(code)


def _place_statuses(code: str, tree: dict, k: int) -> dict | None:
    """The statuses of a level of places, from the hierarchy protected whole; a name found under
    two parents is withheld if either is."""
    if code not in PLACES:
        return None
    level = PLACES.index(code)
    statuses = disclosure.protect_tree(tree, k=k)
    by_name: dict[tuple, str] = {}
    for path, status in statuses.items():
        if len(path) == level + 1:
            key = (path[level],)
            by_name[key] = max(by_name.get(key, disclosure.SHOWN), status, key=_severity)
    return by_name | {(disclosure.TOTAL,): statuses[()]}


def _severity(status: str) -> int:
    return {disclosure.SHOWN: 0, disclosure.COMPLEMENTARY: 1, disclosure.PRIMARY: 2}[status]


def _rows(ask: Ask, protected, labels, figures_of) -> list[Row]:
    """Cells then margins, in label order; every figure of a suppressed cell withheld."""
    rows = []
    for key in sorted(protected.counts, key=lambda key: _order(key, labels)):
        suppressed = _suppression(protected, key)
        values = dict.fromkeys(FIGURES[ask.dataset]) if suppressed else figures_of(key)
        rows.append(Row(key, tuple(labels(i, part) for i, part in enumerate(key)), values, suppressed))
    return rows


def _text(value: Decimal | None, places: str) -> str | None:
    return None if value is None else format(value.quantize(Decimal(places), rounding=ROUND_HALF_UP), "f")


# Labels and order --------------------------------------------------------------------------------


def _labeller(ask: Ask, cells, chain: dict | None):
    names = {
        "category": dict(Category.choices),
        "gender": dict(Gender.choices),
        "sector": dict(Sector.choices),
        "problem": dict(GrievanceCategory.choices),
        "case_status": dict(CaseStatus.choices),
        "scheme_kind": dict(SchemeKind.choices),
        "country": dict(countries),
        "organization": dict(
            Organization.objects.filter(
                pk__in={cell[i] for cell in cells for i, c in enumerate(ask.group_by) if c == "organization"}
            ).values_list("pk", "name")
        ),
    }
    if chain:
        names["party"] = names["supplier"] = {c.party: c.party_label for c in chain.values()} | {
            c.supplier: c.supplier_label for c in chain.values()
        }

    def label(index: int, part) -> str:
        if part == disclosure.TOTAL:
            return str(_("All"))
        code = ask.group_by[index]
        if part in (None, NOT_RECORDED):
            return str(_("Not recorded"))
        if code in ("admin1", "admin2"):
            return part.title()
        return str(names.get(code, {}).get(part, part))

    return label


def _order(key: tuple, labels) -> tuple:
    """Cells by their labels, margins after them."""
    return tuple((part == disclosure.TOTAL, labels(i, part).casefold()) for i, part in enumerate(key))


METHOD = gettext_lazy(
    "Only organizations with a live sharing agreement for this purpose and kind of data take part, and "
    "only members whose consent covers it. Each worker is counted once (grouped by month: once a month), "
    "in the cell of her own attributes and, for sector and work giver, where most of her orders fall. "
    "A cell of fewer than k workers is withheld, with enough others that the totals cannot give it away. "
    "Medians are over workers (each worker's own median first); no single worker's figure is shown."
)


def as_data(result: Figures) -> dict:
    """The table as the API returns it."""
    ask = result.ask
    return {
        "dataset": ask.dataset,
        "recipient_id": ask.recipient.pk,
        "purpose": ask.purpose,
        "group_by": list(ask.group_by),
        "period": ask.period,
        "from": ask.start,
        "to": ask.end,
        "on": ask.on,
        "k": result.k,
        "unit": result.unit,
        "organizations": [{"id": o.pk, "name": o.name} for o in result.organizations],
        "reason": result.reason,
        "refreshed_at": result.refreshed_at.isoformat() if result.refreshed_at else None,
        "suppressed_cells": result.suppressed_count,
        "method": str(METHOD),
        "rows": [
            {
                "key": dict(zip(ask.group_by, row.key, strict=True)),
                "labels": dict(zip(ask.group_by, row.labels, strict=True)),
                "margin": disclosure.TOTAL in row.key,
                "suppressed": row.suppressed,
                "figures": row.figures,
            }
            for row in result.rows
        ],
    }


def csv_lines(result: Figures):
    """The table as CSV rows (header first): labels, figures, and which cells are withheld and why."""
    names = result.figure_names
    yield [
        *(str(DIMENSIONS[code].label) for code in result.ask.group_by),
        *(str(FIGURE_LABELS[name]) for name in names),
        *(["currency"] if result.ask.dataset == "work" else []),
        str(_("Withheld")),
    ]
    for row in result.rows:
        yield [
            *row.labels,
            *("" if row.figures.get(name) is None else row.figures[name] for name in names),
            *([row.figures.get("currency") or ""] if result.ask.dataset == "work" else []),
            {"primary": _("fewer than k workers"), "complementary": _("would give away another cell")}.get(
                row.suppressed, ""
            ),
        ]
    yield []
    yield [str(_("k (smallest group shown)")), result.k]
    yield [str(_("Organizations")), "; ".join(o.name for o in result.organizations)]
    yield [str(_("Method")), str(METHOD)]
    if result.refreshed_at:
        yield [str(_("Figures as of")), result.refreshed_at.isoformat()]


# Open-data releases --------------------------------------------------------------------------------

RELEASE_ROLES = frozenset({Role.ORG_ADMIN, Role.NETWORK_ANALYST})


def published_releases():
    """Releases anyone may read (published, not withdrawn), newest first."""
    return Release.objects.filter(withdrawn_at__isnull=True).select_related("organization")


def get_published(release_id):
    try:
        return published_releases().get(pk=release_id)
    except (ValueError, TypeError, published_releases().model.DoesNotExist):
        raise Http404 from None


def releases_of(user, network):
    """A network's releases, withdrawn ones too, for its admins and analysts."""
    return tenancy.scoped(Release, user, network, roles=RELEASE_ROLES).defer(
        "data_csv", "data_parquet", "dictionary_csv"
    )


def get_release(user, release_id, network):
    return tenancy.get_scoped_or_404(Release, user, release_id, network, roles=RELEASE_ROLES)
