"""Work orders through the API: derived figures by hand, the benchmark used, bad input, entries."""

from decimal import Decimal as D

from doorstep.core.models import AuditEvent
from doorstep.work.models import WorkOrder

from .conftest import ORDER


def _post(client, world, member, party, **extra):
    body = {**ORDER, "organization_id": world.org_a.pk, "member_id": member.pk, "party_id": party.pk, **extra}
    return client.post("/api/v1/work-orders", body, content_type="application/json")


def test_an_order_with_its_figures_and_benchmark(world, api, delhi_member, party):
    response = _post(api(world.organizer_a), world, delhi_member, party())
    assert response.status_code == 201, response.json()
    body = response.json()
    derived = body["derived"]
    # By hand: accepted 90; expected 12.50 × (90 + 4 paid rejects) = 1175; paid 1100; net 1000;
    # hours 30 + 10 = 40; net hourly 25; Delhi's 710 a day ÷ 8 = 88.75 an hour; 25 ÷ 88.75 = 0.2817.
    assert (derived["accepted_qty"], derived["expected_pay"], derived["gross_paid"]) == (
        "90.000",
        "1175.0000",
        "1100.0000",
    )
    assert (derived["shortfall"], derived["net"], derived["total_hours"]) == ("75.0000", "1000.0000", "40.00")
    assert (derived["net_hourly"], derived["benchmark_hourly"], derived["mw_ratio"]) == (
        "25.0000",
        "88.7500",
        "0.2817",
    )
    assert derived["delivered_on"] == "2025-06-20" and derived["fully_paid_on"] is None
    assert set(body["flags"]) == {"below_minimum", "late", "rejected_without_reason"}
    assert body["status"] == "partly_paid"
    assert (
        body["benchmark"]["level"] == "region"
        and "710 INR a day ÷ 8 hours a day" in body["benchmark"]["reason"]
    )
    assert [e["amount"] for e in body["entries"]["payments"]] == ["800.0000", "300.0000"]
    assert AuditEvent.objects.filter(action="work_order.created", object_id=str(body["id"])).exists()


def test_entries_recompute_the_order(world, api, delhi_member, party):
    client = api(world.organizer_a)
    order_id = _post(client, world, delhi_member, party()).json()["id"]
    paid = client.post(
        f"/api/v1/work-orders/{order_id}/payments",
        {"paid_on": "2025-08-04", "amount": "75"},
        content_type="application/json",
    )
    assert paid.status_code == 201
    body = paid.json()
    # paid in full (1175) on 4 August: 45 days after the last delivery on 20 June, beyond 30
    assert (
        body["status"] == "paid" and body["derived"]["payment_delay_days"] == 45 and "late" in body["flags"]
    )
    payment_id = body["entries"]["payments"][-1]["id"]
    removed = client.post(
        f"/api/v1/work-orders/{order_id}/payments/{payment_id}/reverse",
        {"reason": "typed twice"},
        content_type="application/json",
    )
    assert removed.status_code == 201 and removed.json()["status"] == "partly_paid"
    worse = client.post(
        f"/api/v1/work-orders/{order_id}/costs",
        {"kind": "transport", "amount": "500"},
        content_type="application/json",
    )
    assert worse.json()["derived"]["net"] == "500.0000" and worse.json()["derived"]["net_hourly"] == "12.5000"


