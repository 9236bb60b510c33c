"""Reads of parties, always through the acting user (``core.tenancy``)."""

from django.db.models import QuerySet

from doorstep.core import tenancy
from doorstep.core.roles import STAFF_ROLES

from .models import Party


def parties_of(user, organization=None) -> QuerySet[Party]:
    return tenancy.scoped(Party, user, organization, roles=STAFF_ROLES).select_related("subject_key")


def get_party(user, party_id, organization=None) -> Party:
    return tenancy.get_scoped_or_404(Party, user, party_id, organization, roles=STAFF_ROLES)


def filter_parties(queryset: QuerySet[Party], filters: dict) -> QuerySet[Party]:
    if filters.get("kind"):
        queryset = queryset.filter(kind=filters["kind"])
    if filters.get("q"):
        queryset = queryset.filter(name__icontains=filters["q"])
    if filters.get("active") in (True, "1", "true"):
        queryset = queryset.filter(is_active=True)
    return queryset
