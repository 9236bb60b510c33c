"""Reports to the ILO: built from sections (the legal tracker's facts, evidence as figures with small
groups withheld, anonymised testimonies, demands), saved in versions, exported as PDF and Word, with
the version sent and its date recorded."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone

from doorstep.advocacy import services
from doorstep.advocacy.models import Report, ReportVersion
from doorstep.core import analytics
from doorstep.core.models import AuditEvent
from doorstep.members.services import consent, rights

pytestmark = pytest.mark.django_db


def _report(world, organization, actor, country="IN"):
    return services.save_report(
        organization,
        data={"title": "Observations on C177", "convention": "C177", "country": country},
        actor=actor,
    )


def test_a_network_builds_a_report_from_sections_and_exports_it(world, shared, login):
    report = _report(world, world.network, world.network_admin)
    nadia = login(world.network_admin)
    url = f"/orgs/test-network/reports/{report.pk}/"
    for data in (
        {
            "kind": "text",
            "heading": "Introduction",
            "body": "Homeworkers in India sew and embroider at home.",
        },
        {"kind": "legal", "heading": "The law"},
        {"kind": "evidence", "heading": "Members by sector", "dataset": "members", "first": "sector"},
        {
            "kind": "testimony",
            "heading": "In her words",
            "body": "We wait months to be paid.",
            "speaker": "an embroiderer in Delhi",
        },
        {"kind": "demands", "heading": "Our demands", "body": "Ratify C177.\n\nRegister intermediaries."},
    ):
        response = nadia.post(url, {"action": "section", **data})
        assert response.status_code == 302, response.content[:2000]
    assert report.sections.count() == 5
    response = nadia.post(url, {"action": "version", "note": "First draft"})
    version = ReportVersion.objects.get()
    assert response.status_code == 302 and version.number == 1
    evidence = next(s for s in version.content["sections"] if s["kind"] == "evidence")
    rows = {row[0]: row for row in evidence["table"]["rows"]}
    # Three beadworkers: withheld; then embroidery too, or the total would give them away.
    assert rows["Beadwork"][1:] == ["", "fewer than k workers"]
    assert rows["Embroidery"][1:] == ["", "would give away another cell"]
    assert abs(int(rows["All"][1]) - 15) <= 2  # a network's figures carry cell-key noise
    assert any("10" in note for note in evidence["notes"])  # k is stated
    assert AuditEvent.objects.filter(action="aggregates.released", metadata__channel="ilo_report").exists()
    page = nadia.get(f"{url}versions/1/")
    assert page.status_code == 200 and b"We wait months to be paid." in page.content
    assert b"Embroiderer 0" not in page.content  # no one's name, ever
    pdf = nadia.get(f"{url}versions/1/report.pdf")
    assert (
        pdf.status_code == 200
        and pdf.content.startswith(b"%PDF-")
        and pdf["Content-Disposition"].startswith("attachment")
    )
    word = nadia.get(f"{url}versions/1/report.docx")
    archive = zipfile.ZipFile(io.BytesIO(word.content))
    document = archive.read("word/document.xml").decode()
    assert "We wait months to be paid." in document and "Register intermediaries." in document
    assert "Embroidery" in document and "Embroiderer 0" not in document
    assert nadia.get(f"{url}versions/1/report.html").status_code == 404  # only PDF and Word
    # The figures are frozen in the version: a change to the data does not change version 1.
    rights.erase_member(shared.embroiderers[0], actor=world.admin_a)
    assert ReportVersion.objects.get().content == version.content
    # Recording the submission.
    sent = nadia.post(f"{url}versions/1/", {"submitted_on": "2026-09-01"})
    assert sent.status_code == 302
    report.refresh_from_db()
    assert (
        report.status == "submitted"
        and str(report.submitted_on) == "2026-09-01"
        and report.submitted_version == 1
    )


def test_an_organizations_own_evidence_counts_only_members_who_consented_to_research(world, shared):
    for member in shared.embroiderers[:11] + shared.beadworkers[:2]:
        consent.record_consent(
            member,
            purpose="research",
            given=True,
            effective_on=timezone.localdate() - timedelta(days=1),
            method="paper",
            actor=world.admin_a,
        )
    analytics.refresh()  # a consent given counts from the analytics engine's next refresh
    report = _report(world, world.org_a, world.admin_a)
    services.add_report_section(
        report,
        data={"kind": "evidence", "heading": "Members", "dataset": "members", "group_by": "sector"},
        actor=world.admin_a,
    )
    content = services.save_version(report, actor=world.admin_a).content
    rows = {row[0]: row for row in content["sections"][0]["table"]["rows"]}
    assert rows["All"][1] == "13" and rows["Beadwork"][1] == "" and rows["Embroidery"][1] == ""


def test_bad_sections_are_refused_with_their_fields(world, login):
    report = _report(world, world.org_a, world.admin_a)
    alice = login(world.admin_a)
    url = f"/orgs/union-a/reports/{report.pk}/"
    bad = alice.post(
        url, {"action": "section", "kind": "evidence", "heading": "X", "dataset": "members", "first": "month"}
    )
    assert bad.status_code == 422 and b"is not a dimension here" in bad.content
    leak = alice.post(
        url,
        {
            "action": "section",
            "kind": "testimony",
            "heading": "Q",
            "body": "Call me on 9812345678",
            "speaker": "Sunita",
        },
    )
    assert leak.status_code == 422 and b"must not carry a phone or ID number" in leak.content
    no_speaker = alice.post(url, {"action": "section", "kind": "testimony", "heading": "Q", "body": "Words"})
    assert no_speaker.status_code == 422 and b"general words" in no_speaker.content
    assert not report.sections.exists()
    wrong_country = alice.post(
        "/orgs/union-a/reports/", {"title": "X", "convention": "C177", "country": "ZZ"}
    )
    assert wrong_country.status_code == 422 and Report.objects.count() == 1
    # An organizer of another organization cannot reach it.
    assert login(world.admin_b).get(f"/orgs/coop-b/reports/{report.pk}/").status_code == 404
    assert login(world.worker_a).get(url).status_code in (403, 404)


def test_the_api_builds_and_versions_a_report(world, shared, api):
    client = api(world.network_admin)
    made = client.post(
        "/api/v1/reports",
        {"organization_id": world.network.pk, "title": "Shadow report", "country": "IN"},
        content_type="application/json",
    )
    assert made.status_code == 201
    pk = made.json()["id"]
    added = client.post(
        f"/api/v1/reports/{pk}/sections",
        {
            "kind": "evidence",
            "heading": "Members",
            "dataset": "members",
            "group_by": "sector",
            "from": "2026-01-01",
            "to": "2026-12-31",  # a calendar year: a network's figures are on the lattice
        },
        content_type="application/json",
    )
    assert added.status_code == 201 and added.json()["sections"][0]["params"]["from"] == "2026-01-01"
    bad = client.post(
        f"/api/v1/reports/{pk}/sections",
        {"kind": "evidence", "heading": "X", "dataset": "rockets", "group_by": "sector"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "body.payload.dataset"
    missing = client.post(
        f"/api/v1/reports/{pk}/sections",
        {"kind": "evidence", "heading": "X", "group_by": "sector"},
        content_type="application/json",
    )
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "dataset"
    version = client.post(
        f"/api/v1/reports/{pk}/versions", {"note": "v1"}, content_type="application/json"
    ).json()
    assert version["number"] == 1 and version["pdf"].endswith("/versions/1/report.pdf")
    assert client.get(f"/api/v1/reports/{pk}/versions/1").json()["content"]["sections"][0]["table"]["header"][
        0
    ] == ("Sector")
    assert api(world.admin_b).get(f"/api/v1/reports/{pk}/versions/1").status_code == 404


def test_the_reports_are_in_the_navigation_of_staff(world, login):
    page = login(world.organizer_a).get("/orgs/union-a/")
    assert (
        b'href="/orgs/union-a/reports/"' in page.content
        and b'href="/orgs/union-a/campaigns/"' in page.content
    )
    assert b"/reports/" not in login(world.worker_a).get("/").content


@pytest.mark.parametrize(
    ("country", "body"),
    [
        ("IN", "Call me on 98123 45678 after six"),
        ("IN", "Call me on 98123-45678 after six"),
        ("IN", "My Aadhaar is 2345 6789 0123"),
        ("KE", "Reach me at 0712 345 678"),
        ("KE", "Reach me at +254-712-345-678"),
        ("PK", "My CNIC is 35202-1234567-1"),
        ("IN", "Her number is 9812345678"),
    ],
)
def test_rejects_a_testimony_carrying_a_phone_or_id_number_however_written(world, login, country, body):
    report = _report(world, world.org_a, world.admin_a, country=country)
    response = login(world.admin_a).post(
        f"/orgs/union-a/reports/{report.pk}/",
        {"action": "section", "kind": "testimony", "heading": "Q", "body": body, "speaker": "A beadworker"},
    )
    assert response.status_code == 422 and b"must not carry a phone or ID number" in response.content
    assert not report.sections.exists()


def test_it_keeps_a_testimony_with_years_and_amounts(world, login):
    report = _report(world, world.org_a, world.admin_a)
    body = "From 2019-2020 we were paid 150 rupees for 1,000 pieces; on 12.03.2024 it fell to 120."
    response = login(world.admin_a).post(
        f"/orgs/union-a/reports/{report.pk}/",
        {"action": "section", "kind": "testimony", "heading": "Q", "body": body, "speaker": "A beadworker"},
    )
    assert response.status_code == 302
    assert report.sections.get().body == body
