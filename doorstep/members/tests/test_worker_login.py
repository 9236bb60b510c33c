from django.test import Client

from doorstep.core.models import AuditEvent
from doorstep.members.models import Member


def _with_login(world, login, register, pin="4821"):
    member = register("Sunita Devi", phones=["+919812345678"], locality="Jagatpur")
    other = register("Meena Kumari", phones=["+919811111111"])
    response = login(world.organizer_a).post(
        f"/orgs/union-a/members/{member.pk}/login/", {"pin": pin}, follow=True
    )
    assert "She can now log in at http://testserver/orgs/union-a/login/" in response.content.decode()
    return Member.objects.get(pk=member.pk), other


def test_she_logs_in_with_her_phone_and_pin_and_sees_her_own_profile(world, login, register):
    member, other = _with_login(world, login, register)
    assert member.user.username == f"member-{member.pk}"  # no name or phone in clear
    client = Client()
    response = client.post("/orgs/union-a/login/", {"phone": "098123 45678", "pin": "4821"})
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
    client.post("/orgs/union-a/login/", {"phone": "+919812345678", "pin": "4821"})
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
        response = Client().post("/orgs/union-a/login/", {"phone": "+919812345678", "pin": "0000"})
        assert "This phone number and PIN do not match." in response.content.decode()
    response = Client().post("/orgs/union-a/login/", {"phone": "+919812345678", "pin": "4821"})
    assert response.status_code == 429
    for _ in range(6):
        response = Client().post("/orgs/union-a/login/", {"phone": "+919800000000", "pin": "1234"})
    assert response.status_code == 429


def test_a_pin_needs_digits_and_a_phone(world, login, register):
    member = register("No Phone")
    response = login(world.organizer_a).post(
        f"/orgs/union-a/members/{member.pk}/login/", {"pin": "4821"}, follow=True
    )
    assert "Add her phone number first" in response.content.decode()
    member2 = register("Has Phone", phones=["+919822222222"])
    response = login(world.organizer_a).post(
        f"/orgs/union-a/members/{member2.pk}/login/", {"pin": "12ab"}, follow=True
    )
    assert "The PIN is 4 to 8 digits." in response.content.decode()
    assert not Member.objects.filter(user__isnull=False).exists()
