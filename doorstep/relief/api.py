"""API of relief: funds and their ledger, lists (drawn, flagged, approved), rounds and payments,
statements reconciled, and a fund's protected figures. Thin: parse, call a service or query, answer."""

from django.conf import settings
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from doorstep.core import imports
from doorstep.core.import_api import ImportOut
from doorstep.core.pagination import page_of
from doorstep.core.schemas import ErrorOut
from doorstep.organizations.queries import organization_for_staff, organizations_for_staff

from . import eligibility, queries, services
from .schemas import (
    ReliefCodeIn,
    ReliefCodeOut,
    ReliefEntryIn,
    ReliefEntryOut,
    ReliefEntryPage,
    ReliefFundIn,
    ReliefFundOut,
    ReliefFundPage,
    ReliefLinePage,
    ReliefListEntryPage,
    ReliefListIn,
    ReliefListOut,
    ReliefPaymentIn,
    ReliefPaymentOut,
    ReliefPaymentPage,
    ReliefReportOut,
    ReliefReverseIn,
    ReliefRoundIn,
    ReliefRoundOut,
    ReliefSourceIn,
    ReliefSourceOut,
)

router = Router(tags=["relief"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class ReliefPageIn(Schema):
    limit: int = Field(settings.API_PAGE_DEFAULT, ge=1, le=settings.API_PAGE_MAX)
    cursor: str | None = None


def _money(amount, currency) -> dict:
    return {"amount": amount, "currency": currency}


def _name(user) -> str:
    return (getattr(user, "display_name", "") or user.username) if user else ""


def _fund_out(fund) -> dict:
    return {
        "id": fund.pk,
        "organization_id": fund.organization_id,
        "name": fund.name,
        "purpose": fund.purpose,
        "currency": fund.currency,
        "status": fund.status,
        **{
            column: _money(getattr(fund, column), fund.currency)
            for column in ("received", "allocated", "paid_out", "returned")
        },
        "balance": _money(fund.balance, fund.currency),
        "sources": [_source_out(source) for source in fund.sources.all()],
    }


def _source_out(source) -> dict:
    return {
        "id": source.pk,
        "kind": source.kind,
        "name": source.name,
        "company_id": source.company_id,
        "commitment_id": source.commitment_id,
        "pledged": None if source.pledged is None else format(source.pledged, "f"),
    }


def _entry_out(entry) -> dict:
    return {
        "id": entry.pk,
        "kind": entry.kind,
        "amount": format(entry.amount, "f"),
        "on": entry.on,
        "source_id": entry.source_id,
        "note": entry.note,
        "reverses": entry.reverses_id,
        "reversal_reason": entry.reversal_reason,
        "recorded_by": _name(entry.recorded_by),
        "recorded_at": entry.recorded_at,
    }


def _list_out(relief_list) -> dict:
    entries = queries.entries_of(relief_list)
    return {
        "id": relief_list.pk,
        "fund_id": relief_list.fund_id,
        "name": relief_list.name,
        "status": relief_list.status,
        "rules": relief_list.rules,
        "criteria": eligibility.describe(relief_list.rules),
        "amount": _money(relief_list.amount, relief_list.fund.currency),
        "network_id": relief_list.network_id,
        "drawn_by": _name(relief_list.drawn_by),
        "drawn_at": relief_list.drawn_at,
        "approved_by": _name(relief_list.approved_by) or None,
        "approved_at": relief_list.approved_at,
        "entries": entries.count(),
        "flagged": sum(1 for entry in entries if entry.flagged),
    }


def _round_out(made) -> dict:
    return {
        "id": made.pk,
        "list_id": made.relief_list_id,
        "name": made.name,
        "method": made.method,
        "amount": _money(made.amount, made.relief_list.fund.currency),
        "in_kind": made.in_kind,
        "opens_on": made.opens_on,
        "paid": queries.payments_of(made).count(),
    }


def _payment_out(payment) -> dict:
    return {
        "id": payment.pk,
        "round_id": payment.round_id,
        "member_id": payment.member_id,
        "member_number": payment.member.number,
        "amount": _money(payment.amount, payment.round.relief_list.fund.currency),
        "paid_on": payment.paid_on,
        "evidence": payment.evidence,
        "reconciled": hasattr(payment, "line") and payment.line is not None,
        "recorded_by": _name(payment.recorded_by),
    }


@router.get("/relief/funds", response={200: ReliefFundPage, **ERRORS})
def list_funds(request, page: Query[ReliefPageIn], organization_id: int | None = None):
    organization, _all = organizations_for_staff(request.auth, organization_id)
    rows, next_cursor = page_of(
        queries.funds_of(request.auth, organization).prefetch_related("sources"),
        limit=page.limit,
        cursor=page.cursor,
        newest_first=True,
    )
    return {"items": [_fund_out(fund) for fund in rows], "next": next_cursor}


@router.post("/relief/funds", response={201: ReliefFundOut, **ERRORS})
def create_fund(request, payload: ReliefFundIn):
    organization = organization_for_staff(request.auth, payload.organization_id)
    fund = services.create_fund(
        organization, services.FundIn(payload.name, payload.purpose, payload.currency), actor=request.auth
    )
    return Status(201, _fund_out(fund))


@router.get("/relief/funds/{fund_id}", response={200: ReliefFundOut, **ERRORS})
def get_fund(request, fund_id: int):
    return _fund_out(queries.get_fund(request.auth, fund_id))


@router.post("/relief/funds/{fund_id}/sources", response={201: ReliefSourceOut, **ERRORS})
def add_source(request, fund_id: int, payload: ReliefSourceIn):
    fund = queries.get_fund(request.auth, fund_id)
    source = services.add_source(fund, services.SourceIn(**payload.dict()), actor=request.auth)
    return Status(201, _source_out(source))


@router.get("/relief/funds/{fund_id}/entries", response={200: ReliefEntryPage, **ERRORS})
def list_entries(request, fund_id: int, page: Query[ReliefPageIn]):
    fund = queries.get_fund(request.auth, fund_id)
    rows, next_cursor = page_of(queries.ledger_of(fund), limit=page.limit, cursor=page.cursor)
    return {"items": [_entry_out(entry) for entry in rows], "next": next_cursor}


@router.post("/relief/funds/{fund_id}/entries", response={201: ReliefEntryOut, **ERRORS})
def record_entry(request, fund_id: int, payload: ReliefEntryIn):
    fund = queries.get_fund(request.auth, fund_id)
    entry = services.record_entry(fund, services.EntryIn(**payload.dict()), actor=request.auth)
    return Status(201, _entry_out(entry))


@router.post("/relief/funds/{fund_id}/entries/{entry_id}/reverse", response={201: ReliefEntryOut, **ERRORS})
def reverse_entry(request, fund_id: int, entry_id: int, payload: ReliefReverseIn):
    fund = queries.get_fund(request.auth, fund_id)
    reversal = services.reverse_entry(fund, entry_id, reason=payload.reason, actor=request.auth)
    return Status(201, _entry_out(reversal))


@router.post("/relief/funds/{fund_id}/lists", response={201: ReliefListOut, **ERRORS})
def draw_list(request, fund_id: int, payload: ReliefListIn):
    fund = queries.get_fund(request.auth, fund_id)
    made = services.draw_list(
        fund,
        services.ListIn(payload.name, payload.rules, payload.amount, payload.network_id),
        actor=request.auth,
    )
    return Status(201, _list_out(made))


@router.get("/relief/funds/{fund_id}/report", response={200: ReliefReportOut, **ERRORS})
def fund_report(request, fund_id: int):
    """The fund's figures as they may leave the organization: for its staff to send on, and for a
    company that contributed to it to read itself."""
    report = queries.fund_report(queries.fund_for_report(request.auth, fund_id))

    def rows(items):
        return [
            {
                "key": row.key,
                "people": row.people,
                "amount": None if row.amount is None else format(row.amount, "f"),
                "suppressed": row.suppressed,
            }
            for row in items
        ]

    return {
        "fund_id": report.fund.pk,
        "currency": report.fund.currency,
        "k": report.k,
        "people": report.people,
        "amount": None if report.amount is None else format(report.amount, "f"),
        "median_days_to_payment": report.median_days,
        "by_place": rows(report.by_place),
        "by_category": rows(report.by_category),
    }


@router.get("/relief/lists/{list_id}", response={200: ReliefListOut, **ERRORS})
def get_list(request, list_id: int):
    return _list_out(queries.get_list(request.auth, list_id))


@router.get("/relief/lists/{list_id}/entries", response={200: ReliefListEntryPage, **ERRORS})
def list_list_entries(request, list_id: int, page: Query[ReliefPageIn]):
    relief_list = queries.get_list(request.auth, list_id)
    rows, next_cursor = page_of(queries.entries_of(relief_list), limit=page.limit, cursor=page.cursor)
    return {
        "items": [
            {
                "id": entry.pk,
                "member_id": entry.member_id,
                "member_number": entry.member.number,
                "same_number_here": entry.same_number_here,
                "on_another_list": entry.on_another_list,
                "in_network": entry.in_network,
            }
            for entry in rows
        ],
        "next": next_cursor,
    }


@router.post("/relief/lists/{list_id}/approve", response={200: ReliefListOut, **ERRORS})
def approve_list(request, list_id: int):
    relief_list = queries.get_list(request.auth, list_id)
    return _list_out(services.approve_list(relief_list, actor=request.auth))


@router.post("/relief/lists/{list_id}/rounds", response={201: ReliefRoundOut, **ERRORS})
def create_round(request, list_id: int, payload: ReliefRoundIn):
    relief_list = queries.get_list(request.auth, list_id)
    made = services.create_round(relief_list, services.RoundIn(**payload.dict()), actor=request.auth)
    return Status(201, _round_out(made))


@router.get("/relief/rounds/{round_id}", response={200: ReliefRoundOut, **ERRORS})
def get_round(request, round_id: int):
    return _round_out(queries.get_round(request.auth, round_id))


@router.post("/relief/rounds/{round_id}/codes", response={201: ReliefCodeOut, **ERRORS})
def issue_code(request, round_id: int, payload: ReliefCodeIn):
    made = queries.get_round(request.auth, round_id)
    code = services.issue_code(made, payload.member_id, actor=request.auth)
    return Status(201, {"member_id": payload.member_id, "code": code})


@router.get("/relief/rounds/{round_id}/payments", response={200: ReliefPaymentPage, **ERRORS})
def list_payments(request, round_id: int, page: Query[ReliefPageIn]):
    made = queries.get_round(request.auth, round_id)
    rows, next_cursor = page_of(
        queries.payments_of(made).select_related("round__relief_list__fund"),
        limit=page.limit,
        cursor=page.cursor,
    )
    return {"items": [_payment_out(payment) for payment in rows], "next": next_cursor}


@router.post("/relief/rounds/{round_id}/payments", response={201: ReliefPaymentOut, **ERRORS})
def record_payment(request, round_id: int, payload: ReliefPaymentIn):
    made = queries.get_round(request.auth, round_id)
    payment = services.record_payment(made, services.PaymentIn(**payload.dict()), actor=request.auth)
    return Status(201, _payment_out(payment))


@router.post("/relief/statements", response={201: ImportOut, **ERRORS})
def upload_statement(request, organization_id: Form[int], file: File[UploadedFile]):
    """A bank or mobile-money statement (CSV, XLSX…): it becomes an import (``/imports/{id}``):
    confirm its columns there and import; then read the reconciliation here."""
    organization = organization_for_staff(request.auth, organization_id)
    job = imports.start(
        organization,
        target_name="relief_statement",
        filename=file.name or "statement",
        data=file.read(),
        actor=request.auth,
    )
    return Status(201, job)


@router.get("/relief/statements/{import_id}/lines", response={200: ReliefLinePage, **ERRORS})
def statement_lines(request, import_id: int, page: Query[ReliefPageIn], matched: bool | None = None):
    _job, lines = queries.statement_lines(request.auth, import_id)
    if matched is not None:
        lines = lines.filter(payment__isnull=not matched)
    rows, next_cursor = page_of(lines, limit=page.limit, cursor=page.cursor)
    return {
        "items": [
            {
                "id": line.pk,
                "row": line.row,
                "amount": format(line.amount, "f"),
                "on": line.on,
                "payment_id": line.payment_id,
                "member_number": line.payment.member.number if line.payment else None,
                "amount_differs": line.amount_differs,
            }
            for line in rows
        ],
        "next": next_cursor,
    }
