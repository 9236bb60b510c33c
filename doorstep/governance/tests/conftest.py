"""Helpers of the governance tests: members of Union A, their dues, the rules."""

from datetime import date
from decimal import Decimal

import pytest

from doorstep.governance.services import rules as rules_services
from doorstep.members.services import dues as dues_services
from doorstep.members.services import registry


@pytest.fixture
def member_of(world):
    counter = iter(range(1, 10_000))

    def make(joined_on=date(2026, 1, 1), group="", organization=None, name=None):
        organization = organization or world.org_a
        actor = world.admin_a if organization == world.org_a else world.admin_b
        data = {
            "full_name": name or f"Member {next(counter)}",
            "category": "homeworker",
            "joined_on": joined_on.isoformat(),
        }
        if group:
            data["group"] = group
        return registry.create_member(organization, data=data, actor=actor)

    return make


@pytest.fixture
def pay(world):
    def make(member, period, amount="100", currency="KES", paid_on=date(2026, 1, 5)):
        actor = world.admin_a if member.organization_id == world.org_a.pk else world.admin_b
        return dues_services.record_dues(
            member, period=period, amount=amount, currency=currency, paid_on=paid_on, actor=actor
        )

    return make


@pytest.fixture
def set_rules(world):
    def make(organization=None, **changes):
        values = {
            "dues_amount": Decimal("100"),
            "dues_currency": "KES",
            "dues_period": "month",
            "grace_days": 30,
            "arrears_lose_vote": True,
            "quorum_kind": "share",
            "quorum_percent": Decimal("50"),
            "quorum_number": None,
            "term_years": 2,
        }
        values.update(changes)
        organization = organization or world.org_a
        actor = world.admin_a if organization == world.org_a else world.admin_b
        return rules_services.save_rules(organization, rules_services.RulesInput(**values), actor=actor)

    return make
