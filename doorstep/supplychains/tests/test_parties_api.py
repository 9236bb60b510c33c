"""Work givers through the API: contact details sealed, returned only on request and audited."""

from doorstep.core.models import AuditEvent
from doorstep.supplychains.models import Party

NEW = {
    "name": "Salim Bhai",
    "kind": "intermediary",
    "is_person": True,
    "country": "IN",
    "locality": "Seelampur",
    "identifiers": [{"scheme": "tax_id", "value": "07AAACB1234F1Z5"}],
    "phones": ["+91 98100 00000"],
    "notes": "Comes on Mondays",
}


def test_parties_api(world, api):
    client = api(world.organizer_a)
    created = client.post(
        "/api/v1/parties", {**NEW, "organization_id": world.org_a.pk}, content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["contact"] is None
    party_id = created.json()["id"]
    assert b"98100" not in bytes(Party.objects.get().contact)
    listing = client.get("/api/v1/parties").json()
    assert [p["name"] for p in listing["items"]] == ["Salim Bhai"] and listing["items"][0]["contact"] is None
    assert not AuditEvent.objects.filter(action="party.contact_read").exists()
    detail = client.get(f"/api/v1/parties/{party_id}", {"include": "contact"}).json()
    assert (
        detail["contact"]["phones"] == ["+91 98100 00000"]
        and detail["contact"]["notes"] == "Comes on Mondays"
    )
    assert AuditEvent.objects.get(action="party.contact_read").metadata == {
        "party_ids": [party_id],
        "reason": "api detail",
    }
    patched = client.patch(
        f"/api/v1/parties/{party_id}",
        {"locality": "Jafrabad", "is_active": False},
        content_type="application/json",
    )
    assert (patched.json()["locality"], patched.json()["is_active"]) == ("Jafrabad", False)
    assert (
        client.get(f"/api/v1/parties/{party_id}", {"include": "contact"}).json()["contact"]["notes"]
        == "Comes on Mondays"
    )
    bad = client.post(
        "/api/v1/parties",
        {
            **NEW,
            "organization_id": world.org_a.pk,
            "email": "nope",
            "identifiers": [{"scheme": "os_id", "value": ""}],
        },
        content_type="application/json",
    )
    assert bad.status_code == 422 and {e["field"] for e in bad.json()["errors"]} == {"email", "identifiers"}
    unknown_codes = client.post(
        "/api/v1/parties",
        {
            **NEW,
            "organization_id": world.org_a.pk,
            "kind": "boss",
            "identifiers": [{"scheme": "pan", "value": "1"}],
        },
        content_type="application/json",
    )
    assert unknown_codes.status_code == 422
    assert {e["field"] for e in unknown_codes.json()["errors"]} == {
        "body.payload.kind",
        "body.payload.identifiers.0.scheme",
    }
    twin = client.post(
        "/api/v1/parties",
        {**NEW, "organization_id": world.org_a.pk, "locality": "Jafrabad"},
        content_type="application/json",
    )
    assert twin.status_code == 422 and twin.json()["code"] == "duplicate"
    assert api(world.admin_b).get(f"/api/v1/parties/{party_id}").status_code == 404
    assert (
        client.post(
            "/api/v1/parties", {**NEW, "organization_id": world.org_b.pk}, content_type="application/json"
        ).status_code
        == 404
    )
