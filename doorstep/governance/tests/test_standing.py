"""Dues standing: the pure rules checked by hand at their edges, then through the public query, the
API, the arrears list, receipts and totals."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from doorstep.elections import services as elections
from doorstep.elections.models import RollEntry
from doorstep.governance import queries
from doorstep.governance import standing as dues
from doorstep.governance.models import DuesReceipt

MONTHLY = dues.Rules(amount=Decimal("100"), currency="KES", period="month", grace_days=30)
KES = "KES"
PAID = date(2026, 1, 1)


def test_it_is_paid_up_when_every_month_due_is_paid():
    payments = [("2026-01", Decimal("100"), KES, PAID), ("2026-02", Decimal("100"), KES, PAID)]
    assert dues.compute(MONTHLY, date(2026, 1, 1), payments, date(2026, 2, 20)).status == dues.PAID_UP


def test_it_is_in_grace_on_the_last_day_of_grace():
    # March's dues fall due on 1 March; 30 days of grace counting that day: 1 to 30 March.
    payments = [("2026-01", Decimal("100"), KES, PAID), ("2026-02", Decimal("100"), KES, PAID)]
    found = dues.compute(MONTHLY, date(2026, 1, 1), payments, date(2026, 3, 30))
    assert found.status == dues.IN_GRACE
    assert found.grace_ends_on == date(2026, 3, 30)
    assert found.unpaid_periods == ["2026-03"]


def test_it_is_in_arrears_the_day_after_grace_ends():
    payments = [("2026-01", Decimal("100"), KES, PAID), ("2026-02", Decimal("100"), KES, PAID)]
    found = dues.compute(MONTHLY, date(2026, 1, 1), payments, date(2026, 3, 31))
    assert found.status == dues.IN_ARREARS
    assert found.owed == Decimal("100")


def test_an_older_unpaid_month_keeps_her_in_arrears_within_a_later_grace():
    # January unpaid (its grace ended 30 January); on 5 March she owes January and March.
    payments = [("2026-02", Decimal("100"), KES, PAID)]
    found = dues.compute(MONTHLY, date(2026, 1, 1), payments, date(2026, 3, 5))
    assert found.status == dues.IN_ARREARS
    assert found.unpaid_periods == ["2026-01", "2026-03"]
    assert found.owed == Decimal("200")


def test_no_grace_means_arrears_on_the_day_dues_fall_due():
    rules = dues.Rules(amount=Decimal("100"), currency=KES, period="month", grace_days=0)
    assert dues.compute(rules, date(2026, 1, 1), [], date(2026, 1, 1)).status == dues.IN_ARREARS


def test_grace_of_one_day_is_the_due_day_only():
    rules = dues.Rules(amount=Decimal("100"), currency=KES, period="month", grace_days=1)
    assert dues.compute(rules, date(2026, 1, 1), [], date(2026, 1, 1)).status == dues.IN_GRACE
    assert dues.compute(rules, date(2026, 1, 1), [], date(2026, 1, 2)).status == dues.IN_ARREARS


def test_the_first_period_falls_due_on_the_day_she_joined():
    # Joined 20 January: 30 days of grace from 20 January is 18 February inclusive.
    assert dues.compute(MONTHLY, date(2026, 1, 20), [], date(2026, 1, 31)).status == dues.IN_GRACE
    found = dues.compute(MONTHLY, date(2026, 1, 20), [], date(2026, 2, 18))
    assert found.status == dues.IN_GRACE  # February is due too, but January's grace still runs
    assert dues.compute(MONTHLY, date(2026, 1, 20), [], date(2026, 2, 19)).status == dues.IN_ARREARS


def test_a_partial_payment_leaves_the_month_unpaid():
    payments = [("2026-01", Decimal("60"), KES, PAID)]
    assert dues.compute(MONTHLY, date(2026, 1, 1), payments, date(2026, 1, 31)).status == dues.IN_ARREARS


def test_two_payments_for_one_month_add_up():
    payments = [("2026-01", Decimal("60"), KES, PAID), ("2026-1", Decimal("40"), KES, PAID)]
    assert dues.compute(MONTHLY, date(2026, 1, 1), payments, date(2026, 1, 31)).status == dues.PAID_UP


def test_a_payment_in_another_currency_does_not_count():
    payments = [("2026-01", Decimal("100"), "INR", PAID)]
    assert dues.compute(MONTHLY, date(2026, 1, 1), payments, date(2026, 1, 31)).status == dues.IN_ARREARS


def test_a_full_year_paid_at_once_pays_every_month():
    payments = [("2026", Decimal("1200"), KES, PAID)]
    assert dues.compute(MONTHLY, date(2026, 1, 1), payments, date(2026, 12, 31)).status == dues.PAID_UP


def test_quarters_are_labelled_and_due_on_their_first_day():
    rules = dues.Rules(amount=Decimal("300"), currency=KES, period="quarter", grace_days=10)
    payments = [("2026-q1", Decimal("300"), KES, PAID)]
    assert dues.compute(rules, date(2026, 1, 1), payments, date(2026, 4, 10)).status == dues.IN_GRACE
    assert dues.compute(rules, date(2026, 1, 1), payments, date(2026, 4, 11)).status == dues.IN_ARREARS


def test_a_payment_made_after_the_day_asked_about_does_not_count():
    payments = [("2026-01", Decimal("100"), KES, date(2026, 2, 10))]
    assert dues.compute(MONTHLY, date(2026, 1, 1), payments, date(2026, 2, 5)).status == dues.IN_ARREARS
    assert dues.compute(MONTHLY, date(2026, 1, 1), payments, date(2026, 2, 10)).status == dues.IN_GRACE


def test_without_rules_the_standing_is_not_known():
    assert dues.compute(None, date(2026, 1, 1), [], date(2026, 3, 1)).status == dues.NO_RULES


# Through the database and the API ------------------------------------------------------------------------


def test_standing_reads_her_payments_and_her_organizations_rules(world, member_of, pay, set_rules):
    set_rules(grace_days=30)
    member = member_of(joined_on=date(2026, 1, 1))
    pay(member, "2026-01")
    assert queries.standing(member, on=date(2026, 1, 31)).status == dues.PAID_UP
    assert queries.standing(member, on=date(2026, 3, 2)).status == dues.IN_GRACE  # 30th day from 1 February
    assert queries.standing(member, on=date(2026, 3, 3)).status == dues.IN_ARREARS


def test_another_organizations_rules_do_not_apply(world, member_of, set_rules):
    set_rules(organization=world.org_b, dues_amount=Decimal("0"))
    member = member_of(joined_on=date(2026, 1, 1))
    assert queries.standing(member, on=date(2026, 3, 1)).status == dues.NO_RULES


def test_it_loses_the_vote_in_arrears_only_where_the_rules_say_so(world, member_of, set_rules):
    set_rules(arrears_lose_vote=True)
    member = member_of(joined_on=date(2026, 1, 1))
    assert queries.may_vote(member, on=date(2026, 3, 1)) is False
    set_rules(arrears_lose_vote=False)
    assert queries.may_vote(member, on=date(2026, 3, 1)) is True


def test_the_api_gives_her_standing(world, login, member_of, pay, set_rules):
    set_rules()
    member = member_of(joined_on=date(2026, 1, 1))
    pay(member, "2026-01")
    response = login(world.organizer_a).get(f"/api/v1/members/{member.pk}/standing?on=2026-02-15")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "in_grace"
    assert body["unpaid_periods"] == ["2026-02"]
    assert body["owed"] == "100.00"
    assert body["grace_ends_on"] == "2026-03-02"


def test_the_arrears_list_names_only_those_in_arrears_by_group(world, login, member_of, pay, set_rules):
    set_rules()
    paid = member_of(joined_on=date(2026, 1, 1), group="Kibera", name="Paid Wanjiru")
    late = member_of(joined_on=date(2026, 1, 1), group="Kibera", name="Late Achieng")
    pay(paid, "2026", amount="1200")
    response = login(world.admin_a).get(f"/api/v1/organizations/{world.org_a.pk}/arrears?on=2026-03-15")
    assert [row["member_id"] for row in response.json()["items"]] == [late.pk]
    assert response.json()["items"][0]["group"] == "Kibera"
    page = login(world.admin_a).get("/orgs/union-a/dues/?on=2026-03-15&show=arrears")
    assert b"Late Achieng" in page.content
    assert b"Paid Wanjiru" not in page.content


def test_receipts_are_numbered_one_after_another_and_issued_once(world, login, member_of, pay):
    member = member_of()
    first, second = pay(member, "2026-01"), pay(member, "2026-02")
    client = login(world.organizer_a)
    assert client.post(f"/api/v1/dues-payments/{first.pk}/receipt").json()["number"] == 1
    assert client.post(f"/api/v1/dues-payments/{second.pk}/receipt").json()["number"] == 2
    assert client.post(f"/api/v1/dues-payments/{first.pk}/receipt").json()["number"] == 1
    assert DuesReceipt.objects.count() == 2


def test_the_printable_receipt_shows_her_name_and_number(world, login, member_of, pay):
    member = member_of(name="Akinyi Otieno")
    payment = pay(member, "2026-01")
    client = login(world.organizer_a)
    client.post(f"/orgs/union-a/dues/payments/{payment.pk}/receipt/")
    page = client.get(f"/orgs/union-a/dues/payments/{payment.pk}/receipt/")
    assert b"Akinyi Otieno" in page.content
    assert b"Receipt 1" in page.content


def test_dues_totals_are_by_month_and_group(world, login, member_of, pay):
    a, b = member_of(group="Kibera"), member_of(group="Mathare")
    pay(a, "2026-01", paid_on=date(2026, 1, 5))
    pay(a, "2026-02", paid_on=date(2026, 2, 5))
    pay(b, "2026-01", amount="50", paid_on=date(2026, 1, 7))
    response = login(world.organizer_a).get(f"/api/v1/organizations/{world.org_a.pk}/dues-totals?year=2026")
    assert response.json() == [
        {"month": "2026-01", "group": "Kibera", "currency": "KES", "amount": "100.00", "payments": 1},
        {"month": "2026-01", "group": "Mathare", "currency": "KES", "amount": "50.00", "payments": 1},
        {"month": "2026-02", "group": "Kibera", "currency": "KES", "amount": "100.00", "payments": 1},
    ]


@pytest.mark.parametrize(
    "path", ["/api/v1/members/{member}/standing", "/api/v1/dues-payments/{payment}/receipt"]
)
def test_another_organization_gets_404(world, login, member_of, pay, path):
    member = member_of()
    payment = pay(member, "2026-01")
    url = path.format(member=member.pk, payment=payment.pk)
    client = login(world.admin_b)
    response = client.post(url) if "receipt" in url else client.get(url)
    assert response.status_code == 404
    assert DuesReceipt.objects.count() == 0


def test_a_member_in_arrears_is_kept_off_an_elections_roll(world, member_of, pay, set_rules):
    """Governance plugs "good standing" into the elections app's eligibility hook."""
    set_rules(arrears_lose_vote=True, grace_days=0)
    today = timezone.localdate()
    in_arrears = member_of(joined_on=today - timedelta(days=90))
    paid_up = member_of(joined_on=today)
    pay(paid_up, f"{today:%Y-%m}", paid_on=today)
    now = timezone.now()
    election = elections.create_election(
        world.org_a,
        elections.ElectionInput("Board", now + timedelta(days=1), now + timedelta(days=2), today),
        actor=world.admin_a,
    )
    elections.add_contest(election, elections.ContestInput("Treasurer", "plurality"), actor=world.admin_a)
    elections.freeze_roll(election, actor=world.admin_a)
    on_roll = set(RollEntry.objects.filter(election=election).values_list("member_id", flat=True))
    assert paid_up.pk in on_roll
    assert in_arrears.pk not in on_roll
