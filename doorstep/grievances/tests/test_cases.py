"""Grievance cases from intake to money recovered: pages, API, sealing, evidence, deadlines, statistics,
and a member's rights over them."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from doorstep.core.errors import ValidationError
from doorstep.core.models import AuditEvent
from doorstep.grievances.models import Case, CaseAttachment
from doorstep.grievances.services import cases as case_services
from doorstep.grievances.services import timeline as timeline_services
from doorstep.supplychains import services as party_services
from doorstep.work.services import orders as work_services

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def setting(world, register):
    """Two members of Union A, an intermediary, and an order of each still owed."""
    sunita = register("Sunita Devi")
    meena = register("Meena Kumari")
    rafiq = party_services.create_party(
        world.org_a,
        data={"name": "Rafiq Contractor", "kind": "intermediary", "is_person": True},
        actor=world.admin_a,
    )

    def order(member):
        return work_services.create_order(
            world.org_a,
            data={
                "member": member.pk,
                "party": rafiq.pk,
                "given_on": "2026-09-01",
                "product": "Zari border",
                "sector": "embroidery",
                "quantity_ordered": "20",
                "piece_rate": "40",
                "currency": "INR",
                "deliveries": [{"delivered_on": "2026-09-10", "quantity": "20"}],
                "payments": [{"paid_on": "2026-10-01", "amount": "300"}],
            },
            actor=world.admin_a,
        )

    return {
        "sunita": sunita,
        "meena": meena,
        "rafiq": rafiq,
        "order_s": order(sunita),
        "order_m": order(meena),
    }


def _open(world, setting, **extra):
    data = {
        "kind": "individual",
        "category": "late_payment",
        "members": [setting["sunita"].pk],
        "parties": [setting["rafiq"].pk],
        "orders": [setting["order_s"].pk],
        "summary": "Sunita's zari order paid only in part",
        "narrative": "Rafiq says the exporter has not paid him. Her husband is ill.",
    } | extra
    return case_services.create_case(world.org_a, data=data, actor=world.organizer_a)


def test_an_organizer_opens_a_case_on_the_page_and_it_is_sealed(world, setting, login):
    client = login(world.organizer_a)
    response = client.post(
        "/orgs/union-a/grievances/new/",
        {
            "kind": "individual",
            "category": "late_payment",
            "member_numbers": str(setting["sunita"].number),
            "parties": [setting["rafiq"].pk],
            "orders": str(setting["order_s"].pk),
            "summary": "Sunita's zari order paid only in part",
            "narrative": "Her husband is ill; she needs the money now.",
            "priority": "high",
            "taken_by": world.organizer_a.pk,
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.number == 1 and case.taken_by == world.organizer_a
    assert b"husband" not in bytes(case.sealed) and b"zari" not in bytes(case.sealed)
    page = client.get(response["Location"])
    assert b"Her husband is ill" in page.content and b"Rafiq Contractor" in page.content
    assert b"500.00 INR" in page.content  # 800 expected, 300 paid: still owed on the linked order
    assert AuditEvent.objects.filter(action="grievance.read", organization_id=world.org_a.pk).exists()
    listing = client.get("/orgs/union-a/grievances/")
    assert b"paid only in part" in listing.content


def test_bad_cases_are_refused_field_by_field(world, setting, login):
    client = login(world.organizer_a)
    response = client.post(
        "/orgs/union-a/grievances/new/",
        {
            "kind": "individual",
            "category": "late_payment",
            "member_numbers": f"{setting['sunita'].number}, {setting['meena'].number}",
            "orders": f"{setting['order_s'].pk} 999999",
            "summary": "",
            "priority": "normal",
            "opened_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    for message in (
        "A case of one member names exactly one member.",
        "Some of these are not work orders of this organization.",
        "A case cannot be opened in the future.",
    ):
        assert message in body
    assert not Case.objects.exists()
    with pytest.raises(ValidationError) as problem:
        _open(world, setting, orders=[setting["order_m"].pk])  # Meena's order on Sunita's case
    assert problem.value.errors[0].field == "orders"


def test_a_collective_case_for_a_group(world, setting):
    case = case_services.create_case(
        world.org_a,
        data={
            "kind": "collective",
            "category": "low_rates",
            "group_description": "All embroiderers of the Seelampur group",
            "parties": [setting["rafiq"].pk],
            "summary": "Rates cut by a third",
        },
        actor=world.organizer_a,
    )
    assert case.kind == "collective" and not case.members.exists()
    with pytest.raises(ValidationError):
        case_services.create_case(
            world.org_a,
            data={"kind": "collective", "category": "low_rates", "summary": "x"},
            actor=world.organizer_a,
        )


def test_the_timeline_deadlines_remedy_and_statistics(world, setting, login):
    case = _open(world, setting, opened_on=(timezone.localdate() - timedelta(days=20)).isoformat())
    client = login(world.organizer_a)
    url = f"/orgs/union-a/grievances/{case.pk}/"
    response = client.post(
        url,
        {
            "form": "action",
            "kind": "meeting",
            "happened_on": (timezone.localdate() - timedelta(days=2)).isoformat(),
            "detail": "Met Rafiq with Sunita.",
            "outcome": "He promised to pay by Friday.",
            "deadline": (timezone.localdate() + timedelta(days=3)).isoformat(),
            "deadline_note": "Check the payment",
        },
    )
    assert response.status_code == 302
    home = client.get("/")
    assert b"Grievance deadlines" in home.content and f"#{case.number}".encode() in home.content
    bad = client.post(url, {"form": "remedy", "kind": "money", "amount": "-5", "currency": "XXX"})
    assert bad.status_code == 422
    response = client.post(
        url,
        {
            "form": "remedy",
            "kind": "money",
            "amount": "500",
            "currency": "INR",
            "orders": [setting["order_s"].pk],
            "description": "Paid in cash in front of the organizer.",
        },
    )
    assert response.status_code == 302
    assert client.post(url, {"form": "status", "status": "resolved"}).status_code == 302
    case.refresh_from_db()
    assert case.status == "resolved" and case.finished_on == timezone.localdate()
    page = client.get(url)
    assert b"He promised to pay by Friday" in page.content and b"500.00 INR" in page.content
    stats = client.get("/orgs/union-a/grievances/statistics/")
    assert stats.status_code == 200
    assert b"Payment delayed" in stats.content and b"Rafiq Contractor" in stats.content
    assert stats.context["stats"].median_days_to_resolution == 20.0
    assert stats.context["stats"].recovered_by_party == [("Rafiq Contractor", "INR", Decimal("500"))]
    assert b'aria-label="Cases by problem"' in stats.content  # the chart, beside its table
    drawn = client.get("/orgs/union-a/grievances/statistics/", {"chart": "csv"}).content.decode()
    assert drawn.splitlines()[1:] == ["Payment delayed,1"]
    assert client.get("/orgs/union-a/grievances/statistics/", {"chart": "svg"}).content.startswith(b"<svg")
    # A resolved case's deadlines leave the home page.
    assert b"Grievance deadlines" not in client.get("/").content


def test_evidence_is_sealed_and_dangerous_files_are_refused(world, setting, login):
    case = _open(world, setting)
    client = login(world.organizer_a)
    url = f"/orgs/union-a/grievances/{case.pk}/"
    from django.core.files.uploadedfile import SimpleUploadedFile

    for name, data in (
        ("slip.html", b"<html><script>alert(1)</script></html>"),
        ("photo.jpg", b"MZ\x90\x00 this is a program"),
        ("drawing.svg", b'<?xml version="1.0"?><svg onload="alert(1)"></svg>'),
        ("big.png", PNG + b"\x00" * (10 * 1024 * 1024)),
    ):
        response = client.post(url, {"form": "attachment", "file": SimpleUploadedFile(name, data)})
        assert response.status_code == 422, name
    assert not CaseAttachment.objects.exists()
    response = client.post(url, {"form": "attachment", "file": SimpleUploadedFile("payment slip.png", PNG)})
    assert response.status_code == 302
    attachment = CaseAttachment.objects.get()
    assert attachment.content_type == "image/png" and PNG not in bytes(attachment.sealed)
    download = client.get(f"/orgs/union-a/grievances/attachments/{attachment.pk}/")
    assert download.content == PNG and download["Content-Type"] == "image/png"
    assert 'filename="payment slip.png"' in download["Content-Disposition"]
    assert AuditEvent.objects.filter(action="grievance.attachment_read").count() == 1


def test_reminders_by_email_once_a_day(world, setting, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world.organizer_a.email = "olga@example.org"
    world.organizer_a.save()
    case = _open(world, setting, taken_by=world.organizer_a.pk)
    timeline_services.add_action(
        case,
        {"kind": "call", "detail": "Called him.", "deadline": timezone.localdate().isoformat()},
        actor=world.organizer_a,
    )
    call_command("send_reminders")
    call_command("send_reminders")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["olga@example.org"] and f"case {case.number}" in message.subject
    assert "Sunita" not in message.body and "zari" not in message.body


def test_the_grievances_api(world, setting, api):
    client = api(world.organizer_a)
    created = client.post(
        "/api/v1/grievances",
        {
            "organization_id": world.org_a.pk,
            "category": "rejected_goods",
            "member_numbers": [setting["meena"].number],
            "parties": [setting["rafiq"].pk],
            "orders": [setting["order_m"].pk],
            "summary": "Borders rejected without a reason",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    case = created.json()
    assert case["member_ids"] == [setting["meena"].pk] and case["owed"] == {"INR": "500.0000"}
    case_id = case["id"]
    action = client.post(
        f"/api/v1/grievances/{case_id}/actions",
        {"kind": "letter", "detail": "Letter to Rafiq", "deadline": "2030-01-01"},
        content_type="application/json",
    )
    assert action.status_code == 201 and action.json()[-1]["deadline"] == "2030-01-01"
    remedy = client.post(
        f"/api/v1/grievances/{case_id}/remedies",
        {"kind": "money", "amount": "250", "currency": "INR", "orders": [setting["order_m"].pk]},
        content_type="application/json",
    )
    assert remedy.status_code == 201 and remedy.json()[-1]["amount"] == "250.0000"
    evidence = client.post(f"/api/v1/grievances/{case_id}/attachments", {"file": _upload("slip.png", PNG)})
    assert evidence.status_code == 201
    refused = client.post(
        f"/api/v1/grievances/{case_id}/attachments", {"file": _upload("x.exe", b"MZ\x90\x00")}
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "file"
    patched = client.patch(
        f"/api/v1/grievances/{case_id}", {"status": "resolved"}, content_type="application/json"
    )
    assert patched.json()["status"] == "resolved"
    listed = client.get(f"/api/v1/grievances?organization_id={world.org_a.pk}&category=rejected_goods").json()
    assert [c["summary"] for c in listed["items"]] == ["Borders rejected without a reason"]
    timeline = client.get(f"/api/v1/grievances/{case_id}/timeline").json()
    assert [e["kind"] for e in timeline][:1] == ["opened"] and timeline[-1]["kind"] == "finished"
    stats = client.get(f"/api/v1/grievances/statistics?organization_id={world.org_a.pk}").json()
    assert (
        stats["by_category"] == {"rejected_goods": 1}
        and stats["recovered_by_party"][0]["amount"] == "250.0000"
    )
    bad = client.post(
        "/api/v1/grievances",
        {"organization_id": world.org_a.pk, "category": "other", "members": [999999], "summary": "x"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"members"}
    unknown = client.post(
        "/api/v1/grievances",
        {"organization_id": world.org_a.pk, "category": "gossip", "summary": "x"},
        content_type="application/json",
    )
    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.json()["errors"]] == ["body.payload.category"]


def _upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_her_export_and_erasure(world, setting):
    from doorstep.core import rights

    own = _open(world, setting)
    collective = case_services.create_case(
        world.org_a,
        data={
            "kind": "collective",
            "category": "low_rates",
            "members": [setting["sunita"].pk, setting["meena"].pk],
            "summary": "Rates cut",
        },
        actor=world.organizer_a,
    )
    handler = next(h for h in rights.handlers() if h.app == "grievances")
    exported = handler.export(setting["sunita"])["grievances"]
    assert [row["case"] for row in exported] == [own.number, collective.number]
    assert exported[0]["narrative"].startswith("Rafiq says")
    handler.erase(setting["sunita"])
    assert not Case.objects.filter(pk=own.pk).exists()
    assert list(Case.objects.get(pk=collective.pk).members.all()) == [setting["meena"]]
