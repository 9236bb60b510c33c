"""The work dashboard's charts (``core.charts``), made from its board (``work.boards.WorkBoard``)."""

from django.utils.translation import gettext as _

from doorstep.core.charts import Bar, Chart

from . import boards

NAMES = ("earnings_by_sector", "earnings_by_month", "payment_delays", "orders_by_party", "below_by_month")


def _ratio_bars(cells) -> list[Bar]:
    return [
        Bar(c.label, None if c.median_ratio is None else float(c.median_ratio), _ratio_text(c.median_ratio))
        for c in cells
    ]


def _ratio_text(ratio) -> str:
    return "—" if ratio is None else f"{ratio:.2f}×"


def for_board(found) -> dict[str, Chart]:
    """Every chart of a board that has figures, by name."""
    board = found.board
    months = board["by"]["month"][-12:]
    minimum = _("minimum wage")
    per_hour = _("Median net earnings an hour ÷ the minimum wage an hour")
    delays = []
    for index, (low, high) in enumerate(boards.DELAY_BANDS):
        label = (
            _("%(low)s to %(high)s days") % {"low": low, "high": high}
            if high is not None
            else _("more than %(days)s days") % {"days": low - 1}
        )
        delays.append(Bar(label, found.delays.get(index, 0), str(found.delays.get(index, 0))))
    delays.append(Bar(_("not yet paid in full"), found.waiting, str(found.waiting)))
    parties = board["by"]["party"][:10]
    return {
        "earnings_by_sector": Chart(
            "earnings_by_sector",
            _("Earnings against the minimum wage, by sector"),
            per_hour,
            _ratio_bars(board["by"]["sector"]),
            reference=1,
            reference_label=minimum,
        ),
        "earnings_by_month": Chart(
            "earnings_by_month",
            _("Earnings against the minimum wage, by month"),
            per_hour,
            _ratio_bars(months),
            reference=1,
            reference_label=minimum,
        ),
        "below_by_month": Chart(
            "below_by_month",
            _("Share of orders below the minimum wage, by month"),
            _("Percent of the orders with a benchmark"),
            [
                Bar(
                    c.label,
                    None if c.below_minimum_share is None else float(c.below_minimum_share),
                    "—" if c.below_minimum_share is None else f"{c.below_minimum_share}%",
                )
                for c in months
            ],
            maximum=100,
        ),
        "payment_delays": Chart(
            "payment_delays",
            _("Days from delivery to full payment"),
            _("Orders"),
            delays,
        ),
        "orders_by_party": Chart(
            "orders_by_party",
            _("Orders by work giver (the ten with most)"),
            _("Orders"),
            [Bar(c.label, c.orders, str(c.orders)) for c in parties],
        ),
    }
