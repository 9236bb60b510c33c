"""A member's dues standing, computed from the constitution's rules and her dues payments. Pure
functions on plain values (no database), so each rule can be checked by hand.

The rules, as the pages and docs/architecture.md state them:

- Dues fall due on the first day of each period (month, quarter or year), starting with the period
  she joined in; for that first period they fall due on the day she joined.
- Only payments made on or before the day asked about count (her standing on a past day is what it
  was then).
- A period is paid when her payments labelled for it (``2026-03``, ``2026-Q1`` or ``2026``), in the
  rules' currency, add up to the dues amount; a payment labelled with the year also pays every month
  or quarter of that year when it adds up to the dues of all of them. Payments in another currency
  do not count.
- With a grace period of N days she stays in good standing for N days counting the day the dues fall
  due: dues due on 1 March with 30 days of grace are "in grace" to 30 March and "in arrears" from
  31 March. N = 0: in arrears from the day they fall due.
- Her standing on a day: ``paid_up`` when every period due by that day is paid; else ``in_grace``
  while the earliest unpaid period is within its grace; else ``in_arrears``.
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

PAID_UP, IN_GRACE, IN_ARREARS, NO_RULES = "paid_up", "in_grace", "in_arrears", "no_rules"
STANDINGS = (PAID_UP, IN_GRACE, IN_ARREARS, NO_RULES)
PERIODS_PER_YEAR = {"month": 12, "quarter": 4, "year": 1}


@dataclass(frozen=True)
class Rules:
    amount: Decimal
    currency: str
    period: str  # month, quarter or year
    grace_days: int


@dataclass(frozen=True)
class Standing:
    status: str
    unpaid_periods: list[str] = field(default_factory=list)
    owed: Decimal = Decimal("0")
    currency: str = ""
    grace_ends_on: date | None = None  # the last day in grace of the earliest unpaid period

    @property
    def in_good_standing(self) -> bool:
        return self.status in (PAID_UP, IN_GRACE)


def normalize_label(text: str) -> str:
    """A payment's period as entered (``2026-3``, ``2026-q1``, `` 2026 ``) in one spelling."""
    text = str(text or "").strip().upper()
    if found := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        return f"{found[1]}-{int(found[2]):02d}"
    if found := re.fullmatch(r"(\d{4})-?Q([1-4])", text):
        return f"{found[1]}-Q{found[2]}"
    return text


def period_of(day: date, period: str) -> tuple[str, date]:
    """The label and first day of the period (``month``, ``quarter``, ``year``) containing ``day``."""
    if period == "month":
        return f"{day.year}-{day.month:02d}", date(day.year, day.month, 1)
    if period == "quarter":
        quarter = (day.month - 1) // 3 + 1
        return f"{day.year}-Q{quarter}", date(day.year, 3 * quarter - 2, 1)
    return f"{day.year}", date(day.year, 1, 1)


def _next_start(start: date, period: str) -> date:
    months = {"month": 1, "quarter": 3, "year": 12}[period]
    month = start.month - 1 + months
    return date(start.year + month // 12, month % 12 + 1, 1)


def periods_due(joined_on: date, on: date, period: str) -> list[tuple[str, date]]:
    """Each period due by ``on``: (label, the day it falls due), oldest first."""
    if on < joined_on:
        return []
    label, start = period_of(joined_on, period)
    due = [(label, joined_on)]
    start = _next_start(start, period)
    while start <= on:
        due.append((period_of(start, period)[0], start))
        start = _next_start(start, period)
    return due


Payment = tuple[str, Decimal, str, date]  # label, amount, currency, paid on


def paid_labels(payments: list[Payment], rules: Rules, on: date) -> set[str]:
    """The labels of the periods her payments made by ``on`` pay in full."""
    totals: dict[str, Decimal] = {}
    for label, amount, currency, paid_on in payments:
        if currency == rules.currency and paid_on <= on:
            key = normalize_label(label)
            totals[key] = totals.get(key, Decimal("0")) + Decimal(amount)
    paid = {label for label, total in totals.items() if total >= rules.amount}
    if rules.period != "year":
        for label, total in totals.items():
            if re.fullmatch(r"\d{4}", label) and total >= rules.amount * PERIODS_PER_YEAR[rules.period]:
                year = int(label)
                start = date(year, 1, 1)
                while start.year == year:
                    paid.add(period_of(start, rules.period)[0])
                    start = _next_start(start, rules.period)
    return paid


def compute(
    rules: Rules | None, joined_on: date, payments: list[tuple[str, Decimal, str]], on: date
) -> Standing:
    """Her standing on ``on`` (see the module's rules)."""
    if rules is None:
        return Standing(NO_RULES)
    if rules.amount == 0:
        return Standing(PAID_UP, currency=rules.currency)
    paid = paid_labels(payments, rules, on)
    unpaid = [
        (label, due_on) for label, due_on in periods_due(joined_on, on, rules.period) if label not in paid
    ]
    if not unpaid:
        return Standing(PAID_UP, currency=rules.currency)
    first_due = unpaid[0][1]
    grace_ends_on = first_due + timedelta(days=rules.grace_days - 1) if rules.grace_days else None
    status = IN_GRACE if grace_ends_on is not None and on <= grace_ends_on else IN_ARREARS
    return Standing(
        status,
        unpaid_periods=[label for label, _due in unpaid],
        owed=rules.amount * len(unpaid),
        currency=rules.currency,
        grace_ends_on=grace_ends_on,
    )
