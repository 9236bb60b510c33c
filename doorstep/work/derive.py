"""The derived figures and flags of a work order (DESIGN.md §3), computed in one place.

For an order with deliveries (quantity, rejected, whether rejected pieces were paid), payments,
deductions, costs, her hours and her unpaid helpers' hours:

- ``delivered = Σ delivered``, ``rejected = Σ rejected``, ``accepted = delivered − rejected``
- ``expected pay = rate × (accepted + rejected pieces that were paid)``
- ``gross paid = Σ payments``; ``shortfall = expected − gross`` (negative: paid more than expected);
  deductions held back are already missing from the payments and are shown apart
- ``net = gross − Σ costs she bore``
- ``hours = her hours + Σ helpers' hours`` (unknown when neither is recorded)
- ``net hourly = net ÷ hours`` (undefined when hours are unknown or 0: never a division error; and
  only once something is delivered or the order is cancelled, before that nothing is due yet)
- ``ratio to the minimum wage = net hourly ÷ the benchmark's hourly wage`` (``benchmarks``)
- ``paid in full on`` = the date the running total of payments first reached the expected pay;
  ``payment delay = paid in full on − last delivery`` in days (0 if paid in advance)

Flags: *below minimum wage* (ratio < 1); *paid late* (delay above the organization's threshold, or
still not paid in full more than that many days after delivery, as of the day of computing);
*unpaid* (delivered, pay expected, nothing paid); *rejected without a reason*; *cancelled after
materials were given* (cancelled, and the giver had supplied materials or she lost materials).

Every sum reads an order's entries together with their reversals (DESIGN.md §3: a correction is a
reversing entry, dated as the entry it cancels, with its quantity, amount or hours negated), so it
is the net of what stands. Where a date is taken from entries, it is of what stands too: the *last
delivery* is the last date whose deliveries do not net to zero; *paid in full on* adds up each
day's payments and their reversals together (a reversed payment never counted as paid, even for a
moment); *rejected without a reason* counts the rejected pieces, net, of deliveries without a reason.

Status follows the record: cancelled when cancelled; paid when paid in full; partly paid when
something was paid; delivered when something was delivered; otherwise as entered (given or in
progress).

Stored figures keep 4 decimal places (quotients are rounded half up there); rounding for people
happens only when shown.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from doorstep.core.money import quantize

from .models import OrderStatus

ZERO = Decimal(0)


@dataclass(frozen=True)
class DeliveryIn:
    delivered_on: date
    quantity: Decimal
    rejected: Decimal = ZERO
    has_reason: bool = True
    rejected_paid: bool = False


@dataclass
class OrderIn:
    given_on: date
    piece_rate: Decimal
    her_hours: Decimal | None = None
    entered_status: str = OrderStatus.GIVEN
    materials_supplied: bool = False
    materials_lost: bool = False
    deliveries: list[DeliveryIn] = field(default_factory=list)
    payments: list[tuple[date, Decimal]] = field(default_factory=list)
    deductions: Decimal = ZERO
    costs: Decimal = ZERO
    helper_hours: Decimal | None = None  # None: no helpers recorded


@dataclass
class Derived:
    delivered_qty: Decimal
    rejected_qty: Decimal
    accepted_qty: Decimal
    expected_pay: Decimal
    gross_paid: Decimal
    deductions_total: Decimal
    shortfall: Decimal
    costs_total: Decimal
    net: Decimal
    total_hours: Decimal | None
    net_hourly: Decimal | None
    benchmark_hourly: Decimal | None
    mw_ratio: Decimal | None
    work_date: date
    delivered_on: date | None
    fully_paid_on: date | None
    payment_delay_days: int | None
    flag_below_minimum: bool
    flag_late: bool
    flag_unpaid: bool
    flag_rejected_without_reason: bool
    flag_cancelled_after_materials: bool
    status: str
    derived_on: date

    def as_fields(self) -> dict:
        return dict(self.__dict__)


DERIVED_FIELDS = [name for name in Derived.__dataclass_fields__ if name != "status"] + ["status"]


def _last_delivery(order: OrderIn) -> date | None:
    """The last date whose deliveries (with their reversals) do not net to zero."""
    by_day: dict[date, Decimal] = {}
    for d in order.deliveries:
        by_day[d.delivered_on] = by_day.get(d.delivered_on, ZERO) + d.quantity
    return max((on for on, quantity in by_day.items() if quantity), default=None)


def work_date(order: OrderIn) -> date:
    """The date the work was done, for choosing the benchmark: the last delivery, else the date given."""
    return _last_delivery(order) or order.given_on


def derive(order: OrderIn, *, benchmark_hourly: Decimal | None, late_after_days: int, today: date) -> Derived:
    delivered = sum((d.quantity for d in order.deliveries), ZERO)
    rejected = sum((d.rejected for d in order.deliveries), ZERO)
    rejected_paid = sum((d.rejected for d in order.deliveries if d.rejected_paid), ZERO)
    accepted = delivered - rejected
    expected = order.piece_rate * (accepted + rejected_paid)
    gross = sum((amount for _on, amount in order.payments), ZERO)
    net = gross - order.costs

    if order.her_hours is None and order.helper_hours is None:
        hours = None
    else:
        hours = (order.her_hours or ZERO) + (order.helper_hours or ZERO)
    # Earnings an hour mean something once the work is delivered (or the order cancelled): before
    # that she has simply not been paid for it yet.
    settled = delivered > 0 or order.entered_status == OrderStatus.CANCELLED
    net_hourly = quantize(net / hours) if hours and settled else None
    ratio = quantize(net_hourly / benchmark_hourly) if net_hourly is not None and benchmark_hourly else None

    delivered_on = _last_delivery(order)
    fully_paid_on = None
    if expected > 0:
        by_day: dict[date, Decimal] = {}
        for paid_on, amount in order.payments:
            by_day[paid_on] = by_day.get(paid_on, ZERO) + amount
        running = ZERO
        for paid_on in sorted(by_day):
            running += by_day[paid_on]
            if running >= expected:
                fully_paid_on = paid_on
                break
    delay = None
    if fully_paid_on is not None and delivered_on is not None:
        delay = max((fully_paid_on - delivered_on).days, 0)

    cancelled = order.entered_status == OrderStatus.CANCELLED
    waiting = delivered_on is not None and expected > 0 and fully_paid_on is None
    late = (delay is not None and delay > late_after_days) or (
        waiting and (today - delivered_on).days > late_after_days
    )
    if cancelled:
        status = OrderStatus.CANCELLED
    elif fully_paid_on is not None:
        status = OrderStatus.PAID
    elif gross > 0:
        status = OrderStatus.PARTLY_PAID
    elif delivered > 0:
        status = OrderStatus.DELIVERED
    else:
        status = (
            order.entered_status
            if order.entered_status in (OrderStatus.GIVEN, OrderStatus.IN_PROGRESS)
            else OrderStatus.GIVEN
        )

    return Derived(
        delivered_qty=delivered,
        rejected_qty=rejected,
        accepted_qty=accepted,
        expected_pay=quantize(expected),
        gross_paid=gross,
        deductions_total=order.deductions,
        shortfall=quantize(expected - gross),
        costs_total=order.costs,
        net=net,
        total_hours=hours,
        net_hourly=net_hourly,
        benchmark_hourly=benchmark_hourly,
        mw_ratio=ratio,
        work_date=work_date(order),
        delivered_on=delivered_on,
        fully_paid_on=fully_paid_on,
        payment_delay_days=delay,
        flag_below_minimum=ratio is not None and ratio < 1,
        flag_late=bool(late),
        flag_unpaid=delivered > 0 and expected > 0 and gross == 0,
        flag_rejected_without_reason=sum((d.rejected for d in order.deliveries if not d.has_reason), ZERO)
        > 0,
        flag_cancelled_after_materials=cancelled and (order.materials_supplied or order.materials_lost),
        status=status,
        derived_on=today,
    )
