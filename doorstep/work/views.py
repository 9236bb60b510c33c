"""Pages of work and earnings: the dashboard and its charts, the late-payment setting, orders and
their entries (added, corrected by a reversal; an order voided), quick entry for a batch,
benchmarks, fair rates (calculator, saved rates, rate cards) and the passbook."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from doorstep.core import inputs, languages
from doorstep.core.charts import MEDIA_TYPES
from doorstep.core.downloads import attachment
from doorstep.core.errors import DomainError, ValidationError
from doorstep.core.forms import add_domain_error
from doorstep.core.pagination import next_page_query, page_of
from doorstep.core.roles import ADMIN_ROLES, STAFF_ROLES, Role
from doorstep.core.tenancy import role_in
from doorstep.members import queries as member_queries
from doorstep.members.services import pii as member_services
from doorstep.organizations.queries import get_organization_with_role
from doorstep.supplychains import queries as party_queries

from . import benchmarks, boards, charts, queries, rates, stats
from .forms import (
    ENTRY_FORMS,
    BenchmarkForm,
    FairRateForm,
    OrderFilterForm,
    OrderForm,
    QuickEntryForm,
    SaveRateForm,
    SettingsForm,
)
from .models import Flag
from .services import batches as batch_services
from .services import benchmarks as benchmark_services
from .services import entries as entry_services
from .services import figures as figure_services
from .services import orders as order_services
from .services import rates as rate_services
from .services import validation

PAGE_SIZE = 50


def _organization(request, org_slug: str, roles=STAFF_ROLES):
    return get_organization_with_role(request.user, org_slug, roles)


def _parties(request, organization):
    return list(party_queries.parties_of(request.user, organization).filter(is_active=True))


def _calculate(form) -> rates.FairRate:
    return rates.calculate({**form.cleaned_data, "samples": form.sample_rows()})


@login_required
def fair_rate(request):
    """The fair piece-rate calculator; the result shows the formula with the numbers used."""
    form = FairRateForm(request.POST or None)
    result, problems = None, []
    if request.method == "POST" and form.is_valid():
        try:
            result = _calculate(form)
        except DomainError as error:
            problems = [(e.field, e.message) for e in error.errors]
    status = 422 if problems or form.errors else 200
    return render(
        request,
        "work/fair_rate.html",
        {"form": form, "result": result, "problems": problems, "staff_roles": STAFF_ROLES},
        status=status,
    )


# The dashboard ------------------------------------------------------------------------------------


def _board(request, organization):
    """The dashboard's board for the asked currency and period (``from``, ``to``), and the problems
    with what was asked (the board is then of all time)."""
    problems: list = []
    start, end = inputs.period(request.GET.get("from") or None, request.GET.get("to") or None, problems)
    found = boards.work_board(
        request.user,
        organization,
        currency=request.GET.get("currency"),
        start=None if problems else start,
        end=None if problems else end,
    )
    return found, problems, bool(start or end) and not problems


@login_required
def dashboard(request, org_slug: str):
    """Figures from the analytics engine (as of its last refresh, which the page states), for one
    currency and a period (``from``, ``to``; all time when blank), with charts and their tables."""
    organization = _organization(request, org_slug)
    found, problems, period_set = _board(request, organization)
    board = found.board
    query = request.GET.urlencode()
    return render(
        request,
        "work/dashboard.html",
        {
            "organization": organization,
            "found": found,
            "board": board,
            "currencies": found.currencies,
            "currency": found.currency,
            "period": {"from": request.GET.get("from", ""), "to": request.GET.get("to", "")},
            "period_set": period_set,
            "problems": problems,
            "charts": [
                (
                    drawn,
                    [(fmt.upper(), _chart_url(organization, drawn.name, fmt, query)) for fmt in MEDIA_TYPES],
                )
                for drawn in (charts.for_board(found).values() if board else [])
            ],
            "flags": [
                (code, label, board["flags"].get(code, 0) if board else 0) for code, label in Flag.choices
            ],
            "is_admin": role_in(request.user, organization) in ADMIN_ROLES,
            "settings_form": SettingsForm(initial={"late_payment_days": organization.late_payment_days}),
        },
        status=422 if problems else 200,
    )


def _chart_url(organization, name: str, fmt: str, query: str) -> str:
    url = reverse("work_chart", args=[organization.slug, name, fmt])
    return f"{url}?{query}" if query else url


@login_required
def chart(request, org_slug: str, name: str, fmt: str):
    """One chart of the dashboard (same currency and period) as SVG, PNG or its table as CSV."""
    organization = _organization(request, org_slug)
    if name not in charts.NAMES or fmt not in MEDIA_TYPES:
        raise Http404
    found, _problems, _period_set = _board(request, organization)
    if not found.board:
        raise Http404
    drawn = charts.for_board(found)[name]
    return attachment(
        drawn.as_file(fmt),
        content_type=MEDIA_TYPES[fmt],
        filename=f"{organization.slug}-{name}-{found.currency}.{fmt}",
    )


@login_required
@require_POST
def work_settings(request, org_slug: str):
    organization = _organization(request, org_slug, ADMIN_ROLES)
    form = SettingsForm(request.POST)
    if form.is_valid():
        try:
            benchmark_services.set_late_payment_days(
                organization, form.cleaned_data["late_payment_days"], actor=request.user
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Saved. The flags of every order are being worked out again."))
    else:
        messages.error(request, _("Give a number of days from 1 to 365."))
    return redirect("work_dashboard", org_slug=organization.slug)


# Orders ---------------------------------------------------------------------------------------------


@login_required
def order_list(request, org_slug: str):
    organization = _organization(request, org_slug)
    parties = list(party_queries.parties_of(request.user, organization))
    form = OrderFilterForm(request.GET or None, parties=parties)
    filters = form.cleaned_data if form.is_valid() else {}
    orders = queries.filter_orders(queries.orders_of(request.user, organization, with_voided=True), filters)
    rows, next_cursor = page_of(orders, limit=PAGE_SIZE, cursor=request.GET.get("cursor"), newest_first=True)
    return render(
        request,
        "work/order_list.html",
        {
            "organization": organization,
            "form": form,
            "orders": rows,
            "total": orders.count(),
            "next_query": next_page_query(request, next_cursor),
        },
    )


def _member_by_number(request, organization, number):
    member = member_queries.members_of(request.user, organization).filter(number=number).first()
    if member is None:
        raise ValidationError.for_field("member_number", _("There is no member with this number."))
    return member


@login_required
def order_new(request, org_slug: str):
    organization = _organization(request, org_slug)
    parties = _parties(request, organization)
    initial = {
        "given_on": timezone.localdate(),
        "currency": validation.organization_currency(organization),
        "member_number": request.GET.get("member", ""),
        "party": request.GET.get("party", ""),
    }
    form = OrderForm(request.POST or None, parties=parties, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            member = _member_by_number(request, organization, form.cleaned_data["member_number"])
            order = order_services.create_order(
                organization, data=form.to_order_data(member), actor=request.user
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The order is recorded. Add deliveries and payments as they happen."))
            return redirect("work_order", org_slug=organization.slug, order_id=order.pk)
    return render(
        request,
        "work/order_form.html",
        {"organization": organization, "form": form, "order": None, "has_parties": bool(parties)},
        status=422 if form.errors else 200,
    )


@login_required
def order_edit(request, org_slug: str, order_id: int):
    organization = _organization(request, org_slug)
    order = queries.get_order(request.user, order_id, organization)
    parties = list(party_queries.parties_of(request.user, organization))
    form = OrderForm(request.POST or None, parties=parties, initial=OrderForm.initial_from(order))
    if request.method == "POST" and form.is_valid():
        try:
            member = _member_by_number(request, organization, form.cleaned_data["member_number"])
            order_services.update_order(order, data=form.to_order_data(member), actor=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The order is saved."))
            return redirect("work_order", org_slug=organization.slug, order_id=order.pk)
    return render(
        request,
        "work/order_form.html",
        {"organization": organization, "form": form, "order": order, "has_parties": True},
        status=422 if form.errors else 200,
    )


def _entry_form(kind: str, data=None, parties=()):
    form_class = ENTRY_FORMS[kind]
    prefix = kind
    if kind == "payments":
        return form_class(data, parties=parties, prefix=prefix)
    return form_class(data, prefix=prefix)


@login_required
def order_detail(request, org_slug: str, order_id: int):
    organization = _organization(request, org_slug)
    return _render_order(request, organization, queries.get_order(request.user, order_id, organization))


def _render_order(request, organization, order, failed: tuple | None = None):
    """The order's page; ``failed`` is (kind, bound form) when an entry form came back with errors."""
    parties = _parties(request, organization)
    forms = {kind: _entry_form(kind, parties=parties) for kind in ENTRY_FORMS}
    if failed:
        forms[failed[0]] = failed[1]
    pii = member_services.reveal_pii([order.member], actor=request.user, reason="work order")
    return render(
        request,
        "work/order_detail.html",
        {
            "organization": organization,
            "order": order,
            "member_name": pii[order.member_id]["full_name"],
            "match": figure_services.benchmark_match(order),
            "forms": forms,
            "open_form": failed[0] if failed else "",
            "late_after": organization.late_payment_days,
        },
        status=422 if failed else 200,
    )


