"""Open data: a network publishes suppressed tables as CSV and Parquet with a data dictionary under a
licence it chooses; anyone downloads them; it can withdraw them."""

import csv
import io

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from doorstep.bench import synth
from doorstep.core import analytics, cells
from doorstep.core.models import AuditEvent
from doorstep.insights.models import Release
from doorstep.organizations.models import Organization, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    synth.run(
        synth.Plan(members=150, orders_per_member=4, organizations=2, workers=1, submissions_per_member=0)
    )
    analytics.refresh()
    return Organization.objects.get(slug="synth-network")


def _publish(client, network, **changes):
    data = {
        "title": "Homeworkers' pay, 2025",
        "description": "Medians over workers.",
        "licence": "CC-BY-4.0",
        "tables": ["work-sector", "members-country-category"],
        "starts_on": "2026-01-01",  # a calendar year: figures leave the organization
        "ends_on": "2026-12-31",
    } | changes
    return client.post(f"/orgs/{network.slug}/open-data/", data)


def test_a_network_publishes_tables_anyone_can_download_with_their_dictionary(network, login, client):
    analyst = login(User.objects.get(username="synth-network-analyst"))
    response = _publish(analyst, network)
    made = Release.objects.get()
    assert response.status_code == 302 and response.url == f"/open-data/{made.pk}/"
    page = client.get(f"/open-data/{made.pk}/").content.decode()  # no login
    assert "Homeworkers&#x27; pay, 2025" in page and 'rel="license"' in page and "CC BY 4.0" in page
    assert "median_minimum_wage_ratio" in page and "Synthetic IN homeworkers 1" in page
    assert f"/open-data/{made.pk}/" in client.get("/open-data/").content.decode()
    rows = list(csv.DictReader(io.StringIO(client.get(f"/open-data/{made.pk}/data.csv").content.decode())))
    assert len(rows) == made.rows and {r["table"] for r in rows} == {
        "work-sector",
        "members-country-category",
    }
    total = next(r for r in rows if r["table"] == "work-sector" and r["value_1"] == "ALL")
    assert int(total["workers"]) > 0 and float(total["median_minimum_wage_ratio"]) > 0
    withheld = [r for r in rows if r["withheld"]]
    assert withheld and all(r["workers"] == "" and r["median_net_hourly"] == "" for r in withheld)
    parquet = client.get(f"/open-data/{made.pk}/data.parquet")
    table = pq.read_table(io.BytesIO(parquet.content))
    assert table.num_rows == made.rows and str(table.schema.field("workers").type) == "int64"
    assert table.schema.metadata[b"licence"] == b"CC-BY-4.0"
    dictionary = client.get(f"/open-data/{made.pk}/dictionary.csv").content.decode()
    assert (
        "below_minimum_percent" in dictionary and "https://creativecommons.org/licenses/by/4.0/" in dictionary
    )
    assert AuditEvent.objects.filter(action="open_data.published").count() == 1
    assert AuditEvent.objects.filter(action="aggregates.released", metadata__channel="open data").count() == 2


def test_a_release_that_cannot_be_made_says_why_and_stores_nothing(network, login):
    analyst = login(User.objects.get(username="synth-network-analyst"))
    bad = _publish(
        analyst,
        network,
        tables=[],
        licence="all rights reserved",
        starts_on="2026-05-01",
        ends_on="2026-01-01",
    )
    page = bad.content.decode()
    assert bad.status_code == 422 and "Select a valid choice" in page and "This field is required" in page
    empty = _publish(analyst, network, tables=["work-sector"], starts_on="1990-01-01", ends_on="1990-12-31")
    assert empty.status_code == 422 and "No worker" in empty.content.decode()
    reversed_period = _publish(analyst, network, starts_on="2026-05-01", ends_on="2026-01-01")
    assert (
        reversed_period.status_code == 422
        and "The end comes before the start." in reversed_period.content.decode()
    )
    assert not Release.objects.exists()


def test_a_release_is_for_a_calendar_month_quarter_or_year(network, login):
    analyst = login(User.objects.get(username="synth-network-analyst"))
    free = _publish(analyst, network, starts_on="2026-01-05", ends_on="2026-12-31")
    assert free.status_code == 422 and "YYYY-Qn" in free.content.decode()
    assert not Release.objects.exists()


def test_a_withdrawn_release_is_no_longer_served(network, login, client):
    analyst = login(User.objects.get(username="synth-network-analyst"))
    _publish(analyst, network)
    made = Release.objects.get()
    assert analyst.post(f"/orgs/{network.slug}/open-data/{made.pk}/withdraw/").status_code == 302
    for path in ("", "data.csv", "data.parquet", "dictionary.csv"):
        assert client.get(f"/open-data/{made.pk}/{path}").status_code == 404
    assert "withdrawn" in analyst.get(f"/orgs/{network.slug}/open-data/").content.decode()


def test_only_a_networks_admins_and_analysts_publish(network, world, login):
    assert login(world.admin_a).get("/orgs/union-a/open-data/").status_code == 404  # not a network
    assert login(world.admin_b).get(f"/orgs/{network.slug}/open-data/").status_code == 404
    assert login(world.network_admin).get("/orgs/test-network/open-data/").status_code == 200


def test_published_csvs_neutralize_formulas(network, login, client):
    analyst = login(User.objects.get(username="synth-network-analyst"))
    _publish(analyst, network, title='=HYPERLINK("https://evil.example","Pay")')
    made = Release.objects.get()
    dictionary = list(
        csv.reader(io.StringIO(client.get(f"/open-data/{made.pk}/dictionary.csv").content.decode()))
    )
    assert ["title", '\'=HYPERLINK("https://evil.example","Pay")', ""] in dictionary
    rows = list(csv.DictReader(io.StringIO(client.get(f"/open-data/{made.pk}/data.csv").content.decode())))
    assert rows and all(not value.startswith(("=", "+", "@")) for row in rows for value in row.values())


def test_an_arrow_table_keeps_its_figures_and_neutralizes_its_text():
    table = pa.table({"label": ["=1+1", "Delhi", None], "workers": [3, -2, None]})
    clean = cells.neutralize_table(table)
    assert clean.column("label").to_pylist() == ["'=1+1", "Delhi", None]
    assert clean.column("workers").to_pylist() == [3, -2, None] and clean.schema == table.schema
