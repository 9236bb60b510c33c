"""The evidence brief: an organization's own figures or a network's shared ones for a period, as a
page and a PDF, with charts, tables and methods; each table a release in the audit log."""

import re

import pytest

from doorstep.bench import synth
from doorstep.core import analytics
from doorstep.core.models import AuditEvent
from doorstep.organizations.models import Organization, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def federation():
    synth.run(
        synth.Plan(members=150, orders_per_member=5, organizations=2, workers=1, submissions_per_member=0)
    )
    analytics.refresh()
    return Organization.objects.get(slug="synth-1-001-in"), Organization.objects.get(slug="synth-network")


def test_an_organizations_brief_gives_its_consenting_members_figures_charts_and_methods(federation, login):
    organization, _network = federation
    client = login(User.objects.get(username=f"{organization.slug}-admin"))
    page = client.get(f"/orgs/{organization.slug}/brief/")
    html = page.content.decode()
    assert page.status_code == 200
    for text in ("Key figures", "Workers", "Median earnings against the minimum wage", "Methods"):
        assert text in html
    assert "<title>Earnings against the minimum wage, by sector</title>" in html
    assert "consented to their data being used for research" in html
    assert f"Groups of fewer than {organization.disclosure_k or 10} workers are withheld" in html
    assert "Minimum wages used" in html and "Delhi (NCT)" in html
    released = AuditEvent.objects.filter(action="aggregates.released", organization_id=organization.pk)
    assert released.count() == 3 and {e.metadata["channel"] for e in released} == {"brief"}
    pdf = client.get(f"/orgs/{organization.slug}/brief.pdf", {"from": "2020-01-01"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert b"/Subtype /Image" in pdf.content  # the charts, drawn as pictures
    assert AuditEvent.objects.filter(action="aggregates.released", metadata__channel="brief pdf").count() == 3


def test_a_networks_brief_comes_from_the_organizations_sharing_with_it(federation, login):
    _organization, network = federation
    analyst = User.objects.get(username="synth-network-analyst")
    html = login(analyst).get(f"/orgs/{network.slug}/brief/").content.decode()
    assert "These figures come from the organizations that share their data with" in html
    assert "Synthetic IN homeworkers 1" in html and "Work and pay by organization" in html
    shared = AuditEvent.objects.filter(action="aggregates.shared", metadata__channel="brief")
    assert {e.organization_id for e in shared} == set(
        Organization.objects.filter(slug__in=["synth-1-001-in", "synth-1-002-pk"]).values_list(
            "pk", flat=True
        )
    )


def test_an_empty_period_and_a_bad_one_are_said_plainly(federation, login):
    organization, _network = federation
    client = login(User.objects.get(username=f"{organization.slug}-admin"))
    empty = client.get(f"/orgs/{organization.slug}/brief/", {"from": "1990-01-01", "to": "1990-12-31"})
    assert empty.status_code == 200 and "No worker" in empty.content.decode()
    bad = client.get(f"/orgs/{organization.slug}/brief/", {"from": "2026-05-01", "to": "2026-04-01"})
    assert bad.status_code == 422 and "The end comes before the start." in bad.content.decode()
    assert client.get(f"/orgs/{organization.slug}/brief.pdf", {"from": "yesterday"}).status_code == 404


def test_only_its_staff_or_analysts_make_a_brief(federation, world, login):
    organization, _network = federation
    assert login(world.admin_b).get(f"/orgs/{organization.slug}/brief/").status_code == 404
    assert login(world.worker_a).get("/orgs/union-a/brief/").status_code == 404
    assert login(world.company_user).get("/orgs/brand-c/brief/").status_code == 404
    assert (
        login(User.objects.get(username="synth-network-analyst"))
        .get(f"/orgs/{organization.slug}/brief/")
        .status_code
        == 404
    )


def test_the_briefs_tables_become_labelled_cards_on_a_phone(federation, login):
    organization, _network = federation
    client = login(User.objects.get(username=f"{organization.slug}-admin"))
    html = client.get(f"/orgs/{organization.slug}/brief/").content.decode()
    tables = [  # a chart's own table (a label and a value) is narrow enough as it is
        table
        for table in re.findall(r"<table[^>]*>.*?</table>", html, flags=re.S)
        if table.split("</thead>")[0].count('scope="col"') > 2
    ]
    assert len(tables) >= 3 and all(table.startswith('<table class="stack">') for table in tables)
    for table in tables:
        cells = re.findall(r"<td(?! colspan)([^>]*)>", table)
        assert all("data-label=" in attrs for attrs in cells), cells
    assert 'data-label="Minimum wage"' in html
