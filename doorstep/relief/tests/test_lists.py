"""Lists: drawn from declared rules (an unknown field or operator is refused, naming the rule, and
nothing is drawn), approved by a second person only, flagged for duplicates."""

import pytest
from django.db import IntegrityError, transaction

from doorstep.members.models import MemberIdentifier
from doorstep.relief import services
from doorstep.relief.models import ListEntry, ReliefList
from doorstep.work.services import orders as order_services


def _draw(client, fund, rules, **extra):
    return client.post(
        f"/api/v1/relief/funds/{fund.pk}/lists",
        {"name": "Ward 5", "rules": rules, "amount": "1000", **extra},
        content_type="application/json",
    )


def test_rejects_a_rule_on_an_unknown_field_and_draws_nothing(world, api, register, fund):
    register(group="Ward 5")
    response = _draw(api(world.organizer_a), fund(), [{"field": "__class__", "op": "in", "value": ["x"]}])
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_rule"
    assert body["errors"][0]["field"] == "rules.0.field"
    assert "group" in body["errors"][0]["message"]  # it says which fields there are
    assert not ReliefList.objects.exists()


def test_rejects_code_as_a_value(world, api, register, fund):
    register(group="Ward 5")
    rules = [{"field": "category", "op": "in", "value": ["__import__('os').system('id')"]}]
    response = _draw(api(world.organizer_a), fund(), rules)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "rules.0.value"
    assert not ReliefList.objects.exists()


def test_rejects_an_operator_the_field_does_not_take(world, api, register, fund):
    register(group="Ward 5")
    rules = [{"field": "orders_cancelled_since", "op": "in", "value": "2026-01-01"}]
    response = _draw(api(world.organizer_a), fund(), rules)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "rules.0.op"


def test_refuses_a_list_nobody_meets(world, api, register, fund):
    register(group="Ward 5")
    response = _draw(api(world.organizer_a), fund(), [{"field": "group", "op": "in", "value": ["Ward 9"]}])
    assert response.status_code == 422 and response.json()["code"] == "empty_list"
    assert not ReliefList.objects.exists()


def test_it_draws_members_of_the_groups_named(world, api, register, fund):
    sunita = register("Sunita Devi", group="Ward 5")
    register("Rekha Bai", group="Ward 6")
    response = _draw(api(world.organizer_a), fund(), [{"field": "group", "op": "in", "value": ["Ward 5"]}])
    assert response.status_code == 201
    assert response.json()["entries"] == 1
    assert list(ListEntry.objects.values_list("member_id", flat=True)) == [sunita.pk]
    assert response.json()["criteria"] == ["her group is one of: Ward 5"]


def _order(world, member, party, **fields):
    data = {
        "member": member.pk,
        "party": party.pk,
        "given_on": "2026-02-01",
        "product": "Cushion cover",
        "sector": "embroidery",
        "quantity_ordered": "100",
        "piece_rate": "12.50",
        "currency": "INR",
        **fields,
    }
    return order_services.create_order(world.org_a, data=data, actor=world.admin_a)


@pytest.fixture
def giver(world):
    from doorstep.supplychains import services as party_services

    return party_services.create_party(
        world.org_a, data={"name": "Rafiq", "kind": "intermediary", "is_person": True}, actor=world.admin_a
    )


def test_it_draws_members_whose_orders_were_cancelled_since_a_date(world, api, register, fund, giver):
    lost = register("Sunita Devi")
    earlier = register("Rekha Bai")
    _order(world, lost, giver, status="cancelled", cancelled_on="2026-03-05", cancelled_by="giver")
    _order(world, earlier, giver, status="cancelled", cancelled_on="2026-02-05", cancelled_by="giver")
    rules = [{"field": "orders_cancelled_since", "op": "on_or_after", "value": "2026-03-01"}]
    response = _draw(api(world.organizer_a), fund(), rules)
    assert response.status_code == 201, response.json()
    assert list(ListEntry.objects.values_list("member_id", flat=True)) == [lost.pk]


