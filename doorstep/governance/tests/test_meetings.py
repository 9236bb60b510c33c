"""Meetings: attendance, quorum at its edge, resolutions refused without quorum, action items on the
home page, minutes frozen in versions and approved at a later meeting, their PDF."""

from datetime import date
from decimal import Decimal

import pytest

from doorstep.governance.models import ActionItem, Attendance, MinutesVersion, Resolution
from doorstep.governance.services import meetings

VOTE = {"text": "Dues go up to 120", "votes_for": 1, "votes_against": 0, "abstaining": 0}


@pytest.fixture
def assembly(world):
    def make(kind="general_assembly", held_on=date(2026, 1, 10), title="General assembly", group_ids=()):
        data = meetings.MeetingInput(kind=kind, title=title, held_on=held_on, group_ids=tuple(group_ids))
        return meetings.call_meeting(world.org_a, data, actor=world.admin_a)

    return make


def _present(client, meeting, people):
    return client.post(
        f"/api/v1/meetings/{meeting.pk}/attendance",
        {"member_ids": [m.pk for m in people]},
        content_type="application/json",
    )


def _resolve(client, meeting, **changes):
    return client.post(
        f"/api/v1/meetings/{meeting.pk}/resolutions", {**VOTE, **changes}, content_type="application/json"
    )


def test_quorum_is_reached_exactly_at_the_share(world, login, member_of, set_rules, assembly):
    set_rules(dues_amount=Decimal("0"), quorum_kind="share", quorum_percent=Decimal("50"))
    people = [member_of() for _ in range(4)]  # 50 % of 4 in good standing: 2 needed
    meeting, client = assembly(), login(world.organizer_a)
    quorum = _present(client, meeting, people[:2]).json()["quorum"]
    assert (quorum["required"], quorum["present"], quorum["reached"]) == (2, 2, True)
    assert _resolve(client, meeting).status_code == 201


def test_rejects_a_resolution_one_below_the_quorum(world, login, member_of, set_rules, assembly):
    set_rules(dues_amount=Decimal("0"), quorum_kind="share", quorum_percent=Decimal("50"))
    people = [member_of() for _ in range(4)]
    meeting, client = assembly(), login(world.organizer_a)
    assert _present(client, meeting, people[:1]).json()["quorum"]["reached"] is False
    response = _resolve(client, meeting)
    assert response.status_code == 422
    assert response.json()["code"] == "no_quorum"
    assert "1 of 2" in response.json()["detail"]
    assert not Resolution.objects.exists()


def test_a_share_of_an_odd_number_is_rounded_up(world, login, member_of, set_rules, assembly):
    set_rules(dues_amount=Decimal("0"), quorum_kind="share", quorum_percent=Decimal("50"))
    people = [member_of() for _ in range(5)]  # 2.5 -> 3
    meeting, client = assembly(), login(world.organizer_a)
    quorum = _present(client, meeting, people[:2]).json()["quorum"]
    assert (quorum["required"], quorum["reached"]) == (3, False)


def test_a_fixed_quorum_is_reached_at_its_number_and_not_one_below(
    world, login, member_of, set_rules, assembly
):
    set_rules(dues_amount=Decimal("0"), quorum_kind="number", quorum_number=3, quorum_percent=None)
    people = [member_of() for _ in range(5)]
    meeting, client = assembly(), login(world.organizer_a)
    assert _present(client, meeting, people[:2]).json()["quorum"]["reached"] is False
    assert _present(client, meeting, people[2:3]).json()["quorum"]["reached"] is True


def test_a_member_in_arrears_does_not_count_towards_the_quorum(
    world, login, member_of, pay, set_rules, assembly
):
    set_rules(quorum_kind="number", quorum_number=2, quorum_percent=None, grace_days=0)
    paid, late = member_of(), member_of()
    pay(paid, "2026-01")
    meeting, client = assembly(), login(world.organizer_a)
    quorum = _present(client, meeting, [paid, late]).json()["quorum"]
    assert (quorum["present"], quorum["reached"]) == (1, False)


def test_rejects_more_votes_than_members_present(world, login, member_of, set_rules, assembly):
    set_rules(dues_amount=Decimal("0"), quorum_kind="number", quorum_number=1, quorum_percent=None)
    people = [member_of() for _ in range(2)]
    meeting, client = assembly(), login(world.organizer_a)
    _present(client, meeting, people)
    response = _resolve(client, meeting, votes_for=2, votes_against=1)
    assert response.status_code == 422
    assert response.json()["code"] == "too_many_votes"
    assert not Resolution.objects.exists()


