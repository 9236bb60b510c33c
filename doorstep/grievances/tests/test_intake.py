"""Intake without an account: the public form, its receipt code, rate limits, and the review that
keeps junk out of the case list."""

import time

import pytest
from django.test import Client

from doorstep.grievances.models import Case, IntakeReport
from doorstep.grievances.services import cases, intake
from doorstep.organizations.models import Organization

pytestmark = pytest.mark.django_db
REPORT = {"description": "The agent has not paid for three weeks of beadwork.", "category": "late_payment"}


@pytest.fixture
def channel(world):
    Organization.objects.filter(pk=world.org_a.pk).update(languages=["en", "hi"])
    return intake.open_channel(world.org_a, actor=world.organizer_a)


def _send(client, channel, data=None):
    return client.post(f"/intake/{channel.code}/", data or REPORT, REMOTE_ADDR="10.0.0.7")


def test_a_report_without_an_account_gets_a_receipt_and_waits_for_a_person(world, channel, login):
    response = _send(Client(), channel)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    receipt = response.context["receipt"]
    assert receipt and receipt.encode() in response.content
    report = IntakeReport.objects.get()
    assert report.status == "pending" and b"beadwork" not in bytes(report.sealed)
    assert receipt.encode() not in report.receipt_digest.encode()
    assert not Case.objects.exists()  # nothing reaches the case list unread
    staff = login(world.organizer_a)
    page = staff.get("/orgs/union-a/grievances/intake/")
    assert b"three weeks of beadwork" in page.content and channel.code.encode() in page.content
    assert b"<svg" in page.content  # the QR code of the link
    response = staff.post(
        "/orgs/union-a/grievances/intake/",
        {
            "action": "accept",
            "report": report.pk,
            "kind": "collective",
            "category": "late_payment",
            "group_description": "Beadworkers of the agent",
            "summary": "Three weeks unpaid",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and case.source == "intake"
    assert (
        "three weeks of beadwork" in cases.reveal_case(case, actor=world.organizer_a, reason="t")["narrative"]
    )
    status = Client().post("/intake/status/", {"receipt": receipt.lower().replace("-", "")})
    assert b"Taken up as a case" in status.content and b"Open" in status.content
    again = staff.post("/orgs/union-a/grievances/intake/", {"action": "reject", "report": report.pk})
    assert again.status_code == 422 and b"already been read" in again.content


def test_junk_is_set_aside_and_its_words_destroyed(world, channel, login):
    _send(Client(), channel)
    report = IntakeReport.objects.get()
    login(world.organizer_a).post(
        "/orgs/union-a/grievances/intake/", {"action": "reject", "report": report.pk}
    )
    report.refresh_from_db()
    assert report.status == "rejected" and bytes(report.sealed) == b"" and not Case.objects.exists()


def test_bad_input_robots_and_floods(world, channel):
    client = Client()
    empty = _send(client, channel, {"description": "", "category": "nonsense"})
    assert empty.status_code == 422
    robot = _send(client, channel, REPORT | {"website": "http://spam.example"})
    assert robot.status_code == 422 and not IntakeReport.objects.exists()
    for _ in range(4):  # five an hour from one address: the robot's refused try counts too
        assert _send(client, channel).status_code == 200
    assert _send(client, channel).status_code == 429
    assert IntakeReport.objects.count() == 4
    assert client.post(f"/intake/{channel.code}/", REPORT, REMOTE_ADDR="10.0.0.8").status_code == 200


def test_reports_from_behind_the_proxy_count_per_client(world, channel, settings):
    settings.CLIENT_ADDRESS_HEADER = "X-Forwarded-For"
    settings.TRUSTED_PROXIES = ["10.0.0.1"]

    def send(client_address):
        return Client(REMOTE_ADDR="10.0.0.1", headers={"X-Forwarded-For": client_address}).post(
            f"/intake/{channel.code}/", REPORT
        )

    for _ in range(5):
        send("203.0.113.5")
    assert send("203.0.113.5").status_code == 429
    assert send("198.51.100.7").status_code == 200


def test_a_flooded_channel_takes_the_slow_path_not_a_wall(world, channel, monkeypatch):
    monkeypatch.setattr(intake, "CHANNEL_CEILING", (3, 3600))
    for n in range(3):
        sent = Client().post(f"/intake/{channel.code}/", REPORT, REMOTE_ADDR=f"192.0.2.{n}")
        assert sent.status_code == 200
    fast = Client().post(f"/intake/{channel.code}/", REPORT, REMOTE_ADDR="198.51.100.7")
    assert fast.status_code == 429
    assert "Please wait half a minute, then send again." in fast.content.decode()
    assert 'name="started"' in fast.content.decode() and REPORT["description"] in fast.content.decode()
    patient = REPORT | {"started": intake.intake_started_token(time.time() - 30)}
    slow = Client().post(f"/intake/{channel.code}/", patient, REMOTE_ADDR="198.51.100.7")
    assert slow.status_code == 200 and slow.context["receipt"]
    forged = REPORT | {"started": "1000000000"}
    assert Client().post(f"/intake/{channel.code}/", forged, REMOTE_ADDR="198.51.100.8").status_code == 429
    assert IntakeReport.objects.count() == 4


def test_the_form_speaks_the_organizations_languages(world, channel):
    page = Client().get(f"/intake/{channel.code}/?lang=hi")
    assert page.status_code == 200 and 'lang="hi"' in page.content.decode()[:300]
    assert Client().get(f"/intake/{channel.code}/?lang=ar").context["language"] == "en"  # not one of hers


def test_a_closed_or_replaced_link_leads_nowhere(world, channel):
    old = channel.code
    new = intake.open_channel(world.org_a, actor=world.organizer_a)
    assert Client().get(f"/intake/{old}/").status_code == 404
    intake.close_channel(world.org_a, actor=world.organizer_a)
    assert Client().get(f"/intake/{new.code}/").status_code == 404
    assert Client().post(f"/intake/{new.code}/", REPORT).status_code == 404
    assert not IntakeReport.objects.exists()


def test_the_public_status_api_says_status_and_dates_only(world, channel):
    receipt = _send(Client(), channel).context["receipt"]
    client = Client()
    found = client.get(f"/api/v1/grievances/intake/{receipt}", REMOTE_ADDR="10.0.0.9")
    assert found.status_code == 200
    assert set(found.json()) == {"status", "received_on", "reviewed_on", "case_status", "case_updated_on"}
    wrong = client.get("/api/v1/grievances/intake/AAAA-BBBB-CCCC", REMOTE_ADDR="10.0.0.9")
    assert wrong.status_code == 404 and "Union A" not in wrong.content.decode()
    for _ in range(18):
        client.get("/api/v1/grievances/intake/AAAA-BBBB-CCCC", REMOTE_ADDR="10.0.0.9")
    assert client.get(f"/api/v1/grievances/intake/{receipt}", REMOTE_ADDR="10.0.0.9").status_code == 429
