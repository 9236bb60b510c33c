"""What a table shows outside the organization: nothing when its total is under k, no zero inside a
withheld row or column, every code of a dimension's code list as a row, and places protected as one
hierarchy (country ⊃ state ⊃ district) so that a state minus its districts gives no district."""

import pytest

from doorstep.core import analytics
from doorstep.core.sectors import Sector
from doorstep.grievances.services import cases as grievances
from doorstep.insights.queries import as_data, ask, figures
from doorstep.organizations.models import SharingAgreement

from .fixtures import _member

pytestmark = pytest.mark.django_db


def _get(client, dataset="members", **params):
    return client.get(f"/api/v1/aggregates/{dataset}", params)


def test_a_table_whose_total_is_under_k_shows_no_cell_only_the_reason(world, shared, api):
    """The zeros attack: one worker's unsafe-work case against one intermediary, in a two-way
    table of work givers by problem, must not show which cells are 0 and which are withheld."""
    SharingAgreement.objects.filter(recipient=world.company).update(data_kinds=["work", "grievances"])
    grievances.create_case(
        world.org_a,
        data={
            "category": "unsafe_work",
            "members": [shared.beadworkers[0].pk],
            "parties": [shared.meena.pk],
            "summary": "Fumes",
        },
        actor=world.admin_a,
    )
    analytics.refresh()
    body = _get(
        api(world.company_user), dataset="grievances", recipient_id=world.company.pk, group_by="party,problem"
    ).json()
    assert body["rows"] == [] and "fewer than" in body["reason"].lower()
    assert "Meena" not in str(body)


def test_zeros_inside_a_withheld_row_are_withheld(world, shared, api):
    body = _get(api(world.analyst), recipient_id=world.network.pk, group_by="sector,gender").json()
    beadwork = [row for row in body["rows"] if row["key"]["sector"] == "beadwork"]
    assert beadwork  # three beadworkers: the row's total is under k
    assert all(row["suppressed"] and row["figures"]["workers"] is None for row in beadwork)


def test_rows_come_from_the_code_list(world, shared, api):
    body = _get(api(world.analyst), recipient_id=world.network.pk, group_by="sector").json()
    assert {row["key"]["sector"] for row in body["rows"] if not row["margin"]} == set(Sector.values)
    zero = next(row for row in body["rows"] if row["key"]["sector"] == "footwear")
    assert zero["figures"]["workers"] == 0 and not zero["suppressed"]


def test_a_state_minus_its_published_districts_gives_no_district(world, shared, api):
    """The nested-places attack: ``admin1`` publishes a state's total, ``admin2`` all but one of its
    districts; subtracting must not give the withheld one."""
    for i in range(12):
        _member(world, world.org_a, world.admin_a, f"North {i}", "embroidery", admin2="North")
    for i in range(4):
        _member(world, world.org_a, world.admin_a, f"East {i}", "embroidery", admin2="East")
    analytics.refresh()
    # The arithmetic is on the values before noise (what noise leaves aside).
    states = as_data(figures(ask(world.network, dataset="members", group_by="admin1")))
    districts = as_data(figures(ask(world.network, dataset="members", group_by="admin2")))
    delhi = next(row for row in states["rows"] if row["key"]["admin1"] == "delhi")
    assert delhi["figures"]["workers"] == 31
    cells = {row["key"]["admin2"]: row for row in districts["rows"] if not row["margin"]}
    assert cells["east"]["suppressed"] == "primary"
    withheld = [row for row in cells.values() if row["suppressed"]]
    # What the subtraction gives is the sum of two or more withheld districts, at least k beside East.
    assert len(withheld) >= 2
    shown = sum(row["figures"]["workers"] for row in cells.values() if not row["suppressed"])
    assert delhi["figures"]["workers"] - shown - 4 >= states["k"]


def test_a_district_that_is_the_whole_of_its_state_is_withheld_with_it(world, shared, api):
    for i in range(8):
        _member(world, world.org_a, world.admin_a, f"Goa {i}", "embroidery", admin1="Goa", admin2="Panaji")
    analytics.refresh()
    client = api(world.analyst)
    states = _get(client, recipient_id=world.network.pk, group_by="admin1").json()
    districts = _get(client, recipient_id=world.network.pk, group_by="admin2").json()
    goa = next(row for row in states["rows"] if row["key"]["admin1"] == "goa")
    panaji = next(row for row in districts["rows"] if row["key"]["admin2"] == "panaji")
    assert goa["suppressed"] and panaji["suppressed"]
    assert goa["figures"]["workers"] is None and panaji["figures"]["workers"] is None
