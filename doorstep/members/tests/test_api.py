from doorstep.core.models import AuditEvent
from doorstep.members.models import Member

NEW = {
    "full_name": "Achieng Otieno",
    "phones": ["0712 345678"],
    "id_numbers": [{"kind": "national_id", "number": "2345 6789"}],
    "category": "self_employed",
    "sectors": ["beadwork"],
    "admin1": "Nairobi",
    "admin2": "Kibra",
    "locality": "Makina",
    "gps": {"lat": -1.3133, "lon": 36.7876},
    "joined_on": "2025-05-01",
}


def _create(client, organization, **extra):
    return client.post(
        "/api/v1/members",
        {**NEW, "organization_id": organization.pk, **extra},
        content_type="application/json",
    )


def test_it_creates_and_reads_without_pii_by_default(world, api):
    client = api(world.organizer_b)
    created = _create(client, world.org_b)
    assert created.status_code == 201
    body = created.json()
    assert (body["number"], body["country"], body["pii"]) == (1, "KE", None)
    assert "Achieng" not in created.content.decode()
    detail = client.get(f"/api/v1/members/{body['id']}").json()
    assert detail["pii"] is None and detail["sectors"] == ["beadwork"]
    assert not AuditEvent.objects.filter(action="member.pii_read").exists()


def test_include_pii_is_audited(world, api):
    client = api(world.organizer_b)
    member_id = _create(client, world.org_b).json()["id"]
    detail = client.get(f"/api/v1/members/{member_id}", {"include": "pii"}).json()
    assert detail["pii"]["full_name"] == "Achieng Otieno"
    assert detail["pii"]["phones"] == ["+254712345678"]
    assert detail["pii"]["gps"] == {"lat": -1.3133, "lon": 36.7876}
    event = AuditEvent.objects.get(action="member.pii_read")
    assert (event.actor_id, event.metadata) == (
        world.organizer_b.pk,
        {"member_ids": [member_id], "reason": "api detail"},
    )
    listing = client.get("/api/v1/members", {"include": "pii"}).json()
    assert listing["items"][0]["pii"]["full_name"] == "Achieng Otieno"
    assert AuditEvent.objects.filter(action="member.pii_read").count() == 2


def test_bad_input_names_the_fields(world, api):
    response = _create(api(world.organizer_b), world.org_b, phones=["12"], birth_year=3000)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"phones", "birth_year"}
    assert not Member.objects.exists()


def test_rejects_unknown_codes_naming_the_field_and_the_codes_allowed(world, api):
    response = _create(api(world.organizer_b), world.org_b, sectors=["knitting"], category="")
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert set(errors) == {"body.payload.sectors.0", "body.payload.category"}
    assert "'homeworker', 'self_employed', 'both' or 'other'" in errors["body.payload.category"]
    assert "'garments'" in errors["body.payload.sectors.0"]
    assert not Member.objects.exists()


def test_it_refuses_another_organization(world, api):
    response = _create(api(world.organizer_b), world.org_a)
    assert response.status_code == 404
    assert not Member.objects.exists()


def test_patch_changes_only_what_is_sent(world, api):
    client = api(world.organizer_b)
    member_id = _create(client, world.org_b).json()["id"]
    response = client.patch(
        f"/api/v1/members/{member_id}",
        {"status": "left", "status_on": "2026-06-30"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "left"
    member = Member.objects.get(pk=member_id)
    assert [(s.status, str(s.changed_on)) for s in member.status_history.all()][-1] == ("left", "2026-06-30")
    assert member.sectors == ["beadwork"]
    pii = client.get(f"/api/v1/members/{member_id}", {"include": "pii"}).json()["pii"]
    assert pii["full_name"] == "Achieng Otieno"


def test_filters_search_and_phone_lookup(world, api, register):
    register("Wanjiru Kamau", organization=world.org_b, phones=["+254722000111"], category="homeworker")
    register("Atieno Omondi", organization=world.org_b, category="self_employed")
    client = api(world.organizer_b)
    assert [
        m["category"] for m in client.get("/api/v1/members", {"category": "self_employed"}).json()["items"]
    ] == ["self_employed"]
    found = client.post(
        "/api/v1/member-search", {"q": "wanjru", "include": "pii"}, content_type="application/json"
    ).json()  # a typo still finds her
    assert [m["pii"]["full_name"] for m in found["items"]] == ["Wanjiru Kamau"]
    assert found["next"] is None
    found = client.post(
        "/api/v1/member-search", {"phone": "0722 000111"}, content_type="application/json"
    ).json()
    assert len(found["items"]) == 1
    searches = AuditEvent.objects.filter(action="member.searched")
    assert [e.metadata["by"] for e in searches] == ["name", "phone"]
    assert client.post("/api/v1/member-search", {}, content_type="application/json").status_code == 422
    # search terms are never accepted in the address, where they would reach access logs
    listing = client.get("/api/v1/members", {"q": "wanjiru"}).json()
    assert len(listing["items"]) == 2  # the term is ignored: nothing was searched
    assert AuditEvent.objects.filter(action="member.searched").count() == 2


def test_consents_and_dues(world, api, register):
    member = register(organization=world.org_b)
    client = api(world.organizer_b)
    response = client.post(
        f"/api/v1/members/{member.pk}/consents",
        {"purpose": "research", "given": True, "effective_on": "2026-01-01", "method": "verbal"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert [c["purpose"] for c in client.get(f"/api/v1/members/{member.pk}/consents").json()] == ["research"]
    response = client.post(
        f"/api/v1/members/{member.pk}/dues",
        {"period": "2026", "amount": "200", "currency": "KES", "paid_on": "2026-01-05"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["amount"] == "200.00"
    bad = client.post(
        f"/api/v1/members/{member.pk}/dues",
        {"period": "2026", "amount": "-1", "currency": "kes", "paid_on": "2026-01-05"},
        content_type="application/json",
    )
    assert {e["field"] for e in bad.json()["errors"]} == {"amount", "currency"}


def test_only_an_admin_erases(world, api, register):
    member = register(organization=world.org_b)
    assert api(world.organizer_b).delete(f"/api/v1/members/{member.pk}").status_code == 403
    assert Member.objects.filter(pk=member.pk).exists()
    assert api(world.admin_b).delete(f"/api/v1/members/{member.pk}").status_code == 204
    assert not Member.objects.filter(pk=member.pk).exists()
