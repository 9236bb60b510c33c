"""Dashboards read from the analytics engine (``insights.engine``), never from the live tables.

Each board opens a snapshot of the named organizations' files only (the scope is the file list),
runs fixed SQL with parameters and says when its figures were last refreshed. A board older than
``ANALYTICS_MAX_AGE`` seconds asks for a refresh in the background (at most one waiting at a time).
"""

import time
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from doorstep.work import stats

from . import engine


def request_refresh(*, verify: bool = False) -> bool:
    """Queue a refresh unless one is already waiting; True when one was queued."""
    from .tasks import refresh_analytics

    marker = engine.root() / "queued"
    try:
        if time.time() - marker.stat().st_mtime < 600:
            return False
    except FileNotFoundError:
        pass
    engine.root().mkdir(parents=True, exist_ok=True)
    marker.touch()
    transaction.on_commit(lambda: refresh_analytics.enqueue(verify=verify))
    return True


def keep_fresh(refreshed_at: datetime | None) -> None:
    if refreshed_at is None or (timezone.now() - refreshed_at).total_seconds() > settings.ANALYTICS_MAX_AGE:
        request_refresh()


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
    from doorstep.core import tenancy
    from doorstep.core.roles import STAFF_ROLES

    tenancy.require_role(user, organization, STAFF_ROLES)
    try:
        with engine.Snapshot([organization.pk]) as snapshot:
            result = _work_board(snapshot, user, organization, currency, start, end)
    except engine.Unavailable as problem:
        if problem.damaged:
            request_refresh(verify=True)
        else:
            request_refresh()
        return WorkBoard(engine.last_refresh(), unavailable=problem.message)
    keep_fresh(result.refreshed_at)
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
    from doorstep.core.sectors import Sector
    from doorstep.supplychains.queries import parties_of

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


@dataclass
class SurveySummary:
    """A form's per-question summary (as ``surveys.summary.summarize`` gives it) from the engine."""

    refreshed_at: datetime | None
    total: int = 0
    items: list[dict] = field(default_factory=list)
    unavailable: str = ""


def survey_summary(user, form, language: str) -> SurveySummary:
    """The summary of a form of an organization whose staff ``user`` is (else ``PermissionDenied``):
    for each choice question the count and share of each answer, for each number the median, range
    and a histogram, for the others how many answered. Places (geopoints) are not in the engine: the
    page draws them from the submissions themselves."""
    from doorstep.core import tenancy
    from doorstep.core.roles import STAFF_ROLES

    tenancy.require_role(user, form.organization_id, STAFF_ROLES)
    if form.latest is None:
        return SurveySummary(engine.last_refresh())
    try:
        with engine.Snapshot([form.organization_id]) as snapshot:
            result = _survey_summary(snapshot, form, language)
    except engine.Unavailable as problem:
        request_refresh(verify=problem.damaged)
        return SurveySummary(engine.last_refresh(), unavailable=problem.message)
    keep_fresh(result.refreshed_at)
    return result


