from datetime import date
from decimal import Decimal

import pytest

from doorstep.market import services
from doorstep.market.models import SalesStatus, Share, TradingPartner
from doorstep.work.models import WorkOrder


@pytest.fixture
def buyer(world):
    return services.save_partner(
        world.org_a,
        data=services.PartnerInput(
            name="Fair Shop GmbH",
            kind="importer",
            country="DE",
            contact_name="Jana Canary",
            email="jana@fairshop.example",
        ),
        actor=world.admin_a,
    )


@pytest.fixture
def quote(world, buyer, product):
    """A quote for 30 bracelets at 77.00, the producers' agreed rate 50.00 a piece."""
    made = product()
    return services.create_sales_order(
        world.org_a,
        data=services.OrderInput(
            partner_id=buyer.pk,
            ordered_on="2026-02-01",
            lines=[services.LineInput(product_id=made.pk, quantity=30)],
        ),
        actor=world.admin_a,
    )


def _url(order, world, tail=""):
    return f"/api/v1/market/orders/{order.pk}{tail}?organization_id={world.org_a.pk}"


def test_a_partners_contact_is_sealed(world, buyer):
    row = TradingPartner.objects.get()
    assert b"jana@fairshop" not in bytes(row.contact) and b"Jana" not in bytes(row.contact)


def test_a_partner_of_another_organization_is_404(world, api, buyer):
    response = api(world.admin_b).get(f"/api/v1/market/partners/{buyer.pk}?organization_id={world.org_b.pk}")
    assert response.status_code == 404
    assert b"Fair Shop" not in response.content


def test_the_owner_reads_the_partners_contact(world, api, buyer):
    response = api(world.admin_a).get(f"/api/v1/market/partners/{buyer.pk}?organization_id={world.org_a.pk}")
    assert response.json()["email"] == "jana@fairshop.example"


def test_the_order_takes_the_products_price_and_fair_rate(world, api, quote):
    line = api(world.admin_a).get(_url(quote, world)).json()["lines"][0]
    assert Decimal(line["unit_price"]) == Decimal("77") and Decimal(line["piece_rate"]) == Decimal("50")


