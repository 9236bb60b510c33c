import pytest
from django.test import Client

from doorstep.core.models import AuditEvent
from doorstep.members.models import Member
from doorstep.organizations.models import ApiToken, User


def _with_login(world, login, register, pin="480271"):
    member = register("Sunita Devi", phones=["+919812345678"], locality="Jagatpur", birth_year=1985)
    other = register("Meena Kumari", phones=["+919811111111"])
    response = login(world.organizer_a).post(
        f"/orgs/union-a/members/{member.pk}/login/", {"pin": pin}, follow=True
    )
    assert "She can now log in at http://testserver/orgs/union-a/login/" in response.content.decode()
    return Member.objects.get(pk=member.pk), other


def test_she_logs_in_with_her_phone_and_pin_and_sees_her_own_profile(world, login, register):
    member, other = _with_login(world, login, register)
    username = member.user.username
    assert username.startswith("member-") and username != f"member-{member.pk}"  # not guessable
    assert len(username) >= len("member-") + 16
    client = Client()
    response = client.post("/orgs/union-a/login/", {"phone": "098123 45678", "pin": "480271"})
    assert response.status_code == 302 and response["Location"] == "/orgs/union-a/me/"
    page = client.get("/orgs/union-a/me/").content.decode()
    assert 'value="Sunita Devi"' in page and "Meena" not in page
    assert "/orgs/union-a/me/" in page  # her navigation
    assert client.get("/orgs/union-a/members/").status_code == 403
    assert client.get(f"/orgs/union-a/members/{other.pk}/").status_code == 403
    assert client.get(f"/api/v1/members/{other.pk}").status_code in (401, 403, 404)
    read = AuditEvent.objects.filter(action="member.pii_read", actor_id=member.user_id).get()
    assert read.metadata["reason"] == "her own profile"


