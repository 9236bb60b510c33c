"""Pages of grievances: the case list, a case with its timeline and the forms that move it on, the
statistics, and the deadlines panel on the home page; the public intake form, its receipt check and
the review of reports; cases shared with a company, as the company sees them. Opening a case reads
sealed data: audited."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doorstep.core import qr, throttle
from doorstep.core.charts import MEDIA_TYPES, Bar, Chart
from doorstep.core.downloads import attachment as download
from doorstep.core.errors import DomainError, Throttled
from doorstep.core.forms import add_domain_error
from doorstep.core.inputs import date_value
from doorstep.core.languages import named, spoken
from doorstep.core.pagination import next_page_query, page_of
from doorstep.core.roles import STAFF_ROLES
from doorstep.organizations.queries import get_organization_with_role
from doorstep.supplychains.queries import company_for, parties_of

from . import queries
from .forms import (
    AcceptForm,
    ActionForm,
    AttachmentForm,
    CaseCommitmentForm,
    CaseFilterForm,
    CaseForm,
    IntakeForm,
    ReceiptForm,
    RemedyForm,
    ReplyForm,
    ShareForm,
    StatusForm,
)
from .models import CaseStatus, IntakeStatus
from .services import cases as case_services
from .services import evidence as evidence_services
from .services import intake as intake_services
from .services import remedies as remedy_services
from .services import sharing as sharing_services
from .services import timeline as timeline_services


def _organization(request, org_slug: str):
    return get_organization_with_role(request.user, org_slug, STAFF_ROLES)


def _choices(request, organization) -> dict:
    return {
        "parties": parties_of(request.user, organization).filter(is_active=True),
        "staff": queries.staff_of(request.user, organization),
    }


@login_required
def case_list(request, org_slug: str):
    organization = _organization(request, org_slug)
    form = CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {"open": True}
    cases = queries.filter_cases(queries.cases_of(request.user, organization), filters).prefetch_related(
        "parties"
    )
    rows, next_cursor = page_of(cases, limit=50, cursor=request.GET.get("cursor"))
    summaries = case_services.summaries(rows, actor=request.user, reason="list")
    return render(
        request,
        "grievances/list.html",
        {
            "organization": organization,
            "form": form,
            "rows": [(case, summaries.get(case.pk, "")) for case in rows],
            "next_query": next_page_query(request, next_cursor),
            "deadlines": queries.deadlines(request.user, organization)[:20],
            "waiting": queries.pending_reports(request.user, organization).count(),
        },
    )


@login_required
def case_new(request, org_slug: str):
    organization = _organization(request, org_slug)
    form = CaseForm(request.POST or None, **_choices(request, organization))
    if request.method == "POST" and form.is_valid():
        try:
            case = case_services.create_case(organization, data=form.cleaned_data, actor=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Case %(number)s is opened.") % {"number": case.number})
            return redirect("grievance", org_slug=organization.slug, case_id=case.pk)
    return render(
        request,
        "grievances/form.html",
        {"organization": organization, "form": form, "case": None},
        status=422 if form.errors else 200,
    )


@login_required
def case_edit(request, org_slug: str, case_id: int):
    organization = _organization(request, org_slug)
    case = queries.get_case(request.user, case_id, organization)
    if request.method == "POST":
        form = CaseForm(request.POST, **_choices(request, organization))
        if form.is_valid():
            try:
                case_services.update_case(case, data=form.cleaned_data, actor=request.user)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("The case is saved."))
                return redirect("grievance", org_slug=organization.slug, case_id=case.pk)
    else:
        sealed = case_services.reveal_case(case, actor=request.user, reason="edit")
        form = CaseForm(
            initial={
                "kind": case.kind,
                "category": case.category,
                "member_numbers": ", ".join(str(m.number) for m in case.members.all()),
                "group_description": case.group_description,
                "parties": [p.pk for p in case.parties.all()],
                "orders": ", ".join(str(o.pk) for o in case.orders.all()),
                "summary": sealed.get("summary", ""),
                "narrative": sealed.get("narrative", ""),
                "priority": case.priority,
                "taken_by": case.taken_by_id or "",
                "opened_on": case.opened_on,
            },
            **_choices(request, organization),
        )
    return render(
        request,
        "grievances/form.html",
        {"organization": organization, "form": form, "case": case},
        status=422 if form.errors else 200,
    )


@login_required
def case_detail(request, org_slug: str, case_id: int):
    """The case, its timeline, and the forms to record an action, a remedy, evidence or a new status.
    Each form posts here with its ``form`` name; a form with errors is shown again with them."""
    organization = _organization(request, org_slug)
    case = queries.get_case(request.user, case_id, organization)
    posted = request.POST.get("form") if request.method == "POST" else None
    if posted == "withdraw":
        share = queries.get_share(request.user, request.POST.get("share"), organization)
        if share.case_id == case.pk:
            sharing_services.withdraw_share(share, actor=request.user)
            messages.success(request, _("The company no longer sees this case."))
        return redirect("grievance", org_slug=organization.slug, case_id=case.pk)
    companies = sharing_services.companies_for_cases(organization)
    forms = {
        "action": ActionForm(request.POST if posted == "action" else None),
        "remedy": RemedyForm(request.POST if posted == "remedy" else None, orders=case.orders.all()),
        "status": StatusForm(request.POST if posted == "status" else None, initial={"status": case.status}),
        "attachment": AttachmentForm(
            request.POST if posted == "attachment" else None,
            request.FILES if posted == "attachment" else None,
        ),
        "share": ShareForm(request.POST if posted == "share" else None, companies=companies),
    }
    if posted in forms and forms[posted].is_valid():
        form = forms[posted]
        try:
            if posted == "action":
                timeline_services.add_action(case, form.cleaned_data, actor=request.user)
            elif posted == "remedy":
                remedy_services.add_remedy(case, form.cleaned_data, actor=request.user)
            elif posted == "status":
                case_services.set_status(case, form.cleaned_data["status"], actor=request.user)
            elif posted == "share":
                company = next(c for c in companies if c.pk == form.cleaned_data["company"])
                sharing_services.share_case(case, company, form.cleaned_data, actor=request.user)
            else:
                upload = form.cleaned_data["file"]
                evidence_services.add_attachment(
                    case, name=upload.name, data=upload.read(), actor=request.user
                )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("grievance", org_slug=organization.slug, case_id=case.pk)
    sealed = case_services.reveal_case(case, actor=request.user, reason="detail")
    return render(
        request,
        "grievances/detail.html",
        {
            "organization": organization,
            "case": case,
            "sealed": sealed,
            "timeline": timeline_services.timeline(case, actor=request.user, reason="detail"),
            "owed": queries.owed(case),
            "forms": forms,
            "posted": posted,
            "shares": [s for s in queries.shares_of(request.user, case) if s.withdrawn_at is None],
            "companies": companies,
        },
        status=422 if posted in forms and forms[posted].errors else 200,
    )


@login_required
@require_POST
def deadline_done(request, org_slug: str, action_id: int):
    organization = _organization(request, org_slug)
    action = queries.get_action(request.user, action_id, organization)
    try:
        timeline_services.complete_deadline(action, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The deadline is marked as met."))
    return redirect("grievance", org_slug=organization.slug, case_id=action.case_id)


@login_required
def attachment_download(request, org_slug: str, attachment_id: int):
    organization = _organization(request, org_slug)
    item = queries.get_attachment(request.user, attachment_id, organization)
    name, data = evidence_services.open_attachment(item, actor=request.user)
    return download(data, content_type=item.content_type, filename=name)


@login_required
def case_stats(request, org_slug: str):
    organization = _organization(request, org_slug)
    problems = []
    start = date_value(request.GET.get("from"), "from", problems)
    end = date_value(request.GET.get("to"), "to", problems)
    stats = queries.stats(request.user, organization, start=start, end=end)
    chart = Chart(
        "cases_by_problem",
        _("Cases by problem"),
        _("Cases"),
        [Bar(label, n, str(n)) for _code, label, n in stats.by_category],
    )
    drawing = request.GET.get("chart", "")
    if drawing:
        if drawing not in MEDIA_TYPES or problems:
            raise Http404
        return download(
            chart.as_file(drawing),
            content_type=MEDIA_TYPES[drawing],
            filename=f"{organization.slug}-cases-by-problem.{drawing}",
        )
    query = request.GET.urlencode()
    return render(
        request,
        "grievances/stats.html",
        {
            "organization": organization,
            "stats": stats,
            "chart": chart if chart.bars else None,
            "chart_downloads": [(fmt.upper(), f"?{query}&chart={fmt}") for fmt in MEDIA_TYPES],
            "problems": problems,
        },
        status=422 if problems else 200,
    )


def deadlines_panel(request, organization) -> str:
    """Deadlines due within a week (and past ones) on the home page of the organization's staff."""
    rows = list(queries.deadlines(request.user, organization, mine_only=True)[:10])
    if not rows:
        return ""

    return render_to_string(
        "grievances/deadlines_panel.html",
        {"organization": organization, "rows": rows, "today": timezone.localdate()},
        request=request,
    )