@login_required
@require_POST
def entry_add(request, org_slug: str, order_id: int, kind: str):
    if kind not in ENTRY_FORMS:
        raise Http404
    organization = _organization(request, org_slug)
    order = queries.get_order(request.user, order_id, organization)
    form = _entry_form(kind, request.POST, parties=_parties(request, organization))
    if form.is_valid():
        try:
            entry_services.add_entry(order, kind, data=form.cleaned_data, actor=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Added; the figures are worked out again."))
            return redirect("work_order", org_slug=organization.slug, order_id=order.pk)
    return _render_order(request, organization, order, failed=(kind, form))


def _problem(error: DomainError) -> str:
    return error.errors[0].message if error.errors else error.message


@login_required
@require_POST
def entry_reverse(request, org_slug: str, order_id: int, kind: str, entry_id: int):
    """Correct an entry: its reversal is recorded with who, when and the reason given."""
    if kind not in ENTRY_FORMS:
        raise Http404
    organization = _organization(request, org_slug)
    order = queries.get_order(request.user, order_id, organization)
    try:
        entry_services.reverse_entry(
            order, kind, entry_id, reason=request.POST.get("reason", ""), actor=request.user
        )
    except DomainError as error:
        messages.error(request, _problem(error))
    else:
        messages.success(request, _("Reversed; the correction is kept and the figures are worked out again."))
    return redirect(f"{reverse('work_order', args=[organization.slug, order.pk])}#{kind}")


@login_required
@require_POST
def order_void(request, org_slug: str, order_id: int):
    organization = _organization(request, org_slug)
    order = queries.get_order(request.user, order_id, organization)
    try:
        order_services.void_order(order, reason=request.POST.get("reason", ""), actor=request.user)
    except DomainError as error:
        messages.error(request, _problem(error))
    else:
        messages.success(request, _("The order is voided: it is kept, and left out of every figure."))
    return redirect("work_order", org_slug=organization.slug, order_id=order.pk)


# Quick entry ----------------------------------------------------------------------------------------


@login_required
def quick_entry(request, org_slug: str):
    """One batch (one product, one work giver) for many members on one phone screen: the members of
    a local group, each with a box for her quantity."""
    organization = _organization(request, org_slug)
    parties = _parties(request, organization)
    groups = list(member_queries.groups_of(request.user, organization))
    group_id = request.GET.get("group") or ""
    members = member_queries.members_of(request.user, organization).filter(status="active")
    if group_id.isdigit():
        members = members.filter(group_id=int(group_id))
    members = list(members.order_by("number")[:200])
    names = member_services.reveal_pii(members, actor=request.user, reason="quick entry") if members else {}
    initial = {"given_on": timezone.localdate(), "currency": validation.organization_currency(organization)}
    form = QuickEntryForm(request.POST or None, parties=parties, initial=initial)
    problems: dict[int, str] = {}
    if request.method == "POST" and form.is_valid():
        quantities = {m.pk: request.POST.get(f"q_{m.pk}", "") for m in members}
        try:
            orders = batch_services.create_batch(
                organization, common=form.cleaned_data, quantities=quantities, actor=request.user
            )
        except DomainError as error:
            for e in error.errors:
                parts = e.field.split(".")
                if parts[0] == "members" and len(parts) == 3:
                    problems[int(parts[1])] = e.message
                elif e.field in form.fields:
                    form.add_error(e.field, e.message)
                else:
                    form.add_error(None, e.message)
        else:
            messages.success(
                request,
                ngettext("%(count)d order is recorded.", "%(count)d orders are recorded.", len(orders))
                % {"count": len(orders)},
            )
            return redirect(f"{request.path}?group={group_id}")
    rows = [
        {
            "member": m,
            "name": names[m.pk]["full_name"],
            "value": request.POST.get(f"q_{m.pk}", ""),
            "error": problems.get(m.pk, ""),
        }
        for m in members
    ]
    row_errors = [
        {"id": f"q_{m.pk}", "label": f"#{m.number} {names[m.pk]['full_name']}", "message": problems[m.pk]}
        for m in members
        if m.pk in problems
    ]
    return render(
        request,
        "work/quick_entry.html",
        {
            "organization": organization,
            "form": form,
            "rows": rows,
            "row_errors": row_errors,
            "groups": groups,
            "group_id": group_id,
            "has_parties": bool(parties),
        },
        status=422 if (form.errors or problems) else 200,
    )


# Benchmarks -----------------------------------------------------------------------------------------


@login_required
def benchmark_list(request, org_slug: str):
    organization = _organization(request, org_slug)
    initial = {
        "country": organization.country.code or "",
        "currency": validation.organization_currency(organization),
    }
    form = BenchmarkForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            benchmark_services.create_benchmark(organization, data=form.cleaned_data, actor=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, _("The benchmark is added; orders are measured against it from now on.")
            )
            return redirect("benchmarks", org_slug=organization.slug)
    rows = [(b, *benchmarks.hourly(b)) for b in queries.benchmarks_for(request.user, organization)]
    return render(
        request,
        "work/benchmarks.html",
        {"organization": organization, "rows": rows, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def benchmark_delete(request, org_slug: str, benchmark_id: int):
    organization = _organization(request, org_slug)
    benchmark_services.delete_benchmark(
        queries.own_benchmark(request.user, benchmark_id, organization), actor=request.user
    )
    messages.success(request, _("The benchmark is removed."))
    return redirect("benchmarks", org_slug=organization.slug)


# Saved fair rates -----------------------------------------------------------------------------------


def _rate_rows(request, saved_rates) -> list[dict]:
    return [
        {
            "saved": saved,
            "paid": stats.compare_with_paid(saved.fair_rate, queries.rates_paid_for(request.user, saved)),
        }
        for saved in saved_rates
    ]


@login_required
def saved_rates(request, org_slug: str):
    """Fair rates worked out for the organization's products, each beside the rates actually paid;
    and the calculator, to work out and keep a new one."""
    organization = _organization(request, org_slug)
    parties = _parties(request, organization)
    form = SaveRateForm(
        request.POST or None,
        parties=parties,
        initial={"currency": validation.organization_currency(organization)},
    )
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            result = _calculate(form)
            saved = rate_services.save_rate(
                organization,
                result=result,
                product=form.cleaned_data["product"],
                party=form.cleaned_data["party"],
                sector=form.cleaned_data["sector"],
                unit=form.cleaned_data["unit"],
                actor=request.user,
            )
        except DomainError as error:
            problems = [(e.field, e.message) for e in error.errors]
            add_domain_error(form, error)
        else:
            messages.success(request, _("The fair rate is saved."))
            return redirect("rate_card", org_slug=organization.slug, rate_id=saved.pk)
    rows = _rate_rows(request, queries.saved_rates_of(request.user, organization))
    return render(
        request,
        "work/saved_rates.html",
        {"organization": organization, "form": form, "rows": rows, "problems": problems},
        status=422 if form.errors or problems else 200,
    )


@login_required
def rate_card(request, org_slug: str, rate_id: int):
    """A printable rate card to take to a negotiation: the fair rate, how it was worked out, and
    how the rates paid compare."""
    organization = _organization(request, org_slug)
    saved = queries.get_saved_rate(request.user, rate_id, organization)
    (row,) = _rate_rows(request, [saved])
    return render(
        request, "work/rate_card.html", {"organization": organization, **row, "today": timezone.localdate()}
    )


@login_required
@require_POST
def rate_delete(request, org_slug: str, rate_id: int):
    organization = _organization(request, org_slug)
    rate_services.delete_rate(queries.get_saved_rate(request.user, rate_id, organization), actor=request.user)
    messages.success(request, _("The saved rate is removed."))
    return redirect("saved_rates", org_slug=organization.slug)


# The passbook ---------------------------------------------------------------------------------------


def _passbook(request, organization, member, name: str, *, own: bool):
    """Her passbook, in her language: the one asked for (``?lang=``), else for an organizer the
    first of her languages Doorstep speaks, else the page's own."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    hers = languages.spoken(member.languages)
    asked = request.GET.get("lang", "")
    language = asked if languages.spoken([asked]) else (current if own or not hers else hers[0])
    layout = "narrow" if request.GET.get("layout") == "narrow" else "a4"
    book = stats.passbook(list(queries.member_orders(member)), timezone.localdate())
    offered = [*hers, current, language]
    with translation.override(language):
        return render(
            request,
            "work/passbook.html",
            {
                "organization": organization,
                "member": member,
                "name": name,
                "book": book,
                "own": own,
                "layout": layout,
                "language": translation.get_language_info(language),
                "languages": languages.named(offered),
                "late_after": organization.late_payment_days,
                "today": timezone.localdate(),
            },
        )


@login_required
def member_passbook(request, org_slug: str, member_id: int):
    organization = _organization(request, org_slug)
    member = member_queries.get_member(request.user, member_id, organization)
    name = member_services.reveal_pii([member], actor=request.user, reason="passbook")[member.pk]["full_name"]
    return _passbook(request, organization, member, name, own=False)


@login_required
def my_passbook(request, org_slug: str):
    """A member's own passbook: her orders, what she delivered, what she was paid and what is owed."""
    organization = _organization(request, org_slug, {Role.WORKER})
    member = member_queries.own_member(request.user, organization)
    name = member_services.reveal_own_pii(member, actor=request.user)["full_name"]
    return _passbook(request, organization, member, name, own=True)
