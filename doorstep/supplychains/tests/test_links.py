"""Supply-chain links between parties: pages and API, loops refused, and the chain drawn with the
members and orders each party reaches."""

import pytest

from doorstep.core.models import AuditEvent
from doorstep.supplychains import services
from doorstep.supplychains.models import PartyLink
from doorstep.work.services import orders as work_services
from doorstep.work.tests.conftest import ORDER

pytestmark = pytest.mark.django_db


def _party(world, name, kind, organization=None):
    organization = organization or world.org_a
    actor = world.admin_a if organization == world.org_a else world.admin_b
    return services.create_party(organization, data={"name": name, "kind": kind}, actor=actor)


@pytest.fixture
def chain(world, register):
    brand = _party(world, "Demo Brand", "brand")
    supplier = _party(world, "Kohinoor Exports", "supplier")
    agent = _party(world, "Salim Bhai", "intermediary")
    other_agent = _party(world, "Rekha", "intermediary")
    services.add_link(brand, supplier, {"confidence": "confirmed", "evidence": "label"}, actor=world.admin_a)
    services.add_link(supplier, agent, {"evidence": "work_orders"}, actor=world.admin_a)
    services.add_link(
        supplier, other_agent, {"confidence": "alleged", "evidence": "testimony"}, actor=world.admin_a
    )
    sunita, meena = (
        register(full_name="Sunita Devi"),
        register(full_name="Meena Kumari", phones=["+919812300000"]),
    )
    for member in (sunita, sunita, meena):
        work_services.create_order(
            world.org_a, data={**ORDER, "member": member.pk, "party": agent.pk}, actor=world.admin_a
        )
    return brand, supplier, agent, other_agent


def test_the_chain_page_draws_each_step_with_its_members_and_orders(world, login, chain):
    brand = chain[0]
    page = login(world.organizer_a).get(f"/orgs/union-a/parties/{brand.pk}/chain/")
    html = page.content.decode()
    assert page.status_code == 200 and html.count("<rect ") == 4 and html.count("<line ") == 3
    assert "2 members · 3 orders" in html  # Salim Bhai reaches Sunita (2 orders) and Meena
    assert 'stroke-dasharray="2 3"' in html  # the alleged link is dotted
    assert len(page.content) < 100_000


def test_links_are_added_and_removed_on_the_party_page(world, login):
    buyer, seller = _party(world, "Demo Brand", "brand"), _party(world, "Kohinoor Exports", "supplier")
    client = login(world.organizer_a)
    url = f"/orgs/union-a/parties/{buyer.pk}/"
    response = client.post(
        url,
        {
            "direction": "buys_from",
            "other": seller.pk,
            "confidence": "likely",
            "evidence": "document",
            "started_on": "2025-01-01",
            "ended_on": "2024-01-01",
        },
    )
    assert response.status_code == 422 and "The end comes before the start." in response.content.decode()
    response = client.post(
        url, {"direction": "buys_from", "other": seller.pk, "confidence": "likely", "evidence": "document"}
    )
    assert response.status_code == 302
    link = PartyLink.objects.get()
    assert (link.buyer, link.seller, link.created_by) == (buyer, seller, world.organizer_a)
    assert "Kohinoor Exports" in client.get(url).content.decode()
    # The loop the other way round is refused, saying why.
    back = client.post(
        f"/orgs/union-a/parties/{seller.pk}/",
        {"direction": "buys_from", "other": buyer.pk, "confidence": "likely", "evidence": "document"},
    )
    assert back.status_code == 422 and "this would make a loop" in back.content.decode()
    client.post(f"/orgs/union-a/party-links/{link.pk}/remove/", {"back": buyer.pk})
    assert not PartyLink.objects.exists()
    assert AuditEvent.objects.filter(action="party.unlinked").exists()


def test_the_links_api(world, api, chain):
    brand, supplier, agent, other_agent = chain
    assert supplier.kind == "supplier"
    client = api(world.admin_a)
    links = client.get(f"/api/v1/parties/{supplier.pk}/links").json()
    assert {(item["buyer"], item["seller"]) for item in links} == {
        ("Demo Brand", "Kohinoor Exports"),
        ("Kohinoor Exports", "Salim Bhai"),
        ("Kohinoor Exports", "Rekha"),
    }
    body = client.get(f"/api/v1/parties/{brand.pk}/chain").json()
    layers = {node["name"]: (node["layer"], node["members"], node["orders"]) for node in body["nodes"]}
    assert layers == {
        "Demo Brand": (0, 0, 0),
        "Kohinoor Exports": (1, 0, 0),
        "Salim Bhai": (2, 2, 3),
        "Rekha": (2, 0, 0),
    }
    made = client.post(
        f"/api/v1/parties/{other_agent.pk}/links",
        {"buyer_id": agent.pk, "evidence": "testimony"},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["buyer"] == "Salim Bhai"
    loop = client.post(
        f"/api/v1/parties/{other_agent.pk}/links",
        {"seller_id": brand.pk, "evidence": "testimony"},
        content_type="application/json",
    )
    assert loop.status_code == 422 and loop.json()["errors"][0]["field"] == "seller_id"
    both = client.post(
        f"/api/v1/parties/{brand.pk}/links",
        {"seller_id": agent.pk, "buyer_id": agent.pk, "evidence": "label"},
        content_type="application/json",
    )
    assert both.status_code == 422
    assert client.delete(f"/api/v1/parties/{other_agent.pk}/links/{made.json()['id']}").status_code == 204
    # Another organization's party is not there to link to, nor its chain to read.
    outsider = _party(world, "Savannah Crafts", "buyer", organization=world.org_b)
    assert (
        client.post(
            f"/api/v1/parties/{brand.pk}/links",
            {"seller_id": outsider.pk, "evidence": "label"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert api(world.admin_b).get(f"/api/v1/parties/{brand.pk}/chain").status_code == 404
