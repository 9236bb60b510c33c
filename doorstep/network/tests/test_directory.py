"""The public directory: only listed organizations, only what they say about themselves, sizes as
bands; filters, the map, the API; and requests to join a network, approved by its admin."""

import pytest
from django.test import Client

from doorstep.core.models import AuditEvent
from doorstep.members.services import registry
from doorstep.network.models import AffiliationRequest, Listing
from doorstep.network.queries import size_band
from doorstep.network.services import directory
from doorstep.organizations import services as organization_services
from doorstep.organizations.models import Affiliation

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(world):
    directory.save_listing(
        world.org_a,
        data={
            "listed": True,
            "area": "Ahmedabad",
            "sectors": ["embroidery", "incense"],
            "email": "office@union-a.example.org",
            "description": "Women homeworkers in embroidery.",
        },
        actor=world.admin_a,
    )
    directory.save_listing(world.network, data={"listed": True, "area": "Asia"}, actor=world.network_admin)
    # Cooperative B has an entry, but does not show it.
    directory.save_listing(world.org_b, data={"listed": False, "area": "Nairobi"}, actor=world.admin_b)
    return world


def _add_members(world, count):
    for n in range(count):
        registry.create_member(
            world.org_a, data={"full_name": f"Member {n}", "category": "homeworker"}, actor=world.admin_a
        )


def test_size_is_only_ever_a_band():
    assert size_band(None) is None and size_band(0) is None
    assert size_band(3) == ("1-49", "fewer than 50")
    assert size_band(49)[0] == "1-49" and size_band(50)[0] == "50-249"
    assert size_band(999)[0] == "250-999" and size_band(1000)[0] == "1000-4999"
    assert size_band(2_000_000)[0] == "100000+"


def test_the_public_sees_listed_organizations_only_and_no_member(listed):
    _add_members(listed, 3)
    anonymous = Client()
    page = anonymous.get("/directory/")
    assert page.status_code == 200 and "public" in page["Cache-Control"]
    assert b"Union A" in page.content and b"Test Network" in page.content
    assert b"Cooperative B" not in page.content  # not listed
    assert b"fewer than 50" in page.content and b"Member 0" not in page.content
    entry = anonymous.get("/directory/union-a/")
    assert entry.status_code == 200
    assert b"office@union-a.example.org" in entry.content and b"Embroidery" in entry.content
    assert b"Test Network" in entry.content  # its listed network
    assert b">3<" not in entry.content  # never the exact count
    assert anonymous.get("/directory/coop-b/").status_code == 404
    assert anonymous.get("/directory/no-such-org/").status_code == 404


def test_filters_and_map(listed):
    anonymous = Client()
    assert b"Union A" in anonymous.get("/directory/?country=IN").content
    assert b"Union A" not in anonymous.get("/directory/?kind=regional_network").content
    assert b"Union A" in anonymous.get("/directory/?sector=incense").content
    assert b"Union A" not in anonymous.get("/directory/?sector=beadwork").content
    assert b"Union A" in anonymous.get("/directory/?network=test-network").content
    assert b">Test Network</a></h2>" not in anonymous.get("/directory/?network=test-network").content
    assert b"Union A" in anonymous.get("/directory/?q=ahmed").content
    # A country nobody is listed in is not on offer: a clear form error, not a 500.
    page = anonymous.get("/directory/?country=ZZ")
    assert page.status_code == 200 and b"Select a valid choice" in page.content
    svg = anonymous.get("/directory/map.svg")
    assert svg["Content-Type"].startswith("image/svg+xml")
    assert b"#IN{fill" in svg.content and b"India" in svg.content and b"Kenya" not in svg.content


def test_public_api_pages_filters_and_never_counts(listed, api):
    _add_members(listed, 2)
    anonymous = Client()
    answer = anonymous.get("/api/v1/public/directory?country=in")
    assert answer.status_code == 200 and answer["Cache-Control"] == "public, max-age=300"
    items = answer.json()["items"]
    assert [i["slug"] for i in items] == ["union-a"]
    assert items[0]["size_band"] == "1-49" and items[0]["networks"] == [
        {"slug": "test-network", "name": "Test Network"}
    ]
    first = anonymous.get("/api/v1/public/directory?limit=1").json()
    second = anonymous.get(f"/api/v1/public/directory?limit=1&cursor={first['next']}").json()
    assert first["items"][0]["slug"] != second["items"][0]["slug"] and second["next"] is None
    assert anonymous.get("/api/v1/public/directory/coop-b").status_code == 404
    assert anonymous.get("/api/v1/public/directory?cursor=garbage").status_code == 422


