"""Her own profile must not tell her about other members: a phone number she gives is checked by her
organization's staff before it takes effect, and she gets the same answer whether or not another
member has it."""

from django.test import Client

from doorstep.core.models import AuditEvent
from doorstep.members.models import Member, ProfileChange
from doorstep.members.services import logins, pii

PROFILE = {"full_name": "Sunita Devi", "locality": "Shahabad", "household_size": "4", "dependants": "2"}


def _her_client(world, register):
    member = register("Sunita Devi", phones=["+919812345678"])
    logins.give_login(member, pin="480271", actor=world.organizer_a)
    client = Client()
    assert client.post("/orgs/union-a/login/", {"phone": "+919812345678", "pin": "480271"}).status_code == 302
    return member, client


def _phones(member, actor):
    fresh = Member.objects.get(pk=member.pk)
    return pii.reveal_pii([fresh], actor=actor, reason="test")[fresh.pk]["phones"]


def test_a_clashing_phone_gets_the_same_answer_as_a_free_one(world, register):
    other = register("Meena Kumari", phones=["+919811111111"])
    member, client = _her_client(world, register)
    clash = client.post("/orgs/union-a/me/", PROFILE | {"phones": "+919811111111"}, follow=True)
    free = client.post("/orgs/union-a/me/", PROFILE | {"phones": "+919822222222"}, follow=True)
    assert clash.status_code == free.status_code == 200
    clash_messages = [str(m) for m in clash.context["messages"]]
    assert clash_messages == [str(m) for m in free.context["messages"]]
    assert "checked by your organization" in clash_messages[0]
    page = clash.content.decode()
    assert f"#{other.number}" not in page and "already" not in page
    # Neither number is hers yet; the other fields are saved.
    assert _phones(member, world.organizer_a) == ["+919812345678"]
    assert Member.objects.get(pk=member.pk).locality == "Shahabad"
    assert ProfileChange.objects.filter(member=member, status="open").count() == 1


def test_staff_apply_a_free_phone_and_are_told_of_a_clash(world, register, login):
    register("Meena Kumari", phones=["+919811111111"])
    member, client = _her_client(world, register)
    client.post("/orgs/union-a/me/", PROFILE | {"phones": "+919811111111"})
    change = ProfileChange.objects.get(member=member, status="open")
    staff = login(world.organizer_a)
    page = staff.get(f"/orgs/union-a/members/{member.pk}/").content.decode()
    assert "+919811111111" in page  # staff see what she asked for
    refused = staff.post(f"/orgs/union-a/members/{member.pk}/changes/{change.pk}/", {"action": "apply"})
    assert refused.status_code == 302
    assert ProfileChange.objects.get(pk=change.pk).status == "open"
    assert _phones(member, world.organizer_a) == ["+919812345678"]

    client.post("/orgs/union-a/me/", PROFILE | {"phones": "+919812345678, +919833333333"})
    change = ProfileChange.objects.get(member=member, status="open")
    staff.post(f"/orgs/union-a/members/{member.pk}/changes/{change.pk}/", {"action": "apply"})
    assert ProfileChange.objects.get(pk=change.pk).status == "applied"
    assert _phones(member, world.organizer_a) == ["+919812345678", "+919833333333"]
    assert AuditEvent.objects.filter(action="member.change_applied", actor_id=world.organizer_a.pk).exists()


def test_staff_dismiss_a_change(world, register, login):
    member, client = _her_client(world, register)
    client.post("/orgs/union-a/me/", PROFILE | {"phones": "+919833333333"})
    change = ProfileChange.objects.get(member=member)
    login(world.organizer_a).post(
        f"/orgs/union-a/members/{member.pk}/changes/{change.pk}/", {"action": "dismiss"}
    )
    assert ProfileChange.objects.get(pk=change.pk).status == "dismissed"
    assert _phones(member, world.organizer_a) == ["+919812345678"]


def test_another_organization_cannot_review_the_change(world, register, login):
    member, client = _her_client(world, register)
    client.post("/orgs/union-a/me/", PROFILE | {"phones": "+919833333333"})
    change = ProfileChange.objects.get(member=member)
    response = login(world.organizer_b).post(
        f"/orgs/coop-b/members/{member.pk}/changes/{change.pk}/", {"action": "apply"}
    )
    assert response.status_code == 404
    assert ProfileChange.objects.get(pk=change.pk).status == "open"
