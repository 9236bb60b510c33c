"""Every write of the market, each a verb with its actor: products (price built up from the fair piece
rate), photos, inquiries from the public catalogue, trading partners (contacts sealed), sales orders
shared among producers (accepting one makes their work orders), payments, and a network's trade facts.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core import audit, inputs, money, tenancy, throttle, vault
from doorstep.core.errors import FieldError, Throttled, ValidationError
from doorstep.core.roles import STAFF_ROLES
from doorstep.core.sectors import Sector
from doorstep.members.models import Member, MemberGroup
from doorstep.organizations.models import Organization
from doorstep.supplychains.models import Party, PartyKind
from doorstep.supplychains.services import create_party
from doorstep.work import rates
from doorstep.work.benchmarks import Book
from doorstep.work.services.entries import add_entry
from doorstep.work.services.orders import create_order as create_work_order

from . import photos
from .models import (
    Inquiry,
    InquiryStatus,
    PartnerKind,
    Photo,
    Product,
    SalePayment,
    SalesLine,
    SalesOrder,
    SalesStatus,
    Share,
    TradeFact,
    TradeFactChange,
    TradeTopic,
    TradingPartner,
)

PARTNER_PURPOSE = "market.partner"
INQUIRY_PURPOSE = "market.inquiry"
INQUIRY_LIMIT = (5, 3600)  # inquiries an hour from one address
CENT = Decimal("0.01")
MAX_MONEY = Decimal("1e12")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_AS_OF = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


# Products and their price ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ProductInput:
    """A product as the page's form and the API give it (numbers as text or Decimal)."""

    name: str
    sector: str
    standard_minutes: object
    price: object
    currency: str
    story: str = ""
    translations: dict = field(default_factory=dict)
    materials: str = ""
    sizes: str = ""
    hourly_wage: object = None
    materials_cost: object = 0
    margin_percent: object = 0
    below_fair_reason: str = ""
    minimum_order: int = 1
    lead_time_days: int = 14
    producer_groups: list[int] = field(default_factory=list)
    published: bool = False


@dataclass(frozen=True)
class PriceBuild:
    """The price built up from the fair piece rate, every step written out."""

    hourly_wage: Decimal
    wage_reason: str
    fair_rate: Decimal  # the producers' fair share of one piece
    fair_explanation: str
    materials: Decimal
    margin: Decimal
    suggested: Decimal
    price: Decimal
    currency: str
    producers_percent: Decimal | None  # of the price, what reaches the producers

    @property
    def below_fair(self) -> bool:
        return self.price < self.fair_rate + self.materials


def _hourly_wage(organization: Organization, sector: str, currency: str, given) -> tuple[Decimal | None, str]:
    if given not in (None, ""):
        return Decimal(str(given)), _("The hourly wage the organization set for its producers.")
    match = Book(organization.pk).lookup(
        organization.country.code if organization.country else "", "", sector, (), currency, date.today()
    )
    return match.hourly, match.reason


def price_build(
    organization: Organization,
    *,
    sector: str,
    standard_minutes,
    currency: str,
    hourly_wage=None,
    materials_cost=0,
    margin_percent=0,
    price=None,
) -> PriceBuild:
    """Standard minutes ÷ 60 × hourly wage (``work.rates``), plus materials, plus the margin (a share
    of both). ``ValidationError`` when no hourly wage is given and none applies."""
    wage, reason = _hourly_wage(organization, sector, currency, hourly_wage)
    if wage is None:
        raise ValidationError.for_field(
            "hourly_wage",
            _("Give the hourly wage the producers should earn: %(reason)s") % {"reason": reason},
            code="no_wage",
        )
    fair = rates.standard_minutes(
        sam=standard_minutes, hourly_wage=wage, currency=currency, efficiency=1, cost_per_piece=0
    )
    materials = Decimal(str(materials_cost or 0))
    margin = ((fair.fair_rate + materials) * Decimal(str(margin_percent or 0)) / 100).quantize(
        CENT, rounding=ROUND_HALF_UP
    )
    suggested = (fair.fair_rate + materials + margin).quantize(CENT, rounding=ROUND_HALF_UP)
    final = Decimal(str(price)) if price not in (None, "") else suggested
    percent = (
        (fair.fair_rate * 100 / final).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if final else None
    )
    return PriceBuild(
        hourly_wage=wage,
        wage_reason=reason,
        fair_rate=fair.fair_rate,
        fair_explanation=fair.explanation,
        materials=materials,
        margin=margin,
        suggested=suggested,
        price=final,
        currency=currency,
        producers_percent=percent,
    )


