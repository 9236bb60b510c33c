"""API: tokens, the acting user, organizations, affiliations, people and data-sharing agreements. Thin:
parse, call a query or service, shape the answer."""

from datetime import date, datetime, timedelta

from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from doorstep.core import tenancy, throttle
from doorstep.core.pagination import CursorPagination
from doorstep.core.roles import ADMIN_ROLES
from doorstep.core.schemas import ErrorOut, codes

from . import queries, services
from .auth import SessionAuth
from .models import SharedData, SharingPurpose
from .schemas import (
    AffiliationCreate,
    AffiliationOut,
    MeOut,
    OrganizationDetail,
    OrganizationOut,
    PersonCreate,
    PersonCreated,
    PersonInvited,
    PersonOut,
    PersonUpdate,
    TokenCreate,
    TokenCreated,
    TokenOut,
    TokenRequest,
)

router = Router(tags=["organizations"])
auth_router = Router(tags=["auth"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def _expiry(days: int | None):
    return timezone.now() + timedelta(days=days) if days else None


@auth_router.post("/auth/token", auth=None, response={201: TokenCreated, **ERRORS})
def obtain_token(request, payload: TokenRequest):
    """Exchange a username and password for a personal API token (throttled like the login page)."""
    user = services.log_in(
        username=payload.username,
        password=payload.password,
        address=throttle.client_address(request),
        request=request,
    )
    token, raw = services.issue_token(
        user, name=payload.name, expires_at=_expiry(payload.expires_in_days), actor=user
    )
    return Status(201, {"id": token.pk, "name": token.name, "token": raw, "expires_at": token.expires_at})


@auth_router.get("/tokens", response={200: list[TokenOut], **ERRORS})
@paginate(CursorPagination)
def list_tokens(request):
    return queries.tokens_of(request.auth)


@auth_router.post("/tokens", auth=SessionAuth(), response={201: TokenCreated, **ERRORS})
def create_token(request, payload: TokenCreate):
    """A new token, from a logged-in browser session only: a token cannot make more tokens (a stolen
    one would otherwise outlive its revocation)."""
    token, raw = services.issue_token(
        request.auth, name=payload.name, expires_at=_expiry(payload.expires_in_days), actor=request.auth
    )
    return Status(201, {"id": token.pk, "name": token.name, "token": raw, "expires_at": token.expires_at})


@auth_router.delete("/tokens/{token_id}", response={200: TokenOut, **ERRORS})
def revoke_token(request, token_id: int):
    """Revoke one of your tokens; it stops working at once."""
    return services.revoke_token(queries.get_token(request.auth, token_id), actor=request.auth)


@auth_router.get("/me", response={200: MeOut, **ERRORS})
def me(request):
    user = request.auth
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "preferred_language": user.preferred_language,
        "is_platform_admin": user.is_superuser,
        "roles": [{"organization": a.organization, "role": a.role} for a in queries.roles_of_user(user)],
    }


@router.get("/organizations", response={200: list[OrganizationOut], **ERRORS})
@paginate(CursorPagination)
def list_organizations(request):
    """Your organizations and the networks and affiliates directly linked to them."""
    return queries.visible_organizations(request.auth)


def _detail(user, organization) -> dict:
    affiliations = queries.current_affiliations(organization)
    return {
        **OrganizationOut.from_orm(organization).model_dump(),
        "networks": affiliations["networks"],
        "affiliates": affiliations["affiliates"],
        "my_role": tenancy.role_in(user, organization),
    }


@router.get("/organizations/{organization_id}", response={200: OrganizationDetail, **ERRORS})
def get_organization(request, organization_id: int):
    return _detail(request.auth, queries.get_visible_organization(request.auth, pk=organization_id))


@router.post("/organizations/{organization_id}/affiliations", response={201: AffiliationOut, **ERRORS})
def add_affiliate(request, organization_id: int, payload: AffiliationCreate):
    """Affiliate another organization to this network (the network's admins)."""
    network = queries.get_visible_organization(request.auth, pk=organization_id)
    member = queries.get_affiliable_organization(network, payload.member_id)
    return Status(
        201, services.add_affiliation(member=member, network=network, since=payload.since, actor=request.auth)
    )


def _organization_as_admin(user, organization_id: int):
    organization = queries.get_visible_organization(user, pk=organization_id)
    tenancy.require_role(user, organization, ADMIN_ROLES)
    return organization


@router.get("/organizations/{organization_id}/people", response={200: list[PersonOut], **ERRORS})
@paginate(CursorPagination)
def list_people(request, organization_id: int):
    """Everyone with a role in the organization (its admins only)."""
    return queries.people_of(request.auth, _organization_as_admin(request.auth, organization_id))


@router.post(
    "/organizations/{organization_id}/people", response={201: PersonCreated, 202: PersonInvited, **ERRORS}
)
def add_person(request, organization_id: int, payload: PersonCreate):
    """A new account with its role (201, with the link where she sets her password), or, for an
    existing account, an invitation she accepts on her account page (202; nothing about it is told)."""
    organization = _organization_as_admin(request.auth, organization_id)
    added = services.add_person(
        organization,
        username=payload.username,
        role=payload.role,
        display_name=payload.display_name,
        email=payload.email,
        actor=request.auth,
    )
    if added.invitation is not None:
        invitation = added.invitation
        return Status(
            202,
            {
                "id": invitation.pk,
                "username": invitation.user.username,
                "role": invitation.role,
                "status": "invited",
            },
        )
    assignment = added.assignment
    assignment.invitation_url = (
        request.build_absolute_uri(added.invitation_path) if added.invitation_path else None
    )
    return Status(201, assignment)


@router.patch("/organizations/{organization_id}/people/{person_id}", response={200: PersonOut, **ERRORS})
def update_person(request, organization_id: int, person_id: int, payload: PersonUpdate):
    """Change a person's role, or deactivate / reactivate her in this organization."""
    organization = _organization_as_admin(request.auth, organization_id)
    assignment = queries.get_person(request.auth, organization, person_id)
    if payload.role is not None:
        assignment = services.change_role(assignment, role=payload.role, actor=request.auth)
    if payload.is_active is not None:
        assignment = services.set_person_active(assignment, active=payload.is_active, actor=request.auth)
    return assignment


class AgreementIn(Schema):
    organization_id: int = Field(description="The organization that shares (you must be its admin).")
    recipient_id: int = Field(
        description="A network (network_statistics), a company (company_due_diligence), "
        "or an ally or network (research)."
    )
    purpose: codes(SharingPurpose)
    data_kinds: list[codes(SharedData)] = Field(description="One or more kinds of data.")
    starts_on: date | None = None
    ends_on: date | None = None


class AgreementOut(Schema):
    id: int
    organization_id: int
    recipient_id: int
    recipient: str
    purpose: codes(SharingPurpose)
    data_kinds: list[codes(SharedData)]
    starts_on: date
    ends_on: date | None
    revoked_at: datetime | None
    live: bool = Field(description="In force today.")


def agreement_out(agreement) -> dict:
    return {
        "id": agreement.pk,
        "organization_id": agreement.organization_id,
        "recipient_id": agreement.recipient_id,
        "recipient": agreement.recipient.name,
        "purpose": agreement.purpose,
        "data_kinds": agreement.data_kinds,
        "starts_on": agreement.starts_on,
        "ends_on": agreement.ends_on,
        "revoked_at": agreement.revoked_at,
        "live": agreement.is_live(),
    }


@router.get("/sharing-agreements", response={200: list[AgreementOut], **ERRORS})
def list_agreements(request, organization_id: int):
    """The organization's data-sharing agreements, in force or not."""
    organization = queries.organization_for_staff(request.auth, organization_id)
    return [agreement_out(a) for a in queries.agreements_of(request.auth, organization)]


@router.post("/sharing-agreements", response={201: AgreementOut, **ERRORS})
def create_agreement(request, payload: AgreementIn):
    organization = queries.organization_for_staff(request.auth, payload.organization_id, roles=ADMIN_ROLES)
    data = payload.dict(exclude={"organization_id", "recipient_id"}) | {"recipient": payload.recipient_id}
    return Status(201, agreement_out(services.create_agreement(organization, data=data, actor=request.auth)))


@router.post("/sharing-agreements/{agreement_id}/revoke", response={200: AgreementOut, **ERRORS})
def revoke_agreement(request, agreement_id: int):
    """Stop sharing at once."""
    agreement = queries.get_agreement(request.auth, agreement_id)
    return agreement_out(services.revoke_agreement(agreement, actor=request.auth))
