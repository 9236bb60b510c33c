"""Reads of the market, every one scoped: staff see their own organization's products, inquiries,
partners and orders (another organization's id is 404); the public catalogue shows only published
products of an active organization, and never a member; a network's trade facts are read by the
network and the organizations affiliated to it."""

from dataclasses import dataclass
from decimal import Decimal
from statistics import median

from django.db.models import Count, F, Prefetch, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404

from doorstep.core import tenancy
from doorstep.core.roles import STAFF_ROLES
from doorstep.organizations.models import Affiliation, Organization
from doorstep.work.models import WorkOrder

from .models import (
    Inquiry,
    Photo,
    Product,
    SalePayment,
    SalesLine,
    SalesOrder,
    SalesStatus,
    Share,
    TradeFact,
    TradeFactChange,
    TradingPartner,
)


def products_for(user, organization) -> QuerySet[Product]:
    return tenancy.scoped(Product, user, organization).prefetch_related("producer_groups", "photos")


def get_product(user, organization, product_id) -> Product:
    return tenancy.get_scoped_or_404(
        Product, user, product_id, organization, prefetch_related=["producer_groups"]
    )


def get_photo(user, organization, photo_id) -> Photo:
    return tenancy.get_scoped_or_404(Photo, user, photo_id, organization)


def photos_of(product: Product) -> list[Photo]:
    return list(Photo.objects.filter(product=product).defer("large", "thumb"))


# The public catalogue --------------------------------------------------------------------------------


def catalogue_organization(slug: str) -> Organization:
    """An active organization with at least one published product; 404 otherwise."""
    organization = Organization.objects.filter(slug=slug, is_active=True).first()
    if organization is None or not Product.objects.filter(organization=organization, published=True).exists():
        raise Http404
    return organization


def published_products(organization: Organization) -> QuerySet[Product]:
    return (
        Product.objects.filter(organization=organization, published=True)
        .prefetch_related(
            "producer_groups", Prefetch("photos", queryset=Photo.objects.defer("large", "thumb"))
        )
        .order_by("name", "pk")
    )


