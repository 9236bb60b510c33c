"""The member registry through its pages."""

import re
from datetime import date, timedelta

from doorstep.core.models import AuditEvent
from doorstep.members.models import Member, MemberIdentifier, StatusChange

FORM = {
    "full_name": "Sunita Devi",
    "other_names": "Sunni",
    "phones": "98123 45678\n+91 99876 54321",
    "national_id": "1234 5678 9012",
    "welfare_id": "",
    "category": "homeworker",
    "sectors": ["embroidery", "garments"],
    "skills": "zari, aari",
    "gender": "woman",
    "birth_year": "1985",
    "languages": "hi, ur",
    "literacy": "basic",
    "phone_type": "feature_phone",
    "household_size": "5",
    "dependants": "3",
    "admin1": "Uttar Pradesh",
    "admin2": "Bareilly",
    "locality": "Jagatpur",
    "address": "Behind the water tank",
    "latitude": "28.3670",
    "longitude": "79.4304",
    "group": "Jagatpur group",
    "joined_on": "2024-03-01",
    "status": "active",
    "notes": "Prefers calls after 6pm",
}


def test_an_organizer_registers_a_member_from_the_page(world, login):
    response = login(world.organizer_a).post("/orgs/union-a/members/new/", FORM)
    member = Member.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/orgs/union-a/members/{member.pk}/"
    assert (member.number, member.category, member.sectors) == (1, "homeworker", ["embroidery", "garments"])
    assert (member.household_size, member.dependants, member.group.name) == (5, 3, "Jagatpur group")
    assert b"Sunita" not in bytes(member.pii)
    assert MemberIdentifier.objects.filter(member=member).count() == 3  # two phones, one ID
    assert StatusChange.objects.get(member=member).status == "active"
    assert AuditEvent.objects.filter(action="member.created", object_id=str(member.pk)).exists()


def test_the_profile_shows_her_details_and_audits_the_read(world, login, register):
    member = register(phones=["9812345678"], locality="Jagatpur")
    html = login(world.organizer_a).get(f"/orgs/union-a/members/{member.pk}/").content.decode()
    assert "Sunita Devi" in html and "+919812345678" in html and "Jagatpur" in html
    event = AuditEvent.objects.filter(action="member.pii_read").last()
    assert event.metadata == {"member_ids": [member.pk], "reason": "profile"}
    assert event.actor_id == world.organizer_a.pk


def test_member_numbers_are_sequential_per_organization(world, register):
    numbers = [register(f"Member {i}").number for i in range(3)]
    assert numbers == [1, 2, 3]
    assert register("Other", organization=world.org_b).number == 1


def test_bad_input_is_named_field_by_field_and_nothing_is_saved(world, login):
    bad = {
        **FORM,
        "phones": "12345",
        "birth_year": str(date.today().year + 1),
        "household_size": "2",
        "dependants": "2",
        "sectors": ["embroidery"],
    }
    response = login(world.organizer_a).post("/orgs/union-a/members/new/", bad)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Phone number 1 is not a valid number for IN." in html
    assert f"The year of birth must be between 1900 and {date.today().year}." in html
    assert "Dependants must be fewer than the people in the household." in html
    assert "12345" not in html.split("<form")[0]  # the message does not repeat the value
    assert not Member.objects.exists()


def test_a_certain_duplicate_is_refused_on_entry(world, login, register):
    existing = register(phones=["+919812345678"])
    response = login(world.organizer_a).post("/orgs/union-a/members/new/", {**FORM, "phones": "098123 45678"})
    assert response.status_code == 422
    assert f"Member #{existing.number} already has this number." in response.content.decode()
    assert Member.objects.count() == 1


def test_the_same_phone_in_another_organization_is_not_a_duplicate(world, register):
    register(phones=["+919812345678"])
    register(organization=world.org_b, phones=["+919812345678"])
    assert Member.objects.count() == 2


