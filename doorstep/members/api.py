"""API for the member registry: members, search, consents, dues, her export and erasure, and
possible duplicates. Personal data appears only with ``?include=pii``, for organizers and admins,
and every such read (and every name or phone search) is audited."""

from ninja import Field, Query, Router, Schema, Status

from doorstep.core import audit, downloads
from doorstep.core.errors import ValidationError
from doorstep.core.pagination import page_of
from doorstep.core.schemas import ErrorOut, codes
from doorstep.organizations.queries import organization_for_staff, organizations_for_staff

from . import queries, search
from .models import MEMBER_ATTRIBUTES, DuplicateCandidate
from .schemas import (
    ConsentIn,
    ConsentOut,
    DuesIn,
    DuesOut,
    MemberFilters,
    MemberIn,
    MemberOut,
    MemberPage,
    MemberPatch,
    MemberSearchIn,
)
from .services import consent as consent_services
from .services import dues as dues_services
from .services import duplicates as duplicate_services
from .services import pii as pii_services
from .services import registry as registry_services
from .services import rights as rights_services

router = Router(tags=["members"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def member_out(member, pii: dict | None = None) -> dict:
    return {
        "id": member.pk,
        "organization_id": member.organization_id,
        "number": member.number,
        **{name: getattr(member, name) for name in MEMBER_ATTRIBUTES},
        "created_at": member.created_at,
        "updated_at": member.updated_at,
        "country": member.country.code,
        "group": member.group.name if member.group else "",
        "pii": pii,
    }


def _page(user, rows, include: str | None, next_cursor: str | None, reason: str) -> dict:
    pii = pii_services.reveal_pii(rows, actor=user, reason=reason) if include == "pii" else {}
    return {"items": [member_out(m, pii.get(m.pk)) for m in rows], "next": next_cursor}


@router.get("/members", response={200: MemberPage, **ERRORS})
def list_members(request, filters: Query[MemberFilters]):
    """Members of your organizations, filtered and cursor-paginated (search by name or phone is
    ``POST /member-search``, so that no personal data travels in an address)."""
    organization, _all = organizations_for_staff(request.auth, filters.organization_id)
    members = queries.filter_members(queries.members_of(request.auth, organization), filters.dict())
    rows, next_cursor = page_of(
        members,
        limit=filters.limit,
        cursor=filters.cursor,
        held="organization_id" if organization is not None else None,
    )
    return _page(request.auth, rows, filters.include, next_cursor, "api list")


@router.post("/member-search", response={200: MemberPage, **ERRORS})
def search_members(request, payload: MemberSearchIn):
    """The best matches for a name (typos allowed) or the members with a phone number; audited."""
    user = request.auth
    if not payload.q and not payload.phone:
        raise ValidationError.for_field("q", "Give a name (q) or a phone number (phone).", code="required")
    organization, organizations = organizations_for_staff(user, payload.organization_id)
    members = queries.members_of(user, organization)
    if payload.phone:
        matched = members.none()
        for org in organizations:
            matched = matched | queries.by_identifier(
                members.filter(organization=org), org, phone=payload.phone
            )
        rows = list(matched.order_by("pk")[: payload.limit])
    else:
        ranked = [pk for org in organizations for pk in search.search(org.pk, payload.q, limit=payload.limit)]
        by_id = members.in_bulk(ranked)
        rows = [by_id[pk] for pk in ranked if pk in by_id][: payload.limit]
    for org in organizations:
        audit.record(
            "member.searched",
            actor=user,
            organization=org,
            object_type="members.member",
            metadata={
                "by": "phone" if payload.phone else "name",
                "member_ids": [m.pk for m in rows if m.organization_id == org.pk],
            },
        )
    return _page(user, rows, payload.include, None, "api search")


@router.post("/members", response={201: MemberOut, **ERRORS})
def create_member(request, payload: MemberIn):
    organization = organization_for_staff(request.auth, payload.organization_id)
    data = payload.dict(exclude={"organization_id"})
    member = registry_services.create_member(organization, data=data, actor=request.auth)
    return Status(201, member_out(member))


@router.get("/members/{member_id}", response={200: MemberOut, **ERRORS})
def get_member(request, member_id: int, include: str | None = None):
    member = queries.get_member(request.auth, member_id)
    pii = (
        pii_services.reveal_pii([member], actor=request.auth, reason="api detail") if include == "pii" else {}
    )
    return member_out(member, pii.get(member.pk))


@router.patch("/members/{member_id}", response={200: MemberOut, **ERRORS})
def update_member(request, member_id: int, payload: MemberPatch):
    member = queries.get_member(request.auth, member_id)
    data = payload.dict(exclude_unset=True)
    status_on = data.pop("status_on", None)
    member = registry_services.update_member(member, data=data, actor=request.auth, status_on=status_on)
    return member_out(member)


@router.delete("/members/{member_id}", response={204: None, **ERRORS})
def erase_member(request, member_id: int):
    """Erase her everywhere (her right to erasure; organization admins only). Cannot be undone."""
    rights_services.erase_member(queries.get_member(request.auth, member_id), actor=request.auth)
    return Status(204, None)


@router.get("/members/{member_id}/export", response={200: None, **ERRORS})
def export_member(request, member_id: int):
    """Everything held about her, as a zip of JSON and CSV files (audited)."""
    member = queries.get_member(request.auth, member_id)
    return downloads.attachment(
        rights_services.export_member(member, actor=request.auth),
        content_type="application/zip",
        filename=f"member-{member.number}.zip",
    )


@router.get("/members/{member_id}/consents", response={200: list[ConsentOut], **ERRORS})
def list_consents(request, member_id: int):
    return list(queries.get_member(request.auth, member_id).consents.all())


@router.post("/members/{member_id}/consents", response={201: ConsentOut, **ERRORS})
def record_consent(request, member_id: int, payload: ConsentIn):
    member = queries.get_member(request.auth, member_id)
    return Status(201, consent_services.record_consent(member, **payload.dict(), actor=request.auth))


@router.post("/members/{member_id}/dues", response={201: DuesOut, **ERRORS})
def record_dues(request, member_id: int, payload: DuesIn):
    member = queries.get_member(request.auth, member_id)
    return Status(201, dues_services.record_dues(member, **payload.dict(), actor=request.auth))


class DuplicateOut(Schema):
    id: int
    first_id: int
    second_id: int
    score: int
    status: codes(DuplicateCandidate.Status)


class MergeIn(Schema):
    keep: int = Field(description="The id of the record to keep (one of the pair).")
    choices: dict[str, str] = Field(
        {}, description='Field by field, whose value to keep: {"full_name": "second"}.'
    )


@router.get("/member-duplicates", response={200: list[DuplicateOut], **ERRORS})
def list_duplicates(request, organization_id: int):
    """Pairs of members that may be the same woman (similar name, same place), still to review."""
    organization_for_staff(request.auth, organization_id)
    return list(queries.open_duplicates(request.auth, organization_id)[:500])


@router.post("/member-duplicates/{candidate_id}/merge", response={200: MemberOut, **ERRORS})
def merge_duplicate(request, candidate_id: int, payload: MergeIn):
    candidate = queries.get_duplicate(request.auth, candidate_id)
    survivor = duplicate_services.merge_members(
        candidate, keep=payload.keep, choices=payload.choices, actor=request.auth
    )
    return member_out(survivor)


@router.post("/member-duplicates/{candidate_id}/dismiss", response={200: DuplicateOut, **ERRORS})
def dismiss_duplicate(request, candidate_id: int):
    return duplicate_services.dismiss_candidate(
        queries.get_duplicate(request.auth, candidate_id), actor=request.auth
    )
