"""Reads of the network app: the directory, affiliation requests, bulletins (drafts and the public
archive), news from affiliates, the resource library, and events with their registrations.

The public directory shows only organizations that chose to be listed, and of them only what an
organization says about itself: never a member, and its size only as a band."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doorstep.core import tenancy
from doorstep.core.roles import ADMIN_ROLES, STAFF_ROLES
from doorstep.core.sectors import Sector
from doorstep.members.models import Gender
from doorstep.members.queries import active_member_counts, members_of
from doorstep.organizations.models import Affiliation, Organization

from .models import (
    AffiliationRequest,
    Bulletin,
    BulletinSection,
    Event,
    Listing,
    NewsItem,
    Registration,
    Resource,
    ResourceFile,
    Subscriber,
)

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


# Bulletins ---------------------------------------------------------------------------------------


def bulletins_of(user, organization) -> QuerySet[Bulletin]:
    return tenancy.scoped(Bulletin, user, organization)


def get_bulletin(user, bulletin_id, organization=None) -> Bulletin:
    return tenancy.get_scoped_or_404(
        Bulletin,
        user,
        bulletin_id,
        organization,
        select_related=["organization"],
        prefetch_related=["sections"],
    )


def get_section(user, bulletin: Bulletin, section_id) -> BulletinSection:
    section = tenancy.get_scoped_or_404(BulletinSection, user, section_id, bulletin.organization_id)
    if section.bulletin_id != bulletin.pk:
        raise Http404
    return section


def versions_of(bulletin: Bulletin, *, published_only: bool = False) -> QuerySet[Bulletin]:
    """The language versions of the bulletin's issue (the bulletin itself included)."""
    versions = Bulletin.objects.filter(organization_id=bulletin.organization_id, edition=bulletin.edition)
    if published_only:
        versions = versions.filter(status=Bulletin.Status.PUBLISHED)
    return versions.order_by("language")


def subscriber_counts(user, organization) -> dict[str, int]:
    tenancy.require_role(user, organization, STAFF_ROLES)
    rows = Subscriber.objects.filter(organization=organization).values_list("status", flat=True)
    counts = {status: 0 for status in Subscriber.Status.values}
    for status in rows:
        counts[status] += 1
    return counts


def _active_publisher(slug: str) -> Organization:
    try:
        return Organization.objects.get(slug=slug, is_active=True)
    except Organization.DoesNotExist:
        raise Http404 from None


def published_bulletins(slug: str, language: str | None = None) -> tuple[Organization, QuerySet[Bulletin]]:
    """An organization and its published bulletins, newest first (public)."""
    organization = _active_publisher(slug)
    bulletins = Bulletin.objects.filter(organization=organization, status=Bulletin.Status.PUBLISHED)
    if language:
        bulletins = bulletins.filter(language=language)
    return organization, bulletins.order_by("-published_at", "-pk")


