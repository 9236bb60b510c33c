"""Two requests with the same code at the same moment make exactly one ballot, and counting leaves no
transaction id that joins a ballot to a roll mark (PostgreSQL, where transactions really run in
parallel; a module of its own: its database really commits)."""

import threading

import pytest
from django.db import connection

from doorstep.core.errors import ValidationError
from doorstep.elections import services
from doorstep.elections.models import Ballot, RollEntry, VotingCode

from .conftest import close_now, nid, open_now


@pytest.mark.postgres
def test_two_votes_with_one_code_at_once_make_one_ballot(committed_db, world, setup, codes):
    open_now(setup.election)
    choice = {setup.president.pk: [nid(setup, "president", "Asha Kumari")]}
    barrier = threading.Barrier(4)
    outcomes, failures = [], []

    def vote():
        try:
            barrier.wait()
            services.cast_ballot(world.org_a.pk, services.BallotInput(codes[0], choice))
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(error.code)
        except Exception as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(outcomes) == ["code_used", "code_used", "code_used", "ok"]
    assert Ballot.objects.count() == 1
    assert VotingCode.objects.filter(used=True).count() == 1
    assert RollEntry.objects.filter(voted=True).count() == 1


@pytest.mark.postgres
def test_counting_rewrites_the_ballots_so_no_transaction_id_follows_the_voting(
    committed_db, world, setup, codes
):
    """Each vote's transaction wrote its ballot and her roll mark; counting writes every ballot again
    in one transaction, so the ballots' ``xmin`` no longer matches any roll mark's."""
    open_now(setup.election)
    for code, name in zip(codes, ("Asha Kumari", "Bina Devi", "Asha Kumari"), strict=False):
        choice = {setup.president.pk: [nid(setup, "president", name)]}
        services.cast_ballot(world.org_a.pk, services.BallotInput(code, choice))  # each commits
    close_now(setup.election)
    services.count_election(setup.election, actor=world.admin_a)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT xmin::text FROM {Ballot._meta.db_table}")
        ballot_xmins = {row[0] for row in cursor.fetchall()}
        cursor.execute(f"SELECT DISTINCT xmin::text FROM {RollEntry._meta.db_table} WHERE voted")
        roll_xmins = {row[0] for row in cursor.fetchall()}
    assert len(ballot_xmins) == 1 and not ballot_xmins & roll_xmins
