"""API for grievances: cases, their timeline, actions, remedies and attachments, and statistics; the
status of an intake report by its receipt; sharing a case with a company, and the company's side.
Summaries, narratives, timeline details and attachments are sealed; every response that opens
them is an audited read."""

from datetime import date, datetime
from decimal import Decimal
from functools import partial
from typing import Literal

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from doorstep.core import throttle
from doorstep.core.pagination import page_of
from doorstep.core.schemas import ErrorOut, Period, codes
from doorstep.organizations.models import Organization
from doorstep.organizations.queries import organization_for_staff, organizations_for_staff
from doorstep.supplychains.queries import company_for

from . import queries
from .models import ActionKind, CaseKind, CaseStatus, Category, IntakeStatus, Priority, RemedyKind, Source
from .services import cases as case_services
from .services import evidence as evidence_services
from .services import intake as intake_services
from .services import remedies as remedy_services
from .services import sharing as sharing_services
from .services import timeline as timeline_services

router = Router(tags=["grievances"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class CaseFilters(Schema):
    organization_id: int | None = None
    status: codes(CaseStatus) | None = None
    category: codes(Category) | None = None
    party: int | None = None
    member: int | None = None
    open: bool | None = Field(None, description="Only cases not resolved or closed.")
    limit: int = Field(settings.API_PAGE_DEFAULT, ge=1, le=settings.API_PAGE_MAX)
    cursor: str | None = None


class CaseIn(Schema):
    organization_id: int
    kind: codes(CaseKind) = CaseKind.INDIVIDUAL.value
    category: codes(Category)
    members: list[int] = Field([], description="Member ids (or give member_numbers).")
    member_numbers: list[int] = []
    group_description: str = ""
    parties: list[int] = []
    orders: list[int] = []
    summary: str = Field(max_length=300)
    narrative: str = ""
    priority: codes(Priority) = Priority.NORMAL.value
    taken_by: int | None = None
    opened_on: date | None = None


class CasePatch(Schema):
    kind: codes(CaseKind) | None = None
    category: codes(Category) | None = None
    members: list[int] | None = None
    group_description: str | None = None
    parties: list[int] | None = None
    orders: list[int] | None = None
    summary: str | None = None
    narrative: str | None = None
    priority: codes(Priority) | None = None
    taken_by: int | None = None
    status: codes(CaseStatus) | None = None


class CaseOut(Schema):
    id: int
    organization_id: int
    number: int
    kind: codes(CaseKind)
    category: codes(Category)
    priority: codes(Priority)
    status: codes(CaseStatus)
    summary: str
    narrative: str | None = None
    member_ids: list[int]
    group_description: str
    party_ids: list[int]
    order_ids: list[int]
    owed: dict[str, Decimal] = Field({}, description="Still owed on the linked orders, by currency.")
    taken_by: int | None
    opened_on: date
    finished_on: date | None
    source: codes(Source)
    updated_at: datetime


class CasePage(Schema):
    items: list[CaseOut]
    next: str | None


class ActionIn(Schema):
    kind: codes(ActionKind)
    happened_on: date | None = None
    detail: str = ""
    outcome: str = ""
    deadline: date | None = None
    deadline_note: str = ""


class RemedyIn(Schema):
    kind: codes(RemedyKind)
    amount: Decimal | None = None
    currency: str = ""
    orders: list[int] = Field([], description="Ids of the case's orders this settles.")
    received_on: date | None = None
    description: str = ""


class TimelineEntryOut(Schema):
    on: date
    kind: Literal[timeline_services.KINDS] = Field(description="What the entry is.")
    id: int | None = None
    type: str = Field("", description="The action's or remedy's kind.")
    detail: str = ""
    outcome: str = ""
    deadline: date | None = None
    deadline_met: bool | None = None
    amount: Decimal | None = None
    currency: str = ""
    order_ids: list[int] = []
    name: str = Field("", description="An attachment's file name; the company, for a reply or a commitment.")


class StatsOut(Schema):
    total: int
    open: int
    by_category: dict[str, int]
    by_status: dict[str, int]
    by_party: list[dict]
    median_days_to_resolution: float | None
    resolved: int
    recovered_by_party: list[dict]
    recovered_by_month: list[dict]


def case_out(case, sealed: dict, *, detail: bool = False) -> dict:
    return {
        "id": case.pk,
        "organization_id": case.organization_id,
        "number": case.number,
        "kind": case.kind,
        "category": case.category,
        "priority": case.priority,
        "status": case.status,
        "summary": sealed.get("summary", ""),
        "narrative": sealed.get("narrative", "") if detail else None,
        "member_ids": [m.pk for m in case.members.all()],
        "group_description": case.group_description,
        "party_ids": [p.pk for p in case.parties.all()],
        "order_ids": [o.pk for o in case.orders.all()],
        "owed": queries.owed(case) if detail else {},
        "taken_by": case.taken_by_id,
        "opened_on": case.opened_on,
        "finished_on": case.finished_on,
        "source": case.source,
        "updated_at": case.updated_at,
    }


class IntakeStatusOut(Schema):
    status: codes(IntakeStatus) = Field(
        description="pending (waiting to be read), accepted (a case) or rejected"
    )
    received_on: date
    reviewed_on: date | None
    case_status: codes(CaseStatus) | None
    case_updated_on: date | None


@router.get(
    "/grievances/intake/{code}",
    auth=None,
    response={200: IntakeStatusOut, 404: ErrorOut, 429: ErrorOut},
)
def intake_status(request, code: str):
    """Public: where a report sent through an intake form stands, by its receipt code (status and
    dates only). A wrong code and an unknown one get the same 404; checks are limited per address."""
    found = intake_services.intake_status(code, address=throttle.client_address(request))
    if found is None:
        return Status(404, {"detail": "No report has this code.", "code": "not_found", "errors": []})
    return found


@router.get("/grievances/statistics", response={200: StatsOut, **ERRORS})
def statistics(request, organization_id: int, period: Query[Period]):
    """Cases by category, status and work giver; median days to resolution; money recovered by work
    giver and by month (inside the organization)."""
    organization = organization_for_staff(request.auth, organization_id)
    found = queries.stats(request.auth, organization, start=period.from_, end=period.to)
    return {
        "total": found.total,
        "open": found.open,
        "by_category": {code: n for code, _label, n in found.by_category},
        "by_status": {code: n for code, _label, n in found.by_status},
        "by_party": [{"party_id": pk, "party": name, "cases": n} for pk, name, n in found.by_party],
        "median_days_to_resolution": found.median_days_to_resolution,
        "resolved": found.resolved,
        "recovered_by_party": [
            {"party": p, "currency": c, "amount": a} for p, c, a in found.recovered_by_party
        ],
        "recovered_by_month": [
            {"month": m, "currency": c, "amount": a} for m, c, a in found.recovered_by_month
        ],
    }


@router.get("/grievances", response={200: CasePage, **ERRORS})
def list_cases(request, filters: Query[CaseFilters]):
    organization, _all = organizations_for_staff(request.auth, filters.organization_id)
    cases = queries.filter_cases(
        queries.cases_of(request.auth, organization), filters.dict()
    ).prefetch_related("members", "parties", "orders")
    rows, next_cursor = page_of(cases, limit=filters.limit, cursor=filters.cursor)
    summaries = case_services.summaries(rows, actor=request.auth, reason="api list") if rows else {}
    return {"items": [case_out(c, {"summary": summaries.get(c.pk, "")}) for c in rows], "next": next_cursor}


@router.post("/grievances", response={201: CaseOut, **ERRORS})
def create_case(request, payload: CaseIn):
    organization = organization_for_staff(request.auth, payload.organization_id)
    data = payload.dict(exclude={"organization_id"})
    if not data["member_numbers"]:
        data.pop("member_numbers")
    case = case_services.create_case(organization, data=data, actor=request.auth)
    return Status(
        201,
        case_out(case, case_services.reveal_case(case, actor=request.auth, reason="api create"), detail=True),
    )


@router.get("/grievances/{case_id}", response={200: CaseOut, **ERRORS})
def get_case(request, case_id: int):
    case = queries.get_case(request.auth, case_id)
    return case_out(
        case, case_services.reveal_case(case, actor=request.auth, reason="api detail"), detail=True
    )


@router.patch("/grievances/{case_id}", response={200: CaseOut, **ERRORS})
def update_case(request, case_id: int, payload: CasePatch):
    case = queries.get_case(request.auth, case_id)
    data = payload.dict(exclude_unset=True)
    status = data.pop("status", None)
    if data:
        case_services.update_case(case, data=data, actor=request.auth)
    if status:
        case_services.set_status(case, status, actor=request.auth)
    case = queries.get_case(request.auth, case_id)
    return case_out(
        case, case_services.reveal_case(case, actor=request.auth, reason="api update"), detail=True
    )


def _entries(case, actor) -> list[TimelineEntryOut]:
    found = []
    for entry in timeline_services.timeline(case, actor=actor, reason="api timeline"):
        row = {"on": entry.on, "kind": entry.kind, "id": getattr(entry.item, "pk", None)}
        if entry.kind in ("opened", "finished"):
            row["id"] = None
        elif entry.kind == "action":
            row |= {
                "type": entry.item.kind,
                "detail": entry.text.get("detail", ""),
                "outcome": entry.text.get("outcome", ""),
                "deadline": entry.item.deadline,
                "deadline_met": entry.item.deadline_done_at is not None if entry.item.deadline else None,
            }
        elif entry.kind == "remedy":
            row |= {
                "type": entry.item.kind,
                "detail": entry.text.get("description", ""),
                "amount": entry.item.amount,
                "currency": entry.item.currency,
                "order_ids": [o.pk for o in entry.item.orders.all()],
            }
        elif entry.kind == "reply":
            row |= {"detail": entry.text.get("text", ""), "name": entry.item.company.name}
        elif entry.kind == "commitment":
            row |= {
                "detail": entry.item.action,
                "deadline": entry.item.deadline,
                "name": entry.item.company.name,
            }
        elif entry.kind == "attachment":
            row |= {"name": entry.text.get("name", ""), "type": entry.item.content_type}
        found.append(TimelineEntryOut(**row))
    return found


def _write_then_timeline(case, actor, write) -> list[TimelineEntryOut]:
    """Do ``write`` and build the timeline that answers it in one transaction: an answer that cannot
    be built keeps nothing, so a client that retries after an error never doubles the step."""
    with transaction.atomic():
        write()
        return _entries(case, actor)


@router.get("/grievances/{case_id}/timeline", response={200: list[TimelineEntryOut], **ERRORS})
def get_timeline(request, case_id: int):
    return _entries(queries.get_case(request.auth, case_id), request.auth)


@router.post("/grievances/{case_id}/actions", response={201: list[TimelineEntryOut], **ERRORS})
def add_action(request, case_id: int, payload: ActionIn):
    """Add a step to the timeline (with a deadline, if one follows); answers with the timeline."""
    case = queries.get_case(request.auth, case_id)
    write = partial(timeline_services.add_action, case, payload.dict(), actor=request.auth)
    return Status(201, _write_then_timeline(case, request.auth, write))


@router.post("/grievances/{case_id}/remedies", response={201: list[TimelineEntryOut], **ERRORS})
def add_remedy(request, case_id: int, payload: RemedyIn):
    case = queries.get_case(request.auth, case_id)
    write = partial(remedy_services.add_remedy, case, payload.dict(), actor=request.auth)
    return Status(201, _write_then_timeline(case, request.auth, write))


@router.post("/grievances/{case_id}/attachments", response={201: list[TimelineEntryOut], **ERRORS})
def add_attachment(request, case_id: int, file: File[UploadedFile]):
    """Evidence: a photo, PDF, voice note or plain text, up to 10 MB (sealed)."""
    case = queries.get_case(request.auth, case_id)
    name, data = file.name or "evidence", file.read()
    write = partial(evidence_services.add_attachment, case, name=name, data=data, actor=request.auth)
    return Status(201, _write_then_timeline(case, request.auth, write))


# Escalation to a company ------------------------------------------------------------------------------


class ShareIn(Schema):
    company_id: int
    message: str = Field("", description="What the company should know (never name the worker here).")
    override_reason: str = Field(
        "",
        description="An administrator's reason to share a case that matches fewer than k of its work "
        "giver's workers (the k-check); sealed with the case.",
    )


class ShareOut(Schema):
    id: int
    case_id: int
    company_id: int
    shared_at: datetime


class SharedSummaryOut(Schema):
    id: int = Field(description="The share's id.")
    shared_in: str = Field(description="The month it was shared (YYYY-MM).")


class BandOut(Schema):
    currency: str
    at_least: Decimal
    under: Decimal


class SharedStepOut(Schema):
    month: str = Field(description="YYYY-MM: the company sees months, not days.")
    kind: str = Field(description="opened, action, remedy, reply, commitment or finished")
    label: str
    band: BandOut | None = Field(None, description="A remedy's amount, as a band.")
    text: str = ""


class SharedCaseOut(Schema):
    id: int = Field(description="The share's id.")
    organization: str
    category: codes(Category)
    kind: codes(CaseKind) | None = Field(
        description="Only when every member named on it agreed to be known to this company."
    )
    status: codes(CaseStatus)
    parties: list[str]
    owed: list[BandOut] = Field(description="What the linked orders still owe, as a band per currency.")
    message: str
    names: list[str] = Field(
        description="Only members whose own consent to be named to this company stands today."
    )
    steps: list[SharedStepOut]


class ReplyIn(Schema):
    company_id: int
    text: str


class CaseCommitmentIn(Schema):
    company_id: int
    action: str
    owner: str
    deadline: date


def share_out(share) -> dict:
    return {
        "id": share.pk,
        "case_id": share.case_id,
        "company_id": share.company_id,
        "shared_at": share.shared_at,
    }


@router.post("/grievances/{case_id}/shares", response={201: ShareOut, **ERRORS})
def share_case(request, case_id: int, payload: ShareIn):
    """Show the case to a company (a live agreement covering grievances, and the members' consent)."""
    case = queries.get_case(request.auth, case_id)
    company = Organization.objects.filter(
        pk=payload.company_id, kind=Organization.Kind.COMPANY, is_active=True
    ).first()
    if company is None:
        raise Http404
    share = sharing_services.share_case(case, company, payload.dict(), actor=request.auth)
    return Status(201, share_out(share))


@router.delete("/grievances/{case_id}/shares/{share_id}", response={204: None, **ERRORS})
def withdraw_share(request, case_id: int, share_id: int):
    case = queries.get_case(request.auth, case_id)
    share = queries.get_share(request.auth, share_id, case.organization_id)
    if share.case_id != case.pk:
        return Status(404, {"detail": "Not found.", "code": "not_found", "errors": []})
    sharing_services.withdraw_share(share, actor=request.auth)
    return Status(204, None)


def _shared_out(view) -> dict:
    case = view.share.case
    return {
        "id": view.share.pk,
        "organization": case.organization.name,
        "category": case.category,
        "kind": view.kind,
        "status": case.status,
        "parties": [p.name for p in case.parties.all()],
        "owed": [_band(b) for b in view.owed],
        "message": view.message,
        "names": view.names,
        "steps": [
            {
                "month": s["month"],
                "kind": s["kind"],
                "label": str(s["label"]),
                "band": _band(s["band"]) if s.get("band") else None,
                "text": s.get("text", ""),
            }
            for s in view.steps
        ],
    }


def _band(band) -> dict:
    return {"currency": band.currency, "at_least": band.at_least, "under": band.under}


@router.get("/shared-cases", response={200: list[SharedSummaryOut], **ERRORS})
def list_shared_cases(request, company_id: int):
    """Cases organizations shared with your company (consented, under a live agreement)."""
    company = company_for(request.auth, pk=company_id)
    return [
        {"id": s.pk, "shared_in": timezone.localtime(s.shared_at).strftime("%Y-%m")}
        for s in queries.shared_with(company)
    ]


@router.get("/shared-cases/{share_id}", response={200: SharedCaseOut, **ERRORS})
def get_shared_case(request, share_id: int, company_id: int):
    share = queries.get_shared(company_for(request.auth, pk=company_id), share_id)
    return _shared_out(sharing_services.company_view(share, actor=request.auth))


@router.post("/shared-cases/{share_id}/replies", response={201: SharedCaseOut, **ERRORS})
def reply_to_shared_case(request, share_id: int, payload: ReplyIn):
    share = queries.get_shared(company_for(request.auth, pk=payload.company_id), share_id)
    sharing_services.company_reply(share, payload.text, actor=request.auth)
    return Status(201, _shared_out(sharing_services.company_view(share, actor=request.auth)))


@router.post("/shared-cases/{share_id}/commitments", response={201: SharedCaseOut, **ERRORS})
def commit_on_shared_case(request, share_id: int, payload: CaseCommitmentIn):
    share = queries.get_shared(company_for(request.auth, pk=payload.company_id), share_id)
    sharing_services.company_commitment(share, payload.dict(exclude={"company_id"}), actor=request.auth)
    return Status(201, _shared_out(sharing_services.company_view(share, actor=request.auth)))
