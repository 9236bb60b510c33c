"""The legal tracker: the shipped C177 ratifications with their sources, a public world table and a
page per country, changes by network people only, each with its source and kept in the history."""

import csv
from pathlib import Path

import pytest
from django.test import Client

from doorstep.advocacy import services
from doorstep.advocacy.models import LegalFact, LegalFactChange
from doorstep.core.models import AuditEvent

pytestmark = pytest.mark.django_db
SHIPPED = Path(__file__).resolve().parents[1] / "data" / "c177_ratifications.csv"


def test_the_shipped_ratifications_are_loaded_with_their_sources():
    rows = list(csv.DictReader(SHIPPED.open(encoding="utf-8")))
    assert len(rows) == 12
    for row in rows:
        fact = LegalFact.objects.get(country=row["country_iso2"], fact="c177_ratified")
        assert fact.value == {"ratified": True, "on": row["ratified"]}
        assert fact.source == row["source"] and fact.as_of == row["as_of"]
    spain = LegalFact.objects.get(country="ES", fact="c177_in_force")
    assert spain.value == {"on": "2023-05-25"}
    assert LegalFactChange.objects.filter(fact__country="AL", changed_by__isnull=True).count() == 1


def test_the_public_world_table_and_country_pages():
    anonymous = Client()
    page = anonymous.get("/laws/")
    assert page.status_code == 200 and "public" in page["Cache-Control"]
    assert b"Albania" in page.content and b"2002-07-24" in page.content and b"12 countries" in page.content
    assert b"Albania" not in anonymous.get("/laws/?ratified=no").content
    assert b"Spain" in anonymous.get("/laws/?q=spa").content
    spain = anonymous.get("/laws/ES/")
    assert b"In force from 2023-05-25" in spain.content and b"asesoranza.es" in spain.content
    assert (
        b"Change history" in spain.content and b"Change</a>" not in spain.content
    )  # no editing for the public
    india = anonymous.get("/laws/in/", follow=True)
    assert india.redirect_chain[-1][0] == "/laws/IN/" and b"Not recorded" in india.content
    assert anonymous.get("/laws/ZZ/").status_code == 404
    assert anonymous.get("/api/v1/public/laws/zz").status_code == 404
    api = anonymous.get("/api/v1/public/laws?ratified=true").json()
    assert len(api) == 12 and all(c["c177_ratified"] for c in api)
    assert anonymous.get("/api/v1/public/laws/IN").json()["facts"] == []


def test_network_people_keep_it_with_a_source_and_a_history(world, login, api):
    nadia = login(world.network_admin)
    form = nadia.get("/laws/IN/homework_law/edit/")
    assert form.status_code == 200
    missing = nadia.post("/laws/IN/homework_law/edit/", {"name": "Unorganised Workers' Social Security Act"})
    assert missing.status_code == 422 and b"Every fact needs its source" in missing.content
    assert not LegalFact.objects.filter(country="IN").exists()
    done = nadia.post(
        "/laws/IN/homework_law/edit/",
        {
            "name": "Unorganised Workers' Social Security Act",
            "year": 2008,
            "covers": "Home-based workers among unorganised workers",
            "link": "https://example.org/act",
            "source": "https://example.org/gazette",
            "as_of": "2008-12",
            "note_why": "First entry",
        },
    )
    assert done.status_code == 302
    law = LegalFact.objects.get(country="IN", fact="homework_law")
    assert law.value["year"] == 2008 and law.updated_by == world.network_admin
    assert AuditEvent.objects.filter(action="legal_fact.saved").exists()
    # A correction through the API keeps the first version in the history.
    changed = api(world.analyst).put(
        "/api/v1/laws/IN/minimum_wage",
        {
            "value": {"coverage": "partly", "note": "Some states"},
            "source": "State notifications",
            "as_of": "2025",
        },
        content_type="application/json",
    )
    assert changed.status_code == 200
    assert (
        api(world.analyst)
        .put(
            "/api/v1/laws/IN/minimum_wage",
            {"value": {"coverage": "covered"}, "source": "New code on wages", "as_of": "2025-11"},
            content_type="application/json",
        )
        .status_code
        == 200
    )
    assert [c.value["coverage"] for c in LegalFactChange.objects.filter(fact__fact="minimum_wage")] == [
        "covered",
        "partly",
    ]
    page = Client().get("/laws/IN/")
    assert b"Covered" in page.content and b"New code on wages" in page.content and b"nadia" in page.content


def test_bad_input_and_who_may_edit(world, login, api):
    # An organization that is not a network, a company, and the public cannot change the law's facts.
    assert login(world.admin_a).get("/laws/IN/safety/edit/").status_code == 403
    refused = api(world.company_user).put(
        "/api/v1/laws/IN/safety",
        {"value": {"coverage": "covered"}, "source": "x"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert Client().get("/laws/IN/safety/edit/").status_code == 302  # to the login page
    client = api(world.network_admin)
    unknown_country = client.put(
        "/api/v1/laws/ZZ/safety",
        {"value": {"coverage": "covered"}, "source": "x"},
        content_type="application/json",
    )
    assert (
        unknown_country.status_code == 422 and "Unknown country code: ZZ" in unknown_country.json()["detail"]
    )
    unknown_fact = client.put(
        "/api/v1/laws/IN/taxes", {"value": {}, "source": "x"}, content_type="application/json"
    )
    assert unknown_fact.status_code == 422
    bad = client.put(
        "/api/v1/laws/AL/c177_ratified",
        {"value": {"ratified": True, "on": "2002-13-45"}, "source": "x", "as_of": "last year"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and {e["field"] for e in bad.json()["errors"]} == {"on"}
    bad_as_of = client.put(
        "/api/v1/laws/AL/c177_ratified",
        {"value": {"ratified": True, "on": "2002"}, "source": "x", "as_of": "last year"},
        content_type="application/json",
    )
    assert bad_as_of.status_code == 422 and bad_as_of.json()["errors"][0]["field"] == "as_of"
    assert LegalFact.objects.get(country="AL", fact="c177_ratified").value["on"] == "2002-07-24"
    assert login(world.network_admin).get("/laws/IN/taxes/edit/").status_code == 404
    with pytest.raises(services.ValidationError):
        services.clean_value("minimum_wage", {"coverage": "maybe"})
