import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from doorstep.core.models import AuditEvent
from doorstep.core.roles import Role
from doorstep.organizations.models import Invitation, RoleAssignment, User


def _assignment(user, organization):
    return RoleAssignment.objects.get(user=user, organization=organization)


def test_admin_sees_the_people_of_her_organization_only(world, login):
    page = login(world.admin_a).get("/orgs/union-a/people/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "olga" in html and "wanja" in html
    assert "otieno" not in html


def test_an_organizer_may_not_manage_people(world, login):
    assert login(world.organizer_a).get("/orgs/union-a/people/").status_code == 403


def test_another_organizations_admin_gets_404(world, login):
    assert login(world.admin_b).get("/orgs/union-a/people/").status_code == 404


def test_it_adds_a_new_person_with_an_invitation_link(world, login):
    client = login(world.admin_a)
    page = client.post(
        "/orgs/union-a/people/",
        {"username": "priya", "display_name": "Priya", "email": "", "role": "organizer"},
    )
    assert page.status_code == 200
    priya = User.objects.get(username="priya")
    assert not priya.has_usable_password()
    assert _assignment(priya, world.org_a).role == Role.ORGANIZER
    link = page.content.decode().split('<code class="token">')[1].split("</code>")[0]
    assert link.startswith("http://testserver/accounts/reset/")
    invited = Client()
    form = invited.get(link, follow=True)
    assert "Set your password" in form.content.decode()
    done = invited.post(
        form.redirect_chain[-1][0],
        {"new_password1": "stitching in the evening", "new_password2": "stitching in the evening"},
    )
    assert done.status_code == 302
    priya.refresh_from_db()
    assert priya.check_password("stitching in the evening")
    assert AuditEvent.objects.filter(action="user.created", object_id=str(priya.pk)).exists()
    assert AuditEvent.objects.filter(action="role.assigned", organization_id=world.org_a.pk).exists()


def test_an_existing_account_gets_an_invitation_she_accepts(world, login):
    page = login(world.admin_a).post(
        "/orgs/union-a/people/", {"username": "bob", "role": "organizer"}, follow=True
    )
    assert page.status_code == 200
    assert "invitation" in page.content.decode().lower()
    assert not RoleAssignment.objects.filter(user=world.admin_b, organization=world.org_a).exists()
    assert User.objects.filter(username="bob").count() == 1
    bob = login(world.admin_b)
    account = bob.get("/account/").content.decode()
    assert "Union A" in account
    invitation = Invitation.objects.get(user=world.admin_b, organization=world.org_a)
    assert bob.post(f"/account/invitations/{invitation.pk}/", {"action": "accept"}).status_code == 302
    assert _assignment(world.admin_b, world.org_a).role == Role.ORGANIZER
    assert AuditEvent.objects.filter(action="role.accepted", actor_id=world.admin_b.pk).exists()


def test_a_declined_invitation_gives_no_role(world, login):
    login(world.admin_a).post("/orgs/union-a/people/", {"username": "bob", "role": "org_admin"})
    invitation = Invitation.objects.get(user=world.admin_b)
    login(world.admin_b).post(f"/account/invitations/{invitation.pk}/", {"action": "decline"})
    assert not RoleAssignment.objects.filter(user=world.admin_b, organization=world.org_a).exists()
    # Nobody else can answer her invitation.
    other = login(world.organizer_b).post(f"/account/invitations/{invitation.pk}/", {"action": "accept"})
    assert other.status_code == 404


def test_adding_an_account_of_another_organization_tells_nothing_about_it(world, login, api):
    world.admin_b.display_name = "Bob Otieno of Cooperative B"
    world.admin_b.save()
    page = login(world.admin_a).post(
        "/orgs/union-a/people/", {"username": "bob", "role": "org_admin"}, follow=True
    )
    assert "Bob Otieno" not in page.content.decode() and "Cooperative B" not in page.content.decode()
    response = api(world.admin_a).post(
        f"/api/v1/organizations/{world.org_a.pk}/people",
        {"username": "otieno", "role": "organizer"},
        content_type="application/json",
    )
    assert response.status_code == 202
    assert set(response.json()) == {"id", "username", "role", "status"}
    assert not RoleAssignment.objects.filter(user=world.organizer_b, organization=world.org_a).exists()


def test_the_platform_admin_cannot_give_itself_a_role_from_the_admin_site(world, login):
    client = login(world.admin)
    client.post(
        "/admin/organizations/roleassignment/add/",
        {"organization": world.org_a.pk, "user": world.admin.pk, "role": "org_admin"},
    )
    assert not RoleAssignment.objects.filter(user=world.admin).exists()


def test_break_glass_records_the_reason_and_tells_the_admins(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    world.admin_a.email = "alice@example.org"
    world.admin_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "break_glass",
            "union-a",
            "--username",
            "root",
            "--reason",
            "Restore the lost admin account, ticket 42",
        )
    assert _assignment(world.admin, world.org_a).role == Role.ORG_ADMIN
    event = AuditEvent.objects.get(action="role.break_glass")
    assert event.metadata["reason"] == "Restore the lost admin account, ticket 42"
    assert [m.to for m in mailoutbox] == [["alice@example.org"]]
    assert "ticket 42" in mailoutbox[0].body


def test_break_glass_needs_a_reason_and_a_platform_admin(world):
    with pytest.raises(CommandError):
        call_command("break_glass", "union-a", "--username", "root", "--reason", "")
    with pytest.raises(CommandError):
        call_command("break_glass", "union-a", "--username", "olga", "--reason", "Because I want to")
    assert not RoleAssignment.objects.filter(user=world.admin).exists()


def test_it_refuses_a_person_who_already_has_a_role_here(world, login):
    page = login(world.admin_a).post("/orgs/union-a/people/", {"username": "olga", "role": "org_admin"})
    assert page.status_code == 422
    assert "already has a role here" in page.content.decode()
    assert _assignment(world.organizer_a, world.org_a).role == Role.ORGANIZER


def test_it_changes_a_role_and_audits_old_and_new(world, login):
    assignment = _assignment(world.organizer_a, world.org_a)
    response = login(world.admin_a).post(
        f"/orgs/union-a/people/{assignment.pk}/", {"action": "role", "role": "org_admin"}
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.role == Role.ORG_ADMIN
    event = AuditEvent.objects.get(action="role.changed")
    assert event.metadata == {
        "user_id": world.organizer_a.pk,
        "old_role": "organizer",
        "new_role": "org_admin",
    }
    assert event.actor_id == world.admin_a.pk


def test_it_deactivates_and_the_person_loses_access(world, login):
    assignment = _assignment(world.organizer_a, world.org_a)
    login(world.admin_a).post(f"/orgs/union-a/people/{assignment.pk}/", {"action": "deactivate"})
    assignment.refresh_from_db()
    assert not assignment.is_active
    assert login(world.organizer_a).get("/orgs/union-a/").status_code == 404
    assert AuditEvent.objects.filter(action="role.deactivated", object_id=str(assignment.pk)).exists()
    login(world.admin_a).post(f"/orgs/union-a/people/{assignment.pk}/", {"action": "reactivate"})
    assert login(world.organizer_a).get("/orgs/union-a/").status_code == 200


def test_the_last_admin_cannot_step_down(world, login):
    assignment = _assignment(world.admin_a, world.org_a)
    page = login(world.admin_a).post(
        f"/orgs/union-a/people/{assignment.pk}/", {"action": "role", "role": "organizer"}
    )
    assert page.status_code == 422
    assert "at least one active admin" in page.content.decode()
    page = login(world.admin_a).post(f"/orgs/union-a/people/{assignment.pk}/", {"action": "deactivate"})
    assert "at least one active admin" in page.content.decode()
    assignment.refresh_from_db()
    assert assignment.role == Role.ORG_ADMIN and assignment.is_active


def test_an_unknown_role_is_refused(world, login):
    assignment = _assignment(world.organizer_a, world.org_a)
    page = login(world.admin_a).post(
        f"/orgs/union-a/people/{assignment.pk}/", {"action": "role", "role": "boss"}
    )
    assert page.status_code == 422
    assignment.refresh_from_db()
    assert assignment.role == Role.ORGANIZER


def test_api_lists_adds_and_changes_people(world, api):
    client = api(world.admin_a)
    listing = client.get(f"/api/v1/organizations/{world.org_a.pk}/people")
    assert listing.status_code == 200
    assert sorted(p["user"]["username"] for p in listing.json()["items"]) == ["alice", "olga", "wanja"]
    created = client.post(
        f"/api/v1/organizations/{world.org_a.pk}/people",
        {"username": "zara", "role": "worker"},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["invitation_url"].startswith("http://testserver/accounts/reset/")
    person_id = created.json()["id"]
    changed = client.patch(
        f"/api/v1/organizations/{world.org_a.pk}/people/{person_id}",
        {"role": "organizer", "is_active": False},
        content_type="application/json",
    )
    assert changed.status_code == 200
    assert changed.json()["role"] == "organizer" and changed.json()["is_active"] is False
    assert RoleAssignment.objects.get(pk=person_id).role == Role.ORGANIZER


def test_api_refuses_an_organizer_with_403_and_outsiders_with_404(world, api):
    assert api(world.organizer_a).get(f"/api/v1/organizations/{world.org_a.pk}/people").status_code == 403
    assert api(world.admin_b).get(f"/api/v1/organizations/{world.org_a.pk}/people").status_code == 404


def test_api_reports_a_bad_role_by_field(world, api):
    response = api(world.admin_a).post(
        f"/api/v1/organizations/{world.org_a.pk}/people",
        {"username": "zara", "role": "boss"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "body.payload.role",
            "message": "Input should be 'worker', 'organizer', 'org_admin', 'network_analyst' or 'company'",
        }
    ]
    assert not User.objects.filter(username="zara").exists()


def test_account_page_saves_the_profile_and_language(world, login):
    client = login(world.organizer_a)
    response = client.post(
        "/account/", {"display_name": "Olga K", "email": "olga@example.org", "preferred_language": "fr"}
    )
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "fr"
    world.organizer_a.refresh_from_db()
    assert (world.organizer_a.display_name, world.organizer_a.preferred_language) == ("Olga K", "fr")
    event = AuditEvent.objects.get(action="user.updated")
    assert event.metadata == {"fields": ["display_name", "email", "preferred_language"]}
    assert "olga@example.org" not in str(event.metadata)
