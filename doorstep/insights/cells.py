"""The cells of the aggregates door (``insights.queries``) computed by the analytics engine.

The same rules as the door states, in SQL over the engine's files: only the sharing organizations'
files are read; only members whose consent (as of the last refresh) covers the purpose count, and
none whose consent changed since then (a withdrawal takes effect at once, a new consent at the next
refresh); a unit is a worker (or a worker in a month), placed in the cell of her own attributes and,
for sector, work giver and supplier, of the value most of her orders have (a tie goes to the first
in order); figures are medians over units of each unit's own median.

Returns the inner cells' counts of units (for ``core.disclosure``) and every cell's and margin's
figures; the door suppresses, labels and orders them.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import pyarrow as pa

from doorstep.core.analytics import MOST_OF as _MOST_OF
from doorstep.core.disclosure import TOTAL

MOST_OF = _MOST_OF.format(value="value")

# What a dimension is, in the SQL below: the unit's column (``u``) or her member row's (``m``).
_MEMBER_ATTRIBUTE = {
    "category": "m.category",
    "gender": "m.gender",
    "country": "m.member_country",
    "admin1": "m.admin1",
    "admin2": "m.admin2",
    "organization": "m.organization_id",  # hers, and so her orders' and cases'
}
_ORDER_ATTRIBUTE = {"sector": "u.sector", "month": "u.month", "party": "u.party", "supplier": "u.supplier"}
# Of her cases: the value most of them have.
_CASE_ATTRIBUTE = {"problem": "u.problem", "case_status": "u.case_status", "party": "u.party"}


@dataclass
class Cells:
    counts: dict[tuple, int]  # inner cells only: units in each
    figures: dict[tuple, dict]  # every cell and margin (TOTAL in a margin's parts)
    refreshed_at: object
    keys: dict[tuple, int] = field(default_factory=dict)  # every cell's sum of record keys


def _consent_column(purpose: str) -> str:
    return {
        "network_sharing": "consent_network_sharing",
        "company_statistics": "consent_company_statistics",
    }.get(purpose, "consent_research")


def members(snapshot, *, group_by: tuple, consent: str, recent: list[int]) -> Cells:
    """Active members who consent, each in the cell of her own attributes (sector: the first she gave)."""
    dims = [("m.sector" if code == "sector" else _MEMBER_ATTRIBUTE[code]) for code in group_by]
    sql = f"""
        WITH c AS (SELECT {_keys(dims)}, m.record_key FROM members m
                   WHERE m.{_consent_column(consent)} AND m.status = 'active'
                     AND NOT list_contains($recent, m.id))
        SELECT {_grouped(len(dims))}, count(*) AS workers, sum(record_key) FROM c GROUP BY {_sets(len(dims))}
    """  # noqa: S608 - fixed fragments; values are parameters
    rows = snapshot.query(sql, {"recent": recent})
    return _cells(rows, len(dims), lambda values: {"workers": values[0]}, snapshot.refreshed_at)


def work(
    snapshot,
    *,
    group_by: tuple,
    consent: str,
    recent: list[int],
    start,
    end,
    chain: dict | None,
    summaries: bool = True,
) -> Cells:
    """Workers (or worker-months) with their orders' figures. Over all of her orders (no period, no
    month, no supply chain), a worker is read from the refresh's summary (``workers``), the same
    figures computed once; otherwise her orders are read."""
    by_month = "month" in group_by
    if summaries and not by_month and start is None and end is None and chain is None:
        return _work_of_summaries(snapshot, group_by=group_by, consent=consent, recent=recent)
    unit = "o.member_id, o.month" if by_month else "o.member_id"
    unit_names = "member_id, month" if by_month else "member_id"
    chain_filter = "AND o.party_id IN (SELECT party_id FROM chain)" if chain is not None else ""
    if chain is not None:
        _register_chain(snapshot, chain)
    votes = []
    for code in ("sector", "party", "supplier"):
        if code not in group_by:
            continue
        value = "o.sector" if code == "sector" else f"ch.{code}"
        join = "" if code == "sector" else "JOIN chain ch ON ch.party_id = o.party_id"
        counted = f"SELECT {unit}, {value} AS value, count(*) AS n FROM chosen o {join} GROUP BY ALL"  # noqa: S608
        votes.append(
            f"{code}_pick AS (SELECT {unit_names}, {MOST_OF} AS {code} "  # noqa: S608
            f"FROM ({counted}) GROUP BY ALL)"
        )
    picks = "".join(
        f" JOIN {code}_pick USING ({unit_names})"
        for code in ("sector", "party", "supplier")
        if code in group_by
    )
    picked = "".join(f", {code}_pick.{code}" for code in ("sector", "party", "supplier") if code in group_by)
    dims = [_MEMBER_ATTRIBUTE.get(code) or _ORDER_ATTRIBUTE[code] for code in group_by]
    sql = f"""
        WITH chosen AS (
            SELECT o.* FROM orders o JOIN members m ON m.id = o.member_id
            WHERE m.{_consent_column(consent)} AND NOT list_contains($recent, o.member_id)
              AND ($start IS NULL OR o.given_on >= $start) AND ($end IS NULL OR o.given_on <= $end)
              {chain_filter}
        ),
        units AS (
            SELECT {unit}, any_value(o.organization_id) AS organization_id, count(*) AS orders,
                   median(o.net_hourly) AS hourly, median(o.mw_ratio) AS ratio,
                   median(o.payment_delay_days) AS delay, sum(o.delivered_qty) AS delivered,
                   sum(o.rejected_qty) AS rejected,
                   count(*) FILTER (WHERE o.status = 'cancelled') AS cancelled,
                   min(o.currency) AS currency_low, max(o.currency) AS currency_high
            FROM chosen o GROUP BY {unit}
        ){"".join(", " + v for v in votes)},
        u AS (SELECT units.*{picked} FROM units{picks}),
        c AS (SELECT {_keys(dims)}, u.*, m.record_key FROM u JOIN members m ON m.id = u.member_id)
        SELECT {_grouped(len(dims))}, {_WORK_FIGURES}, sum(record_key)
        FROM c GROUP BY {_sets(len(dims))}
    """  # noqa: S608 - fixed fragments; values are parameters
    rows = snapshot.query(sql, {"recent": recent, "start": start, "end": end})
    return _cells(rows, len(dims), _work_figures, snapshot.refreshed_at)


# Over units, each with her orders' figures: medians of her medians, sums of her sums.
_WORK_FIGURES = """count(*) AS workers, sum(orders), median(hourly), min(currency_low), max(currency_high),
    median(ratio), count(ratio), count(*) FILTER (WHERE ratio < 1), median(delay), sum(delivered),
    sum(rejected), sum(cancelled)"""


def _work_of_summaries(snapshot, *, group_by: tuple, consent: str, recent: list[int]) -> Cells:
    """``work`` for workers over all their orders, from the summaries written at refresh."""
    dims = [_MEMBER_ATTRIBUTE.get(code) or _ORDER_ATTRIBUTE[code] for code in group_by]
    sql = f"""
        WITH c AS (
            SELECT {_keys(dims)}, u.orders, u.hourly, u.ratio, u.delay, u.delivered, u.rejected,
                   u.cancelled, u.currency_low, u.currency_high, m.record_key
            FROM workers u JOIN members m ON m.id = u.member_id
            WHERE m.{_consent_column(consent)} AND NOT list_contains($recent, u.member_id)
        )
        SELECT {_grouped(len(dims))}, {_WORK_FIGURES}, sum(record_key)
        FROM c GROUP BY {_sets(len(dims))}
    """  # noqa: S608 - fixed fragments; values are parameters
    rows = snapshot.query(sql, {"recent": recent})
    return _cells(rows, len(dims), _work_figures, snapshot.refreshed_at)


def grievances(
    snapshot, *, group_by: tuple, consent: str, recent: list[int], start, end, chain: dict | None
) -> Cells:
    """Members named on cases opened in the period, each with her cases; a case naming several
    members counts once in a cell. For a company, only cases against work givers in its chain."""
    chain_filter = ""
    if chain is not None:
        _register_chain(snapshot, chain)
        chain_filter = "AND list_has_any(c.party_ids, (SELECT list(party_id) FROM chain))"
    counted = {
        "problem": "SELECT member_id, category AS value, count(*) AS n FROM links GROUP BY ALL",
        "case_status": "SELECT member_id, status AS value, count(*) AS n FROM links GROUP BY ALL",
        "party": "SELECT l.member_id, ch.party AS value, count(*) AS n "
        "FROM (SELECT member_id, unnest(party_ids) AS party_id FROM links) l "
        "JOIN chain ch ON ch.party_id = l.party_id GROUP BY ALL",
    }
    voted = [code for code in ("problem", "case_status", "party") if code in group_by]
    votes = "".join(
        f", {code}_pick AS (SELECT member_id, {MOST_OF} AS {code} "  # noqa: S608
        f"FROM ({counted[code]}) GROUP BY ALL)"
        for code in voted
    )
    picks = "".join(f" LEFT JOIN {code}_pick USING (member_id)" for code in voted)
    picked = "".join(f", {code}_pick.{code}" for code in voted)
    dims = [_MEMBER_ATTRIBUTE.get(code) or _CASE_ATTRIBUTE[code] for code in group_by]
    sql = f"""
        WITH links AS (
            SELECT c.* FROM cases c JOIN members m ON m.id = c.member_id
            WHERE m.{_consent_column(consent)} AND NOT list_contains($recent, c.member_id)
              AND ($start IS NULL OR c.opened_on >= $start) AND ($end IS NULL OR c.opened_on <= $end)
              {chain_filter}
        ),
        units AS (SELECT member_id, any_value(organization_id) AS organization_id FROM links GROUP BY ALL)
        {votes},
        u AS (SELECT units.*{picked} FROM units{picks}),
        c AS (SELECT {_keys(dims)}, u.member_id, m.record_key FROM u JOIN members m ON m.id = u.member_id),
        rows AS (
            SELECT c.*, l.case_id,
                   CASE WHEN l.status = 'resolved' AND l.finished_on IS NOT NULL
                        THEN l.finished_on - l.opened_on END AS days
            FROM c JOIN links l USING (member_id)
        )
        SELECT {_grouped(len(dims))}, count(DISTINCT member_id), count(DISTINCT case_id),
               list(DISTINCT {{'case': case_id, 'days': days}}) FILTER (WHERE days IS NOT NULL),
               list_sum(list_transform(list(DISTINCT {{'m': member_id, 'k': record_key}}), lambda x: x.k))
        FROM rows GROUP BY {_sets(len(dims))}
    """  # noqa: S608 - fixed fragments; values are parameters
    rows = snapshot.query(sql, {"recent": recent, "start": start, "end": end})
    return _cells(rows, len(dims), _case_figures, snapshot.refreshed_at)


def protection(
    snapshot, *, group_by: tuple, consent: str, recent: list[int], start, end, chain: dict | None
) -> Cells:
    """Social-protection coverage: every active member who consents is a unit (with or without an
    application), in the cell of her own attributes and, by scheme or kind of scheme, of the one most
    of her applications (started by the period's end) are for; blank with none. Figures: members,
    applications, and the shares who applied and who are enrolled in at least one scheme."""
    del chain  # a company's chain does not bear on coverage
    voted = [code for code in ("scheme", "scheme_kind") if code in group_by]
    votes = "".join(
        f", {code}_pick AS (SELECT member_id, {MOST_OF} AS {code} "  # noqa: S608
        f"FROM (SELECT member_id, {code} AS value, count(*) AS n FROM links GROUP BY ALL) GROUP BY ALL)"
        for code in voted
    )
    picks = "".join(f" LEFT JOIN {code}_pick ON {code}_pick.member_id = m.id" for code in voted)
    dims = [
        (
            f"{code}_pick.{code}"
            if code in voted
            else "m.sector"
            if code == "sector"
            else _MEMBER_ATTRIBUTE[code]
        )
        for code in group_by
    ]
    sql = f"""
        WITH links AS (
            SELECT v.* FROM coverage v
            WHERE ($start IS NULL OR v.started_on >= $start) AND ($end IS NULL OR v.started_on <= $end)
        ),
        mine AS (
            SELECT member_id, count(*) AS applications, bool_or(enrolled) AS enrolled FROM links GROUP BY ALL
        )
        {votes},
        c AS (
            SELECT {_keys(dims)}, m.record_key, coalesce(mine.applications, 0) AS applications,
                   coalesce(mine.enrolled, false) AS enrolled
            FROM members m LEFT JOIN mine ON mine.member_id = m.id{picks}
            WHERE m.{_consent_column(consent)} AND m.status = 'active' AND NOT list_contains($recent, m.id)
        )
        SELECT {_grouped(len(dims))}, count(*) AS workers, sum(applications),
               count(*) FILTER (WHERE applications > 0), count(*) FILTER (WHERE enrolled), sum(record_key)
        FROM c GROUP BY {_sets(len(dims))}
    """  # noqa: S608 - fixed fragments; values are parameters
    rows = snapshot.query(sql, {"recent": recent, "start": start, "end": end})
    return _cells(rows, len(dims), _coverage_figures, snapshot.refreshed_at)


def _coverage_figures(values) -> dict:
    workers, applications, applied, enrolled = values
    return {
        "workers": workers,
        "applications": int(applications or 0),
        "applied_percent": _text(100 * applied / workers, "0.1") if workers else None,
        "enrolled_percent": _text(100 * enrolled / workers, "0.1") if workers else None,
    }


def _case_figures(values) -> dict:
    workers, cases, resolved = values
    days = sorted(item["days"] for item in resolved or [])
    middle = len(days) // 2
    median = None if not days else days[middle] if len(days) % 2 else (days[middle - 1] + days[middle]) / 2
    return {
        "workers": workers,
        "cases": cases,
        "resolved_percent": _text(100 * len(days) / cases, "0.1") if cases else None,
        "median_days_to_resolution": _text(median, "0.1"),
    }


def _register_chain(snapshot, chain: dict) -> None:
    """The company's chain as the table ``chain``: each party id, with the work giver and supplier
    it counts as."""
    snapshot.db.register(
        "chain",
        pa.table(
            {
                "party_id": pa.array(list(chain), pa.int64()),
                "party": pa.array([p.party for p in chain.values()], pa.string()),
                "supplier": pa.array([p.supplier for p in chain.values()], pa.string()),
            }
        ),
    )


def _keys(dims: list[str]) -> str:
    """The cell's parts as d0, d1: blank where not recorded."""
    parts = []
    for i, expression in enumerate(dims):
        if expression == "m.organization_id":
            parts.append(f"{expression} AS d{i}")
        else:
            parts.append(f"coalesce(CAST({expression} AS VARCHAR), '') AS d{i}")
    return ", ".join(parts)


def _grouped(dims: int) -> str:
    return ", ".join([f"d{i}" for i in range(dims)] + [f"grouping(d{i})" for i in range(dims)])


def _sets(dims: int) -> str:
    if dims == 3:  # the finest cells of a hierarchy, and the total
        return "GROUPING SETS ((d0, d1, d2), ())"
    if dims == 1:
        return "GROUPING SETS ((d0), ())"
    return "GROUPING SETS ((d0, d1), (d0), (d1), ())"


def _cells(rows, dims: int, figures, refreshed_at) -> Cells:
    """Each row: the cell's parts, which of them are margins, its figures, and last the sum of its
    workers' record keys."""
    counts, found, keys = {}, {}, {}
    for row in rows:
        parts, margins, values = row[:dims], row[dims : 2 * dims], row[2 * dims : -1]
        if not values[0]:
            continue  # the grand total of nothing (grouping sets give it even over no rows)
        key = tuple(TOTAL if margin else part for part, margin in zip(parts, margins, strict=True))
        found[key] = figures(values)
        keys[key] = int(row[-1] or 0)
        if not any(margins):
            counts[key] = values[0]
    return Cells(counts, found, refreshed_at, keys)


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(repr(float(value)))


def _text(value, places: str) -> str | None:
    value = _decimal(value)
    return None if value is None else format(value.quantize(Decimal(places), rounding=ROUND_HALF_UP), "f")


def _work_figures(values) -> dict:
    workers, orders, hourly, low, high, ratio, with_ratio, below, delay, delivered, rejected, cancelled = (
        values
    )
    single = low is not None and low == high
    return {
        "workers": workers,
        "orders": int(orders),
        "median_net_hourly": _text(hourly, "0.01") if single else None,
        "currency": low if single else "",
        "median_minimum_wage_ratio": _text(ratio, "0.01"),
        "below_minimum_percent": _text(100 * below / with_ratio, "0.1") if with_ratio else None,
        "median_payment_delay_days": _text(delay, "0.1"),
        "rejection_percent": _text(100 * rejected / delivered, "0.1") if delivered else None,
        "cancellation_percent": _text(100 * cancelled / orders, "0.1") if orders else None,
    }
