"""The grievance timeline through the API on the demo data as shipped: every case's timeline reads,
and adding a step or a file to the case shared with the demo brand (which holds the brand's reply)
answers the timeline with 201, never a 500 after the write. One test: loading the demo is slow."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from doorstep.grievances.models import Case, CaseAction, CaseAttachment, CaseShare
from doorstep.organizations.models import User


def test_the_demo_timelines_read_and_take_new_steps(db, api):
    call_command("load_demo")
    client = api(User.objects.get(username="orgadmin-a"))
    for case in Case.objects.filter(organization__slug="demo-union").order_by("pk"):
        response = client.get(f"/api/v1/grievances/{case.pk}/timeline")
        assert response.status_code == 200, (case.pk, response.content)
        assert response.json()[0]["kind"] == "opened"

    case = CaseShare.objects.get(organization__slug="demo-union").case
    steps = client.get(f"/api/v1/grievances/{case.pk}/timeline").json()
    assert [s["detail"] for s in steps if s["kind"] == "reply"] == [
        "We have asked our supplier for its inspection records."
    ]
    actions = CaseAction.objects.filter(case=case).count()
    added = client.post(
        f"/api/v1/grievances/{case.pk}/actions",
        {"kind": "meeting", "detail": "Met the brand's auditor.", "happened_on": "2026-12-01"},
        content_type="application/json",
    )
    assert added.status_code == 201, added.content
    assert [s["kind"] for s in added.json()].count("reply") == 1
    assert CaseAction.objects.filter(case=case).count() == actions + 1

    upload = SimpleUploadedFile("note.txt", b"What the supervisor said.", content_type="text/plain")
    attached = client.post(f"/api/v1/grievances/{case.pk}/attachments", {"file": upload})
    assert attached.status_code == 201, attached.content
    assert any(s["kind"] == "attachment" and s["name"] == "note.txt" for s in attached.json())
    assert CaseAttachment.objects.filter(case=case).count() == 1