def test_the_list_filters_and_audits_the_names_it_shows(world, login, register):
    a = register("Sunita Devi", admin1="Uttar Pradesh", sectors=["embroidery"])
    b = register("Meena Kumari", admin1="Delhi", sectors=["footwear"], category="self_employed")
    register("Rekha Jatav", admin1="Delhi", status="lapsed", sectors=["footwear"])
    client = login(world.organizer_a)
    html = client.get("/orgs/union-a/members/").content.decode()
    assert "Sunita Devi" in html and "Meena Kumari" in html and "3 members" in html
    html = client.get("/orgs/union-a/members/", {"sector": "footwear", "status": "active"}).content.decode()
    assert "Meena Kumari" in html and "Sunita" not in html and "Rekha" not in html
    html = client.get("/orgs/union-a/members/", {"admin1": "Uttar Pradesh"}).content.decode()
    assert "Sunita Devi" in html and "Meena" not in html
    html = client.get("/orgs/union-a/members/", {"category": "self_employed"}).content.decode()
    assert "Meena Kumari" in html and "Sunita" not in html
    reads = AuditEvent.objects.filter(action="member.pii_read", actor_id=world.organizer_a.pk)
    assert reads.first().metadata["member_ids"] == [a.pk, b.pk, a.pk + 2]


def test_the_list_pages_through_many_members(world, login, register):
    for i in range(55):
        register(f"Member {i}")
    client = login(world.organizer_a)
    first = client.get("/orgs/union-a/members/").content.decode()
    assert len(re.findall(r'<li><a href="/orgs/union-a/members/\d+/', first)) == 50
    next_link = first.split('<p><a href="?')[1].split('"')[0].replace("&amp;", "&")
    second = client.get("/orgs/union-a/members/?" + next_link).content.decode()
    assert len(re.findall(r'<li><a href="/orgs/union-a/members/\d+/', second)) == 5


def test_name_and_phone_search_on_the_page(world, login, register):
    register("Sunita Devi", phones=["+919812345678"])
    register("Meena Kumari")
    client = login(world.organizer_a)
    html = client.post("/orgs/union-a/members/", {"q": "sunita"}).content.decode()
    assert "Sunita Devi" in html and "Meena" not in html and "1 match" in html
    html = client.post("/orgs/union-a/members/", {"phone": "98123 45678"}).content.decode()
    assert "Sunita Devi" in html and "Meena" not in html
    assert 'method="post" class="form" role="search"' in html  # never in the address


def test_editing_changes_her_details_and_keeps_the_status_history(world, login, register):
    member = register(phones=["+919812345678"])
    client = login(world.organizer_a)
    form = client.get(f"/orgs/union-a/members/{member.pk}/edit/").content.decode()
    assert 'value="Sunita Devi"' in form
    response = client.post(
        f"/orgs/union-a/members/{member.pk}/edit/",
        {**FORM, "full_name": "Sunita Devi Saini", "phones": "+919812345678", "status": "lapsed"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == "lapsed"
    assert [s.status for s in member.status_history.all()] == ["active", "lapsed"]
    event = AuditEvent.objects.filter(action="member.updated").last()
    assert "status" in event.metadata["fields"] and "pii.full_name" in event.metadata["fields"]
    assert "Saini" not in str(event.metadata)
    assert "Sunita Devi Saini" in client.get(f"/orgs/union-a/members/{member.pk}/").content.decode()


def test_consent_and_dues_from_the_profile(world, login, register):
    member = register()
    client = login(world.organizer_a)
    client.post(
        f"/orgs/union-a/members/{member.pk}/consent/",
        {"purpose": "research", "given": "1", "effective_on": "2026-01-10", "method": "paper"},
    )
    client.post(
        f"/orgs/union-a/members/{member.pk}/dues/",
        {"period": "2026", "amount": "120", "currency": "INR", "paid_on": "2026-02-01"},
    )
    assert member.consents.get().purpose == "research"
    assert str(member.dues.get().amount) == "120.00"
    html = client.get(f"/orgs/union-a/members/{member.pk}/").content.decode()
    assert "120.00 INR" in html
    response = client.post(
        f"/orgs/union-a/members/{member.pk}/dues/",
        {
            "period": "2026",
            "amount": "5",
            "currency": "INR",
            "paid_on": str(date.today() + timedelta(days=3)),
        },
        follow=True,
    )
    assert "The payment date cannot be in the future." in response.content.decode()
    assert member.dues.count() == 1


def test_the_card_has_a_qr_code_of_her_number(world, login, register):
    member = register()
    html = login(world.organizer_a).get(f"/orgs/union-a/members/{member.pk}/card/").content.decode()
    assert "<svg" in html and "Sunita Devi" in html and f"<strong>{member.number}</strong>" in html


def test_a_worker_and_an_analyst_cannot_open_the_registry(world, login, register):
    register()
    assert login(world.worker_a).get("/orgs/union-a/members/").status_code == 403
    assert login(world.analyst).get("/orgs/union-a/members/").status_code == 404
