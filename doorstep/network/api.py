"""API of the directory. ``/public/...`` needs no login and is cached by browsers and proxies for five
minutes; editing an entry and asking to join a network need a token."""

from datetime import datetime

from django.conf import settings
from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status

from doorstep.core.pagination import page_of
from doorstep.core.roles import ADMIN_ROLES
from doorstep.core.schemas import ErrorOut
from doorstep.organizations.queries import organization_for_staff

from . import queries, services
from .models import AffiliationRequest

router = Router(tags=["directory"])
public = Router(tags=["public"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
PUBLIC_CACHE = "public, max-age=300"


def cached(response: HttpResponse) -> None:
    response["Cache-Control"] = PUBLIC_CACHE


class OrganizationRef(Schema):
    slug: str
    name: str


class EntryOut(Schema):
    slug: str
    name: str
    kind: str
    country: str
    area: str
    description: str
    sectors: list[str]
    languages: list[str]
    size_band: str | None = Field(None, description="Members as a band, e.g. 250-999; never an exact count.")
    networks: list[OrganizationRef]
    affiliates: list[OrganizationRef]
    email: str
    phone: str
    website: str
    postal_address: str


class EntryPage(Schema):
    items: list[EntryOut]
    next: str | None = None


class DirectoryFilters(Schema):
    q: str | None = None
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 code")
    sector: str | None = None
    kind: str | None = None
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


@public.get("/public/directory/{slug}", auth=None, response={200: EntryOut, 404: ErrorOut})
def directory_entry(request, response: HttpResponse, slug: str):
    cached(response)
    return _entry_out(queries.listed_entry(slug))


class ListingIn(Schema):
    listed: bool | None = None
    description: str | None = Field(None, max_length=2000)
    area: str | None = Field(None, max_length=200)
    sectors: list[str] | None = None
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
    sectors: list[str]
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
    return services.save_listing(organization, data=payload.dict(exclude_unset=True), actor=request.auth)


class RequestIn(Schema):
    organization_id: int
    network: str = Field(description="The network's slug")
    message: str = Field("", max_length=2000)


class RequestOut(Schema):
    id: int
    organization_id: int
    network_id: int
    status: str
    message: str
    answer: str
    requested_at: datetime
    decided_at: datetime | None


class DecisionIn(Schema):
    approve: bool
    answer: str = Field("", max_length=2000)


@router.post("/affiliation-requests", response={201: RequestOut, **ERRORS})
def create_request(request, payload: RequestIn):
    """Ask a network to take the organization in (its admins)."""
    from doorstep.core.errors import ValidationError
    from doorstep.organizations.models import Organization

    organization = organization_for_staff(request.auth, payload.organization_id, ADMIN_ROLES)
    network = Organization.objects.filter(slug=payload.network, is_active=True).first()
    if network is None:
        raise ValidationError.for_field("network", "No active network has this slug.")
    found = services.request_affiliation(
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
def decide(request, request_id: int, network_id: int, payload: DecisionIn):
    """The network's admin approves (the affiliation starts today) or declines."""
    network = organization_for_staff(request.auth, network_id, ADMIN_ROLES)
    found = queries.get_request_received(request.auth, network, request_id)
    return services.decide_request(found, approve=payload.approve, answer=payload.answer, actor=request.auth)


@router.post("/affiliation-requests/{request_id}/withdraw", response={200: RequestOut, **ERRORS})
def withdraw(request, request_id: int, organization_id: int):
    organization = organization_for_staff(request.auth, organization_id, ADMIN_ROLES)
    found: AffiliationRequest = queries.get_request_sent(request.auth, organization, request_id)
    return services.withdraw_request(found, actor=request.auth)
