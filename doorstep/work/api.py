"""API for work and earnings: work orders with their derived figures, their entries added and
corrected by a reversal, orders voided; wage benchmarks, the fair piece-rate calculator and saved
rates, a member's passbook and the organization's summary (from the analytics engine)."""

from datetime import date
from decimal import Decimal

from django.utils import timezone
from ninja import Query, Router, Status

from doorstep.core import inputs
from doorstep.core.errors import NotReady, ValidationError
from doorstep.core.pagination import page_of
from doorstep.core.schemas import ErrorOut, codes
from doorstep.members import queries as member_queries
from doorstep.organizations.queries import organization_for_staff, organizations_for_staff

from . import benchmarks, boards, derive, queries, rates, stats
from .schemas import (
    BenchmarkIn,
    BenchmarkOut,
    CostIn,
    DeductionIn,
    DeliveryIn,
    FairRateIn,
    FairRateOut,
    HelperIn,
    PaymentIn,
    ReasonIn,
    SavedRateIn,
    SavedRateOut,
    WorkOrderFilters,
    WorkOrderIn,
    WorkOrderOut,
    WorkOrderPage,
    WorkOrderPatch,
)
from .services import benchmarks as benchmark_services
from .services import entries as entry_services
from .services import figures as figure_services
from .services import orders as order_services
from .services import rates as rate_services
from .services import validation

