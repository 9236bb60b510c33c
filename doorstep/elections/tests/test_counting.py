"""Counting: instant runoff checked against a published worked example, plurality with paper tallies
and code ballots together, and the rules around the count."""

import pytest

from doorstep.core.errors import ValidationError
from doorstep.elections import services

from .conftest import close_now, nid, open_now

# Wikipedia, "Instant-runoff voting", the example of Tennessee choosing its capital (100 voters):
# Memphis 42, Nashville 26, Chattanooga 15, Knoxville 17 first preferences. Chattanooga goes out
# first (her 15 go to Knoxville: 32), then Nashville (26 to Chattanooga, gone, so to Knoxville: 58);
# Knoxville wins 58 to 42, though Memphis led the first round.
MEMPHIS, NASHVILLE, CHATTANOOGA, KNOXVILLE = 1, 2, 3, 4
TENNESSEE = (
    [[MEMPHIS, NASHVILLE, CHATTANOOGA, KNOXVILLE]] * 42
    + [[NASHVILLE, CHATTANOOGA, KNOXVILLE, MEMPHIS]] * 26
    + [[CHATTANOOGA, KNOXVILLE, NASHVILLE, MEMPHIS]] * 15
    + [[KNOXVILLE, CHATTANOOGA, NASHVILLE, MEMPHIS]] * 17
)


def test_instant_runoff_gives_the_published_winner_round_by_round():
    result = services.instant_runoff([MEMPHIS, NASHVILLE, CHATTANOOGA, KNOXVILLE], TENNESSEE, seed=1)
    assert result["winners"] == [KNOXVILLE]
    rounds = [(r["votes"], r["eliminated"]) for r in result["rounds"]]
    assert rounds[0] == ({"1": 42, "2": 26, "4": 17, "3": 15}, [CHATTANOOGA])
    assert rounds[1] == ({"1": 42, "4": 32, "2": 26}, [NASHVILLE])
    assert rounds[2][0] == {"4": 58, "1": 42}


def test_instant_runoff_counts_an_exhausted_ballot_as_exhausted():
    ballots = [[1]] * 3 + [[2]] * 3 + [[3, 2]] + [[3]]  # the last voter ranked no one after 3
    result = services.instant_runoff([1, 2, 3], ballots, seed=1)
    assert result["rounds"][0]["eliminated"] == [3]
    assert result["rounds"][1] == {"votes": {"2": 4, "1": 3}, "eliminated": [1], "exhausted": 1}
    assert result["winners"] == [2]


def test_instant_runoff_elects_no_one_without_a_vote():
    result = services.instant_runoff([1, 2], [[], []], seed=1)
    assert result["winners"] == [] and result["tie"] is False


def test_instant_runoff_elects_a_single_candidate_with_a_vote():
    assert services.instant_runoff([7], [[7], []], seed=1)["winners"] == [7]


def test_instant_runoff_reports_a_tie_in_the_last_round_and_elects_no_one():
    result = services.instant_runoff([1, 2], [[1], [2]], seed=1)
    assert result["winners"] == [] and result["tie"] is True


def test_plurality_adds_paper_tallies_to_code_ballots():
    result = services.plurality([1, 2], [[1], [2], [2]], [{"1": 5, "2": 1}], seats=1)
    assert result["winners"] == [1] and result["rounds"][0]["votes"] == {"1": 6, "2": 3}


def test_plurality_elects_no_one_in_a_tie_for_the_last_seat_and_says_so():
    result = services.plurality([1, 2, 3], [[1], [2], [3], [1]], [], seats=2)
    assert result["winners"] == [1] and result["tie"] is True


def test_it_counts_an_election_with_codes(world, setup, codes):
    open_now(setup.election)
    asha, bina = nid(setup, "president", "Asha Kumari"), nid(setup, "president", "Bina Devi")
    chitra, devi = nid(setup, "secretary", "Chitra Rao"), nid(setup, "secretary", "Devi Lal")
    for code, president, secretary in (
        (codes[0], asha, [chitra]),
        (codes[1], asha, [devi, chitra]),
        (codes[2], bina, [devi]),
    ):
        choices = {setup.president.pk: [president], setup.secretary.pk: secretary}
        services.cast_ballot(world.org_a.pk, services.BallotInput(code, choices))
    close_now(setup.election)
    counted = services.count_election(setup.election, actor=world.admin_a)
    by_contest = {c["contest_id"]: c for c in counted.results["contests"]}
    assert by_contest[setup.president.pk]["winners"] == [asha]
    assert by_contest[setup.secretary.pk]["winners"] == [devi]
    assert counted.results["turnout"] == {"roll": 4, "by_code": 3, "on_paper": 0}


def test_rejects_counting_before_the_close(world, setup, codes):
    open_now(setup.election)
    with pytest.raises(ValidationError) as error:
        services.count_election(setup.election, actor=world.admin_a)
    assert error.value.code == "not_closed"
    setup.election.refresh_from_db()
    assert setup.election.counted_at is None


def test_rejects_publishing_before_the_count(world, setup):
    with pytest.raises(ValidationError) as error:
        services.publish_results(setup.election, actor=world.admin_a)
    assert error.value.code == "not_counted"
