"""Pages of supply chains: the work givers (parties): the list, one party with its orders and links,
the forms, the chain; the organization's side of due diligence (its narrative to a company, the
company's commitments); supplier lists and the review of their matches. Showing a party's contact
details audits the read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doorstep.core.errors import DomainError
from doorstep.core.forms import add_domain_error
from doorstep.core.pagination import next_page_query, page_of
from doorstep.core.roles import STAFF_ROLES
from doorstep.organizations.queries import get_organization_with_role

from . import queries, services
from .forms import LinkForm, NarrativeForm, PartyFilterForm, PartyForm, TrackForm
from .models import MatchOutcome


def _organization(request, org_slug: str):
    return get_organization_with_role(request.user, org_slug, STAFF_ROLES)


@login_required
def party_list(request, org_slug: str):
    organization = _organization(request, org_slug)
    form = PartyFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    parties = queries.filter_parties(queries.parties_of(request.user, organization), filters).annotate(
        orders=Count("work_orders", filter=Q(work_orders__voided_at__isnull=True)),
        waiting=Count(
            "work_orders", filter=Q(work_orders__flag_late=True, work_orders__voided_at__isnull=True)
        ),
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
    organization = _organization(request, org_slug)
    party = queries.get_party(request.user, party_id, organization)
    others = queries.parties_of(request.user, organization).exclude(pk=party.pk).filter(is_active=True)
    link_form = LinkForm(request.POST or None, others=others)
    if request.method == "POST" and link_form.is_valid():
        data = link_form.cleaned_data
        other = queries.get_party(request.user, data["other"], organization)
        buyer, seller = (party, other) if data["direction"] == "buys_from" else (other, party)
        try:
            services.add_link(buyer, seller, data, actor=request.user)
        except DomainError as error:
            add_domain_error(link_form, error)
        else:
            messages.success(
                request, _("Linked: %(buyer)s → %(seller)s.") % {"buyer": buyer, "seller": seller}
            )
            return redirect("party", org_slug=organization.slug, party_id=party.pk)
    contact = services.reveal_contact([party], actor=request.user, reason="detail")[party.pk]
    links = list(queries.links_of(request.user, party))
    orders = queries.orders_given_by(party)
    return render(
        request,
        "supplychains/detail.html",
        {
            "organization": organization,
            "party": party,
            "contact": contact,
            "orders": orders[:20],
            "order_count": orders.count(),
            "buys_from": [link for link in links if link.buyer_id == party.pk],
            "sells_to": [link for link in links if link.seller_id == party.pk],
            "link_form": link_form,
        },
        status=422 if link_form.errors else 200,
    )


@login_required
@require_POST
def link_remove(request, org_slug: str, link_id: int):
    organization = _organization(request, org_slug)
    link = queries.get_link(request.user, link_id, organization)
    back = int(request.POST.get("back") or link.buyer_id)
    services.remove_link(link, actor=request.user)
    messages.success(request, _("The link is removed."))
    if back not in (link.buyer_id, link.seller_id):
        back = link.buyer_id
    return redirect("party", org_slug=organization.slug, party_id=back)


@login_required
def party_chain(request, org_slug: str, party_id: int):
    """The chain below a party, drawn as layers of boxes, with the members and orders each reaches."""
    organization = _organization(request, org_slug)
    party = queries.get_party(request.user, party_id, organization)
    graph = queries.chain(request.user, party)
    lines = []
    for link in graph.links:
        top, bottom = graph.node(link.buyer_id), graph.node(link.seller_id)
        lines.append(
            {
                "x1": top.x + queries.NODE_WIDTH // 2,
                "y1": top.y + queries.NODE_HEIGHT,
                "x2": bottom.x + queries.NODE_WIDTH // 2,
                "y2": bottom.y,
                "link": link,
            }
        )
    return render(
        request,
        "supplychains/chain.html",
        {
            "organization": organization,
            "party": party,
            "chain": graph,
            "lines": lines,
            "node_width": queries.NODE_WIDTH,
            "node_height": queries.NODE_HEIGHT,
        },
    )


# Due diligence: the company's view, and the organization's side of it ----------------------------------


@login_required
def company_diligence(request, org_slug: str, company_id: int):
    """The organization's side: its words to a company, step by step, and the commitments the company
    made, whose status and note the organization keeps."""
    organization = _organization(request, org_slug)
    company = next(
        (c for c in queries.companies_with_agreements(request.user, organization) if c.pk == company_id), None
    )
    if company is None:
        raise Http404
    narratives = queries.narratives_of(request.user, organization, company)
    form = NarrativeForm(
        request.POST if request.POST.get("action") == "narrative" else None,
        initial={step: row.text for step, row in narratives.items()},
    )
    track_errors = {}
    if request.method == "POST" and request.POST.get("action") == "narrative" and form.is_valid():
        try:
            services.save_narrative(organization, company, form.cleaned_data, actor=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Saved. %(company)s sees it in its dossier.") % {"company": company})
            return redirect("company_diligence", org_slug=organization.slug, company_id=company.pk)
    if request.method == "POST" and request.POST.get("action") == "track":
        commitment = queries.get_commitment(request.user, request.POST.get("commitment"), organization)
        if commitment.company_id != company.pk:
            raise Http404
        track = TrackForm(request.POST)
        if track.is_valid():
            try:
                services.track_commitment(commitment, track.cleaned_data, actor=request.user)
            except DomainError as error:
                add_domain_error(track, error)
            else:
                messages.success(request, _("The commitment is updated."))
                return redirect("company_diligence", org_slug=organization.slug, company_id=company.pk)
        track_errors[commitment.pk] = track
    commitments = list(queries.commitments_of(request.user, organization, company))

    today = timezone.localdate()
    rows = [
        (
            c,
            track_errors.get(c.pk) or TrackForm(initial={"status": c.status, "note": c.note}),
            c.is_overdue(today),
        )
        for c in commitments
    ]
    return render(
        request,
        "supplychains/company_diligence.html",
        {"organization": organization, "company": company, "form": form, "rows": rows},
        status=422 if form.errors or track_errors else 200,
    )


# Supplier lists -------------------------------------------------------------------------------------------


@login_required
def supplier_lists(request, org_slug: str):
    organization = _organization(request, org_slug)
    return render(
        request,
        "supplychains/supplier_lists.html",
        {"organization": organization, "lists": queries.supplier_lists_of(request.user, organization)},
    )


@login_required
def supplier_list(request, org_slug: str, list_id: int):
    """One list's facilities and what each was matched to; the ones waiting for a person first, each
    with the suggested work giver and the three decisions."""
    organization = _organization(request, org_slug)
    found = queries.get_supplier_list(request.user, list_id, organization)
    error = None
    if request.method == "POST":
        row = queries.get_supplier_row(request.user, request.POST.get("row"), found)
        other = None
        if request.POST.get("decision") == "other" and request.POST.get("party"):
            other = queries.get_party(request.user, request.POST.get("party"), organization)
        try:
            services.decide_supplier_row(
                row, request.POST.get("decision", ""), actor=request.user, party=other
            )
        except DomainError as problem:
            error = problem
        else:
            messages.success(request, _("Decided: %(name)s.") % {"name": row.name})
            return redirect(f"{request.path}?outcome={request.GET.get('outcome', 'review')}")
    outcome = request.GET.get("outcome", "review")
    if outcome not in MatchOutcome.values and outcome != "all":
        outcome = "review"
    rows = queries.supplier_rows(request.user, found, "" if outcome == "all" else outcome)
    page, next_cursor = page_of(rows, limit=100, cursor=request.GET.get("cursor"))
    counts = {
        row["outcome"]: row["n"]
        for row in queries.supplier_rows(request.user, found).values("outcome").annotate(n=Count("pk"))
    }
    return render(
        request,
        "supplychains/supplier_list.html",
        {
            "organization": organization,
            "supplier_list": found,
            "rows": page,
            "outcome": outcome,
            "outcomes": [(code, label, counts.get(code, 0)) for code, label in MatchOutcome.choices],
            "parties": queries.parties_of(request.user, organization).filter(is_person=False, is_active=True)
            if outcome == "review"
            else [],
            "error": error,
            "next_query": next_page_query(request, next_cursor),
        },
        status=422 if error else 200,
    )