# Intake without an account ------------------------------------------------------------------------------


def _language(request, organization) -> str:
    """The form's language: one of the organization's that Doorstep speaks, as asked (?lang=), else
    the browser's if it is one of them, else the organization's first."""
    languages = spoken(organization.languages or []) or ["en"]
    asked = request.GET.get("lang") or request.POST.get("lang") or translation.get_language() or ""
    return asked if asked in languages else languages[0]


def intake(request, code: str):
    """The public intake form: works on a basic phone's browser, without JavaScript and without an
    account. The receipt code is shown once, on the answer to the form."""
    channel = queries.open_channel_by_code(code)
    if channel is None:
        raise Http404
    organization = channel.organization
    language = _language(request, organization)
    with translation.override(language):
        form = IntakeForm(request.POST or None, initial={"started": intake_services.intake_started_token()})
        status, receipt = 200, None
        if request.method == "POST" and form.is_valid():
            try:
                receipt = intake_services.submit_intake(
                    code, form.cleaned_data, address=throttle.client_address(request), language=language
                )
            except Throttled as refused:
                form.add_error(None, refused.message)
                status = 429
            except DomainError as error:
                add_domain_error(form, error)
        if form.errors and status == 200:
            status = 422
        response = render(
            request,
            "grievances/intake.html",
            {
                "intake_organization": organization,
                "form": form,
                "receipt": receipt,
                "language": language,
                "languages": named(organization.languages or []),
                "code": code,
            },
            status=status,
        )
    response["Cache-Control"] = "no-store"
    return response


