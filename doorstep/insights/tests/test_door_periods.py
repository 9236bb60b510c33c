"""The aggregates door's periods: outside the organization a recipient asks for a calendar month,
quarter or year (a lattice), never a free range, so that overlapping periods give nothing away."""

from datetime import date

import pytest

from doorstep.insights import queries

from .fixtures import order

pytestmark = pytest.mark.django_db


def _get(client, dataset="work", **params):
    return client.get(f"/api/v1/aggregates/{dataset}", params)


def test_a_free_range_from_a_recipient_is_refused_naming_the_allowed_forms(world, shared, api):
    response = _get(
        api(world.analyst), recipient_id=world.network.pk, group_by="sector", **{"from": "2026-03-05"}
    )
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "from" and "YYYY-MM" in error["message"] and "YYYY-Qn" in error["message"]
    assert "rows" not in response.json()


@pytest.mark.parametrize("period", ["2026-13", "2026-Q5", "26", "2026-03-01", "2026-W10", "march"])
def test_a_period_off_the_lattice_is_refused(world, shared, api, period):
    response = _get(api(world.analyst), recipient_id=world.network.pk, group_by="sector", period=period)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["period"]


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        ("2026-03", date(2026, 3, 1), date(2026, 3, 31)),
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026-q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("2026", date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_a_period_on_the_lattice_is_its_calendar_days(world, shared, api, period, start, end):
    body = _get(api(world.analyst), recipient_id=world.network.pk, group_by="sector", period=period).json()
    assert (body["from"], body["to"], body["period"]) == (start.isoformat(), end.isoformat(), period.upper())


def test_a_whole_calendar_range_is_the_same_as_its_period(world, shared):
    ask = queries.ask(world.network, dataset="work", group_by="sector", start="2026-04-01", end="2026-06-30")
    assert ask.period == "2026-Q2"


def test_the_organization_itself_keeps_free_ranges(world, shared):
    ask = queries.ask(
        world.org_a, dataset="work", group_by="sector", start="2026-03-05", end="2026-03-09", own=True
    )
    assert (ask.start, ask.end) == (date(2026, 3, 5), date(2026, 3, 9))


def test_overlapping_periods_give_no_withheld_month_away(world, shared, api):
    """The attack: months over a year, then over a later quarter; subtracting totals or cells must
    not give a month the first table withheld."""
    for member in shared.embroiderers[:4]:
        order(world, member, shared.rafiq, given_on=date(2026, 2, 4))
    from doorstep.core import analytics

    analytics.refresh()
    client = api(world.analyst)
    year = _get(client, recipient_id=world.network.pk, group_by="month", period="2026").json()
    quarter = _get(client, recipient_id=world.network.pk, group_by="month", period="2026-Q1").json()
    year_cells = {row["key"]["month"]: row for row in year["rows"]}
    withheld = {m for m, row in year_cells.items() if row["suppressed"]}
    assert "2026-02" in withheld  # four workers in February
    for row in quarter["rows"]:
        month = row["key"]["month"]
        if month == "__total__":
            continue
        # The same cell in both tables: shown in both or withheld in both, with the same figures.
        assert row["suppressed"] == year_cells[month]["suppressed"]
        assert row["figures"] == year_cells[month]["figures"]
    quarter_total = next(row for row in quarter["rows"] if row["margin"])
    if {"2026-01", "2026-02", "2026-03"} & withheld:
        assert quarter_total["figures"]["workers"] is None  # else the quarter minus shown months


def test_grouping_by_month_needs_a_period(world, shared, api):
    response = _get(api(world.analyst), recipient_id=world.network.pk, group_by="month")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "period"
