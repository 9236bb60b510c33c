"""Pages: logging in and out, the user's account and tokens, organizations, affiliates and people, and
data-sharing agreements with the disclosure threshold. Thin: parse a form, call a query or service,
render or redirect."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doorstep.core import tenancy
from doorstep.core.errors import DomainError
from doorstep.core.forms import add_domain_error
from doorstep.core.roles import ADMIN_ROLES, STAFF_ROLES

from . import queries, services
from .forms import (
    AddPersonForm,
    AffiliateForm,
    AgreementForm,
    DisclosureForm,
    LoginForm,
    PasswordChangeForm,
    PersonForm,
    ProfileForm,
    TokenForm,
)
from .models import Organization


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "organizations/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.throttled:
            response.status_code = 429
        return response

    def form_valid(self, form):
        response = super().form_valid(form)
        language = form.get_user().preferred_language
        if language:
            response.set_cookie("django_language", language, samesite="Lax")
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            services.record_logout(actor=request.user)
        return super().post(request, *args, **kwargs)


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "organizations/password_change.html"
    success_url = "/account/"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"request": self.request}

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.throttled:
            response.status_code = 429
        return response

    def form_valid(self, form):
        response = super().form_valid(form)
        services.record_password_change(actor=self.request.user)
        messages.success(self.request, _("Your password has been changed."))
        return response


class InvitationView(auth_views.PasswordResetConfirmView):
    """Where an invited person (or one whose admin sent a new link) sets her password."""

    template_name = "organizations/set_password.html"
    success_url = "/accounts/login/"

    def form_valid(self, form):
        response = super().form_valid(form)
        services.record_password_change(actor=form.user)
        messages.success(self.request, _("Your password is set. You can log in now."))
        return response


@login_required
def account(request):
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                services.update_profile(user, **form.cleaned_data, actor=user)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Your profile has been saved."))
                response = redirect("account")
                if form.cleaned_data["preferred_language"]:
                    response.set_cookie(
                        "django_language", form.cleaned_data["preferred_language"], samesite="Lax"
                    )
                return response
    else:
        form = ProfileForm(
            initial={
                "display_name": user.display_name,
                "email": user.email,
                "preferred_language": user.preferred_language,
            }
        )
    roles = queries.roles_of_user(user)
    return render(
        request,
        "organizations/account.html",
        {"form": form, "roles": roles, "invitations": queries.open_invitations(user)},
    )


@login_required
@require_POST
def answer_invitation(request, invitation_id: int):
    invitation = queries.get_invitation(request.user, invitation_id)
    accept = request.POST.get("action") == "accept"
    services.answer_invitation(invitation, accept=accept, actor=request.user)
    messages.success(
        request,
        _("You now have a role in %(organization)s.") % {"organization": invitation.organization}
        if accept
        else _("Invitation declined."),
    )
    return redirect("account")


@login_required
def tokens(request):
    new_token = None
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            days = form.cleaned_data["expires_in_days"]
            try:
                _token, new_token = services.issue_token(
                    request.user,
                    name=form.cleaned_data["name"],
                    expires_at=timezone.now() + timedelta(days=days) if days else None,
                    actor=request.user,
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                form = TokenForm()
    else:
        form = TokenForm()
    return render(
        request,
        "organizations/tokens.html",
        {
            "form": form,
            "tokens": queries.tokens_of(request.user),
            "new_token": new_token,
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def revoke_token(request, token_id: int):
    token = services.revoke_token(queries.get_token(request.user, token_id), actor=request.user)
    messages.success(request, _("The token “%(name)s” has been revoked.") % {"name": token.name})
    return redirect("tokens")


@login_required
def my_organizations(request):
    return render(
        request, "organizations/list.html", {"organizations": queries.visible_organizations(request.user)}
    )


@login_required
def organization_detail(request, org_slug: str):
    organization = queries.get_visible_organization(request.user, slug=org_slug)
    is_network_admin = organization.is_network and tenancy.role_in(request.user, organization) in ADMIN_ROLES
    form = None
    # Organizations ask to join (and the network approves) in the network pages; only a platform
    # admin affiliates directly here.
    if organization.is_network and request.user.is_superuser:
        candidates = queries.affiliable_organizations(organization)
        form = AffiliateForm(request.POST or None, candidates=candidates)
        if request.method == "POST" and form.is_valid():
            try:
                services.add_affiliation(
                    member=form.cleaned_data["member"],
                    network=organization,
                    since=form.cleaned_data["since"],
                    actor=request.user,
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(
                    request, _("%(member)s is now affiliated.") % {"member": form.cleaned_data["member"]}
                )
                return redirect("organization", org_slug=organization.slug)
    elif request.method == "POST":
        tenancy.require_role(request.user, organization, ADMIN_ROLES)
    return render(
        request,
        "organizations/detail.html",
        {
            "organization": organization,
            "affiliations": queries.current_affiliations(organization),
            "role": tenancy.role_in(request.user, organization),
            "affiliate_form": form,
            "is_network_admin": is_network_admin,
        },
        status=422 if form is not None and form.errors else 200,
    )


@login_required
def people(request, org_slug: str):
    organization = queries.get_organization_with_role(request.user, org_slug, ADMIN_ROLES)
    invitation = None
    form = AddPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.add_person(organization, **form.cleaned_data, actor=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if added.invitation is not None:
                messages.success(
                    request,
                    _(
                        "An invitation is waiting for %(username)s: the role is hers once she accepts it "
                        "on her account page."
                    )
                    % {"username": added.invitation.user.username},
                )
                return redirect("people", org_slug=organization.slug)
            messages.success(
                request, _("%(username)s now has a role here.") % {"username": added.assignment.user.username}
            )
            if added.invitation_path is None:
                return redirect("people", org_slug=organization.slug)
            invitation = request.build_absolute_uri(added.invitation_path)
            form = AddPersonForm()
    return render(
        request,
        "organizations/people.html",
        {
            "organization": organization,
            "people": queries.people_of(request.user, organization),
            "form": form,
            "invitation": invitation,
        },
        status=422 if form.errors else 200,
    )


@login_required
def person(request, org_slug: str, person_id: int):
    organization = queries.get_organization_with_role(request.user, org_slug, ADMIN_ROLES)
    assignment = queries.get_person(request.user, organization, person_id)
    form = PersonForm(request.POST or None, initial={"role": assignment.role})
    if request.method == "POST":
        action = request.POST.get("action", "role")
        try:
            if action == "deactivate":
                services.set_person_active(assignment, active=False, actor=request.user)
                messages.success(
                    request, _("%(username)s is deactivated here.") % {"username": assignment.user.username}
                )
                return redirect("people", org_slug=organization.slug)
            if action == "reactivate":
                services.set_person_active(assignment, active=True, actor=request.user)
                messages.success(
                    request, _("%(username)s is active again.") % {"username": assignment.user.username}
                )
                return redirect("people", org_slug=organization.slug)
            if form.is_valid():
                services.change_role(assignment, role=form.cleaned_data["role"], actor=request.user)
                messages.success(
                    request, _("The role of %(username)s is saved.") % {"username": assignment.user.username}
                )
                return redirect("people", org_slug=organization.slug)
        except DomainError as error:
            add_domain_error(form, error)
    return render(
        request,
        "organizations/person.html",
        {"organization": organization, "assignment": assignment, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
def sharing(request, org_slug: str):
    """Data-sharing agreements and the disclosure threshold: staff see them, admins change them."""
    organization = queries.get_organization_with_role(request.user, org_slug, STAFF_ROLES)
    is_admin = tenancy.role_in(request.user, organization) in ADMIN_ROLES
    recipients = (
        Organization.objects.filter(is_active=True)
        .exclude(pk=organization.pk)
        .exclude(kind__in=Organization.MEMBER_BASED_KINDS)
    )
    form = AgreementForm(request.POST or None, recipients=recipients) if is_admin else None
    k_form = DisclosureForm(initial={"disclosure_k": organization.disclosure_k}) if is_admin else None
    if request.method == "POST":
        tenancy.require_role(request.user, organization, ADMIN_ROLES)
        action = request.POST.get("action")
        try:
            if action == "revoke":
                agreement = queries.get_agreement(request.user, request.POST.get("agreement"), organization)
                services.revoke_agreement(agreement, actor=request.user)
                messages.success(request, _("Revoked: nothing more is shared under this agreement."))
                return redirect("sharing", org_slug=organization.slug)
            if action == "k":
                k_form = DisclosureForm(request.POST)
                if k_form.is_valid():
                    services.set_disclosure_k(
                        organization, k_form.cleaned_data["disclosure_k"], actor=request.user
                    )
                    messages.success(request, _("Saved."))
                    return redirect("sharing", org_slug=organization.slug)
            elif form.is_valid():
                services.create_agreement(organization, data=form.cleaned_data, actor=request.user)
                messages.success(request, _("The agreement is recorded."))
                return redirect("sharing", org_slug=organization.slug)
        except DomainError as error:
            add_domain_error(k_form if action == "k" else form, error)
    today = timezone.localdate()
    agreements = list(queries.agreements_of(request.user, organization))
    return render(
        request,
        "organizations/sharing.html",
        {
            "organization": organization,
            "agreements": [(a, a.is_live(today)) for a in agreements],
            "form": form,
            "k_form": k_form,
            "is_admin": is_admin,
        },
        status=422 if (form is not None and form.errors) or (k_form is not None and k_form.errors) else 200,
    )
