"""Campaigns: a platform of demands, targets, actions with dates and outcomes, the organizations
taking part; led and changed by one organization, read by those taking part, public if it says so."""

from datetime import date

import pytest
from django.test import Client

from doorstep.advocacy import services
from doorstep.advocacy.models import Campaign, CampaignAction, Demand

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(world):
    made = services.save_campaign(
        world.network,
        data={"title": "Ratify C177", "status": "active", "participants": [world.org_a]},
        actor=world.network_admin,
    )
    services.add_demand(made, text="Ratify Convention 177.", actor=world.network_admin)
    return made


def test_the_lead_builds_a_campaign_on_its_page(world, campaign, login):
    nadia = login(world.network_admin)
    url = f"/orgs/test-network/campaigns/{campaign.pk}/"
    assert nadia.get(url).status_code == 200
    nadia.post(url, {"action": "target", "kind": "government", "name": "Ministry of Labour", "country": "IN"})
    target = campaign.targets.get()
    response = nadia.post(
        url,
        {
            "action": "action",
            "on": "2026-11-01",
            "kind": "letter",
            "description": "Sent a letter",
            "target": target.pk,
        },
    )
    assert response.status_code == 302
    assert CampaignAction.objects.get().target == target
    demand = Demand.objects.get()
    nadia.post(url, {"action": "demand_status", "demand": demand.pk, "status": "partly"})
    assert Demand.objects.get().status == "partly"
    bad = nadia.post(url, {"action": "action", "on": "", "kind": "party", "description": ""})
    assert bad.status_code == 422 and CampaignAction.objects.count() == 1
    unknown = nadia.post(url, {"action": "demand_status", "demand": demand.pk, "status": "won"})
    assert unknown.status_code == 422 and b"Unknown status." in unknown.content
    assert Demand.objects.get().status == "partly"
    # The union takes part: it reads the campaign, and cannot change it.
    olga = login(world.organizer_a)
    page = olga.get(f"/orgs/union-a/campaigns/{campaign.pk}/")
    assert (
        page.status_code == 200
        and b"Ratify Convention 177." in page.content
        and b"Add a demand" not in page.content
    )
    olga.post(f"/orgs/union-a/campaigns/{campaign.pk}/", {"action": "demand", "text": "Something else"})
    assert Demand.objects.count() == 1
    # Cooperative B does not take part: to it the campaign does not exist.
    assert login(world.admin_b).get(f"/orgs/coop-b/campaigns/{campaign.pk}/").status_code == 404


def test_public_only_when_it_says_so(world, campaign, api):
    anonymous = Client()
    assert anonymous.get(f"/campaigns/{campaign.pk}/").status_code == 404
    assert anonymous.get("/api/v1/public/campaigns").json()["items"] == []
    changed = api(world.network_admin).patch(
        f"/api/v1/campaigns/{campaign.pk}?organization_id={world.network.pk}",
        {"is_public": True, "summary": "<p>Homework is work<script>x()</script></p>"},
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["summary"] == "<p>Homework is work</p>"
    page = anonymous.get(f"/campaigns/{campaign.pk}/")
    assert page.status_code == 200 and b"Ratify Convention 177." in page.content
    assert b"Ratify C177" in anonymous.get("/campaigns/").content
    listed = anonymous.get("/api/v1/public/campaigns").json()["items"]
    assert listed[0]["participants"] == ["union-a"] and listed[0]["demands"][0]["status"] == "open"


def test_the_api_and_its_errors(world, campaign, api):
    client = api(world.network_admin)
    base = f"/api/v1/campaigns/{campaign.pk}"
    query = f"?organization_id={world.network.pk}"
    target = client.post(
        f"{base}/targets{query}",
        {"kind": "company", "name": "Brand C", "country": "DE"},
        content_type="application/json",
    ).json()["targets"][0]
    added = client.post(
        f"{base}/actions{query}",
        {"on": "2026-10-01", "kind": "meeting", "description": "Met the brand", "target_id": target["id"]},
        content_type="application/json",
    )
    assert added.status_code == 201 and added.json()["actions"][0]["target_id"] == target["id"]
    bad_country = client.post(
        f"{base}/targets{query}",
        {"kind": "government", "name": "X", "country": "ZZ"},
        content_type="application/json",
    )
    assert bad_country.status_code == 422 and "ZZ" in bad_country.json()["errors"][0]["message"]
    dates = client.patch(
        f"{base}{query}",
        {"starts_on": "2026-12-01", "ends_on": "2026-01-01"},
        content_type="application/json",
    )
    assert dates.status_code == 422 and dates.json()["errors"][0]["field"] == "ends_on"
    # Taking part is not leading: the union may not change it.
    union = api(world.admin_a).post(
        f"{base}/demands?organization_id={world.org_a.pk}", {"text": "x"}, content_type="application/json"
    )
    assert union.status_code == 403
    made = api(world.admin_b).post(
        f"/api/v1/campaigns?organization_id={world.org_b.pk}",
        {"title": "Fair rates for beadwork", "status": "planning", "starts_on": str(date.today())},
        content_type="application/json",
    )
    assert made.status_code == 201 and Campaign.objects.filter(organization=world.org_b).exists()
    assert api(world.admin_b).get(f"/api/v1/campaigns?organization_id={world.org_b.pk}").json()[0][
        "title"
    ] == ("Fair rates for beadwork")
