"""The analytics engine: the same figures as the plain ORM way, incremental refresh, an interrupted
refresh, damaged files, empty periods, scoping, and files that other engines can read as they are."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow.dataset as ds
import pytest
from django.utils import timezone

from doorstep.insights import boards, engine, synth
from doorstep.organizations.models import Organization, User
from doorstep.work import services as work_services
from doorstep.work import stats
from doorstep.work.models import WorkOrder

pytestmark = pytest.mark.django_db


@pytest.fixture
def federation():
    """Two synthetic organizations (India, Pakistan) of 40 members and about 240 orders each."""
    synth.run(
        synth.Plan(members=80, orders_per_member=6, organizations=2, workers=1, submissions_per_member=0)
    )
    organizations = list(Organization.objects.filter(slug__startswith="synth-1-").order_by("slug"))
    admins = [User.objects.get(username=f"{o.slug}-admin") for o in organizations]
    return list(zip(organizations, admins, strict=True))


def _orm_board(organization, currency, start=None, end=None):
    orders = WorkOrder.objects.filter(organization=organization)
    if start:
        orders = orders.filter(given_on__gte=start)
    if end:
        orders = orders.filter(given_on__lte=end)
    return stats.dashboard(orders, currency)


def _same(engine_board, orm_board):
    """Every figure agrees (medians to the cent: the engine computes in double precision)."""

    def close(a, b, places="0.01"):
        if a is None or b is None:
            return a is None and b is None
        return abs(Decimal(a) - Decimal(b)) <= Decimal(places)

    rows = [(engine_board["total"], orm_board["total"])]
    for dimension in ("party", "sector", "month"):
        ours, theirs = engine_board["by"][dimension], orm_board["by"][dimension]
        assert [c.key for c in ours] == [c.key for c in theirs], dimension
        rows += list(zip(ours, theirs, strict=True))
    for ours, theirs in rows:
        assert (ours.key, ours.label, ours.orders, ours.orders_with_benchmark) == (
            theirs.key,
            theirs.label,
            theirs.orders,
            theirs.orders_with_benchmark,
        )
        assert ours.below_minimum_share == theirs.below_minimum_share, ours.key
        assert close(ours.median_net_hourly, theirs.median_net_hourly), ours.key
        assert close(ours.median_delay, theirs.median_delay, "0.1"), ours.key
        assert close(ours.owed, theirs.owed), ours.key
    assert engine_board["flags"] == orm_board["flags"]


def test_the_board_gives_the_figures_the_orm_gives(federation):
    engine.refresh()
    for organization, admin in federation:
        found = boards.work_board(admin, organization)
        assert found.refreshed_at is not None and not found.unavailable
        assert found.currencies == [{"IN": "INR", "PK": "PKR"}[organization.country.code]]
        _same(found.board, _orm_board(organization, found.currency))
        assert found.board["total"].orders == WorkOrder.objects.filter(organization=organization).count()


def test_a_period_limits_the_figures_and_an_empty_one_says_so(federation):
    engine.refresh()
    organization, admin = federation[0]
    start, end = timezone.localdate().replace(day=1) - timezone.timedelta(days=200), timezone.localdate()
    found = boards.work_board(admin, organization, start=start, end=end)
    _same(found.board, _orm_board(organization, found.currency, start, end))
    empty = boards.work_board(admin, organization, start=date(1990, 1, 1), end=date(1990, 12, 31))
    assert empty.board is None and empty.currencies and not empty.unavailable


def test_a_refresh_after_a_few_changes_rewrites_only_their_partitions(federation, world):
    first = engine.refresh()
    assert first.partitions_written > 10 and first.partitions_kept == 0
    assert engine.refresh().partitions_written == 0  # nothing changed
    organization, admin = federation[0]
    orders = list(
        WorkOrder.objects.filter(organization=organization, status="delivered").order_by("given_on")[:2]
    )
    for order in orders:
        work_services.add_entry(
            order, "payments", data={"paid_on": timezone.localdate().isoformat(), "amount": "1"}, actor=admin
        )
    months = {o.given_on.strftime("%Y-%m") for o in orders}
    report = engine.refresh()
    assert report.partitions_written == len(months)
    assert report.partitions_kept == first.partitions_written - len(months)
    _same(boards.work_board(admin, organization).board, _orm_board(organization, orders[0].currency))


def test_a_deleted_order_and_a_moved_one_are_caught(federation):
    engine.refresh()
    organization, admin = federation[1]
    gone, moved = WorkOrder.objects.filter(organization=organization).order_by("pk")[:2]
    work_services.delete_order(gone, actor=admin)
    work_services.update_order(moved, data={"given_on": "2019-01-15"}, actor=admin)
    engine.refresh()
    board = boards.work_board(admin, organization).board
    assert board["total"].orders == WorkOrder.objects.filter(organization=organization).count()
    assert "2019-01" in [c.key for c in board["by"]["month"]]
    _same(board, _orm_board(organization, board["currency"]))


def test_an_interrupted_refresh_shows_the_last_complete_state_and_the_next_completes_it(federation):
    engine.refresh()
    before = engine.last_refresh()
    organization, admin = federation[0]
    shown = boards.work_board(admin, organization).board["total"].orders
    WorkOrder.objects.filter(organization=organization).order_by("pk").first().delete()
    Organization.objects.filter(pk=organization.pk).update(name=organization.name)  # (no effect)
    with pytest.raises(InterruptedError):
        engine.refresh(full=True, stop_after=3)
    assert engine.last_refresh() == before
    assert boards.work_board(admin, organization).board["total"].orders == shown  # the last complete state
    engine.refresh()
    assert boards.work_board(admin, organization).board["total"].orders == shown - 1
    manifest = engine.Manifest.load()
    files = {str(p.relative_to(engine.root())) for p in engine.root().rglob("part-*")}
    assert files == {p.file for p in manifest.orders.values()} | {p.file for p in manifest.members.values()}


def test_a_damaged_file_is_reported_not_shown_and_rebuilt(federation, login):
    engine.refresh()
    organization, admin = federation[0]
    manifest = engine.Manifest.load()
    key = next(k for k in manifest.orders if k.startswith(f"{organization.pk}/"))
    path = engine.root() / manifest.orders[key].file
    data = bytearray(path.read_bytes())
    data[4 : len(data) // 2] = b"\x00" * (len(data) // 2 - 4)  # same size, the column data destroyed
    path.write_bytes(bytes(data))
    found = boards.work_board(admin, organization)
    assert found.board is None and "damaged" in found.unavailable
    page = login(admin).get(f"/orgs/{organization.slug}/work/")
    assert page.status_code == 200 and "being rebuilt" in page.content.decode()
    assert (engine.root() / "queued").exists()  # a refresh that reads every file is waiting
    report = engine.refresh(verify=True)
    assert report.rebuilt_damaged == 1
    _same(boards.work_board(admin, organization).board, _orm_board(organization, "INR"))
    # A file cut short is caught by an ordinary refresh (its size is not the one written).
    key, part = next(iter(engine.Manifest.load().orders.items()))
    (engine.root() / part.file).write_bytes(b"PAR1")
    assert engine.refresh().rebuilt_damaged == 1


def test_a_snapshot_reads_only_the_organizations_it_names(federation):
    engine.refresh()
    (first, _a), _second = federation
    with engine.Snapshot([first.pk]) as snapshot:
        assert snapshot.query("SELECT DISTINCT organization_id FROM orders") == [(first.pk,)]
        assert snapshot.query("SELECT DISTINCT organization_id FROM members") == [(first.pk,)]
    with engine.Snapshot([]) as snapshot:
        assert snapshot.query("SELECT count(*) FROM orders") == [(0,)]


def test_staff_of_another_organization_get_no_board(federation, world):
    from django.http import Http404

    engine.refresh()
    with pytest.raises(Http404):  # not hers to know about
        boards.work_board(world.admin_b, federation[0][0])


def test_the_files_are_partitioned_for_other_engines_to_read_as_they_are(federation):
    engine.refresh()
    orders = ds.dataset(engine.root() / "orders", format="parquet", partitioning="hive")
    assert orders.count_rows() == WorkOrder.objects.count()
    assert {"organization_id", "country", "month"} <= set(orders.schema.names)
    countries = set(orders.to_table(columns=["country"]).column("country").to_pylist())
    assert countries == {"IN", "PK"}
    members = ds.dataset(engine.root() / "members", format="parquet", partitioning="hive")
    assert members.count_rows() == 80
    assert "full_name" not in members.schema.names and "pii" not in members.schema.names


def _one_order(world, register):
    from doorstep.supplychains import services as party_services

    agent = party_services.create_party(
        world.org_a, data={"name": "Rafiq", "kind": "intermediary"}, actor=world.admin_a
    )
    work_services.create_order(
        world.org_a,
        data={
            "member": register(admin1="Delhi").pk,
            "party": agent.pk,
            "given_on": "2026-03-02",
            "product": "Cushion cover",
            "sector": "embroidery",
            "quantity_ordered": "50",
            "piece_rate": "10",
            "currency": "INR",
            "her_hours": "20",
        },
        actor=world.admin_a,
    )


def test_the_api_says_when_figures_are_not_ready_then_gives_them_with_their_time(world, api, register):
    _one_order(world, register)
    client = api(world.organizer_a)
    waiting = client.get("/api/v1/work-summary", {"organization_id": world.org_a.pk})
    assert waiting.status_code == 503 and waiting["Retry-After"] == "60"
    assert waiting.json()["code"] == "not_ready"
    engine.refresh()
    body = client.get("/api/v1/work-summary", {"organization_id": world.org_a.pk}).json()
    assert body["total"]["orders"] == 1 and body["refreshed_at"]
    bad = client.get(
        "/api/v1/work-summary",
        {"organization_id": world.org_a.pk, "start": "2026-05-01", "end": "2026-04-01"},
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "end"
    empty = client.get(
        "/api/v1/work-summary",
        {"organization_id": world.org_a.pk, "start": "2020-01-01", "end": "2020-02-01"},
    )
    assert empty.status_code == 200 and empty.json()["total"] is None


def test_a_stale_board_queues_one_refresh_that_brings_it_up_to_date(
    world, login, register, run_jobs, settings
):
    settings.ANALYTICS_MAX_AGE = 0
    engine.refresh()
    _one_order(world, register)
    client = login(world.organizer_a)
    with run_jobs():
        page = client.get("/orgs/union-a/work/").content.decode()
    assert "No orders yet" in page  # as of the refresh before the order
    assert not (engine.root() / "queued").exists()  # the job ran and cleared its marker
    page = client.get("/orgs/union-a/work/").content.decode()
    assert "1</strong> orders" in page


# The aggregates door through the engine -----------------------------------------------------------


def _network_ask(dataset, group_by, **options):
    from doorstep.insights import queries

    network = Organization.objects.get(slug="synth-network")
    return queries.ask(network, dataset=dataset, group_by=group_by, **options)


def _same_table(ours, theirs):
    assert [(r.key, r.labels, r.suppressed) for r in ours.rows] == [
        (r.key, r.labels, r.suppressed) for r in theirs.rows
    ]
    assert ours.k == theirs.k and [o.pk for o in ours.organizations] == [o.pk for o in theirs.organizations]
    for mine, plain in zip(ours.rows, theirs.rows, strict=True):
        for name, value in plain.figures.items():
            other = mine.figures.get(name)
            if isinstance(value, str) and value and name != "currency":
                assert abs(Decimal(other) - Decimal(value)) <= Decimal("0.011"), (mine.key, name)
            else:
                assert other == value, (mine.key, name)


@pytest.mark.parametrize(
    "dataset, group_by",
    [
        ("work", ("sector",)),
        ("work", ("organization", "month")),
        ("work", ("category", "admin1")),
        ("members", ("gender",)),
        ("members", ("country", "sector")),
    ],
)
def test_the_door_gives_through_the_engine_what_the_orm_gives(dataset, group_by):
    from doorstep.insights import queries

    synth.run(
        synth.Plan(members=150, orders_per_member=5, organizations=3, workers=1, submissions_per_member=0)
    )
    engine.refresh()
    ask = _network_ask(dataset, group_by)
    ours = queries.figures(ask)
    assert ours.refreshed_at is not None and ours.rows
    assert any(not row.suppressed for row in ours.rows) and any(row.suppressed for row in ours.rows)
    _same_table(ours, queries.orm_table(ask))


def test_a_withdrawal_counts_at_once_and_a_new_consent_from_the_next_refresh(world):
    from doorstep.insights import queries
    from doorstep.members import services as member_services
    from doorstep.members.models import Member

    synth.run(
        synth.Plan(members=60, orders_per_member=3, organizations=2, workers=1, submissions_per_member=0)
    )
    engine.refresh()
    ask = _network_ask("members", ("organization",))
    total = next(r for r in queries.figures(ask).rows if r.key == ("__total__",)).figures["workers"]
    organization = Organization.objects.get(slug="synth-1-001-in")
    admin = User.objects.get(username="synth-1-001-in-admin")
    consenting = queries.consenting_members([organization.pk], "network_sharing", timezone.localdate())
    leaving = Member.objects.get(pk=consenting.filter(status="active").values_list("pk", flat=True)[0])
    joining = (
        Member.objects.filter(organization=organization, status="active")
        .exclude(pk__in=consenting.values("pk"))
        .first()
    )
    for member, given in ((leaving, False), (joining, True)):
        member_services.record_consent(
            member,
            purpose="network_sharing",
            given=given,
            effective_on=timezone.localdate(),
            method="verbal",
            actor=admin,
        )
    now = next(r for r in queries.figures(ask).rows if r.key == ("__total__",)).figures["workers"]
    assert now == total - 1  # she who withdrew is out; she who consented waits for the refresh
    engine.refresh()
    assert next(r for r in queries.figures(ask).rows if r.key == ("__total__",)).figures["workers"] == total
    _same_table(queries.figures(ask), queries.orm_table(ask))


def test_shared_figures_before_the_first_refresh_say_so(world, login):
    from doorstep.insights import queries

    synth.run(
        synth.Plan(members=20, orders_per_member=1, organizations=2, workers=1, submissions_per_member=0)
    )
    found = queries.figures(_network_ask("work", ("sector",)))
    assert found.rows == [] and "being prepared" in found.reason


def test_a_reader_opened_before_a_refresh_reads_the_new_state_not_a_false_alarm(federation):
    engine.refresh()
    organization, admin = federation[0]
    before = WorkOrder.objects.filter(organization=organization).count()
    with engine.Snapshot([organization.pk]) as snapshot:  # has read the manifest, not yet the files
        old_files = set(snapshot.order_files)
        work_services.delete_order(
            WorkOrder.objects.filter(organization=organization).order_by("pk").first(), actor=admin
        )
        engine.refresh()  # replaces that month's file and removes the old one
        assert not all(Path(f).exists() for f in old_files)
        assert snapshot.query("SELECT count(*) FROM orders")[0][0] == before - 1
        assert snapshot.refreshed_at == engine.last_refresh()
