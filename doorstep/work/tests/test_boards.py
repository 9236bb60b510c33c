"""The work dashboard from the analytics engine (``work.boards``) and work's facts there
(``work.analytics``): the same figures as the plain ORM way, incremental refresh, an interrupted
refresh, damaged files, empty periods, scoping, files that other engines can read as they are, and
the workers' summaries."""

from datetime import date
from decimal import Decimal

import pyarrow.dataset as ds
import pytest
from django.http import Http404
from django.utils import timezone

from doorstep.core import analytics
from doorstep.organizations.models import Organization
from doorstep.work import analytics as work_analytics
from doorstep.work import boards, stats
from doorstep.work.models import WorkOrder
from doorstep.work.services import entries as entry_services
from doorstep.work.services import orders as order_services

pytestmark = pytest.mark.django_db


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
    analytics.refresh()
    for organization, admin in federation:
        found = boards.work_board(admin, organization)
        assert found.refreshed_at is not None and not found.unavailable
        assert found.currencies == [{"IN": "INR", "PK": "PKR"}[organization.country.code]]
        _same(found.board, _orm_board(organization, found.currency))
        assert found.board["total"].orders == WorkOrder.objects.filter(organization=organization).count()


def test_a_period_limits_the_figures_and_an_empty_one_says_so(federation):
    analytics.refresh()
    organization, admin = federation[0]
    start, end = timezone.localdate().replace(day=1) - timezone.timedelta(days=200), timezone.localdate()
    found = boards.work_board(admin, organization, start=start, end=end)
    _same(found.board, _orm_board(organization, found.currency, start, end))
    empty = boards.work_board(admin, organization, start=date(1990, 1, 1), end=date(1990, 12, 31))
    assert empty.board is None and empty.currencies and not empty.unavailable


def test_a_refresh_after_a_few_changes_rewrites_only_their_partitions(federation, world):
    first = analytics.refresh()
    assert first.written["orders"] > 10 and first.kept["orders"] == 0
    assert analytics.refresh().written["orders"] == 0  # nothing changed
    organization, admin = federation[0]
    orders = list(
        WorkOrder.objects.filter(organization=organization, status="delivered").order_by("given_on")[:2]
    )
    for order in orders:
        entry_services.add_entry(
            order, "payments", data={"paid_on": timezone.localdate().isoformat(), "amount": "1"}, actor=admin
        )
    months = {o.given_on.strftime("%Y-%m") for o in orders}
    report = analytics.refresh()
    assert report.written["orders"] == len(months)
    assert report.kept["orders"] == first.written["orders"] - len(months)
    _same(boards.work_board(admin, organization).board, _orm_board(organization, orders[0].currency))


def test_a_voided_order_and_a_moved_one_are_caught(federation):
    analytics.refresh()
    organization, admin = federation[1]
    gone, moved = WorkOrder.objects.filter(organization=organization).order_by("pk")[:2]
    order_services.void_order(gone, reason="recorded twice", actor=admin)
    order_services.update_order(moved, data={"given_on": "2019-01-15"}, actor=admin)
    analytics.refresh()
    board = boards.work_board(admin, organization).board
    assert board["total"].orders == WorkOrder.objects.filter(organization=organization).count() - 1
    assert "2019-01" in [c.key for c in board["by"]["month"]]
    _same(board, _orm_board(organization, board["currency"]))


def test_an_interrupted_refresh_shows_the_last_complete_state_and_the_next_completes_it(federation):
    analytics.refresh()
    before = analytics.last_refresh()
    organization, admin = federation[0]
    shown = boards.work_board(admin, organization).board["total"].orders
    WorkOrder.objects.filter(organization=organization).order_by("pk").first().delete()
    Organization.objects.filter(pk=organization.pk).update(name=organization.name)  # (no effect)
    with pytest.raises(InterruptedError):
        analytics.refresh(full=True, stop_after=3)
    assert analytics.last_refresh() == before
    assert boards.work_board(admin, organization).board["total"].orders == shown  # the last complete state
    analytics.refresh()
    assert boards.work_board(admin, organization).board["total"].orders == shown - 1
    manifest = analytics.Manifest.load()
    files = {str(p.relative_to(analytics.root())) for p in analytics.root().rglob("part-*")}
    assert files == {p.file for parts in manifest.files.values() for p in parts.values()}


