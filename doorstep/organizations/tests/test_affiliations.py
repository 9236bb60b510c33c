from django.test import Client

from doorstep.network.services import affiliations as network_affiliations
from doorstep.organizations import services
from doorstep.organizations.models import Affiliation


def test_a_network_admin_cannot_affiliate_an_organization_without_its_request(world, login, api):
    Affiliation.objects.filter(member=world.org_b).update(until=world.org_b.created_at.date())
    page = login(world.network_admin).post("/orgs/test-network/", {"member": world.org_b.pk})
    assert "ask to join" in page.content.decode()
    response = api(world.network_admin).post(
        f"/api/v1/organizations/{world.network.pk}/affiliations",
        {"member_id": world.company.pk},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["code"] == "needs_agreement"
    assert not Affiliation.objects.filter(
        until__isnull=True, member__in=[world.org_b, world.company]
    ).exists()
    public = Client().get("/directory/test-network/").content.decode()
    assert "Cooperative B" not in public and "Brand C" not in public


def test_a_company_is_never_an_affiliate(world):
    try:
        services.add_affiliation(member=world.company, network=world.network, actor=world.admin)
    except services.ValidationError as error:
        assert error.code == "not_affiliable"
    else:
        raise AssertionError("a company was affiliated")
    assert not Affiliation.objects.filter(member=world.company).exists()


def test_an_affiliation_starts_when_the_network_approves_the_organizations_request(world, login):
    Affiliation.objects.filter(member=world.org_b).update(until=world.org_b.created_at.date())
    request = network_affiliations.request_affiliation(
        world.org_b, network=world.network, message="", actor=world.admin_b
    )
    assert not Affiliation.objects.filter(member=world.org_b, until__isnull=True).exists()
    network_affiliations.decide_request(request, approve=True, actor=world.network_admin)
    assert Affiliation.objects.filter(member=world.org_b, network=world.network, until__isnull=True).exists()


def test_a_cycle_is_refused_with_a_clear_message(world):
    national = services.create_organization(
        name="National", slug="national", kind="national_network", actor=world.admin
    )
    services.add_affiliation(member=national, network=world.network, actor=world.admin)
    before = Affiliation.objects.count()
    try:
        services.add_affiliation(member=world.network, network=national, actor=world.admin)
    except services.ValidationError as error:
        assert error.code == "affiliation_cycle"
        assert "cannot form a cycle" in error.message
        assert error.errors[0].field == "member"
    else:
        raise AssertionError("a cycle was accepted")
    assert Affiliation.objects.count() == before


def test_a_longer_cycle_is_refused_through_the_api(world, api):
    national = services.create_organization(
        name="National", slug="national", kind="national_network", actor=world.admin
    )
    international = services.create_organization(
        name="International", slug="intl", kind="international_network", actor=world.admin
    )
    services.add_affiliation(member=national, network=world.network, actor=world.admin)
    services.add_affiliation(member=world.network, network=international, actor=world.admin)
    services.add_person(national, username="nadia", role="org_admin", actor=world.admin)
    before = Affiliation.objects.count()
    response = api(world.admin).post(
        f"/api/v1/organizations/{national.pk}/affiliations",
        {"member_id": international.pk},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["code"] == "affiliation_cycle"
    assert response.json()["errors"][0]["field"] == "member"
    assert Affiliation.objects.count() == before


def test_only_a_network_takes_affiliates(world, api):
    response = api(world.admin_a).post(
        f"/api/v1/organizations/{world.org_a.pk}/affiliations",
        {"member_id": world.org_b.pk},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["code"] == "not_a_network"


def test_only_the_networks_admins_add_affiliates(world, api):
    response = api(world.admin_a).post(
        f"/api/v1/organizations/{world.network.pk}/affiliations",
        {"member_id": world.company.pk},
        content_type="application/json",
    )
    assert response.status_code == 404  # she holds no role in the network
    response = api(world.analyst).post(
        f"/api/v1/organizations/{world.network.pk}/affiliations",
        {"member_id": world.company.pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Affiliation.objects.filter(member=world.company).exists()


def test_a_double_affiliation_is_refused(world, login):
    page = login(world.admin).post("/orgs/test-network/", {"member": world.org_a.pk})
    # org A is already affiliated, so it is not even offered
    assert page.status_code == 422
    assert Affiliation.objects.filter(member=world.org_a, network=world.network).count() == 1


def test_organization_page_shows_affiliations(world, login):
    html = login(world.organizer_a).get("/orgs/union-a/").content.decode()
    assert "Test Network" in html
    html = login(world.network_admin).get("/orgs/test-network/").content.decode()
    assert "Union A" in html and "Cooperative B" in html
    assert "ask to join" in html


def test_api_organizations_lists_own_and_linked_only(world, api):
    items = api(world.organizer_a).get("/api/v1/organizations").json()["items"]
    assert sorted(o["slug"] for o in items) == ["test-network", "union-a"]
    detail = api(world.organizer_a).get(f"/api/v1/organizations/{world.network.pk}").json()
    assert detail["my_role"] is None
    assert sorted(a["member"]["slug"] for a in detail["affiliates"]) == ["coop-b", "union-a"]
    assert api(world.organizer_a).get(f"/api/v1/organizations/{world.org_b.pk}").status_code == 404
    assert api(world.organizer_a).get(f"/api/v1/organizations/{world.company.pk}").status_code == 404
