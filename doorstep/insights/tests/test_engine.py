"""The analytics engine: the same figures as the plain ORM way, incremental refresh, an interrupted
refresh, damaged files, empty periods, scoping, and files that other engines can read as they are."""

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pyarrow.dataset as ds
import pytest
from django.http import Http404
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
    assert files == {p.file for kind in engine.KINDS for p in manifest.parts(kind).values()}


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


# Not whole months, and not all of them: the units come from the orders in the period.
LAST_YEAR = {"start": date.today() - timedelta(days=365), "end": date.today() - timedelta(days=20)}


@pytest.mark.parametrize(
    "dataset, group_by, options",
    [
        ("work", ("sector",), {}),  # from the workers' summaries
        ("work", ("sector",), LAST_YEAR),  # a period: from the orders themselves
        ("work", ("organization", "month"), {}),
        ("work", ("category", "admin1"), {}),
        ("members", ("gender",), {}),
        ("members", ("country", "sector"), {}),
    ],
)
def test_the_door_gives_through_the_engine_what_the_orm_gives(dataset, group_by, options):
    from doorstep.insights import queries

    synth.run(
        synth.Plan(members=150, orders_per_member=5, organizations=3, workers=1, submissions_per_member=0)
    )
    engine.refresh()
    ask = _network_ask(dataset, group_by, **options)
    ours = queries.figures(ask)
    assert ours.refreshed_at is not None and ours.rows
    assert any(not row.suppressed for row in ours.rows) and any(row.suppressed for row in ours.rows)
    _same_table(ours, queries.orm_table(ask))


def _cases(seed: int = 7) -> None:
    """Cases over the synthetic members: one to three members each, a work giver or two, every
    status, some resolved (with how long that took)."""
    import random

    from doorstep.grievances.models import Case, CaseStatus, Category
    from doorstep.grievances.services import cases as grievances
    from doorstep.members.models import Member
    from doorstep.supplychains.models import Party

    rng = random.Random(seed)
    for organization in Organization.objects.filter(slug__startswith="synth-1-").order_by("slug"):
        admin = User.objects.get(username=f"{organization.slug}-admin")
        members = list(Member.objects.filter(organization=organization).values_list("pk", flat=True))
        parties = list(Party.objects.filter(organization=organization).values_list("pk", flat=True))
        for _ in range(40):
            named = rng.sample(members, rng.choice([1, 1, 1, 2, 3]))
            case = grievances.create_case(
                organization,
                data={
                    "kind": "individual" if len(named) == 1 else "collective",
                    "category": rng.choice(Category.values),
                    "members": named,
                    "parties": rng.sample(parties, rng.choice([1, 1, 2])),
                    "summary": "synthetic",
                },
                actor=admin,
            )
            status = rng.choice(CaseStatus.values)
            opened = date.today() - timedelta(days=rng.randint(10, 400))
            finished = (
                opened + timedelta(days=rng.randint(1, 90))
                if status in ("resolved", "closed_without_remedy")
                else None
            )
            Case.objects.filter(pk=case.pk).update(status=status, opened_on=opened, finished_on=finished)


@pytest.mark.parametrize(
    "group_by, options",
    [(("problem",), {}), (("case_status", "gender"), {}), (("organization",), LAST_YEAR), (("admin1",), {})],
)
def test_grievance_tables_through_the_engine_are_the_orms(group_by, options):
    from doorstep.insights import queries

    synth.run(
        synth.Plan(members=150, orders_per_member=1, organizations=3, workers=1, submissions_per_member=0)
    )
    _cases()
    engine.refresh()
    ask = _network_ask("grievances", group_by, **options)
    ours = queries.figures(ask)
    assert ours.rows and any(row.figures.get("median_days_to_resolution") for row in ours.rows)
    _same_table(ours, queries.orm_table(ask))


def test_a_changed_case_is_read_again_at_the_next_refresh():
    from doorstep.grievances.models import Case

    synth.run(
        synth.Plan(members=40, orders_per_member=1, organizations=2, workers=1, submissions_per_member=0)
    )
    _cases()
    engine.refresh()
    assert engine.refresh().cases_written == 0  # nothing changed
    case = Case.objects.filter(organization__slug__startswith="synth-1-001").first()
    case.members.clear()  # who a case names changes without touching the case itself
    report = engine.refresh()
    assert report.cases_written == 1
    ids = [case.organization_id]
    with engine.Snapshot(ids) as snapshot:
        named = snapshot.query("SELECT member_id FROM cases WHERE case_id = $id", {"id": case.pk})
    assert named == [(None,)]