router = Router(tags=["work"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
ENTRY_SCHEMAS = {
    "deliveries": DeliveryIn,
    "payments": PaymentIn,
    "deductions": DeductionIn,
    "costs": CostIn,
    "helpers": HelperIn,
}


def _text(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _jsonable(value):
    if isinstance(value, Decimal):
        return format(value, "f")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def order_out(order, *, detail: bool = False) -> dict:
    body = {
        "id": order.pk,
        "organization_id": order.organization_id,
        "member_id": order.member_id,
        "party_id": order.party_id,
        "party": order.party.name,
        **{
            name: getattr(order, name)
            for name in (
                "given_on",
                "product",
                "sector",
                "materials_supplied",
                "unit",
                "currency",
                "deadline",
                "status",
                "cancelled_on",
                "cancelled_by",
                "materials_lost",
                "work_lost",
            )
        },
        "materials_value": _text(order.materials_value),
        "quantity_ordered": _text(order.quantity_ordered),
        "piece_rate": _text(order.piece_rate),
        "her_hours": _text(order.her_hours),
        "derived": {
            name: _jsonable(getattr(order, name)) for name in derive.DERIVED_FIELDS if name != "status"
        },
        "flags": order.flags,
        "voided_at": order.voided_at,
        "void_reason": order.void_reason,
    }
    if detail:
        match = figure_services.benchmark_match(order)
        body["benchmark"] = {
            "id": match.benchmark.pk if match.benchmark else None,
            "level": match.level,
            "hourly": _text(match.hourly),
            "reason": match.reason,
        }
        entries = {kind: list(getattr(order, kind).all()) for kind in validation.ENTRY_KINDS}
        body["entries"] = {
            kind: [_entry_out(kind, e) for e in rows if not e.is_reversal and not e.reversals.all()]
            for kind, rows in entries.items()
        }
        body["history"] = {
            kind: [
                {
                    **_entry_out(kind, e),
                    "reverses": e.reverses_id,
                    "reversed_by": next((r.pk for r in e.reversals.all()), None),
                    "reversal_reason": e.reversal_reason,
                    "recorded_by": e.recorded_by_id,
                    "recorded_at": _jsonable(e.recorded_at),
                }
                for e in rows
            ]
            for kind, rows in entries.items()
        }
    return body


def _entry_out(kind: str, entry) -> dict:
    return {"id": entry.pk, **{k: _jsonable(v) for k, v in validation._entry_raw(kind, entry).items()}}


def _order_data(payload) -> dict:
    data = payload.dict(exclude_unset=True) if hasattr(payload, "dict") else dict(payload)
    data.pop("organization_id", None)
    if "member_id" in data:
        data["member"] = data.pop("member_id")
    if "party_id" in data:
        data["party"] = data.pop("party_id")
    return data


@router.get("/work-orders", response={200: WorkOrderPage, **ERRORS})
def list_orders(request, filters: Query[WorkOrderFilters]):
    """Work orders of your organizations with their derived figures, filtered and cursor-paginated;
    voided orders too, with ``voided_at`` set (they count in no figure)."""
    organization, _all = organizations_for_staff(request.auth, filters.organization_id)
    orders = queries.filter_orders(
        queries.orders_of(request.auth, organization, with_voided=True), filters.dict()
    )
    rows, next_cursor = page_of(orders, limit=filters.limit, cursor=filters.cursor)
    return {"items": [order_out(o) for o in rows], "next": next_cursor}


@router.post("/work-orders", response={201: WorkOrderOut, **ERRORS})
def create_order(request, payload: WorkOrderIn):
    organization = organization_for_staff(request.auth, payload.organization_id)
    data = _order_data(payload)
    data.update({kind: [e for e in data.get(kind, [])] for kind in validation.ENTRY_KINDS})
    order = order_services.create_order(organization, data=data, actor=request.auth)
    return Status(201, order_out(queries.get_order(request.auth, order.pk), detail=True))


@router.get("/work-orders/{order_id}", response={200: WorkOrderOut, **ERRORS})
def get_order(request, order_id: int):
    """One order with its entries, derived figures and the benchmark used (and why)."""
    return order_out(queries.get_order(request.auth, order_id), detail=True)


@router.patch("/work-orders/{order_id}", response={200: WorkOrderOut, **ERRORS})
def update_order(request, order_id: int, payload: WorkOrderPatch):
    """Change an order. A list of entries given becomes what stands: entries it repeats are kept,
    those it leaves out or changes are reversed (``reason`` says why) and new ones are added."""
    order = queries.get_order(request.auth, order_id)
    data = _order_data(payload)
    reason = data.pop("reason", None) or ""
    order_services.update_order(order, data=data, actor=request.auth, reason=reason)
    return order_out(queries.get_order(request.auth, order_id), detail=True)


@router.post("/work-orders/{order_id}/void", response={200: WorkOrderOut, **ERRORS})
def void_order(request, order_id: int, payload: ReasonIn):
    """Void an order recorded by mistake: it is kept, with who voided it, when and why, and left out
    of every figure. Orders are never deleted (only a member's erasure removes hers)."""
    order = queries.get_order(request.auth, order_id)
    order_services.void_order(order, reason=payload.reason, actor=request.auth)
    return order_out(queries.get_order(request.auth, order_id), detail=True)


def _entry_endpoint(kind: str, schema) -> None:
    """POST /work-orders/{id}/<kind>: add one entry; the answer is the order, recomputed."""

    def add(request, order_id: int, payload: schema):
        order = queries.get_order(request.auth, order_id)
        entry_services.add_entry(order, kind, data=payload.dict(), actor=request.auth)
        return Status(201, order_out(queries.get_order(request.auth, order_id), detail=True))

    add.__name__ = f"add_{kind}"
    add.__doc__ = f"Add to the order's {kind}; the order comes back with its figures recomputed."
    router.post(f"/work-orders/{{order_id}}/{kind}", response={201: WorkOrderOut, **ERRORS})(add)


for _kind, _schema in ENTRY_SCHEMAS.items():
    _entry_endpoint(_kind, _schema)


@router.post("/work-orders/{order_id}/{kind}/{entry_id}/reverse", response={201: WorkOrderOut, **ERRORS})
def reverse_entry(
    request, order_id: int, kind: codes(validation.ENTRY_KINDS), entry_id: int, payload: ReasonIn
):
    """Correct an entry: a reversing entry (its values negated) is recorded with who, when and
    ``reason``; the order comes back recomputed. Record the right values as a new entry."""
    order = queries.get_order(request.auth, order_id)
    entry_services.reverse_entry(order, kind, entry_id, reason=payload.reason, actor=request.auth)
    return Status(201, order_out(queries.get_order(request.auth, order_id), detail=True))


@router.get("/work-summary", response={200: dict, **ERRORS, 503: ErrorOut})
def summary(
    request,
    organization_id: int,
    currency: str | None = None,
    start: date | None = None,
    end: date | None = None,
):
    """The dashboard's figures from the analytics engine: orders, median net hourly earnings, share
    below the minimum wage, median payment delay and total owed, overall and by party, sector and
    month (one currency; ``start``/``end`` limit the period), with ``refreshed_at``, the time of the
    last refresh they come from. 503 with ``Retry-After`` while the figures are being prepared."""
    organization = organization_for_staff(request.auth, organization_id)
    problems: list = []
    inputs.period(start, end, problems, ("start", "end"))
    if problems:
        raise ValidationError(message=problems[0].message, errors=problems)
    found = boards.work_board(request.auth, organization, currency=currency, start=start, end=end)
    if found.unavailable:
        raise NotReady(message=found.unavailable)
    board = found.board
    return {
        "refreshed_at": found.refreshed_at.isoformat() if found.refreshed_at else None,
        "currency": found.currency or validation.organization_currency(organization),
        "currencies": found.currencies,
        "total": board["total"].as_dict() if board else None,
        "flags": board["flags"] if board else {},
        "by": {name: [c.as_dict() for c in cells] for name, cells in board["by"].items()} if board else {},
    }


@router.get("/members/{member_id}/passbook", response={200: dict, **ERRORS})
def member_passbook(request, member_id: int):
    """Her ledger: orders, deliveries, payments, deductions and their corrections, what is owed and
    days waited; totals per party (voided orders are listed, marked, outside the totals)."""
    member = member_queries.get_member(request.auth, member_id)
    book = stats.passbook(list(queries.member_orders(member)), timezone.localdate())
    return {
        "member_id": member.pk,
        "orders": [
            {
                "id": e["order"].pk,
                "product": e["order"].product,
                "party": e["order"].party.name,
                "currency": e["order"].currency,
                "status": e["order"].status,
                "voided": e["voided"],
                "expected_pay": _text(e["order"].expected_pay),
                "gross_paid": _text(e["order"].gross_paid),
                "owed": _text(e["order"].owed),
                "days_waited": e["waited"],
                "still_waiting": e["waiting"],
                "lines": [
                    {
                        "what": what,
                        "on": on.isoformat(),
                        "quantity": _text(q),
                        "amount": _text(a),
                        "note": str(note),
                    }
                    for what, on, q, a, note in e["lines"]
                ],
            }
            for e in book["entries"]
        ],
        "totals": [
            {
                "party": t.party,
                "currency": t.currency,
                "orders": t.orders,
                "expected": _text(t.expected),
                "paid": _text(t.paid),
                "owed": _text(t.owed),
            }
            for t in book["totals"]
        ],
    }


# Benchmarks -----------------------------------------------------------------------------------------


def benchmark_out(benchmark) -> dict:
    value, conversion = benchmarks.hourly(benchmark)
    return {
        "id": benchmark.pk,
        "organization_id": benchmark.organization_id,
        **{
            name: getattr(benchmark, name)
            for name in (
                "kind",
                "region",
                "region_names",
                "sector",
                "sector_text",
                "skill",
                "currency",
                "period",
                "convention_note",
                "effective_from",
                "effective_from_confirmed",
                "source",
                "as_of",
                "notes",
            )
        },
        "country": benchmark.country.code,
        "amount": _text(benchmark.amount),
        "hours_per_day": _text(benchmark.hours_per_day),
        "days_per_month": _text(benchmark.days_per_month),
        "hourly": _text(value),
        "conversion": conversion,
    }


@router.get("/benchmarks", response={200: list[BenchmarkOut], **ERRORS})
def list_benchmarks(request, organization_id: int, country: str | None = None):
    """The statutory minimum wages shipped with Doorstep (with sources) and your organization's own."""
    organization = organization_for_staff(request.auth, organization_id)
    rows = queries.benchmarks_for(request.auth, organization)
    if country:
        rows = rows.filter(country=country.upper())
    return [benchmark_out(b) for b in rows]


@router.post("/benchmarks", response={201: BenchmarkOut, **ERRORS})
def create_benchmark(request, payload: BenchmarkIn):
    """Add your organization's own benchmark (a living wage estimate, a negotiated or newer rate)."""
    organization = organization_for_staff(request.auth, payload.organization_id)
    data = payload.dict(exclude={"organization_id"})
    return Status(
        201, benchmark_out(benchmark_services.create_benchmark(organization, data=data, actor=request.auth))
    )


@router.delete("/benchmarks/{benchmark_id}", response={204: None, **ERRORS})
def delete_benchmark(request, benchmark_id: int, organization_id: int):
    organization = organization_for_staff(request.auth, organization_id)
    benchmark_services.delete_benchmark(
        queries.own_benchmark(request.auth, benchmark_id, organization), actor=request.auth
    )
    return Status(204, None)


# Fair rates -----------------------------------------------------------------------------------------


def _calculate(payload: FairRateIn) -> rates.FairRate:
    return rates.calculate(payload.dict())


@router.post("/fair-rate", response={200: FairRateOut, 401: ErrorOut, 422: ErrorOut})
def fair_rate(request, payload: FairRateIn):
    """Work out a fair piece rate by the rated-output method (UK NMW rule) or from standard minutes;
    the answer explains the formula with the numbers used."""
    result = _calculate(payload)
    return {**result.__dict__, "fair_rate": format(result.fair_rate, "f")}


def saved_out(user, saved) -> dict:
    paid = queries.rates_paid_for(user, saved)
    return {
        "id": saved.pk,
        "organization_id": saved.organization_id,
        "product": saved.product,
        "party_id": saved.party_id,
        "sector": saved.sector,
        "unit": saved.unit,
        "method": saved.method,
        "fair_rate": format(saved.fair_rate, "f"),
        "currency": saved.currency,
        "explanation": saved.explanation,
        "inputs": saved.inputs,
        "paid": stats.compare_with_paid(saved.fair_rate, paid),
    }


@router.get("/fair-rates", response={200: list[SavedRateOut], **ERRORS})
def list_saved_rates(request, organization_id: int):
    """Saved fair rates, each compared with the rates actually paid for the product."""
    organization = organization_for_staff(request.auth, organization_id)
    return [saved_out(request.auth, s) for s in queries.saved_rates_of(request.auth, organization)]


@router.post("/fair-rates", response={201: SavedRateOut, **ERRORS})
def save_rate(request, payload: SavedRateIn):
    """Work out a fair rate and keep it for a product (and a work giver)."""
    organization = organization_for_staff(request.auth, payload.organization_id)
    result = _calculate(payload)
    saved = rate_services.save_rate(
        organization,
        result=result,
        product=payload.product,
        party=payload.party_id,
        sector=payload.sector,
        unit=payload.unit,
        actor=request.auth,
    )
    return Status(201, saved_out(request.auth, saved))
