"""The dashboard's charts: drawn on the server as SVG, with their tables beside them, downloadable as
PNG, SVG and CSV for the same currency and period."""

import csv
import io

import pytest
from PIL import Image

from doorstep.bench import synth
from doorstep.core import analytics
from doorstep.organizations.models import Organization, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def organization():
    synth.run(
        synth.Plan(members=40, orders_per_member=6, organizations=1, workers=1, submissions_per_member=0)
    )
    analytics.refresh()
    return Organization.objects.get(slug__startswith="synth-1-001-")


def test_the_dashboard_shows_each_chart_with_its_table_and_downloads(organization, login):
    client = login(User.objects.get(username=f"{organization.slug}-admin"))
    page = client.get(f"/orgs/{organization.slug}/work/").content.decode()
    for title in (
        "Earnings against the minimum wage, by sector",
        "Earnings against the minimum wage, by month",
        "Days from delivery to full payment",
        "Orders by work giver (the ten with most)",
    ):
        assert f"<title>{title}</title>" in page and f"<caption>{title}</caption>" in page
    assert page.count('role="img"') == 5 and "<script" not in page.split("<main", 1)[1].split("</main>")[0]
    assert f"/orgs/{organization.slug}/work/charts/payment_delays.png" in page


def test_a_chart_downloads_as_png_svg_and_csv_with_the_same_figures(organization, login):
    client = login(User.objects.get(username=f"{organization.slug}-admin"))
    base = f"/orgs/{organization.slug}/work/charts/orders_by_party"
    png = client.get(base + ".png")
    assert png["Content-Type"] == "image/png" and "attachment" in png["Content-Disposition"]
    image = Image.open(io.BytesIO(png.content))
    assert image.format == "PNG" and image.size[0] == 1280
    svg = client.get(base + ".svg")
    assert svg["Content-Type"].startswith("image/svg+xml") and b"<svg" in svg.content
    rows = list(csv.reader(io.StringIO(client.get(base + ".csv").content.decode())))
    assert rows[0] == ["", "Orders"]
    board_total = sum(int(r[1]) for r in rows[1:])
    assert 0 < board_total <= 240 and len(rows) - 1 <= 10
    # The same period as the dashboard's: an empty one has no chart to give.
    assert client.get(base + ".csv", {"from": "1990-01-01", "to": "1990-02-01"}).status_code == 404
    assert client.get(f"/orgs/{organization.slug}/work/charts/nothing.png").status_code == 404
    assert client.get(f"/orgs/{organization.slug}/work/charts/orders_by_party.gif").status_code == 404


def test_labels_are_escaped_in_the_drawing():
    from doorstep.core.charts import Bar, Chart

    drawn = Chart("x", "<b>Title</b>", "n", [Bar("<script>alert(1)</script>", 2.0, "2")], reference=1)
    svg = drawn.svg()
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&lt;b&gt;Title" in svg
    assert drawn.csv().splitlines()[1] == "<script>alert(1)</script>,2"
