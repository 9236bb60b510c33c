"""Market pages: the organization's products (price built up, photos), inquiries, buyers and orders,
figures and trade information; and the public catalogue (no login, no JavaScript), its product pages,
photos, printable PDF, CSV/JSON feed and inquiry form."""

import io
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from doorstep.core import cells, pdf, throttle
from doorstep.core.errors import DomainError, FieldError, Throttled, ValidationError
from doorstep.core.forms import add_domain_error
from doorstep.core.money import country_currency, shown
from doorstep.core.roles import STAFF_ROLES
from doorstep.members.queries import groups_of, members_of
from doorstep.organizations.queries import get_organization_with_role

from . import queries, services
from .forms import (
    InquiryForm,
    InquiryStatusForm,
    OrderForm,
    PartnerForm,
    PaymentForm,
    PayoutForm,
    PhotoForm,
    ProductForm,
    SplitForm,
    TradeFactForm,
)
from .models import SalesStatus

PUBLIC_CACHE = {"public": True, "max_age": 300}


def _org(request, org_slug: str):
    return get_organization_with_role(request.user, org_slug, STAFF_ROLES)


def _product_input(data: dict) -> services.ProductInput:
    translations = {}
    if data.get("translation_language"):
        translations[data["translation_language"].strip().lower()] = {
            "name": data.get("translation_name") or "",
            "story": data.get("translation_story") or "",
        }
    return services.ProductInput(
        name=data["name"],
        story=data.get("story") or "",
        translations=translations,
        sector=data["sector"],
        materials=data.get("materials") or "",
        sizes=data.get("sizes") or "",
        standard_minutes=data["standard_minutes"],
        hourly_wage=data.get("hourly_wage"),
        materials_cost=data.get("materials_cost") or 0,
        margin_percent=data.get("margin_percent") or 0,
        currency=data["currency"],
        price=data.get("price"),
        below_fair_reason=data.get("below_fair_reason") or "",
        minimum_order=data["minimum_order"],
        lead_time_days=data["lead_time_days"],
        producer_groups=[int(g) for g in data.get("producer_groups") or []],
        published=data.get("published", False),
    )


