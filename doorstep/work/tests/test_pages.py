"""The work pages through the Django test client: parties, orders and entries, quick entry,
benchmarks, saved rates and rate cards, the passbook and the dashboard."""

from decimal import Decimal as D

from doorstep.core import analytics
from doorstep.core.models import AuditEvent
from doorstep.supplychains.models import Party
from doorstep.work.models import WorkOrder
from doorstep.work.services import orders as order_services

from .conftest import ORDER


def _order(world, member, party, **extra):
    return order_services.create_order(
        world.org_a, data={**ORDER, "member": member.pk, "party": party.pk, **extra}, actor=world.organizer_a
    )


def test_party_pages_seal_and_audit_contact_details(world, login):
    client = login(world.organizer_a)
    response = client.post(
        "/orgs/union-a/parties/new/",
        {
            "name": "Rafiq Contractor",
            "kind": "intermediary",
            "is_person": "on",
            "phones": "98123 45678",
            "locality": "Seelampur",
            "identifiers": "tax_id: 07AAACB1234F1Z5",
            "is_active": "on",
        },
    )
    party = Party.objects.get()
    assert response.status_code == 302 and party.identifiers == [
        {"scheme": "tax_id", "value": "07AAACB1234F1Z5"}
    ]
    assert b"98123" not in bytes(party.contact)  # sealed
    page = client.get(f"/orgs/union-a/parties/{party.pk}/")
    assert "98123 45678" in page.content.decode()
    assert AuditEvent.objects.filter(action="party.contact_read", actor_id=world.organizer_a.pk).exists()
    assert "Rafiq Contractor" in client.get("/orgs/union-a/parties/").content.decode()
    again = client.post(
        "/orgs/union-a/parties/new/",
        {"name": "Rafiq Contractor", "kind": "intermediary", "locality": "Seelampur"},
    )
    assert again.status_code == 422 and "already a work giver" in again.content.decode()
    bad = client.post(
        "/orgs/union-a/parties/new/", {"name": "X", "kind": "brand", "identifiers": "passport 123"}
    )
    assert bad.status_code == 422 and "scheme: value" in bad.content.decode()


def test_order_pages_and_entries(world, login, delhi_member, party):
    client = login(world.organizer_a)
    p = party()
    response = client.post(
        "/orgs/union-a/work/orders/new/",
        {
            "member_number": delhi_member.number,
            "party": p.pk,
            "given_on": "2025-06-02",
            "product": "Zari border",
            "sector": "embroidery",
            "quantity_ordered": "50",
            "unit": "piece",
            "piece_rate": "4",
            "currency": "INR",
            "her_hours": "10",
            "status": "given",
        },
    )
    order = WorkOrder.objects.get()
    assert response.status_code == 302 and response.url == f"/orgs/union-a/work/orders/{order.pk}/"
    page = client.get(response.url).content.decode()
    assert "Zari border" in page and "Not known until something is delivered." in page
    bad = client.post(
        f"/orgs/union-a/work/orders/{order.pk}/deliveries/add/",
        {"deliveries-delivered_on": "2025-06-09", "deliveries-quantity": "50", "deliveries-rejected": "60"},
    )
    assert bad.status_code == 422 and "More pieces rejected than delivered." in bad.content.decode()
    assert not order.deliveries.exists()
    client.post(
        f"/orgs/union-a/work/orders/{order.pk}/deliveries/add/",
        {"deliveries-delivered_on": "2025-06-09", "deliveries-quantity": "50"},
    )
    client.post(
        f"/orgs/union-a/work/orders/{order.pk}/payments/add/",
        {"payments-paid_on": "2025-06-12", "payments-amount": "200", "payments-method": "cash"},
    )
    order.refresh_from_db()
    # 50 × 4 = 200 paid in full 3 days after delivery; 200 ÷ 10 h = 20 an hour; 20 ÷ 88.75 = 0.2254
    assert (order.status, order.payment_delay_days, order.net_hourly, order.mw_ratio) == (
        "paid",
        3,
        D("20"),
        D("0.2254"),
    )
    page = client.get(f"/orgs/union-a/work/orders/{order.pk}/").content.decode()
    assert "Paid in full 3 days after delivery" in page and "710 INR a day" in page and "23%" in page
    payment = order.payments.get()
    client.post(
        f"/orgs/union-a/work/orders/{order.pk}/payments/{payment.pk}/reverse/",
        {"reason": "not paid after all"},
    )
    order.refresh_from_db()
    assert order.status == "delivered" and order.flag_unpaid
    edit = client.post(
        f"/orgs/union-a/work/orders/{order.pk}/edit/",
        {
            "member_number": "999",
            "party": p.pk,
            "given_on": "2025-06-02",
            "product": "Zari border",
            "sector": "embroidery",
            "quantity_ordered": "50",
            "unit": "piece",
            "piece_rate": "4",
            "currency": "INR",
            "status": "given",
        },
    )
    assert edit.status_code == 422 and "There is no member with this number." in edit.content.decode()
    listing = client.get("/orgs/union-a/work/orders/", {"flag": "unpaid"}).content.decode()
    assert "Zari border" in listing and "Unpaid" in listing
    voided = client.post(f"/orgs/union-a/work/orders/{order.pk}/void/", {"reason": "recorded twice"})
    assert voided.status_code == 302 and WorkOrder.objects.get().voided_at is not None