def intake_status(request):
    """Where a report stands, by its receipt code: status and dates only. A wrong code and an unknown
    one get the same answer; checks are limited per address."""
    form = ReceiptForm(request.POST or None)
    found, missing, status = None, False, 200
    if request.method == "POST" and form.is_valid():
        try:
            found = intake_services.intake_status(
                form.cleaned_data["receipt"], address=throttle.client_address(request)
            )
        except Throttled as refused:
            form.add_error(None, refused.message)
            status = 429
        else:
            missing = found is None
    if found:
        found["status_label"] = IntakeStatus(found["status"]).label
        if found["case_status"]:
            found["case_status_label"] = CaseStatus(found["case_status"]).label
    response = render(
        request,
        "grievances/intake_status.html",
        {"form": form, "found": found, "missing": missing},
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def intake_review(request, org_slug: str):
    """The organization's side: its intake link and QR code (publish, replace, close), and the reports
    waiting to be read: open a case from one, or set it aside as not a grievance."""
    organization = _organization(request, org_slug)
    action = request.POST.get("action") if request.method == "POST" else None
    accept_errors, refused = {}, False
    if action in ("open", "close"):
        if action == "open":
            intake_services.open_channel(organization, actor=request.user)
            messages.success(request, _("The intake link is published."))
        else:
            intake_services.close_channel(organization, actor=request.user)
            messages.success(request, _("The intake link is closed."))
        return redirect("grievance_intake", org_slug=organization.slug)
    if action in ("accept", "reject"):
        report = queries.get_report(request.user, request.POST.get("report"), organization)
        try:
            if action == "reject":
                intake_services.reject_report(report, actor=request.user)
                messages.success(request, _("Set aside."))
                return redirect("grievance_intake", org_slug=organization.slug)
            form = AcceptForm(request.POST)
            if form.is_valid():
                case = intake_services.accept_report(report, form.cleaned_data, actor=request.user)
                messages.success(request, _("Case %(number)s is opened.") % {"number": case.number})
                return redirect("grievance", org_slug=organization.slug, case_id=case.pk)
            accept_errors[report.pk] = form
        except DomainError as error:
            if report.status != "pending":  # read by someone else meanwhile: it is no longer listed
                messages.error(request, error.errors[0].message if error.errors else error.message)
                refused = True
            else:
                form = AcceptForm(request.POST)
                form.is_valid()
                add_domain_error(form, error)
                accept_errors[report.pk] = form
    channel = queries.current_channel(request.user, organization)
    link = request.build_absolute_uri(reverse("intake", args=[channel.code])) if channel else ""
    pending = list(queries.pending_reports(request.user, organization)[:50])
    words = intake_services.reveal_reports(pending, actor=request.user, reason="review") if pending else {}
    rows = []
    for report in pending:
        text = words[report.pk]
        initial = {
            "category": report.category or "other",
            "member_numbers": text.get("member_number", ""),
            "summary": text.get("description", "").splitlines()[0][:300] if text.get("description") else "",
        }
        rows.append((report, text, accept_errors.get(report.pk) or AcceptForm(initial=initial)))
    return render(
        request,
        "grievances/intake_review.html",
        {
            "organization": organization,
            "channel": channel,
            "link": link,
            "qr_svg": qr.svg(link) if link else "",
            "rows": rows,
        },
        status=422 if accept_errors or refused else 200,
    )


# Cases shared with a company: the company's side --------------------------------------------------------


@login_required
def shared_cases(request, org_slug: str):
    company = company_for(request.user, slug=org_slug)
    return render(
        request,
        "grievances/shared_list.html",
        {"organization": company, "shares": queries.shared_with(company)},
    )


@login_required
def shared_case(request, org_slug: str, share_id: int):
    """A case an organization shared with the company: category, work givers, amounts, the steps
    taken, the organization's message; the company answers and commits here."""
    company = company_for(request.user, slug=org_slug)
    share = queries.get_shared(company, share_id)
    posted = request.POST.get("form") if request.method == "POST" else None
    reply_form = ReplyForm(request.POST if posted == "reply" else None)
    commitment_form = CaseCommitmentForm(request.POST if posted == "commitment" else None)
    form = {"reply": reply_form, "commitment": commitment_form}.get(posted)
    if form is not None and form.is_valid():
        try:
            if posted == "reply":
                sharing_services.company_reply(share, form.cleaned_data["text"], actor=request.user)
            else:
                sharing_services.company_commitment(share, form.cleaned_data, actor=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Sent. The organization sees it on the case."))
            return redirect("shared_case", org_slug=company.slug, share_id=share.pk)
    view = sharing_services.company_view(share, actor=request.user)
    return render(
        request,
        "grievances/shared_case.html",
        {
            "organization": company,
            "view": view,
            "case": share.case,
            "reply_form": reply_form,
            "commitment_form": commitment_form,
        },
        status=422 if form is not None and form.errors else 200,
    )
