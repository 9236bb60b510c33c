"""API of the network app: the directory and affiliation requests, bulletins and news, the resource
library, and events with their registrations. ``/public/...`` needs no login and is cached by
browsers and proxies for five minutes; everything else needs a token."""

import json
from datetime import date, datetime

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from doorstep.core.errors import PermissionDenied, ValidationError
from doorstep.core.pagination import page_of
from doorstep.core.roles import ADMIN_ROLES
from doorstep.core.schemas import ErrorOut, codes
from doorstep.core.sectors import Sector
from doorstep.members.models import Gender
from doorstep.organizations.models import Organization
from doorstep.organizations.queries import organization_for_staff
from doorstep.organizations.schemas import LANGUAGE_CODES

from . import queries
from .models import AffiliationRequest, Bulletin, Event, NewsItem, Registration, Resource, Topic
from .services import affiliations as affiliation_services
from .services import bulletins as bulletin_services
from .services import directory as directory_services
from .services import events as event_services
from .services import news as news_services
from .services import resources as resource_services
from .services import sending as sending_services

router = Router(tags=["directory"])
public = Router(tags=["public"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
PUBLIC_CACHE = "public, max-age=300"


def cached(response: HttpResponse) -> None:
    response["Cache-Control"] = PUBLIC_CACHE


class DirectoryOrganizationRef(Schema):
    slug: str
    name: str


class DirectoryEntryOut(Schema):
    slug: str
    name: str
    kind: codes(Organization.Kind)
    country: str
    area: str
    description: str
    sectors: list[codes(Sector)]
    languages: list[str]
    size_band: str | None = Field(None, description="Members as a band, e.g. 250-999; never an exact count.")
    networks: list[DirectoryOrganizationRef]
    affiliates: list[DirectoryOrganizationRef]
    email: str
    phone: str
    website: str
    postal_address: str


class EntryPage(Schema):
    items: list[DirectoryEntryOut]
    next: str | None = None


class DirectoryFilters(Schema):
    q: str | None = None
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 code")
    sector: codes(Sector) | None = None
    kind: codes(Organization.Kind) | None = None
    network: str | None = Field(None, description="A network's slug: its current affiliates")
    limit: int = Field(settings.API_PAGE_DEFAULT, ge=1, le=settings.API_PAGE_MAX)
    cursor: str | None = None


def _entry_out(entry: queries.Entry) -> dict:
    org, listing = entry.organization, entry.listing
    return {
        "slug": org.slug,
        "name": org.name,
        "kind": org.kind,
        "country": str(org.country or ""),
        "area": listing.area,
        "description": listing.description,
        "sectors": listing.sectors,
        "languages": org.languages or [],
        "size_band": entry.size[0] if entry.size else None,
        "networks": [{"slug": n.slug, "name": n.name} for n in entry.networks],
        "affiliates": [{"slug": n.slug, "name": n.name} for n in entry.affiliates],
        "email": listing.email,
        "phone": listing.phone,
        "website": listing.website,
        "postal_address": listing.postal_address,
    }


@public.get("/public/directory", auth=None, response={200: EntryPage, 422: ErrorOut})
def directory(request, response: HttpResponse, filters: Query[DirectoryFilters]):
    """Listed organizations by name, filtered by name or area, country, sector, kind and network."""
    cached(response)
    chosen = filters.dict(exclude={"limit", "cursor"})
    if chosen.get("country"):
        chosen["country"] = chosen["country"].upper()
    listings, next_cursor = page_of(
        queries.listed_organizations(chosen), limit=filters.limit, cursor=filters.cursor
    )
    return {"items": [_entry_out(e) for e in queries.entries(listings)], "next": next_cursor}


@public.get("/public/directory/{slug}", auth=None, response={200: DirectoryEntryOut, 404: ErrorOut})
def directory_entry(request, response: HttpResponse, slug: str):
    cached(response)
    return _entry_out(queries.listed_entry(slug))


class ListingIn(Schema):
    listed: bool | None = None
    description: str | None = Field(None, max_length=2000)
    area: str | None = Field(None, max_length=200)
    sectors: list[codes(Sector)] | None = None
    declared_members: int | None = Field(None, ge=0)
    email: str | None = None
    phone: str | None = Field(None, max_length=40)
    website: str | None = None
    postal_address: str | None = Field(None, max_length=300)


class ListingOut(Schema):
    organization_id: int
    listed: bool
    description: str
    area: str
    sectors: list[codes(Sector)]
    declared_members: int | None
    email: str
    phone: str
    website: str
    postal_address: str
    updated_at: datetime | None


@router.get("/directory/listings/{organization_id}", response={200: ListingOut, **ERRORS})
def get_listing(request, organization_id: int):
    """An organization's own directory entry (listed or not)."""
    organization = organization_for_staff(request.auth, organization_id)
    listing = queries.listing_of(request.auth, organization)
    listing.organization_id = organization.pk
    return listing


@router.patch("/directory/listings/{organization_id}", response={200: ListingOut, **ERRORS})
def update_listing(request, organization_id: int, payload: ListingIn):
    """Change the entry (the organization's admins). Only the fields sent change."""
    organization = organization_for_staff(request.auth, organization_id, ADMIN_ROLES)
    return directory_services.save_listing(
        organization, data=payload.dict(exclude_unset=True), actor=request.auth
    )


class RequestIn(Schema):
    organization_id: int
    network: str = Field(description="The network's slug")
    message: str = Field("", max_length=2000)


class RequestOut(Schema):
    id: int
    organization_id: int
    network_id: int
    status: codes(AffiliationRequest.Status)
    message: str
    answer: str
    requested_at: datetime
    decided_at: datetime | None


class AffiliationDecisionIn(Schema):
    approve: bool
    answer: str = Field("", max_length=2000)


@router.post("/affiliation-requests", response={201: RequestOut, **ERRORS})
def create_request(request, payload: RequestIn):
    """Ask a network to take the organization in (its admins)."""
    organization = organization_for_staff(request.auth, payload.organization_id, ADMIN_ROLES)
    network = Organization.objects.filter(slug=payload.network, is_active=True).first()
    if network is None:
        raise ValidationError.for_field("network", "No active network has this slug.")
    found = affiliation_services.request_affiliation(
        organization, network=network, message=payload.message, actor=request.auth
    )
    return Status(201, found)


@router.get("/affiliation-requests", response={200: list[RequestOut], **ERRORS})
def list_requests(request, organization_id: int):
    """Requests the organization sent, and (for a network) those it received."""
    organization = organization_for_staff(request.auth, organization_id)
    sent = list(queries.requests_sent(request.auth, organization)[:200])
    received = list(queries.requests_received(request.auth, organization)[:200])
    return sent + received


@router.post("/affiliation-requests/{request_id}/decision", response={200: RequestOut, **ERRORS})
def decide(request, request_id: int, network_id: int, payload: AffiliationDecisionIn):
    """The network's admin approves (the affiliation starts today) or declines."""
    network = organization_for_staff(request.auth, network_id, ADMIN_ROLES)
    found = queries.get_request_received(request.auth, network, request_id)
    return affiliation_services.decide_request(
        found, approve=payload.approve, answer=payload.answer, actor=request.auth
    )


@router.post("/affiliation-requests/{request_id}/withdraw", response={200: RequestOut, **ERRORS})
def withdraw(request, request_id: int, organization_id: int):
    organization = organization_for_staff(request.auth, organization_id, ADMIN_ROLES)
    found: AffiliationRequest = queries.get_request_sent(request.auth, organization, request_id)
    return affiliation_services.withdraw_request(found, actor=request.auth)


# Bulletins ---------------------------------------------------------------------------------------


class SectionOut(Schema):
    id: int
    position: int
    heading: str
    body: str = Field(description="Sanitized HTML")


class BulletinOut(Schema):
    id: int
    organization: str = Field(description="The publishing organization's slug")
    edition: str = Field(description="Shared by the language versions of one issue")
    language: codes(LANGUAGE_CODES)
    title: str
    summary: str
    status: codes(Bulletin.Status)
    published_at: datetime | None
    sent_at: datetime | None
    sections: list[SectionOut]


class BulletinPage(Schema):
    items: list[BulletinOut]
    next: str | None = None


def _bulletin_out(bulletin) -> dict:
    return {
        "id": bulletin.pk,
        "organization": bulletin.organization.slug,
        "edition": str(bulletin.edition),
        "language": bulletin.language,
        "title": bulletin.title,
        "summary": bulletin.summary,
        "status": bulletin.status,
        "published_at": bulletin.published_at,
        "sent_at": bulletin.sent_at,
        "sections": [
            {"id": s.pk, "position": s.position, "heading": s.heading, "body": s.body}
            for s in bulletin.sections.all()
        ],
    }


class PublicBulletinFilters(Schema):
    organization: str = Field(description="The publishing organization's slug")
    language: codes(LANGUAGE_CODES) | None = None
    limit: int = Field(settings.API_PAGE_DEFAULT, ge=1, le=settings.API_PAGE_MAX)
    cursor: str | None = None


@public.get("/public/bulletins", auth=None, response={200: BulletinPage, 404: ErrorOut, 422: ErrorOut})
def public_bulletins(request, response: HttpResponse, filters: Query[PublicBulletinFilters]):
    """An organization's published bulletins, newest first, with their sections."""
    cached(response)
    _organization, bulletins = queries.published_bulletins(filters.organization, filters.language)
    rows, next_cursor = page_of(
        bulletins.select_related("organization").prefetch_related("sections"),
        limit=filters.limit,
        cursor=filters.cursor,
        newest_first=True,
    )
    return {"items": [_bulletin_out(b) for b in rows], "next": next_cursor}


@public.get(
    "/public/bulletins/{organization}/{bulletin_id}", auth=None, response={200: BulletinOut, 404: ErrorOut}
)
def public_bulletin(request, response: HttpResponse, organization: str, bulletin_id: int):
    cached(response)
    return _bulletin_out(queries.published_bulletin(organization, bulletin_id))


class BulletinIn(Schema):
    organization_id: int
    title: str = Field(max_length=200)
    language: codes(LANGUAGE_CODES)
    summary: str = Field("", max_length=1000)
    translation_of: int | None = Field(None, description="Make a new language version of this bulletin")


class BulletinPatch(Schema):
    title: str | None = Field(None, max_length=200)
    summary: str | None = Field(None, max_length=1000)


class SectionIn(Schema):
    heading: str = Field(max_length=200)
    body: str = Field(max_length=20000, description="Plain text or simple HTML; unsafe parts are removed")


@router.get("/bulletins", response={200: list[BulletinOut], **ERRORS})
def list_bulletins(request, organization_id: int):
    """The organization's bulletins, drafts included (newest 200)."""
    organization = organization_for_staff(request.auth, organization_id)
    rows = (
        queries.bulletins_of(request.auth, organization)
        .select_related("organization")
        .prefetch_related("sections")
    )
    return [_bulletin_out(b) for b in rows[:200]]


@router.post("/bulletins", response={201: BulletinOut, **ERRORS})
def create_bulletin(request, payload: BulletinIn):
    organization = organization_for_staff(request.auth, payload.organization_id)
    data = payload.dict(exclude={"organization_id", "translation_of"})
    if payload.translation_of is not None:
        data["translation_of"] = queries.get_bulletin(request.auth, payload.translation_of, organization)
    created = bulletin_services.create_bulletin(organization, data=data, actor=request.auth)
    return Status(201, _bulletin_out(queries.get_bulletin(request.auth, created.pk)))


@router.get("/bulletins/{bulletin_id}", response={200: BulletinOut, **ERRORS})
def get_bulletin(request, bulletin_id: int):
    return _bulletin_out(queries.get_bulletin(request.auth, bulletin_id))


@router.patch("/bulletins/{bulletin_id}", response={200: BulletinOut, **ERRORS})
def update_bulletin(request, bulletin_id: int, payload: BulletinPatch):
    found = queries.get_bulletin(request.auth, bulletin_id)
    bulletin_services.update_bulletin(found, data=payload.dict(exclude_unset=True), actor=request.auth)
    return _bulletin_out(queries.get_bulletin(request.auth, bulletin_id))


@router.post("/bulletins/{bulletin_id}/sections", response={201: BulletinOut, **ERRORS})
def add_section(request, bulletin_id: int, payload: SectionIn):
    found = queries.get_bulletin(request.auth, bulletin_id)
    bulletin_services.add_section(found, data=payload.dict(), actor=request.auth)
    return Status(201, _bulletin_out(queries.get_bulletin(request.auth, bulletin_id)))


@router.post("/bulletins/{bulletin_id}/publish", response={200: BulletinOut, **ERRORS})
def publish_bulletin(request, bulletin_id: int):
    found = queries.get_bulletin(request.auth, bulletin_id)
    bulletin_services.publish_bulletin(found, actor=request.auth)
    return _bulletin_out(queries.get_bulletin(request.auth, bulletin_id))


@router.post("/bulletins/{bulletin_id}/send", response={202: BulletinOut, **ERRORS})
def send_bulletin(request, bulletin_id: int):
    """Send the issue by e-mail to confirmed subscribers (a background job; again: only the new ones)."""
    found = queries.get_bulletin(request.auth, bulletin_id)
    sending_services.send_edition(found, actor=request.auth)
    return Status(202, _bulletin_out(found))


class NewsIn(Schema):
    organization_id: int
    network: str = Field(description="The network's slug")
    title: str = Field(max_length=200)
    body: str = Field(max_length=10000)
    language: codes(LANGUAGE_CODES) = "en"


class NewsOut(Schema):
    id: int
    organization_id: int
    network_id: int
    title: str
    body: str
    language: codes(LANGUAGE_CODES)
    status: codes(NewsItem.Status)
    submitted_at: datetime


@router.post("/news-items", response={201: NewsOut, **ERRORS})
def submit_news(request, payload: NewsIn):
    """Send news to a network the organization is in, for its next bulletin."""
    organization = organization_for_staff(request.auth, payload.organization_id)
    network = queries.networks_of(organization).filter(slug=payload.network).first()
    if network is None:
        raise ValidationError.for_field("network", "The organization is not in a network with this slug.")
    item = news_services.submit_news(
        organization,
        network=network,
        data=payload.dict(exclude={"organization_id", "network"}),
        actor=request.auth,
    )
    return Status(201, item)


@router.get("/news-items", response={200: list[NewsOut], **ERRORS})
def list_news(request, organization_id: int):
    """News the organization sent, and (for a network) the news its affiliates sent it."""
    organization = organization_for_staff(request.auth, organization_id)
    sent = list(queries.news_sent(request.auth, organization)[:200])
    return sent + list(queries.news_received(request.auth, organization)[:200])


# The resource library -----------------------------------------------------------------------------


class ResourceOut(Schema):
    id: int
    organization: str
    title: str
    summary: str = Field(description="Sanitized HTML")
    kind: codes(Resource.Kind)
    audience: codes(Resource.Audience) = Field(
        description="public, or members (the owner's people and its affiliates')"
    )
    link: str
    file_url: str | None = None
    file_name: str
    file_size: int
    languages: list[str]
    topics: list[codes(Topic)]
    countries: list[str]
    created_at: datetime
    updated_at: datetime


class ResourcePage(Schema):
    items: list[ResourceOut]
    next: str | None = None


class ResourceFilters(Schema):
    q: str | None = None
    kind: codes(Resource.Kind) | None = None
    topic: codes(Topic) | None = None
    language: str | None = None
    country: str | None = None
    organization: str | None = Field(None, description="The owning organization's slug")
    limit: int = Field(settings.API_PAGE_DEFAULT, ge=1, le=settings.API_PAGE_MAX)
    cursor: str | None = None


def _resource_out(resource) -> dict:
    return {
        "id": resource.pk,
        "organization": resource.organization.slug,
        "title": resource.title,
        "summary": resource.summary,
        "kind": resource.kind,
        "audience": resource.audience,
        "link": resource.link,
        "file_url": reverse("resource_file", args=[resource.pk]) if resource.file_size else None,
        "file_name": resource.file_name,
        "file_size": resource.file_size,
        "languages": resource.languages,
        "topics": resource.topics,
        "countries": resource.countries,
        "created_at": resource.created_at,
        "updated_at": resource.updated_at,
    }


def _resource_page(user, filters: ResourceFilters) -> dict:
    chosen = filters.dict(exclude={"limit", "cursor"})
    if chosen.get("country"):
        chosen["country"] = chosen["country"].upper()
    rows, next_cursor = page_of(
        queries.visible_resources(user, chosen), limit=filters.limit, cursor=filters.cursor, newest_first=True
    )
    return {"items": [_resource_out(r) for r in rows], "next": next_cursor}


@public.get("/public/resources", auth=None, response={200: ResourcePage, 422: ErrorOut})
def public_resources(request, response: HttpResponse, filters: Query[ResourceFilters]):
    """Public resources only, newest first; members-only ones are never here (see GET /resources)."""
    cached(response)
    return _resource_page(None, filters)


@public.get("/public/resources/{resource_id}", auth=None, response={200: ResourceOut, 404: ErrorOut})
def public_resource(request, response: HttpResponse, resource_id: int):
    cached(response)
    return _resource_out(queries.get_visible_resource(None, resource_id))


@router.get("/resources", response={200: ResourcePage, **ERRORS})
def list_resources(request, filters: Query[ResourceFilters]):
    """Public resources and the members-only ones the caller may see."""
    return _resource_page(request.auth, filters)


class ResourceIn(Schema):
    title: str | None = Field(None, max_length=200)
    summary: str | None = Field(None, max_length=5000)
    kind: codes(Resource.Kind) | None = None
    audience: codes(Resource.Audience) | None = None
    link: str | None = Field(None, max_length=500)
    languages: list[str] | None = None
    topics: list[codes(Topic)] | None = None
    countries: list[str] | None = None


@router.post("/resources", response={201: ResourceOut, **ERRORS})
def create_resource(request, organization_id: Form[int], data: Form[str], file: File[UploadedFile] = None):
    """Add a resource: multipart with ``organization_id``, ``data`` (the fields as JSON: ``title``,
    ``kind``, ``audience``, ``summary``, ``link``, ``languages``, ``topics``, ``countries``) and an
    optional ``file``. A resource needs a file or a link."""
    organization = organization_for_staff(request.auth, organization_id)
    try:
        fields = ResourceIn(**json.loads(data)).dict(exclude_unset=True)
    except (ValueError, TypeError) as error:
        raise ValidationError.for_field(
            "data", f"Not a JSON object of a resource's fields: {error}"
        ) from None
    made = resource_services.save_resource(organization, data=fields, upload=file, actor=request.auth)
    return Status(201, _resource_out(made))


@router.patch("/resources/{resource_id}", response={200: ResourceOut, **ERRORS})
def update_resource(request, resource_id: int, payload: ResourceIn):
    found = queries.get_resource(request.auth, resource_id)
    saved = resource_services.save_resource(
        found.organization, data=payload.dict(exclude_unset=True), resource=found, actor=request.auth
    )
    return _resource_out(saved)


@router.delete("/resources/{resource_id}", response={204: None, **ERRORS})
def delete_resource(request, resource_id: int):
    resource_services.delete_resource(queries.get_resource(request.auth, resource_id), actor=request.auth)
    return Status(204, None)


# Events and trainings ---------------------------------------------------------------------------------


class EventOut(Schema):
    id: int
    organization: str
    kind: codes(Event.Kind)
    title: str
    description: str = Field(description="Sanitized HTML")
    starts_on: date
    ends_on: date | None
    place: str
    online_link: str
    is_public: bool
    registration_open: bool
    capacity: int | None
    co_organizers: list[str]
    materials: list[int] = Field(description="Resource ids (public ones only in the public API)")


class EventPage(Schema):
    items: list[EventOut]
    next: str | None = None


def _event_out(event, *, public_only: bool = False) -> dict:
    return {
        "id": event.pk,
        "organization": event.organization.slug,
        "kind": event.kind,
        "title": event.title,
        "description": event.description,
        "starts_on": event.starts_on,
        "ends_on": event.ends_on,
        "place": event.place,
        "online_link": event.online_link,
        "is_public": event.is_public,
        "registration_open": event.registration_open,
        "capacity": event.capacity,
        "co_organizers": [o.slug for o in event.co_organizers.all()],
        "materials": [m.pk for m in event.materials.all() if m.is_public or not public_only],
    }


class EventFilters(Schema):
    upcoming: bool | None = Field(None, description="true: not over yet; false: past")
    limit: int = Field(settings.API_PAGE_DEFAULT, ge=1, le=settings.API_PAGE_MAX)
    cursor: str | None = None


@public.get("/public/events", auth=None, response={200: EventPage, 422: ErrorOut})
def public_events(request, response: HttpResponse, filters: Query[EventFilters]):
    """Public events, newest first."""
    cached(response)
    rows, next_cursor = page_of(
        queries.public_events(upcoming=filters.upcoming).prefetch_related("co_organizers", "materials"),
        limit=filters.limit,
        cursor=filters.cursor,
        newest_first=True,
    )
    return {"items": [_event_out(e, public_only=True) for e in rows], "next": next_cursor}


@public.get("/public/events/{event_id}", auth=None, response={200: EventOut, 404: ErrorOut})
def public_event(request, response: HttpResponse, event_id: int):
    cached(response)
    return _event_out(queries.get_public_event(event_id), public_only=True)


class EventIn(Schema):
    kind: codes(Event.Kind) | None = None
    title: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=10000)
    starts_on: date | None = None
    ends_on: date | None = None
    place: str | None = Field(None, max_length=300)
    online_link: str | None = Field(None, max_length=500)
    is_public: bool | None = None
    registration_open: bool | None = None
    capacity: int | None = None
    co_organizers: list[int] | None = Field(None, description="Organization ids")
    invited: list[int] | None = Field(None, description="Organization ids")
    materials: list[int] | None = Field(None, description="Resource ids")


class RegistrationIn(Schema):
    name: str = Field(max_length=200, description="Sealed; the organizers see it to take attendance")
    member_number: int | None = None
    gender: codes(Gender, blank=True) = ""
    role: str = Field("", max_length=100)


class RegistrationOut(Schema):
    id: int
    organization_id: int
    event_id: int
    member_id: int | None = Field(None, description="Only for the registering organization")
    gender: codes(Gender, blank=True)
    role: str
    attendance: codes(Registration.Attendance)


def _registration_out(registration, organization) -> dict:
    own = registration.organization_id == organization.pk
    return {
        "id": registration.pk,
        "organization_id": registration.organization_id,
        "event_id": registration.event_id,
        "member_id": registration.member_id if own else None,
        "gender": registration.gender,
        "role": registration.role,
        "attendance": registration.attendance,
    }


class AttendanceIn(Schema):
    attendance: codes(Registration.Attendance) = Field(
        description="present, absent, or empty for not recorded"
    )


class ParticipationRow(Schema):
    organization: str
    gender: str
    registered: int
    attended: int


@router.get("/events", response={200: list[EventOut], **ERRORS})
def list_events(request, organization_id: int):
    """Events the organization organizes or is invited to (newest 200)."""
    organization = organization_for_staff(request.auth, organization_id)
    rows = queries.events_for(request.auth, organization).prefetch_related("co_organizers", "materials")[:200]
    return [_event_out(e) for e in rows]


@router.post("/events", response={201: EventOut, **ERRORS})
def create_event(request, organization_id: int, payload: EventIn):
    organization = organization_for_staff(request.auth, organization_id)
    data = payload.dict(exclude_unset=True)
    data.setdefault("title", "")
    data.setdefault("starts_on", None)
    return Status(201, _event_out(event_services.save_event(organization, data=data, actor=request.auth)))


@router.patch("/events/{event_id}", response={200: EventOut, **ERRORS})
def update_event(request, event_id: int, organization_id: int, payload: EventIn):
    """Change the event (its organizing organization only)."""
    organization = organization_for_staff(request.auth, organization_id)
    found = queries.get_event_for(request.auth, organization, event_id)
    if found.organization_id != organization.pk:
        raise PermissionDenied()
    return _event_out(
        event_services.save_event(
            organization, data=payload.dict(exclude_unset=True), event=found, actor=request.auth
        )
    )


@router.post("/events/{event_id}/registrations", response={201: RegistrationOut, **ERRORS})
def register(request, event_id: int, organization_id: int, payload: RegistrationIn):
    """Register one of the organization's people (a member by her number, or anyone)."""
    organization = organization_for_staff(request.auth, organization_id)
    found = queries.get_event_for(request.auth, organization, event_id)
    data = payload.dict()
    number = data.pop("member_number")
    data["member"] = queries.member_by_number(request.auth, organization, number)
    if number and data["member"] is None:
        raise ValidationError.for_field("member_number", "No member has this number.")
    made = event_services.register_person(found, organization, data=data, actor=request.auth)
    return Status(201, _registration_out(made, organization))


@router.patch("/events/{event_id}/registrations/{registration_id}", response={200: RegistrationOut, **ERRORS})
def attendance(request, event_id: int, registration_id: int, organization_id: int, payload: AttendanceIn):
    organization = organization_for_staff(request.auth, organization_id)
    found = queries.get_event_for(request.auth, organization, event_id)
    registration = queries.get_registration(found, organization, registration_id)
    changed = event_services.set_attendance(registration, attendance=payload.attendance, actor=request.auth)
    return _registration_out(changed, organization)


@router.get("/events/{event_id}/participation", response={200: list[ParticipationRow], **ERRORS})
def event_participation(request, event_id: int, organization_id: int):
    """Registered and attended by organization and gender (organizers only)."""
    organization = organization_for_staff(request.auth, organization_id)
    found = queries.get_event_for(request.auth, organization, event_id)
    if not queries.organizes(found, organization):
        raise PermissionDenied()
    return queries.participation(found)
