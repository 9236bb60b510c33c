"""The secrecy rule, proved on the database itself after people have voted: who voted is known, how
she voted is not. No column of the ballots table points at a member, a roll entry or a code; nothing
else points at a ballot; no ballot carries a time or a sequence that could be joined with the roll's
marks; voting writes nothing to the audit log."""

from django.db import connection

from doorstep.core.models import AuditEvent
from doorstep.elections import services
from doorstep.elections.models import Ballot, Election, RollEntry, VotingCode

from .conftest import nid, open_now

BALLOTS = Ballot._meta.db_table


def _vote_three(world, setup, codes):
    open_now(setup.election)
    for code, name in zip(codes, ("Asha Kumari", "Bina Devi", "Asha Kumari"), strict=False):
        choice = {setup.president.pk: [nid(setup, "president", name)]}
        services.cast_ballot(world.org_a.pk, services.BallotInput(code, choice))


def _columns(table):
    with connection.cursor() as cursor:
        return {c.name: c for c in connection.introspection.get_table_description(cursor, table)}


def _relations(table):
    with connection.cursor() as cursor:
        return connection.introspection.get_relations(cursor, table)  # {column: (other column, other table)}


def _tables():
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def _is_time(table, column) -> bool:
    description = _columns(table)[column]
    kind = connection.introspection.get_field_type(description.type_code, description)
    return kind in ("DateField", "DateTimeField", "TimeField", "DurationField")


def test_the_ballots_table_holds_only_its_election_and_the_choices(world, setup, codes):
    _vote_three(world, setup, codes)
    assert set(_columns(BALLOTS)) == {"id", "organization_id", "election_id", "choices"}
    targets = {other_table for _column, (_other, other_table) in _relations(BALLOTS).items()}
    assert targets == {Election._meta.db_table, "organizations_organization"}


def test_no_table_points_at_a_ballot(world, setup, codes):
    _vote_three(world, setup, codes)
    pointing = [
        (table, column)
        for table in _tables()
        for column, (_other, other_table) in _relations(table).items()
        if other_table == BALLOTS
    ]
    assert pointing == []


def test_a_ballot_has_no_time_column(world, setup, codes):
    _vote_three(world, setup, codes)
    assert [c for c in _columns(BALLOTS) if _is_time(BALLOTS, c)] == []


def test_a_ballot_id_is_random_not_a_sequence(world, setup, codes):
    """A counter would tell the order of voting; version 4 UUIDs are random, and no sequence exists."""
    _vote_three(world, setup, codes)
    assert {pk.version for pk in Ballot.objects.values_list("id", flat=True)} == {4}
    if connection.vendor == "postgresql":  # SQLite names its rowid here for every table
        with connection.cursor() as cursor:
            assert connection.introspection.get_sequences(cursor, BALLOTS) == []


def test_the_marks_that_she_voted_carry_no_time(world, setup, codes):
    _vote_three(world, setup, codes)
    for table in (RollEntry._meta.db_table, VotingCode._meta.db_table):
        times = [c for c in _columns(table) if _is_time(table, c)]
        assert times == [], table


def test_no_other_row_anywhere_holds_a_ballot_id(world, setup, codes):
    _vote_three(world, setup, codes)
    ids = {str(pk) for pk in Ballot.objects.values_list("id", flat=True)} | {
        pk.hex for pk in Ballot.objects.values_list("id", flat=True)
    }
    assert len(ids) == 6
    found = []
    with connection.cursor() as cursor:
        for table in _tables():
            if table == BALLOTS:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                text = " ".join(str(v) for v in row)
                found += [(table, i) for i in ids if i in text]
    assert found == []


def test_voting_writes_nothing_to_the_audit_log(world, setup, codes):
    before = AuditEvent.objects.count()
    _vote_three(world, setup, codes)
    assert AuditEvent.objects.count() == before
