"""Her rights: what governance holds about her is in her export and goes with her erasure."""

from datetime import date

from doorstep.core import rights
from doorstep.governance.models import ActionItem, Attendance, OfficeTerm
from doorstep.governance.services import meetings, offices
from doorstep.governance.services import rules as rules_services
from doorstep.members.services import rights as member_rights


def _office_bearer(world, member_of):
    member = member_of()
    position = rules_services.add_position(
        world.org_a, rules_services.PositionInput(kind="secretary"), actor=world.admin_a
    )
    offices.start_term(
        position,
        offices.TermInput(member_id=member.pk, starts_on=date(2026, 1, 1), mandate="elected"),
        actor=world.admin_a,
    )
    meeting = meetings.call_meeting(
        world.org_a,
        meetings.MeetingInput(kind="executive", title="Exec", held_on=date(2026, 1, 5)),
        actor=world.admin_a,
    )
    meetings.mark_present(meeting, member_ids=[member.pk], method="list", actor=world.admin_a)
    meetings.add_action_item(
        meeting,
        meetings.ActionItemInput(text="Book the hall", owner_id=member.pk, deadline=date(2026, 2, 1)),
        actor=world.admin_a,
    )
    return member


def test_her_export_holds_her_offices_attendance_and_action_items(world, member_of):
    member = _office_bearer(world, member_of)
    sections = {}
    for handler in rights.handlers():
        sections.update(handler.export(member))
    assert sections["governance.office_terms"][0]["position"] == "Secretary"
    assert sections["governance.attendance"] == [
        {"meeting": "Exec", "held_on": "2026-01-05", "method": "list"}
    ]
    assert sections["governance.action_items"][0]["text"] == "Book the hall"


def test_her_erasure_removes_her_rows(world, member_of):
    member = _office_bearer(world, member_of)
    member_rights.erase_member(member, actor=world.admin_a)
    assert not OfficeTerm.objects.exists()
    assert not Attendance.objects.exists()
    assert not ActionItem.objects.exists()