def test_editing_an_entry_is_for_its_admins_and_audited(world, login, api):
    client = login(world.admin_a)
    page = client.get("/orgs/union-a/directory-entry/")
    assert page.status_code == 200 and b"Not listed" in page.content
    response = client.post(
        "/orgs/union-a/directory-entry/",
        {
            "action": "listing",
            "listed": "on",
            "area": "Surat",
            "sectors": ["garments"],
            "email": "not-an-email",
        },
    )
    assert response.status_code == 422 and b"valid email" in response.content
    assert not Listing.objects.exists()
    response = client.post(
        "/orgs/union-a/directory-entry/",
        {
            "action": "listing",
            "listed": "on",
            "area": "Surat",
            "sectors": ["garments"],
            "declared_members": 300,
        },
    )
    assert response.status_code == 302
    assert Client().get("/directory/union-a/").content.count(b"250 to 999") == 1
    assert AuditEvent.objects.filter(
        action="directory.listing_saved", organization_id=world.org_a.pk
    ).exists()
    # An organizer sees the entry but cannot change it.
    organizer = login(world.organizer_a)
    assert organizer.get("/orgs/union-a/directory-entry/").status_code == 200
    organizer.post("/orgs/union-a/directory-entry/", {"action": "listing", "area": "Changed"})
    assert Listing.objects.get().area == "Surat"
    denied = api(world.organizer_a).patch(
        f"/api/v1/directory/listings/{world.org_a.pk}", {"area": "x"}, content_type="application/json"
    )
    assert denied.status_code == 403
    bad = api(world.admin_a).patch(
        f"/api/v1/directory/listings/{world.org_a.pk}",
        {"sectors": ["garments", "rockets"], "website": "nope"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "body.payload.sectors.1"
    bad = api(world.admin_a).patch(
        f"/api/v1/directory/listings/{world.org_a.pk}", {"website": "nope"}, content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "website"
    assert Listing.objects.get().website == ""
    good = api(world.admin_a).patch(
        f"/api/v1/directory/listings/{world.org_a.pk}", {"listed": False}, content_type="application/json"
    )
    assert good.status_code == 200 and good.json()["listed"] is False
    assert Client().get("/directory/union-a/").status_code == 404


@pytest.fixture
def second_network(world):
    network = organization_services.create_organization(
        name="Second Network", slug="second-network", kind="national_network", country="IN", actor=world.admin
    )
    organization_services.add_person(network, username="sam", role="org_admin", actor=world.admin)
    from doorstep.organizations.models import User

    return network, User.objects.get(username="sam")


def test_a_request_to_join_is_approved_by_the_networks_admin(world, login, second_network):
    network, sam = second_network
    alice = login(world.admin_a)
    page = alice.get("/orgs/union-a/directory-entry/")
    assert b"Second Network" in page.content  # it may ask to join
    alice.post(
        "/orgs/union-a/directory-entry/", {"action": "request", "network": network.pk, "message": "Let us in"}
    )
    request = AffiliationRequest.objects.get()
    assert request.status == "pending" and request.organization_id == world.org_a.pk
    again = alice.post("/orgs/union-a/directory-entry/", {"action": "request", "network": network.pk})
    assert again.status_code == 422  # no longer on offer: one open request per network
    # Another network's admin cannot decide it: to her the request does not exist.
    nadia = login(world.network_admin)
    answer = nadia.post(f"/orgs/test-network/affiliation-requests/{request.pk}/", {"action": "approve"})
    assert answer.status_code == 404
    assert AffiliationRequest.objects.get().status == "pending"
    network_page = login(sam).get("/orgs/second-network/directory-entry/")
    assert b"Union A" in network_page.content and b"Let us in" in network_page.content
    login(sam).post(
        f"/orgs/second-network/affiliation-requests/{request.pk}/", {"action": "approve", "answer": "Welcome"}
    )
    request.refresh_from_db()
    assert request.status == "approved" and request.decided_by == sam and request.answer == "Welcome"
    assert Affiliation.objects.filter(member=world.org_a, network=network, until__isnull=True).exists()
    # Deciding twice is refused with a message, nothing changes.
    response = login(sam).post(
        f"/orgs/second-network/affiliation-requests/{request.pk}/", {"action": "decline"}, follow=True
    )
    assert b"already been answered" in response.content
    assert AffiliationRequest.objects.get().status == "approved"


def test_requests_through_the_api_decline_and_withdraw(world, api, second_network):
    network, sam = second_network
    created = api(world.admin_b).post(
        "/api/v1/affiliation-requests",
        {"organization_id": world.org_b.pk, "network": "second-network", "message": "Hello"},
        content_type="application/json",
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    listed = api(sam).get(f"/api/v1/affiliation-requests?organization_id={network.pk}").json()
    assert [r["id"] for r in listed] == [pk]
    declined = api(sam).post(
        f"/api/v1/affiliation-requests/{pk}/decision?network_id={network.pk}",
        {"approve": False, "answer": "Not this year"},
        content_type="application/json",
    )
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    assert not Affiliation.objects.filter(member=world.org_b, network=network).exists()
    again = (
        api(world.admin_b)
        .post(
            "/api/v1/affiliation-requests",
            {"organization_id": world.org_b.pk, "network": "second-network"},
            content_type="application/json",
        )
        .json()
    )
    withdrawn = api(world.admin_b).post(
        f"/api/v1/affiliation-requests/{again['id']}/withdraw?organization_id={world.org_b.pk}"
    )
    assert withdrawn.json()["status"] == "withdrawn"
    already = api(world.admin_b).post(
        "/api/v1/affiliation-requests",
        {"organization_id": world.org_b.pk, "network": "test-network"},
        content_type="application/json",
    )
    assert already.status_code == 422 and "already in" in already.json()["detail"]
    not_network = api(world.admin_b).post(
        "/api/v1/affiliation-requests",
        {"organization_id": world.org_b.pk, "network": "union-a"},
        content_type="application/json",
    )
    assert not_network.status_code == 422
