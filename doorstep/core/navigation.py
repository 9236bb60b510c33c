"""The role-aware navigation: each app registers its entries in its ``AppConfig.ready()``; the
shell shows a user the entries her role in the active organization allows."""

from dataclasses import dataclass

from django.urls import reverse

from . import tenancy
from .roles import Role


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str  # a lazy translation
    url_name: str
    roles: frozenset[Role] | None = None  # None: anyone logged in
    hidden_from: frozenset[Role] = frozenset()  # roles that cannot use it (a member has no password)
    in_organization: bool = False  # the URL takes the active organization's slug
    platform_admin_only: bool = False
    organization_kinds: frozenset[str] | None = None  # None: any kind of organization
    order: int = 100
    more: bool = False  # in the menu's "More" part, to keep the menu short on a phone


_ITEMS: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    _ITEMS[item.key] = item


def items_for(user, organization, *, more: bool | None = None) -> list[tuple[str, str, str]]:
    """(key, label, url) for the entries this user may use, in order: all of them, or only the
    menu's main part (``more=False``) or its "More" part (``more=True``)."""
    if not user.is_authenticated:
        return []
    role = tenancy.role_in(user, organization) if organization is not None else None
    entries = []
    for item in sorted(_ITEMS.values(), key=lambda i: (i.order, i.key)):
        if more is not None and item.more != more:
            continue
        if item.platform_admin_only and not user.is_superuser:
            continue
        if item.in_organization and organization is None:
            continue
        if item.roles is not None and role not in item.roles:
            continue
        if role in item.hidden_from:
            continue
        if item.organization_kinds is not None and (
            organization is None or organization.kind not in item.organization_kinds
        ):
            continue
        kwargs = {"org_slug": organization.slug} if item.in_organization else {}
        entries.append((item.key, item.label, reverse(item.url_name, kwargs=kwargs)))
    return entries


# Panels on the home page: an app shows what needs her attention today (deadlines, reviews…). A panel
# is a function (request, organization) -> rendered HTML, or "" when there is nothing to show.

_PANELS: dict[str, tuple] = {}


def register_panel(key: str, render, *, roles: frozenset[Role] | None = None) -> None:
    _PANELS[key] = (render, roles)


def panels_for(request, organization) -> list[str]:
    if organization is None or not request.user.is_authenticated:
        return []
    role = tenancy.role_in(request.user, organization)
    shown = []
    for render, roles in _PANELS.values():
        if roles is not None and role not in roles:
            continue
        html = render(request, organization)
        if html:
            shown.append(html)
    return shown


# Public pages (directory, laws, bulletins, resources, events): linked from every page's footer, for
# everyone, logged in or not.

_PUBLIC: dict[str, tuple[int, str, str]] = {}


def register_public(key: str, label, url_name: str, *, order: int = 100) -> None:
    _PUBLIC[key] = (order, label, url_name)


def public_items() -> list[tuple[str, str, str]]:
    """(key, label, url) of the public pages, in order."""
    return [
        (key, label, reverse(url_name))
        for key, (_order, label, url_name) in sorted(_PUBLIC.items(), key=lambda item: (item[1][0], item[0]))
    ]