def _survey_summary(snapshot, form, language: str) -> SurveySummary:
    from doorstep.surveys import summary, xforms

    questions = xforms.questions(form.latest.structure)
    multiple = [
        q["path"]
        for q in questions
        if "all that apply" in q["type"] or q["type"].startswith("select_multiple")
    ]
    wanted = {"form": form.pk}
    answered = {
        path: int(n)
        for path, n in snapshot.query(
            "SELECT question, sum(answers) FROM answers WHERE form_id = $form GROUP BY question", wanted
        )
    }
    chosen: dict[str, dict[str, int]] = {}
    for path, name, count in snapshot.query(
        r"""SELECT question, name, sum(answers) FROM (
               SELECT question, answers, unnest(CASE WHEN list_contains($multiple, question)
                                                     THEN regexp_split_to_array(trim(choice), '\s+')
                                                     ELSE [choice] END) AS name
               FROM answers WHERE form_id = $form AND choice IS NOT NULL)
           WHERE name <> '' GROUP BY ALL""",
        wanted | {"multiple": multiple},
    ):
        chosen.setdefault(path, {})[name] = int(count)
    # Numbers come as counts of each value: the median is the value at the middle of their running
    # total (the mean of the two in the middle, for an even count).
    numbers = {
        path: (median, low, high, int(count))
        for path, median, low, high, count in snapshot.query(
            """WITH v AS (SELECT question, number, sum(answers) AS n FROM answers
                          WHERE form_id = $form AND number IS NOT NULL GROUP BY ALL),
               r AS (SELECT question, number, sum(n) OVER (PARTITION BY question ORDER BY number) AS upto,
                            sum(n) OVER (PARTITION BY question) AS total FROM v)
               SELECT question,
                      (min(number) FILTER (WHERE upto >= floor((total + 1) / 2))
                       + min(number) FILTER (WHERE upto >= floor(total / 2) + 1)) / 2,
                      min(number), max(number), any_value(total)
               FROM r GROUP BY question""",
            wanted,
        )
    }
    bins: dict[str, dict[int, int]] = {}
    for path, index, count in snapshot.query(
        f"""SELECT a.question, least(CAST(floor((a.number - s.low) / ((s.high - s.low) / {summary.BINS}))
                                         AS INTEGER), {summary.BINS - 1}) AS bin, sum(a.answers)
            FROM answers a JOIN (SELECT question, min(number) AS low, max(number) AS high FROM answers
                                 WHERE form_id = $form AND number IS NOT NULL GROUP BY question) s
              USING (question)
            WHERE a.form_id = $form AND a.number IS NOT NULL AND s.high > s.low GROUP BY ALL""",  # noqa: S608 - a constant
        wanted,
    ):
        bins.setdefault(path, {})[index] = int(count)
    total = answered.get("", 0)
    items = []
    for question in questions:
        kind, path = question["type"], question["path"]
        count = answered.get(path, 0)
        item = {
            "path": path,
            "label": xforms.label_in(question["label"], language) or path,
            "type": kind,
            "answered": count,
            "of": total,
        }
        if kind.startswith("select"):
            counts = chosen.get(path, {})
            labels = {
                c["name"]: xforms.label_in(c.get("label", ""), language) or c["name"]
                for c in question["choices"]
            }
            top = max(counts.values(), default=0) or 1
            item["choices"] = [
                {
                    "name": name,
                    "label": labels.get(name, name),
                    "count": counts.get(name, 0),
                    "percent": round(100 * counts.get(name, 0) / count, 1) if count else 0,
                    "width": round(100 * counts.get(name, 0) / top, 1),
                }
                for name in [*labels, *sorted(set(counts) - set(labels))]
            ]
        elif kind in summary.NUMBER_TYPES and path in numbers:
            median, low, high = (_plain(value) for value in numbers[path][:3])
            item.update(
                median=median,
                minimum=low,
                maximum=high,
                histogram=_histogram(low, high, bins.get(path), numbers[path][3]),
            )
        items.append(item)
    return SurveySummary(snapshot.refreshed_at, total, items)


def _plain(value: float) -> Decimal:
    """A number as it was answered (the engine keeps doubles: 12.5, not 12.500000000000002)."""
    value = round(value, 9)
    return Decimal(int(value)) if value == int(value) else Decimal(repr(value))


def _histogram(low: Decimal, high: Decimal, counts: dict[int, int] | None, numbers: int) -> list[dict]:
    from doorstep.surveys.summary import BINS

    if low == high or not counts:
        return [{"from": low, "to": high, "count": numbers, "width": 100.0}]
    step = (high - low) / BINS
    top = max(counts.values())
    return [
        {
            "from": low + step * i,
            "to": low + step * (i + 1),
            "count": counts.get(i, 0),
            "width": round(counts.get(i, 0) * 100 / top, 1),
        }
        for i in range(BINS)
    ]
