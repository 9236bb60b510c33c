from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from doorstep.organizations.queries import organizations_with_role

from . import navigation, tenancy
from .middleware import SESSION_KEY


def home(request):
    """The landing page for visitors; for a logged-in user, her active organization's home."""
    if not request.user.is_authenticated:
        return render(request, "core/landing.html")
    organization = request.organization
    return render(
        request,
        "core/home.html",
        {
            "organization": organization,
            "role": tenancy.role_in(request.user, organization) if organization else None,
            "shortcuts": [
                item for item in navigation.items_for(request.user, organization) if item[0] != "home"
            ],
            "panels": navigation.panels_for(request, organization),
        },
    )


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_POST
def switch_organization(request):
    """Make another of her organizations the active one (no-JS form; JS submits it on change)."""
    if not request.user.is_authenticated:
        return HttpResponseRedirect(reverse("login"))
    slug = request.POST.get("organization", "")
    organization = organizations_with_role(request.user).filter(slug=slug).first()
    if organization is not None:
        request.session[SESSION_KEY] = organization.pk
    return HttpResponseRedirect(_safe_next(request, reverse("home")))