def test_a_damaged_file_is_reported_not_shown_and_rebuilt(federation, login):
    analytics.refresh()
    organization, admin = federation[0]
    manifest = analytics.Manifest.load()
    key = next(k for k in manifest.parts("orders") if k.startswith(f"{organization.pk}/"))
    path = analytics.root() / manifest.parts("orders")[key].file
    data = bytearray(path.read_bytes())
    data[4 : len(data) // 2] = b"\x00" * (len(data) // 2 - 4)  # same size, the column data destroyed
    path.write_bytes(bytes(data))
    found = boards.work_board(admin, organization)
    assert found.board is None and "damaged" in found.unavailable
    page = login(admin).get(f"/orgs/{organization.slug}/work/")
    assert page.status_code == 200 and "being rebuilt" in page.content.decode()
    assert (analytics.root() / "queued").exists()  # a refresh that reads every file is waiting
    report = analytics.refresh(verify=True)
    assert report.rebuilt["orders"] == 1
    _same(boards.work_board(admin, organization).board, _orm_board(organization, "INR"))
    # A file cut short is caught by an ordinary refresh (its size is not the one written).
    key, part = next(iter(analytics.Manifest.load().parts("orders").items()))
    (analytics.root() / part.file).write_bytes(b"PAR1")
    assert analytics.refresh().rebuilt["orders"] == 1


def test_a_snapshot_reads_only_the_organizations_it_names(federation):
    analytics.refresh()
    (first, _a), _second = federation
    with analytics.Snapshot([first.pk]) as snapshot:
        assert snapshot.query("SELECT DISTINCT organization_id FROM orders") == [(first.pk,)]
        assert snapshot.query("SELECT DISTINCT organization_id FROM members") == [(first.pk,)]
    with analytics.Snapshot([]) as snapshot:
        assert snapshot.query("SELECT count(*) FROM orders") == [(0,)]


def test_staff_of_another_organization_get_no_board(federation, world):

    analytics.refresh()
    with pytest.raises(Http404):  # not hers to know about
        boards.work_board(world.admin_b, federation[0][0])


def test_the_files_are_partitioned_for_other_engines_to_read_as_they_are(federation):
    analytics.refresh()
    orders = ds.dataset(analytics.root() / "orders", format="parquet", partitioning="hive")
    assert orders.count_rows() == WorkOrder.objects.count()
    assert {"organization_id", "country", "month"} <= set(orders.schema.names)
    countries = set(orders.to_table(columns=["country"]).column("country").to_pylist())
    assert countries == {"IN", "PK"}
    members = ds.dataset(analytics.root() / "members", format="parquet", partitioning="hive")
    assert members.count_rows() == 80
    assert "full_name" not in members.schema.names and "pii" not in members.schema.names


def _one_order(world, register):
    from doorstep.supplychains import services as party_services

    agent = party_services.create_party(
        world.org_a, data={"name": "Rafiq", "kind": "intermediary"}, actor=world.admin_a
    )
    order_services.create_order(
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
    analytics.refresh()
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
    analytics.refresh()
    _one_order(world, register)
    client = login(world.organizer_a)
    with run_jobs():
        page = client.get("/orgs/union-a/work/").content.decode()
    assert "No orders yet" in page  # as of the refresh before the order
    assert not (analytics.root() / "queued").exists()  # the job ran and cleared its marker
    page = client.get("/orgs/union-a/work/").content.decode()
    assert "<strong>1</strong> order</li>" in page


def test_the_workers_summaries_of_changed_orders_are_those_of_a_full_refresh(federation):
    """After orders changed (figures, and one moved to another member), only those members'
    summaries are computed again, and they agree with summaries computed from scratch."""
    import pyarrow.parquet as pq
    from django.db.models import F

    analytics.refresh()
    organization, _admin = federation[0]
    orders = list(
        WorkOrder.objects.filter(organization=organization, net_hourly__isnull=False).order_by("pk")[:25]
    )
    WorkOrder.objects.filter(pk__in=[o.pk for o in orders[:24]]).update(
        net_hourly=F("net_hourly") + 7, updated_at=timezone.now()
    )
    other = WorkOrder.objects.filter(organization=organization).exclude(member=orders[24].member_id).first()
    WorkOrder.objects.filter(pk=orders[24].pk).update(member=other.member_id, updated_at=timezone.now())
    report = analytics.refresh()
    assert report.written["workers"] == 1  # the other organization kept its summary
    manifest = analytics.Manifest.load()
    key = next(k for k in manifest.parts("workers") if k.startswith(f"{organization.pk}/"))
    ours = manifest.parts("orders").items()
    files = [p.file for k, p in ours if k.startswith(f"{organization.pk}/") and p.rows]
    kept = pq.read_table(analytics.root() / manifest.parts("workers")[key].file)
    assert kept.equals(work_analytics.workers_table(files).cast(kept.schema))