def _build_or_none(organization, product):
    try:
        return services.price_build(
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


@login_required
def home(request, org_slug: str):
    """Products, and a form to add one."""
    organization = _org(request, org_slug)
    groups = groups_of(request.user, organization)
    form = ProductForm(request.POST or None, groups=groups, initial={"currency": _currency(organization)})
    if request.method == "POST" and form.is_valid():
        try:
            made = services.save_product(
                organization, data=_product_input(form.cleaned_data), actor=request.user
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The product is saved."))
            return redirect("market_product", org_slug=organization.slug, product_id=made.pk)
    return render(
        request,
        "market/home.html",
        {
            "organization": organization,
            "products": queries.products_for(request.user, organization),
            "form": form,
        },
        status=422 if form.errors else 200,
    )


def _currency(organization) -> str:
    return country_currency(organization.country.code if organization.country else "")


@login_required
def product(request, org_slug: str, product_id: int):
    """One product: its price built up, its photos, and the form to change it."""
    organization = _org(request, org_slug)
    found = queries.get_product(request.user, organization, product_id)
    groups = groups_of(request.user, organization)
    translated = next(iter((found.translations or {}).items()), ("", {}))
    initial = {
        "name": found.name,
        "story": found.story,
        "sector": found.sector,
        "materials": found.materials,
        "sizes": found.sizes,
        "standard_minutes": found.standard_minutes,
        "hourly_wage": found.hourly_wage,
        "materials_cost": found.materials_cost,
        "margin_percent": found.margin_percent,
        "currency": found.currency,
        "price": found.price,
        "below_fair_reason": found.below_fair_reason,
        "minimum_order": found.minimum_order,
        "lead_time_days": found.lead_time_days,
        "published": found.published,
        "producer_groups": [str(g.pk) for g in found.producer_groups.all()],
        "translation_language": translated[0],
        "translation_name": translated[1].get("name", ""),
        "translation_story": translated[1].get("story", ""),
    }
    action = request.POST.get("action") if request.method == "POST" else None
    form = ProductForm(request.POST if action == "save" else None, groups=groups, initial=initial)
    photo_form = PhotoForm(
        request.POST if action == "photo" else None, request.FILES if action == "photo" else None
    )
    try:
        if action == "save" and form.is_valid():
            services.save_product(
                organization, data=_product_input(form.cleaned_data), actor=request.user, product=found
            )
            messages.success(request, _("The product is saved."))
            return redirect("market_product", org_slug=organization.slug, product_id=found.pk)
        if action == "photo" and photo_form.is_valid():
            upload = photo_form.cleaned_data["file"]
            services.add_photo(
                found, data=upload.read(), caption=photo_form.cleaned_data["caption"], actor=request.user
            )
            messages.success(request, _("The photo is added, without any of its metadata."))
            return redirect("market_product", org_slug=organization.slug, product_id=found.pk)
        if action == "remove_photo":
            photo = queries.get_photo(request.user, organization, request.POST.get("photo"))
            if photo.product_id != found.pk:
                raise Http404
            services.remove_photo(photo, actor=request.user)
            messages.success(request, _("The photo is removed."))
            return redirect("market_product", org_slug=organization.slug, product_id=found.pk)
    except DomainError as error:
        add_domain_error(photo_form if action == "photo" else form, error)
    bad = bool(form.errors or photo_form.errors)
    return render(
        request,
        "market/product.html",
        {
            "organization": organization,
            "product": found,
            "build": _build_or_none(organization, found),
            "photos": queries.photos_of(found),
            "form": form,
            "photo_form": photo_form,
        },
        status=422 if bad else 200,
    )


def _jpeg(photo, size: str, *, public: bool) -> HttpResponse:
    if size not in ("large", "thumb"):
        raise Http404
    response = HttpResponse(bytes(photo.thumb if size == "thumb" else photo.large), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=3600" if public else "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def photo(request, org_slug: str, photo_id: int, size: str):
    organization = _org(request, org_slug)
    return _jpeg(queries.get_photo(request.user, organization, photo_id), size, public=False)


@login_required
def inquiries(request, org_slug: str):
    """The inquiry queue: what buyers asked through the public catalogue (opened, and the read audited)."""
    organization = _org(request, org_slug)
    if request.method == "POST":
        found = queries.get_inquiry(request.user, organization, request.POST.get("inquiry"))
        form = InquiryStatusForm(request.POST)
        if form.is_valid():
            services.set_inquiry_status(found, status=form.cleaned_data["status"], actor=request.user)
            messages.success(request, _("The inquiry is updated."))
        return redirect("market_inquiries", org_slug=organization.slug)
    rows = list(queries.inquiries_for(request.user, organization)[:100])
    opened = services.read_inquiries(rows, actor=request.user)
    return render(
        request,
        "market/inquiries.html",
        {
            "organization": organization,
            "rows": [(i, opened[i.pk]) for i in rows],
            "statuses": InquiryStatusForm().fields["status"].choices,
        },
    )


def _partner_input(data: dict) -> services.PartnerInput:
    return services.PartnerInput(
        **{
            k: data.get(k) or ""
            for k in ("name", "kind", "country", "contact_name", "email", "phone", "address")
        }
    )


@login_required
def partners(request, org_slug: str):
    organization = _org(request, org_slug)
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.save_partner(
                organization, data=_partner_input(form.cleaned_data), actor=request.user
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The trading partner is saved."))
            return redirect("market_partner", org_slug=organization.slug, partner_id=made.pk)
    return render(
        request,
        "market/partners.html",
        {
            "organization": organization,
            "rows": queries.partners_for(request.user, organization),
            "form": form,
            "listed": queries.partners_listed_by_networks(request.user, organization),
        },
        status=422 if form.errors else 200,
    )


@login_required
def partner(request, org_slug: str, partner_id: int):
    organization = _org(request, org_slug)
    found = queries.get_partner(request.user, organization, partner_id)
    contact = services.read_partner_contact(found, actor=request.user)
    form = PartnerForm(
        request.POST or None,
        initial={
            "name": found.name,
            "kind": found.kind,
            "country": found.country.code if found.country else "",
            **contact,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_partner(
                organization, data=_partner_input(form.cleaned_data), actor=request.user, partner=found
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The trading partner is saved."))
            return redirect("market_partner", org_slug=organization.slug, partner_id=found.pk)
    return render(
        request,
        "market/partner.html",
        {
            "organization": organization,
            "partner": found,
            "form": form,
            "orders": queries.orders_for(request.user, organization).filter(partner=found),
        },
        status=422 if form.errors else 200,
    )


@login_required
def orders(request, org_slug: str):
    organization = _org(request, org_slug)
    form = OrderForm(
        request.POST or None,
        partners=queries.partners_for(request.user, organization),
        products=queries.products_for(request.user, organization),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.create_sales_order(
                organization,
                data=services.OrderInput(
                    partner_id=data["partner"],
                    ordered_on=data["ordered_on"],
                    due_on=data.get("due_on"),
                    reference=data.get("reference") or "",
                    lines=[
                        services.LineInput(
                            product_id=data["product"],
                            quantity=data["quantity"],
                            unit_price=data.get("unit_price"),
                            piece_rate=data.get("piece_rate"),
                        )
                    ],
                ),
                actor=request.user,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, _("The order is saved as a quote: share it among producers, then accept it.")
            )
            return redirect("market_order", org_slug=organization.slug, order_id=made.pk)
    return render(
        request,
        "market/orders.html",
        {"organization": organization, "rows": queries.orders_for(request.user, organization), "form": form},
        status=422 if form.errors else 200,
    )


def _parse_shares(text: str, organization, user) -> list[services.ShareInput]:
    """ "number: pieces" lines → shares by member id; a ``ValidationError`` naming the line otherwise."""
    numbers = {}
    wanted = []
    errors = []
    for index, raw in enumerate(line for line in text.splitlines() if line.strip()):
        left, _sep, right = raw.partition(":")
        try:
            wanted.append((int(left.strip()), int(right.strip())))
        except ValueError:
            errors.append(
                FieldError(
                    "shares",
                    _("Line %(n)s: write the member number, a colon, the pieces.") % {"n": index + 1},
                )
            )
    if errors:
        raise ValidationError(message=_("The split could not be read."), errors=errors)
    for member in members_of(user, organization).filter(number__in=[n for n, _q in wanted]):
        numbers[member.number] = member.pk
    shares = []
    for index, (number, quantity) in enumerate(wanted):
        if number not in numbers:
            errors.append(
                FieldError(
                    "shares",
                    _("Line %(n)s: there is no member number %(number)s.")
                    % {"n": index + 1, "number": number},
                )
            )
        shares.append(services.ShareInput(member_id=numbers.get(number, 0), quantity=quantity))
    if errors:
        raise ValidationError(message=_("The split could not be read."), errors=errors)
    return shares


@login_required
def order(request, org_slug: str, order_id: int):
    """One order: its lines, their split among producers, accepting it, money in and out."""
    organization = _org(request, org_slug)
    found = queries.get_order(request.user, organization, order_id)
    action = request.POST.get("action") if request.method == "POST" else None
    split_form = SplitForm(request.POST if action == "split" else None)
    payment_form = PaymentForm(request.POST if action == "payment" else None)
    payout_form = PayoutForm(request.POST if action == "payout" else None)
    failed = None
    try:
        if action == "split" and split_form.is_valid():
            line = queries.get_line(request.user, organization, found, split_form.cleaned_data["line"])
            shares = _parse_shares(split_form.cleaned_data["shares"], organization, request.user)
            services.split_line(line, shares=shares, actor=request.user)
            messages.success(request, _("The split is saved."))
            return redirect("market_order", org_slug=organization.slug, order_id=found.pk)
        if action == "accept":
            services.accept_order(found, actor=request.user)
            messages.success(request, _("The order is accepted: each producer has her work order."))
            return redirect("market_order", org_slug=organization.slug, order_id=found.pk)
        if action == "deliver":
            services.mark_delivered(found, on=timezone.localdate(), actor=request.user)
            messages.success(request, _("The order is marked as delivered."))
            return redirect("market_order", org_slug=organization.slug, order_id=found.pk)
        if action == "payment" and payment_form.is_valid():
            services.record_sale_payment(found, actor=request.user, **payment_form.cleaned_data)
            messages.success(request, _("The payment is recorded."))
            return redirect("market_order", org_slug=organization.slug, order_id=found.pk)
        if action == "payout" and payout_form.is_valid():
            share = queries.get_share(request.user, organization, found, payout_form.cleaned_data["share"])
            services.pay_producer(
                share,
                paid_on=payout_form.cleaned_data["paid_on"],
                amount=payout_form.cleaned_data["amount"],
                actor=request.user,
            )
            messages.success(request, _("The payout is recorded in her passbook."))
            return redirect("market_order", org_slug=organization.slug, order_id=found.pk)
    except DomainError as error:
        failed = {"split": split_form, "payment": payment_form, "payout": payout_form}.get(action)
        if failed is None:
            messages.error(request, error.message)
            for item in error.errors:
                messages.error(request, item.message)
            return redirect("market_order", org_slug=organization.slug, order_id=found.pk)
        add_domain_error(failed, error)
    bad = any(f.errors for f in (split_form, payment_form, payout_form))
    found = queries.get_order(request.user, organization, order_id)
    return render(
        request,
        "market/order.html",
        {
            "organization": organization,
            "order": found,
            "money": queries.order_money(found),
            "quote": found.status == SalesStatus.QUOTE,
            "split_form": split_form,
            "payment_form": payment_form,
            "payout_form": payout_form,
            "failed_action": action if bad else "",
        },
        status=422 if bad else 200,
    )


@login_required
def figures(request, org_slug: str):
    organization = _org(request, org_slug)
    return render(
        request,
        "market/figures.html",
        {"organization": organization, "by": queries.sales_figures(request.user, organization)},
    )


@login_required
def trade(request, org_slug: str):
    """Trade information of the organization's networks; a network's own staff add and change facts."""
    organization = _org(request, org_slug)
    form = TradeFactForm(request.POST or None) if organization.is_network else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            fact = services.save_trade_fact(
                organization, data=services.TradeFactInput(**form.cleaned_data), actor=request.user
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The fact is saved; its earlier version stays in the history."))
            return redirect("market_trade_fact", org_slug=organization.slug, fact_id=fact.pk)
    country = (request.GET.get("country") or "").strip()[:2]
    return render(
        request,
        "market/trade.html",
        {
            "organization": organization,
            "facts": queries.trade_facts_for(request.user, organization, country),
            "form": form,
            "country": country,
        },
        status=422 if form is not None and form.errors else 200,
    )


@login_required
def trade_fact(request, org_slug: str, fact_id: int):
    organization = _org(request, org_slug)
    fact = queries.get_trade_fact(request.user, organization, fact_id)
    return render(
        request,
        "market/trade_fact.html",
        {"organization": organization, "fact": fact, "history": queries.trade_fact_history(fact)},
    )


# The public catalogue ------------------------------------------------------------------------------------


def _public_language(request, organization) -> str:
    languages = organization.languages or ["en"]
    asked = request.GET.get("lang") or ""
    return (
        asked
        if asked in languages
        else (translation.get_language() if translation.get_language() in languages else languages[0])
    )


def _public_rows(organization, language: str) -> list[dict]:
    rows = []
    for item in queries.published_products(organization):
        name, story = item.text_in(language)
        rows.append(
            {
                "product": item,
                "name": name,
                "story": story,
                "groups": [g.name for g in item.producer_groups.all()],
                "photos": list(item.photos.all()),
            }
        )
    return rows


@cache_control(**PUBLIC_CACHE)
def catalogue(request, org_slug: str):
    organization = queries.catalogue_organization(org_slug)
    language = _public_language(request, organization)
    return render(
        request,
        "market/catalogue.html",
        {"shop": organization, "rows": _public_rows(organization, language), "language": language},
    )


@cache_control(**PUBLIC_CACHE)
def catalogue_product(request, org_slug: str, product_id: int):
    organization = queries.catalogue_organization(org_slug)
    language = _public_language(request, organization)
    found = queries.published_product(organization, product_id)
    name, story = found.text_in(language)
    return render(
        request,
        "market/catalogue_product.html",
        {
            "shop": organization,
            "product": found,
            "name": name,
            "story": story,
            "groups": [g.name for g in found.producer_groups.all()],
            "photos": list(found.photos.all()),
            "build": _build_or_none(organization, found),
            "form": InquiryForm(initial={"product": found.pk}, products=[found]),
        },
    )


def catalogue_photo(request, org_slug: str, photo_id: int, size: str):
    organization = queries.catalogue_organization(org_slug)
    return _jpeg(queries.published_photo(organization, photo_id), size, public=True)


def catalogue_pdf(request, org_slug: str):
    organization = queries.catalogue_organization(org_slug)
    language = _public_language(request, organization)
    document = pdf.Document(
        _("Catalogue of %(name)s") % {"name": organization.name}, footer=organization.name, language=language
    )
    for row in _public_rows(organization, language):
        item = row["product"]
        document.heading(row["name"])
        if row["photos"]:
            document.image(bytes(queries.published_photo(organization, row["photos"][0].pk).large), width=70)
        if row["story"]:
            document.paragraph(row["story"])
        document.table(
            [
                _("Price a piece"),
                _("Minimum order"),
                _("Lead time (days)"),
                _("Materials"),
                _("Sizes"),
                _("Made by"),
            ],
            [
                [
                    f"{shown(item.price)} {item.currency}",
                    item.minimum_order,
                    item.lead_time_days,
                    item.materials,
                    item.sizes,
                    ", ".join(row["groups"]),
                ]
            ],
        )
    response = HttpResponse(document.pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{organization.slug}-catalogue.pdf"'
    response["Cache-Control"] = "public, max-age=300"
    return response


FEED_COLUMNS = [
    "id",
    "name",
    "story",
    "sector",
    "materials",
    "sizes",
    "price",
    "currency",
    "minimum_order",
    "lead_time_days",
    "producer_groups",
    "url",
    "photo_urls",
]


def _feed_rows(request, organization, language: str) -> list[dict]:
    rows = []
    for row in _public_rows(organization, language):
        item = row["product"]
        rows.append(
            {
                "id": item.pk,
                "name": row["name"],
                "story": row["story"],
                "sector": item.sector,
                "materials": item.materials,
                "sizes": item.sizes,
                "price": shown(item.price),
                "currency": item.currency,
                "minimum_order": item.minimum_order,
                "lead_time_days": item.lead_time_days,
                "producer_groups": row["groups"],
                "url": request.build_absolute_uri(
                    reverse("catalogue_product", args=[organization.slug, item.pk])
                ),
                "photo_urls": [
                    request.build_absolute_uri(
                        reverse("catalogue_photo", args=[organization.slug, p.pk, "large"])
                    )
                    for p in row["photos"]
                ],
            }
        )
    return rows


def catalogue_feed(request, org_slug: str, fmt: str):
    if fmt not in ("csv", "json"):
        raise Http404
    organization = queries.catalogue_organization(org_slug)
    rows = _feed_rows(request, organization, _public_language(request, organization))
    if fmt == "json":
        response = HttpResponse(
            json.dumps({"organization": organization.name, "products": rows}, ensure_ascii=False),
            content_type="application/json",
        )
    else:
        out = io.StringIO()
        writer = cells.dict_writer(out, fieldnames=FEED_COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "; ".join(v) if isinstance(v, list) else v for k, v in row.items()})
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


def catalogue_inquiry(request, org_slug: str):
    """The public inquiry form: no account; the hidden ``website`` field is the robots' trap and a
    flood from one address answers 429."""
    organization = queries.catalogue_organization(org_slug)
    products = list(queries.published_products(organization))
    form = InquiryForm(
        request.POST or None, products=products, initial={"product": request.GET.get("product")}
    )
    status, sent = 200, False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.submit_inquiry(
                organization,
                data=services.InquiryInput(
                    name=data["name"],
                    email=data["email"],
                    phone=data.get("phone") or "",
                    message=data["message"],
                    product_id=data.get("product"),
                    quantity=data.get("quantity"),
                    country=data.get("country") or "",
                    website=data.get("website") or "",
                ),
                address=throttle.client_address(request),
            )
        except Throttled as refused:
            form.add_error(None, refused.message)
            status = 429
        except DomainError as error:
            add_domain_error(form, error)
        else:
            sent = True
    if form.errors and status == 200:
        status = 422
    response = render(
        request, "market/inquiry.html", {"shop": organization, "form": form, "sent": sent}, status=status
    )
    response["Cache-Control"] = "no-store"
    return response