def _clean_product(organization: Organization, data: ProductInput) -> tuple[dict, list[MemberGroup]]:
    errors: list[FieldError] = []
    name = " ".join(str(data.name or "").split())
    if not name:
        errors.append(FieldError("name", _("Give the product a name.")))
    elif len(name) > 200:
        errors.append(FieldError("name", _("Keep the name under 200 characters.")))
    sector = inputs.choice(data.sector, "sector", Sector, errors, required=True)
    minutes = money.decimal(
        data.standard_minutes,
        "standard_minutes",
        errors,
        required=True,
        positive=True,
        places=2,
        maximum=Decimal("100000"),
    )
    currency = money.currency(data.currency, "currency", errors)
    price = money.decimal(data.price, "price", errors, positive=True, maximum=MAX_MONEY)
    wage = money.decimal(data.hourly_wage, "hourly_wage", errors, positive=True, maximum=MAX_MONEY)
    materials = money.decimal(data.materials_cost, "materials_cost", errors, maximum=MAX_MONEY) or Decimal(0)
    margin = money.decimal(data.margin_percent, "margin_percent", errors, places=2, maximum=Decimal("1000"))
    translations = {}
    for language, texts in (data.translations or {}).items():
        if not isinstance(texts, dict) or not re.match(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$", str(language)):
            errors.append(
                FieldError(f"translations.{language}", _("Give a language code and its name and story."))
            )
            continue
        translations[str(language)] = {
            "name": " ".join(str(texts.get("name") or "").split())[:200],
            "story": str(texts.get("story") or "").strip()[:5000],
        }
    for name_, value in (("minimum_order", data.minimum_order), ("lead_time_days", data.lead_time_days)):
        if not isinstance(value, int) or value < (1 if name_ == "minimum_order" else 0) or value > 1_000_000:
            errors.append(
                FieldError(
                    name_,
                    _("Give a whole number from 1 up.")
                    if name_ == "minimum_order"
                    else _("Give a whole number of days."),
                )
            )
    groups = list(MemberGroup.objects.filter(organization=organization, pk__in=data.producer_groups or []))
    if len(groups) != len(set(data.producer_groups or [])):
        errors.append(FieldError("producer_groups", _("There is no such group in this organization.")))
    if errors:
        raise ValidationError(message=_("The product could not be saved."), errors=errors)
    build = price_build(
        organization,
        sector=sector,
        standard_minutes=minutes,
        currency=currency,
        hourly_wage=wage,
        materials_cost=materials,
        margin_percent=margin or 0,
        price=price,
    )
    reason = " ".join(str(data.below_fair_reason or "").split())[:500]
    if build.below_fair and not reason:
        message = _(
            "At %(price)s %(currency)s the producers cannot get their fair share (%(fair)s for their time "
            "plus %(materials)s for materials). Raise the price, or say why it is lower."
        ) % {
            "price": money.shown(build.price),
            "currency": currency,
            "fair": money.shown(build.fair_rate),
            "materials": money.shown(build.materials),
        }
        raise ValidationError(
            message=message, code="below_fair_share", errors=[FieldError("below_fair_reason", message)]
        )
    fields = {
        "name": name,
        "story": str(data.story or "").strip()[:5000],
        "translations": translations,
        "sector": sector,
        "materials": " ".join(str(data.materials or "").split())[:500],
        "sizes": " ".join(str(data.sizes or "").split())[:300],
        "standard_minutes": minutes,
        "hourly_wage": wage,
        "materials_cost": materials,
        "margin_percent": margin or 0,
        "currency": currency,
        "price": build.price,
        "below_fair_reason": reason if build.below_fair else "",
        "minimum_order": data.minimum_order,
        "lead_time_days": data.lead_time_days,
        "published": bool(data.published),
    }
    return fields, groups


def save_product(
    organization: Organization, *, data: ProductInput, actor, product: Product | None = None
) -> Product:
    """Add a product, or change ``product`` (every field given)."""
    tenancy.require_role(actor, organization, STAFF_ROLES)
    fields, groups = _clean_product(organization, data)
    try:
        with transaction.atomic():
            if product is None:
                product = Product.objects.create(organization=organization, **fields)
                action = "product.created"
            else:
                product = Product.objects.select_for_update().get(pk=product.pk, organization=organization)
                for name, value in fields.items():
                    setattr(product, name, value)
                product.save()
                action = "product.updated"
            product.producer_groups.set(groups)
            audit.record(action, actor=actor, organization=organization, obj=product)
    except IntegrityError:
        raise ValidationError.for_field(
            "name", _("There is already a product with this name."), code="duplicate"
        ) from None
    return product


def add_photo(product: Product, *, data: bytes, caption: str = "", actor) -> Photo:
    """A photo re-encoded without any metadata (``photos.clean``); nothing is stored when it fails."""
    tenancy.require_role(actor, product.organization_id, STAFF_ROLES)
    clean = photos.clean(data)
    with transaction.atomic():
        photo = Photo.objects.create(
            organization_id=product.organization_id,
            product=product,
            caption=" ".join(str(caption or "").split())[:200],
            width=clean.width,
            height=clean.height,
            large=clean.large,
            thumb=clean.thumb,
            position=Photo.objects.filter(product=product).count(),
        )
        audit.record("product.photo_added", actor=actor, organization=product.organization_id, obj=photo)
    return photo


def remove_photo(photo: Photo, *, actor) -> None:
    tenancy.require_role(actor, photo.organization_id, STAFF_ROLES)
    with transaction.atomic():
        audit.record("product.photo_removed", actor=actor, organization=photo.organization_id, obj=photo)
        photo.delete()


# Inquiries from the public catalogue -----------------------------------------------------------------


@dataclass(frozen=True)
class InquiryInput:
    name: str
    email: str
    message: str
    phone: str = ""
    product_id: int | None = None
    quantity: int | None = None
    country: str = ""
    website: str = ""  # the robots' trap: hidden from people, so only robots fill it in


def submit_inquiry(organization: Organization, *, data: InquiryInput, address: str | None) -> Inquiry:
    """A buyer's inquiry through the public catalogue (no account). At most ``INQUIRY_LIMIT`` an hour
    from one address (``Throttled``: 429); the hidden ``website`` field refuses robots."""
    if not throttle.allow(
        f"market-inquiry:{organization.pk}", address, limit=INQUIRY_LIMIT[0], window_seconds=INQUIRY_LIMIT[1]
    ):
        raise Throttled(message=_("Too many inquiries from here in the last hour. Please try again later."))
    errors: list[FieldError] = []
    name = " ".join(str(data.name or "").split())[:200]
    if not name:
        errors.append(FieldError("name", _("Give your name or your firm's.")))
    email = str(data.email or "").strip()[:254]
    if not _EMAIL.match(email):
        errors.append(FieldError("email", _("Give an e-mail address like name@example.org.")))
    message = str(data.message or "").strip()
    if len(message) < 5:
        errors.append(FieldError("message", _("Say what you would like to know or order.")))
    elif len(message) > 4000:
        errors.append(FieldError("message", _("Keep this under %(limit)s characters.") % {"limit": "4,000"}))
    product = None
    if data.product_id:
        product = Product.objects.filter(
            organization=organization, pk=data.product_id, published=True
        ).first()
        if product is None:
            errors.append(FieldError("product", _("There is no such product in the catalogue.")))
    if data.quantity is not None and not 0 < data.quantity <= 10_000_000:
        errors.append(FieldError("quantity", _("Give a number of pieces from 1 up.")))
    country = inputs.country_code(data.country) if data.country else ""
    if data.country and not country:
        errors.append(FieldError("country", _("Give a country as its two-letter code, e.g. KE or DE.")))
    if str(data.website or "").strip():
        errors.append(FieldError("message", _("This inquiry could not be sent.")))
    if errors:
        raise ValidationError(message=_("The inquiry is not sent."), errors=errors)
    sealed = {
        "name": name,
        "email": email,
        "phone": " ".join(str(data.phone or "").split())[:40],
        "message": message,
    }
    with transaction.atomic():
        key = vault.new_subject_key(organization)
        inquiry = Inquiry.objects.create(
            organization=organization,
            product=product,
            quantity=data.quantity,
            country=country,
            subject_key=key,
            contact=vault.seal(key, sealed, purpose=INQUIRY_PURPOSE),
        )
        audit.record("inquiry.received", organization=organization, obj=inquiry)
    return inquiry


def read_inquiries(inquiries, *, actor) -> dict[int, dict]:
    """The inquiries' sealed contact and message, opened; the read is audited."""
    inquiries = list(inquiries)
    for organization_id in {i.organization_id for i in inquiries}:
        tenancy.require_role(actor, organization_id, STAFF_ROLES)
    opened = {
        i.pk: vault.open_sealed(i.subject_key, bytes(i.contact), purpose=INQUIRY_PURPOSE) for i in inquiries
    }
    if inquiries:
        audit.record_reads(
            "inquiry.read",
            actor=actor,
            rows=inquiries,
            object_type="market.inquiry",
            ids_key="inquiry_ids",
            reason="inquiry queue",
        )
    return opened


def set_inquiry_status(inquiry: Inquiry, *, status: str, actor) -> Inquiry:
    tenancy.require_role(actor, inquiry.organization_id, STAFF_ROLES)
    if status not in InquiryStatus.values:
        raise ValidationError.for_field("status", _("Choose new, answered or closed."))
    with transaction.atomic():
        inquiry.status = status
        inquiry.save(update_fields=["status"])
        audit.record(
            "inquiry.status",
            actor=actor,
            organization=inquiry.organization_id,
            obj=inquiry,
            metadata={"status": status},
        )
    return inquiry


# Trading partners ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartnerInput:
    name: str
    kind: str
    country: str = ""
    contact_name: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""


def _clean_partner(data: PartnerInput) -> tuple[dict, dict]:
    errors: list[FieldError] = []
    name = " ".join(str(data.name or "").split())
    if not name or len(name) > 200:
        errors.append(FieldError("name", _("Give the partner's name (under 200 characters).")))
    if data.kind not in PartnerKind.values:
        errors.append(
            FieldError("kind", _("Choose one of: %(choices)s.") % {"choices": ", ".join(PartnerKind.values)})
        )
    country = inputs.country_code(data.country) if data.country else ""
    if data.country and not country:
        errors.append(FieldError("country", _("Give a country as its two-letter code, e.g. KE or DE.")))
    email = str(data.email or "").strip()
    if email and not _EMAIL.match(email):
        errors.append(FieldError("email", _("Give an e-mail address like name@example.org.")))
    if errors:
        raise ValidationError(message=_("The trading partner could not be saved."), errors=errors)
    contact = {
        "contact_name": " ".join(str(data.contact_name or "").split())[:200],
        "email": email[:254],
        "phone": " ".join(str(data.phone or "").split())[:40],
        "address": str(data.address or "").strip()[:1000],
    }
    return {"name": name, "kind": data.kind, "country": country}, contact


def save_partner(
    organization: Organization, *, data: PartnerInput, actor, partner: TradingPartner | None = None
) -> TradingPartner:
    tenancy.require_role(actor, organization, STAFF_ROLES)
    fields, contact = _clean_partner(data)
    try:
        with transaction.atomic():
            if partner is None:
                key = vault.new_subject_key(organization)
                partner = TradingPartner.objects.create(
                    organization=organization,
                    subject_key=key,
                    contact=vault.seal(key, contact, purpose=PARTNER_PURPOSE),
                    **fields,
                )
                action = "partner.created"
            else:
                for name, value in fields.items():
                    setattr(partner, name, value)
                partner.contact = vault.seal(partner.subject_key, contact, purpose=PARTNER_PURPOSE)
                partner.save()
                action = "partner.updated"
            audit.record(action, actor=actor, organization=organization, obj=partner)
    except IntegrityError:
        raise ValidationError.for_field(
            "name", _("There is already a trading partner with this name and kind."), code="duplicate"
        ) from None
    return partner


def read_partner_contact(partner: TradingPartner, *, actor) -> dict:
    tenancy.require_role(actor, partner.organization_id, STAFF_ROLES)
    opened = vault.open_sealed(partner.subject_key, bytes(partner.contact), purpose=PARTNER_PURPOSE)
    audit.record_reads(
        "partner.contact_read",
        actor=actor,
        rows=[partner],
        object_type="market.tradingpartner",
        ids_key="partner_ids",
        reason="partner page",
    )
    return opened


# Sales orders, shared among producers -------------------------------------------------------------------


@dataclass(frozen=True)
class LineInput:
    product_id: int
    quantity: int
    unit_price: object = None  # the product's price when not given
    piece_rate: object = None  # the product's fair piece rate when not given


@dataclass(frozen=True)
class OrderInput:
    partner_id: int
    ordered_on: date
    lines: list[LineInput]
    due_on: date | None = None
    reference: str = ""


def create_sales_order(organization: Organization, *, data: OrderInput, actor) -> SalesOrder:
    """A quote: the buyer's order with its lines, each with the piece rate agreed for the producers."""
    tenancy.require_role(actor, organization, STAFF_ROLES)
    errors: list[FieldError] = []
    partner = TradingPartner.objects.filter(organization=organization, pk=data.partner_id).first()
    if partner is None:
        errors.append(FieldError("partner", _("There is no such trading partner in this organization.")))
    if not data.lines:
        errors.append(FieldError("lines", _("Add at least one product.")))
    clean_lines = []
    currency = ""
    for index, line in enumerate(data.lines or []):
        place = f"lines.{index}"
        product = Product.objects.filter(organization=organization, pk=line.product_id).first()
        if product is None:
            errors.append(FieldError(f"{place}.product", _("There is no such product in this organization.")))
            continue
        if currency and product.currency != currency:
            errors.append(
                FieldError(
                    f"{place}.product", _("Every product of one order must be priced in one currency.")
                )
            )
        currency = currency or product.currency
        if not isinstance(line.quantity, int) or line.quantity < 1:
            errors.append(FieldError(f"{place}.quantity", _("Give a number of pieces from 1 up.")))
            continue
        unit_price = money.decimal(
            line.unit_price, f"{place}.unit_price", errors, positive=True, maximum=MAX_MONEY
        )
        rate = money.decimal(line.piece_rate, f"{place}.piece_rate", errors, positive=True, maximum=MAX_MONEY)
        if rate is None:
            try:
                build = price_build(
                    organization,
                    sector=product.sector,
                    standard_minutes=product.standard_minutes,
                    currency=product.currency,
                    hourly_wage=product.hourly_wage,
                    materials_cost=product.materials_cost,
                    margin_percent=product.margin_percent,
                )
            except ValidationError:
                errors.append(
                    FieldError(f"{place}.piece_rate", _("Give the piece rate agreed with the producers."))
                )
                continue
            rate = build.fair_rate
        clean_lines.append((product, line.quantity, unit_price or product.price, rate))
    if errors:
        raise ValidationError(message=_("The order could not be saved."), errors=errors)
    with transaction.atomic():
        order = SalesOrder.objects.create(
            organization=organization,
            partner=partner,
            ordered_on=data.ordered_on,
            due_on=data.due_on,
            currency=currency,
            reference=str(data.reference or "").strip()[:100],
            created_by=actor,
        )
        for product, quantity, unit_price, rate in clean_lines:
            SalesLine.objects.create(
                organization=organization,
                order=order,
                product=product,
                quantity=quantity,
                unit_price=unit_price,
                piece_rate=rate,
            )
        audit.record("sales_order.created", actor=actor, organization=organization, obj=order)
    return order


def _editable(order: SalesOrder) -> None:
    if order.status != SalesStatus.QUOTE:
        raise ValidationError.for_field(
            "status",
            _("The order is already accepted: its split can no longer change."),
            code="order_accepted",
        )


@dataclass(frozen=True)
class ShareInput:
    member_id: int
    quantity: int


def split_line(line: SalesLine, *, shares: list[ShareInput], actor) -> list[Share]:
    """Share one line among producers; the quantities must add up to the line's (refused with the
    numbers otherwise). The split given replaces the line's earlier one."""
    tenancy.require_role(actor, line.organization_id, STAFF_ROLES)
    _editable(line.order)
    errors: list[FieldError] = []
    seen: set[int] = set()
    members = {}
    for index, share in enumerate(shares):
        member = Member.objects.filter(
            organization_id=line.organization_id, pk=share.member_id, merged_into__isnull=True
        ).first()
        if member is None:
            errors.append(
                FieldError(f"shares.{index}.member", _("There is no such member in this organization."))
            )
        elif member.pk in seen:
            errors.append(FieldError(f"shares.{index}.member", _("This member is named twice.")))
        else:
            seen.add(member.pk)
            members[index] = member
        if not isinstance(share.quantity, int) or share.quantity < 1:
            errors.append(FieldError(f"shares.{index}.quantity", _("Give a number of pieces from 1 up.")))
    total = sum(s.quantity for s in shares if isinstance(s.quantity, int))
    if not errors and total != line.quantity:
        message = _("The shares add up to %(total)s pieces, but the line is for %(quantity)s.") % {
            "total": total,
            "quantity": line.quantity,
        }
        raise ValidationError(message=message, code="split_mismatch", errors=[FieldError("shares", message)])
    if errors:
        raise ValidationError(message=_("The split could not be saved."), errors=errors)
    with transaction.atomic():
        Share.objects.filter(line=line).delete()
        made = [
            Share.objects.create(
                organization_id=line.organization_id, line=line, member=members[i], quantity=s.quantity
            )
            for i, s in enumerate(shares)
        ]
        audit.record(
            "sales_order.split",
            actor=actor,
            organization=line.organization_id,
            obj=line.order,
            metadata={"line_id": line.pk, "shares": len(made)},
        )
    return made


def own_trade_party(organization: Organization, *, actor) -> Party:
    """The work giver the organization's own trade is recorded under (itself), made once."""
    found = Party.objects.filter(
        organization=organization, name=organization.name[:200], kind=PartyKind.CONTRACTOR, locality=""
    ).first()
    if found is not None:
        return found
    return create_party(
        organization,
        data={
            "name": organization.name[:200],
            "kind": PartyKind.CONTRACTOR,
            "country": organization.country.code if organization.country else "",
        },
        actor=actor,
    )


def accept_order(order: SalesOrder, *, actor, on: date | None = None) -> SalesOrder:
    """Accept a quote: each producer's share becomes her work order (the agreed piece rate, the
    organization as work giver), so that she sees it in her passbook. Refused, with the numbers,
    while a line's split does not add up to its quantity."""
    tenancy.require_role(actor, order.organization_id, STAFF_ROLES)
    organization = Organization.objects.get(pk=order.organization_id)
    with transaction.atomic():
        order = SalesOrder.objects.select_for_update().get(pk=order.pk)
        _editable(order)
        errors = []
        lines = list(order.lines.select_related("product").prefetch_related("shares"))
        for index, line in enumerate(lines):
            split = sum(s.quantity for s in line.shares.all())
            if split != line.quantity:
                errors.append(
                    FieldError(
                        f"lines.{index}.shares",
                        _(
                            "%(product)s: the shares add up to %(total)s pieces, "
                            "but the line is for %(quantity)s."
                        )
                        % {"product": line.product.name, "total": split, "quantity": line.quantity},
                    )
                )
        if errors:
            raise ValidationError(
                message=_("Share every line among producers before accepting the order."),
                code="split_mismatch",
                errors=errors,
            )
        party = own_trade_party(organization, actor=actor)
        given_on = on or timezone.localdate()
        for line in lines:
            for share in line.shares.all():
                work_order = create_work_order(
                    organization,
                    data={
                        "member": share.member_id,
                        "party": party.pk,
                        "given_on": given_on.isoformat(),
                        "product": line.product.name,
                        "sector": line.product.sector,
                        "quantity_ordered": str(share.quantity),
                        "piece_rate": str(line.piece_rate),
                        "currency": order.currency,
                        "deadline": order.due_on.isoformat() if order.due_on else "",
                    },
                    actor=actor,
                )
                share.work_order = work_order
                share.save(update_fields=["work_order"])
        order.status, order.accepted_at = SalesStatus.ACCEPTED, timezone.now()
        order.save(update_fields=["status", "accepted_at"])
        audit.record("sales_order.accepted", actor=actor, organization=order.organization_id, obj=order)
    return order


def record_sale_payment(
    order: SalesOrder, *, received_on: date, amount, note: str = "", actor
) -> SalePayment:
    """Money received from the buyer."""
    tenancy.require_role(actor, order.organization_id, STAFF_ROLES)
    errors: list[FieldError] = []
    value = money.decimal(amount, "amount", errors, required=True, positive=True, maximum=MAX_MONEY)
    if received_on is None:
        errors.append(FieldError("received_on", _("Give the date the money came in.")))
    if errors:
        raise ValidationError(message=_("The payment could not be saved."), errors=errors)
    with transaction.atomic():
        payment = SalePayment.objects.create(
            organization_id=order.organization_id,
            order=order,
            received_on=received_on,
            amount=value,
            note=str(note or "").strip()[:200],
            recorded_by=actor,
        )
        audit.record("sales_order.payment", actor=actor, organization=order.organization_id, obj=order)
    return payment


def pay_producer(share: Share, *, paid_on: date, amount, actor):
    """A payout to a producer for her share: a payment on her work order (so it is in her passbook)."""
    tenancy.require_role(actor, share.organization_id, STAFF_ROLES)
    if share.work_order is None:
        raise ValidationError.for_field(
            "share", _("Accept the order before paying its producers."), code="not_accepted"
        )
    return add_entry(
        share.work_order,
        "payments",
        data={"paid_on": paid_on.isoformat() if paid_on else "", "amount": amount},
        actor=actor,
    )


def mark_delivered(order: SalesOrder, *, on: date, actor) -> SalesOrder:
    tenancy.require_role(actor, order.organization_id, STAFF_ROLES)
    if order.status != SalesStatus.ACCEPTED:
        raise ValidationError.for_field(
            "status", _("Only an accepted order can be delivered."), code="not_accepted"
        )
    with transaction.atomic():
        order.status, order.delivered_on = SalesStatus.DELIVERED, on
        order.save(update_fields=["status", "delivered_on"])
        audit.record("sales_order.delivered", actor=actor, organization=order.organization_id, obj=order)
    return order


# A network's trade information ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TradeFactInput:
    country: str
    topic: str
    title: str
    text: str
    source: str
    as_of: str = ""
    verified: bool = False
    note_why: str = ""


def save_trade_fact(network: Organization, *, data: TradeFactInput, actor) -> TradeFact:
    """Set one sourced fact about selling to a country; the earlier version stays in its history."""
    tenancy.require_role(actor, network, STAFF_ROLES)
    if not network.is_network:
        raise Http404
    errors: list[FieldError] = []
    country = inputs.country_code(data.country)
    if not country:
        errors.append(FieldError("country", _("Give a country as its two-letter code, e.g. DE or US.")))
    if data.topic not in TradeTopic.values:
        errors.append(
            FieldError("topic", _("Choose one of: %(choices)s.") % {"choices": ", ".join(TradeTopic.values)})
        )
    title = " ".join(str(data.title or "").split())[:200]
    if not title:
        errors.append(FieldError("title", _("Give the fact a short title.")))
    text = str(data.text or "").strip()
    if not text or len(text) > 4000:
        errors.append(FieldError("text", _("Say what an exporter needs to know (under 4,000 characters).")))
    source = str(data.source or "").strip()[:1000]
    if not source:
        errors.append(
            FieldError("source", _("Every fact needs its source: a law, an official page, a report."))
        )
    as_of = str(data.as_of or "").strip()
    if as_of and not _AS_OF.match(as_of):
        errors.append(FieldError("as_of", _("Give the source's date as 2024, 2024-05 or 2024-05-31.")))
    if errors:
        raise ValidationError(message=_("The fact could not be saved."), errors=errors)
    with transaction.atomic():
        fact, _created = TradeFact.objects.select_for_update().get_or_create(
            organization=network,
            country=country,
            topic=data.topic,
            title=title,
            defaults={
                "text": text,
                "source": source,
                "as_of": as_of,
                "verified": data.verified,
                "updated_by": actor,
            },
        )
        fact.text, fact.source, fact.as_of, fact.verified, fact.updated_by = (
            text,
            source,
            as_of,
            bool(data.verified),
            actor,
        )
        fact.save()
        TradeFactChange.objects.create(
            organization=network,
            fact=fact,
            text=text,
            source=source,
            as_of=as_of,
            verified=bool(data.verified),
            note=str(data.note_why or "").strip()[:500],
            changed_by=actor,
        )
        audit.record("trade_fact.saved", actor=actor, organization=network, obj=fact)
    return fact


# Her rights (registered with core.rights in apps.py) -----------------------------------------------------


def export_shares(member: Member) -> dict[str, list[dict]]:
    """Her shares of the organization's sales orders: what she was to make, at what rate."""
    rows = Share.objects.filter(member=member).select_related("line__product", "line__order").order_by("pk")
    return {
        "market_shares": [
            {
                "order": s.line.order_id,
                "ordered_on": s.line.order.ordered_on.isoformat(),
                "product": s.line.product.name,
                "quantity": s.quantity,
                "piece_rate": str(s.line.piece_rate),
                "currency": s.line.order.currency,
                "work_order": s.work_order_id,
            }
            for s in rows
        ]
    }


def erase_shares(member: Member) -> None:
    Share.objects.filter(member=member).delete()


def move_shares(other: Member, survivor: Member) -> None:
    """Two records of one woman merged: her shares go with the record that stays (one share a line)."""
    for share in Share.objects.filter(member=other):
        kept = Share.objects.filter(line_id=share.line_id, member=survivor).first()
        if kept is None:
            share.member = survivor
            share.save(update_fields=["member"])
        else:
            kept.quantity += share.quantity
            kept.save(update_fields=["quantity"])
            share.delete()