def published_bulletin(slug: str, bulletin_id) -> Bulletin:
    organization = _active_publisher(slug)
    try:
        return (
            Bulletin.objects.select_related("organization")
            .prefetch_related("sections")
            .get(pk=bulletin_id, organization=organization, status=Bulletin.Status.PUBLISHED)
        )
    except (Bulletin.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def publishers() -> list[tuple[Organization, Bulletin]]:
    """Organizations with published bulletins, each with its latest, newest first (public)."""
    latest: dict[int, Bulletin] = {}
    for bulletin in (
        Bulletin.objects.filter(status=Bulletin.Status.PUBLISHED, organization__is_active=True)
        .select_related("organization")
        .order_by("-published_at", "-pk")[:500]
    ):
        latest.setdefault(bulletin.organization_id, bulletin)
    return [(b.organization, b) for b in latest.values()]


def subscribable(slug: str) -> Organization:
    """An organization one may subscribe to: one that has published a bulletin."""
    organization = _active_publisher(slug)
    if not Bulletin.objects.filter(organization=organization, status=Bulletin.Status.PUBLISHED).exists():
        raise Http404
    return organization


# News from affiliates ------------------------------------------------------------------------------------


def news_sent(user, organization) -> QuerySet[NewsItem]:
    return tenancy.scoped(NewsItem, user, organization).select_related("network")


def news_received(user, network) -> QuerySet[NewsItem]:
    """News the network's affiliates sent it (the items belong to the affiliates)."""
    if tenancy.role_in(user, network) not in STAFF_ROLES:
        return NewsItem.objects.none()
    return NewsItem.objects.filter(network=network).select_related("organization")


def get_news_received(user, network, item_id) -> NewsItem:
    tenancy.require_role(user, network, STAFF_ROLES)
    try:
        return NewsItem.objects.select_related("organization").get(pk=item_id, network=network)
    except (NewsItem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def networks_of(organization) -> QuerySet[Organization]:
    """The networks the organization is in now."""
    return Organization.objects.filter(
        pk__in=Affiliation.objects.filter(member=organization, until__isnull=True).values("network_id"),
        is_active=True,
    ).order_by("name")


# The resource library ---------------------------------------------------------------------------------


def _members_of_libraries(user) -> set[int]:
    """Organizations whose members-only resources the user may see: hers, and the networks her
    organizations are currently in."""
    own = tenancy.organization_ids(user)
    if not own:
        return set()
    networks = Affiliation.objects.filter(member_id__in=own, until__isnull=True).values_list(
        "network_id", flat=True
    )
    return set(own) | set(networks)


def visible_resources(user, filters: dict | None = None) -> QuerySet[Resource]:
    """Public resources of active organizations, and the members-only ones the user may see; filtered
    by words (title or summary), kind, topic, language and country."""
    filters = filters or {}
    allowed = Q(audience=Resource.Audience.PUBLIC)
    libraries = _members_of_libraries(user) if user is not None and user.is_authenticated else set()
    if libraries:
        allowed |= Q(audience=Resource.Audience.MEMBERS, organization_id__in=libraries)
    resources = Resource.objects.filter(allowed, organization__is_active=True).select_related("organization")
    if filters.get("q"):
        resources = resources.filter(Q(title__icontains=filters["q"]) | Q(summary__icontains=filters["q"]))
    if filters.get("kind"):
        resources = resources.filter(kind=filters["kind"])
    if filters.get("organization"):
        resources = resources.filter(organization__slug=filters["organization"])
    listed = [
        (name, filters.get(key))
        for key, name in (("topic", "topics"), ("language", "languages"), ("country", "countries"))
        if filters.get(key)
    ]
    if listed:
        # JSON containment is not on SQLite; libraries are small, so keep the ids that match.
        rows = resources.values_list("pk", "topics", "languages", "countries")
        index = {"topics": 1, "languages": 2, "countries": 3}
        ids = [row[0] for row in rows if all(value in row[index[name]] for name, value in listed)]
        resources = resources.filter(pk__in=ids)
    return resources


def get_visible_resource(user, resource_id) -> Resource:
    try:
        return visible_resources(user).get(pk=resource_id)
    except (Resource.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def resource_content(resource: Resource) -> bytes:
    """The file of a resource the caller has already checked the reader may see."""
    stored = ResourceFile.objects.filter(resource=resource).values_list("content", flat=True).first()
    if stored is None:
        raise Http404
    return bytes(stored)


def resources_of(user, organization) -> QuerySet[Resource]:
    return tenancy.scoped(Resource, user, organization)


def get_resource(user, resource_id, organization=None) -> Resource:
    return tenancy.get_scoped_or_404(
        Resource, user, resource_id, organization, select_related=["organization"]
    )


def resource_facets(resources) -> tuple[list[str], list[str]]:
    """(languages, countries) that the given resources use, for the filters."""
    languages, countries = set(), set()
    for langs, places in resources.values_list("languages", "countries")[:2000]:
        languages.update(langs or [])
        countries.update(places or [])
    return sorted(languages), sorted(countries)


# Events and trainings --------------------------------------------------------------------------------


def events_for(user, organization) -> QuerySet[Event]:
    """Events the organization organizes (alone or with others) or is invited to, for its staff."""
    tenancy.require_role(user, organization, STAFF_ROLES)
    return (
        Event.objects.filter(
            Q(organization=organization) | Q(co_organizers=organization) | Q(invited=organization)
        )
        .distinct()
        .select_related("organization")
    )


def get_event_for(user, organization, event_id) -> Event:
    try:
        return events_for(user, organization).get(pk=event_id)
    except (Event.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def organizes(event: Event, organization) -> bool:
    return event.organization_id == organization.pk or event.co_organizers.filter(pk=organization.pk).exists()


def registrations_seen_by(event: Event, organization):
    """All of the event's registrations for an organizer; only its own for an invited organization."""
    registrations = event.registrations.select_related("organization", "key", "member")
    if organizes(event, organization):
        return registrations
    return registrations.filter(organization=organization)


def get_registration(event: Event, organization, registration_id) -> Registration:
    try:
        return registrations_seen_by(event, organization).get(pk=registration_id)
    except (Registration.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def participation(event: Event) -> list[dict]:
    """Registered and attended, by organization and by gender (organizers only)."""
    labels = dict(Gender.choices)
    rows: dict[tuple[str, str], dict] = {}
    for name, gender, attendance in event.registrations.values_list(
        "organization__name", "gender", "attendance"
    ):
        row = rows.setdefault(
            (name, gender),
            {"organization": name, "gender": str(labels.get(gender, "—")), "registered": 0, "attended": 0},
        )
        row["registered"] += 1
        row["attended"] += attendance == Registration.Attendance.PRESENT
    return [rows[key] for key in sorted(rows)]


def public_events(*, upcoming: bool | None = None) -> QuerySet[Event]:
    events = Event.objects.filter(is_public=True, organization__is_active=True).select_related("organization")
    today = timezone.localdate()
    if upcoming is True:
        return events.filter(Q(ends_on__gte=today) | Q(ends_on__isnull=True, starts_on__gte=today)).order_by(
            "starts_on", "pk"
        )
    if upcoming is False:
        return events.filter(Q(ends_on__lt=today) | Q(ends_on__isnull=True, starts_on__lt=today))
    return events


def get_public_event(event_id) -> Event:
    try:
        return public_events().prefetch_related("materials", "co_organizers").get(pk=event_id)
    except (Event.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def member_by_number(user, organization, number):
    """One of the organization's members by her number, or None."""
    if not number:
        return None
    return members_of(user, organization).filter(number=number).first()


def invitable_organizations(organization) -> QuerySet[Organization]:
    return (
        Organization.objects.filter(is_active=True)
        .exclude(pk=organization.pk)
        .exclude(kind=Organization.Kind.COMPANY)
        .order_by("name")
    )