def test_quick_entry_is_all_or_nothing(world, login, register, party):
    client = login(world.organizer_a)
    first, second = (
        register("Sunita Devi", group="Jagatpur group"),
        register("Meena Devi", group="Jagatpur group"),
    )
    p = party()
    page = client.get("/orgs/union-a/work/quick/", {"group": first.group_id})
    assert "Sunita Devi" in page.content.decode() and "Meena Devi" in page.content.decode()
    common = {
        "party": p.pk,
        "product": "Sequin patch",
        "sector": "embroidery",
        "given_on": "2025-06-02",
        "piece_rate": "2.5",
        "unit": "piece",
        "currency": "INR",
    }
    bad = client.post(
        f"/orgs/union-a/work/quick/?group={first.group_id}",
        {**common, f"q_{first.pk}": "40", f"q_{second.pk}": "-3"},
    )
    assert bad.status_code == 422 and "Give a number above zero." in bad.content.decode()
    assert not WorkOrder.objects.exists()
    good = client.post(
        f"/orgs/union-a/work/quick/?group={first.group_id}",
        {**common, f"q_{first.pk}": "40", f"q_{second.pk}": "25"},
    )
    assert good.status_code == 302
    assert sorted(
        WorkOrder.objects.values_list("member__full_name" if False else "quantity_ordered", flat=True)
    ) == [D("25"), D("40")]
    assert set(WorkOrder.objects.values_list("party_id", "product", "piece_rate")) == {
        (p.pk, "Sequin patch", D("2.5"))
    }


def test_benchmark_page(world, login):
    client = login(world.organizer_a)
    page = client.get("/orgs/union-a/work/benchmarks/").content.decode()
    assert (
        "Delhi (NCT)" in page
        and "18456 INR a month ÷ (26 days a month × 8 hours a day) = 88.7308 an hour." in page
    )
    bad = client.post(
        "/orgs/union-a/work/benchmarks/",
        {
            "kind": "minimum_wage",
            "country": "IN",
            "amount": "400",
            "currency": "INR",
            "period": "month",
            "effective_from": "2025-01-01",
            "source": "x",
        },
    )
    assert bad.status_code == 422 and "needs its hours a day" in bad.content.decode()
    good = client.post(
        "/orgs/union-a/work/benchmarks/",
        {
            "kind": "living_wage",
            "country": "IN",
            "region": "Uttar Pradesh",
            "amount": "600",
            "currency": "INR",
            "period": "day",
            "hours_per_day": "8",
            "effective_from": "2025-01-01",
            "source": "Union estimate 2025",
        },
    )
    assert (
        good.status_code == 302
        and "Union estimate 2025" in client.get("/orgs/union-a/work/benchmarks/").content.decode()
    )


def test_saved_rate_and_rate_card_compare_with_rates_paid(world, login, delhi_member, party):
    client = login(world.organizer_a)
    p = party()
    _order(world, delhi_member, p, product="Zari cushion cover", piece_rate="1.00")
    _order(world, delhi_member, p, product="zari cushion cover", piece_rate="1.20")
    response = client.post(
        "/orgs/union-a/work/rates/",
        {
            "product": "Zari cushion cover",
            "party": p.pk,
            "unit": "piece",
            "method": "rated_output",
            "currency": "INR",
            "hourly_wage": "62.50",
            "uplift": "1.2",
            "samples": "40 60\n50 60",
        },
    )
    assert response.status_code == 302
    card = client.get(response.url).content.decode()
    # 62.50 × 1.2 ÷ 45 = 1.6667; paid median 1.10 → (1.6667 − 1.10) ÷ 1.6667 = 34.0 % below;
    # the rise needed: (1.6667 − 1.10) ÷ 1.10 = 51.5 %
    assert "1.67 INR" in card and "1.6667 INR a piece" in card
    assert (
        "Median rate paid: 1.1 INR over 2 orders — 34.0% below the fair rate; "
        "it must rise by 51.5% to be fair." in card
    )
    missing = client.post(
        "/orgs/union-a/work/rates/",
        {"product": "", "method": "standard_minutes", "currency": "INR", "hourly_wage": "80"},
    )
    assert missing.status_code == 422


