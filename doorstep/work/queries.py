"""Reads of work orders, benchmarks and saved rates through the acting user (``core.tenancy``), but
for three that need no user or read what the caller has already checked: ``reference_benchmarks``
(the shipped reference data), ``member_orders`` (her passbook, for a member obtained through the
door or as her own record) and ``orders_shared`` (for ``insights.queries``, after the sharing
agreements and consent).

Voided orders are kept but left out of every figure: ``orders_of`` leaves them out unless a list
asks for them (``with_voided=True``); one order is found voided or not (``get_order``)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from doorstep.core import tenancy
from doorstep.core.roles import STAFF_ROLES

from .models import BenchmarkKind, Flag, SavedRate, WageBenchmark, WorkOrder

ORDER_FILTERS = ("member", "party", "status", "sector", "flag", "given_from", "given_to")


def orders_of(user, organization=None, *, with_voided: bool = False) -> QuerySet[WorkOrder]:
    orders = tenancy.scoped(WorkOrder, user, organization, roles=STAFF_ROLES).select_related(
        "party", "member", "benchmark"
    )
    return orders if with_voided else orders.filter(voided_at__isnull=True)


def get_order(user, order_id, organization=None) -> WorkOrder:
    return tenancy.get_scoped_or_404(
        WorkOrder,
        user,
        order_id,
        organization,
        roles=STAFF_ROLES,
        select_related=("party", "member__subject_key", "benchmark", "voided_by"),
        prefetch_related=(
            "deliveries__recorded_by",
            "deliveries__reversals",
            "payments__paid_by",
            "payments__recorded_by",
            "payments__reversals",
            "deductions__recorded_by",
            "deductions__reversals",
            "costs__recorded_by",
            "costs__reversals",
            "helpers__recorded_by",
            "helpers__reversals",
        ),
    )


def filter_orders(queryset: QuerySet[WorkOrder], filters: dict) -> QuerySet[WorkOrder]:
    """Apply list filters (blank ones are ignored); dates as ``date`` or ISO text."""
    if filters.get("member"):
        queryset = queryset.filter(member_id=filters["member"])
    if filters.get("party"):
        queryset = queryset.filter(party_id=filters["party"])
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("sector"):
        queryset = queryset.filter(sector=filters["sector"])
    if filters.get("flag") in Flag.values:
        queryset = queryset.filter(**{f"flag_{filters['flag']}": True})
    if filters.get("given_from"):
        queryset = queryset.filter(given_on__gte=filters["given_from"])
    if filters.get("given_to"):
        queryset = queryset.filter(given_on__lte=filters["given_to"])
    return queryset


def member_orders(member) -> QuerySet[WorkOrder]:
    """One member's orders, oldest first, with their entries and reversals, voided ones included
    (for her passbook, which marks them). The caller has already obtained ``member`` through the
    tenancy door (staff) or as her own record (worker)."""
    return (
        WorkOrder.objects.filter(organization_id=member.organization_id, member_id=member.pk)
        .select_related("party")
        .prefetch_related("deliveries", "payments", "deductions")
        .order_by("given_on", "pk")
    )


def benchmarks_for(user, organization) -> QuerySet[WageBenchmark]:
    """The shipped reference benchmarks and the organization's own (she must be staff there)."""
    tenancy.require_role(user, organization, STAFF_ROLES)
    return WageBenchmark.objects.filter(
        Q(organization__isnull=True) | Q(organization_id=organization.pk)
    ).order_by("country", "region", "sector", "skill", "-effective_from")


def reference_benchmarks(countries) -> list[WageBenchmark]:
    """The shipped statutory minimum wages (public reference data, with their sources) of some
    countries, for the methods of a brief."""
    return list(
        WageBenchmark.objects.filter(
            organization__isnull=True, kind=BenchmarkKind.MINIMUM_WAGE, country__in=sorted(countries)
        ).order_by("country", "region", "-effective_from")
    )


def get_benchmark(user, benchmark_id, organization) -> WageBenchmark:
    try:
        return benchmarks_for(user, organization).get(pk=benchmark_id)
    except (WageBenchmark.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def own_benchmark(user, benchmark_id, organization) -> WageBenchmark:
    """One of the organization's own benchmarks (reference rows cannot be changed)."""
    benchmark = get_benchmark(user, benchmark_id, organization)
    if benchmark.organization_id != organization.pk:
        raise Http404
    return benchmark


def saved_rates_of(user, organization) -> QuerySet[SavedRate]:
    return tenancy.scoped(SavedRate, user, organization, roles=STAFF_ROLES).select_related("party")


def get_saved_rate(user, rate_id, organization) -> SavedRate:
    return tenancy.get_scoped_or_404(SavedRate, user, rate_id, organization, roles=STAFF_ROLES)


def rates_paid_for(user, saved: SavedRate) -> list:
    """The piece rates of the orders for a saved fair rate's product (any case), in its currency and,
    when it names one, from its work giver."""
    orders = tenancy.scoped(WorkOrder, user, saved.organization_id, roles=STAFF_ROLES).filter(
        product__iexact=saved.product, currency=saved.currency, voided_at__isnull=True
    )
    if saved.party_id:
        orders = orders.filter(party_id=saved.party_id)
    return list(orders.values_list("piece_rate", flat=True))


def orders_shared(organization_ids, member_ids, start=None, end=None) -> QuerySet[WorkOrder]:
    """Orders of the given members in the given organizations, given in the period, voided ones left
    out. Only ``insights.queries`` calls this, after checking the sharing agreements and consent."""
    orders = WorkOrder.objects.filter(
        organization_id__in=list(organization_ids), member_id__in=member_ids, voided_at__isnull=True
    )
    if start:
        orders = orders.filter(given_on__gte=start)
    if end:
        orders = orders.filter(given_on__lte=end)
    return orders