def test_a_split_that_does_not_add_up_is_refused_with_the_numbers(world, api, register, quote):
    one, two = register(full_name="Amina One"), register(full_name="Beth Two")
    line = quote.lines.get()
    response = api(world.admin_a).put(
        _url(quote, world, f"/lines/{line.pk}/shares"),
        {"shares": [{"member_id": one.pk, "quantity": 10}, {"member_id": two.pk, "quantity": 15}]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["code"] == "split_mismatch"
    assert "25" in response.json()["detail"] and "30" in response.json()["detail"]
    assert not line.shares.exists()


def test_an_order_cannot_be_accepted_before_it_is_shared(world, api, quote):
    response = api(world.admin_a).post(_url(quote, world, "/accept"))
    assert response.status_code == 422
    assert response.json()["code"] == "split_mismatch"
    assert not WorkOrder.objects.exists()


def _split_and_accept(world, api, quote, register):
    one, two = register(full_name="Amina One"), register(full_name="Beth Two")
    line = quote.lines.get()
    client = api(world.admin_a)
    client.put(
        _url(quote, world, f"/lines/{line.pk}/shares"),
        {"shares": [{"member_id": one.pk, "quantity": 10}, {"member_id": two.pk, "quantity": 20}]},
        content_type="application/json",
    )
    return one, two, client.post(_url(quote, world, "/accept"))


def test_accepting_gives_each_producer_her_work_order(world, api, register, quote):
    one, two, response = _split_and_accept(world, api, quote, register)
    assert response.status_code == 200
    assert response.json()["status"] == SalesStatus.ACCEPTED
    orders = {o.member_id: o for o in WorkOrder.objects.all()}
    assert orders[one.pk].quantity_ordered == 10 and orders[two.pk].quantity_ordered == 20
    assert {o.piece_rate for o in orders.values()} == {Decimal("50")}
    assert orders[one.pk].party.name == "Union A"  # the organization is the work giver


def test_her_passbook_shows_the_order(world, api, register, quote):
    one, _two, _response = _split_and_accept(world, api, quote, register)
    passbook = api(world.admin_a).get(f"/api/v1/members/{one.pk}/passbook").content.decode()
    assert "Beaded bracelet" in passbook


def test_the_split_cannot_change_after_acceptance(world, api, register, quote):
    one, _two, _response = _split_and_accept(world, api, quote, register)
    line = quote.lines.get()
    response = api(world.admin_a).put(
        _url(quote, world, f"/lines/{line.pk}/shares"),
        {"shares": [{"member_id": one.pk, "quantity": 30}]},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["code"] == "order_accepted"


def test_the_order_shows_money_in_money_out_and_margin(world, api, register, quote):
    _split_and_accept(world, api, quote, register)
    client = api(world.admin_a)
    client.post(
        _url(quote, world, "/payments"),
        {"received_on": "2026-03-01", "amount": "2310"},
        content_type="application/json",
    )
    share = quote.lines.get().shares.order_by("pk").first()
    response = client.post(
        _url(quote, world, f"/shares/{share.pk}/payouts"),
        {"paid_on": date.today().isoformat(), "amount": "500"},
        content_type="application/json",
    )
    assert response.status_code == 201
    money = response.json()["money"]
    assert Decimal(money["value"]) == Decimal("2310")
    assert Decimal(money["received"]) == Decimal("2310")
    assert Decimal(money["owed_to_producers"]) == Decimal("1500")
    assert Decimal(money["paid_to_producers"]) == Decimal("500")
    assert Decimal(money["margin"]) == Decimal("1810")


def test_the_order_page_splits_by_member_number(world, login, register, quote):
    one, two = register(full_name="Amina One"), register(full_name="Beth Two")
    line = quote.lines.get()
    client = login(world.organizer_a)
    response = client.post(
        f"/orgs/union-a/market/orders/{quote.pk}/",
        {"action": "split", "line": line.pk, "shares": f"{one.number}: 12\n{two.number}: 18"},
    )
    assert response.status_code == 302
    assert sorted(line.shares.values_list("quantity", flat=True)) == [12, 18]
    response = client.post(f"/orgs/union-a/market/orders/{quote.pk}/", {"action": "accept"})
    assert response.status_code == 302
    assert WorkOrder.objects.count() == 2


def test_the_order_page_names_a_bad_split(world, login, register, quote):
    one = register(full_name="Amina One")
    line = quote.lines.get()
    response = login(world.organizer_a).post(
        f"/orgs/union-a/market/orders/{quote.pk}/",
        {"action": "split", "line": line.pk, "shares": f"{one.number}: 7"},
    )
    assert response.status_code == 422
    assert "The shares add up to 7 pieces, but the line is for 30." in response.content.decode()


def test_sales_figures_by_product_and_buyer(world, api, register, quote):
    _split_and_accept(world, api, quote, register)
    figures = api(world.admin_a).get(f"/api/v1/market/figures?organization_id={world.org_a.pk}").json()
    assert (
        figures["product"][0]["key"] == "Beaded bracelet" and Decimal(figures["product"][0]["value"]) == 2310
    )
    assert figures["buyer"][0]["key"] == "Fair Shop GmbH"
    assert figures["month"][0]["key"] == "2026-02"
    assert figures["country"][0]["key"] == "DE"


def test_the_figures_give_the_producers_earnings_from_the_trade(world, api, register, quote):
    _split_and_accept(world, api, quote, register)
    share = quote.lines.get().shares.order_by("pk").first()
    client = api(world.admin_a)
    client.post(
        _url(quote, world, f"/shares/{share.pk}/payouts"),
        {"paid_on": date.today().isoformat(), "amount": "500"},
        content_type="application/json",
    )
    (earnings,) = client.get(f"/api/v1/market/figures?organization_id={world.org_a.pk}").json()["producers"]
    assert (earnings["currency"], earnings["orders"], Decimal(earnings["value"])) == (
        "INR",
        2,
        Decimal("500"),
    )


def test_her_shares_are_in_her_export_and_go_with_her_erasure(world, login, register, quote):
    from doorstep.core import rights

    one = register(full_name="Amina One")
    services.split_line(quote.lines.get(), shares=[services.ShareInput(one.pk, 30)], actor=world.admin_a)
    handler = next(h for h in rights.handlers() if h.app == "market")
    assert handler.export(one)["market_shares"][0]["quantity"] == 30
    client = login(world.admin_a)
    client.post(f"/orgs/union-a/members/{one.pk}/erase/", {"confirm": str(one.number)})
    assert not Share.objects.exists()


def test_a_quote_cannot_be_delivered(world, api, quote):
    response = api(world.admin_a).post(
        _url(quote, world, "/deliver"), {"delivered_on": "2026-03-01"}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["code"] == "not_accepted"


def test_an_accepted_order_is_delivered(world, api, register, quote):
    _split_and_accept(world, api, quote, register)
    response = api(world.admin_a).post(
        _url(quote, world, "/deliver"),
        {"delivered_on": date.today().isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "delivered"