def test_rejects_a_resolution_of_an_assembly_without_rules(world, login, member_of, assembly):
    meeting, client = assembly(), login(world.organizer_a)
    _present(client, meeting, [member_of()])
    response = _resolve(client, meeting)
    assert response.status_code == 422
    assert response.json()["code"] == "no_rules"


def test_an_executive_meeting_has_no_quorum_rule(world, login, member_of, assembly):
    meeting, client = assembly(kind="executive"), login(world.organizer_a)
    _present(client, meeting, [member_of()])
    assert _resolve(client, meeting).status_code == 201
    assert Resolution.objects.get().passed is True


def test_attendance_by_the_number_on_her_card(world, login, member_of, assembly):
    member = member_of()
    meeting = assembly(kind="executive")
    response = login(world.organizer_a).post(
        f"/orgs/union-a/meetings/{meeting.pk}/attendance/", {"action": "card", "number": member.number}
    )
    assert response.status_code == 302
    assert Attendance.objects.get().method == "card"


def test_rejects_a_card_of_a_member_not_invited(world, login, member_of, assembly):
    member_of(group="Kibera")
    outsider = member_of(group="Mathare")
    kibera = outsider.group.__class__.objects.get(name="Kibera")
    meeting = assembly(kind="group", group_ids=[kibera.pk])
    response = login(world.organizer_a).post(
        f"/orgs/union-a/meetings/{meeting.pk}/attendance/", {"action": "card", "number": outsider.number}
    )
    assert response.status_code == 422
    assert b"No member invited to this meeting has this member number." in response.content
    assert not Attendance.objects.exists()


def test_the_ticked_list_is_the_attendance(world, login, member_of, assembly):
    first, second = member_of(name="Mary Atieno"), member_of()
    meeting, client = assembly(kind="executive"), login(world.organizer_a)
    page = client.get(f"/orgs/union-a/meetings/{meeting.pk}/attendance/")
    assert b"Mary Atieno" in page.content
    client.post(
        f"/orgs/union-a/meetings/{meeting.pk}/attendance/",
        {"action": "list", "present": [first.pk, second.pk]},
    )
    client.post(
        f"/orgs/union-a/meetings/{meeting.pk}/attendance/", {"action": "list", "present": [second.pk]}
    )
    assert list(Attendance.objects.values_list("member_id", flat=True)) == [second.pk]


