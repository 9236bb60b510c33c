"""Charts of the aggregates door's tables (``core.charts``): what is shown of a table, as bars.

Only cells that are shown make bars (no margins, nothing withheld), so a chart discloses no more than
its table beside it does.
"""

from django.utils.translation import gettext as _

from doorstep.core import disclosure
from doorstep.core.charts import Bar, Chart

from . import queries

# The figure a one-dimension table is drawn by, for each dataset: (figure, unit shown after it).
CHARTED = {
    "members": ("workers", ""),
    "work": ("median_minimum_wage_ratio", "×"),
    "grievances": ("cases", ""),
    "protection": ("enrolled_percent", "%"),
}


def shown_cells(result: queries.Figures) -> list:
    """The table's cells that are shown and hold someone (no margins, nothing withheld, none of the
    code list's empty rows)."""
    return [
        r
        for r in result.rows
        if disclosure.TOTAL not in r.key and not r.suppressed and r.figures.get("workers") != 0
    ]


def _number(text) -> float | None:
    return None if text in (None, "") else float(text)


def bars(rows, figure: str, unit: str = "") -> list[Bar]:
    """A bar per row for one figure of the table (— where it has none)."""
    drawn = []
    for row in rows:
        value = row.figures.get(figure)
        drawn.append(Bar(row.labels[0], _number(value), f"{value}{unit}" if value not in (None, "") else "—"))
    return drawn


def for_table(result: queries.Figures) -> Chart | None:
    """The chart of a table by one dimension (members by area, cases by problem, earnings against
    the minimum wage by sector…); None for a table by two, or with nothing shown."""
    if result is None or len(result.ask.group_by) != 1:
        return None
    cells = shown_cells(result)
    if not cells:
        return None
    figure, unit = CHARTED[result.ask.dataset]
    dimension = queries.DIMENSIONS[result.ask.group_by[0]].label
    name = f"{result.ask.dataset}-by-{result.ask.group_by[0]}"
    if result.ask.dataset == "work":
        return Chart(
            name,
            _("Earnings against the minimum wage · %(dimension)s") % {"dimension": dimension},
            _("Median of each worker's net earnings an hour ÷ the minimum wage an hour"),
            bars(cells, figure, unit),
            reference=1,
            reference_label=_("minimum wage"),
        )
    label = str(queries.FIGURE_LABELS[figure])
    return Chart(name, f"{label} · {dimension}", label, bars(cells, figure, unit))