def published_product(organization: Organization, product_id) -> Product:
    try:
        return published_products(organization).get(pk=product_id)
    except (Product.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def published_photo(organization: Organization, photo_id) -> Photo:
    try:
        return Photo.objects.get(organization=organization, pk=photo_id, product__published=True)
    except (Photo.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# Inquiries, partners, orders -------------------------------------------------------------------------


def inquiries_for(user, organization) -> QuerySet[Inquiry]:
    return tenancy.scoped(Inquiry, user, organization).select_related("product", "subject_key")


def get_inquiry(user, organization, inquiry_id) -> Inquiry:
    return tenancy.get_scoped_or_404(Inquiry, user, inquiry_id, organization, select_related=["subject_key"])


def partners_for(user, organization) -> QuerySet[TradingPartner]:
    return tenancy.scoped(TradingPartner, user, organization)


def get_partner(user, organization, partner_id) -> TradingPartner:
    return tenancy.get_scoped_or_404(
        TradingPartner, user, partner_id, organization, select_related=["subject_key"]
    )


def orders_for(user, organization) -> QuerySet[SalesOrder]:
    return tenancy.scoped(SalesOrder, user, organization).select_related("partner")


def get_order(user, organization, order_id) -> SalesOrder:
    return tenancy.get_scoped_or_404(
        SalesOrder,
        user,
        order_id,
        organization,
        select_related=["partner"],
        prefetch_related=[
            Prefetch(
                "lines",
                queryset=SalesLine.objects.select_related("product").prefetch_related(
                    Prefetch("shares", queryset=Share.objects.select_related("member", "work_order"))
                ),
            ),
            "payments",
        ],
    )


def get_line(user, organization, order: SalesOrder, line_id) -> SalesLine:
    try:
        return (
            tenancy.scoped(SalesLine, user, organization).select_related("order").get(order=order, pk=line_id)
        )
    except (SalesLine.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_share(user, organization, order: SalesOrder, share_id) -> Share:
    try:
        return (
            tenancy.scoped(Share, user, organization)
            .select_related("work_order")
            .get(line__order=order, pk=share_id)
        )
    except (Share.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass(frozen=True)
class OrderMoney:
    """An order's money in its currency: ``value`` of its lines, ``received`` from the buyer,
    ``owed_to_producers`` (the agreed piece rates × quantities), ``paid_to_producers`` (the
    payments on their work orders), and ``margin`` = received − paid to producers."""

    currency: str
    value: Decimal
    received: Decimal
    owed_to_producers: Decimal
    paid_to_producers: Decimal

    @property
    def margin(self) -> Decimal:
        return self.received - self.paid_to_producers


def order_money(order: SalesOrder) -> OrderMoney:
    lines = list(order.lines.all())
    value = sum((line.unit_price * line.quantity for line in lines), Decimal(0))
    owed = sum((line.piece_rate * line.quantity for line in lines), Decimal(0))
    received = sum((p.amount for p in order.payments.all()), Decimal(0))
    paid = sum(
        (share.work_order.gross_paid for line in lines for share in line.shares.all() if share.work_order),
        Decimal(0),
    )
    return OrderMoney(order.currency, value, received, owed, paid)


def sales_figures(user, organization) -> dict[str, list[dict]]:
    """Sales of orders accepted or delivered, by product, by buyer and by month (value and pieces,
    per currency); money received by month."""
    lines = (
        tenancy.scoped(SalesLine, user, organization)
        .filter(order__status__in=[SalesStatus.ACCEPTED, SalesStatus.DELIVERED])
        .annotate(value=F("unit_price") * F("quantity"))
    )
    by = {}
    for key, column in (
        ("product", "product__name"),
        ("buyer", "order__partner__name"),
        ("country", "order__partner__country"),
        ("month", "month"),
    ):
        rows = lines.annotate(month=TruncMonth("order__ordered_on")) if key == "month" else lines
        by[key] = [
            {
                "key": row[column].strftime("%Y-%m") if key == "month" else row[column],
                "currency": row["order__currency"],
                "pieces": row["pieces"],
                "value": row["total"],
                "orders": row["orders"],
            }
            for row in rows.values(column, "order__currency")
            .annotate(pieces=Sum("quantity"), total=Sum("value"), orders=Count("order", distinct=True))
            .order_by(column, "order__currency")
        ]
    received = (
        tenancy.scoped(SalePayment, user, organization)
        .annotate(month=TruncMonth("received_on"))
        .values("month", "order__currency")
        .annotate(total=Sum("amount"))
        .order_by("month")
    )
    by["producers"] = producers_earnings(user, organization)
    by["received"] = [
        {"key": row["month"].strftime("%Y-%m"), "currency": row["order__currency"], "value": row["total"]}
        for row in received
    ]
    return by


def producers_earnings(user, organization) -> list[dict]:
    """The producers' work orders from the organization's own trade (the shares of accepted orders),
    per currency: orders, paid, the median net hourly earnings and how many fell below the minimum
    wage (``work.derive``'s figures, the same as for any work giver)."""
    ids = tenancy.scoped(Share, user, organization).filter(work_order__isnull=False).values("work_order_id")
    orders = tenancy.scoped(WorkOrder, user, organization).filter(pk__in=ids, voided_at__isnull=True)
    rows = []
    for currency in sorted(set(orders.values_list("currency", flat=True))):
        mine = orders.filter(currency=currency)
        hourly = sorted(v for v in mine.values_list("net_hourly", flat=True) if v is not None)
        rows.append(
            {
                "key": currency,
                "currency": currency,
                "orders": mine.count(),
                "value": mine.aggregate(total=Sum("gross_paid"))["total"] or Decimal(0),
                "median_net_hourly": median(hourly) if hourly else None,
                "below_minimum": mine.filter(flag_below_minimum=True).count(),
            }
        )
    return rows


# Trade information -------------------------------------------------------------------------------------


def networks_for_trade(user, organization) -> list[Organization]:
    """The networks whose trade facts this organization reads: itself if it is a network, and the
    networks it is affiliated to now."""
    tenancy.require_role(user, organization, STAFF_ROLES)
    ids = set(
        Affiliation.objects.filter(member=organization, until__isnull=True).values_list(
            "network_id", flat=True
        )
    )
    if organization.is_network:
        ids.add(organization.pk)
    return list(Organization.objects.filter(pk__in=ids, is_active=True).order_by("name"))


def trade_facts_for(user, organization, country: str = "") -> QuerySet[TradeFact]:
    networks = networks_for_trade(user, organization)
    facts = TradeFact.objects.filter(organization__in=networks).select_related("organization")
    if country:
        facts = facts.filter(country=country.upper())
    return facts


def get_trade_fact(user, organization, fact_id) -> TradeFact:
    try:
        return trade_facts_for(user, organization).get(pk=fact_id)
    except (TradeFact.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def trade_fact_history(fact: TradeFact) -> QuerySet[TradeFactChange]:
    return TradeFactChange.objects.filter(fact=fact).select_related("changed_by")


def partners_listed_by_networks(user, organization) -> QuerySet[TradingPartner]:
    """Potential trading partners the organization's networks keep (their buyers, shops, importers,
    exporters: names, kinds and countries; contacts stay sealed)."""
    networks = [n for n in networks_for_trade(user, organization) if n.pk != organization.pk]
    return (
        TradingPartner.objects.filter(organization__in=networks)
        .select_related("organization")
        .order_by("country", "name")
    )
