"""Every derived figure of a work order, against numbers worked out by hand."""

from datetime import date
from decimal import Decimal as D

from doorstep.work.derive import DeliveryIn, OrderIn, derive

TODAY = date(2026, 6, 30)


def _order(**extra) -> OrderIn:
    # 100 cushion covers at 12.50 given on 1 March; 100 delivered on 20 March, 10 rejected (4 with a
    # reason and paid, 6 without a reason), paid 800 on 25 March and 300 on 30 April;
    # electricity 40 and thread 60; she worked 30 h, her daughter 10 h.
    values = {
        "given_on": date(2026, 3, 1),
        "piece_rate": D("12.50"),
        "her_hours": D("30"),
        "deliveries": [
            DeliveryIn(date(2026, 3, 10), D("60"), D("4"), True, True),
            DeliveryIn(date(2026, 3, 20), D("40"), D("6"), False, False),
        ],
        "payments": [(date(2026, 4, 30), D("300")), (date(2026, 3, 25), D("800"))],
        "deductions": D("50"),
        "costs": D("100"),
        "helper_hours": D("10"),
    }
    values.update(extra)
    return OrderIn(**values)


def test_figures_by_hand():
    got = derive(_order(), benchmark_hourly=D("88.75"), late_after_days=30, today=TODAY)
    assert got.delivered_qty == 100 and got.rejected_qty == 10 and got.accepted_qty == 90
    # expected = 12.50 × (90 accepted + 4 rejected but paid) = 1175
    assert got.expected_pay == D("1175.0000")
    assert got.gross_paid == 1100 and got.shortfall == D("75.0000") and got.deductions_total == 50
    # net = 1100 − 100 = 1000; hours = 30 + 10 = 40; net hourly = 25
    assert got.net == 1000 and got.total_hours == 40 and got.net_hourly == D("25.0000")
    # ratio = 25 ÷ 88.75 = 0.28169… → 0.2817
    assert got.mw_ratio == D("0.2817")
    assert got.flag_below_minimum
    # 1100 < 1175: never paid in full; delivered 20 March, 102 days before 30 June > 30 → late
    assert got.fully_paid_on is None and got.payment_delay_days is None and got.flag_late
    assert got.flag_rejected_without_reason and not got.flag_unpaid
    assert got.status == "partly_paid" and got.work_date == date(2026, 3, 20)


def test_payment_delay_from_last_delivery_to_full_payment():
    order = _order(payments=[(date(2026, 3, 25), D("800")), (date(2026, 4, 30), D("375"))])
    got = derive(order, benchmark_hourly=None, late_after_days=30, today=TODAY)
    # the running total reaches 1175 on 30 April: 41 days after the last delivery (20 March)
    assert got.fully_paid_on == date(2026, 4, 30) and got.payment_delay_days == 41
    assert got.flag_late and got.status == "paid"
    assert not derive(order, benchmark_hourly=None, late_after_days=45, today=TODAY).flag_late
    assert got.mw_ratio is None and not got.flag_below_minimum  # no benchmark: no ratio, no flag


def test_paid_in_advance_is_no_delay():
    order = _order(
        deliveries=[DeliveryIn(date(2026, 3, 20), D("10"))], payments=[(date(2026, 3, 2), D("125"))]
    )
    got = derive(order, benchmark_hourly=None, late_after_days=30, today=TODAY)
    assert got.payment_delay_days == 0 and not got.flag_late and got.status == "paid"


def test_waiting_orders_become_late_with_time():
    order = _order(payments=[])
    assert not derive(order, benchmark_hourly=None, late_after_days=30, today=date(2026, 4, 19)).flag_late
    got = derive(order, benchmark_hourly=None, late_after_days=30, today=date(2026, 4, 20))
    assert got.flag_late and got.flag_unpaid and got.status == "delivered"


def test_zero_hours_with_pay_leave_the_hourly_figure_undefined():
    got = derive(
        _order(her_hours=D("0"), helper_hours=None),
        benchmark_hourly=D("88.75"),
        late_after_days=30,
        today=TODAY,
    )
    assert got.total_hours == 0 and got.net_hourly is None and got.mw_ratio is None
    assert not got.flag_below_minimum
    unknown = derive(
        _order(her_hours=None, helper_hours=None),
        benchmark_hourly=D("88.75"),
        late_after_days=30,
        today=TODAY,
    )
    assert unknown.total_hours is None and unknown.net_hourly is None


def test_costs_above_pay_give_negative_net_earnings():
    got = derive(_order(costs=D("1500")), benchmark_hourly=D("50"), late_after_days=30, today=TODAY)
    assert got.net == D("-400") and got.net_hourly == D("-10.0000") and got.mw_ratio == D("-0.2000")


def test_cancelled_after_materials_were_given():
    order = _order(entered_status="cancelled", materials_supplied=True, deliveries=[], payments=[])
    got = derive(order, benchmark_hourly=None, late_after_days=30, today=TODAY)
    assert got.status == "cancelled" and got.flag_cancelled_after_materials
    assert got.expected_pay == 0 and not got.flag_unpaid and not got.flag_late
    lost = derive(
        _order(entered_status="cancelled", materials_lost=True, deliveries=[], payments=[]),
        benchmark_hourly=None,
        late_after_days=30,
        today=TODAY,
    )
    assert lost.flag_cancelled_after_materials
    plain = derive(
        _order(entered_status="cancelled", deliveries=[], payments=[]),
        benchmark_hourly=None,
        late_after_days=30,
        today=TODAY,
    )
    assert not plain.flag_cancelled_after_materials