def test_passbook_for_staff_and_for_herself(world, login, api, delhi_member, party):
    from doorstep.members.services import logins as member_services

    p = party()
    _order(world, delhi_member, p)
    _order(world, delhi_member, party("Brand X", kind="brand"), deliveries=[], payments=[], deductions=[])
    page = login(world.organizer_a).get(f"/orgs/union-a/members/{delhi_member.pk}/passbook/").content.decode()
    # 1175 expected, 1100 paid, 75 owed, waiting since 20 June 2025
    assert "Sunita Devi" in page and "1175.00" in page and "75.00 INR" in page and "late" in page
    assert AuditEvent.objects.filter(action="member.pii_read", metadata__reason="passbook").exists()
    narrow = (
        login(world.organizer_a)
        .get(f"/orgs/union-a/members/{delhi_member.pk}/passbook/?layout=narrow")
        .content.decode()
    )
    assert 'class="passbook narrow"' in narrow
    member_services.give_login(delhi_member, pin="480271", actor=world.admin_a)
    delhi_member.refresh_from_db()
    own = login(delhi_member.user).get("/orgs/union-a/me/passbook/")
    assert own.status_code == 200 and "Zari cushion cover" in own.content.decode()
    assert (
        login(delhi_member.user).get(f"/orgs/union-a/members/{delhi_member.pk}/passbook/").status_code == 403
    )
    body = api(world.organizer_a).get(f"/api/v1/members/{delhi_member.pk}/passbook").json()
    totals = {t["party"]: t for t in body["totals"]}
    assert totals["Rafiq Contractor"]["owed"] == "75.0000" and totals["Brand X"]["expected"] == "0.0000"


def test_dashboard_figures_and_the_late_threshold(world, login, api, delhi_member, party, run_jobs):
    p = party()
    _order(world, delhi_member, p)  # net hourly 25, ratio 0.2817, not paid in full, 75 owed
    _order(
        world,
        delhi_member,
        p,
        payments=[{"paid_on": "2025-06-30", "amount": "1175"}],
        costs=[],
        helpers=[],
        her_hours="10",
    )  # net 1175 over 10 h = 117.5 an hour (ratio 1.3239), paid 10 days after delivery
    page = login(world.organizer_a).get("/orgs/union-a/work/").content.decode()
    assert "being prepared for the first time" in page  # nothing extracted yet
    analytics.refresh()
    page = login(world.organizer_a).get("/orgs/union-a/work/").content.decode()
    assert "Figures as of" in page
    assert "71.25 INR" in page  # median of 25 and 117.5
    assert "50.0%" in page and "75.00 INR" in page
    summary = api(world.organizer_a).get("/api/v1/work-summary", {"organization_id": world.org_a.pk}).json()
    assert summary["total"]["median_payment_delay_days"] == "10" and summary["by"]["party"][0]["orders"] == 2
    assert (
        login(world.organizer_a).post("/orgs/union-a/work/settings/", {"late_payment_days": "5"}).status_code
        == 403
    )
    assert WorkOrder.objects.filter(flag_late=True).count() == 1
    with run_jobs():
        login(world.admin_a).post("/orgs/union-a/work/settings/", {"late_payment_days": "5"})
    assert WorkOrder.objects.filter(flag_late=True).count() == 2  # 10 days is now late


def test_the_passbook_is_in_her_language(world, login, register, party):
    member = register(admin1="Delhi", languages=["hi", "ur"])
    _order(world, member, party())
    client = login(world.organizer_a)
    page = client.get(f"/orgs/union-a/members/{member.pk}/passbook/").content.decode()
    assert 'lang="hi"' in page and "पासबुक" in page and "काम देने वाले के अनुसार बकाया" in page
    english = client.get(f"/orgs/union-a/members/{member.pk}/passbook/?lang=en").content.decode()
    assert "What is owed, by work giver" in english and 'href="?layout=a4&amp;lang=hi"' in english
    arabic = client.get(f"/orgs/union-a/members/{member.pk}/passbook/?lang=ar").content.decode()
    assert 'dir="rtl"' in arabic
