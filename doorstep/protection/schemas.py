"""API input and output of social protection (component names are prefixed: other apps have a
``Status`` and a ``Filters`` too)."""

from datetime import date, datetime

from django.conf import settings
from ninja import Field, Schema

from doorstep.core.schemas import codes

from .models import ApplicationStatus, SchemeKind


class SchemeOut(Schema):
    id: int
    organization_id: int | None = Field(description="Empty for the shipped catalogue.")
    name: str
    kind: codes(SchemeKind)
    country: str
    region_names: list[str]
    eligibility: str
    rules: str = Field(description="Eligibility as rules on member fields; empty: only in words.")
    documents: list[str]
    where_to_apply: str
    benefits: str
    renew_every_months: int | None
    source: str
    as_of: str
    verified: bool
    notes: str


class SchemeIn(Schema):
    organization_id: int
    name: str
    kind: codes(SchemeKind)
    country: str = Field(description="ISO 3166 two-letter code.")
    eligibility: str
    rules: str = Field("", description="e.g. `age between 18-40; sector in bidi`; see docs/architecture.md.")
    documents: list[str] = []
    where_to_apply: str = ""
    benefits: str = ""
    renew_every_months: int | None = None
    region_names: list[str] = []
    source: str = ""
    as_of: str = ""


class EligibleOut(Schema):
    member_id: int
    number: int
    group: str
    locality: str
    to_check: list[str] = Field(description="Fields she left blank that the rules need.")


class EligiblePage(Schema):
    items: list[EligibleOut]
    cut: bool = Field(description="True when the list stopped at its limit: narrow it by group or place.")


class ProtectionEventOut(Schema):
    status: codes(ApplicationStatus)
    on: date
    by: int | None


class ChecklistOut(Schema):
    document: str
    have: bool


class ApplicationOut(Schema):
    id: int
    organization_id: int
    member_id: int
    scheme_id: int
    scheme_name: str
    status: codes(ApplicationStatus)
    started_on: date
    submitted_on: date | None
    decided_on: date | None
    paid_on: date | None
    renew_by: date | None
    reference_number: str | None = Field(None, description="Only on one application (an audited read).")
    next_step: str | None = None
    next_step_due: date | None
    next_step_done: bool
    note: str | None = None
    checklist: list[ChecklistOut]
    history: list[ProtectionEventOut] = []
    case_id: int | None
    updated_at: datetime


class ApplicationPage(Schema):
    items: list[ApplicationOut]
    next: str | None


class ApplicationIn(Schema):
    organization_id: int
    member_id: int
    scheme_id: int
    status: codes(ApplicationStatus) = ApplicationStatus.TO_PREPARE.value
    started_on: date | None = None
    reference_number: str = ""
    documents_have: list[str] = []
    next_step: str = ""
    next_step_due: date | None = None
    renew_by: date | None = None
    note: str = ""


class ApplicationPatch(Schema):
    reference_number: str | None = None
    documents_have: list[str] | None = None
    next_step: str | None = None
    next_step_due: date | None = None
    renew_by: date | None = None
    note: str | None = None
    status: codes(ApplicationStatus) | None = None
    on: date | None = Field(None, description="The day of the new status (today if not given).")


class ApplicationFilters(Schema):
    organization_id: int | None = None
    status: codes(ApplicationStatus) | None = None
    scheme_id: int | None = None
    member_id: int | None = None
    limit: int = Field(settings.API_PAGE_DEFAULT, ge=1, le=settings.API_PAGE_MAX)
    cursor: str | None = None


class ReferenceSearchIn(Schema):
    organization_id: int
    reference_number: str = Field(max_length=60)


class CaseLinkOut(Schema):
    case_id: int
    number: int
