"""Voting with one-time codes: one ballot per code, none outside the window, only real candidates."""

import pytest

from doorstep.core.errors import ValidationError
from doorstep.elections import services
from doorstep.elections.models import Ballot, RollEntry, VotingCode

from .conftest import close_now, nid, open_now


def _vote(setup, code, president=None, secretary=None):
    choices = {setup.president.pk: president or [], setup.secretary.pk: secretary or []}
    services.cast_ballot(setup.election.organization_id, services.BallotInput(code, choices))


def test_it_keeps_only_a_digest_of_each_code(setup, codes):
    digests = set(VotingCode.objects.values_list("digest", flat=True))
    assert len(digests) == 4
    assert not any(code.replace("-", "") in digest for code in codes for digest in digests)


def test_it_casts_a_ballot_and_marks_her_voted(setup, codes):
    open_now(setup.election)
    _vote(setup, codes[0], [nid(setup, "president", "Asha Kumari")])
    assert Ballot.objects.count() == 1
    assert list(RollEntry.objects.filter(voted=True).values_list("voted_via", flat=True)) == ["code"]


def test_it_reads_a_code_typed_in_lower_case_without_the_dash(setup, codes):
    open_now(setup.election)
    _vote(setup, codes[0].replace("-", "").lower())
    assert Ballot.objects.count() == 1


def test_rejects_a_code_used_twice(setup, codes):
    open_now(setup.election)
    _vote(setup, codes[0])
    with pytest.raises(ValidationError) as error:
        _vote(setup, codes[0], [nid(setup, "president", "Bina Devi")])
    assert error.value.code == "code_used" and error.value.errors[0].field == "code"
    assert Ballot.objects.count() == 1


def test_rejects_a_ballot_after_the_close(setup, codes):
    close_now(setup.election)
    with pytest.raises(ValidationError) as error:
        _vote(setup, codes[0])
    assert error.value.code == "closed"
    assert Ballot.objects.count() == 0 and not RollEntry.objects.filter(voted=True).exists()
    assert not VotingCode.objects.filter(used=True).exists()


def test_rejects_a_ballot_before_the_opening(setup, codes):
    with pytest.raises(ValidationError) as error:
        _vote(setup, codes[0])
    assert error.value.code == "not_open" and Ballot.objects.count() == 0


def test_rejects_an_unknown_code(setup, codes):
    open_now(setup.election)
    with pytest.raises(ValidationError) as error:
        _vote(setup, "ABCDE-FGHJK")
    assert error.value.code == "unknown_code"


def test_rejects_a_code_of_another_organization(world, setup, codes):
    open_now(setup.election)
    with pytest.raises(ValidationError) as error:
        services.cast_ballot(world.org_b.pk, services.BallotInput(codes[0], {}))
    assert error.value.code == "unknown_code" and Ballot.objects.count() == 0


def test_rejects_more_choices_than_seats_and_spends_nothing(setup, codes):
    open_now(setup.election)
    both = [nid(setup, "president", "Asha Kumari"), nid(setup, "president", "Bina Devi")]
    with pytest.raises(ValidationError) as error:
        _vote(setup, codes[0], both)
    assert error.value.code == "too_many_choices"
    assert error.value.errors[0].field == f"choices.{setup.president.pk}"
    assert not VotingCode.objects.filter(used=True).exists() and Ballot.objects.count() == 0


def test_rejects_a_candidate_of_another_position(setup, codes):
    open_now(setup.election)
    with pytest.raises(ValidationError) as error:
        _vote(setup, codes[0], [nid(setup, "secretary", "Chitra Rao")])
    assert error.value.errors[0].field == f"choices.{setup.president.pk}"


def test_rejects_a_ranking_that_names_someone_twice(setup, codes):
    open_now(setup.election)
    chitra = nid(setup, "secretary", "Chitra Rao")
    with pytest.raises(ValidationError):
        _vote(setup, codes[0], secretary=[chitra, chitra])
    assert Ballot.objects.count() == 0


def test_rejects_printing_the_codes_twice(world, setup, codes):
    with pytest.raises(ValidationError) as error:
        services.issue_codes(setup.election, actor=world.admin_a)
    assert error.value.code == "codes_issued" and VotingCode.objects.count() == 4


def test_two_votes_with_one_code_one_after_the_other_make_one_ballot(setup, codes):
    """On SQLite writers take turns; the second finds the code spent (the PostgreSQL race is below)."""
    open_now(setup.election)
    outcomes = []
    for _ in range(2):
        try:
            _vote(setup, codes[1])
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(error.code)
    assert outcomes == ["ok", "code_used"] and Ballot.objects.count() == 1
