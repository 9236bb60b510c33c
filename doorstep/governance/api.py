"""API of governance: the constitution's rules, positions and terms of office, dues standing, the
arrears list, dues totals and receipts, meetings with attendance, resolutions, action items and
minutes. Another organization's ids answer 404."""

from datetime import date

from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from doorstep.core.errors import ValidationError
from doorstep.core.pagination import decode_cursor, encode_cursor
from doorstep.core.schemas import ErrorOut
from doorstep.members import queries as members
from doorstep.organizations.queries import organization_for_staff

from . import queries
from .schemas import (
    ActionItemIn,
    ActionItemOut,
    AnnualReportIn,
    AnnualReportOut,
    AnnualReportTextIn,
    AnnualReportVersionOut,
    ApproveIn,
    ArrearsRowOut,
    DuesTotalOut,
    MeetingAttendanceIn,
    MeetingIn,
    MeetingOut,
    MinutesIn,
    MinutesVersionOut,
    PositionIn,
    PositionOut,
    ReceiptOut,
    ResolutionIn,
    ResolutionOut,
    RulesIn,
    RulesOut,
    StandingOut,
    TermEndIn,
    TermIn,
    TermOut,
)
from .services import meetings as meeting_services
from .services import offices, receipts
from .services import reports as report_services
from .services import rules as rules_services

