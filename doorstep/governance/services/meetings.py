"""Meetings: called with an agenda and the groups invited; attendance ticked on a list or taken from
the member number on her card; resolutions (refused when a general assembly has not reached its
quorum); action items with an owner and a deadline; the minutes, frozen as numbered versions and
approved at a later meeting."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core import audit, tenancy
from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.roles import STAFF_ROLES
from doorstep.members.models import Member, MemberGroup

from .. import queries
from ..models import (
    ActionItem,
    Attendance,
    AttendanceMethod,
    Meeting,
    MeetingKind,
    MinutesVersion,
    Resolution,
)


@dataclass(frozen=True)
class MeetingInput:
    kind: str
    title: str
    held_on: date
    place: str = ""
    agenda: str = ""
    group_ids: tuple[int, ...] = ()


def call_meeting(organization, data: MeetingInput, *, actor) -> Meeting:
    tenancy.require_role(actor, organization, STAFF_ROLES)
    errors: list[FieldError] = []
    if data.kind not in MeetingKind.values:
        errors.append(
            FieldError("kind", _("Choose a general assembly, an executive or a local group meeting."))
        )
    title = " ".join(str(data.title or "").split())[:200]
    if not title:
        errors.append(FieldError("title", _("Give the meeting a title.")))
    if data.held_on is None:
        errors.append(FieldError("held_on", _("Give the meeting's date.")))
    groups = list(MemberGroup.objects.filter(organization_id=organization.pk, pk__in=list(data.group_ids)))
    if len(groups) != len(set(data.group_ids)):
        errors.append(FieldError("group_ids", _("One of the groups is not a group of this organization.")))
    if data.kind == MeetingKind.GROUP and not data.group_ids:
        errors.append(FieldError("group_ids", _("Say which group meets.")))
    if errors:
        raise ValidationError(message=_("The meeting could not be called."), errors=errors)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            organization_id=organization.pk,
            kind=data.kind,
            title=title,
            held_on=data.held_on,
            place=str(data.place or "").strip()[:200],
            agenda=str(data.agenda or "").strip()[:20000],
            called_by=actor,
        )
        meeting.groups.set(groups)
        audit.record(
            "governance.meeting_called",
            actor=actor,
            organization=organization,
            obj=meeting,
            metadata={"kind": data.kind},
        )
    return meeting


def _check_open(meeting: Meeting) -> None:
    if MinutesVersion.objects.filter(meeting=meeting, approved_at_meeting__isnull=False).exists():
        raise ValidationError.for_field(
            "meeting",
            _("The minutes of this meeting are approved: its record is closed."),
            code="minutes_approved",
        )


def mark_present(meeting: Meeting, *, member_ids: list[int], method: str, actor) -> int:
    """Record these invited members as present (those already present stay so); the number added."""
    tenancy.require_role(actor, meeting.organization_id, STAFF_ROLES)
    if method not in AttendanceMethod.values:
        raise ValidationError.for_field("method", _("Choose the list or the member card."))
    invited = set(queries.invitees(meeting).filter(pk__in=member_ids).values_list("pk", flat=True))
    strangers = [i for i in member_ids if i not in invited]
    if strangers:
        raise ValidationError.for_field(
            "member_ids", _("Some of these are not members invited to this meeting."), code="not_invited"
        )
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _check_open(meeting)
        already = queries.present_ids(meeting)
        added = [
            Attendance(
                organization_id=meeting.organization_id,
                meeting=meeting,
                member_id=i,
                method=method,
                recorded_by=actor,
            )
            for i in sorted(invited - already)
        ]
        Attendance.objects.bulk_create(added)
        if added:
            audit.record(
                "governance.attendance_recorded",
                actor=actor,
                organization=meeting.organization_id,
                obj=meeting,
                metadata={"member_ids": [a.member_id for a in added], "method": method},
            )
    return len(added)


def set_attendance(meeting: Meeting, *, member_ids: list[int], actor) -> None:
    """The ticked list as it now stands: those ticked are present, those unticked are not."""
    tenancy.require_role(actor, meeting.organization_id, STAFF_ROLES)
    with transaction.atomic():
        mark_present(meeting, member_ids=member_ids, method=AttendanceMethod.LIST, actor=actor)
        gone = Attendance.objects.filter(meeting=meeting).exclude(member_id__in=member_ids)
        removed = list(gone.values_list("member_id", flat=True))
        if removed:
            gone.delete()
            audit.record(
                "governance.attendance_removed",
                actor=actor,
                organization=meeting.organization_id,
                obj=meeting,
                metadata={"member_ids": removed},
            )


def mark_present_by_card(meeting: Meeting, *, number: int, actor) -> Member:
    """The member whose card shows this member number is present."""
    tenancy.require_role(actor, meeting.organization_id, STAFF_ROLES)
    member = queries.invitees(meeting).filter(number=number).first()
    if member is None:
        raise ValidationError.for_field(
            "number", _("No member invited to this meeting has this member number."), code="not_invited"
        )
    mark_present(meeting, member_ids=[member.pk], method=AttendanceMethod.CARD, actor=actor)
    return member


def record_attendance(meeting: Meeting, *, member_ids=(), member_numbers=(), method: str, actor) -> None:
    """Members present, by id (ticked, or ``method``) and by the numbers on their cards: all of them or,
    when one is not invited, none (the error names which)."""
    tenancy.require_role(actor, meeting.organization_id, STAFF_ROLES)
    invited = dict(
        queries.invitees(meeting).filter(number__in=list(member_numbers)).values_list("number", "pk")
    )
    errors = [
        FieldError(f"member_numbers.{index}", _("No member invited to this meeting has this member number."))
        for index, number in enumerate(member_numbers)
        if number not in invited
    ]
    if errors:
        raise ValidationError(message=_("No attendance was recorded."), code="not_invited", errors=errors)
    with transaction.atomic():
        if member_numbers:
            card_ids = [invited[n] for n in member_numbers]
            mark_present(meeting, member_ids=card_ids, method=AttendanceMethod.CARD, actor=actor)
        if member_ids:
            mark_present(meeting, member_ids=list(member_ids), method=method, actor=actor)


@dataclass(frozen=True)
class ResolutionInput:
    text: str
    votes_for: int
    votes_against: int
    abstaining: int


def add_resolution(meeting: Meeting, data: ResolutionInput, *, actor) -> Resolution:
    """A resolution with its votes. Refused when a general assembly has not reached its quorum, and
    when more votes are counted than members are present."""
    tenancy.require_role(actor, meeting.organization_id, STAFF_ROLES)
    errors: list[FieldError] = []
    text = str(data.text or "").strip()[:5000]
    if not text:
        errors.append(FieldError("text", _("Write the resolution put to the vote.")))
    for name in ("votes_for", "votes_against", "abstaining"):
        value = getattr(data, name)
        if not isinstance(value, int) or value < 0:
            errors.append(FieldError(name, _("Give a number of votes, 0 or more.")))
    if errors:
        raise ValidationError(message=_("The resolution could not be recorded."), errors=errors)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _check_open(meeting)
        found = queries.quorum(meeting)
        if found.reason == "no_rules":
            raise ValidationError.for_field(
                "meeting",
                _("Record the constitution's quorum first: a general assembly decides only with its quorum."),
                code="no_rules",
            )
        if not found.reached:
            raise ValidationError.for_field(
                "meeting",
                _(
                    "The quorum is not reached (%(present)s of %(required)s members present): "
                    "no resolution can pass."
                )
                % {"present": found.present, "required": found.required},
                code="no_quorum",
            )
        present = len(queries.present_ids(meeting))
        total = data.votes_for + data.votes_against + data.abstaining
        if total > present:
            raise ValidationError.for_field(
                "votes_for",
                _("%(total)s votes counted but only %(present)s members are present.")
                % {"total": total, "present": present},
                code="too_many_votes",
            )
        resolution = Resolution.objects.create(
            organization_id=meeting.organization_id,
            meeting=meeting,
            text=text,
            votes_for=data.votes_for,
            votes_against=data.votes_against,
            abstaining=data.abstaining,
            recorded_by=actor,
        )
        audit.record(
            "governance.resolution_recorded",
            actor=actor,
            organization=meeting.organization_id,
            obj=resolution,
            metadata={"meeting_id": meeting.pk, "passed": resolution.passed},
        )
    return resolution


@dataclass(frozen=True)
class ActionItemInput:
    text: str
    owner_id: int
    deadline: date


def add_action_item(meeting: Meeting, data: ActionItemInput, *, actor) -> ActionItem:
    tenancy.require_role(actor, meeting.organization_id, STAFF_ROLES)
    errors: list[FieldError] = []
    text = " ".join(str(data.text or "").split())[:500]
    if not text:
        errors.append(FieldError("text", _("Say what is to be done.")))
    owner = Member.objects.filter(
        organization_id=meeting.organization_id, pk=data.owner_id, merged_into__isnull=True
    ).first()
    if owner is None:
        errors.append(FieldError("owner_id", _("No such member in this organization.")))
    if data.deadline is None:
        errors.append(FieldError("deadline", _("Give a deadline.")))
    elif data.deadline < meeting.held_on:
        errors.append(FieldError("deadline", _("The deadline cannot be before the meeting.")))
    if errors:
        raise ValidationError(message=_("The action item could not be added."), errors=errors)
    with transaction.atomic():
        _check_open(meeting)
        item = ActionItem.objects.create(
            organization_id=meeting.organization_id,
            meeting=meeting,
            text=text,
            owner=owner,
            deadline=data.deadline,
        )
        audit.record(
            "governance.action_item_added",
            actor=actor,
            organization=meeting.organization_id,
            obj=item,
            metadata={"meeting_id": meeting.pk},
        )
    return item


def complete_action_item(item: ActionItem, *, actor) -> ActionItem:
    tenancy.require_role(actor, item.organization_id, STAFF_ROLES)
    with transaction.atomic():
        item = ActionItem.objects.select_for_update().get(pk=item.pk)
        if item.done_on is None:
            item.done_on = timezone.localdate()
            item.save(update_fields=["done_on"])
            audit.record(
                "governance.action_item_done", actor=actor, organization=item.organization_id, obj=item
            )
    return item


def save_minutes(meeting: Meeting, *, text: str, actor) -> Meeting:
    tenancy.require_role(actor, meeting.organization_id, STAFF_ROLES)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _check_open(meeting)
        meeting.minutes = str(text or "").strip()[:100000]
        meeting.save(update_fields=["minutes"])
        audit.record(
            "governance.minutes_saved", actor=actor, organization=meeting.organization_id, obj=meeting
        )
    return meeting


def minutes_content(meeting: Meeting) -> dict:
    """The record of the meeting as frozen in a version: no names, members by number."""
    found = queries.quorum(meeting)
    return {
        "title": meeting.title,
        "kind": meeting.kind,
        "held_on": meeting.held_on.isoformat(),
        "place": meeting.place,
        "agenda": meeting.agenda,
        "minutes": meeting.minutes,
        "present": len(queries.present_ids(meeting)),
        "invited": queries.invitees(meeting).count(),
        "quorum": {
            "applies": found.applies,
            "required": found.required,
            "counted": found.present,
            "reached": found.reached,
        },
        "resolutions": [
            {
                "text": r.text,
                "for": r.votes_for,
                "against": r.votes_against,
                "abstaining": r.abstaining,
                "passed": r.passed,
            }
            for r in meeting.resolutions.all()
        ],
        "action_items": [
            {"text": a.text, "owner_number": a.owner.number, "deadline": a.deadline.isoformat()}
            for a in meeting.action_items.select_related("owner")
        ],
    }


def freeze_minutes(meeting: Meeting, *, actor) -> MinutesVersion:
    """Freeze the minutes as they stand as the next numbered version."""
    tenancy.require_role(actor, meeting.organization_id, STAFF_ROLES)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _check_open(meeting)
        if not meeting.minutes.strip():
            raise ValidationError.for_field(
                "minutes", _("Write the minutes before freezing them."), code="no_minutes"
            )
        last = queries.last_minutes_version(meeting)
        content = minutes_content(meeting)
        if last is not None and last.content == content:
            raise ValidationError.for_field(
                "minutes", _("Nothing changed since version %(n)s.") % {"n": last.number}, code="unchanged"
            )
        version = MinutesVersion.objects.create(
            organization_id=meeting.organization_id,
            meeting=meeting,
            number=(last.number if last else 0) + 1,
            content=content,
            frozen_by=actor,
        )
        audit.record(
            "governance.minutes_frozen",
            actor=actor,
            organization=meeting.organization_id,
            obj=version,
            metadata={"meeting_id": meeting.pk, "number": version.number},
        )
    return version


def approve_minutes(version: MinutesVersion, *, at_meeting: Meeting, actor) -> MinutesVersion:
    """The minutes (their latest version) approved at a later meeting of the same organization."""
    tenancy.require_role(actor, version.organization_id, STAFF_ROLES)
    with transaction.atomic():
        version = MinutesVersion.objects.select_for_update().select_related("meeting").get(pk=version.pk)
        if at_meeting.organization_id != version.organization_id:
            raise ValidationError.for_field("meeting_id", _("No such meeting in this organization."))
        if version.approved_at_meeting_id is not None:
            raise ValidationError.for_field(
                "number", _("These minutes are already approved."), code="already_approved"
            )
        if at_meeting.held_on <= version.meeting.held_on:
            raise ValidationError.for_field(
                "meeting_id",
                _("Minutes are approved at a later meeting than the one they record."),
                code="not_later",
            )
        last = queries.last_minutes_version(version.meeting)
        if last.pk != version.pk:
            raise ValidationError.for_field(
                "number",
                _("Only the latest version (%(n)s) can be approved.") % {"n": last.number},
                code="not_latest",
            )
        version.approved_at_meeting = at_meeting
        version.save(update_fields=["approved_at_meeting"])
        audit.record(
            "governance.minutes_approved",
            actor=actor,
            organization=version.organization_id,
            obj=version,
            metadata={"meeting_id": version.meeting_id, "at_meeting_id": at_meeting.pk},
        )
    return version
