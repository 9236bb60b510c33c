"""Advocacy pages: the legal tracker's world table and a page per country (public, no JavaScript) with
the form network people use to keep a fact up to date; campaigns (public pages and the organizer's
own); reports to the ILO, written section by section and saved as versions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from doorstep.core.downloads import attachment
from doorstep.core.errors import DomainError, PermissionDenied
from doorstep.core.forms import add_domain_error
from doorstep.core.pagination import next_page_query, page_of
from doorstep.network.queries import invitable_organizations
from doorstep.organizations.queries import get_organization_with_role

from . import exports, queries, services
from .forms import (
    CampaignActionForm,
    CampaignForm,
    DemandForm,
    FactForm,
    ReportForm,
    ReportSectionForm,
    SubmittedForm,
    TargetForm,
    WorldFilterForm,
)
from .models import Coverage, Fact

PUBLIC_CACHE = {"public": True, "max_age": 300}


@cache_control(**PUBLIC_CACHE)
def laws(request):
    form = WorldFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        filters["q"] = form.cleaned_data["q"]
        filters["ratified"] = {"yes": True, "no": False}.get(form.cleaned_data["ratified"])
    everything = queries.world()
    rows = queries.matching(everything, filters)
    return render(
        request,
        "advocacy/world.html",
        {
            "form": form,
            "rows": rows,
            "ratified_count": sum(1 for p in everything if p.ratified),
            "coverage_labels": dict(Coverage.choices),
            "filtered": any(filters.values()),
        },
    )


@cache_control(**PUBLIC_CACHE)
def country(request, code: str):
    found = queries.profile(code)
    if code != found.country:
        return redirect("law_country", code=found.country)
    return render(
        request,
        "advocacy/country.html",
        {
            "profile": found,
            "facts": [(key, label, found.facts.get(key)) for key, label in Fact.choices],
            "coverage_labels": dict(Coverage.choices),
            "history": queries.history(found.country),
            "may_edit": services.may_edit(request.user),
        },
    )


@login_required
def edit_fact(request, code: str, fact: str):
    if not services.may_edit(request.user):
        raise PermissionDenied()
    found = queries.profile(code)
    if fact not in Fact.values:
        raise Http404
    current = found.facts.get(fact)
    initial = dict(current.value) if current else {}
    if current:
        initial.update(source=current.source, as_of=current.as_of)
    form = FactForm(request.POST or None, initial=initial, fact=fact)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_fact(found.country, fact, data=form.cleaned_data, actor=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The fact is saved; its earlier version is kept in the history."))
            return redirect("law_country", code=found.country)
    return render(
        request,
        "advocacy/edit_fact.html",
        {"profile": found, "fact": fact, "label": Fact(fact).label, "form": form},
        status=422 if form.errors else 200,
    )


# Campaigns ------------------------------------------------------------------------------------------


@cache_control(**PUBLIC_CACHE)
def campaigns(request):
    rows, next_cursor = page_of(
        queries.public_campaigns(), limit=30, cursor=request.GET.get("cursor"), newest_first=True
    )
    return render(
        request,
        "advocacy/campaigns.html",
        {"rows": rows, "next_query": next_page_query(request, next_cursor)},
    )


@cache_control(**PUBLIC_CACHE)
def campaign(request, campaign_id: int):
    return render(request, "advocacy/campaign.html", {"campaign": queries.get_public_campaign(campaign_id)})


def _lead(request, org_slug: str):
    return get_organization_with_role(request.user, org_slug, services.CAMPAIGN_ROLES)


def _campaign_form(organization, data=None, initial=None):
    return CampaignForm(data, initial=initial, organizations=invitable_organizations(organization))


@login_required
def campaign_list(request, org_slug: str):
    organization = _lead(request, org_slug)
    form = _campaign_form(organization, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.save_campaign(organization, data=form.cleaned_data, actor=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The campaign is saved."))
            return redirect("campaign_detail", org_slug=organization.slug, campaign_id=made.pk)
    rows, next_cursor = page_of(
        queries.campaigns_for(request.user, organization),
        limit=50,
        cursor=request.GET.get("cursor"),
        newest_first=True,
    )
    return render(
        request,
        "advocacy/campaign_list.html",
        {
            "organization": organization,
            "form": form,
            "rows": rows,
            "next_query": next_page_query(request, next_cursor),
        },
        status=422 if form.errors else 200,
    )


@login_required
def campaign_detail(request, org_slug: str, campaign_id: int):
    """The campaign with its demands, targets and actions; its leading organization changes them, the
    others taking part read them."""
    organization = _lead(request, org_slug)
    found = queries.get_campaign_for(request.user, organization, campaign_id)
    lead = found.organization_id == organization.pk
    action = request.POST.get("action") if request.method == "POST" and lead else None
    initial = {
        "title": found.title,
        "summary": found.summary,
        "status": found.status,
        "starts_on": found.starts_on,
        "ends_on": found.ends_on,
        "is_public": found.is_public,
        "participants": list(found.participants.all()),
    }
    forms_ = {
        "campaign": _campaign_form(
            organization, request.POST if action == "campaign" else None, initial=initial
        ),
        "demand": DemandForm(request.POST if action == "demand" else None),
        "target": TargetForm(request.POST if action == "target" else None),
        "action": CampaignActionForm(
            request.POST if action == "action" else None, targets=found.targets.all()
        ),
    }
    if action:
        try:
            done = _campaign_action(request, found, action, forms_)
        except DomainError as error:
            form = forms_.get(action)
            if form is not None and form.is_bound:
                add_domain_error(form, error)
            else:
                messages.error(request, error.message)
            done = None
        if done:
            messages.success(request, done)
            return redirect(request.path)
    return render(
        request,
        "advocacy/campaign_detail.html",
        {
            "organization": organization,
            "campaign": found,
            "lead": lead,
            "demand_statuses": found.demands.model.Status.choices,
            **{f"{name}_form": form for name, form in forms_.items()},
        },
        status=422 if action else 200,
    )


def _campaign_action(request, found, action: str, forms_: dict) -> str | None:
    user = request.user
    if action == "demand_status":
        demand = queries.get_demand(found, request.POST.get("demand"))
        services.set_demand_status(demand, status=request.POST.get("status", ""), actor=user)
        return _("The demand is updated.")
    form = forms_.get(action)
    if form is None or not form.is_valid():
        return None
    if action == "campaign":
        services.save_campaign(found.organization, data=form.cleaned_data, campaign=found, actor=user)
        return _("The campaign is saved.")
    if action == "demand":
        services.add_demand(found, text=form.cleaned_data["text"], actor=user)
        return _("The demand is added.")
    if action == "target":
        services.add_target(found, data=services.TargetInput(**form.cleaned_data), actor=user)
        return _("The target is added.")
    services.add_action(found, data=services.ActionInput(**form.cleaned_data), actor=user)
    return _("The action is recorded.")


# Reports to the ILO ---------------------------------------------------------------------------------


def _writer(request, org_slug: str):
    return get_organization_with_role(request.user, org_slug, services.REPORT_ROLES)


@login_required
def report_list(request, org_slug: str):
    organization = _writer(request, org_slug)
    form = ReportForm(request.POST or None, initial={"country": organization.country.code or ""})
    if request.method == "POST" and form.is_valid():
        try:
            made = services.save_report(organization, data=form.cleaned_data, actor=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("report_detail", org_slug=organization.slug, report_id=made.pk)
    return render(
        request,
        "advocacy/report_list.html",
        {
            "organization": organization,
            "form": form,
            "rows": queries.reports_of(request.user, organization)[:100],
        },
        status=422 if form.errors else 200,
    )


@login_required
def report_detail(request, org_slug: str, report_id: int):
    """A report's sections (add, move, remove), its versions, and saving a new version."""
    organization = _writer(request, org_slug)
    found = queries.get_report(request.user, report_id, organization)
    action = request.POST.get("action") if request.method == "POST" else None
    section_form = ReportSectionForm(request.POST if action == "section" else None)
    report_form = ReportForm(
        request.POST if action == "report" else None,
        initial={
            "title": found.title,
            "convention": found.convention,
            "country": str(found.country),
            "addressed_to": found.addressed_to,
        },
    )
    try:
        if action == "section" and section_form.is_valid():
            services.add_report_section(found, data=section_form.section_data(), actor=request.user)
            messages.success(request, _("The section is added."))
            return redirect(request.path)
        if action == "report" and report_form.is_valid():
            services.save_report(
                organization, data=report_form.cleaned_data, report=found, actor=request.user
            )
            messages.success(request, _("The report is saved."))
            return redirect(request.path)
        if action in ("up", "down", "delete"):
            section = queries.get_report_section(found, request.POST.get("section"))
            if action == "delete":
                services.delete_report_section(section, actor=request.user)
            else:
                services.move_report_section(section, up=action == "up", actor=request.user)
            return redirect(request.path)
        if action == "version":
            version = services.save_version(found, note=request.POST.get("note", ""), actor=request.user)
            messages.success(request, _("Version %(number)s is saved.") % {"number": version.number})
            return redirect(
                "report_version", org_slug=organization.slug, report_id=found.pk, number=version.number
            )
    except DomainError as error:
        form = section_form if action == "section" else report_form
        if form.is_bound:
            add_domain_error(form, error)
        else:
            messages.error(request, error.message)
    return render(
        request,
        "advocacy/report_detail.html",
        {
            "organization": organization,
            "report": found,
            "section_form": section_form,
            "report_form": report_form,
            "versions": found.versions.all()[:50],
        },
        status=422 if action else 200,
    )


@login_required
def report_version(request, org_slug: str, report_id: int, number: int, export: str = ""):
    """A saved version as a printable page, a PDF or a Word file; and recording its submission."""
    organization = _writer(request, org_slug)
    found = queries.get_report(request.user, report_id, organization)
    version = queries.get_report_version(found, number)
    name = f"{slugify(found.title) or 'report'}-v{version.number}"
    if export == "pdf":
        return attachment(exports.report_pdf(version), content_type="application/pdf", filename=f"{name}.pdf")
    if export == "docx":
        return attachment(
            exports.report_docx(version),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            filename=f"{name}.docx",
        )
    if export:
        raise Http404
    form = SubmittedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.mark_submitted(
            found, version=version, on=form.cleaned_data["submitted_on"], actor=request.user
        )
        messages.success(request, _("The report is recorded as submitted."))
        return redirect(request.path)
    return render(
        request,
        "advocacy/report_version.html",
        {
            "organization": organization,
            "report": found,
            "version": version,
            "content": version.content,
            "form": form,
        },
        status=422 if form.errors else 200,
    )
