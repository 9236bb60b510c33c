"""API for work givers (parties). Contact details appear only with ``?include=contact``, audited."""

from django.conf import settings
from ninja import Field, Query, Router, Schema, Status

from doorstep.core.pagination import page_of
from doorstep.core.schemas import ErrorOut
from doorstep.organizations.queries import organization_for_staff, organizations_for_staff

from . import queries, services
from .schemas import PartyIn, PartyOut, PartyPage, PartyPatch

router = Router(tags=["parties"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class PartyFilters(Schema):
    organization_id: int | None = None
    kind: str | None = None
    q: str | None = Field(None, description="Part of the name.")
    include: str | None = Field(None, pattern="^contact$")
    limit: int = Field(settings.API_PAGE_DEFAULT, ge=1, le=settings.API_PAGE_MAX)
    cursor: str | None = None


def party_out(party, contact: dict | None = None) -> dict:
    return {
        "id": party.pk,
        "organization_id": party.organization_id,
        "name": party.name,
        "kind": party.kind,
        "is_person": party.is_person,
        "country": party.country.code or "",
        "locality": party.locality,
        "identifiers": party.identifiers,
        "is_active": party.is_active,
        "created_at": party.created_at,
        "updated_at": party.updated_at,
        "contact": contact,
    }


@router.get("/parties", response={200: PartyPage, **ERRORS})
def list_parties(request, filters: Query[PartyFilters]):
    """Work givers of your organizations (intermediaries, contractors, suppliers, brands, buyers)."""
    organization, _all = organizations_for_staff(request.auth, filters.organization_id)
    parties = queries.filter_parties(queries.parties_of(request.auth, organization), filters.dict())
    rows, next_cursor = page_of(parties, limit=filters.limit, cursor=filters.cursor)
    contact = (
        services.reveal_contact(rows, actor=request.auth, reason="api list")
        if filters.include == "contact"
        else {}
    )
    return {"items": [party_out(p, contact.get(p.pk)) for p in rows], "next": next_cursor}


@router.post("/parties", response={201: PartyOut, **ERRORS})
def create_party(request, payload: PartyIn):
    organization = organization_for_staff(request.auth, payload.organization_id)
    party = services.create_party(
        organization, data=payload.dict(exclude={"organization_id"}), actor=request.auth
    )
    return Status(201, party_out(party))


@router.get("/parties/{party_id}", response={200: PartyOut, **ERRORS})
def get_party(request, party_id: int, include: str | None = None):
    party = queries.get_party(request.auth, party_id)
    contact = (
        services.reveal_contact([party], actor=request.auth, reason="api detail")
        if include == "contact"
        else {}
    )
    return party_out(party, contact.get(party.pk))


@router.patch("/parties/{party_id}", response={200: PartyOut, **ERRORS})
def update_party(request, party_id: int, payload: PartyPatch):
    party = queries.get_party(request.auth, party_id)
    return party_out(services.update_party(party, data=payload.dict(exclude_unset=True), actor=request.auth))
