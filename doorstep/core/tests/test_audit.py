import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from doorstep.core import audit
from doorstep.core.models import AuditEvent


def _events(n):
    for i in range(n):
        audit.record("test.event", object_type="thing", object_id=i, metadata={"n": i, "tags": ["a", "b"]})


def _without_append_only_triggers(statement, params=()):
    """Tamper as someone with raw database access would: switch the guard off, change a row."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only")
            cursor.execute(statement, params)
            cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_append_only")
        else:
            cursor.execute("DROP TRIGGER core_auditevent_no_update")
            cursor.execute("DROP TRIGGER core_auditevent_no_delete")
            cursor.execute(statement, params)


def test_it_chains_events(db):
    _events(3)
    events = list(AuditEvent.objects.order_by("sequence"))
    assert [e.sequence for e in events] == [1, 2, 3]
    assert events[0].prev_hash == audit.GENESIS_HASH
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    assert audit.verify().ok


def test_verify_finds_a_changed_row(db):
    _events(5)
    _without_append_only_triggers(
        "UPDATE core_auditevent SET action = %s WHERE sequence = 3", ["test.innocent"]
    )
    result = audit.verify()
    assert not result.ok
    assert (result.broken_at, result.checked) == (3, 2)
    assert "content does not match" in result.reason


def test_verify_finds_a_changed_metadata_value(db):
    _events(4)
    row = AuditEvent.objects.get(sequence=2)
    forged = dict(row.metadata, n=99)
    _without_append_only_triggers(
        "UPDATE core_auditevent SET metadata = %s WHERE sequence = 2", [__import__("json").dumps(forged)]
    )
    assert audit.verify().broken_at == 2


def test_verify_finds_a_removed_row(db):
    _events(5)
    _without_append_only_triggers("DELETE FROM core_auditevent WHERE sequence = 4")
    result = audit.verify()
    assert (result.ok, result.broken_at) == (False, 4)
    assert "missing" in result.reason


def test_verify_finds_a_removed_tail(db):
    _events(5)
    _without_append_only_triggers("DELETE FROM core_auditevent WHERE sequence = 5")
    result = audit.verify()
    assert (result.ok, result.broken_at) == (False, 5)


def test_verify_finds_a_rehashed_row(db):
    """Recomputing a tampered row's own hash is not enough: the next link breaks."""
    _events(4)
    row = AuditEvent.objects.get(sequence=2)
    fields = {f.name: getattr(row, f.name) for f in AuditEvent._meta.fields if f.name not in ("id", "hash")}
    fields["action"] = "test.forged"
    _without_append_only_triggers(
        "UPDATE core_auditevent SET action = %s, hash = %s WHERE sequence = 2",
        ["test.forged", audit.compute_hash(**fields)],
    )
    result = audit.verify()
    assert (result.ok, result.broken_at) == (False, 3)


@pytest.mark.parametrize(
    "statement",
    ["UPDATE core_auditevent SET action = 'x'", "DELETE FROM core_auditevent"],
    ids=["update", "delete"],
)
def test_the_database_refuses_changes(db, statement):
    _events(2)
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditEvent.objects.count() == 2
    assert audit.verify().ok


def test_the_orm_cannot_change_an_event_either(db):
    _events(1)
    event = AuditEvent.objects.get()
    event.action = "changed"
    with pytest.raises(DatabaseError), transaction.atomic():
        event.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().action == "test.event"


def test_metadata_must_be_plain_values(db):
    with pytest.raises(TypeError):
        audit.record("test.event", metadata={"when": object()})
    assert not AuditEvent.objects.exists()


def test_the_command_reports_ok_and_the_first_broken_link(db, capsys):
    _events(3)
    call_command("audit", "verify")
    assert "OK: 3 events, chain intact." in capsys.readouterr().out
    _without_append_only_triggers("UPDATE core_auditevent SET object_id = '7' WHERE sequence = 2")
    with pytest.raises(CommandError, match="BROKEN at event 2"):
        call_command("audit", "verify")


@pytest.mark.postgres
def test_postgresql_refuses_to_truncate_the_log(db):
    _events(2)
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("TRUNCATE core_auditevent")
    assert AuditEvent.objects.count() == 2
