from datetime import datetime

from ninja import Field, Schema

from doorstep.core.schemas import codes

from .models import PartyKind
from .services import IDENTIFIER_SCHEMES


class Identifier(Schema):
    scheme: codes(IDENTIFIER_SCHEMES)
    value: str = Field(max_length=100)


class ContactIn(Schema):
    contact_name: str = ""
    phones: list[str] = []
    email: str = ""
    address: str = ""
    notes: str = ""


class PartyIn(Schema):
    """A work giver. The contact fields are encrypted at rest and returned only with ``?include=contact``."""

    organization_id: int
    name: str = Field(max_length=200)
    kind: codes(PartyKind)
    is_person: bool = False
    country: str = ""
    locality: str = ""
    site_address: str = Field("", description="A firm's site address (never a person's).")
    sector: str = ""
    identifiers: list[Identifier] = []
    company_id: int | None = Field(None, description="The company on Doorstep this party is, if any.")
    contact_name: str = ""
    phones: list[str] = []
    email: str = ""
    address: str = ""
    notes: str = ""


class PartyPatch(Schema):
    name: str | None = Field(None, max_length=200)
    kind: codes(PartyKind) | None = None
    is_person: bool | None = None
    country: str | None = None
    locality: str | None = None
    site_address: str | None = None
    sector: str | None = None
    identifiers: list[Identifier] | None = None
    company_id: int | None = None
    contact_name: str | None = None
    phones: list[str] | None = None
    email: str | None = None
    address: str | None = None
    notes: str | None = None
    is_active: bool | None = None


class PartyOut(Schema):
    id: int
    organization_id: int
    name: str
    kind: codes(PartyKind)
    is_person: bool
    country: str
    locality: str
    site_address: str = ""
    sector: str = ""
    identifiers: list[Identifier]
    company_id: int | None = None
    is_active: bool
    created_at: datetime
    updated_at: datetime
    contact: ContactIn | None = None


class PartyPage(Schema):
    items: list[PartyOut]
    next: str | None
