"""Data-sharing agreements: who may agree, with whom, for what; revocation and end dates take effect
at once; and only members whose consent covers the purpose count."""

from datetime import timedelta

import pytest
from django.utils import timezone

from doorstep.core.models import AuditEvent
from doorstep.members import queries as member_queries
from doorstep.members.services import consent
from doorstep.organizations import queries, services
from doorstep.organizations.models import SharingAgreement

pytestmark = pytest.mark.django_db


def _agree(world, **data):
    base = {"recipient": world.network.pk, "purpose": "network_statistics", "data_kinds": ["members", "work"]}
    return services.create_agreement(world.org_a, data=base | data, actor=world.admin_a)


def test_an_admin_agrees_on_the_page_and_revokes_at_once(world, login):
    client = login(world.admin_a)
    page = client.get("/orgs/union-a/sharing/")
    assert page.status_code == 200 and "None: nothing is shared." in page.content.decode()
    response = client.post(
        "/orgs/union-a/sharing/",
        {
            "action": "agree",
            "recipient": world.network.pk,
            "purpose": "network_statistics",
            "data_kinds": ["members"],
        },
    )
    assert response.status_code == 302
    agreement = SharingAgreement.objects.get()
    assert (
        agreement.is_live() and agreement.data_kinds == ["members"] and agreement.created_by == world.admin_a
    )
    assert queries.sharing_organization_ids(world.network, "network_statistics", "members") == [
        world.org_a.pk
    ]
    assert queries.sharing_organization_ids(world.network, "network_statistics", "work") == []
    client.post("/orgs/union-a/sharing/", {"action": "revoke", "agreement": agreement.pk})
    assert queries.sharing_organization_ids(world.network, "network_statistics", "members") == []
    assert "revoked on" in client.get("/orgs/union-a/sharing/").content.decode()
    assert AuditEvent.objects.filter(action="sharing.revoked").exists()


def test_bad_agreements_are_refused_field_by_field(world, login):
    client = login(world.admin_a)
    response = client.post(
        "/orgs/union-a/sharing/",
        {
            "action": "agree",
            "recipient": world.company.pk,
            "purpose": "network_statistics",
            "data_kinds": ["members"],
            "starts_on": "2026-05-01",
            "ends_on": "2026-01-01",
        },
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert (
        "Brand C cannot receive data for this purpose" in html and "The end comes before the start." in html
    )
    assert not SharingAgreement.objects.exists()
    # An organizer sees the agreements but cannot make one.
    organizer = login(world.organizer_a)
    assert "Agree to share" not in organizer.get("/orgs/union-a/sharing/").content.decode()
    assert organizer.post(
        "/orgs/union-a/sharing/", {"action": "agree", "recipient": world.network.pk}
    ).status_code in (403, 404)
    assert not SharingAgreement.objects.exists()


def test_dates_and_consent_decide_who_counts(world, register):
    today = timezone.localdate()
    yes, no, silent = (
        register(full_name=n, phones=[p])
        for n, p in [("A", "+919800000001"), ("B", "+919800000002"), ("C", "+919800000003")]
    )
    for member, given in ((yes, True), (no, False)):
        consent.record_consent(
            member,
            purpose="network_sharing",
            given=given,
            effective_on=today,
            method="paper",
            actor=world.admin_a,
        )
    _agree(world, starts_on=today + timedelta(days=3))
    assert not member_queries.members_shared_with(world.network, "network_statistics", "members").exists()
    _agree(world, purpose="research", starts_on=today - timedelta(days=10), ends_on=today - timedelta(days=1))
    assert not member_queries.members_shared_with(world.network, "research", "members").exists()
    _agree(world)
    shared = member_queries.members_shared_with(world.network, "network_statistics", "members")
    assert list(shared) == [yes]
    assert silent not in shared


def test_the_k_threshold_is_set_by_admins_and_never_below_five(world, login, api):
    client = login(world.admin_a)
    bad = client.post("/orgs/union-a/sharing/", {"action": "k", "disclosure_k": "3"})
    assert bad.status_code == 422
    client.post("/orgs/union-a/sharing/", {"action": "k", "disclosure_k": "15"})
    world.org_a.refresh_from_db()
    assert world.org_a.disclosure_k == 15


def test_the_sharing_agreements_api(world, api):
    client = api(world.admin_a)
    made = client.post(
        "/api/v1/sharing-agreements",
        {
            "organization_id": world.org_a.pk,
            "recipient_id": world.company.pk,
            "purpose": "company_due_diligence",
            "data_kinds": ["work", "grievances"],
        },
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["live"] is True
    listed = client.get("/api/v1/sharing-agreements", {"organization_id": world.org_a.pk}).json()
    assert [a["recipient"] for a in listed] == ["Brand C"]
    revoked = client.post(f"/api/v1/sharing-agreements/{made.json()['id']}/revoke").json()
    assert revoked["live"] is False and revoked["revoked_at"]
    bad = client.post(
        "/api/v1/sharing-agreements",
        {
            "organization_id": world.org_a.pk,
            "recipient_id": world.org_b.pk,
            "purpose": "research",
            "data_kinds": ["work"],
        },
        content_type="application/json",
    )
    assert bad.status_code == 422 and {e["field"] for e in bad.json()["errors"]} == {"recipient"}
    unknown_kind = client.post(
        "/api/v1/sharing-agreements",
        {
            "organization_id": world.org_a.pk,
            "recipient_id": world.network.pk,
            "purpose": "research",
            "data_kinds": ["nonsense"],
        },
        content_type="application/json",
    )
    assert unknown_kind.status_code == 422
    assert [e["field"] for e in unknown_kind.json()["errors"]] == ["body.payload.data_kinds.0"]
    # An organizer cannot agree; another organization's admin sees nothing of it.
    assert api(world.organizer_a).post(
        "/api/v1/sharing-agreements",
        {
            "organization_id": world.org_a.pk,
            "recipient_id": world.network.pk,
            "purpose": "research",
            "data_kinds": ["members"],
        },
        content_type="application/json",
    ).status_code in (403, 404)
    assert (
        api(world.admin_b).post(f"/api/v1/sharing-agreements/{made.json()['id']}/revoke").status_code == 404
    )
