"""Governance pages (phone-width, no JavaScript): the constitution's rules, positions and office-
bearers; dues standing, the printable arrears list by group, numbered receipts and dues totals;
meetings with the attendance list, quorum, resolutions, action items and minutes (PDF); the home
page's panel of action items. Names are read from the vault for the pages that show them (audited)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doorstep.core import tenancy
from doorstep.core.downloads import attachment
from doorstep.core.errors import DomainError
from doorstep.core.forms import add_domain_error
from doorstep.core.roles import STAFF_ROLES, Role
from doorstep.members import queries as members
from doorstep.members.services.pii import reveal_pii
from doorstep.organizations.queries import get_organization_with_role

from . import exports, queries
from . import standing as dues
from .forms import (
    ActionItemForm,
    AnnualReportForm,
    AnnualReportTextForm,
    ApproveForm,
    CardForm,
    EndTermForm,
    MeetingForm,
    MinutesForm,
    PositionForm,
    ResolutionForm,
    RulesForm,
    StandingFilterForm,
    TermForm,
)
from .services import meetings as meeting_services
from .services import offices, receipts
from .services import reports as report_services
from .services import rules as rules_services


def _organization(request, org_slug: str):
    return get_organization_with_role(request.user, org_slug, STAFF_ROLES)


def _names(members_list, request, reason: str) -> dict[int, str]:
    revealed = reveal_pii(members_list, actor=request.user, reason=reason)
    return {pk: data.get("full_name", "") for pk, data in revealed.items()}


def _member_by_number(request, organization, number):
    return members.members_of(request.user, organization).filter(number=number).first()


def _fail(request, error: DomainError, form=None):
    if form is not None:
        add_domain_error(form, error)
    messages.error(
        request, error.message + "".join(f" {e.message}" for e in error.errors if e.message != error.message)
    )


# Rules, positions, office-bearers -------------------------------------------------------------------------


@login_required
def home(request, org_slug: str):
    organization = _organization(request, org_slug)
    today = timezone.localdate()
    rules = queries.rules_of(request.user, organization)
    is_admin = tenancy.role_in(request.user, organization) == Role.ORG_ADMIN
    positions = list(queries.positions_of(request.user, organization))
    groups = list(members.groups_of(request.user, organization))
    current = list(queries.terms_of(request.user, organization, current_on=today))
    past = list(queries.terms_of(request.user, organization).filter(ends_on__lt=today)[:50])
    names = _names([t.member for t in current + past], request, "office-bearers")
    return render(
        request,
        "governance/home.html",
        {
            "organization": organization,
            "rules": rules,
            "is_admin": is_admin,
            "positions": positions,
            "current": [(t, names.get(t.member_id, "")) for t in current],
            "past": [(t, names.get(t.member_id, "")) for t in past],
            "position_form": PositionForm(groups=groups),
            "term_form": TermForm(positions=positions),
            "end_form": EndTermForm(initial={"ends_on": today}),
        },
    )


@login_required
def rules(request, org_slug: str):
    organization = _organization(request, org_slug)
    current = queries.rules_of(request.user, organization)
    initial = (
        {f: getattr(current, f) for f in RulesForm.base_fields}
        if current
        else {
            "dues_period": "month",
            "grace_days": 30,
            "arrears_lose_vote": True,
            "quorum_kind": "share",
            "quorum_percent": 50,
            "term_years": 2,
        }
    )
    form = RulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rules_services.save_rules(
                organization, rules_services.RulesInput(**form.cleaned_data), actor=request.user
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The rules are saved."))
            return redirect("governance", org_slug=organization.slug)
    return render(
        request,
        "governance/rules.html",
        {
            "organization": organization,
            "form": form,
            "is_admin": tenancy.role_in(request.user, organization) == Role.ORG_ADMIN,
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def add_position(request, org_slug: str):
    organization = _organization(request, org_slug)
    form = PositionForm(request.POST, groups=members.groups_of(request.user, organization))
    if form.is_valid():
        data = rules_services.PositionInput(
            kind=form.cleaned_data["kind"],
            title=form.cleaned_data["title"],
            group_id=form.cleaned_data["group"],
        )
        try:
            rules_services.add_position(organization, data, actor=request.user)
        except DomainError as error:
            _fail(request, error)
        else:
            messages.success(request, _("The position is added."))
    else:
        messages.error(request, _("The position could not be added: check every field."))
    return redirect("governance", org_slug=organization.slug)


@login_required
@require_POST
def start_term(request, org_slug: str):
    organization = _organization(request, org_slug)
    form = TermForm(request.POST, positions=queries.positions_of(request.user, organization))
    if form.is_valid():
        data = form.cleaned_data
        position = queries.get_position(request.user, data["position"], organization)
        member = _member_by_number(request, organization, data["member_number"])
        try:
            offices.start_term(
                position,
                offices.TermInput(
                    member_id=member.pk if member else 0,
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    mandate=data["mandate"],
                    shown_publicly=data["shown_publicly"],
                ),
                actor=request.user,
            )
        except DomainError as error:
            _fail(request, error)
        else:
            messages.success(request, _("The term of office is recorded."))
    else:
        messages.error(request, _("The term of office could not be recorded: check every field."))
    return redirect("governance", org_slug=organization.slug)


@login_required
@require_POST
def end_term(request, org_slug: str, term_id: int):
    organization = _organization(request, org_slug)
    term = queries.get_term(request.user, term_id, organization)
    form = EndTermForm(request.POST)
    if form.is_valid():
        try:
            offices.end_term(term, ends_on=form.cleaned_data["ends_on"], actor=request.user)
        except DomainError as error:
            _fail(request, error)
        else:
            messages.success(request, _("The term has ended; it stays in the history."))
    else:
        messages.error(request, _("Give the last day in office."))
    return redirect("governance", org_slug=organization.slug)


# Dues ------------------------------------------------------------------------------------------------


@login_required
def dues_standing(request, org_slug: str):
    organization = _organization(request, org_slug)
    groups = list(members.groups_of(request.user, organization))
    form = StandingFilterForm(request.GET or None, groups=groups)
    today = timezone.localdate()
    on, group_id, only_arrears, year = today, None, False, today.year
    if form.is_valid():
        on = form.cleaned_data["on"] or today
        group_id = form.cleaned_data["group"]
        only_arrears = form.cleaned_data["show"] == "arrears"
        year = form.cleaned_data["year"] or today.year
    if only_arrears:
        rows = queries.arrears(request.user, organization, on, group_id=group_id)
    else:
        rows = queries.standings_of(request.user, organization, on, group_id=group_id)
    names = _names([m for m, _s in rows], request, "dues standing")
    return render(
        request,
        "governance/dues.html",
        {
            "organization": organization,
            "form": form,
            "on": on,
            "rules": queries.rules_of(request.user, organization),
            "only_arrears": only_arrears,
            "rows": [(m, names.get(m.pk, ""), s) for m, s in rows],
            "labels": {
                dues.PAID_UP: _("paid up"),
                dues.IN_GRACE: _("in grace"),
                dues.IN_ARREARS: _("in arrears"),
                dues.NO_RULES: _("no rules"),
            },
            "totals": queries.dues_totals(request.user, organization, year=year),
            "year": year,
            "payments": queries.recent_payments(request.user, organization),
        },
    )


@login_required
def receipt(request, org_slug: str, payment_id: int):
    """GET: the printable receipt (or a button to issue it); POST issues its number."""
    organization = _organization(request, org_slug)
    payment = queries.get_payment(request.user, payment_id, organization)
    if request.method == "POST":
        receipts.issue_receipt(payment, actor=request.user)
        return redirect("dues_receipt", org_slug=organization.slug, payment_id=payment.pk)
    found = queries.receipt_of(payment)
    name = _names([payment.member], request, "dues receipt").get(payment.member_id, "") if found else ""
    return render(
        request,
        "governance/receipt.html",
        {"organization": organization, "payment": payment, "receipt": found, "name": name},
    )


# Meetings --------------------------------------------------------------------------------------------


@login_required
def meeting_list(request, org_slug: str):
    organization = _organization(request, org_slug)
    groups = list(members.groups_of(request.user, organization))
    form = MeetingForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["group_ids"] = tuple(data.pop("groups"))
        try:
            meeting = meeting_services.call_meeting(
                organization, meeting_services.MeetingInput(**data), actor=request.user
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The meeting is called."))
            return redirect("meeting", org_slug=organization.slug, meeting_id=meeting.pk)
    return render(
        request,
        "governance/meetings.html",
        {
            "organization": organization,
            "form": form,
            "rows": queries.meetings_of(request.user, organization)[:100],
        },
        status=422 if form.errors else 200,
    )


def _meeting_post(request, organization, meeting) -> None:
    action = request.POST.get("action")
    try:
        if action == "minutes":
            form = MinutesForm(request.POST)
            form.is_valid()
            meeting_services.save_minutes(
                meeting, text=form.cleaned_data.get("minutes", ""), actor=request.user
            )
            messages.success(request, _("The minutes are saved."))
        elif action == "resolution":
            form = ResolutionForm(request.POST)
            if not form.is_valid():
                messages.error(
                    request, _("The resolution could not be recorded: give its text and the votes.")
                )
                return
            meeting_services.add_resolution(
                meeting, meeting_services.ResolutionInput(**form.cleaned_data), actor=request.user
            )
            messages.success(request, _("The resolution is recorded."))
        elif action == "action_item":
            form = ActionItemForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("The action item could not be added: check every field."))
                return
            owner = _member_by_number(request, organization, form.cleaned_data["owner_number"])
            meeting_services.add_action_item(
                meeting,
                meeting_services.ActionItemInput(
                    text=form.cleaned_data["text"],
                    owner_id=owner.pk if owner else 0,
                    deadline=form.cleaned_data["deadline"],
                ),
                actor=request.user,
            )
            messages.success(request, _("The action item is added."))
        elif action == "freeze":
            version = meeting_services.freeze_minutes(meeting, actor=request.user)
            messages.success(request, _("The minutes are frozen as version %(n)s.") % {"n": version.number})
        elif action == "approve":
            form = ApproveForm(request.POST, versions=queries.unapproved_minutes(meeting))
            if not form.is_valid():
                messages.error(request, _("Choose the minutes to approve."))
                return
            version = queries.unapproved_minutes(meeting).get(pk=form.cleaned_data["version"])
            meeting_services.approve_minutes(version, at_meeting=meeting, actor=request.user)
            messages.success(request, _("The minutes are approved."))
        else:
            messages.error(request, _("Nothing to do."))
    except DomainError as error:
        _fail(request, error)


@login_required
def meeting(request, org_slug: str, meeting_id: int):
    organization = _organization(request, org_slug)
    found = queries.get_meeting(request.user, meeting_id, organization)
    if request.method == "POST":
        _meeting_post(request, organization, found)
        return redirect("meeting", org_slug=organization.slug, meeting_id=found.pk)
    return render(
        request,
        "governance/meeting.html",
        {
            "organization": organization,
            "meeting": found,
            "quorum": queries.quorum(found),
            "present": len(queries.present_ids(found)),
            "invited": queries.invitees(found).count(),
            "resolutions": found.resolutions.all(),
            "items": found.action_items.select_related("owner"),
            "versions": queries.minutes_versions(found),
            "minutes_form": MinutesForm(initial={"minutes": found.minutes}),
            "resolution_form": ResolutionForm(),
            "item_form": ActionItemForm(),
            "approve_form": ApproveForm(versions=queries.unapproved_minutes(found)),
            "approvable": queries.unapproved_minutes(found).exists(),
        },
    )


@login_required
def attendance(request, org_slug: str, meeting_id: int):
    """The phone-width list of invited members to tick, and the member-card number box."""
    organization = _organization(request, org_slug)
    found = queries.get_meeting(request.user, meeting_id, organization)
    card_form = CardForm()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "card":
                card_form = CardForm(request.POST)
                if card_form.is_valid():
                    member = meeting_services.mark_present_by_card(
                        found, number=card_form.cleaned_data["number"], actor=request.user
                    )
                    messages.success(request, _("#%(number)s is present.") % {"number": member.number})
                    return redirect("meeting_attendance", org_slug=organization.slug, meeting_id=found.pk)
            else:
                ids = [int(v) for v in request.POST.getlist("present") if v.isdigit()]
                meeting_services.set_attendance(found, member_ids=ids, actor=request.user)
                messages.success(request, _("The attendance is saved."))
                return redirect("meeting_attendance", org_slug=organization.slug, meeting_id=found.pk)
        except DomainError as error:
            _fail(request, error, card_form if request.POST.get("action") == "card" else None)
    people = list(queries.invitees(found))
    names = _names(people, request, "attendance list")
    here = queries.present_ids(found)
    return render(
        request,
        "governance/attendance.html",
        {
            "organization": organization,
            "meeting": found,
            "rows": [(m, names.get(m.pk, ""), m.pk in here) for m in people],
            "quorum": queries.quorum(found),
            "present": len(here),
            "card_form": card_form,
        },
        status=422 if card_form.errors else 200,
    )


@login_required
def minutes_pdf(request, org_slug: str, meeting_id: int, number: int):
    organization = _organization(request, org_slug)
    found = queries.get_meeting(request.user, meeting_id, organization)
    version = queries.get_minutes_version(found, number)
    return attachment(
        exports.minutes_pdf(version, organization.name),
        content_type="application/pdf",
        filename=f"minutes-{found.held_on:%Y-%m-%d}-v{version.number}.pdf",
    )


@login_required
@require_POST
def action_item_done(request, org_slug: str, item_id: int):
    organization = _organization(request, org_slug)
    item = queries.get_action_item(request.user, item_id, organization)
    meeting_services.complete_action_item(item, actor=request.user)
    messages.success(request, _("The action item is done."))
    return redirect("meeting", org_slug=organization.slug, meeting_id=item.meeting_id)


def action_items_panel(request, organization) -> str:
    """Open action items of meetings on the home page, soonest deadline first (like grievance deadlines)."""
    rows = list(queries.open_action_items(request.user, organization)[:10])
    if not rows:
        return ""
    return render_to_string(
        "governance/action_items_panel.html",
        {"organization": organization, "rows": rows, "today": timezone.localdate()},
        request=request,
    )


# The annual report ----------------------------------------------------------------------------------


@login_required
def annual_reports(request, org_slug: str):
    organization = _organization(request, org_slug)
    form = AnnualReportForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            report = report_services.start_report(
                organization, year=form.cleaned_data["year"], actor=request.user
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("annual_report", org_slug=organization.slug, report_id=report.pk)
    return render(
        request,
        "governance/annual_reports.html",
        {
            "organization": organization,
            "form": form,
            "rows": queries.annual_reports_of(request.user, organization),
        },
        status=422 if form.errors else 200,
    )


@login_required
def annual_report(request, org_slug: str, report_id: int):
    organization = _organization(request, org_slug)
    report = queries.get_annual_report(request.user, report_id, organization)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "freeze":
                version = report_services.freeze(report, actor=request.user)
                messages.success(request, _("Version %(n)s is frozen.") % {"n": version.number})
            else:
                form = AnnualReportTextForm(request.POST)
                form.is_valid()
                report_services.save_text(report, text=form.cleaned_data.get("text", ""), actor=request.user)
                messages.success(request, _("The report is saved."))
        except DomainError as error:
            _fail(request, error)
        return redirect("annual_report", org_slug=organization.slug, report_id=report.pk)
    return render(
        request,
        "governance/annual_report.html",
        {
            "organization": organization,
            "report": report,
            "figures": queries.annual_figures(request.user, organization, report.year),
            "form": AnnualReportTextForm(initial={"text": report.text}),
            "versions": queries.annual_report_versions(report),
        },
    )


@login_required
def annual_report_version(request, org_slug: str, report_id: int, number: int):
    """A frozen version, printable (the browser's print makes the paper copy)."""
    organization = _organization(request, org_slug)
    report = queries.get_annual_report(request.user, report_id, organization)
    version = queries.get_annual_report_version(report, number)
    return render(
        request,
        "governance/annual_report_version.html",
        {
            "organization": organization,
            "report": report,
            "version": version,
            "figures": version.content["figures"],
            "text": version.content["text"],
        },
    )
