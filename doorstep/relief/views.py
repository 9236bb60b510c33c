"""Relief pages (no JavaScript, phone-width): funds and their ledger, drawing and approving lists,
rounds and handovers, the statement's reconciliation, the figures for donors, and her own page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from doorstep.core.errors import DomainError
from doorstep.core.forms import add_domain_error
from doorstep.core.roles import STAFF_ROLES, Role
from doorstep.members import queries as member_queries
from doorstep.members.services import pii as pii_services
from doorstep.organizations.queries import current_affiliations, get_organization_with_role

from . import eligibility, queries, services
from .forms import CodeForm, EntryForm, FundForm, ListForm, PaymentForm, ReverseForm, RoundForm, SourceForm


def _organization(request, org_slug: str):
    return get_organization_with_role(request.user, org_slug, STAFF_ROLES)


def _post(request, action: str):
    return request.POST if request.method == "POST" and request.POST.get("action") == action else None


@login_required
def funds(request, org_slug: str):
    organization = _organization(request, org_slug)
    form = FundForm(_post(request, "fund"))
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.create_fund(
                organization,
                services.FundIn(data["name"], data["purpose"], data["currency"]),
                actor=request.user,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("relief_fund", organization.slug, made.pk)
    return render(
        request,
        "relief/funds.html",
        {
            "organization": organization,
            "funds": queries.funds_of(request.user, organization)[:100],
            "statements": queries.statements_of(request.user, organization).order_by("-pk")[:20],
            "form": form,
        },
        status=422 if form.errors else 200,
    )


@login_required
def fund(request, org_slug: str, fund_id: int):
    organization = _organization(request, org_slug)
    found = queries.get_fund(request.user, fund_id, organization)
    commitments = list(queries.commitments_to(organization.pk))
    sources = list(found.sources.all())
    source_form = SourceForm(_post(request, "source"), commitments=commitments)
    entry_form = EntryForm(_post(request, "entry"), sources=sources)
    networks = [a.network for a in current_affiliations(organization)["networks"]]
    groups = member_queries.groups_of(request.user, organization).values_list("name", flat=True)
    list_form = ListForm(_post(request, "list"), groups=groups, networks=networks)
    try:
        if source_form.is_bound and source_form.is_valid():
            data = source_form.cleaned_data
            commitment = next((c for c in commitments if c.pk == data["commitment"]), None)
            services.add_source(
                found,
                services.SourceIn(
                    kind=data["kind"],
                    name=data["name"],
                    company_id=commitment.company_id if commitment else None,
                    commitment_id=commitment.pk if commitment else None,
                    pledged=data["pledged"],
                ),
                actor=request.user,
            )
            return redirect("relief_fund", organization.slug, found.pk)
        if entry_form.is_bound and entry_form.is_valid():
            data = entry_form.cleaned_data
            services.record_entry(
                found,
                services.EntryIn(data["kind"], data["amount"], data["on"], data["source"], data["note"]),
                actor=request.user,
            )
            return redirect("relief_fund", organization.slug, found.pk)
        if list_form.is_bound and list_form.is_valid():
            made = services.draw_list(
                found,
                services.ListIn(
                    list_form.cleaned_data["name"],
                    list_form.rules(),
                    list_form.cleaned_data["amount"],
                    list_form.cleaned_data["network"],
                ),
                actor=request.user,
            )
            return redirect("relief_list", organization.slug, made.pk)
    except DomainError as error:
        bound = next(f for f in (source_form, entry_form, list_form) if f.is_bound)
        add_domain_error(bound, error)
    failed = any(f.errors for f in (source_form, entry_form, list_form))
    return render(
        request,
        "relief/fund.html",
        {
            "organization": organization,
            "fund": found,
            "sources": sources,
            "entries": queries.ledger_of(found).order_by("-pk")[:200],
            "reversed": queries.reversed_ids(found),
            "lists": queries.lists_of(found),
            "source_form": source_form,
            "entry_form": entry_form,
            "list_form": list_form,
        },
        status=422 if failed else 200,
    )


@login_required
def reverse_entry(request, org_slug: str, fund_id: int, entry_id: int):
    organization = _organization(request, org_slug)
    found = queries.get_fund(request.user, fund_id, organization)
    entry = queries.fund_entry(found, entry_id)
    form = ReverseForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            services.reverse_entry(found, entry.pk, reason=form.cleaned_data["reason"], actor=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The entry is corrected by its reversal."))
            return redirect("relief_fund", organization.slug, found.pk)
    return render(
        request,
        "relief/reverse.html",
        {"organization": organization, "fund": found, "entry": entry, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
def report(request, org_slug: str, fund_id: int):
    organization = _organization(request, org_slug)
    found = queries.get_fund(request.user, fund_id, organization)
    return render(
        request, "relief/report.html", {"organization": organization, "report": queries.fund_report(found)}
    )


@login_required
def relief_list(request, org_slug: str, list_id: int):
    organization = _organization(request, org_slug)
    found = queries.get_list(request.user, list_id, organization)
    round_form = RoundForm(_post(request, "round"))
    try:
        if _post(request, "approve") is not None:
            services.approve_list(found, actor=request.user)
            messages.success(request, _("The list is approved."))
            return redirect("relief_list", organization.slug, found.pk)
        if round_form.is_bound and round_form.is_valid():
            data = round_form.cleaned_data
            made = services.create_round(
                found,
                services.RoundIn(
                    data["name"], data["method"], data["opens_on"], data["amount"] or None, data["in_kind"]
                ),
                actor=request.user,
            )
            return redirect("relief_round", organization.slug, made.pk)
    except DomainError as error:
        if round_form.is_bound:
            add_domain_error(round_form, error)
        else:
            messages.error(request, error.message)
            return redirect("relief_list", organization.slug, found.pk)
    entries = list(queries.entries_of(found).select_related("member__subject_key")[:1000])
    # Reviewing a list means knowing who is on it: her name is read (audited) for the reviewer.
    names = pii_services.reveal_pii([e.member for e in entries], actor=request.user, reason="relief_list")
    return render(
        request,
        "relief/list.html",
        {
            "organization": organization,
            "relief_list": found,
            "criteria": eligibility.describe(found.rules),
            "entries": [(entry, names[entry.member_id].get("full_name", "")) for entry in entries],
            "count": queries.entries_of(found).count(),
            "flagged": sum(1 for entry in entries if entry.flagged),
            "rounds": queries.rounds_of(found),
            "round_form": round_form,
            "can_approve": found.status == "draft" and found.drawn_by_id != request.user.pk,
        },
        status=422 if round_form.errors else 200,
    )


def _member_id(round_, number) -> int:
    entry = queries.entries_of(round_.relief_list).filter(member__number=number).first()
    if entry is None:
        raise DomainError(message=_("No member with this number is on the list."), code="not_on_list")
    return entry.member_id


@login_required
def round_detail(request, org_slug: str, round_id: int):
    organization = _organization(request, org_slug)
    found = queries.get_round(request.user, round_id, organization)
    payment_form = PaymentForm(_post(request, "payment"))
    code_form = CodeForm(_post(request, "code"))
    issued = None
    try:
        if payment_form.is_bound and payment_form.is_valid():
            data = payment_form.cleaned_data
            services.record_payment(
                found,
                services.PaymentIn(
                    member_id=_member_id(found, data["member_number"]),
                    evidence=data["evidence"],
                    paid_on=data["paid_on"],
                    card_text=data["card_text"],
                    member_number=data["member_number"],
                    code=data["code"],
                    transaction_id=data["transaction_id"],
                ),
                actor=request.user,
            )
            messages.success(request, _("The payment is recorded."))
            return redirect("relief_round", organization.slug, found.pk)
        if code_form.is_bound and code_form.is_valid():
            number = code_form.cleaned_data["member_number"]
            issued = (number, services.issue_code(found, _member_id(found, number), actor=request.user))
    except DomainError as error:
        add_domain_error(payment_form if payment_form.is_bound else code_form, error)
    failed = payment_form.errors or code_form.errors
    return render(
        request,
        "relief/round.html",
        {
            "organization": organization,
            "round": found,
            "payments": queries.payments_of(found)[:1000],
            "payment_form": payment_form,
            "code_form": code_form,
            "issued": issued,
        },
        status=422 if failed else 200,
    )


@login_required
def statement(request, org_slug: str, import_id: int):
    organization = _organization(request, org_slug)
    job, lines = queries.statement_lines(request.user, import_id, organization)
    return render(
        request,
        "relief/statement.html",
        {
            "organization": organization,
            "job": job,
            "matched": lines.filter(payment__isnull=False)[:2000],
            "unmatched": lines.filter(payment__isnull=True)[:2000],
        },
    )


@login_required
def my_relief(request, org_slug: str):
    """Her own page: the lists she is on, on what criteria, who drew and who approved each, and what
    she received."""
    organization = get_organization_with_role(request.user, org_slug, {Role.WORKER})
    member = member_queries.own_member(request.user, organization)
    entries = [
        (entry, eligibility.describe(entry.relief_list.rules)) for entry in queries.lists_of_member(member)
    ]
    return render(
        request,
        "relief/mine.html",
        {"organization": organization, "entries": entries, "payments": queries.payments_of_member(member)},
    )
