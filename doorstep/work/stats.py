"""Work figures computed in Python: the dashboard's cells and their arrangement (``Summary``,
``arranged()``), which ``work.boards`` fills from the analytics engine; the same dashboard computed
from the live tables (``dashboard()``, ``currencies()``), the plain reckoning that the engine's board
is tested and benchmarked against; the comparison of fair rates with rates paid; and her passbook.

Figures are computed over the orders of one currency (the organization's most used, or the one
asked for): a median of rupees and shillings together would mean nothing. Inside the organization
no cell is suppressed; anything shown outside it goes through disclosure control (``core.disclosure``).
Voided orders count nowhere; the passbook shows them, marked, outside its totals.
"""

import statistics
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, QuerySet

from doorstep.core.sectors import Sector

from .models import WorkOrder

DIMENSIONS = ("party", "sector", "month")


def _median(values: list) -> Decimal | None:
    values = [v for v in values if v is not None]
    return Decimal(statistics.median(values)) if values else None


@dataclass
class Summary:
    """The figures of one row of the dashboard (or its total)."""

    key: str
    label: str
    orders: int
    median_net_hourly: Decimal | None
    below_minimum_share: Decimal | None  # % of the orders with a benchmark, to one decimal
    orders_with_benchmark: int
    median_delay: Decimal | None
    owed: Decimal
    median_ratio: Decimal | None = None  # of net hourly earnings to the minimum wage

    def as_dict(self) -> dict:
        def text(value):
            return None if value is None else format(value, "f")

        return {
            "key": self.key,
            "label": self.label,
            "orders": self.orders,
            "median_net_hourly": text(self.median_net_hourly),
            "below_minimum_percent": text(self.below_minimum_share),
            "orders_with_benchmark": self.orders_with_benchmark,
            "median_payment_delay_days": text(self.median_delay),
            "owed": text(self.owed),
            "median_minimum_wage_ratio": text(self.median_ratio),
        }


def share(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in %, to one decimal (None of nothing)."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Cell:
    """Figures gathered order by order (the plain way: what the analytics engine is measured against
    in ``make bench``, and checked against in the tests)."""

    key: str
    label: str
    orders: int = 0
    net_hourly: list = field(default_factory=list)
    ratios: list = field(default_factory=list)
    delays: list = field(default_factory=list)
    owed: Decimal = Decimal(0)

    def summary(self) -> Summary:
        return Summary(
            self.key,
            self.label,
            self.orders,
            _median(self.net_hourly),
            share(sum(1 for r in self.ratios if r < 1), len(self.ratios)),
            len(self.ratios),
            _median(self.delays),
            self.owed,
            _median(self.ratios),
        )


def currencies(orders: QuerySet[WorkOrder]) -> list[str]:
    """Currencies used by the orders, most used first."""
    rows = (
        orders.filter(voided_at__isnull=True)
        .values("currency")
        .annotate(n=Count("pk"))
        .order_by("-n", "currency")
    )
    return [row["currency"] for row in rows]


def dashboard(orders: QuerySet[WorkOrder], currency: str) -> dict:
    """Totals and breakdowns by party, sector and month for the orders in ``currency``."""
    sector_labels = dict(Sector.choices)
    total = Cell("all", "")
    cells: dict[str, dict[str, Cell]] = {d: {} for d in DIMENSIONS}
    flags = Counter()
    rows = orders.filter(currency=currency, voided_at__isnull=True).values_list(
        "party_id",
        "party__name",
        "sector",
        "given_on",
        "net_hourly",
        "mw_ratio",
        "payment_delay_days",
        "shortfall",
        "status",
        "flag_below_minimum",
        "flag_late",
        "flag_unpaid",
        "flag_rejected_without_reason",
        "flag_cancelled_after_materials",
    )
    for (
        party_id,
        party,
        sector,
        given_on,
        hourly,
        ratio,
        delay,
        shortfall,
        status,
        *flag_values,
    ) in rows.iterator(chunk_size=5000):
        keys = {
            "party": (str(party_id), party),
            "sector": (sector, str(sector_labels.get(sector, sector))),
            "month": (given_on.strftime("%Y-%m"), given_on.strftime("%Y-%m")),
        }
        for cell in [total] + [cells[d].setdefault(k, Cell(k, label)) for d, (k, label) in keys.items()]:
            cell.orders += 1
            cell.net_hourly.append(hourly)
            if ratio is not None:
                cell.ratios.append(ratio)
            if delay is not None:
                cell.delays.append(delay)
            if shortfall > 0 and status != "cancelled":
                cell.owed += shortfall
        for name, value in zip(
            FLAGS,
            flag_values,
            strict=True,
        ):
            flags[name] += int(value)
    return arranged(
        currency,
        total.summary(),
        {dimension: [c.summary() for c in found.values()] for dimension, found in cells.items()},
        flags,
    )


def arranged(currency: str, total: Summary, by: dict[str, list[Summary]], flags) -> dict:
    """The dashboard as pages and the API show it: work givers and sectors by orders, months in order."""
    return {
        "currency": currency,
        "total": total,
        "by": {
            "party": sorted(by.get("party", []), key=lambda c: (-c.orders, c.label)),
            "sector": sorted(by.get("sector", []), key=lambda c: (-c.orders, c.label)),
            "month": sorted(by.get("month", []), key=lambda c: c.key),
        },
        "flags": {code: int(flags.get(code, 0)) for code in FLAGS},
    }


FLAGS = ("below_minimum", "late", "unpaid", "rejected_without_reason", "cancelled_after_materials")


def compare_with_paid(fair_rate: Decimal, rates: list[Decimal]) -> dict:
    """How the rates paid compare with a fair rate: their median, the share of the fair rate it
    falls short by, and the rise it needs (both in %, to one decimal)."""
    if not rates:
        return {"orders": 0, "median_paid": None, "below_fair_percent": None, "raise_needed_percent": None}
    median = Decimal(statistics.median(rates))
    one = Decimal("0.1")
    below = ((fair_rate - median) / fair_rate * 100).quantize(one, rounding=ROUND_HALF_UP)
    rise = ((fair_rate - median) / median * 100).quantize(one, rounding=ROUND_HALF_UP) if median else None
    return {
        "orders": len(rates),
        "median_paid": format(median.normalize(), "f"),
        "below_fair_percent": format(below, "f"),
        "raise_needed_percent": None if rise is None else format(rise, "f"),
    }


@dataclass
class PartyTotals:
    party: str
    currency: str
    orders: int = 0
    expected: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)
    owed: Decimal = Decimal(0)


