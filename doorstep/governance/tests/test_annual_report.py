"""The annual report to members: the year's figures from the records, checked by hand; versions keep
what they froze."""

from datetime import date

from doorstep.governance.models import AnnualReport, AnnualReportVersion
from doorstep.governance.services import meetings


def _start(client, world, year=2026):
    return client.post(
        "/api/v1/annual-reports",
        {"organization_id": world.org_a.pk, "year": year},
        content_type="application/json",
    )


def test_the_figures_come_from_the_records_of_the_year(world, login, member_of, pay):
    old = member_of(joined_on=date(2025, 6, 1))
    new = member_of(joined_on=date(2026, 3, 1))
    pay(old, "2026", amount="120", paid_on=date(2026, 2, 1))
    pay(new, "2025", amount="50", paid_on=date(2025, 12, 31))  # last year's: not counted
    meeting = meetings.call_meeting(
        world.org_a,
        meetings.MeetingInput(kind="executive", title="Exec", held_on=date(2026, 4, 1)),
        actor=world.admin_a,
    )
    meetings.mark_present(meeting, member_ids=[old.pk, new.pk], method="list", actor=world.admin_a)
    meetings.add_resolution(meeting, meetings.ResolutionInput("Hold an AGM", 2, 0, 0), actor=world.admin_a)
    figures = _start(login(world.organizer_a), world).json()["figures"]
    assert figures["members"] == {"at_start": 1, "joined": 1, "at_end": 2, "active_now": 2}
    assert figures["meetings"] == [{"kind": "executive", "held": 1}]
    assert figures["attendance"] == 2
    assert figures["resolutions"] == {"passed": 1, "not_passed": 0}
    assert figures["dues_collected"] == [{"currency": "KES", "amount": "120.00"}]
    assert figures["dues_payments"] == 1


def test_a_frozen_version_keeps_its_figures_when_records_change(world, login, member_of):
    member_of(joined_on=date(2026, 1, 2))
    client = login(world.organizer_a)
    report = _start(client, world).json()
    client.put(
        f"/api/v1/annual-reports/{report['id']}", {"text": "A good year"}, content_type="application/json"
    )
    assert client.post(f"/api/v1/annual-reports/{report['id']}/versions").status_code == 201
    member_of(joined_on=date(2026, 5, 2))
    frozen = client.get(f"/api/v1/annual-reports/{report['id']}/versions/1").json()["content"]
    assert frozen["text"] == "A good year"
    assert frozen["figures"]["members"]["joined"] == 1
    assert client.get(f"/api/v1/annual-reports/{report['id']}").json()["figures"]["members"]["joined"] == 2


def test_rejects_a_second_report_for_one_year(world, login):
    client = login(world.organizer_a)
    _start(client, world)
    response = _start(client, world)
    assert response.status_code == 422
    assert response.json()["code"] == "duplicate"
    assert AnnualReport.objects.count() == 1


def test_rejects_freezing_when_nothing_changed(world, login):
    client = login(world.organizer_a)
    report_id = _start(client, world).json()["id"]
    client.post(f"/api/v1/annual-reports/{report_id}/versions")
    response = client.post(f"/api/v1/annual-reports/{report_id}/versions")
    assert response.json()["code"] == "unchanged"
    assert AnnualReportVersion.objects.count() == 1


def test_the_printable_version_shows_the_words_and_figures(world, login):
    client = login(world.organizer_a)
    report_id = _start(client, world).json()["id"]
    client.put(
        f"/api/v1/annual-reports/{report_id}",
        {"text": "We grew in Bareilly."},
        content_type="application/json",
    )
    client.post(f"/api/v1/annual-reports/{report_id}/versions")
    page = client.get(f"/orgs/union-a/governance/reports/{report_id}/versions/1/")
    assert b"We grew in Bareilly." in page.content
    assert b"Money recovered for members" in page.content
