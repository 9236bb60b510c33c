import hashlib
import importlib
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from doorstep.core import audit
from doorstep.core.models import AuditChainHead, AuditEvent


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


# The forgery of issue 21, in full: with database access, drop the triggers, delete events, re-hash
# what follows, restore the triggers. -------------------------------------------------------------

_APPEND_ONLY = importlib.import_module("doorstep.core.migrations.0002_audit_append_only")


def _forge(*, delete: list[int], rehash, since: int | None = None) -> None:
    """Delete the events ``delete`` and re-link every event from ``since`` (the first deleted one)
    with ``rehash(**fields)``, moving the head row to match."""
    since = since or min(delete)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER core_auditevent_append_only ON core_auditevent")
        else:
            cursor.execute("DROP TRIGGER core_auditevent_no_update")
            cursor.execute("DROP TRIGGER core_auditevent_no_delete")
    AuditEvent.objects.filter(sequence__in=delete).delete()
    names = [f.name for f in AuditEvent._meta.fields if f.name not in ("id", "hash")]
    sequence = since - 1
    prev = AuditEvent.objects.get(sequence=sequence).hash if sequence else audit.GENESIS_HASH
    for event in AuditEvent.objects.filter(sequence__gte=since).order_by("sequence"):
        sequence += 1
        fields = {name: getattr(event, name) for name in names} | {"sequence": sequence, "prev_hash": prev}
        prev = rehash(**fields)
        AuditEvent.objects.filter(pk=event.pk).update(sequence=sequence, prev_hash=fields["prev_hash"])
        AuditEvent.objects.filter(pk=event.pk).update(hash=prev)
    AuditChainHead.objects.filter(pk=1).update(sequence=sequence, hash=prev)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_APPEND_ONLY.POSTGRESQL[1])
        else:
            cursor.execute(_APPEND_ONLY.SQLITE[0])
            cursor.execute(_APPEND_ONLY.SQLITE[1])


def _unkeyed_sha256(**fields) -> str:
    """What the chain was before the key: anyone could compute it."""
    return hashlib.sha256(audit._payload(**fields)).hexdigest()


def _pii_reads_among(n):
    _events(2)
    for i in range(4):
        audit.record("member.pii_read", object_type="members.member", object_id=i, metadata={"reason": "x"})
    _events(n)


def test_the_forgery_without_the_key_is_caught(db):
    _pii_reads_among(3)
    _forge(delete=[3, 4, 5, 6], rehash=_unkeyed_sha256)
    assert not AuditEvent.objects.filter(action="member.pii_read").exists()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().delete()  # the triggers are back
    result = audit.verify()
    assert (result.ok, result.broken_at) == (False, 3)
    assert "content does not match" in result.reason
    _forge(delete=[], rehash=_unkeyed_sha256, since=1)  # every event re-hashed the plain way
    assert (audit.verify().ok, audit.verify().reason) == (False, audit.UNSEALED)


def test_the_forgery_with_the_key_is_caught_by_an_anchor(db, tmp_path, capsys):
    _pii_reads_among(3)
    anchors = tmp_path / "anchors.jsonl"
    call_command("audit", "anchor", "--output", str(anchors))  # at event 9
    _events(6)
    _forge(delete=[3, 4, 5, 6], rehash=audit.compute_hash)  # someone who also stole the key
    assert audit.verify().ok  # the key alone no longer protects the chain…
    with pytest.raises(CommandError, match="BROKEN at event 9: it differs from the anchor"):
        call_command("audit", "verify", "--anchors", str(anchors))  # …the anchor does


def test_removing_events_after_an_anchor_is_caught(db, tmp_path):
    _events(4)
    anchors = tmp_path / "anchors.jsonl"
    call_command("audit", "anchor", "--output", str(anchors))
    _events(2)
    call_command("audit", "anchor", "--output", str(anchors))
    _forge(delete=[5, 6], rehash=audit.compute_hash)  # the tail cut, the head row moved back
    assert audit.verify().ok
    with pytest.raises(CommandError, match=r"events after it were removed: the anchor of .* at event 6"):
        call_command("audit", "verify", "--anchors", str(anchors))


def test_an_anchor_goes_to_standard_output_and_verifies(db, tmp_path, capsys):
    _events(3)
    call_command("audit", "anchor")
    line = capsys.readouterr().out.strip()
    assert json.loads(line)["sequence"] == 3
    (tmp_path / "a").write_text(line + "\n")
    _events(1)
    call_command("audit", "verify", "--anchors", str(tmp_path / "a"))
    assert "OK: 4 events, chain intact and 1 anchors." in capsys.readouterr().out


def test_an_anchor_not_signed_with_the_key_is_refused(db, tmp_path):
    _events(2)
    call_command("audit", "anchor", "--output", str(tmp_path / "a"))
    forged = json.loads((tmp_path / "a").read_text()) | {"sequence": 1}
    (tmp_path / "a").write_text(json.dumps(forged) + "\n")
    with pytest.raises(CommandError, match="line 1: not signed with this audit key"):
        call_command("audit", "verify", "--anchors", str(tmp_path / "a"))


def test_an_anchor_of_a_broken_chain_is_refused(db, tmp_path):
    _events(3)
    _without_append_only_triggers("UPDATE core_auditevent SET object_id = '7' WHERE sequence = 2")
    with pytest.raises(CommandError, match="BROKEN at event 2"):
        call_command("audit", "anchor", "--output", str(tmp_path / "a"))
    assert not (tmp_path / "a").exists()


def test_a_chain_from_before_the_key_is_sealed_then_keyed(db, capsys):
    _events(3)
    _forge(delete=[], rehash=_unkeyed_sha256, since=1)  # as an older Doorstep wrote it
    result = audit.verify()
    assert (result.ok, result.reason) == (False, audit.UNSEALED)
    call_command("audit", "seal")
    assert "Sealed 3 events at event 4." in capsys.readouterr().out
    sealed = AuditEvent.objects.get(sequence=4)
    assert sealed.action == "audit.sealed" and sealed.metadata["unkeyed_events"] == 3
    _events(1)
    assert audit.verify().ok and audit.verify().unkeyed == 3
    call_command("audit", "seal")
    assert "Nothing to seal" in capsys.readouterr().out


def test_the_sealed_prefix_cannot_change(db):
    _events(3)
    _forge(delete=[], rehash=_unkeyed_sha256, since=1)
    audit.seal()
    _events(1)
    _forge(delete=[2], rehash=_unkeyed_sha256)  # drop a plain event and re-hash the plain way
    assert not audit.verify().ok