def test_it_draws_members_earning_below_a_share_of_the_minimum_wage(world, api, register, fund, giver):
    delhi = {"admin1": "Delhi", "admin2": "North East Delhi"}
    poor = register("Sunita Devi", **delhi)
    fair = register("Rekha Bai", **delhi)
    # Delhi's minimum wage is about 88 an hour: 30 hours for 100 pieces at 12.50 is under half of it.
    base = {"deliveries": [{"delivered_on": "2026-02-10", "quantity": "100"}], "her_hours": "30"}
    _order(world, poor, giver, payments=[{"paid_on": "2026-02-12", "amount": "1250"}], **base)
    _order(
        world, fair, giver, piece_rate="40", payments=[{"paid_on": "2026-02-12", "amount": "4000"}], **base
    )
    rules = [
        {"field": "earnings_share_of_minimum_wage", "op": "below", "value": "0.5", "since": "2026-01-01"}
    ]
    response = _draw(api(world.organizer_a), fund(), rules)
    assert response.status_code == 201, response.json()
    assert list(ListEntry.objects.values_list("member_id", flat=True)) == [poor.pk]


def test_refuses_approval_by_the_person_who_drew_the_list(world, api, register, fund):
    register(group="Ward 5")
    drawn = _draw(
        api(world.organizer_a), fund(), [{"field": "group", "op": "in", "value": ["Ward 5"]}]
    ).json()
    response = api(world.organizer_a).post(f"/api/v1/relief/lists/{drawn['id']}/approve")
    assert response.status_code == 422
    assert response.json()["code"] == "second_person_needed"
    stored = ReliefList.objects.get(pk=drawn["id"])
    assert stored.status == "draft" and stored.approved_by is None


def test_a_second_person_approves_and_it_is_recorded(world, api, register, fund):
    register(group="Ward 5")
    drawn = _draw(
        api(world.organizer_a), fund(), [{"field": "group", "op": "in", "value": ["Ward 5"]}]
    ).json()
    response = api(world.admin_a).post(f"/api/v1/relief/lists/{drawn['id']}/approve")
    assert response.status_code == 200
    stored = ReliefList.objects.get(pk=drawn["id"])
    assert stored.status == "approved" and stored.approved_by == world.admin_a and stored.approved_at


def test_the_database_refuses_the_drawer_as_approver(world, register, fund):
    register(group="Ward 5")
    drawn = services.draw_list(
        fund(),
        services.ListIn("W", [{"field": "group", "op": "in", "value": ["Ward 5"]}], "10"),
        actor=world.admin_a,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ReliefList.objects.filter(pk=drawn.pk).update(approved_by=world.admin_a)


def test_it_flags_a_member_already_on_another_list_of_the_fund(world, register, fund):
    register(group="Ward 5")
    found = fund()
    rules = [{"field": "group", "op": "in", "value": ["Ward 5"]}]
    services.draw_list(found, services.ListIn("First", rules, "10"), actor=world.admin_a)
    second = services.draw_list(found, services.ListIn("Second", rules, "10"), actor=world.admin_a)
    assert [e.on_another_list for e in second.entries.all()] == [True]


def test_it_flags_two_members_sharing_a_number(world, register, fund):
    sunita = register("Sunita Devi", group="Ward 5", phones=["+919812345678"])
    rekha = register("Rekha Bai", group="Ward 5", phones=["+919812345679"])
    # A number registered twice before the registry refused duplicates (older data).
    digest = MemberIdentifier.objects.get(member=sunita).digest
    MemberIdentifier.objects.filter(member=rekha).update(digest=digest)
    drawn = services.draw_list(
        fund(),
        services.ListIn("W", [{"field": "group", "op": "in", "value": ["Ward 5"]}], "10"),
        actor=world.admin_a,
    )
    assert sorted(e.same_number_here for e in drawn.entries.all()) == [True, True]


def test_a_member_page_shows_who_decided_and_on_what_criteria(world, login, register, approved_list):
    from doorstep.members.services import logins

    sunita = register("Sunita Devi", group="Ward 5", phones=["+919812345678"])
    approved_list(members=[sunita])
    user = logins.give_login(sunita, pin="480271", actor=world.admin_a).user
    response = login(user).get("/orgs/union-a/me/relief/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "her group is one of: Ward 5" in text
    assert "olga" in text and "alice" in text


def test_a_member_not_on_any_list_sees_none(world, login, register, approved_list):
    from doorstep.members.services import logins

    approved_list(members=[register("Sunita Devi", group="Ward 5")])
    other = register("Rekha Bai", group="Ward 6", phones=["+919812345679"])
    user = logins.give_login(other, pin="480271", actor=world.admin_a).user
    response = login(user).get("/orgs/union-a/me/relief/")
    assert "Ward 5" not in response.content.decode()
