"""The constitution's rules: only organization admins change them, bad values change nothing, every
change is audited with the values before and after."""

from decimal import Decimal

from doorstep.core.models import AuditEvent
from doorstep.governance.models import Constitution, Position

RULES = {
    "dues_amount": "100",
    "dues_currency": "KES",
    "dues_period": "month",
    "grace_days": 30,
    "arrears_lose_vote": True,
    "quorum_kind": "share",
    "quorum_percent": "50",
}


def _put(client, world, **changes):
    return client.put(
        f"/api/v1/organizations/{world.org_a.pk}/constitution",
        {**RULES, **changes},
        content_type="application/json",
    )


def test_an_admin_records_the_rules(world, login):
    response = _put(login(world.admin_a), world)
    assert response.status_code == 200
    rules = Constitution.objects.get(organization=world.org_a)
    assert (rules.dues_amount, rules.dues_period, rules.grace_days) == (Decimal("100.00"), "month", 30)
    assert response.json()["quorum_percent"] == "50.00"


def test_rejects_negative_dues_and_stores_nothing(world, login):
    response = _put(login(world.admin_a), world, dues_amount="-5")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "dues_amount"
    assert not Constitution.objects.exists()


def test_rejects_negative_dues_and_keeps_the_rules_before(world, login):
    client = login(world.admin_a)
    _put(client, world)
    assert _put(client, world, dues_amount="-1", grace_days=5).status_code == 422
    rules = Constitution.objects.get()
    assert (rules.dues_amount, rules.grace_days) == (Decimal("100.00"), 30)


def test_rejects_a_quorum_share_above_all_members(world, login):
    response = _put(login(world.admin_a), world, quorum_percent="120")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["quorum_percent"]


def test_rejects_a_fixed_quorum_without_its_number(world, login):
    response = _put(login(world.admin_a), world, quorum_kind="number", quorum_percent=None)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["quorum_number"]


def test_rejects_an_unknown_period_code_at_the_schema(world, login):
    response = _put(login(world.admin_a), world, dues_period="week")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.payload.dues_period"


def test_an_organizer_may_not_change_the_rules(world, login):
    response = _put(login(world.organizer_a), world)
    assert response.status_code == 403
    assert not Constitution.objects.exists()


def test_another_organization_gets_404_and_nothing_changes(world, login):
    response = _put(login(world.admin_b), world)
    assert response.status_code == 404
    assert not Constitution.objects.exists()


def test_a_change_is_audited_with_the_values_before_and_after(world, login):
    client = login(world.admin_a)
    _put(client, world)
    _put(client, world, grace_days=10)
    event = AuditEvent.objects.filter(action="governance.rules_saved").order_by("-sequence").first()
    assert event.metadata["changed"] == ["grace_days"]
    assert (event.metadata["before.grace_days"], event.metadata["after.grace_days"]) == (30, 10)


def test_the_rules_page_saves_for_an_admin(world, login):
    response = login(world.admin_a).post(
        "/orgs/union-a/governance/rules/",
        {**RULES, "grace_days": "15", "term_years": "3", "arrears_lose_vote": "on"},
    )
    assert response.status_code == 302
    assert Constitution.objects.get().grace_days == 15


def test_the_rules_page_names_a_negative_amount(world, login):
    response = login(world.admin_a).post(
        "/orgs/union-a/governance/rules/", {**RULES, "dues_amount": "-3", "term_years": "2"}
    )
    assert response.status_code == 422
    assert b"negative" in response.content
    assert not Constitution.objects.exists()


def test_a_group_leader_position_needs_its_group(world, login):
    response = login(world.admin_a).post(
        f"/api/v1/organizations/{world.org_a.pk}/positions",
        {"kind": "group_leader"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "group_id"
    assert not Position.objects.exists()