def test_she_corrects_her_details_but_not_her_status(world, login, register):
    member, _other = _with_login(world, login, register)
    client = Client()
    client.post("/orgs/union-a/login/", {"phone": "+919812345678", "pin": "480271"})
    response = client.post(
        "/orgs/union-a/me/",
        {
            "full_name": "Sunita Devi Saini",
            "phones": "+919812345678",
            "locality": "Shahabad",
            "household_size": "4",
            "dependants": "2",
            "status": "left",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.locality, member.household_size, member.status) == ("Shahabad", 4, "active")


def test_a_wrong_pin_or_an_unknown_phone_is_refused_and_throttled(world, login, register):
    _with_login(world, login, register)
    for _ in range(5):
        response = Client().post("/orgs/union-a/login/", {"phone": "+919812345678", "pin": "000000"})
        assert "This phone number and PIN do not match." in response.content.decode()
    response = Client().post("/orgs/union-a/login/", {"phone": "+919812345678", "pin": "480271"})
    assert response.status_code == 429
    for _ in range(6):
        response = Client().post("/orgs/union-a/login/", {"phone": "+919800000000", "pin": "123456"})
    assert response.status_code == 429


def test_a_pin_needs_digits_and_a_phone(world, login, register):
    member = register("No Phone")
    response = login(world.organizer_a).post(
        f"/orgs/union-a/members/{member.pk}/login/", {"pin": "480271"}, follow=True
    )
    assert "Add her phone number first" in response.content.decode()
    member2 = register("Has Phone", phones=["+919822222222"])
    response = login(world.organizer_a).post(
        f"/orgs/union-a/members/{member2.pk}/login/", {"pin": "12ab"}, follow=True
    )
    assert "The PIN is 6 to 8 digits." in response.content.decode()
    assert not Member.objects.filter(user__isnull=False).exists()


@pytest.mark.parametrize(
    "pin",
    ["1234", "12345", "123456", "654321", "000000", "111111", "121212", "123123", "112233", "1985", "198500"],
)
def test_rejects_a_short_or_common_pin(world, login, register, pin):
    member = register("Sunita Devi", phones=["+919812345678"], birth_year=1985)
    response = login(world.organizer_a).post(
        f"/orgs/union-a/members/{member.pk}/login/", {"pin": pin}, follow=True
    )
    page = response.content.decode()
    assert "She can now log in" not in page
    assert "The PIN is 6 to 8 digits." in page or "too easy to guess" in page
    member.refresh_from_db()
    assert member.user_id is None


def test_rejects_a_pin_made_of_her_birth_year(world, login, register):
    member = register("Sunita Devi", phones=["+919812345678"], birth_year=1985)
    response = login(world.organizer_a).post(
        f"/orgs/union-a/members/{member.pk}/login/", {"pin": "071985"}, follow=True
    )
    assert "too easy to guess" in response.content.decode()
    assert Member.objects.get(pk=member.pk).user_id is None


def test_her_login_does_not_work_on_the_staff_login_page_or_the_token_endpoint(world, login, register):
    member, _other = _with_login(world, login, register)
    username = member.user.username
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": "480271"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "The username or password is not right." in response.content.decode()
    response = Client().post(
        "/api/v1/auth/token",
        {"username": username, "password": "480271", "name": "x"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not ApiToken.objects.filter(user=member.user).exists()


def test_she_logs_in_only_at_her_own_organizations_member_login(world, login, register):
    _with_login(world, login, register)
    response = Client().post("/orgs/coop-b/login/", {"phone": "+919812345678", "pin": "480271"})
    assert response.status_code == 200
    assert "This phone number and PIN do not match." in response.content.decode()


def test_an_admin_cannot_create_a_generated_username(world, login, register):
    member, _other = _with_login(world, login, register)
    for username in (f"member-{member.pk + 1}", "Member-70", member.user.username.upper()):
        response = login(world.admin_a).post(
            "/orgs/union-a/people/", {"username": username, "role": "organizer"}
        )
        assert response.status_code == 422
        assert "reserved" in response.content.decode()
    assert not User.objects.filter(username__iexact=f"member-{member.pk + 1}").exists()


def test_a_member_gets_a_login_even_if_a_user_named_like_her_exists(world, login, register):
    member = register("Sunita Devi", phones=["+919812345678"])
    User.objects.create_user(username=f"member-{member.pk}", password="x")  # made before the fix
    response = login(world.organizer_a).post(
        f"/orgs/union-a/members/{member.pk}/login/", {"pin": "480271"}, follow=True
    )
    assert "She can now log in" in response.content.decode()
    assert Member.objects.get(pk=member.pk).user.username != f"member-{member.pk}"


def test_an_organizer_resets_a_forgotten_pin_and_it_is_audited(world, login, register):
    member, _other = _with_login(world, login, register)
    response = login(world.organizer_a).post(
        f"/orgs/union-a/members/{member.pk}/login/", {"pin": "730914"}, follow=True
    )
    assert "She can now log in" in response.content.decode()
    old = Client().post("/orgs/union-a/login/", {"phone": "+919812345678", "pin": "480271"})
    assert old.status_code == 200
    new = Client().post("/orgs/union-a/login/", {"phone": "+919812345678", "pin": "730914"})
    assert new.status_code == 302
    reset = AuditEvent.objects.get(action="member.pin_reset")
    assert reset.actor_id == world.organizer_a.pk and reset.object_id == str(member.pk)
    assert "730914" not in str(reset.metadata)


def test_a_worker_cannot_reset_a_pin(world, login, register):
    member, _other = _with_login(world, login, register)
    client = Client()
    client.post("/orgs/union-a/login/", {"phone": "+919812345678", "pin": "480271"})
    response = client.post(f"/orgs/union-a/members/{member.pk}/login/", {"pin": "730914"})
    assert response.status_code in (403, 404)
    assert not AuditEvent.objects.filter(action="member.pin_reset").exists()
