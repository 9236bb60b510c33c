"""Her erasure takes her out of the analytics files at once, in the same request, not at the next
refresh; and the files and folders of the analytics engine are readable by the service user only."""

import stat
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from django.conf import settings

from doorstep.core import analytics
from doorstep.grievances.services import cases
from doorstep.supplychains import services as party_services
from doorstep.work.services import orders as work_services

pytestmark = pytest.mark.django_db

MEMBER_COLUMNS = {"orders": "member_id", "workers": "member_id", "members": "id", "cases": "member_id"}


def _order(world, member, party):
    return work_services.create_order(
        world.org_a,
        data={
            "member": member.pk,
            "party": party.pk,
            "given_on": "2026-03-02",
            "product": "Cushion cover",
            "sector": "embroidery",
            "quantity_ordered": "10",
            "piece_rate": "10",
            "currency": "INR",
            "deliveries": [{"delivered_on": "2026-03-10", "quantity": "10", "rejected": "0"}],
            "payments": [{"paid_on": "2026-03-12", "amount": "50"}],
        },
        actor=world.admin_a,
    )


@pytest.fixture
def filed(world, register):
    """Sunita and Meena, each with an order from Rafiq and a case against him, in the files."""
    rafiq = party_services.create_party(
        world.org_a, data={"name": "Rafiq", "kind": "intermediary", "is_person": True}, actor=world.admin_a
    )
    women = [register("Sunita Devi"), register("Meena Kumari")]
    for woman in women:
        _order(world, woman, rafiq)
        cases.create_case(
            world.org_a,
            data={
                "category": "late_payment",
                "members": [woman.pk],
                "parties": [rafiq.pk],
                "summary": "Late",
            },
            actor=world.admin_a,
        )
    analytics.refresh()
    return women


def _ids_on_disk(kind: str) -> set[int]:
    """Every member id in every file of a kind on disk (named by the manifest or not)."""
    found: set[int] = set()
    for path in (Path(settings.ANALYTICS_ROOT) / kind).rglob("*.parquet"):
        found |= set(pq.read_table(path).column(MEMBER_COLUMNS[kind]).to_pylist())
    return found


def test_her_erasure_takes_her_out_of_the_analytics_files_at_once(
    world, filed, api, django_capture_on_commit_callbacks
):
    sunita, meena = filed
    for kind in MEMBER_COLUMNS:
        assert {sunita.pk, meena.pk} <= _ids_on_disk(kind), kind
    refreshed_at = analytics.last_refresh()
    with django_capture_on_commit_callbacks(execute=True):
        response = api(world.admin_a).delete(f"/api/v1/members/{sunita.pk}")
    assert response.status_code == 204
    for kind in MEMBER_COLUMNS:
        on_disk = _ids_on_disk(kind)
        assert sunita.pk not in on_disk and meena.pk in on_disk, kind
    # Not a refresh: the moment consents are compared with stays the last refresh's.
    assert analytics.last_refresh() == refreshed_at
    with analytics.Snapshot([world.org_a.pk]) as snapshot:
        assert snapshot.query("SELECT count(*) FROM orders WHERE member_id = $id", {"id": sunita.pk}) == [
            (0,)
        ]
        assert snapshot.query("SELECT count(*) FROM members WHERE id = $id", {"id": meena.pk}) == [(1,)]


def test_a_refresh_after_her_erasure_keeps_her_out(world, filed, api, django_capture_on_commit_callbacks):
    sunita, meena = filed
    with django_capture_on_commit_callbacks(execute=True):
        api(world.admin_a).delete(f"/api/v1/members/{sunita.pk}")
    analytics.refresh()
    for kind in MEMBER_COLUMNS:
        on_disk = _ids_on_disk(kind)
        assert sunita.pk not in on_disk and meena.pk in on_disk, kind


def test_analytics_files_and_folders_are_the_service_users_only(
    world, filed, api, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        api(world.admin_a).delete(f"/api/v1/members/{filed[0].pk}")  # a rewrite, too
    analytics.request_refresh()  # the waiting marker
    base = Path(settings.ANALYTICS_ROOT)
    paths = [base, *base.rglob("*")]
    assert any(p.suffix == ".parquet" for p in paths) and (base / "manifest.json").exists()
    for path in paths:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))
