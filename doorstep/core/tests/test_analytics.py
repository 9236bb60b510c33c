"""The analytics engine's registry: apps register kinds of fact; the machinery refreshes them in the
order they follow each other, keeps what did not change and scopes every read to the organizations
named."""

from io import StringIO

import pyarrow as pa
import pytest
from django.core.management import call_command

from doorstep.core import analytics
from doorstep.core.analytics import FactKind

TOY = pa.schema([("n", pa.int64())])


@pytest.fixture
def registry():
    """The registry as the apps left it, restored after the test."""
    saved = dict(analytics._KINDS)
    yield analytics._KINDS
    analytics._KINDS.clear()
    analytics._KINDS.update(saved)


def _toy(name: str, stamps: dict, *, follows=(), seen=None):
    """A kind with one partition per organization in ``stamps``, whose one row is the organization's id."""

    def refresh(run):
        if seen is not None:
            seen.append(name)
        run.refresh_whole(
            name,
            ((org, None, stamp) for org, stamp in stamps.items()),
            lambda org, _month: pa.table({"n": [org]}, schema=TOY),
        )

    return FactKind(name, TOY, refresh, follows=follows)


def test_the_apps_register_their_kinds():
    assert set(analytics.kind_names()) >= {"orders", "workers", "members", "cases", "answers"}
    names = analytics.kind_names()
    assert names.index("orders") < names.index("workers")  # the summaries follow the orders


def test_a_kind_is_refreshed_after_the_kinds_it_follows(registry, db):
    seen: list[str] = []
    registry.clear()
    analytics.register(_toy("second", {}, follows=("first",), seen=seen))
    analytics.register(_toy("first", {}, seen=seen))
    analytics.refresh()
    assert seen == ["first", "second"]


def test_rejects_kinds_that_follow_each_other_in_a_loop(registry):
    registry.clear()
    analytics.register(_toy("a", {}, follows=("b",)))
    analytics.register(_toy("b", {}, follows=("a",)))
    with pytest.raises(ValueError, match="loop"):
        analytics.kinds()


def test_a_registered_kind_is_written_kept_and_read_only_for_the_organizations_named(registry, world):
    stamps = {world.org_a.pk: "1", world.org_b.pk: "1"}
    analytics.register(_toy("toy", stamps))
    first = analytics.refresh()
    assert first.written["toy"] == 2
    stamps[world.org_b.pk] = "2"  # only B's partition is due again
    second = analytics.refresh()
    assert (second.written["toy"], second.kept["toy"]) == (1, 1)
    with analytics.Snapshot([world.org_a.pk]) as snapshot:
        assert snapshot.query("SELECT n, organization_id FROM toy") == [(world.org_a.pk, world.org_a.pk)]


def test_a_partition_no_longer_there_leaves_the_manifest_and_the_disk(registry, world):
    stamps = {world.org_a.pk: "1", world.org_b.pk: "1"}
    analytics.register(_toy("toy", stamps))
    analytics.refresh()
    del stamps[world.org_b.pk]
    analytics.refresh()
    manifest = analytics.Manifest.load()
    assert [key.split("/")[0] for key in manifest.parts("toy")] == [str(world.org_a.pk)]
    assert len(list((analytics.root() / "toy").rglob("part-*"))) == 1


def test_the_command_says_what_each_kind_did(registry, world):
    analytics.register(_toy("toy", {world.org_a.pk: "1"}))
    out = StringIO()
    call_command("refresh_analytics", stdout=out)
    text = out.getvalue()
    assert text.startswith("Refreshed in ")
    assert "toy: 1 written (1 rows), 0 kept" in text
    assert "orders: 0 written" in text


def _counter(name: str, values: dict):
    """A kind whose one row per organization is ``values[org]`` (its stamp: the value)."""

    def refresh(run):
        run.refresh_whole(
            name,
            ((org, None, str(value)) for org, value in values.items()),
            lambda org, _month: pa.table({"n": [values[org]]}, schema=TOY),
        )

    return FactKind(name, TOY, refresh)


def test_a_refresh_is_seen_by_the_next_snapshot_at_once(registry, world):
    values = {world.org_a.pk: 1}
    analytics.register(_counter("toy", values))
    analytics.refresh()
    with analytics.Snapshot([world.org_a.pk]) as snapshot:
        assert snapshot.query("SELECT n FROM toy") == [(1,)]
    values[world.org_a.pk] = 2
    analytics.refresh()
    # The same organizations: the connection is lent again, its views made again over the new files.
    with analytics.Snapshot([world.org_a.pk]) as snapshot:
        assert snapshot.query("SELECT n FROM toy") == [(2,)]


def test_the_readers_manifest_is_the_committed_one_after_every_save(registry, world):
    analytics.register(_counter("toy", {world.org_a.pk: 1}))
    analytics.refresh()
    before = analytics.Manifest.current()
    assert analytics.Manifest.current() is before  # the same bytes: not parsed again
    analytics.refresh()
    after = analytics.Manifest.current()
    assert after.revision != before.revision
    assert after.revision == analytics.Manifest.load().revision


def test_a_lent_connection_reads_only_the_organizations_of_the_snapshot(registry, world):
    analytics.register(_counter("toy", {world.org_a.pk: 1, world.org_b.pk: 2}))
    analytics.refresh()
    with analytics.Snapshot([world.org_a.pk]) as snapshot:
        assert snapshot.query("SELECT n FROM toy") == [(1,)]
    with analytics.Snapshot([world.org_b.pk]) as snapshot:
        assert snapshot.query("SELECT n FROM toy") == [(2,)]
    with analytics.Snapshot([world.org_a.pk]) as snapshot:
        assert snapshot.query("SELECT n FROM toy") == [(1,)]
