"""Events and trainings: organized by one organization (with others), invited organizations register
their people (a member links to her record, which only her organization sees), attendance, the
participation by organization and gender, public pages, and a member's rights over her registrations."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client

from doorstep.core.models import AuditEvent, SubjectKey
from doorstep.network.models import Registration
from doorstep.network.services import events as event_services
from doorstep.network.services import resources as resource_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def training(world):
    return event_services.save_event(
        world.network,
        data={
            "kind": "training",
            "title": "Leaders' workshop",
            "starts_on": date.today() + timedelta(days=7),
            "place": "Nairobi",
            "is_public": True,
            "capacity": 3,
            "invited": [world.org_a, world.org_b],
        },
        actor=world.network_admin,
    )


def test_invited_organizations_register_their_people(world, training, login, register):
    sunita = register("Sunita Devi", gender="woman")
    olga = login(world.organizer_a)
    page = olga.get(f"/orgs/union-a/events/{training.pk}/")
    assert page.status_code == 200 and b"Register someone" in page.content
    response = olga.post(
        f"/orgs/union-a/events/{training.pk}/",
        {"action": "register", "name": "Sunita", "member_number": sunita.number, "role": "member"},
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.organization_id == world.org_a.pk and registration.member == sunita
    assert registration.gender == "woman"  # from her record
    with connection.cursor() as cursor:
        cursor.execute("SELECT sealed FROM network_registration")
        assert b"Sunita" not in bytes(cursor.fetchone()[0])
    # A member number that is not hers: a clear error, nothing stored.
    wrong = olga.post(
        f"/orgs/union-a/events/{training.pk}/", {"action": "register", "name": "X", "member_number": 999}
    )
    assert wrong.status_code == 422 and b"No member has this number" in wrong.content
    bob = login(world.admin_b)
    bob.post(
        f"/orgs/coop-b/events/{training.pk}/", {"action": "register", "name": "Achieng", "gender": "woman"}
    )
    # The cooperative sees only its own people; the union's member is not even an id to it.
    theirs = bob.get(f"/orgs/coop-b/events/{training.pk}/")
    assert b"Achieng" in theirs.content and b"Sunita" not in theirs.content
    assert b"Participation" not in theirs.content
    # The organizers see every name (an audited read), and take attendance.
    nadia = login(world.network_admin)
    organizer_page = nadia.get(f"/orgs/test-network/events/{training.pk}/")
    assert b"Sunita" in organizer_page.content and b"Achieng" in organizer_page.content
    assert f"/members/{sunita.pk}/".encode() not in organizer_page.content  # her record stays in her union
    assert AuditEvent.objects.filter(action="event.names_read", actor_id=world.network_admin.pk).exists()
    nadia.post(
        f"/orgs/test-network/events/{training.pk}/", {"action": "present", "registration": registration.pk}
    )
    registration.refresh_from_db()
    assert registration.attendance == "present"
    participation = nadia.get(f"/orgs/test-network/events/{training.pk}/").context["participation"]
    assert {(r["organization"], r["registered"], r["attended"]) for r in participation} == {
        ("Union A", 1, 1),
        ("Cooperative B", 1, 0),
    }


def test_limits_and_refusals(world, training, login, api, register):
    client = api(world.admin_b)
    for name in ("One", "Two", "Three"):
        made = client.post(
            f"/api/v1/events/{training.pk}/registrations?organization_id={world.org_b.pk}",
            {"name": name},
            content_type="application/json",
        )
        assert made.status_code == 201 and made.json()["member_id"] is None
    full = client.post(
        f"/api/v1/events/{training.pk}/registrations?organization_id={world.org_b.pk}",
        {"name": "Four"},
        content_type="application/json",
    )
    assert full.status_code == 422 and full.json()["code"] == "full"
    # An organization that is not invited cannot even see the event.
    other = event_services.save_event(
        world.org_a,
        data={"kind": "meeting", "title": "Union meeting", "starts_on": date.today()},
        actor=world.admin_a,
    )
    assert login(world.admin_b).get(f"/orgs/coop-b/events/{other.pk}/").status_code == 404
    assert Client().get(f"/events/{other.pk}/").status_code == 404  # not public
    bad = api(world.network_admin).post(
        f"/api/v1/events?organization_id={world.network.pk}",
        {
            "title": "",
            "kind": "meeting",
            "starts_on": "2026-12-10",
            "ends_on": "2026-12-01",
            "online_link": "ftp://x",
        },
        content_type="application/json",
    )
    fields = {e["field"] for e in bad.json()["errors"]}
    assert bad.status_code == 422 and {"title", "online_link"} <= fields
    party = api(world.network_admin).post(
        f"/api/v1/events?organization_id={world.network.pk}",
        {"title": "Party", "kind": "party", "starts_on": "2026-12-10"},
        content_type="application/json",
    )
    assert party.status_code == 422
    assert [e["field"] for e in party.json()["errors"]] == ["body.payload.kind"]
    backwards = api(world.network_admin).post(
        f"/api/v1/events?organization_id={world.network.pk}",
        {"title": "Backwards", "kind": "meeting", "starts_on": "2026-12-10", "ends_on": "2026-12-01"},
        content_type="application/json",
    )
    assert backwards.status_code == 422 and backwards.json()["errors"][0]["field"] == "ends_on"
    # Only the organizers see participation.
    assert (
        client.get(f"/api/v1/events/{training.pk}/participation?organization_id={world.org_b.pk}").status_code
        == 403
    )
    rows = (
        api(world.network_admin)
        .get(f"/api/v1/events/{training.pk}/participation?organization_id={world.network.pk}")
        .json()
    )
    assert rows == [{"organization": "Cooperative B", "gender": "—", "registered": 3, "attended": 0}]


def test_public_pages_show_public_events_and_public_materials_only(world, training):
    guide = resource_services.save_resource(
        world.network,
        data={"title": "Open guide", "kind": "guide", "link": "https://e.org/g"},
        actor=world.network_admin,
    )
    notes = resource_services.save_resource(
        world.network,
        data={"title": "Trainers only", "kind": "training", "audience": "members", "link": "https://e.org/t"},
        actor=world.network_admin,
    )
    event_services.save_event(
        world.network, data={"materials": [guide, notes]}, event=training, actor=world.network_admin
    )
    anonymous = Client()
    listing = anonymous.get("/events/")
    assert b"Leaders&#x27; workshop" in listing.content and "public" in listing["Cache-Control"]
    page = anonymous.get(f"/events/{training.pk}/")
    assert b"Open guide" in page.content and b"Trainers only" not in page.content
    api_event = anonymous.get(f"/api/v1/public/events/{training.pk}").json()
    assert api_event["materials"] == [guide.pk]
    assert [e["title"] for e in anonymous.get("/api/v1/public/events?upcoming=true").json()["items"]] == [
        "Leaders' workshop"
    ]
    assert anonymous.get("/api/v1/public/events?upcoming=false").json()["items"] == []


def test_her_registrations_are_in_her_export_and_go_with_her_erasure(world, training, register):
    from doorstep.members.services import rights

    sunita = register("Sunita Devi")
    registration = event_services.register_person(
        training, world.org_a, data={"name": "Sunita D.", "member": sunita}, actor=world.admin_a
    )
    import io
    import json
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(rights.export_member(sunita, actor=world.admin_a)))
    events = json.loads(archive.read("member.json"))["network.events"]
    assert events[0]["event"] == "Leaders' workshop" and events[0]["name_given"] == "Sunita D."
    key = registration.key_id
    rights.erase_member(sunita, actor=world.admin_a)
    assert not Registration.objects.exists() and not SubjectKey.objects.filter(pk=key).exists()
