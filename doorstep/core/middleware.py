"""Sets ``request.organization``: the organization the user is acting in (the switcher's choice)."""

from django.shortcuts import render

from doorstep.organizations.queries import organizations_with_role

from . import tenancy
from .errors import PermissionDenied

SESSION_KEY = "doorstep_active_organization"


def active_organization(request):
    """The organization chosen in the switcher, if the user still holds a role there; else her first."""
    user = getattr(request, "user", None)
    roles = tenancy.roles_by_organization(user)
    if not roles:
        return None

    chosen = request.session.get(SESSION_KEY)
    organizations = list(organizations_with_role(user))
    for organization in organizations:
        if organization.pk == chosen:
            return organization
    return organizations[0] if organizations else None


class ActiveOrganizationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.organization = active_organization(request)
        return self.get_response(request)


class DomainErrorMiddleware:
    """A service's ``PermissionDenied`` on a page answers 403 with the shell's 403 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            return render(request, "403.html", status=403)
        return None
