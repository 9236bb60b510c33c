"""A form's per-question summary, read from the analytics engine's ``answers`` (``core.analytics``):
for each choice question the count and share of each answer, for each number the median, range and a
histogram, for the others how many answered. Places are not in the engine: the page draws them from
the submissions themselves (opened and audited), and they never leave the organization.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from doorstep.core import analytics, tenancy
from doorstep.core.roles import STAFF_ROLES

from . import summary, xforms


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
    tenancy.require_role(user, form.organization_id, STAFF_ROLES)
    if form.latest is None:
        return SurveySummary(analytics.last_refresh())
    try:
        with analytics.Snapshot([form.organization_id]) as snapshot:
            result = _survey_summary(snapshot, form, language)
    except analytics.Unavailable as problem:
        analytics.request_refresh(verify=problem.damaged)
        return SurveySummary(analytics.last_refresh(), unavailable=problem.message)
    analytics.keep_fresh(result.refreshed_at)
    return result


def _survey_summary(snapshot, form, language: str) -> SurveySummary:
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
    if low == high or not counts:
        return [{"from": low, "to": high, "count": numbers, "width": 100.0}]
    step = (high - low) / summary.BINS
    top = max(counts.values())
    return [
        {
            "from": low + step * i,
            "to": low + step * (i + 1),
            "count": counts.get(i, 0),
            "width": round(counts.get(i, 0) * 100 / top, 1),
        }
        for i in range(summary.BINS)
    ]