def test_no_earnings_figures_before_anything_is_delivered():
    got = derive(
        _order(deliveries=[], payments=[]), benchmark_hourly=D("88.75"), late_after_days=30, today=TODAY
    )
    assert got.net == -100 and got.net_hourly is None and got.mw_ratio is None and not got.flag_below_minimum
    # cancelled: what she spent and the hours she put in are a real loss
    cancelled = derive(
        _order(deliveries=[], payments=[], entered_status="cancelled"),
        benchmark_hourly=D("50"),
        late_after_days=30,
        today=TODAY,
    )
    assert (
        cancelled.net_hourly == D("-2.5000")
        and cancelled.mw_ratio == D("-0.0500")
        and cancelled.flag_below_minimum
    )


def test_status_before_delivery_is_as_entered():
    order = _order(deliveries=[], payments=[], entered_status="in_progress")
    assert derive(order, benchmark_hourly=None, late_after_days=30, today=TODAY).status == "in_progress"
    assert (
        derive(
            _order(deliveries=[], payments=[]), benchmark_hourly=None, late_after_days=30, today=TODAY
        ).status
        == "given"
    )


# Reversals (a correction: the entry's values negated, on the entry's own date) ----------------------


def test_a_reversed_payment_never_counts_as_paid_in_full():
    # 800 on 25 March; 375 on 30 April, reversed (recorded by mistake); 375 really paid on 10 May.
    order = _order(
        payments=[
            (date(2026, 3, 25), D("800")),
            (date(2026, 4, 30), D("375")),
            (date(2026, 4, 30), D("-375")),
            (date(2026, 5, 10), D("375")),
        ]
    )
    got = derive(order, benchmark_hourly=None, late_after_days=30, today=TODAY)
    # gross = 800 + 375 − 375 + 375 = 1175; paid in full on 10 May, 51 days after 20 March
    assert got.gross_paid == 1175 and got.shortfall == 0
    assert got.fully_paid_on == date(2026, 5, 10) and got.payment_delay_days == 51 and got.flag_late


def test_a_payment_reversed_in_full_leaves_her_unpaid():
    order = _order(payments=[(date(2026, 3, 25), D("1175")), (date(2026, 3, 25), D("-1175"))])
    got = derive(order, benchmark_hourly=None, late_after_days=30, today=TODAY)
    # nothing stands: delivered, 1175 expected, 0 paid, 102 days waiting on 30 June
    assert got.gross_paid == 0 and got.shortfall == D("1175.0000") and got.net == -100
    assert got.fully_paid_on is None and got.payment_delay_days is None
    assert got.flag_unpaid and got.flag_late and got.status == "delivered"


def test_a_reversed_payment_keeps_the_rejected_and_cancelled_flags():
    reversed_pay = [(date(2026, 3, 25), D("800")), (date(2026, 3, 25), D("-800"))]
    got = derive(_order(payments=reversed_pay), benchmark_hourly=None, late_after_days=30, today=TODAY)
    assert got.flag_rejected_without_reason  # 6 rejected without a reason on 20 March still stand
    cancelled = derive(
        _order(entered_status="cancelled", materials_supplied=True, deliveries=[], payments=reversed_pay),
        benchmark_hourly=None,
        late_after_days=30,
        today=TODAY,
    )
    assert cancelled.flag_cancelled_after_materials and cancelled.status == "cancelled"
    assert cancelled.gross_paid == 0 and not cancelled.flag_unpaid


def test_a_reversed_delivery_moves_the_last_delivery_and_its_rejection():
    # The delivery of 20 March (40, 6 rejected without a reason) was really on 15 March, and the
    # rejection had a reason: reversed, and recorded again.
    order = _order(
        deliveries=[
            DeliveryIn(date(2026, 3, 10), D("60"), D("4"), True, True),
            DeliveryIn(date(2026, 3, 20), D("40"), D("6"), False, False),
            DeliveryIn(date(2026, 3, 20), D("-40"), D("-6"), False, False),
            DeliveryIn(date(2026, 3, 15), D("40"), D("6"), True, False),
        ]
    )
    got = derive(order, benchmark_hourly=None, late_after_days=30, today=TODAY)
    assert got.delivered_qty == 100 and got.rejected_qty == 10 and got.expected_pay == D("1175.0000")
    assert got.delivered_on == date(2026, 3, 15) and got.work_date == date(2026, 3, 15)
    assert not got.flag_rejected_without_reason


def test_a_delivery_reversed_in_full_leaves_nothing_delivered():
    order = _order(
        deliveries=[DeliveryIn(date(2026, 3, 20), D("40")), DeliveryIn(date(2026, 3, 20), D("-40"))],
        payments=[],
    )
    got = derive(order, benchmark_hourly=D("88.75"), late_after_days=30, today=TODAY)
    assert got.delivered_qty == 0 and got.delivered_on is None and got.work_date == date(2026, 3, 1)
    assert got.net_hourly is None and not got.flag_unpaid and not got.flag_late and got.status == "given"


def test_the_daily_refresh_flags_orders_that_became_late(world, delhi_member, party):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from doorstep.work.models import WorkOrder
    from doorstep.work.services import figures as figure_services
    from doorstep.work.services import orders as order_services

    from .conftest import ORDER

    delivered = timezone.localdate() - timedelta(days=29)
    data = {
        **ORDER,
        "given_on": delivered - timedelta(days=5),
        "deliveries": [{"delivered_on": delivered, "quantity": "10"}],
        "payments": [],
        "deductions": [],
    }
    order = order_services.create_order(
        world.org_a, data={**data, "member": delhi_member.pk, "party": party().pk}, actor=world.admin_a
    )
    assert not order.flag_late
    figure_services.recompute(waiting_only=True, today=timezone.localdate() + timedelta(days=2))
    assert WorkOrder.objects.get(pk=order.pk).flag_late
    call_command("refresh_work")  # today: 29 days, not late yet
    assert not WorkOrder.objects.get(pk=order.pk).flag_late
