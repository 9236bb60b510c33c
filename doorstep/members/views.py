"""Pages of the member registry: the list with filters and search, her profile, the forms, consent and
dues, her card, her export and her erasure, the review of possible duplicates, giving her a login;
and, for the member herself, logging in with her phone and PIN and her own profile. Every page that
shows personal data audits the read."""

from functools import partial

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doorstep.core import downloads, qr, tenancy, throttle
from doorstep.core.errors import DomainError, Throttled
from doorstep.core.forms import add_domain_error
from doorstep.core.middleware import SESSION_KEY
from doorstep.core.pagination import next_page_query, page_of
from doorstep.core.roles import ADMIN_ROLES, STAFF_ROLES, Role
from doorstep.organizations.models import Organization
from doorstep.organizations.queries import get_organization_with_role

from . import queries, search
from .forms import (
    ConsentForm,
    DuesForm,
    GiveLoginForm,
    MemberFilterForm,
    MemberForm,
    MemberLoginStartForm,
    MemberSearchForm,
    OwnProfileForm,
    WorkerLoginForm,
)
from .services import consent as consent_services
from .services import dues as dues_services
from .services import duplicates as duplicate_services
from .services import logins as login_services
from .services import pii as pii_services
from .services import registry as registry_services
from .services import rights as rights_services

PAGE_SIZE = 50


def _organization(request, org_slug: str, roles=STAFF_ROLES):
    return get_organization_with_role(request.user, org_slug, roles)


