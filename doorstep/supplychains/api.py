"""API for supply chains: work givers (parties), their links and chains; due diligence (commitments and
the organization's narratives); supplier lists and their matches. Contact details appear only with
``?include=contact``, audited."""

from datetime import date, datetime

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from doorstep.core import imports
from doorstep.core.import_api import ImportOut
from doorstep.core.pagination import page_of
from doorstep.core.schemas import ErrorOut, codes
from doorstep.organizations.models import Organization
from doorstep.organizations.queries import organization_for_staff, organizations_for_staff

from . import queries, services
from .models import CommitmentStatus, Confidence, DiligenceStep, EvidenceKind, MatchOutcome, PartyKind
from .schemas import PartyIn, PartyOut, PartyPage, PartyPatch

router = Router(tags=["parties"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class PartyFilters(Schema):
    organization_id: int | None = None
    kind: codes(PartyKind) | None = None
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
        "site_address": party.site_address,
        "sector": party.sector,
        "identifiers": party.identifiers,
        "company_id": party.company_id,
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


class LinkIn(Schema):
    seller_id: int | None = Field(None, description="This party buys from (or gives work to) that one…")
    buyer_id: int | None = Field(None, description="…or that one buys from this party. Give one of the two.")
    confidence: codes(Confidence) = Confidence.LIKELY.value
    evidence: codes(EvidenceKind)
    note: str = ""
    started_on: date | None = None
    ended_on: date | None = None


class LinkOut(Schema):
    id: int
    buyer_id: int
    buyer: str
    seller_id: int
    seller: str
    confidence: codes(Confidence)
    evidence: codes(EvidenceKind)
    note: str
    started_on: date | None
    ended_on: date | None


class ChainNodeOut(Schema):
    party_id: int
    name: str
    kind: codes(PartyKind)
    layer: int = Field(description="0 for the party asked for; its sellers 1, theirs 2…")
    members: int = Field(description="Distinct members given work by this party (inside the organization).")
    orders: int


class ChainOut(Schema):
    nodes: list[ChainNodeOut]
    links: list[LinkOut]


def link_out(link) -> dict:
    return {
        "id": link.pk,
        "buyer_id": link.buyer_id,
        "buyer": link.buyer.name,
        "seller_id": link.seller_id,
        "seller": link.seller.name,
        "confidence": link.confidence,
        "evidence": link.evidence,
        "note": link.note,
        "started_on": link.started_on,
        "ended_on": link.ended_on,
    }


@router.get("/parties/{party_id}/links", response={200: list[LinkOut], **ERRORS})
def list_links(request, party_id: int):
    """The links where this party buys or sells."""
    party = queries.get_party(request.auth, party_id)
    return [link_out(link) for link in queries.links_of(request.auth, party)]


@router.post("/parties/{party_id}/links", response={201: LinkOut, **ERRORS})
def add_link(request, party_id: int, payload: LinkIn):
    """Record a step of the chain: give ``seller_id`` (this party buys from it) or ``buyer_id``."""
    party = queries.get_party(request.auth, party_id)
    if (payload.seller_id is None) == (payload.buyer_id is None):
        return Status(
            422,
            {
                "detail": "Give seller_id or buyer_id.",
                "code": "invalid",
                "errors": [{"field": "seller_id", "message": "Give seller_id or buyer_id, not both."}],
            },
        )
    other = queries.get_party(request.auth, payload.seller_id or payload.buyer_id, party.organization_id)
    buyer, seller = (party, other) if payload.seller_id else (other, party)
    link = services.add_link(
        buyer, seller, payload.dict(exclude={"seller_id", "buyer_id"}), actor=request.auth
    )
    return Status(201, link_out(link))


@router.delete("/parties/{party_id}/links/{link_id}", response={204: None, **ERRORS})
def remove_link(request, party_id: int, link_id: int):
    party = queries.get_party(request.auth, party_id)
    link = queries.get_link(request.auth, link_id, party.organization_id)
    if party.pk not in (link.buyer_id, link.seller_id):
        return Status(404, {"detail": "Not found.", "code": "not_found", "errors": []})
    services.remove_link(link, actor=request.auth)
    return Status(204, None)


@router.get("/parties/{party_id}/chain", response={200: ChainOut, **ERRORS})
def get_chain(request, party_id: int):
    """The chain below this party with the members and orders each party reaches (organization only)."""
    graph = queries.chain(request.auth, queries.get_party(request.auth, party_id))
    return {
        "nodes": [
            {
                "party_id": n.party.pk,
                "name": n.party.name,
                "kind": n.party.kind,
                "layer": n.layer,
                "members": n.members,
                "orders": n.orders,
            }
            for n in graph.nodes
        ],
        "links": [link_out(link) for link in graph.links],
    }


# Due diligence --------------------------------------------------------------------------------------


class CommitmentIn(Schema):
    company_id: int = Field(description="The company you act for.")
    organization_id: int = Field(description="The organization you commit to (it shares with you).")
    step: codes(DiligenceStep) = DiligenceStep.PREVENT.value
    action: str
    owner: str = Field(description="Who at the company answers for it.")
    deadline: date


class CommitmentPatch(Schema):
    status: codes(CommitmentStatus) | None = None
    note: str | None = None


class CommitmentOut(Schema):
    id: int
    organization_id: int
    organization: str
    company_id: int
    company: str
    step: codes(DiligenceStep)
    action: str
    owner: str
    deadline: date
    status: codes(CommitmentStatus)
    overdue: bool
    note: str
    created_at: datetime


class NarrativesIn(Schema):
    """Give the steps to change; a blank text clears a step."""

    identify: str | None = None
    prevent: str | None = None
    track: str | None = None
    communicate: str | None = None
    remediate: str | None = None


class NarrativeOut(Schema):
    organization_id: int
    organization: str
    step: codes(DiligenceStep)
    text: str


def commitment_out(c) -> dict:
    return {
        "id": c.pk,
        "organization_id": c.organization_id,
        "organization": c.organization.name,
        "company_id": c.company_id,
        "company": c.company.name,
        "step": c.step,
        "action": c.action,
        "owner": c.owner,
        "deadline": c.deadline,
        "status": c.status,
        "overdue": c.is_overdue(timezone.localdate()),
        "note": c.note,
        "created_at": c.created_at,
    }


@router.get("/commitments", response={200: list[CommitmentOut], **ERRORS})
def list_commitments(request, organization_id: int | None = None, company_id: int | None = None):
    """Commitments made to your organization (``organization_id``, staff) or by your company
    (``company_id``: to the organizations sharing with it today)."""
    if company_id is not None:
        company = queries.company_for(request.auth, pk=company_id)
        shared = queries.shared_with_company(company, queries.sharing_with_company(company))
        return [commitment_out(c) for c in shared.commitments]
    organization, _all = organizations_for_staff(request.auth, organization_id)
    return [commitment_out(c) for c in queries.commitments_of(request.auth, organization)]


@router.post("/commitments", response={201: CommitmentOut, **ERRORS})
def make_commitment(request, payload: CommitmentIn):
    company = queries.company_for(request.auth, pk=payload.company_id)
    organization = Organization.objects.filter(pk=payload.organization_id, is_active=True).first()
    if organization is None:
        raise Http404
    commitment = services.add_commitment(
        company, organization, payload.dict(exclude={"company_id", "organization_id"}), actor=request.auth
    )
    return Status(201, commitment_out(commitment))


@router.patch("/commitments/{commitment_id}", response={200: CommitmentOut, **ERRORS})
def track_commitment(request, commitment_id: int, payload: CommitmentPatch):
    """The organization records where a commitment stands."""
    commitment = queries.get_commitment(request.auth, commitment_id)
    return commitment_out(
        services.track_commitment(commitment, payload.dict(exclude_unset=True), actor=request.auth)
    )


@router.put(
    "/organizations/{organization_id}/narratives/{company_id}", response={200: list[NarrativeOut], **ERRORS}
)
def save_narratives(request, organization_id: int, company_id: int, payload: NarrativesIn):
    """Your organization's words to a company, by step (identify, prevent, track, communicate,
    remediate); the company reads them in its dossier while an agreement with it is in force."""
    organization = organization_for_staff(request.auth, organization_id)
    company = next(
        (c for c in queries.companies_with_agreements(request.auth, organization) if c.pk == company_id), None
    )
    if company is None:
        raise Http404
    services.save_narrative(organization, company, payload.dict(exclude_unset=True), actor=request.auth)
    return [
        {"organization_id": organization.pk, "organization": organization.name, "step": step, "text": n.text}
        for step, n in queries.narratives_of(request.auth, organization, company).items()
    ]


# Supplier lists ---------------------------------------------------------------------------------------


class SupplierListOut(Schema):
    id: int
    organization_id: int
    name: str
    import_id: int | None
    total: int
    linked: int = Field(description="Matched at once or by a person.")
    waiting: int = Field(description="Waiting for a person's decision.")
    created: int = Field(description="Added as new suppliers.")
    created_at: datetime


class SupplierRowOut(Schema):
    id: int
    row: int = Field(description="The row in the uploaded file (the header is row 1).")
    name: str
    address: str
    country: str
    sector: str
    os_id: str
    outcome: codes(MatchOutcome)
    score: float
    candidate_id: int | None
    candidate: str | None
    party_id: int | None
    party: str | None


class SupplierRowPage(Schema):
    items: list[SupplierRowOut]
    next: str | None


class DecisionIn(Schema):
    decision: codes(services.SUPPLIER_DECISIONS) = Field(
        description="same (the candidate), other (give party_id) or new"
    )
    party_id: int | None = None


def supplier_list_out(item) -> dict:
    return {
        "id": item.pk,
        "organization_id": item.organization_id,
        "name": item.name,
        "import_id": item.import_job_id,
        "total": item.total,
        "linked": item.linked,
        "waiting": item.waiting,
        "created": item.created,
        "created_at": item.created_at,
    }


def supplier_row_out(row) -> dict:
    return {
        "id": row.pk,
        "row": row.row,
        "name": row.name,
        "address": row.address,
        "country": row.country.code,
        "sector": row.sector,
        "os_id": row.os_id,
        "outcome": row.outcome,
        "score": row.score,
        "candidate_id": row.candidate_id,
        "candidate": row.candidate.name if row.candidate else None,
        "party_id": row.party_id,
        "party": row.party.name if row.party else None,
    }


@router.post("/supplier-lists", response={201: ImportOut, **ERRORS})
def upload_supplier_list(request, organization_id: Form[int], file: File[UploadedFile]):
    """Upload a supplier list (CSV, XLSX, XLS, ODS: name, address, country, sector, OS ID). It becomes
    an import (``/imports/{id}``): confirm its columns there and import the valid rows; the broken rows
    are reported by row and column. Then read the matches here."""
    organization = organization_for_staff(request.auth, organization_id)
    job = imports.start(
        organization,
        target_name="supplier_list",
        filename=file.name or "suppliers",
        data=file.read(),
        actor=request.auth,
    )
    return Status(201, job)


@router.get("/supplier-lists", response={200: list[SupplierListOut], **ERRORS})
def list_supplier_lists(request, organization_id: int | None = None):
    organization, _all = organizations_for_staff(request.auth, organization_id)
    return [supplier_list_out(item) for item in queries.supplier_lists_of(request.auth, organization)]


@router.get("/supplier-lists/{list_id}/rows", response={200: SupplierRowPage, **ERRORS})
def list_supplier_rows(
    request,
    list_id: int,
    outcome: codes(MatchOutcome, blank=True) = "",
    limit: int = settings.API_PAGE_DEFAULT,
    cursor: str | None = None,
):
    """The list's facilities with what each was matched to (``?outcome=review``: the ones waiting)."""
    found = queries.get_supplier_list(request.auth, list_id)
    rows, next_cursor = page_of(
        queries.supplier_rows(request.auth, found, outcome),
        limit=min(max(limit, 1), settings.API_PAGE_MAX),
        cursor=cursor,
    )
    return {"items": [supplier_row_out(r) for r in rows], "next": next_cursor}


@router.post("/supplier-lists/{list_id}/rows/{row_id}/decision", response={200: SupplierRowOut, **ERRORS})
def decide_supplier_row(request, list_id: int, row_id: int, payload: DecisionIn):
    """Decide a facility waiting for review: the suggested work giver, another one, or a new one."""
    found = queries.get_supplier_list(request.auth, list_id)
    row = queries.get_supplier_row(request.auth, row_id, found)
    other = (
        queries.get_party(request.auth, payload.party_id, found.organization_id) if payload.party_id else None
    )
    row = services.decide_supplier_row(row, payload.decision, actor=request.auth, party=other)
    return supplier_row_out(row)