router = Router(tags=["governance"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class GovernancePage(Schema):
    limit: int = 50
    cursor: str | None = None


def _page(rows: list, key, limit: int, cursor: str | None) -> tuple[list, str | None]:
    """A cursor page of rows computed in Python (ordered by ``key``, a row's id)."""
    limit = max(1, min(limit, 500))
    if cursor:
        after = decode_cursor(cursor)
        rows = [r for r in rows if key(r) > after]
    rows = sorted(rows, key=key)
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (encode_cursor(key(rows[-1])) if more else None)


# Rules and offices ---------------------------------------------------------------------------------


@router.get("/organizations/{organization_id}/constitution", response={200: RulesOut, **ERRORS})
def get_rules(request, organization_id: int):
    """The organization's rules; 404 when none are recorded yet."""
    organization = organization_for_staff(request.auth, organization_id)
    found = queries.rules_of(request.auth, organization)
    if found is None:
        raise Http404
    return found


@router.put("/organizations/{organization_id}/constitution", response={200: RulesOut, **ERRORS})
def put_rules(request, organization_id: int, payload: RulesIn):
    """Record or change the rules (organization admins; audited with the values before and after)."""
    organization = organization_for_staff(request.auth, organization_id)
    return rules_services.save_rules(
        organization, rules_services.RulesInput(**payload.dict()), actor=request.auth
    )


@router.get("/organizations/{organization_id}/positions", response={200: list[PositionOut], **ERRORS})
def list_positions(request, organization_id: int):
    organization = organization_for_staff(request.auth, organization_id)
    return list(queries.positions_of(request.auth, organization))


@router.post("/organizations/{organization_id}/positions", response={201: PositionOut, **ERRORS})
def add_position(request, organization_id: int, payload: PositionIn):
    organization = organization_for_staff(request.auth, organization_id)
    return Status(
        201,
        rules_services.add_position(
            organization, rules_services.PositionInput(**payload.dict()), actor=request.auth
        ),
    )


@router.get("/organizations/{organization_id}/office-terms", response={200: list[TermOut], **ERRORS})
def list_terms(request, organization_id: int, current: bool = False):
    """Every term of office (the history), or with ``current=true`` those running today."""
    organization = organization_for_staff(request.auth, organization_id)
    return list(
        queries.terms_of(request.auth, organization, current_on=timezone.localdate() if current else None)
    )


@router.post("/organizations/{organization_id}/office-terms", response={201: TermOut, **ERRORS})
def start_term(request, organization_id: int, payload: TermIn):
    organization = organization_for_staff(request.auth, organization_id)
    position = queries.get_position(request.auth, payload.position_id, organization)
    data = payload.dict()
    data.pop("position_id")
    return Status(201, offices.start_term(position, offices.TermInput(**data), actor=request.auth))


@router.post("/office-terms/{term_id}/end", response={200: TermOut, **ERRORS})
def end_term(request, term_id: int, payload: TermEndIn):
    term = queries.get_term(request.auth, term_id)
    return offices.end_term(term, ends_on=payload.ends_on, actor=request.auth)


# Dues ------------------------------------------------------------------------------------------------


@router.get("/members/{member_id}/standing", response={200: StandingOut, **ERRORS})
def member_standing(request, member_id: int, on: date | None = None):
    """Her dues standing on ``on`` (today by default)."""
    member = members.get_member(request.auth, member_id)
    on = on or timezone.localdate()
    found = queries.standing(member, on)
    return {
        "member_id": member.pk,
        "on": on,
        "status": found.status,
        "in_good_standing": found.in_good_standing,
        "may_vote": queries.may_vote(member, on),
        "unpaid_periods": found.unpaid_periods,
        "owed": format(found.owed, "f"),
        "currency": found.currency,
        "grace_ends_on": found.grace_ends_on,
    }


class ArrearsPage(Schema):
    items: list[ArrearsRowOut]
    next: str | None


@router.get("/organizations/{organization_id}/arrears", response={200: ArrearsPage, **ERRORS})
def arrears(
    request,
    organization_id: int,
    page: Query[GovernancePage],
    on: date | None = None,
    group_id: int | None = None,
):
    """Members in arrears on ``on`` (today by default), of one group if asked; by member id."""
    organization = organization_for_staff(request.auth, organization_id)
    rows = queries.arrears(request.auth, organization, on or timezone.localdate(), group_id=group_id)
    rows, next_cursor = _page(rows, lambda row: row[0].pk, page.limit, page.cursor)
    return {
        "items": [
            {
                "member_id": m.pk,
                "number": m.number,
                "group": m.group.name if m.group else "",
                "unpaid_periods": s.unpaid_periods,
                "owed": format(s.owed, "f"),
                "currency": s.currency,
            }
            for m, s in rows
        ],
        "next": next_cursor,
    }


@router.get("/organizations/{organization_id}/dues-totals", response={200: list[DuesTotalOut], **ERRORS})
def dues_totals(request, organization_id: int, year: int | None = None):
    """Dues collected by month of payment, group and currency in ``year`` (this year by default)."""
    organization = organization_for_staff(request.auth, organization_id)
    year = year or timezone.localdate().year
    if not 1900 <= year <= 2200:
        raise ValidationError.for_field("query.year", "Give a year such as 2026.")
    return [
        {
            "month": t.month.strftime("%Y-%m"),
            "group": t.group,
            "currency": t.currency,
            "amount": format(t.amount, "f"),
            "payments": t.payments,
        }
        for t in queries.dues_totals(request.auth, organization, year=year)
    ]


@router.post("/dues-payments/{payment_id}/receipt", response={201: ReceiptOut, **ERRORS})
def issue_receipt(request, payment_id: int):
    """The payment's numbered receipt (issued now, or the one issued before)."""
    payment = queries.get_payment(request.auth, payment_id)
    found = receipts.issue_receipt(payment, actor=request.auth)
    return Status(
        201,
        {
            "number": found.number,
            "payment_id": payment.pk,
            "amount": format(payment.amount, "f"),
            "currency": payment.currency,
            "period": payment.period,
            "paid_on": payment.paid_on,
            "issued_at": found.issued_at,
        },
    )


# Meetings --------------------------------------------------------------------------------------------


def _meeting_out(meeting) -> dict:
    found = queries.quorum(meeting)
    return {
        "id": meeting.pk,
        "organization_id": meeting.organization_id,
        "kind": meeting.kind,
        "title": meeting.title,
        "held_on": meeting.held_on,
        "place": meeting.place,
        "agenda": meeting.agenda,
        "group_ids": [g.pk for g in meeting.groups.all()],
        "minutes": meeting.minutes,
        "present": len(queries.present_ids(meeting)),
        "invited": queries.invitees(meeting).count(),
        "quorum": {
            "applies": found.applies,
            "required": found.required,
            "present": found.present,
            "reached": found.reached,
            "reason": found.reason,
        },
        "resolutions": list(meeting.resolutions.all()),
        "action_items": list(meeting.action_items.all()),
        "versions": [v.number for v in queries.minutes_versions(meeting)],
    }


class MeetingPage(Schema):
    items: list[MeetingOut]
    next: str | None


@router.get("/meetings", response={200: MeetingPage, **ERRORS})
def list_meetings(request, organization_id: int, page: Query[GovernancePage]):
    organization = organization_for_staff(request.auth, organization_id)
    rows, next_cursor = _page(
        list(queries.meetings_of(request.auth, organization)), lambda m: m.pk, page.limit, page.cursor
    )
    return {"items": [_meeting_out(m) for m in rows], "next": next_cursor}


@router.post("/meetings", response={201: MeetingOut, **ERRORS})
def call_meeting(request, payload: MeetingIn):
    organization = organization_for_staff(request.auth, payload.organization_id)
    data = payload.dict()
    data.pop("organization_id")
    data["group_ids"] = tuple(data["group_ids"])
    meeting = meeting_services.call_meeting(
        organization, meeting_services.MeetingInput(**data), actor=request.auth
    )
    return Status(201, _meeting_out(meeting))


@router.get("/meetings/{meeting_id}", response={200: MeetingOut, **ERRORS})
def get_meeting(request, meeting_id: int):
    return _meeting_out(queries.get_meeting(request.auth, meeting_id))


@router.post("/meetings/{meeting_id}/attendance", response={200: MeetingOut, **ERRORS})
def record_attendance(request, meeting_id: int, payload: MeetingAttendanceIn):
    """Mark members present by id or by the number on their card; answers the meeting with its quorum."""
    meeting = queries.get_meeting(request.auth, meeting_id)
    meeting_services.record_attendance(
        meeting,
        member_ids=payload.member_ids,
        member_numbers=payload.member_numbers,
        method=payload.method,
        actor=request.auth,
    )
    return _meeting_out(meeting)


@router.post("/meetings/{meeting_id}/resolutions", response={201: ResolutionOut, **ERRORS})
def add_resolution(request, meeting_id: int, payload: ResolutionIn):
    """A resolution with its votes; 422 ``no_quorum`` when a general assembly lacks its quorum."""
    meeting = queries.get_meeting(request.auth, meeting_id)
    return Status(
        201,
        meeting_services.add_resolution(
            meeting, meeting_services.ResolutionInput(**payload.dict()), actor=request.auth
        ),
    )


@router.post("/meetings/{meeting_id}/action-items", response={201: ActionItemOut, **ERRORS})
def add_action_item(request, meeting_id: int, payload: ActionItemIn):
    meeting = queries.get_meeting(request.auth, meeting_id)
    return Status(
        201,
        meeting_services.add_action_item(
            meeting, meeting_services.ActionItemInput(**payload.dict()), actor=request.auth
        ),
    )


@router.post("/action-items/{item_id}/done", response={200: ActionItemOut, **ERRORS})
def action_item_done(request, item_id: int):
    return meeting_services.complete_action_item(
        queries.get_action_item(request.auth, item_id), actor=request.auth
    )


@router.put("/meetings/{meeting_id}/minutes", response={200: MeetingOut, **ERRORS})
def save_minutes(request, meeting_id: int, payload: MinutesIn):
    meeting = queries.get_meeting(request.auth, meeting_id)
    return _meeting_out(meeting_services.save_minutes(meeting, text=payload.minutes, actor=request.auth))


@router.post("/meetings/{meeting_id}/minutes/versions", response={201: MinutesVersionOut, **ERRORS})
def freeze_minutes(request, meeting_id: int):
    meeting = queries.get_meeting(request.auth, meeting_id)
    return Status(201, meeting_services.freeze_minutes(meeting, actor=request.auth))


@router.get("/meetings/{meeting_id}/minutes/versions/{number}", response={200: MinutesVersionOut, **ERRORS})
def get_version(request, meeting_id: int, number: int):
    return queries.get_minutes_version(queries.get_meeting(request.auth, meeting_id), number)


@router.post(
    "/meetings/{meeting_id}/minutes/versions/{number}/approve", response={200: MinutesVersionOut, **ERRORS}
)
def approve_minutes(request, meeting_id: int, number: int, payload: ApproveIn):
    """Approve the minutes (their latest version) at a later meeting of the organization."""
    meeting = queries.get_meeting(request.auth, meeting_id)
    version = queries.get_minutes_version(meeting, number)
    at_meeting = queries.get_meeting(request.auth, payload.meeting_id, meeting.organization_id)
    return meeting_services.approve_minutes(version, at_meeting=at_meeting, actor=request.auth)


# The annual report ----------------------------------------------------------------------------------


def _report_out(report, user) -> dict:
    return {
        "id": report.pk,
        "organization_id": report.organization_id,
        "year": report.year,
        "text": report.text,
        "versions": [v.number for v in queries.annual_report_versions(report)],
        "figures": queries.annual_figures(user, report.organization_id, report.year),
    }


@router.get("/annual-reports", response={200: list[AnnualReportOut], **ERRORS})
def list_annual_reports(request, organization_id: int):
    organization = organization_for_staff(request.auth, organization_id)
    return [_report_out(r, request.auth) for r in queries.annual_reports_of(request.auth, organization)]


@router.post("/annual-reports", response={201: AnnualReportOut, **ERRORS})
def start_annual_report(request, payload: AnnualReportIn):
    organization = organization_for_staff(request.auth, payload.organization_id)
    report = report_services.start_report(organization, year=payload.year, actor=request.auth)
    return Status(201, _report_out(report, request.auth))


@router.get("/annual-reports/{report_id}", response={200: AnnualReportOut, **ERRORS})
def get_annual_report(request, report_id: int):
    """The report's words and the year's figures as the records stand today."""
    return _report_out(queries.get_annual_report(request.auth, report_id), request.auth)


@router.put("/annual-reports/{report_id}", response={200: AnnualReportOut, **ERRORS})
def save_annual_report(request, report_id: int, payload: AnnualReportTextIn):
    report = queries.get_annual_report(request.auth, report_id)
    return _report_out(report_services.save_text(report, text=payload.text, actor=request.auth), request.auth)


@router.post("/annual-reports/{report_id}/versions", response={201: AnnualReportVersionOut, **ERRORS})
def freeze_annual_report(request, report_id: int):
    report = queries.get_annual_report(request.auth, report_id)
    return Status(201, report_services.freeze(report, actor=request.auth))


@router.get("/annual-reports/{report_id}/versions/{number}", response={200: AnnualReportVersionOut, **ERRORS})
def get_annual_report_version(request, report_id: int, number: int):
    return queries.get_annual_report_version(queries.get_annual_report(request.auth, report_id), number)