@pytest.mark.parametrize("group_by", [("sector",), ("organization",), ("gender", "sector"), ("admin1",)])
def test_the_workers_summaries_give_the_cells_her_orders_give(group_by):
    """The summaries written at refresh are the units computed from the orders, cell for cell."""
    from doorstep.insights import cells

    synth.run(
        synth.Plan(members=120, orders_per_member=6, organizations=2, workers=1, submissions_per_member=0)
    )
    engine.refresh()
    ids = list(Organization.objects.filter(slug__startswith="synth-1-").values_list("pk", flat=True))
    with engine.Snapshot(ids) as snapshot:
        assert snapshot.worker_files
        found = [
            cells.work(
                snapshot,
                group_by=group_by,
                consent="network_sharing",
                recent=[],
                start=None,
                end=None,
                chain=None,
                summaries=summaries,
            )
            for summaries in (True, False)
        ]
    assert found[0].counts == found[1].counts and found[0].counts
    assert found[0].figures == found[1].figures


def test_the_workers_summaries_of_changed_orders_are_those_of_a_full_refresh(federation):
    """After orders changed (figures, and one moved to another member), only those members'
    summaries are computed again, and they agree with summaries computed from scratch."""
    import pyarrow.parquet as pq
    from django.db.models import F

    engine.refresh()
    organization, _admin = federation[0]
    orders = list(
        WorkOrder.objects.filter(organization=organization, net_hourly__isnull=False).order_by("pk")[:25]
    )
    WorkOrder.objects.filter(pk__in=[o.pk for o in orders[:24]]).update(
        net_hourly=F("net_hourly") + 7, updated_at=timezone.now()
    )
    other = WorkOrder.objects.filter(organization=organization).exclude(member=orders[24].member_id).first()
    WorkOrder.objects.filter(pk=orders[24].pk).update(member=other.member_id, updated_at=timezone.now())
    report = engine.refresh()
    assert report.workers_written == 1  # the other organization kept its summary
    manifest = engine.Manifest.load()
    key = next(k for k in manifest.workers if k.startswith(f"{organization.pk}/"))
    files = [p.file for k, p in manifest.orders.items() if k.startswith(f"{organization.pk}/") and p.rows]
    kept = pq.read_table(engine.root() / manifest.workers[key].file)
    assert kept.equals(engine._workers_table(files).cast(kept.schema))


def test_a_withdrawal_counts_at_once_and_a_new_consent_from_the_next_refresh(world):
    from doorstep.insights import queries
    from doorstep.members.models import Member
    from doorstep.members.services import consent as member_services

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


def test_a_forms_summary_from_the_engine_keeps_only_counts_of_answers(world):
    """The summary's counts, shares and medians are those of the submissions themselves; the
    engine's file holds how many times each value was given, with no text and nothing that ties two
    answers together."""
    import statistics

    import pyarrow.parquet as pq

    from doorstep.surveys import services as survey_services
    from doorstep.surveys.models import Submission

    synth.submissions(world.org_a, world.admin_a, 301, questions=8, seed=11)
    engine.refresh()
    form = Submission.objects.filter(organization=world.org_a).first().form
    found = boards.survey_summary(world.admin_a, form, "en")
    records = list(
        survey_services.reveal(
            list(Submission.objects.filter(form=form)), actor=world.admin_a, reason="test"
        ).values()
    )
    items = {item["path"]: item for item in found.items}
    assert found.total == 301 and found.refreshed_at is not None
    choices = [r["q001"] for r in records]
    assert {c["name"]: c["count"] for c in items["q001"]["choices"]} == {
        name: choices.count(name) for name in synth.SURVEY_CHOICES
    }
    for path in ("q000", "q003"):  # an integer and a decimal question
        numbers = [Decimal(r[path]) for r in records]
        assert items[path]["median"] == statistics.median(numbers)
        assert (items[path]["minimum"], items[path]["maximum"]) == (min(numbers), max(numbers))
        assert sum(b["count"] for b in items[path]["histogram"]) == 301
    assert items["q002"]["answered"] == 301 and "choices" not in items["q002"]  # text: only that
    manifest = engine.Manifest.load()
    table = pq.read_table(engine.root() / next(iter(manifest.answers.values())).file)
    assert table.column_names == ["form_id", "question", "choice", "number", "answers"]
    assert not {r["q002"] for r in records} & set(table.column("choice").to_pylist())
    # An even count: the median is the mean of the two in the middle.
    Submission.objects.filter(pk=Submission.objects.filter(form=form).order_by("pk").first().pk).delete()
    engine.refresh()
    found = boards.survey_summary(world.admin_a, form, "en")
    item = next(i for i in found.items if i["path"] == "q000")
    assert item["median"] == statistics.median(
        Decimal(r["q000"])
        for r in survey_services.reveal(
            list(Submission.objects.filter(form=form)), actor=world.admin_a, reason="test"
        ).values()
    )
    # An organization's files are its own: another's staff get nothing from this form.
    with pytest.raises(Http404):
        boards.survey_summary(world.admin_b, form, "en")
