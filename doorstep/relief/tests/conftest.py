from datetime import date

import pytest

from doorstep.relief import services


@pytest.fixture
def fund(world):
    """Union A's fund holding 10,000 INR from a donor."""

    def make(received="10000", organization=None, actor=None):
        organization = organization or world.org_a
        actor = actor or (world.admin_a if organization == world.org_a else world.admin_b)
        made = services.create_fund(
            organization,
            services.FundIn("Flood relief", "Food and rent after the floods", "INR"),
            actor=actor,
        )
        source = services.add_source(made, services.SourceIn(kind="donor", name="A foundation"), actor=actor)
        if received:
            services.record_entry(
                made, services.EntryIn("received", received, date(2026, 3, 1), source.pk), actor=actor
            )
        made.refresh_from_db()
        return made

    return make


@pytest.fixture
def approved_list(world, register, fund):
    """A list of Union A's 'Ward 5' members (drawn by Olga, approved by Alice), 1,000 INR each."""

    def make(found=None, members=None, amount="1000"):
        found = found or fund()
        if members is None:
            members = [register("Sunita Devi", group="Ward 5", phones=["+919812345678"])]
        drawn = services.draw_list(
            found,
            services.ListIn("Ward 5", [{"field": "group", "op": "in", "value": ["Ward 5"]}], amount),
            actor=world.organizer_a,
        )
        return services.approve_list(drawn, actor=world.admin_a), members

    return make


@pytest.fixture
def cash_round(world, approved_list):
    def make(method="cash", **kwargs):
        relief_list, members = approved_list(**kwargs)
        made = services.create_round(
            relief_list, services.RoundIn("First round", method, date(2026, 3, 10)), actor=world.admin_a
        )
        return made, members

    return make
