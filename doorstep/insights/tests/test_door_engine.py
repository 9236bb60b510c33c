"""The aggregates door through the analytics engine (``insights.cells``): the same tables as the
plain ORM way (``bench.baselines``) for members, work and grievances, the workers' summaries, consent
as of the refresh less later changes, and a reader that outlives a refresh."""

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from doorstep.bench import baselines, synth
from doorstep.core import analytics
from doorstep.insights import queries
from doorstep.organizations.models import Organization, User
from doorstep.work.models import WorkOrder
from doorstep.work.services import orders as work_services

pytestmark = pytest.mark.django_db


# The aggregates door through the engine -----------------------------------------------------------


def _network_ask(dataset, group_by, **options):
    from doorstep.insights import queries

    network = Organization.objects.get(slug="synth-network")
    return queries.ask(network, dataset=dataset, group_by=group_by, **options)


def _same_table(ours, theirs):
    """The engine's cells are the ORM's: every cell the ORM's table shows has the same figures in
    the engine's table before protection (which cells are withheld is ``core.disclosure``'s, proved
    apart)."""
    exact = {r.key: r for r in queries.exact_figures(ours.ask).rows}
    assert ours.k == theirs.k and [o.pk for o in ours.organizations] == [o.pk for o in theirs.organizations]
    assert {r.key for r in ours.rows} <= set(exact)
    for plain in theirs.rows:
        mine = exact.get(plain.key)
        if plain.suppressed or mine is None:
            assert mine is None or mine.figures["workers"] in (0, None) or plain.suppressed, plain.key
            continue
        assert mine.labels == plain.labels
        for name, value in plain.figures.items():
            other = mine.figures.get(name)
            if isinstance(value, str) and value and name != "currency":
                assert abs(Decimal(other) - Decimal(value)) <= Decimal("0.011"), (mine.key, name)
            else:
                assert other == value, (mine.key, name)


# A period on the lattice (this calendar year): the units come from the orders in the period.
LAST_YEAR = {"period": str(date.today().year)}


@pytest.mark.parametrize(
    "dataset, group_by, options",
    [
        ("work", ("sector",), {}),  # from the workers' summaries
        ("work", ("sector",), LAST_YEAR),  # a period: from the orders themselves
        ("work", ("organization", "month"), LAST_YEAR),
        ("work", ("category", "country"), {}),
        ("members", ("gender",), {}),
        ("members", ("country", "sector"), {}),
    ],
)
def test_the_door_gives_through_the_engine_what_the_orm_gives(dataset, group_by, options):
    from doorstep.insights import queries

    synth.run(
        synth.Plan(members=150, orders_per_member=5, organizations=3, workers=1, submissions_per_member=0)
    )
    analytics.refresh()
    ask = _network_ask(dataset, group_by, **options)
    ours = queries.figures(ask)
    assert ours.refreshed_at is not None and ours.rows
    assert any(not row.suppressed for row in ours.rows) and any(row.suppressed for row in ours.rows)
    _same_table(ours, baselines.orm_table(ask))


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
    analytics.refresh()
    ask = _network_ask("grievances", group_by, **options)
    ours = queries.figures(ask)
    assert ours.rows and any(row.figures.get("median_days_to_resolution") for row in ours.rows)
    _same_table(ours, baselines.orm_table(ask))


def test_a_changed_case_is_read_again_at_the_next_refresh():
    from doorstep.grievances.models import Case

    synth.run(
        synth.Plan(members=40, orders_per_member=1, organizations=2, workers=1, submissions_per_member=0)
    )
    _cases()
    analytics.refresh()
    assert analytics.refresh().written["cases"] == 0  # nothing changed
    case = Case.objects.filter(organization__slug__startswith="synth-1-001").first()
    case.members.clear()  # who a case names changes without touching the case itself
    report = analytics.refresh()
    assert report.written["cases"] == 1
    ids = [case.organization_id]
    with analytics.Snapshot(ids) as snapshot:
        named = snapshot.query("SELECT member_id FROM cases WHERE case_id = $id", {"id": case.pk})
    assert named == [(None,)]


@pytest.mark.parametrize("group_by", [("sector",), ("organization",), ("gender", "sector"), ("admin1",)])
def test_the_workers_summaries_give_the_cells_her_orders_give(group_by):
    """The summaries written at refresh are the units computed from the orders, cell for cell."""
    from doorstep.insights import cells

    synth.run(
        synth.Plan(members=120, orders_per_member=6, organizations=2, workers=1, submissions_per_member=0)
    )
    analytics.refresh()
    ids = list(Organization.objects.filter(slug__startswith="synth-1-").values_list("pk", flat=True))
    with analytics.Snapshot(ids) as snapshot:
        assert snapshot.files["workers"]
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


def test_a_withdrawal_counts_at_once_and_a_new_consent_from_the_next_refresh(world):
    from doorstep.insights import queries
    from doorstep.members import queries as member_queries
    from doorstep.members.models import Member
    from doorstep.members.services import consent as member_services

    synth.run(
        synth.Plan(members=60, orders_per_member=3, organizations=2, workers=1, submissions_per_member=0)
    )
    analytics.refresh()
    ask = _network_ask("members", ("organization",))
    total = next(r for r in queries.figures(ask).rows if r.key == ("__total__",)).figures["workers"]
    organization = Organization.objects.get(slug="synth-1-001-in")
    admin = User.objects.get(username="synth-1-001-in-admin")
    consenting = member_queries.consenting_members([organization.pk], "network_sharing", timezone.localdate())
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
    analytics.refresh()
    assert next(r for r in queries.figures(ask).rows if r.key == ("__total__",)).figures["workers"] == total
    _same_table(queries.figures(ask), baselines.orm_table(ask))


def test_shared_figures_before_the_first_refresh_say_so(world, login):
    from doorstep.insights import queries

    synth.run(
        synth.Plan(members=20, orders_per_member=1, organizations=2, workers=1, submissions_per_member=0)
    )
    found = queries.figures(_network_ask("work", ("sector",)))
    assert found.rows == [] and "being prepared" in found.reason


def test_a_reader_opened_before_a_refresh_reads_the_new_state_not_a_false_alarm(federation):
    analytics.refresh()
    organization, admin = federation[0]
    before = WorkOrder.objects.filter(organization=organization).count()
    with analytics.Snapshot([organization.pk]) as snapshot:  # has read the manifest, not yet the files
        old_files = set(snapshot.files["orders"])
        work_services.void_order(
            WorkOrder.objects.filter(organization=organization).order_by("pk").first(),
            reason="recorded twice",
            actor=admin,
        )
        analytics.refresh()  # replaces that month's file and removes the old one
        assert not all(Path(f).exists() for f in old_files)
        assert snapshot.query("SELECT count(*) FROM orders")[0][0] == before - 1
        assert snapshot.refreshed_at == analytics.last_refresh()
