"""Money is never deleted (DESIGN.md §3): a correction is a reversing entry with who, when and why,
shown on the order's page and her passbook; an order deleted by mistake is voided, kept and left
out of every figure; only her erasure removes her orders and entries."""

import io
import json
import zipfile
from decimal import Decimal as D

import pytest

from doorstep.core import analytics
from doorstep.core.errors import ValidationError
from doorstep.core.models import AuditEvent
from doorstep.members.services import rights as member_rights
from doorstep.work import boards, stats
from doorstep.work.models import Delivery, Payment, WorkOrder
from doorstep.work.services import entries as entry_services
from doorstep.work.services import orders as order_services

from .conftest import ORDER


def _order(world, member, party, **extra):
    return order_services.create_order(
        world.org_a, data={**ORDER, "member": member.pk, "party": party.pk, **extra}, actor=world.organizer_a
    )


def _reverse_page(client, order, kind, entry, reason="typed 800 instead of 300"):
    return client.post(f"/orgs/union-a/work/orders/{order.pk}/{kind}/{entry.pk}/reverse/", {"reason": reason})


# Correcting an entry ------------------------------------------------------------------------------


def test_it_keeps_a_corrected_payment_and_records_its_reversal(world, login, delhi_member, party):
    order = _order(world, delhi_member, party())
    payment = order.payments.get(amount=800)
    response = _reverse_page(login(world.organizer_a), order, "payments", payment)
    assert response.status_code == 302
    assert Payment.objects.filter(pk=payment.pk, amount=800).exists()
    reversal = Payment.objects.get(reverses=payment)
    assert (reversal.amount, reversal.paid_on, reversal.method) == (
        D("-800"),
        payment.paid_on,
        payment.method,
    )
    assert reversal.reversal_reason == "typed 800 instead of 300"
    assert reversal.recorded_by == world.organizer_a and reversal.recorded_at is not None
    order.refresh_from_db()
    assert order.gross_paid == 300 and order.shortfall == D("875") and order.status == "partly_paid"


def test_it_audits_a_correction_with_ids_and_no_free_text(world, login, delhi_member, party):
    order = _order(world, delhi_member, party())
    payment = order.payments.get(amount=800)
    _reverse_page(login(world.organizer_a), order, "payments", payment, reason="typed twice")
    event = AuditEvent.objects.get(action="work_order.payments_reversed")
    reversal = Payment.objects.get(reverses=payment)
    assert event.metadata == {"entry_id": payment.pk, "reversal_id": reversal.pk, "reason_length": 11}


def test_rejects_a_correction_without_a_reason(world, login, delhi_member, party):
    order = _order(world, delhi_member, party())
    payment = order.payments.get(amount=800)
    client = login(world.organizer_a)
    response = _reverse_page(client, order, "payments", payment, reason="  ")
    assert response.status_code == 302
    assert not Payment.objects.filter(reverses__isnull=False).exists()
    assert "Say why" in client.get(response.url).content.decode()


def test_rejects_reversing_an_entry_twice(world, delhi_member, party):
    order = _order(world, delhi_member, party())
    payment = order.payments.get(amount=800)
    entry_services.reverse_entry(order, "payments", payment.pk, reason="typed twice", actor=world.organizer_a)
    with pytest.raises(ValidationError) as problem:
        entry_services.reverse_entry(order, "payments", payment.pk, reason="again", actor=world.organizer_a)
    assert problem.value.code == "already_reversed"
    assert Payment.objects.filter(reverses=payment).count() == 1


def test_rejects_reversing_a_reversal(world, delhi_member, party):
    order = _order(world, delhi_member, party())
    payment = order.payments.get(amount=800)
    reversal = entry_services.reverse_entry(
        order, "payments", payment.pk, reason="typo", actor=world.organizer_a
    )
    with pytest.raises(ValidationError) as problem:
        entry_services.reverse_entry(order, "payments", reversal.pk, reason="undo", actor=world.organizer_a)
    assert problem.value.code == "is_reversal"
    assert Payment.objects.filter(order=order).count() == 3