@login_required
def member_list(request, org_slug: str):
    organization = _organization(request, org_slug)
    form = MemberFilterForm(
        request.GET or None,
        areas=queries.areas_of(request.user, organization),
        groups=queries.groups_of(request.user, organization),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    search_form = MemberSearchForm(request.POST or None)
    terms = search_form.cleaned_data if request.method == "POST" and search_form.is_valid() else {}
    members = queries.filter_members(queries.members_of(request.user, organization), filters)
    next_cursor = None
    search.warm(organization.pk)  # the page has a search box: have the index ready for it
    if terms.get("phone"):
        rows = list(queries.by_identifier(members, organization, phone=terms["phone"])[:PAGE_SIZE])
    elif terms.get("q"):
        ranked = search.search(organization.pk, terms["q"], limit=PAGE_SIZE)
        by_id = members.in_bulk(ranked)
        rows = [by_id[pk] for pk in ranked if pk in by_id]
    else:
        rows, next_cursor = page_of(members, limit=PAGE_SIZE, cursor=request.GET.get("cursor"))
    names = pii_services.reveal_pii(rows, actor=request.user, reason="member list")
    return render(
        request,
        "members/list.html",
        {
            "organization": organization,
            "form": form,
            "search_form": search_form,
            "next_query": next_page_query(request, next_cursor),
            "rows": [(member, names[member.pk]) for member in rows],
            "total": members.count(),
            "searching": bool(terms.get("q") or terms.get("phone")),
        },
    )


@login_required
def member_new(request, org_slug: str):
    organization = _organization(request, org_slug)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = registry_services.create_member(
                organization, data=form.to_member_data(), actor=request.user
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Member #%(number)d is registered.") % {"number": member.number})
            return redirect("member", org_slug=organization.slug, member_id=member.pk)
    return render(
        request,
        "members/form.html",
        {"organization": organization, "form": form, "member": None},
        status=422 if form.errors else 200,
    )


@login_required
def member_edit(request, org_slug: str, member_id: int):
    organization = _organization(request, org_slug)
    member = queries.get_member(request.user, member_id, organization)
    if request.method == "POST":
        form = MemberForm(request.POST)
        if form.is_valid():
            try:
                registry_services.update_member(member, data=form.to_member_data(), actor=request.user)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Her details are saved."))
                return redirect("member", org_slug=organization.slug, member_id=member.pk)
    else:
        pii = pii_services.reveal_pii([member], actor=request.user, reason="edit")[member.pk]
        form = MemberForm(initial=MemberForm.initial_from(member, pii))
    return render(
        request,
        "members/form.html",
        {"organization": organization, "form": form, "member": member},
        status=422 if form.errors else 200,
    )


@login_required
def member_detail(request, org_slug: str, member_id: int):
    organization = _organization(request, org_slug)
    member = queries.get_member(request.user, member_id, organization)
    pii = pii_services.reveal_pii([member], actor=request.user, reason="profile")[member.pk]
    today = timezone.localdate()
    last_dues = member.dues.first()
    return render(
        request,
        "members/detail.html",
        {
            "organization": organization,
            "member": member,
            "pii": pii,
            "consents": queries.consent_rows(member, today),
            "consent_history": member.consents.select_related("recorded_by", "company").order_by(
                "-effective_on", "-recorded_at"
            ),
            "dues": member.dues.all(),
            "status_history": member.status_history.order_by("-changed_on", "-recorded_at"),
            "consent_form": ConsentForm(companies=queries.companies_for_consent(organization)),
            "dues_form": DuesForm(
                initial={"currency": last_dues.currency if last_dues else "", "period": str(today.year)}
            ),
            "is_admin": tenancy.role_in(request.user, organization) in ADMIN_ROLES,
            "profile_changes": [
                (change, registry_services.requested_values(change))
                for change in queries.open_profile_changes(member)
            ],
            "login_form": GiveLoginForm(),
        },
    )


def _profile_form(
    request, org_slug: str, member_id: int, form_class, record, done: str, failed: str, anchor: str
):
    """A small form posted from her profile (consent, dues): record it, say how it went, go back."""
    organization = _organization(request, org_slug)
    member = queries.get_member(request.user, member_id, organization)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            record(member, **form.cleaned_data, actor=request.user)
        except DomainError as error:
            messages.error(request, " ".join(e.message for e in error.errors) or error.message)
        else:
            messages.success(request, done)
    else:
        messages.error(request, failed)
    return redirect(
        reverse("member", kwargs={"org_slug": organization.slug, "member_id": member.pk}) + anchor
    )


@login_required
@require_POST
def member_consent(request, org_slug: str, member_id: int):
    companies = queries.companies_for_consent(_organization(request, org_slug))
    return _profile_form(
        request,
        org_slug,
        member_id,
        partial(ConsentForm, companies=companies),
        consent_services.record_consent,
        _("The consent is recorded."),
        _("The consent could not be recorded: check every field."),
        "#consent",
    )


@login_required
@require_POST
def member_dues(request, org_slug: str, member_id: int):
    return _profile_form(
        request,
        org_slug,
        member_id,
        DuesForm,
        dues_services.record_dues,
        _("The dues payment is recorded."),
        _("The dues payment could not be recorded: check every field."),
        "#dues",
    )


@login_required
def member_card(request, org_slug: str, member_id: int):
    """A printable membership card; the QR code is the link to her organization's member login (the
    same for every member: nothing about her is in it)."""
    organization = _organization(request, org_slug)
    member = queries.get_member(request.user, member_id, organization)
    pii = pii_services.reveal_pii([member], actor=request.user, reason="card")[member.pk]
    login_url = request.build_absolute_uri(reverse("worker_login", kwargs={"org_slug": organization.slug}))
    return render(
        request,
        "members/card.html",
        {
            "organization": organization,
            "member": member,
            "pii": pii,
            "login_url": login_url,
            "qr_svg": qr.svg(login_url, error="m", scale=4),
        },
    )


@login_required
def member_export(request, org_slug: str, member_id: int):
    organization = _organization(request, org_slug)
    member = queries.get_member(request.user, member_id, organization)
    return downloads.attachment(
        rights_services.export_member(member, actor=request.user),
        content_type="application/zip",
        filename=f"{organization.slug}-member-{member.number}.zip",
    )


@login_required
def member_erase(request, org_slug: str, member_id: int):
    """Her right to erasure, for the organization's admins, after a confirmation."""
    organization = _organization(request, org_slug, ADMIN_ROLES)
    member = queries.get_member(request.user, member_id, organization)
    if request.method == "POST":
        if request.POST.get("confirm") == str(member.number):
            number = member.number
            rights_services.erase_member(member, actor=request.user)
            messages.success(request, _("Member #%(number)d has been erased.") % {"number": number})
            return redirect("members", org_slug=organization.slug)
        messages.error(request, _("Type her member number to confirm."))
    return render(request, "members/erase.html", {"organization": organization, "member": member})


def _display(member, pii: dict, name: str) -> str:
    """A field's value as shown side by side on the merge page."""
    if name in pii_services.PII_FIELDS:
        value = pii.get(name)
        if name == "gps" and value:
            value = f"{value['lat']}, {value['lon']}"
        return value or ""
    display = getattr(member, f"get_{name}_display", None)
    value = display() if display else getattr(member, name)
    return "" if value is None else str(value)


@login_required
def duplicates(request, org_slug: str):
    """Pairs that may be the same woman, to merge or to mark as different people."""
    organization = _organization(request, org_slug)
    candidates = list(queries.open_duplicates(request.user, organization)[:100])
    members = [m for c in candidates for m in (c.first, c.second)]
    names = pii_services.reveal_pii(members, actor=request.user, reason="duplicate review")
    return render(
        request,
        "members/duplicates.html",
        {
            "organization": organization,
            "pairs": [(c, names[c.first_id], names[c.second_id]) for c in candidates],
        },
    )


@login_required
def duplicate(request, org_slug: str, candidate_id: int):
    organization = _organization(request, org_slug)
    candidate = queries.get_duplicate(request.user, candidate_id, organization)
    first, second = candidate.first, candidate.second
    pii = pii_services.reveal_pii([first, second], actor=request.user, reason="duplicate review")
    if request.method == "POST":
        try:
            if request.POST.get("action") == "dismiss":
                duplicate_services.dismiss_candidate(candidate, actor=request.user)
                messages.success(request, _("Marked as two different people."))
                return redirect("duplicates", org_slug=organization.slug)
            keep = int(request.POST.get("keep", first.pk))
            choices = {
                name: request.POST[f"field-{name}"]
                for name in duplicate_services.MERGE_FIELDS
                if request.POST.get(f"field-{name}") in ("first", "second")
            }
            survivor = duplicate_services.merge_members(
                candidate, keep=keep, choices=choices, actor=request.user
            )
        except (DomainError, ValueError) as error:
            messages.error(request, getattr(error, "message", _("Choose which record to keep.")))
        else:
            messages.success(request, _("Merged into member #%(number)d.") % {"number": survivor.number})
            return redirect("member", org_slug=organization.slug, member_id=survivor.pk)
    rows = []
    for name in duplicate_services.MERGE_FIELDS:
        a, b = _display(first, pii[first.pk], name), _display(second, pii[second.pk], name)
        rows.append((name, a, b, a == b))
    return render(
        request,
        "members/duplicate.html",
        {
            "organization": organization,
            "candidate": candidate,
            "first": first,
            "second": second,
            "first_pii": pii[first.pk],
            "second_pii": pii[second.pk],
            "rows": rows,
        },
    )


@login_required
@require_POST
def member_give_login(request, org_slug: str, member_id: int):
    organization = _organization(request, org_slug)
    member = queries.get_member(request.user, member_id, organization)
    form = GiveLoginForm(request.POST)
    if form.is_valid():
        try:
            login_services.give_login(member, pin=form.cleaned_data["pin"], actor=request.user)
        except DomainError as error:
            messages.error(request, " ".join(e.message for e in error.errors) or error.message)
        else:
            messages.success(
                request,
                _("She can now log in at %(url)s with her phone number and PIN.")
                % {"url": request.build_absolute_uri(reverse("worker_login", args=[organization.slug]))},
            )
    else:
        messages.error(request, _("The PIN is 6 to 8 digits."))
    return redirect(
        reverse("member", kwargs={"org_slug": organization.slug, "member_id": member.pk}) + "#login"
    )


@login_required
@require_POST
def member_profile_change(request, org_slug: str, member_id: int, change_id: int):
    """Staff apply or dismiss a change she asked for on her own profile."""
    organization = _organization(request, org_slug)
    member = queries.get_member(request.user, member_id, organization)
    change = queries.get_profile_change(request.user, organization, member, change_id)
    apply = request.POST.get("action") == "apply"
    try:
        registry_services.decide_profile_change(change, apply=apply, actor=request.user)
    except DomainError as error:
        messages.error(request, " ".join(e.message for e in error.errors) or error.message)
    else:
        messages.success(request, _("Her change is applied.") if apply else _("Her change is dismissed."))
    return redirect(reverse("member", kwargs={"org_slug": organization.slug, "member_id": member.pk}))


def worker_login(request, org_slug: str):
    """Where a member logs in with her phone number and PIN (a link or QR code her organization shares)."""
    organization = get_object_or_404(Organization, slug=org_slug, is_active=True)
    form = WorkerLoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = login_services.worker_log_in(
                organization,
                phone=form.cleaned_data["phone"],
                pin=form.cleaned_data["pin"],
                address=throttle.client_address(request),
            )
        except Throttled as refused:
            form.add_error(None, refused.message)
            status = 429
        except DomainError:
            form.add_error(None, _("This phone number and PIN do not match."))
        else:
            auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session[SESSION_KEY] = organization.pk
            return redirect("my_profile", org_slug=organization.slug)
    return render(
        request, "members/worker_login.html", {"organization": organization, "form": form}, status=status
    )


def member_login_start(request):
    """The member login linked from the home and staff login pages: her organization's code (printed
    on her card) leads to her organization's login page; the card's QR code goes there directly."""
    form = MemberLoginStartForm(request.GET or None)
    if form.is_bound and form.is_valid():
        code = form.cleaned_data["organization"].lower()
        if Organization.objects.filter(slug=code, is_active=True).exists():
            return redirect("worker_login", org_slug=code)
        form.add_error("organization", _("No organization has this code. Check your card."))
    return render(
        request, "members/member_login_start.html", {"form": form}, status=422 if form.errors else 200
    )


@login_required
def my_profile(request, org_slug: str):
    """A member sees and corrects her own profile, and nothing of anyone else."""
    organization = get_organization_with_role(request.user, org_slug, {Role.WORKER})
    member = queries.own_member(request.user, organization)
    if request.method == "POST":
        form = OwnProfileForm(request.POST)
        if form.is_valid():
            try:
                _member, queued = registry_services.update_own_profile(
                    member, data=form.cleaned_data, actor=request.user
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Your details are saved. A new phone number takes effect once it is checked by "
                        "your organization."
                    )
                    if queued
                    else _("Your details are saved."),
                )
                return redirect("my_profile", org_slug=organization.slug)
        pii = None
    else:
        pii = pii_services.reveal_own_pii(member, actor=request.user)
        form = OwnProfileForm(initial={**MemberForm.initial_from(member, pii)})
    return render(
        request,
        "members/my_profile.html",
        {"organization": organization, "member": member, "form": form},
        status=422 if form.errors else 200,
    )
