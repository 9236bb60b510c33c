"""The derived figures stored on each order (``work.derive``), recomputed for the orders named, an
organization's or all, in chunks; and the benchmark that applies to an order, and why
(``work.benchmarks``)."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from doorstep.core.bulk import update_rows

from .. import derive as derivation
from ..benchmarks import Book
from ..models import Cost, Deduction, Delivery, HelperTime, OrderStatus, Payment, WorkOrder

CHUNK = 5000

# ``updated_at`` too: the analytics engine finds changed orders by it.
_STORED = [name for name in derivation.DERIVED_FIELDS] + ["benchmark", "benchmark_level", "updated_at"]


def recompute(
    *,
    order_ids: Iterable[int] | None = None,
    organization_id: int | None = None,
    waiting_only: bool = False,
    today: date | None = None,
) -> int:
    """Recompute and store the derived figures of orders: the ones named, an organization's, or all
    (optionally only those delivered and not yet paid in full, whose late flag grows with time).
    Works in chunks of ``CHUNK`` orders: a few queries and one bulk update each."""
    today = today or timezone.localdate()
    queryset = WorkOrder.objects.all()
    if order_ids is not None:
        order_ids = sorted(set(order_ids))
        if not order_ids:
            return 0
    if organization_id is not None:
        queryset = queryset.filter(organization_id=organization_id)
    if waiting_only:
        queryset = queryset.filter(
            delivered_on__isnull=False, fully_paid_on__isnull=True, voided_at__isnull=True
        ).exclude(status=OrderStatus.CANCELLED)
    books: dict[int, Book] = {}
    count = 0
    if order_ids is not None:
        chunks = (order_ids[i : i + CHUNK] for i in range(0, len(order_ids), CHUNK))
        for chunk in chunks:
            with transaction.atomic():
                count += _recompute_chunk(queryset.filter(pk__in=chunk), None, books, today)
        return count
    last = 0
    while True:
        ids = list(queryset.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:CHUNK])
        if not ids:
            return count
        with transaction.atomic():  # one chunk at a time: a long recompute holds no long transaction
            count += _recompute_chunk(
                queryset.filter(pk__gte=ids[0], pk__lte=ids[-1]), (ids[0], ids[-1]), books, today
            )
        last = ids[-1]


def _recompute_chunk(queryset, pk_range, books: dict[int, Book], today: date) -> int:
    rows = list(
        queryset.values_list(
            "pk",
            "organization_id",
            "given_on",
            "piece_rate",
            "currency",
            "her_hours",
            "status",
            "materials_supplied",
            "materials_lost",
            "sector",
            "member__country",
            "member__admin1",
            "member__skills",
            "organization__late_payment_days",
        )
    )
    if not rows:
        return 0
    ids = [r[0] for r in rows]

    def children(model):
        qs = model.objects.all()
        if pk_range is not None:
            return qs.filter(order_id__gte=pk_range[0], order_id__lte=pk_range[1])
        return qs.filter(order_id__in=ids)

    deliveries = defaultdict(list)
    for order_id, on, quantity, rejected, reason, paid in children(Delivery).values_list(
        "order_id", "delivered_on", "quantity", "rejected", "rejection_reason", "rejected_paid"
    ):
        deliveries[order_id].append(derivation.DeliveryIn(on, quantity, rejected, bool(reason), paid))
    payments = defaultdict(list)
    for order_id, on, amount in children(Payment).values_list("order_id", "paid_on", "amount"):
        payments[order_id].append((on, amount))
    deductions = dict(
        children(Deduction).values("order_id").annotate(s=Sum("amount")).values_list("order_id", "s")
    )
    costs = dict(children(Cost).values("order_id").annotate(s=Sum("amount")).values_list("order_id", "s"))
    helpers = dict(
        children(HelperTime).values("order_id").annotate(s=Sum("hours")).values_list("order_id", "s")
    )

    updates, now = [], timezone.now()
    for (
        pk,
        org_id,
        given_on,
        rate,
        currency,
        her_hours,
        status,
        supplied,
        lost,
        sector,
        country,
        area,
        skills,
        late_days,
    ) in rows:
        book = books.get(org_id)
        if book is None:
            book = books[org_id] = Book(org_id)
        order = derivation.OrderIn(
            given_on=given_on,
            piece_rate=rate,
            her_hours=her_hours,
            entered_status=status,
            materials_supplied=supplied,
            materials_lost=lost,
            deliveries=deliveries.get(pk, []),
            payments=payments.get(pk, []),
            deductions=deductions.get(pk) or Decimal(0),
            costs=costs.get(pk) or Decimal(0),
            helper_hours=helpers.get(pk),
        )
        match = book.lookup(
            country, area or "", sector, tuple(skills or ()), currency, derivation.work_date(order)
        )
        derived = derivation.derive(
            order, benchmark_hourly=match.hourly, late_after_days=late_days, today=today
        )
        values = derived.as_fields()
        updates.append(
            (
                pk,
                *(values[name] for name in derivation.DERIVED_FIELDS),
                match.benchmark.pk if match.benchmark else None,
                match.level,
                now,
            )
        )
    update_rows(WorkOrder, _STORED, updates)
    return len(updates)


def benchmark_match(order: WorkOrder):
    """The benchmark that applies to an order and why (for the order's page and the API)."""
    member = order.member
    return Book(order.organization_id).lookup(
        member.country.code,
        member.admin1 or "",
        order.sector,
        tuple(member.skills or ()),
        order.currency,
        order.work_date or order.given_on,
    )