def test_it_reverses_a_delivery_with_its_rejection(world, delhi_member, party):
    order = _order(world, delhi_member, party())
    delivery = order.deliveries.get(quantity=40)
    entry_services.reverse_entry(
        order, "deliveries", delivery.pk, reason="wrong day", actor=world.organizer_a
    )
    reversal = Delivery.objects.get(reverses=delivery)
    assert (reversal.quantity, reversal.rejected) == (D("-40"), D("-6"))
    order.refresh_from_db()
    # 60 delivered, 4 rejected and paid: 12.50 × 60 = 750 expected; the last delivery is 10 June
    assert (order.delivered_qty, order.rejected_qty, order.expected_pay) == (60, 4, D("750"))
    assert str(order.delivered_on) == "2025-06-10" and not order.flag_rejected_without_reason


def test_the_order_page_shows_who_reversed_what_and_why(world, login, delhi_member, party):
    order = _order(world, delhi_member, party())
    payment = order.payments.get(amount=800)
    client = login(world.organizer_a)
    _reverse_page(client, order, "payments", payment, reason="typed 800 instead of 300")
    reversal = Payment.objects.get(reverses=payment)
    page = client.get(f"/orgs/union-a/work/orders/{order.pk}/").content.decode()
    assert f'id="payments-{reversal.pk}"' in page and f'href="#payments-{payment.pk}"' in page
    assert "typed 800 instead of 300" in page and "-800.00 INR" in page
    assert f"Recorded by {world.organizer_a}" in page
    assert page.count("Correct (reverse)") == 7  # the 8 entries less the one reversed; none on the reversal


# Changing an order --------------------------------------------------------------------------------


