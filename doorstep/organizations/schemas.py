from datetime import date, datetime

from django.conf import settings
from ninja import Field, Schema

from doorstep.core.roles import Role
from doorstep.core.schemas import codes

from .models import Organization

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class TokenRequest(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=4096)
    name: str = Field("API token", min_length=1, max_length=100, description="To recognise the token later.")
    expires_in_days: int | None = Field(
        None,
        ge=1,
        le=3650,
        description="Leave out for the default lifetime (API_TOKEN_DEFAULT_DAYS: 90 days unless configured).",
    )


class TokenCreated(Schema):
    id: int
    name: str
    token: str = Field(description="Shown once: store it now. Send it as `Authorization: Bearer <token>`.")
    expires_at: datetime | None


class TokenCreate(Schema):
    name: str = Field(min_length=1, max_length=100)
    expires_in_days: int | None = Field(None, ge=1, le=3650)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class OrganizationRef(Schema):
    id: int
    slug: str
    name: str


class RoleOut(Schema):
    organization: OrganizationRef
    role: codes(Role)


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    email: str
    preferred_language: codes(LANGUAGE_CODES, blank=True)
    is_platform_admin: bool
    roles: list[RoleOut]


class OrganizationOut(Schema):
    id: int
    slug: str
    name: str
    kind: codes(Organization.Kind)
    country: str
    languages: list[str]
    is_network: bool
    is_member_based: bool

    @staticmethod
    def resolve_country(organization) -> str:
        country = organization["country"] if isinstance(organization, dict) else organization.country
        return getattr(country, "code", country) or ""


class AffiliationOut(Schema):
    id: int
    member: OrganizationRef
    network: OrganizationRef
    since: date
    until: date | None


class OrganizationDetail(OrganizationOut):
    networks: list[AffiliationOut]
    affiliates: list[AffiliationOut]
    my_role: codes(Role) | None


class AffiliationCreate(Schema):
    member_id: int
    since: date | None = None


class PersonUser(Schema):
    id: int
    username: str
    display_name: str


class PersonOut(Schema):
    id: int
    user: PersonUser
    role: codes(Role)
    is_active: bool
    created_at: datetime


class PersonCreate(Schema):
    username: str = Field(min_length=1, max_length=150)
    role: codes(Role)
    display_name: str = Field("", max_length=150)
    email: str = Field("", max_length=254)


class PersonCreated(PersonOut):
    invitation_url: str | None = Field(description="For a new account: the link where she sets her password.")


class PersonInvited(Schema):
    id: int = Field(description="The invitation's id.")
    username: str
    role: codes(Role)
    status: codes(("invited",)) = Field(description="Always `invited`: the role is hers once she accepts it.")


class PersonUpdate(Schema):
    role: codes(Role) | None = None
    is_active: bool | None = None