def passbook(orders: list[WorkOrder], today) -> dict:
    """Her ledger: each order with its deliveries, payments and deductions in date order (a
    correction as a line of its own: ``delivery_reversed``, ``rejection_reversed``,
    ``payment_reversed``, ``deduction_reversed``, negative, with its reason), what is still owed and
    how long she has waited; totals per work giver (and currency), voided orders left out of them."""
    entries, totals = [], {}
    order_of_lines = [
        "given",
        "delivered",
        "rejected",
        "delivery_reversed",
        "rejection_reversed",
        "paid",
        "payment_reversed",
        "deducted",
        "deduction_reversed",
    ]
    for order in orders:
        lines = [("given", order.given_on, order.quantity_ordered, None, "")]
        for d in order.deliveries.all():
            if d.is_reversal:
                lines.append(("delivery_reversed", d.delivered_on, d.quantity, None, d.reversal_reason))
                if d.rejected:
                    lines.append(("rejection_reversed", d.delivered_on, d.rejected, None, d.reversal_reason))
                continue
            lines.append(
                ("delivered", d.delivered_on, d.quantity, None, d.rejection_reason if d.rejected else "")
            )
            if d.rejected:
                lines.append(("rejected", d.delivered_on, d.rejected, None, d.rejection_reason))
        for p in order.payments.all():
            if p.is_reversal:
                lines.append(("payment_reversed", p.paid_on, None, p.amount, p.reversal_reason))
            else:
                lines.append(("paid", p.paid_on, None, p.amount, p.get_method_display()))
        for d in order.deductions.all():
            if d.is_reversal:
                lines.append(("deduction_reversed", d.deducted_on, None, d.amount, d.reversal_reason))
            else:
                lines.append(("deducted", d.deducted_on, None, d.amount, d.reason))
        lines.sort(key=lambda line: (line[1], order_of_lines.index(line[0])))
        voided = order.voided_at is not None
        if voided:
            waited, waiting = None, False
        elif order.fully_paid_on is not None:
            waited, waiting = order.payment_delay_days, False
        elif order.delivered_on is not None and order.status != "cancelled" and order.expected_pay > 0:
            waited, waiting = (today - order.delivered_on).days, True
        else:
            waited, waiting = None, False
        entries.append(
            {"order": order, "lines": lines, "waited": waited, "waiting": waiting, "voided": voided}
        )
        if voided:
            continue
        key = (order.party.name, order.currency)
        total = totals.setdefault(key, PartyTotals(order.party.name, order.currency))
        total.orders += 1
        total.expected += order.expected_pay
        total.paid += order.gross_paid
        total.owed += order.owed
    return {"entries": entries, "totals": sorted(totals.values(), key=lambda t: (t.currency, t.party))}
