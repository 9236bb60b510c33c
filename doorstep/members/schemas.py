from datetime import date, datetime

from django.conf import settings
from ninja import Field, Schema

from doorstep.core.schemas import codes
from doorstep.core.sectors import Sector

from .models import Category, ConsentMethod, Gender, Literacy, PhoneType, Purpose, Status


class IdNumber(Schema):
    kind: str = Field("national_id", max_length=30, description="e.g. national_id, eshram, nhif")
    number: str = Field(max_length=60)


class Gps(Schema):
    lat: float
    lon: float


class MemberIn(Schema):
    """A new member. ``full_name``, ``other_names``, ``phones``, ``id_numbers``, ``address``, ``gps``
    and ``notes`` are personal data: encrypted at rest, returned only with ``?include=pii``."""

    organization_id: int
    full_name: str = Field(max_length=200)
    other_names: str = ""
    phones: list[str] = []
    id_numbers: list[IdNumber] = []
    address: str = ""
    gps: Gps | None = None
    notes: str = ""
    category: codes(Category)
    sectors: list[codes(Sector)] = []
    skills: list[str] = []
    gender: codes(Gender, blank=True) = ""
    birth_year: int | None = None
    languages: list[str] = []
    literacy: codes(Literacy, blank=True) = ""
    phone_type: codes(PhoneType, blank=True) = ""
    household_size: int | None = None
    dependants: int | None = None
    country: str = ""
    admin1: str = ""
    admin2: str = ""
    locality: str = ""
    group: str = ""
    joined_on: date | None = None
    status: codes(Status) = Status.ACTIVE.value


class MemberPatch(Schema):
    """Only the fields sent are changed."""

    full_name: str | None = Field(None, max_length=200)
    other_names: str | None = None
    phones: list[str] | None = None
    id_numbers: list[IdNumber] | None = None
    address: str | None = None
    gps: Gps | None = None
    notes: str | None = None
    category: codes(Category) | None = None
    sectors: list[codes(Sector)] | None = None
    skills: list[str] | None = None
    gender: codes(Gender, blank=True) | None = None
    birth_year: int | None = None
    languages: list[str] | None = None
    literacy: codes(Literacy, blank=True) | None = None
    phone_type: codes(PhoneType, blank=True) | None = None
    household_size: int | None = None
    dependants: int | None = None
    admin1: str | None = None
    admin2: str | None = None
    locality: str | None = None
    group: str | None = None
    joined_on: date | None = None
    status: codes(Status) | None = None
    status_on: date | None = Field(None, description="When a status change took effect (default: today).")


class PiiOut(Schema):
    full_name: str
    other_names: str = ""
    phones: list[str] = []
    id_numbers: list[IdNumber] = []
    address: str = ""
    gps: Gps | None = None
    notes: str = ""


class MemberOut(Schema):
    id: int
    organization_id: int
    number: int
    category: codes(Category)
    sectors: list[codes(Sector)]
    skills: list[str]
    gender: codes(Gender, blank=True)
    birth_year: int | None
    languages: list[str]
    literacy: codes(Literacy, blank=True)
    phone_type: codes(PhoneType, blank=True)
    household_size: int | None
    dependants: int | None
    country: str
    admin1: str
    admin2: str
    locality: str
    group: str
    joined_on: date
    status: codes(Status)
    created_at: datetime
    updated_at: datetime
    pii: PiiOut | None = Field(
        None, description="Only with ?include=pii, for organizers and admins; audited."
    )


class MemberPage(Schema):
    items: list[MemberOut]
    next: str | None


class MemberFilters(Schema):
    organization_id: int | None = None
    category: codes(Category) | None = None
    sector: codes(Sector) | None = None
    admin1: str | None = None
    admin2: str | None = None
    group: int | None = None
    status: codes(Status) | None = None
    include: str | None = Field(None, pattern="^pii$")
    limit: int = Field(settings.API_PAGE_DEFAULT, ge=1, le=settings.API_PAGE_MAX)
    cursor: str | None = None


class MemberSearchIn(Schema):
    """Name or phone search, sent in the body: personal data never goes in an address."""

    organization_id: int | None = None
    q: str | None = Field(None, max_length=200, description="Name: the best matches, at most `limit`.")
    phone: str | None = Field(None, max_length=30, description="Exact phone number (any common format).")
    include: str | None = Field(None, pattern="^pii$")
    limit: int = Field(settings.API_PAGE_DEFAULT, ge=1, le=settings.API_PAGE_MAX)


class ConsentIn(Schema):
    purpose: codes(Purpose)
    company_id: int | None = Field(
        None, description="For company_identity only: the company that may know her name."
    )
    given: bool
    effective_on: date
    method: codes(ConsentMethod)


class ConsentOut(Schema):
    id: int
    purpose: codes(Purpose)
    company_id: int | None = None
    given: bool
    effective_on: date
    method: codes(ConsentMethod)
    recorded_at: datetime


class DuesIn(Schema):
    period: str = Field(max_length=20)
    amount: str = Field(description='A decimal string, e.g. "50.00".')
    currency: str
    paid_on: date


class DuesOut(Schema):
    id: int
    period: str
    amount: str
    currency: str
    paid_on: date

    @staticmethod
    def resolve_amount(payment) -> str:
        return format(payment.amount, "f")
