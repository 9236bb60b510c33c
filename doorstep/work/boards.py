"""The organization's work dashboard, read from the analytics engine's ``orders`` (``core.analytics``),
never from the live tables: totals and rows by work giver, sector and month in one currency over a
period, the flags, and payment delays by band. It says when its figures were last refreshed and asks
for a refresh in the background when they are older than ``ANALYTICS_MAX_AGE``.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from doorstep.core import analytics, tenancy
from doorstep.core.roles import STAFF_ROLES
from doorstep.core.sectors import Sector
from doorstep.supplychains.queries import parties_of

from . import stats


@dataclass
class WorkBoard:
    """The organization's work dashboard: totals and rows by work giver, sector and month, in one
    currency, over a period (or all time)."""

    refreshed_at: datetime | None
    currencies: list[str] = field(default_factory=list)
    currency: str = ""
    board: dict | None = None  # as ``work.stats.arranged`` gives it; None when there are no orders
    delays: dict = field(default_factory=dict)  # {band: orders} of payment delays (see DELAY_BANDS)
    waiting: int = 0  # orders delivered and not yet paid in full
    unavailable: str = ""  # why there are no figures to show now


def work_board(
    user, organization, *, currency: str | None = None, start: date | None = None, end: date | None = None
) -> WorkBoard:
    """The board of an organization whose staff ``user`` is (else ``PermissionDenied``)."""
    tenancy.require_role(user, organization, STAFF_ROLES)
    try:
        with analytics.Snapshot([organization.pk]) as snapshot:
            result = _work_board(snapshot, user, organization, currency, start, end)
    except analytics.Unavailable as problem:
        if problem.damaged:
            analytics.request_refresh(verify=True)
        else:
            analytics.request_refresh()
        return WorkBoard(analytics.last_refresh(), unavailable=problem.message)
    analytics.keep_fresh(result.refreshed_at)
    return result


def _work_board(snapshot, user, organization, currency, start, end) -> WorkBoard:
    used = [code for code, _n in snapshot.query(CURRENCIES)]
    result = WorkBoard(snapshot.refreshed_at, used)
    if not used:
        return result
    result.currency = currency if currency in used else used[0]
    parameters = {"currency": result.currency, "start": start, "end": end}
    rows = snapshot.query(WORK_FIGURES, parameters)
    flags = dict(zip(stats.FLAGS, snapshot.query(WORK_FLAGS, parameters)[0], strict=True))
    sector_labels = dict(Sector.choices)
    names = dict(
        parties_of(user, organization)
        .filter(pk__in={row[0] for row in rows if row[0] is not None})
        .values_list("pk", "name")
    )
    total, by = None, {"party": [], "sector": [], "month": []}
    for party, sector, month, level, orders, hourly, with_ratio, below, delay, owed, ratio in rows:
        if level == "total":
            key, label = "all", ""
        elif level == "party":
            key, label = str(party), names.get(party, "")
        elif level == "sector":
            key, label = sector, str(sector_labels.get(sector, sector))
        else:
            key, label = month, month
        summary = stats.Summary(
            key,
            label,
            orders,
            _money(hourly),
            stats.share(below, with_ratio),
            with_ratio,
            _days(delay),
            _money(owed) or Decimal(0),
            _money(ratio),
        )
        if level == "total":
            total = summary
        else:
            by[level].append(summary)
    if total is None or not total.orders:
        result.board = None
        return result
    result.board = stats.arranged(result.currency, total, by, flags)
    for band, count in snapshot.query(WORK_DELAYS, parameters):
        if band is None:
            result.waiting = count
        else:
            result.delays[band] = count
    return result


def _money(value) -> Decimal | None:
    """An amount from the engine (a double) as amounts are stored: to 4 decimal places."""
    return None if value is None else Decimal(repr(value)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _days(value) -> Decimal | None:
    """A number of days: whole, or to one decimal for a median between two."""
    if value is None:
        return None
    days = Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return days.to_integral_value() if days == days.to_integral_value() else days


CURRENCIES = "SELECT currency, count(*) AS n FROM orders GROUP BY currency ORDER BY n DESC, currency"
_PERIOD = (
    "currency = $currency AND ($start IS NULL OR given_on >= $start) AND ($end IS NULL OR given_on <= $end)"
)
WORK_FIGURES = f"""
SELECT party_id, sector, month,
       CASE WHEN grouping(party_id) = 0 THEN 'party' WHEN grouping(sector) = 0 THEN 'sector'
            WHEN grouping(month) = 0 THEN 'month' ELSE 'total' END AS level,
       count(*) AS orders,
       median(net_hourly) AS hourly,
       count(mw_ratio) AS with_ratio,
       count(*) FILTER (WHERE mw_ratio < 1) AS below,
       median(payment_delay_days) AS delay,
       coalesce(sum(shortfall) FILTER (WHERE shortfall > 0 AND status <> 'cancelled'), 0) AS owed,
       median(mw_ratio) AS ratio
FROM orders WHERE {_PERIOD}
GROUP BY GROUPING SETS ((), (party_id), (sector), (month))
"""  # noqa: S608 - fixed text; values are parameters
WORK_FLAGS = f"""
SELECT count(*) FILTER (WHERE flag_below_minimum), count(*) FILTER (WHERE flag_late),
       count(*) FILTER (WHERE flag_unpaid), count(*) FILTER (WHERE flag_rejected_without_reason),
       count(*) FILTER (WHERE flag_cancelled_after_materials)
FROM orders WHERE {_PERIOD}
"""  # noqa: S608 - fixed text; values are parameters
# Payment delays in days, by band (the last one open-ended); orders still waiting for pay apart.
DELAY_BANDS = ((0, 7), (8, 15), (16, 30), (31, 60), (61, None))
WORK_DELAYS = f"""
SELECT CASE WHEN payment_delay_days IS NULL THEN NULL
            WHEN payment_delay_days <= 7 THEN 0 WHEN payment_delay_days <= 15 THEN 1
            WHEN payment_delay_days <= 30 THEN 2 WHEN payment_delay_days <= 60 THEN 3 ELSE 4 END AS band,
       count(*)
FROM orders WHERE {_PERIOD}
  AND (payment_delay_days IS NOT NULL OR status IN ('delivered', 'partly_paid'))
GROUP BY band
"""  # noqa: S608 - fixed text; values are parameters
