"""API of the market: products (with the price built up), photos, inquiries (the public catalogue's
feed and inquiry endpoint need no login), trading partners, sales orders split among producers,
figures, and a network's trade facts. Thin: each route parses, calls a service or query, answers."""

from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.http import HttpResponse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from doorstep.core import throttle
from doorstep.core.errors import ValidationError
from doorstep.core.pagination import page_of
from doorstep.core.schemas import ErrorOut, codes
from doorstep.core.sectors import Sector
from doorstep.organizations.queries import organization_for_staff

from . import queries, services
from .models import InquiryStatus, PartnerKind, SalesStatus, TradeTopic

router = Router(tags=["market"])
public = Router(tags=["public"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class Paging(Schema):
    organization_id: int
    limit: int = Field(settings.API_PAGE_DEFAULT, ge=1, le=settings.API_PAGE_MAX)
    cursor: str | None = None


# Products ------------------------------------------------------------------------------------------------


class PriceOut(Schema):
    hourly_wage: Decimal
    wage_reason: str
    producers_share: Decimal = Field(description="The fair piece rate: standard minutes ÷ 60 × hourly wage")
    explanation: str
    materials: Decimal
    margin: Decimal
    built_up: Decimal
    price: Decimal
    currency: str
    producers_percent: Decimal | None = Field(description="Of the price, what reaches the producers (%)")
    below_fair_share: bool


class PhotoOut(Schema):
    id: int
    caption: str
    width: int
    height: int


class ProductOut(Schema):
    id: int
    name: str
    story: str
    translations: dict = Field(description='{"sw": {"name": "…", "story": "…"}}')
    sector: codes(Sector)
    materials: str
    sizes: str
    standard_minutes: Decimal
    hourly_wage: Decimal | None
    materials_cost: Decimal
    margin_percent: Decimal
    currency: str
    price: Decimal
    below_fair_reason: str
    minimum_order: int
    lead_time_days: int
    producer_groups: list[int]
    published: bool
    photos: list[PhotoOut]
    price_build: PriceOut | None


class ProductIn(Schema):
    name: str = Field(max_length=200)
    sector: codes(Sector)
    standard_minutes: Decimal
    currency: str = Field(max_length=3)
    price: Decimal | None = Field(None, description="Blank: the price built up")
    story: str = Field("", max_length=5000)
    translations: dict[str, dict[str, str]] = {}
    materials: str = Field("", max_length=500)
    sizes: str = Field("", max_length=300)
    hourly_wage: Decimal | None = Field(None, description="Blank: the minimum wage that applies")
    materials_cost: Decimal = Decimal(0)
    margin_percent: Decimal = Decimal(0)
    below_fair_reason: str = Field("", max_length=500)
    minimum_order: int = 1
    lead_time_days: int = 14
    producer_groups: list[int] = Field([], description="Member group ids (groups, never members)")
    published: bool = False


def _price_out(organization, product) -> dict | None:
    try:
        build = services.price_build(
            organization,
            sector=product.sector,
            standard_minutes=product.standard_minutes,
            currency=product.currency,
            hourly_wage=product.hourly_wage,
            materials_cost=product.materials_cost,
            margin_percent=product.margin_percent,
            price=product.price,
        )
    except ValidationError:
        return None
    return {
        "hourly_wage": build.hourly_wage,
        "wage_reason": build.wage_reason,
        "producers_share": build.fair_rate,
        "explanation": build.fair_explanation,
        "materials": build.materials,
        "margin": build.margin,
        "built_up": build.suggested,
        "price": build.price,
        "currency": build.currency,
        "producers_percent": build.producers_percent,
        "below_fair_share": build.below_fair,
    }


def _product_out(organization, product) -> dict:
    return {
        **{
            name: getattr(product, name)
            for name in (
                "name",
                "story",
                "translations",
                "sector",
                "materials",
                "sizes",
                "standard_minutes",
                "hourly_wage",
                "materials_cost",
                "margin_percent",
                "currency",
                "price",
                "below_fair_reason",
                "minimum_order",
                "lead_time_days",
                "published",
            )
        },
        "id": product.pk,
        "producer_groups": [g.pk for g in product.producer_groups.all()],
        "photos": [
            {"id": p.pk, "caption": p.caption, "width": p.width, "height": p.height}
            for p in queries.photos_of(product)
        ],
        "price_build": _price_out(organization, product),
    }


class ProductPage(Schema):
    items: list[ProductOut]
    next: str | None = None


@router.get("/market/products", response={200: ProductPage, **ERRORS})
def list_products(request, filters: Query[Paging]):
    organization = organization_for_staff(request.auth, filters.organization_id)
    rows, next_cursor = page_of(
        queries.products_for(request.auth, organization), limit=filters.limit, cursor=filters.cursor
    )
    return {"items": [_product_out(organization, p) for p in rows], "next": next_cursor}


@router.post("/market/products", response={201: ProductOut, **ERRORS})
def create_product(request, organization_id: int, payload: ProductIn):
    """A product; a price below the producers' fair share plus materials answers 422
    ``below_fair_share`` unless ``below_fair_reason`` says why."""
    organization = organization_for_staff(request.auth, organization_id)
    made = services.save_product(
        organization, data=services.ProductInput(**payload.dict()), actor=request.auth
    )
    return Status(201, _product_out(organization, made))


@router.get("/market/products/{product_id}", response={200: ProductOut, **ERRORS})
def get_product(request, product_id: int, organization_id: int):
    organization = organization_for_staff(request.auth, organization_id)
    return _product_out(organization, queries.get_product(request.auth, organization, product_id))


@router.put("/market/products/{product_id}", response={200: ProductOut, **ERRORS})
def put_product(request, product_id: int, organization_id: int, payload: ProductIn):
    organization = organization_for_staff(request.auth, organization_id)
    found = queries.get_product(request.auth, organization, product_id)
    services.save_product(
        organization, data=services.ProductInput(**payload.dict()), actor=request.auth, product=found
    )
    return _product_out(organization, queries.get_product(request.auth, organization, product_id))


@router.post("/market/products/{product_id}/photos", response={201: PhotoOut, **ERRORS})
def add_photo(
    request, product_id: int, organization_id: int, file: File[UploadedFile], caption: Form[str] = ""
):
    """A photo (JPEG, PNG, WebP or GIF, up to 8 MB), re-encoded without any metadata; 422
    ``not_an_image`` or ``too_large``, and nothing is stored."""
    organization = organization_for_staff(request.auth, organization_id)
    found = queries.get_product(request.auth, organization, product_id)
    photo = services.add_photo(found, data=file.read(), caption=caption, actor=request.auth)
    return Status(
        201, {"id": photo.pk, "caption": photo.caption, "width": photo.width, "height": photo.height}
    )


# Inquiries ----------------------------------------------------------------------------------------------


class InquiryOut(Schema):
    id: int
    received_at: datetime
    status: codes(InquiryStatus)
    product_id: int | None
    quantity: int | None
    country: str
    name: str
    email: str
    phone: str
    message: str


class InquiryPage(Schema):
    items: list[InquiryOut]
    next: str | None = None


@router.get("/market/inquiries", response={200: InquiryPage, **ERRORS})
def list_inquiries(request, filters: Query[Paging]):
    """The inquiry queue, newest first (opened from the vault; the read is audited)."""
    organization = organization_for_staff(request.auth, filters.organization_id)
    rows, next_cursor = page_of(
        queries.inquiries_for(request.auth, organization),
        limit=filters.limit,
        cursor=filters.cursor,
        newest_first=True,
    )
    opened = services.read_inquiries(rows, actor=request.auth)
    return {
        "items": [
            {
                "id": i.pk,
                "received_at": i.received_at,
                "status": i.status,
                "product_id": i.product_id,
                "quantity": i.quantity,
                "country": str(i.country or ""),
                **opened[i.pk],
            }
            for i in rows
        ],
        "next": next_cursor,
    }


class InquiryStatusIn(Schema):
    status: codes(InquiryStatus)


@router.patch("/market/inquiries/{inquiry_id}", response={200: dict, **ERRORS})
def patch_inquiry(request, inquiry_id: int, organization_id: int, payload: InquiryStatusIn):
    organization = organization_for_staff(request.auth, organization_id)
    found = queries.get_inquiry(request.auth, organization, inquiry_id)
    services.set_inquiry_status(found, status=payload.status, actor=request.auth)
    return {"id": found.pk, "status": found.status}


class InquiryIn(Schema):
    name: str = Field(max_length=200)
    email: str = Field(max_length=254)
    message: str = Field(max_length=4000)
    phone: str = Field("", max_length=40)
    product_id: int | None = None
    quantity: int | None = None
    country: str = Field("", max_length=60)
    website: str = Field("", description="Leave empty (a trap for robots)")


class PublicProductOut(Schema):
    id: int
    name: str
    story: str
    sector: codes(Sector)
    materials: str
    sizes: str
    price: Decimal
    currency: str
    minimum_order: int
    lead_time_days: int
    producer_groups: list[str] = Field(description="The groups' names (never a member)")
    photos: list[int]


@public.get(
    "/public/market/{slug}/products", auth=None, response={200: list[PublicProductOut], 404: ErrorOut}
)
def public_products(request, response: HttpResponse, slug: str, lang: str = ""):
    """The published products of an organization's catalogue (404 when it has none)."""
    organization = queries.catalogue_organization(slug)
    response["Cache-Control"] = "public, max-age=300"
    items = []
    for p in queries.published_products(organization):
        name, story = p.text_in(lang)
        items.append(
            {
                "id": p.pk,
                "name": name,
                "story": story,
                "sector": p.sector,
                "materials": p.materials,
                "sizes": p.sizes,
                "price": p.price,
                "currency": p.currency,
                "minimum_order": p.minimum_order,
                "lead_time_days": p.lead_time_days,
                "producer_groups": [g.name for g in p.producer_groups.all()],
                "photos": [ph.pk for ph in p.photos.all()],
            }
        )
    return items


@public.post(
    "/public/market/{slug}/inquiries",
    auth=None,
    response={201: dict, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
)
def public_inquiry(request, slug: str, payload: InquiryIn):
    """An inquiry without an account; 429 after five an hour from one address."""
    organization = queries.catalogue_organization(slug)
    services.submit_inquiry(
        organization, data=services.InquiryInput(**payload.dict()), address=throttle.client_address(request)
    )
    return Status(201, {"sent": True})


# Trading partners -------------------------------------------------------------------------------------------


class PartnerOut(Schema):
    id: int
    name: str
    kind: codes(PartnerKind)
    country: str


class PartnerDetailOut(PartnerOut):
    contact_name: str
    email: str
    phone: str
    address: str


class PartnerIn(Schema):
    name: str = Field(max_length=200)
    kind: codes(PartnerKind)
    country: str = Field("", max_length=60)
    contact_name: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    address: str = Field("", max_length=1000)


class PartnerPage(Schema):
    items: list[PartnerOut]
    next: str | None = None


def _partner_out(partner) -> dict:
    return {
        "id": partner.pk,
        "name": partner.name,
        "kind": partner.kind,
        "country": str(partner.country or ""),
    }


@router.get("/market/partners", response={200: PartnerPage, **ERRORS})
def list_partners(request, filters: Query[Paging]):
    organization = organization_for_staff(request.auth, filters.organization_id)
    rows, next_cursor = page_of(
        queries.partners_for(request.auth, organization), limit=filters.limit, cursor=filters.cursor
    )
    return {"items": [_partner_out(p) for p in rows], "next": next_cursor}


class ListedPartnerOut(PartnerOut):
    network: str = Field(description="The slug of the network that lists it")


@router.get("/market/potential-partners", response={200: list[ListedPartnerOut], **ERRORS})
def potential_partners(request, organization_id: int):
    """Trading partners the organization's networks keep: names, kinds, countries (contacts stay sealed)."""
    organization = organization_for_staff(request.auth, organization_id)
    return [
        {**_partner_out(p), "network": p.organization.slug}
        for p in queries.partners_listed_by_networks(request.auth, organization)
    ]


@router.post("/market/partners", response={201: PartnerOut, **ERRORS})
def create_partner(request, organization_id: int, payload: PartnerIn):
    """A buyer, shop, importer or exporter; its contact is sealed."""
    organization = organization_for_staff(request.auth, organization_id)
    made = services.save_partner(
        organization, data=services.PartnerInput(**payload.dict()), actor=request.auth
    )
    return Status(201, _partner_out(made))


@router.get("/market/partners/{partner_id}", response={200: PartnerDetailOut, **ERRORS})
def get_partner(request, partner_id: int, organization_id: int):
    """One partner with its contact (opened; the read is audited)."""
    organization = organization_for_staff(request.auth, organization_id)
    found = queries.get_partner(request.auth, organization, partner_id)
    return {**_partner_out(found), **services.read_partner_contact(found, actor=request.auth)}


# Sales orders ---------------------------------------------------------------------------------


class ProducerShareOut(Schema):
    id: int
    member_id: int
    quantity: int
    work_order_id: int | None


class LineOut(Schema):
    id: int
    product_id: int
    quantity: int
    unit_price: Decimal
    piece_rate: Decimal
    shares: list[ProducerShareOut]


class MoneyOut(Schema):
    currency: str
    value: Decimal
    received: Decimal = Field(description="Money in: paid by the buyer")
    owed_to_producers: Decimal
    paid_to_producers: Decimal = Field(description="Money out: paid on the producers' work orders")
    margin: Decimal = Field(description="received − paid_to_producers")


class OrderOut(Schema):
    id: int
    partner_id: int
    ordered_on: date
    due_on: date | None
    currency: str
    status: codes(SalesStatus)
    reference: str
    lines: list[LineOut]
    money: MoneyOut


class LineIn(Schema):
    product_id: int
    quantity: int
    unit_price: Decimal | None = Field(None, description="Blank: the product's price")
    piece_rate: Decimal | None = Field(None, description="Blank: the product's fair piece rate")


class OrderIn(Schema):
    partner_id: int
    ordered_on: date
    lines: list[LineIn]
    due_on: date | None = None
    reference: str = Field("", max_length=100)


class ProducerShareIn(Schema):
    member_id: int
    quantity: int


class ProducerSharesIn(Schema):
    shares: list[ProducerShareIn]


class SalePaymentIn(Schema):
    received_on: date
    amount: Decimal
    note: str = Field("", max_length=200)


class PayoutIn(Schema):
    paid_on: date
    amount: Decimal


class OrderPage(Schema):
    items: list[OrderOut]
    next: str | None = None


def _order_out(order) -> dict:
    money = queries.order_money(order)
    return {
        "id": order.pk,
        "partner_id": order.partner_id,
        "ordered_on": order.ordered_on,
        "due_on": order.due_on,
        "currency": order.currency,
        "status": order.status,
        "reference": order.reference,
        "lines": [
            {
                "id": line.pk,
                "product_id": line.product_id,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "piece_rate": line.piece_rate,
                "shares": [
                    {
                        "id": s.pk,
                        "member_id": s.member_id,
                        "quantity": s.quantity,
                        "work_order_id": s.work_order_id,
                    }
                    for s in line.shares.all()
                ],
            }
            for line in order.lines.all()
        ],
        "money": {
            "currency": money.currency,
            "value": money.value,
            "received": money.received,
            "owed_to_producers": money.owed_to_producers,
            "paid_to_producers": money.paid_to_producers,
            "margin": money.margin,
        },
    }


@router.get("/market/orders", response={200: OrderPage, **ERRORS})
def list_orders(request, filters: Query[Paging]):
    organization = organization_for_staff(request.auth, filters.organization_id)
    rows, next_cursor = page_of(
        queries.orders_for(request.auth, organization),
        limit=filters.limit,
        cursor=filters.cursor,
        newest_first=True,
    )
    return {
        "items": [_order_out(queries.get_order(request.auth, organization, o.pk)) for o in rows],
        "next": next_cursor,
    }


@router.post("/market/orders", response={201: OrderOut, **ERRORS})
def create_order(request, organization_id: int, payload: OrderIn):
    """A quote with its lines (errors name the line: ``lines.0.product``)."""
    organization = organization_for_staff(request.auth, organization_id)
    data = payload.dict()
    made = services.create_sales_order(
        organization,
        data=services.OrderInput(**{**data, "lines": [services.LineInput(**line) for line in data["lines"]]}),
        actor=request.auth,
    )
    return Status(201, _order_out(queries.get_order(request.auth, organization, made.pk)))


@router.get("/market/orders/{order_id}", response={200: OrderOut, **ERRORS})
def get_order(request, order_id: int, organization_id: int):
    organization = organization_for_staff(request.auth, organization_id)
    return _order_out(queries.get_order(request.auth, organization, order_id))


@router.put("/market/orders/{order_id}/lines/{line_id}/shares", response={200: OrderOut, **ERRORS})
def put_shares(request, order_id: int, line_id: int, organization_id: int, payload: ProducerSharesIn):
    """Share a line among producers (member ids and pieces); 422 ``split_mismatch`` with the numbers
    when they do not add up to the line's quantity."""
    organization = organization_for_staff(request.auth, organization_id)
    found = queries.get_order(request.auth, organization, order_id)
    line = queries.get_line(request.auth, organization, found, line_id)
    services.split_line(
        line, shares=[services.ShareInput(**s.dict()) for s in payload.shares], actor=request.auth
    )
    return _order_out(queries.get_order(request.auth, organization, order_id))


@router.post("/market/orders/{order_id}/accept", response={200: OrderOut, **ERRORS})
def accept(request, order_id: int, organization_id: int):
    """Accept the quote: each share becomes the producer's work order (``work_order_id``)."""
    organization = organization_for_staff(request.auth, organization_id)
    services.accept_order(queries.get_order(request.auth, organization, order_id), actor=request.auth)
    return _order_out(queries.get_order(request.auth, organization, order_id))


class SaleDeliveryIn(Schema):
    delivered_on: date


@router.post("/market/orders/{order_id}/deliver", response={200: OrderOut, **ERRORS})
def deliver(request, order_id: int, organization_id: int, payload: SaleDeliveryIn):
    """The order delivered to the buyer (an accepted order only: 422 ``not_accepted``)."""
    organization = organization_for_staff(request.auth, organization_id)
    found = queries.get_order(request.auth, organization, order_id)
    services.mark_delivered(found, on=payload.delivered_on, actor=request.auth)
    return _order_out(queries.get_order(request.auth, organization, order_id))


@router.post("/market/orders/{order_id}/payments", response={201: OrderOut, **ERRORS})
def add_payment(request, order_id: int, organization_id: int, payload: SalePaymentIn):
    """Money received from the buyer."""
    organization = organization_for_staff(request.auth, organization_id)
    found = queries.get_order(request.auth, organization, order_id)
    services.record_sale_payment(found, actor=request.auth, **payload.dict())
    return Status(201, _order_out(queries.get_order(request.auth, organization, order_id)))


@router.post("/market/orders/{order_id}/shares/{share_id}/payouts", response={201: OrderOut, **ERRORS})
def add_payout(request, order_id: int, share_id: int, organization_id: int, payload: PayoutIn):
    """A payout to a producer: a payment on her work order, in her passbook."""
    organization = organization_for_staff(request.auth, organization_id)
    found = queries.get_order(request.auth, organization, order_id)
    share = queries.get_share(request.auth, organization, found, share_id)
    services.pay_producer(share, paid_on=payload.paid_on, amount=payload.amount, actor=request.auth)
    return Status(201, _order_out(queries.get_order(request.auth, organization, order_id)))


class FigureOut(Schema):
    key: str
    currency: str
    value: Decimal
    pieces: int | None = None
    orders: int | None = None


class EarningsOut(Schema):
    currency: str
    orders: int
    value: Decimal = Field(description="Paid to the producers on these work orders")
    median_net_hourly: Decimal | None
    below_minimum: int = Field(
        description="Work orders whose net hourly earnings fell below the minimum wage"
    )


class FiguresOut(Schema):
    product: list[FigureOut]
    buyer: list[FigureOut]
    country: list[FigureOut] = Field(description="By the buyer's country")
    month: list[FigureOut]
    producers: list[EarningsOut]
    received: list[FigureOut]


@router.get("/market/figures", response={200: FiguresOut, **ERRORS})
def figures(request, organization_id: int):
    """Sales of accepted and delivered orders by product, buyer, buyer's country and month; money
    received by month; the producers' earnings from the organization's trade."""
    organization = organization_for_staff(request.auth, organization_id)
    return queries.sales_figures(request.auth, organization)


# Trade information ----------------------------------------------------------------------------


class TradeFactOut(Schema):
    id: int
    network: str = Field(description="The network's slug")
    country: str
    topic: codes(TradeTopic)
    title: str
    text: str
    source: str
    as_of: str
    verified: bool
    updated_at: datetime


class TradeFactIn(Schema):
    country: str = Field(max_length=60)
    topic: codes(TradeTopic)
    title: str = Field(max_length=200)
    text: str = Field(max_length=4000)
    source: str = Field(max_length=1000)
    as_of: str = ""
    verified: bool = False
    note_why: str = Field("", max_length=500)


class TradeFactChangeOut(Schema):
    changed_at: datetime
    text: str
    source: str
    as_of: str
    verified: bool
    note: str


class TradeFactDetailOut(TradeFactOut):
    history: list[TradeFactChangeOut]


def _fact_out(fact) -> dict:
    return {
        "id": fact.pk,
        "network": fact.organization.slug,
        "country": str(fact.country),
        **{
            n: getattr(fact, n)
            for n in ("topic", "title", "text", "source", "as_of", "verified", "updated_at")
        },
    }


@router.get("/market/trade-facts", response={200: list[TradeFactOut], **ERRORS})
def list_trade_facts(request, organization_id: int, country: str = ""):
    """The trade facts of the organization's networks (and its own, for a network)."""
    organization = organization_for_staff(request.auth, organization_id)
    return [_fact_out(f) for f in queries.trade_facts_for(request.auth, organization, country)]


@router.post("/market/trade-facts", response={200: TradeFactOut, **ERRORS})
def put_trade_fact(request, organization_id: int, payload: TradeFactIn):
    """Set a fact (a network's staff): the same country, topic and title changes it, and the
    earlier version stays in its history."""
    organization = organization_for_staff(request.auth, organization_id)
    fact = services.save_trade_fact(
        organization, data=services.TradeFactInput(**payload.dict()), actor=request.auth
    )
    return _fact_out(fact)


@router.get("/market/trade-facts/{fact_id}", response={200: TradeFactDetailOut, **ERRORS})
def get_trade_fact(request, fact_id: int, organization_id: int):
    organization = organization_for_staff(request.auth, organization_id)
    fact = queries.get_trade_fact(request.auth, organization, fact_id)
    return {
        **_fact_out(fact),
        "history": [
            {n: getattr(c, n) for n in ("changed_at", "text", "source", "as_of", "verified", "note")}
            for c in queries.trade_fact_history(fact)
        ],
    }