def test_bad_input_is_named_and_nothing_is_written(world, api, delhi_member, party):
    client = api(world.organizer_a)
    response = _post(
        client,
        world,
        delhi_member,
        party(),
        piece_rate="-2",
        quantity_ordered="0",
        currency="XYZ",
        deliveries=[{"delivered_on": "2025-06-10", "quantity": "10", "rejected": "12"}],
        payments=[{"paid_on": "2025-05-01", "amount": "100"}],
    )
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert errors["piece_rate"] == "Give a number above zero."
    assert errors["quantity_ordered"] == "Give a number above zero."
    assert "Unknown currency" in errors["currency"]
    assert errors["deliveries.0.rejected"] == "More pieces rejected than delivered."
    assert errors["payments.0.paid_on"].startswith("A payment cannot come before the work was given")
    assert not WorkOrder.objects.exists()
    order_id = _post(client, world, delhi_member, party("Another")).json()["id"]
    bad = client.post(
        f"/api/v1/work-orders/{order_id}/deliveries",
        {"delivered_on": "2025-06-01", "quantity": "5", "rejected": "6"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"delivered_on", "rejected"}
    assert WorkOrder.objects.get(pk=order_id).deliveries.count() == 2


def test_zero_hours_and_no_benchmark_are_said_plainly(world, api, register, party):
    member = register(admin1="Uttar Pradesh")  # no minimum wage for Uttar Pradesh in the reference data
    response = _post(api(world.organizer_a), world, member, party(), her_hours="0", helpers=[])
    body = response.json()
    assert body["derived"]["net_hourly"] is None and body["derived"]["mw_ratio"] is None
    assert body["benchmark"]["id"] is None
    assert (
        body["benchmark"]["reason"]
        == "No minimum wage is known for her area or for the whole country on 2025-06-20."
    )


def test_list_filters(world, api, delhi_member, party):
    client = api(world.organizer_a)
    first = party()
    _post(client, world, delhi_member, first)
    _post(client, world, delhi_member, party("Brand X", kind="brand"), payments=[], deliveries=[])
    assert len(client.get("/api/v1/work-orders").json()["items"]) == 2
    assert [o["party"] for o in client.get("/api/v1/work-orders", {"party": first.pk}).json()["items"]] == [
        "Rafiq Contractor"
    ]
    assert len(client.get("/api/v1/work-orders", {"flag": "below_minimum"}).json()["items"]) == 1
    assert len(client.get("/api/v1/work-orders", {"status": "given"}).json()["items"]) == 1
    assert len(client.get("/api/v1/work-orders", {"given_from": "2025-07-01"}).json()["items"]) == 0
    assert client.get("/api/v1/work-orders", {"organization_id": world.org_b.pk}).status_code == 404


def test_cancelled_after_materials(world, api, delhi_member, party):
    response = _post(
        api(world.organizer_a),
        world,
        delhi_member,
        party(),
        deliveries=[],
        payments=[],
        materials_value="400",
        status="cancelled",
        cancelled_on="2025-06-15",
        cancelled_by="giver",
        materials_lost=True,
    )
    body = response.json()
    assert body["status"] == "cancelled" and body["materials_supplied"] is True
    # she had spent 100 on electricity and thread and put in 40 hours: a loss, below the minimum wage
    assert body["flags"] == ["below_minimum", "cancelled_after_materials"]
    early = _post(
        api(world.organizer_a),
        world,
        delhi_member,
        party("Other"),
        deliveries=[],
        payments=[],
        status="cancelled",
        cancelled_on="2025-05-01",
    )
    assert {e["field"] for e in early.json()["errors"]} == {"cancelled_on"}


def test_benchmarks_api(world, api):
    client = api(world.organizer_a)
    rows = client.get("/api/v1/benchmarks", {"organization_id": world.org_a.pk, "country": "IN"}).json()
    assert {r["hourly"] for r in rows} >= {"88.7500", "88.7308", "107.7452"}
    created = client.post(
        "/api/v1/benchmarks",
        {
            "organization_id": world.org_a.pk,
            "kind": "minimum_wage",
            "country": "IN",
            "region": "Uttar Pradesh",
            "amount": "11000",
            "currency": "INR",
            "period": "month",
            "hours_per_day": "8",
            "days_per_month": "26",
            "effective_from": "2025-04-01",
            "source": "Union's copy of the state notification",
        },
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["hourly"] == "52.8846"  # 11000 ÷ 208
    assert created.json()["region_names"] == ["uttar pradesh"]
    bad = client.post(
        "/api/v1/benchmarks",
        {
            "organization_id": world.org_a.pk,
            "kind": "living_wage",
            "country": "IN",
            "amount": "500",
            "currency": "INR",
            "period": "day",
            "effective_from": "2025-01-01",
            "source": "",
        },
        content_type="application/json",
    )
    assert {e["field"] for e in bad.json()["errors"]} == {"hours_per_day", "source"}
    other = api(world.admin_b).get("/api/v1/benchmarks", {"organization_id": world.org_b.pk}).json()
    assert created.json()["id"] not in {r["id"] for r in other}
    reference = rows[0]["id"]
    assert (
        client.delete(f"/api/v1/benchmarks/{reference}?organization_id={world.org_a.pk}").status_code == 404
    )
    assert (
        client.delete(
            f"/api/v1/benchmarks/{created.json()['id']}?organization_id={world.org_a.pk}"
        ).status_code
        == 204
    )


def test_new_benchmark_recomputes_orders(world, api, register, party, run_jobs):
    client = api(world.organizer_a)
    member = register(admin1="Uttar Pradesh")
    order_id = _post(client, world, member, party()).json()["id"]
    assert WorkOrder.objects.get(pk=order_id).mw_ratio is None
    with run_jobs():
        client.post(
            "/api/v1/benchmarks",
            {
                "organization_id": world.org_a.pk,
                "kind": "minimum_wage",
                "country": "IN",
                "region": "Uttar Pradesh",
                "amount": "400",
                "currency": "INR",
                "period": "day",
                "hours_per_day": "8",
                "effective_from": "2025-01-01",
                "source": "test",
            },
            content_type="application/json",
        )
    order = WorkOrder.objects.get(pk=order_id)
    assert order.benchmark_hourly == D("50") and order.mw_ratio == D("0.5")  # 25 ÷ 50
