"""The voter roll frozen from active members, the eligibility hook, and nominations refused with a
reason when she is not eligible."""

from datetime import timedelta

import pytest
from django.utils import timezone

from doorstep.core.errors import ValidationError
from doorstep.elections import eligibility, services
from doorstep.elections.models import Election, Nomination, RollEntry
from doorstep.members.services import registry


def test_it_freezes_the_roll_from_active_members_only(setup):
    on_roll = set(RollEntry.objects.values_list("member_id", flat=True))
    assert on_roll == {m.pk for name, m in setup.members.items() if name != "Lapsed Lata"}


def test_rejects_nominating_someone_not_on_the_roll(world, setup):
    lata, devi = setup.members["Lapsed Lata"], setup.members["Devi Lal"]
    with pytest.raises(ValidationError) as error:
        services.nominate(setup.president, services.NominationInput(lata.pk, devi.pk), actor=world.admin_a)
    assert error.value.code == "not_eligible" and error.value.errors[0].field == "nominee_id"
    assert not Nomination.objects.filter(nominee=lata).exists()


def test_rejects_nominating_a_member_who_lapsed_after_the_roll_was_frozen(world, setup, members):
    chitra = members["Chitra Rao"]
    registry.update_member(chitra, data={"status": "lapsed"}, actor=world.admin_a)
    with pytest.raises(ValidationError) as error:
        services.nominate(
            setup.president, services.NominationInput(chitra.pk, members["Devi Lal"].pk), actor=world.admin_a
        )
    assert error.value.code == "not_eligible" and "active" in error.value.errors[0].message


def test_rejects_a_member_of_another_organization(world, setup, register):
    other = register(full_name="Other Org Member", organization=world.org_b)
    with pytest.raises(ValidationError):
        services.nominate(
            setup.president,
            services.NominationInput(other.pk, setup.members["Devi Lal"].pk),
            actor=world.admin_a,
        )


def test_it_records_the_nominees_answer(world, setup):
    nomination = next(iter(setup.nominations.values()))
    assert nomination.status == "accepted" and nomination.answered_on == timezone.localdate()


def test_a_registered_rule_keeps_her_off_the_roll(world, members):
    """The hook governance's "good standing" plugs into, without elections importing governance."""

    def in_arrears(member, on):
        return "Dues in arrears." if member.pk == members["Bina Devi"].pk else None

    eligibility.register(in_arrears)
    try:
        now = timezone.now()
        election = services.create_election(
            world.org_a,
            services.ElectionInput(
                "Board", now + timedelta(days=1), now + timedelta(days=2), timezone.localdate()
            ),
            actor=world.admin_a,
        )
        services.add_contest(election, services.ContestInput("Treasurer", "plurality"), actor=world.admin_a)
        assert services.freeze_roll(election, actor=world.admin_a) == 3
    finally:
        eligibility.unregister(in_arrears)
    assert not RollEntry.objects.filter(election=election, member=members["Bina Devi"]).exists()


def test_rejects_an_election_that_closes_before_it_opens(world):
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        services.create_election(
            world.org_a,
            services.ElectionInput("x", now, now - timedelta(hours=1), timezone.localdate()),
            actor=world.admin_a,
        )
    assert [e.field for e in error.value.errors] == ["closes_at"] and not Election.objects.exists()


def test_rejects_instant_runoff_for_several_seats(world, setup):
    election = services.create_election(
        world.org_a,
        services.ElectionInput(
            "Committee",
            timezone.now() + timedelta(days=1),
            timezone.now() + timedelta(days=2),
            timezone.localdate(),
        ),
        actor=world.admin_a,
    )
    with pytest.raises(ValidationError) as error:
        services.add_contest(
            election, services.ContestInput("Committee", "instant_runoff", 3), actor=world.admin_a
        )
    assert error.value.errors[0].field == "seats"
