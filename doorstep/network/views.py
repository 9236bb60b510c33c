"""Pages of the directory (public, no JavaScript needed) and of an organization's entry and its
requests to join networks."""

import re
from functools import lru_cache
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST
from django_countries import countries

from doorstep.core import tenancy
from doorstep.core.errors import DomainError
from doorstep.core.forms import add_domain_error
from doorstep.core.pagination import next_page_query, page_of
from doorstep.core.roles import ADMIN_ROLES, STAFF_ROLES
from doorstep.organizations.queries import get_organization_with_role

from . import queries, services
from .forms import AffiliationRequestForm, DecisionForm, DirectoryFilterForm, ListingForm

MAP = Path(__file__).parent / "data" / "worldmap.svg"
PUBLIC_CACHE = {"public": True, "max_age": 300}


@cache_control(**PUBLIC_CACHE)
def directory(request):
    by_country = sorted(
        ((code, countries.name(code), n) for code, n in queries.listed_countries()),
        key=lambda row: (-row[2], row[1]),
    )
    form = DirectoryFilterForm(
        request.GET or None,
        networks=queries.listed_networks(),
        country_choices=sorted(((code, name) for code, name, _n in by_country), key=lambda c: c[1]),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    listings, next_cursor = page_of(
        queries.listed_organizations(filters), limit=50, cursor=request.GET.get("cursor")
    )
    return render(
        request,
        "network/directory.html",
        {
            "form": form,
            "entries": queries.entries(listings),
            "next_query": next_page_query(request, next_cursor),
            "by_country": by_country,
            "filtered": any(filters.values()) if filters else False,
        },
    )


@cache_control(**PUBLIC_CACHE)
def directory_entry(request, slug: str):
    return render(request, "network/entry.html", {"entry": queries.listed_entry(slug)})


@lru_cache(maxsize=1)
def _map_shapes() -> str:
    return MAP.read_text(encoding="utf-8")


@cache_control(**PUBLIC_CACHE)
def directory_map(request):
    """The world map with the countries of listed organizations filled in (an image; the directory
    page lists the same countries as a table beside it)."""
    listed = [code for code, _n in queries.listed_countries()]
    svg = _map_shapes()
    marked = ",".join(f"#{code}" for code in listed if re.fullmatch(r"[A-Z]{2}", code))
    style = "path{fill:#d9dde3;stroke:#fff;stroke-width:.5}"
    if marked:
        style += f"{marked}{{fill:#0b6e4f}}"
    names = ", ".join(str(countries.name(code)) for code in listed) or _("none yet")
    title = _("Countries with organizations in the directory: %(countries)s") % {"countries": names}
    head = f"<title>{escape(title)}</title><style>{style}</style>"
    svg = svg.replace(">", ">" + head, 1).replace("<svg ", '<svg role="img" ', 1)
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


@login_required
def network_home(request, org_slug: str):
    """The organization's directory entry and its affiliations: requests it sent, and (for a
    network) requests it received."""
    organization = get_organization_with_role(request.user, org_slug, STAFF_ROLES)
    is_admin = tenancy.role_in(request.user, organization) in ADMIN_ROLES
    listing = queries.listing_of(request.user, organization)
    listing_form = ListingForm(instance=listing, initial={"sectors": listing.sectors})
    networks = queries.joinable_networks(organization)
    request_form = AffiliationRequestForm(networks=networks)
    status = 200
    if request.method == "POST" and is_admin:
        action = request.POST.get("action")
        if action == "listing":
            listing_form = ListingForm(request.POST, instance=queries.listing_of(request.user, organization))
            if listing_form.is_valid():
                data = {name: listing_form.cleaned_data[name] for name in services.LISTING_FIELDS}
                try:
                    services.save_listing(organization, data=data, actor=request.user)
                except DomainError as error:
                    add_domain_error(listing_form, error)
                else:
                    messages.success(request, _("The directory entry is saved."))
                    return redirect("network_home", org_slug=organization.slug)
        elif action == "request":
            request_form = AffiliationRequestForm(request.POST, networks=networks)
            if request_form.is_valid():
                try:
                    services.request_affiliation(
                        organization,
                        network=request_form.cleaned_data["network"],
                        message=request_form.cleaned_data["message"],
                        actor=request.user,
                    )
                except DomainError as error:
                    add_domain_error(request_form, error)
                else:
                    messages.success(request, _("The request is sent to the network's administrators."))
                    return redirect("network_home", org_slug=organization.slug)
        status = 422
    received = queries.requests_received(request.user, organization) if organization.is_network else None
    return render(
        request,
        "network/home.html",
        {
            "organization": organization,
            "is_admin": is_admin,
            "listing": listing,
            "listing_form": listing_form,
            "request_form": request_form if networks.exists() else None,
            "sent": queries.requests_sent(request.user, organization)[:50],
            "received": received[:50] if received is not None else None,
            "decision_form": DecisionForm(),
        },
        status=status,
    )


@login_required
@require_POST
def affiliation_request(request, org_slug: str, request_id: int):
    """Approve or decline a request to join this network, or withdraw one this organization sent."""
    organization = get_organization_with_role(request.user, org_slug, ADMIN_ROLES)
    action = request.POST.get("action")
    form = DecisionForm(request.POST)
    answer = form.cleaned_data["answer"] if form.is_valid() else ""
    try:
        if action == "withdraw":
            found = queries.get_request_sent(request.user, organization, request_id)
            services.withdraw_request(found, actor=request.user)
            messages.success(request, _("The request is withdrawn."))
        else:
            found = queries.get_request_received(request.user, organization, request_id)
            approve = action == "approve"
            services.decide_request(found, approve=approve, answer=answer, actor=request.user)
            messages.success(
                request,
                (_("%(name)s is now affiliated.") if approve else _("The request from %(name)s is declined."))
                % {"name": found.organization.name},
            )
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("network_home", org_slug=organization.slug)
