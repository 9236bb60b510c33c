"""Office-bearers: terms of office with their history; one holder at a time for a single-holder
position; a term is ended, never deleted."""

from django.test import Client

from doorstep.governance.models import OfficeTerm, Position
from doorstep.governance.services import rules as rules_services
from doorstep.network.services import directory


def _position(world, title="Treasurer"):
    return rules_services.add_position(
        world.org_a, rules_services.PositionInput(kind="treasurer", title=title), actor=world.admin_a
    )


def _start(client, world, position, member, starts_on="2026-01-01", ends_on=None):
    body = {"position_id": position.pk, "member_id": member.pk, "starts_on": starts_on, "mandate": "elected"}
    if ends_on:
        body["ends_on"] = ends_on
    return client.post(
        f"/api/v1/organizations/{world.org_a.pk}/office-terms", body, content_type="application/json"
    )


def test_it_records_who_holds_a_position(world, login, member_of):
    position, member = _position(world), member_of()
    response = _start(login(world.admin_a), world, position, member)
    assert response.status_code == 201
    term = OfficeTerm.objects.get()
    assert (term.position_id, term.member_id, term.ends_on, term.mandate) == (
        position.pk,
        member.pk,
        None,
        "elected",
    )


def test_rejects_an_overlapping_term_of_a_single_holder_position(world, login, member_of):
    position, first, second = _position(world), member_of(), member_of()
    client = login(world.admin_a)
    _start(client, world, position, first, starts_on="2025-01-01")
    response = _start(client, world, position, second, starts_on="2026-01-01")
    assert response.status_code == 422
    assert response.json()["code"] == "overlapping_term"
    assert "2025-01-01" in response.json()["detail"]
    assert OfficeTerm.objects.count() == 1


def test_rejects_a_term_that_would_end_after_a_later_one_starts(world, login, member_of):
    position, first, second = _position(world), member_of(), member_of()
    client = login(world.admin_a)
    _start(client, world, position, first, starts_on="2026-06-01")
    response = _start(client, world, position, second, starts_on="2026-01-01", ends_on="2026-06-01")
    assert response.status_code == 422
    assert OfficeTerm.objects.count() == 1


def test_a_term_may_start_the_day_after_the_last_one_ended(world, login, member_of):
    position, first, second = _position(world), member_of(), member_of()
    client = login(world.admin_a)
    term_id = _start(client, world, position, first, starts_on="2024-01-01").json()["id"]
    ended = client.post(
        f"/api/v1/office-terms/{term_id}/end", {"ends_on": "2025-12-31"}, content_type="application/json"
    )
    assert ended.status_code == 200
    assert _start(client, world, position, second, starts_on="2026-01-01").status_code == 201
    history = client.get(f"/api/v1/organizations/{world.org_a.pk}/office-terms").json()
    assert sorted((t["member_id"], t["ends_on"]) for t in history) == sorted(
        [(first.pk, "2025-12-31"), (second.pk, None)]
    )


def test_the_current_office_bearers_leave_out_ended_terms(world, login, member_of):
    position, first = _position(world), member_of()
    client = login(world.admin_a)
    term_id = _start(client, world, position, first, starts_on="2024-01-01").json()["id"]
    client.post(
        f"/api/v1/office-terms/{term_id}/end", {"ends_on": "2025-12-31"}, content_type="application/json"
    )
    assert client.get(f"/api/v1/organizations/{world.org_a.pk}/office-terms?current=true").json() == []


def test_rejects_ending_a_term_before_it_started(world, login, member_of):
    position, member = _position(world), member_of()
    client = login(world.admin_a)
    term_id = _start(client, world, position, member, starts_on="2026-01-01").json()["id"]
    response = client.post(
        f"/api/v1/office-terms/{term_id}/end", {"ends_on": "2025-01-01"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert OfficeTerm.objects.get().ends_on is None


def test_a_position_for_several_holders_takes_overlapping_terms(world, login, member_of):
    position = rules_services.add_position(
        world.org_a,
        rules_services.PositionInput(kind="custom", title="Committee member", single_holder=False),
        actor=world.admin_a,
    )
    client = login(world.admin_a)
    assert _start(client, world, position, member_of()).status_code == 201
    assert _start(client, world, position, member_of()).status_code == 201


def test_rejects_a_member_of_another_organization(world, login, member_of):
    position, stranger = _position(world), member_of(organization=world.org_b)
    response = _start(login(world.admin_a), world, position, stranger)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "member_id"
    assert not OfficeTerm.objects.exists()


def test_an_organizer_may_not_appoint(world, login, member_of):
    position, member = _position(world), member_of()
    assert _start(login(world.organizer_a), world, position, member).status_code == 403
    assert not OfficeTerm.objects.exists()


def test_the_page_shows_office_bearers_by_name(world, login, member_of):
    position, member = _position(world), member_of(name="Grace Wanjiku")
    _start(login(world.admin_a), world, position, member, starts_on="2025-01-01")
    page = login(world.organizer_a).get("/orgs/union-a/governance/")
    assert b"Grace Wanjiku" in page.content
    assert b"Treasurer" in page.content


def test_the_page_records_a_term_by_member_number(world, login, member_of):
    position, member = _position(world), member_of()
    response = login(world.admin_a).post(
        "/orgs/union-a/governance/terms/",
        {
            "position": position.pk,
            "member_number": member.number,
            "starts_on": "2026-01-01",
            "mandate": "appointed",
        },
    )
    assert response.status_code == 302
    assert OfficeTerm.objects.get().mandate == "appointed"
    assert Position.objects.count() == 1


def _listed(world):
    directory.save_listing(world.org_a, data={"listed": True, "area": "Bareilly"}, actor=world.admin_a)


def test_an_office_bearer_who_chose_it_is_named_on_the_directory_page(world, login, member_of):
    _listed(world)
    position, member = _position(world, "President"), member_of(name="Rekha Verma")
    body = {
        "position_id": position.pk,
        "member_id": member.pk,
        "starts_on": "2026-01-01",
        "mandate": "elected",
    }
    body["shown_publicly"] = True
    login(world.admin_a).post(
        f"/api/v1/organizations/{world.org_a.pk}/office-terms", body, content_type="application/json"
    )
    page = Client().get("/directory/union-a/")
    assert b"Rekha Verma" in page.content and b"President" in page.content


def test_an_office_bearer_not_shown_stays_off_the_directory_page(world, login, member_of):
    _listed(world)
    position, member = _position(world, "President"), member_of(name="Rekha Verma")
    _start(login(world.admin_a), world, position, member)
    assert b"Rekha Verma" not in Client().get("/directory/union-a/").content
