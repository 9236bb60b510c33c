"""Reads of the directory and of affiliation requests.

The public directory shows only organizations that chose to be listed, and of them only what an
organization says about itself: never a member, and its size only as a band."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from doorstep.core import tenancy
from doorstep.core.roles import ADMIN_ROLES, STAFF_ROLES
from doorstep.core.sectors import Sector
from doorstep.organizations.models import Affiliation, Organization

from .models import AffiliationRequest, Listing

# (lower bound, label): a band never names an exact small number.
SIZE_BANDS = (
    (100_000, _("100,000 or more")),
    (25_000, _("25,000 to 99,999")),
    (5_000, _("5,000 to 24,999")),
    (1_000, _("1,000 to 4,999")),
    (250, _("250 to 999")),
    (50, _("50 to 249")),
    (1, _("fewer than 50")),
)
SIZE_BAND_CODES = ("100000+", "25000-99999", "5000-24999", "1000-4999", "250-999", "50-249", "1-49")


def size_band(count: int | None) -> tuple[str, str] | None:
    """(code, label) of the band ``count`` falls in; None when nothing is known."""
    if not count:
        return None
    for (lower, label), code in zip(SIZE_BANDS, SIZE_BAND_CODES, strict=True):
        if count >= lower:
            return code, str(label)
    return None


@dataclass(frozen=True)
class Entry:
    """One organization as the public directory shows it."""

    organization: Organization
    listing: Listing
    size: tuple[str, str] | None
    networks: list[Organization]
    affiliates: list[Organization]

    @property
    def sector_labels(self) -> list[str]:
        labels = dict(Sector.choices)
        return [str(labels[code]) for code in self.listing.sectors if code in labels]


def _listed() -> QuerySet[Listing]:
    return Listing.objects.filter(listed=True, organization__is_active=True).select_related("organization")


def listed_organizations(filters: dict | None = None) -> QuerySet[Listing]:
    """Listed organizations by name, filtered by country, sector, kind and network (an affiliate
    of that network, directly)."""
    filters = filters or {}
    listings = _listed().order_by("organization__name", "pk")
    if filters.get("country"):
        listings = listings.filter(organization__country=filters["country"])
    if filters.get("kind"):
        listings = listings.filter(organization__kind=filters["kind"])
    if filters.get("sector"):
        # JSON containment is not available on SQLite; the sector list is short, so filter in Python
        # on the ids and keep a queryset.
        ids = [pk for pk, sectors in listings.values_list("pk", "sectors") if filters["sector"] in sectors]
        listings = listings.filter(pk__in=ids)
    if filters.get("network"):
        members = Affiliation.objects.filter(
            network__slug=filters["network"], until__isnull=True
        ).values_list("member_id", flat=True)
        listings = listings.filter(organization_id__in=members)
    if filters.get("q"):
        listings = listings.filter(
            Q(organization__name__icontains=filters["q"]) | Q(area__icontains=filters["q"])
        )
    return listings


def entries(listings) -> list[Entry]:
    """Directory entries for these listings, with their bands and their listed networks and
    affiliates, in a fixed number of queries."""
    from doorstep.members.queries import active_member_counts

    listings = list(listings)
    org_ids = [listing.organization_id for listing in listings]
    counts = active_member_counts(org_ids)
    listed_ids = set(_listed().values_list("organization_id", flat=True))
    networks: dict[int, list[Organization]] = {pk: [] for pk in org_ids}
    affiliates: dict[int, list[Organization]] = {pk: [] for pk in org_ids}
    links = Affiliation.objects.filter(
        Q(member_id__in=org_ids) | Q(network_id__in=org_ids), until__isnull=True
    ).select_related("member", "network")
    for link in links:
        if link.member_id in networks and link.network_id in listed_ids:
            networks[link.member_id].append(link.network)
        if link.network_id in affiliates and link.member_id in listed_ids:
            affiliates[link.network_id].append(link.member)
    return [
        Entry(
            organization=listing.organization,
            listing=listing,
            size=size_band(
                listing.declared_members
                if listing.declared_members is not None
                else counts.get(listing.organization_id)
            ),
            networks=sorted(networks[listing.organization_id], key=lambda o: o.name),
            affiliates=sorted(affiliates[listing.organization_id], key=lambda o: o.name),
        )
        for listing in listings
    ]


def listed_entry(slug: str) -> Entry:
    """One listed organization's entry; ``Http404`` for an unlisted one as for an unknown one."""
    try:
        listing = _listed().get(organization__slug=slug)
    except Listing.DoesNotExist:
        raise Http404 from None
    return entries([listing])[0]


def listed_countries() -> list[tuple[str, int]]:
    """(country code, listed organizations) for the map, most first."""
    counts: dict[str, int] = {}
    for code in _listed().exclude(organization__country="").values_list("organization__country", flat=True):
        counts[code] = counts.get(code, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def listed_networks() -> QuerySet[Organization]:
    """Listed networks (for the directory's network filter and for requests to join)."""
    return Organization.objects.filter(
        pk__in=_listed().values("organization_id"), kind__in=Organization.NETWORK_KINDS
    ).order_by("name")


def listing_of(user, organization) -> Listing:
    """The organization's own listing (a new, unsaved and unlisted one if it has none yet)."""
    tenancy.require_role(user, organization, STAFF_ROLES)
    return Listing.objects.filter(organization=organization).first() or Listing(organization=organization)


# Affiliation requests --------------------------------------------------------------------------


def requests_sent(user, organization) -> QuerySet[AffiliationRequest]:
    return tenancy.scoped(AffiliationRequest, user, organization).select_related("network")


def requests_received(user, network) -> QuerySet[AffiliationRequest]:
    """Requests to join ``network``, for its staff (the requests belong to the asking organizations)."""
    if tenancy.role_in(user, network) not in STAFF_ROLES:
        return AffiliationRequest.objects.none()
    return AffiliationRequest.objects.filter(network=network).select_related("organization")


def get_request_received(user, network, request_id) -> AffiliationRequest:
    """A request to join ``network`` its admin may decide; 404 for any other id."""
    tenancy.require_role(user, network, ADMIN_ROLES)
    try:
        return AffiliationRequest.objects.select_related("organization").get(pk=request_id, network=network)
    except (AffiliationRequest.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_request_sent(user, organization, request_id) -> AffiliationRequest:
    return tenancy.get_scoped_or_404(
        AffiliationRequest, user, request_id, organization, roles=ADMIN_ROLES, select_related=["network"]
    )


def joinable_networks(organization) -> QuerySet[Organization]:
    """Active networks the organization is not in yet and has no open request to."""
    current = Affiliation.objects.filter(member=organization, until__isnull=True).values("network_id")
    waiting = AffiliationRequest.objects.filter(
        organization=organization, status=AffiliationRequest.Status.PENDING
    ).values("network_id")
    return (
        Organization.objects.filter(kind__in=Organization.NETWORK_KINDS, is_active=True)
        .exclude(pk=organization.pk)
        .exclude(pk__in=current)
        .exclude(pk__in=waiting)
        .order_by("name")
    )
