"""Pages of social protection: the overview (schemes, next steps, renewals, coverage inside the
organization), a scheme with the form to start a member's application, the organization's own
scheme, an application with its checklist, history and the step from a rejection to a case; the
lists for the field (likely eligible but not enrolled; renewals due), printable and as CSV; and the
next steps panel on the home page. Opening an application's reference number is audited."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core.downloads import attachment as download
from doorstep.core.errors import DomainError
from doorstep.core.forms import add_domain_error
from doorstep.core.pagination import next_page_query, page_of
from doorstep.core.roles import STAFF_ROLES
from doorstep.members.queries import groups_of, members_of
from doorstep.organizations.queries import get_organization_with_role

from . import queries, services
from .forms import (
    ApplicationFilterForm,
    ChangeForm,
    EligibleFilterForm,
    ReferenceSearchForm,
    SchemeForm,
    StartForm,
    StatusForm,
)
from .models import ApplicationStatus


def _organization(request, org_slug: str):
    return get_organization_with_role(request.user, org_slug, STAFF_ROLES)


@login_required
def overview(request, org_slug: str):
    organization = _organization(request, org_slug)
    country = request.GET.get("country", organization.country.code if organization.country else "")
    search = ReferenceSearchForm(request.POST or None)
    found = None
    if request.method == "POST" and search.is_valid():
        found = services.find_by_reference(
            organization, search.cleaned_data["reference_number"], actor=request.user
        )
    form = ApplicationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    applications = queries.filter_applications(queries.applications_of(request.user, organization), filters)
    rows, next_cursor = page_of(applications, limit=50, cursor=request.GET.get("cursor"))
    return render(
        request,
        "protection/overview.html",
        {
            "organization": organization,
            "schemes": queries.schemes_for(request.user, organization, country=country or None),
            "country": country,
            "next_steps": list(queries.next_steps_due(request.user, organization)[:20]),
            "renewals": queries.renewals_due(request.user, organization).count(),
            "coverage": queries.coverage(request.user, organization),
            "form": form,
            "rows": rows,
            "next_query": next_page_query(request, next_cursor),
            "search": search,
            "found": found,
            "today": timezone.localdate(),
        },
    )


@login_required
def scheme_new(request, org_slug: str):
    organization = _organization(request, org_slug)
    form = SchemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            scheme = services.add_scheme(
                organization,
                services.SchemeInput(
                    name=data["name"],
                    kind=data["kind"],
                    country=data["country"],
                    eligibility=data["eligibility"],
                    rules=data["rules"],
                    documents=data["documents"].splitlines(),
                    where_to_apply=data["where_to_apply"],
                    benefits=data["benefits"],
                    renew_every_months=data["renew_every_months"],
                    region_names=data["region_names"].split(","),
                    source=data["source"],
                    as_of=data["as_of"],
                ),
                actor=request.user,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("protection_scheme", org_slug=organization.slug, scheme_id=scheme.pk)
    return render(
        request,
        "protection/scheme_form.html",
        {"organization": organization, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
def scheme_detail(request, org_slug: str, scheme_id: int):
    organization = _organization(request, org_slug)
    scheme = queries.get_scheme(request.user, scheme_id, organization)
    form = StartForm(request.POST or None)
    if request.method == "POST" and request.POST.get("form") == "deactivate":
        own = queries.own_scheme(request.user, scheme_id, organization)
        services.deactivate_scheme(own, actor=request.user)
        messages.success(request, _("The scheme is off the lists; its applications stay."))
        return redirect("protection", org_slug=organization.slug)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = members_of(request.user, organization).filter(number=data["member_number"]).first()
        try:
            application = services.start_application(
                organization,
                services.ApplicationInput(
                    member_id=member.pk if member else 0,
                    scheme_id=scheme.pk,
                    status=data["status"],
                    reference_number=data["reference_number"],
                    next_step=data["next_step"],
                    next_step_due=data["next_step_due"],
                ),
                actor=request.user,
            )
        except DomainError as error:
            if member is None:
                form.add_error("member_number", _("No member has this number."))
            add_domain_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(
                "protection_application", org_slug=organization.slug, application_id=application.pk
            )
    return render(
        request,
        "protection/scheme.html",
        {
            "organization": organization,
            "scheme": scheme,
            "form": form,
            "own": scheme.organization_id == organization.pk,
        },
        status=422 if form.errors else 200,
    )


@login_required
def application_detail(request, org_slug: str, application_id: int):
    organization = _organization(request, org_slug)
    application = queries.get_application(request.user, application_id, organization)
    posted = request.POST.get("form") if request.method == "POST" else None
    sealed = services.reveal([application], actor=request.user, reason="detail")[application.pk]
    initial = {
        "documents_have": [c["document"] for c in application.checklist if c["have"]],
        "reference_number": sealed.get("reference_number", ""),
        "next_step": sealed.get("next_step", ""),
        "next_step_due": application.next_step_due,
        "renew_by": application.renew_by,
        "note": sealed.get("note", ""),
    }
    forms = {
        "change": ChangeForm(
            request.POST if posted == "change" else None,
            initial=initial,
            documents=[c["document"] for c in application.checklist],
        ),
        "status": StatusForm(
            request.POST if posted == "status" else None, initial={"status": application.status}
        ),
    }
    if posted == "case":
        try:
            case = services.turn_rejection_into_case(application, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(
                "protection_application", org_slug=organization.slug, application_id=application.pk
            )
        messages.success(request, _("The rejection is now a grievance case."))
        return redirect("grievance", org_slug=organization.slug, case_id=case.pk)
    if posted == "done":
        services.next_step_done(application, actor=request.user)
        messages.success(request, _("Saved."))
        return redirect("protection_application", org_slug=organization.slug, application_id=application.pk)
    if posted in forms and forms[posted].is_valid():
        data = forms[posted].cleaned_data
        try:
            if posted == "change":
                services.update_application(
                    application,
                    services.ApplicationChange(
                        reference_number=data["reference_number"],
                        documents_have=data["documents_have"],
                        next_step=data["next_step"],
                        next_step_due=data["next_step_due"],
                        clear_next_step_due=data["next_step_due"] is None,
                        renew_by=data["renew_by"],
                        note=data["note"],
                    ),
                    actor=request.user,
                )
            else:
                services.set_status(application, data["status"], on=data["on"], actor=request.user)
        except DomainError as error:
            add_domain_error(forms[posted], error)
        else:
            messages.success(request, _("Saved."))
            return redirect(
                "protection_application", org_slug=organization.slug, application_id=application.pk
            )
    return render(
        request,
        "protection/application.html",
        {
            "organization": organization,
            "application": application,
            "sealed": sealed,
            "forms": forms,
            "rejected": application.status == ApplicationStatus.REJECTED,
            "missing": [c["document"] for c in application.checklist if not c["have"]],
        },
        status=422 if posted in forms and forms[posted].errors else 200,
    )


@login_required
def eligible(request, org_slug: str, scheme_id: int):
    """Members likely eligible for a scheme and not enrolled, by group and place: a sheet a group
    leader can print (print stylesheet) or take as CSV."""
    organization = _organization(request, org_slug)
    scheme = queries.get_scheme(request.user, scheme_id, organization)
    groups = groups_of(request.user, organization)
    form = EligibleFilterForm(request.GET or None, groups=groups)
    filters = form.cleaned_data if form.is_valid() else {}
    found, cut = queries.likely_eligible(
        request.user,
        organization,
        scheme,
        group_id=int(filters["group"]) if filters.get("group") else None,
        locality=filters.get("locality", ""),
    )
    names = services.names_for_list([e.member for e in found], actor=request.user, reason="eligible list")
    rows = [
        (
            e.member.number,
            names.get(e.member.pk, ""),
            e.member.group.name if e.member.group else "",
            e.member.locality,
            ", ".join(e.unknown),
        )
        for e in found
    ]
    if request.GET.get("format") == "csv":
        text = services.list_csv(
            [_("Member number"), _("Name"), _("Group"), _("Place"), _("To check")],
            [list(r) for r in rows],
            organization=organization,
            actor=request.user,
            what="eligible",
        )
        return download(text, content_type="text/csv; charset=utf-8", filename=f"eligible-{scheme.pk}.csv")
    return render(
        request,
        "protection/eligible.html",
        {
            "organization": organization,
            "scheme": scheme,
            "form": form,
            "rows": rows,
            "cut": cut,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def renewals(request, org_slug: str):
    organization = _organization(request, org_slug)
    due = list(queries.renewals_due(request.user, organization)[:2000])
    names = services.names_for_list([a.member for a in due], actor=request.user, reason="renewals list")
    rows = [
        (
            a.renew_by,
            a.member.number,
            names.get(a.member_id, ""),
            a.member.group.name if a.member.group else "",
            a.member.locality,
            a.scheme.name,
            a.pk,
        )
        for a in due
    ]
    if request.GET.get("format") == "csv":
        text = services.list_csv(
            [_("Renew by"), _("Member number"), _("Name"), _("Group"), _("Place"), _("Scheme")],
            [[r[0].isoformat(), *r[1:6]] for r in rows],
            organization=organization,
            actor=request.user,
            what="renewals",
        )
        return download(text, content_type="text/csv; charset=utf-8", filename="renewals.csv")
    return render(
        request,
        "protection/renewals.html",
        {"organization": organization, "rows": rows, "today": timezone.localdate()},
    )


def next_steps_panel(request, organization) -> str:
    """Next steps of members' applications due within a week (and overdue) on the home page."""
    rows = list(queries.next_steps_due(request.user, organization)[:10])
    if not rows:
        return ""
    return render_to_string(
        "protection/next_steps_panel.html",
        {"organization": organization, "rows": rows, "today": timezone.localdate()},
        request=request,
    )