def test_it_keeps_the_entries_a_change_repeats(world, api, delhi_member, party):
    order = _order(world, delhi_member, party())
    before = set(order.payments.values_list("pk", flat=True))
    response = api(world.organizer_a).patch(
        f"/api/v1/work-orders/{order.pk}",
        {
            "product": "Zari cushion",
            "payments": [
                {"paid_on": "2025-06-25", "amount": "800"},
                {"paid_on": "2025-07-30", "amount": "300"},
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    assert set(order.payments.values_list("pk", flat=True)) == before


def test_it_reverses_what_a_change_leaves_out_and_adds_what_it_changes(world, api, delhi_member, party):
    order = _order(world, delhi_member, party())
    kept = order.payments.get(amount=800)
    changed = order.payments.get(amount=300)
    response = api(world.organizer_a).patch(
        f"/api/v1/work-orders/{order.pk}",
        {
            "payments": [
                {"paid_on": "2025-06-25", "amount": "800"},
                {"paid_on": "2025-07-30", "amount": "375"},
            ],
            "reason": "she was paid 375",
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    rows = list(order.payments.order_by("pk").values_list("pk", "amount", "reverses_id", "reversal_reason"))
    assert rows[:2] == [(kept.pk, D("800"), None, ""), (changed.pk, D("300"), None, "")]
    assert [row[1:] for row in rows[2:]] == [
        (D("-300"), changed.pk, "she was paid 375"),
        (D("375"), None, ""),
    ]
    body = response.json()
    assert [e["amount"] for e in body["entries"]["payments"]] == ["800.0000", "375.0000"]
    assert [e["reverses"] for e in body["history"]["payments"]] == [None, None, changed.pk, None]
    assert body["derived"]["gross_paid"] == "1175.0000" and body["status"] == "paid"


# Voiding an order ---------------------------------------------------------------------------------


def test_it_voids_an_order_instead_of_deleting_it(world, login, delhi_member, party):
    order = _order(world, delhi_member, party())
    client = login(world.organizer_a)
    response = client.post(f"/orgs/union-a/work/orders/{order.pk}/void/", {"reason": "recorded twice"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.voided_at is not None and order.voided_by == world.organizer_a
    assert order.void_reason == "recorded twice" and order.payments.count() == 2
    event = AuditEvent.objects.get(action="work_order.voided")
    assert event.metadata == {"reason_length": 14}
    page = client.get(f"/orgs/union-a/work/orders/{order.pk}/").content.decode()
    assert "This order is voided." in page and "recorded twice" in page and "Void this order" not in page


def test_rejects_voiding_without_a_reason(world, login, delhi_member, party):
    order = _order(world, delhi_member, party())
    login(world.organizer_a).post(f"/orgs/union-a/work/orders/{order.pk}/void/", {"reason": ""})
    order.refresh_from_db()
    assert order.voided_at is None


def test_rejects_changes_to_a_voided_order(world, api, delhi_member, party):
    order = _order(world, delhi_member, party())
    order_services.void_order(order, reason="recorded twice", actor=world.organizer_a)
    response = api(world.organizer_a).post(
        f"/api/v1/work-orders/{order.pk}/payments",
        {"paid_on": "2025-08-01", "amount": "75"},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["code"] == "order_voided"
    assert order.payments.count() == 2


def test_it_voids_through_the_api(world, api, delhi_member, party):
    order = _order(world, delhi_member, party())
    client = api(world.organizer_a)
    assert client.delete(f"/api/v1/work-orders/{order.pk}").status_code == 405
    response = client.post(
        f"/api/v1/work-orders/{order.pk}/void", {"reason": "recorded twice"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["voided_at"] is not None
    listed = client.get("/api/v1/work-orders", {"organization_id": world.org_a.pk}).json()["items"]
    assert [(o["id"], o["void_reason"]) for o in listed] == [(order.pk, "recorded twice")]


def test_a_voided_order_leaves_the_dashboard(world, login, delhi_member, party):
    p = party()
    _order(world, delhi_member, p)
    voided = _order(world, delhi_member, p, payments=[], her_hours="10")
    order_services.void_order(voided, reason="recorded twice", actor=world.organizer_a)
    analytics.refresh()
    board = boards.work_board(world.organizer_a, world.org_a).board
    orders = WorkOrder.objects.filter(organization=world.org_a)
    plain = stats.dashboard(orders, "INR")
    assert board["total"].orders == plain["total"].orders == 1
    assert board["total"].owed == plain["total"].owed == D("75")
    assert board["flags"]["unpaid"] == plain["flags"]["unpaid"] == 0


def test_the_engine_drops_an_order_voided_after_a_refresh(world, delhi_member, party):
    p = party()
    _order(world, delhi_member, p)
    voided = _order(world, delhi_member, p)
    analytics.refresh()
    order_services.void_order(voided, reason="recorded twice", actor=world.organizer_a)
    analytics.refresh()
    assert boards.work_board(world.organizer_a, world.org_a).board["total"].orders == 1


def test_the_order_list_marks_a_voided_order(world, login, delhi_member, party):
    order = _order(world, delhi_member, party())
    order_services.void_order(order, reason="recorded twice", actor=world.organizer_a)
    page = login(world.organizer_a).get("/orgs/union-a/work/orders/", {"member": delhi_member.pk})
    assert "Voided" in page.content.decode() and "Zari cushion cover" in page.content.decode()


# Her passbook -------------------------------------------------------------------------------------


def test_a_corrected_payment_shows_as_a_reversal_on_her_passbook(world, login, api, delhi_member, party):
    order = _order(world, delhi_member, party())
    payment = order.payments.get(amount=300)
    entry_services.reverse_entry(order, "payments", payment.pk, reason="never paid", actor=world.organizer_a)
    for layout in ("a4", "narrow"):
        page = (
            login(world.organizer_a)
            .get(f"/orgs/union-a/members/{delhi_member.pk}/passbook/", {"layout": layout})
            .content.decode()
        )
        assert "Payment reversed" in page and "-300.00 INR" in page and "never paid" in page
        assert "375.00 INR" in page  # owed: 1175 − 800
    body = api(world.organizer_a).get(f"/api/v1/members/{delhi_member.pk}/passbook").json()
    lines = [(line["what"], line["amount"], line["note"]) for line in body["orders"][0]["lines"]]
    assert ("payment_reversed", "-300.0000", "never paid") in lines


def test_her_passbook_shows_a_voided_order_outside_its_totals(world, login, delhi_member, party):
    p = party()
    _order(world, delhi_member, p)
    voided = _order(world, delhi_member, p, product="Mirror work")
    order_services.void_order(voided, reason="recorded twice", actor=world.organizer_a)
    page = login(world.organizer_a).get(f"/orgs/union-a/members/{delhi_member.pk}/passbook/").content.decode()
    assert "Mirror work" in page and "Voided" in page and "recorded twice" in page
    counted = '<td data-label="Orders">1</td><td data-label="Expected">1175.00</td>'
    assert counted + '<td data-label="Paid">1100.00</td>' in page  # one order counted


def test_the_passbook_api_marks_a_voided_order(world, api, delhi_member, party):
    p = party()
    _order(world, delhi_member, p)
    order_services.void_order(
        _order(world, delhi_member, p), reason="recorded twice", actor=world.organizer_a
    )
    body = api(world.organizer_a).get(f"/api/v1/members/{delhi_member.pk}/passbook").json()
    assert [o["voided"] for o in body["orders"]] == [False, True]
    assert [(t["orders"], t["owed"]) for t in body["totals"]] == [(1, "75.0000")]


# Her rights ---------------------------------------------------------------------------------------


def test_her_export_marks_reversals_and_voided_orders(world, login, delhi_member, party):
    order = _order(world, delhi_member, party())
    payment = order.payments.get(amount=300)
    entry_services.reverse_entry(order, "payments", payment.pk, reason="never paid", actor=world.organizer_a)
    order_services.void_order(order, reason="recorded twice", actor=world.organizer_a)
    archive = zipfile.ZipFile(
        io.BytesIO(login(world.organizer_a).get(f"/orgs/union-a/members/{delhi_member.pk}/export/").content)
    )
    data = json.loads(archive.read("member.json"))
    assert data["work.work_orders"][0]["voided"] is True
    assert data["work.work_orders"][0]["void_reason"] == "recorded twice"
    assert [(p["amount"], p["reverses"]) for p in data["work.payments"]] == [
        ("800.0000", None),
        ("300.0000", None),
        ("-300.0000", payment.pk),
    ]


def test_her_erasure_removes_reversals_and_voided_orders(world, delhi_member, party):
    p = party()
    order = _order(world, delhi_member, p)
    payment = order.payments.get(amount=300)
    entry_services.reverse_entry(order, "payments", payment.pk, reason="never paid", actor=world.organizer_a)
    order_services.void_order(
        _order(world, delhi_member, p), reason="recorded twice", actor=world.organizer_a
    )
    member_rights.erase_member(delhi_member, actor=world.admin_a)
    assert not WorkOrder.objects.exists() and not Payment.objects.exists()


def test_rejects_a_reversal_of_an_unknown_kind_naming_the_allowed_ones(world, api, delhi_member, party):
    order = _order(world, delhi_member, party())
    payment = order.payments.first()
    answer = api(world.organizer_a).post(
        f"/api/v1/work-orders/{order.pk}/wages/{payment.pk}/reverse",
        {"reason": "typed twice"},
        content_type="application/json",
    )
    assert answer.status_code == 422
    error = answer.json()["errors"][0]
    assert error["field"].endswith("kind") and "payments" in error["message"]
    assert not Payment.objects.filter(reverses=payment).exists()
