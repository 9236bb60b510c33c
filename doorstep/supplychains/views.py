"""Pages of the work givers (parties): the list, one party with its orders, the forms. Showing a
party's contact details audits the read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from doorstep.core.errors import DomainError
from doorstep.core.forms import add_domain_error
from doorstep.core.pagination import next_page_query, page_of
from doorstep.core.roles import STAFF_ROLES
from doorstep.organizations.queries import get_organization_with_role

from . import queries, services
from .forms import PartyFilterForm, PartyForm


def _organization(request, org_slug: str):
    return get_organization_with_role(request.user, org_slug, STAFF_ROLES)


@login_required
def party_list(request, org_slug: str):
    organization = _organization(request, org_slug)
    form = PartyFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    parties = queries.filter_parties(queries.parties_of(request.user, organization), filters).annotate(
        orders=Count("work_orders"),
        waiting=Count("work_orders", filter=Q(work_orders__flag_late=True)),
    )
    rows, next_cursor = page_of(parties, limit=100, cursor=request.GET.get("cursor"))
    return render(
        request,
        "supplychains/list.html",
        {
            "organization": organization,
            "form": form,
            "rows": rows,
            "next_query": next_page_query(request, next_cursor),
        },
    )


@login_required
def party_new(request, org_slug: str):
    organization = _organization(request, org_slug)
    form = PartyForm(request.POST or None, initial={"country": organization.country.code or ""})
    if request.method == "POST" and form.is_valid():
        try:
            party = services.create_party(organization, data=form.cleaned_data, actor=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("%(name)s is added.") % {"name": party.name})
            return redirect("party", org_slug=organization.slug, party_id=party.pk)
    return render(
        request,
        "supplychains/form.html",
        {"organization": organization, "form": form, "party": None},
        status=422 if form.errors else 200,
    )


@login_required
def party_edit(request, org_slug: str, party_id: int):
    organization = _organization(request, org_slug)
    party = queries.get_party(request.user, party_id, organization)
    if request.method == "POST":
        form = PartyForm(request.POST)
        if form.is_valid():
            try:
                services.update_party(party, data=form.cleaned_data, actor=request.user)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("The details are saved."))
                return redirect("party", org_slug=organization.slug, party_id=party.pk)
    else:
        contact = services.reveal_contact([party], actor=request.user, reason="edit")[party.pk]
        form = PartyForm(initial=PartyForm.initial_from(party, contact))
    return render(
        request,
        "supplychains/form.html",
        {"organization": organization, "form": form, "party": party},
        status=422 if form.errors else 200,
    )


@login_required
def party_detail(request, org_slug: str, party_id: int):
    from doorstep.work import queries as work_queries

    organization = _organization(request, org_slug)
    party = queries.get_party(request.user, party_id, organization)
    contact = services.reveal_contact([party], actor=request.user, reason="detail")[party.pk]
    orders = work_queries.filter_orders(
        work_queries.orders_of(request.user, organization), {"party": party.pk}
    )
    return render(
        request,
        "supplychains/detail.html",
        {
            "organization": organization,
            "party": party,
            "contact": contact,
            "orders": orders.order_by("-given_on", "-pk")[:20],
            "order_count": orders.count(),
        },
    )
