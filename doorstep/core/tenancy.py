"""The tenancy door: the one way to read rows that belong to an organization.

Every owned model (a subclass of ``core.models.OwnedModel``) is read through ``scoped()`` or
``get_scoped_or_404()``, which take the acting user and keep only rows of organizations where she
holds one of the required roles. An id that is missing and an id of another organization answer
the same ``Http404``, so nothing about other organizations can be learned by probing ids (the
healthchecks idiom). Apps wrap these in their own ``queries.py``; a test enforces that no other
module queries an owned model directly.

A user's roles are read once per request object and cached on it (``_doorstep_roles``); services
that change roles call ``forget_roles()``.
"""

from collections.abc import Iterable
from typing import TypeVar

from django.db import connection
from django.db.models import BooleanField, Expression, F, Model, QuerySet
from django.http import Http404

from .errors import PermissionDenied
from .roles import STAFF_ROLES, Role

M = TypeVar("M", bound=Model)
_CACHE = "_doorstep_roles"


def roles_by_organization(user) -> dict[int, Role]:
    """{organization id: role} for the user's active roles in active organizations."""
    if user is None or not user.is_authenticated or not user.is_active:
        return {}
    cached = getattr(user, _CACHE, None)
    if cached is None:
        from doorstep.organizations.models import RoleAssignment  # noqa: PLC0415 - cycle: core ↔ organizations

        rows = RoleAssignment.objects.filter(
            user_id=user.pk, is_active=True, organization__is_active=True
        ).values_list("organization_id", "role")
        cached = {org_id: Role(role) for org_id, role in rows}
        setattr(user, _CACHE, cached)
    return cached


def forget_roles(user) -> None:
    if user is not None and hasattr(user, _CACHE):
        delattr(user, _CACHE)


def organization_ids(user, roles: Iterable[Role] | None = None) -> set[int]:
    allowed = None if roles is None else set(roles)
    return {org for org, role in roles_by_organization(user).items() if allowed is None or role in allowed}


def role_in(user, organization) -> Role | None:
    return roles_by_organization(user).get(getattr(organization, "pk", organization))


def require_role(user, organization, roles: Iterable[Role]) -> Role:
    """The user's role in the organization if it is one of ``roles``.

    No role at all there: ``Http404`` (the organization is not hers to know about).
    A role, but not one of these: ``PermissionDenied``.
    """
    role = role_in(user, organization)
    if role is None:
        raise Http404
    if role not in set(roles):
        raise PermissionDenied()
    return role


def scoped(
    model: type[M],
    user,
    organization=None,
    *,
    roles: Iterable[Role] = STAFF_ROLES,
) -> QuerySet[M]:
    """Rows of ``model`` in the organizations where ``user`` holds one of ``roles``.

    With ``organization`` given, only that organization's rows (none if she has no such role there).
    """
    ids = organization_ids(user, roles)
    if organization is not None:
        org_id = getattr(organization, "pk", organization)
        ids = ids & {org_id}
    if connection.vendor == "postgresql":
        return model._default_manager.filter(AnyOf("organization_id", sorted(ids)))
    return model._default_manager.filter(organization_id__in=ids)


class AnyOf(Expression):
    """``column = ANY(%s)``, PostgreSQL's form of ``IN`` with the values as one array. Held to one
    organization, ``IN (7)`` becomes ``= 7`` and PostgreSQL then drops an order by the column, so a
    page ordered by (organization, id) could not be read from that index (``core.pagination``)."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, column: str, values: list):
        super().__init__()
        self.column, self.values = F(column), list(values)

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, expressions):
        (self.column,) = expressions

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.column)
        return f"{sql} = ANY(%s)", [*params, self.values]


def get_scoped_or_404(
    model: type[M],
    user,
    pk,
    organization=None,
    *,
    roles: Iterable[Role] = STAFF_ROLES,
    for_update: bool = False,
    select_related: Iterable[str] = (),
    prefetch_related: Iterable[str] = (),
) -> M:
    """One row the user may see, with the related rows asked for read in the same go; ``Http404``
    for a missing id and for another organization's id alike."""
    queryset = scoped(model, user, organization, roles=roles)
    if select_related:
        queryset = queryset.select_related(*select_related)
    if prefetch_related:
        queryset = queryset.prefetch_related(*prefetch_related)
    if for_update:
        queryset = queryset.select_for_update()
    try:
        return queryset.get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
