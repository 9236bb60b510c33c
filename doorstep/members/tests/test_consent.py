from datetime import date

from doorstep.core.errors import ValidationError
from doorstep.members import queries
from doorstep.members.services import consent


def test_consent_on_a_date_follows_her_history(world, register):
    given_then_withdrawn, never_asked, given = register("A"), register("B"), register("C")
    for member, on, yes in (
        (given_then_withdrawn, date(2026, 1, 1), True),
        (given_then_withdrawn, date(2026, 6, 1), False),
        (given, date(2026, 3, 1), True),
    ):
        consent.record_consent(
            member, purpose="research", given=yes, effective_on=on, method="paper", actor=world.admin_a
        )
    consent.record_consent(
        never_asked,
        purpose="contact",
        given=True,
        effective_on=date(2026, 1, 1),
        method="verbal",
        actor=world.admin_a,
    )

    def covered(on):
        return set(queries.consenting_members([world.org_a.pk], "research", on).values_list("pk", flat=True))

    assert covered(date(2025, 12, 31)) == set()
    assert covered(date(2026, 2, 1)) == {given_then_withdrawn.pk}
    assert covered(date(2026, 3, 1)) == {given_then_withdrawn.pk, given.pk}
    assert covered(date(2026, 7, 1)) == {given.pk}


def test_consent_for_a_future_date_or_unknown_purpose_is_refused(world, register):
    member = register()
    try:
        consent.record_consent(
            member,
            purpose="gossip",
            given=True,
            effective_on=date(2999, 1, 1),
            method="paper",
            actor=world.admin_a,
        )
    except ValidationError as error:
        assert {e.field for e in error.errors} == {"purpose", "effective_on"}
    else:
        raise AssertionError("accepted")
    assert not member.consents.exists()
