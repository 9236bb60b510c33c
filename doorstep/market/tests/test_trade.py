import pytest

from doorstep.market import services
from doorstep.market.models import TradeFact
from doorstep.organizations import services as organization_services


def _fact(**fields):
    return services.TradeFactInput(
        **{
            "country": "DE",
            "topic": "certification",
            "title": "Fair trade labels",
            "text": "Buyers ask for WFTO membership.",
            "source": "https://wfto.com/",
            "as_of": "2025",
            **fields,
        }
    )


@pytest.fixture
def fact(world):
    return services.save_trade_fact(world.network, data=_fact(), actor=world.network_admin)


def test_a_change_keeps_the_earlier_version(world, fact):
    services.save_trade_fact(
        world.network,
        data=_fact(text="Buyers ask for WFTO or Fairtrade.", note_why="new source"),
        actor=world.network_admin,
    )
    assert TradeFact.objects.count() == 1
    assert [c.text for c in fact.changes.order_by("pk")] == [
        "Buyers ask for WFTO membership.",
        "Buyers ask for WFTO or Fairtrade.",
    ]


def test_an_affiliate_reads_its_networks_facts(world, api, fact):
    response = api(world.admin_a).get(
        f"/api/v1/market/trade-facts?organization_id={world.org_a.pk}&country=DE"
    )
    assert [f["title"] for f in response.json()] == ["Fair trade labels"]
    assert response.json()[0]["source"] == "https://wfto.com/"


def test_an_organization_outside_the_network_does_not_see_them(world, api, fact):
    response = api(world.company_user).get(
        f"/api/v1/market/trade-facts/{fact.pk}?organization_id={world.company.pk}"
    )
    assert response.status_code in (403, 404)


def test_a_fact_needs_its_source(world, api):
    response = api(world.network_admin).post(
        f"/api/v1/market/trade-facts?organization_id={world.network.pk}",
        {
            "country": "DE",
            "topic": "documents",
            "title": "EUR.1",
            "text": "A movement certificate.",
            "source": "",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["source"]


def test_only_a_network_keeps_trade_facts(world, api):
    response = api(world.admin_a).post(
        f"/api/v1/market/trade-facts?organization_id={world.org_a.pk}",
        {
            "country": "DE",
            "topic": "documents",
            "title": "EUR.1",
            "text": "A certificate.",
            "source": "A law",
        },
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not TradeFact.objects.exists()


def test_the_fact_page_shows_its_history(world, login, fact):
    page = login(world.admin_a).get(f"/orgs/union-a/market/trade/{fact.pk}/").content.decode()
    assert "Fair trade labels" in page and "https://wfto.com/" in page and "not verified" in page


def test_affiliates_see_the_networks_potential_partners_without_contacts(world, api):
    services.save_partner(
        world.network,
        data=services.PartnerInput(name="World Shop NL", kind="shop", country="NL", email="ws@example.org"),
        actor=world.network_admin,
    )
    listed = (
        api(world.admin_a).get(f"/api/v1/market/potential-partners?organization_id={world.org_a.pk}").json()
    )
    assert listed == [
        {
            "id": listed[0]["id"],
            "name": "World Shop NL",
            "kind": "shop",
            "country": "NL",
            "network": "test-network",
        }
    ]


def test_an_organization_outside_the_network_sees_no_potential_partners(world, api):
    services.save_partner(
        world.network,
        data=services.PartnerInput(name="World Shop NL", kind="shop"),
        actor=world.network_admin,
    )
    lone = organization_services.create_organization(
        name="Lone Coop", slug="lone-coop", kind="cooperative", country="KE", actor=world.admin
    )
    organization_services.add_person(lone, username="otieno", role="org_admin", actor=world.admin)
    seen = api(world.organizer_b).get(f"/api/v1/market/potential-partners?organization_id={lone.pk}")
    assert seen.status_code == 200 and seen.json() == []