def test_minutes_are_frozen_then_approved_at_the_next_meeting(world, login, assembly):
    first, client = assembly(kind="executive"), login(world.organizer_a)
    client.put(
        f"/api/v1/meetings/{first.pk}/minutes", {"minutes": "We met."}, content_type="application/json"
    )
    assert client.post(f"/api/v1/meetings/{first.pk}/minutes/versions").json()["number"] == 1
    following = assembly(kind="executive", held_on=date(2026, 2, 10), title="February")
    response = client.post(
        f"/api/v1/meetings/{first.pk}/minutes/versions/1/approve",
        {"meeting_id": following.pk},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert MinutesVersion.objects.get().approved_at_meeting_id == following.pk


def test_approved_minutes_cannot_change(world, login, assembly):
    first, client = assembly(kind="executive"), login(world.organizer_a)
    meetings.save_minutes(first, text="We met.", actor=world.admin_a)
    version = meetings.freeze_minutes(first, actor=world.admin_a)
    meetings.approve_minutes(
        version, at_meeting=assembly(kind="executive", held_on=date(2026, 2, 1)), actor=world.admin_a
    )
    response = client.put(
        f"/api/v1/meetings/{first.pk}/minutes", {"minutes": "Rewritten"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["code"] == "minutes_approved"
    first.refresh_from_db()
    assert first.minutes == "We met."


def test_rejects_approval_at_an_earlier_meeting(world, login, assembly):
    first = assembly(kind="executive", held_on=date(2026, 3, 1))
    earlier = assembly(kind="executive", held_on=date(2026, 2, 1), title="Earlier")
    meetings.save_minutes(first, text="We met.", actor=world.admin_a)
    meetings.freeze_minutes(first, actor=world.admin_a)
    response = login(world.organizer_a).post(
        f"/api/v1/meetings/{first.pk}/minutes/versions/1/approve",
        {"meeting_id": earlier.pk},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["code"] == "not_later"
    assert MinutesVersion.objects.get().approved_at_meeting is None


def test_only_the_latest_version_can_be_approved(world, login, assembly):
    first = assembly(kind="executive")
    meetings.save_minutes(first, text="We met.", actor=world.admin_a)
    meetings.freeze_minutes(first, actor=world.admin_a)
    meetings.save_minutes(first, text="We met and decided.", actor=world.admin_a)
    meetings.freeze_minutes(first, actor=world.admin_a)
    later = assembly(kind="executive", held_on=date(2026, 2, 1), title="Later")
    response = login(world.organizer_a).post(
        f"/api/v1/meetings/{first.pk}/minutes/versions/1/approve",
        {"meeting_id": later.pk},
        content_type="application/json",
    )
    assert response.json()["code"] == "not_latest"
    assert not MinutesVersion.objects.filter(approved_at_meeting__isnull=False).exists()


def test_a_frozen_version_keeps_what_it_froze(world, login, assembly):
    first, client = assembly(kind="executive"), login(world.organizer_a)
    meetings.save_minutes(first, text="We met.", actor=world.admin_a)
    meetings.freeze_minutes(first, actor=world.admin_a)
    meetings.save_minutes(first, text="Changed later.", actor=world.admin_a)
    assert (
        client.get(f"/api/v1/meetings/{first.pk}/minutes/versions/1").json()["content"]["minutes"]
        == "We met."
    )


def test_rejects_freezing_empty_minutes(world, login, assembly):
    first = assembly(kind="executive")
    response = login(world.organizer_a).post(f"/api/v1/meetings/{first.pk}/minutes/versions")
    assert response.json()["code"] == "no_minutes"
    assert not MinutesVersion.objects.exists()


def test_the_minutes_print_as_pdf(world, login, assembly):
    first = assembly(kind="executive")
    meetings.save_minutes(first, text="Wanjiru opened the meeting.", actor=world.admin_a)
    meetings.freeze_minutes(first, actor=world.admin_a)
    response = login(world.organizer_a).get(f"/orgs/union-a/meetings/{first.pk}/minutes/1.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_an_action_item_shows_on_the_home_page_until_done(world, login, member_of, assembly):
    owner, meeting, client = member_of(), assembly(kind="executive"), login(world.organizer_a)
    client.post(
        f"/api/v1/meetings/{meeting.pk}/action-items",
        {"text": "Visit the buyer in Thika", "owner_id": owner.pk, "deadline": "2026-02-01"},
        content_type="application/json",
    )
    assert b"Visit the buyer in Thika" in client.get("/").content
    client.post(f"/api/v1/action-items/{ActionItem.objects.get().pk}/done")
    assert b"Visit the buyer in Thika" not in client.get("/").content


def test_rejects_an_action_item_owned_by_another_organizations_member(world, login, member_of, assembly):
    stranger, meeting = member_of(organization=world.org_b), assembly(kind="executive")
    response = login(world.organizer_a).post(
        f"/api/v1/meetings/{meeting.pk}/action-items",
        {"text": "x", "owner_id": stranger.pk, "deadline": "2026-02-01"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not ActionItem.objects.exists()


def test_the_meeting_page_says_why_a_resolution_was_refused(world, login, member_of, set_rules, assembly):
    set_rules(dues_amount=Decimal("0"), quorum_kind="number", quorum_number=2, quorum_percent=None)
    member_of()
    meeting, client = assembly(), login(world.organizer_a)
    response = client.post(
        f"/orgs/union-a/meetings/{meeting.pk}/",
        {"action": "resolution", **VOTE, "votes_for": "0"},
        follow=True,
    )
    assert b"The quorum is not reached" in response.content
    assert not Resolution.objects.exists()


def test_rejects_the_whole_attendance_when_one_card_number_is_not_invited(world, login, member_of, assembly):
    member = member_of()
    meeting = assembly(kind="executive")
    response = login(world.organizer_a).post(
        f"/api/v1/meetings/{meeting.pk}/attendance",
        {"member_numbers": [member.number, 999]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "member_numbers.1"
    assert not Attendance.objects.exists()
