from datetime import date, datetime
from typing import Literal

from django.conf import settings
from ninja import Field, Schema

from doorstep.core.schemas import codes
from doorstep.core.sectors import Sector

from .benchmarks import LEVELS
from .models import BenchmarkKind, CancelledBy, Flag, OrderStatus, Period, Unit

# The fair piece rate's two methods (work.rates).
RateMethod = Literal["rated_output", "standard_minutes"]


class SampleIn(Schema):
    pieces: str | float | int = Field(description="Pieces made in the timed sample.")
    minutes: str | float | int = Field(description="Minutes the sample took.")


class FairRateIn(Schema):
    """Either method's inputs; numbers as decimal strings (floats are accepted and read as text)."""

    method: RateMethod
    currency: str = Field(description="ISO 4217, e.g. INR.")
    hourly_wage: str | float | int | None = None
    uplift: str | float | int | None = Field(None, description="Rated output only; 1.2 when left out.")
    samples: list[SampleIn] = Field([], description="Rated output only: timed samples.")
    sam: str | float | int | None = Field(
        None, description="Standard minutes only: standard allowed minutes."
    )
    efficiency: str | float | int | None = Field(
        None, description="Standard minutes only: a share, e.g. 0.8."
    )
    cost_per_piece: str | float | int | None = Field(
        None, description="Standard minutes only; 0 when left out."
    )


class FairRateOut(Schema):
    method: RateMethod
    fair_rate: str = Field(description="Per piece, a decimal string with 4 places.")
    currency: str
    explanation: str
    inputs: dict[str, str]


Number = str | int | float


class DeliveryIn(Schema):
    delivered_on: date
    quantity: Number
    rejected: Number = 0
    rejection_reason: str = ""
    rejected_paid: bool = False


class PaymentIn(Schema):
    paid_on: date
    amount: Number
    method: str = "cash"
    paid_by: int | None = Field(None, description="A work giver's id; blank: the order's work giver.")


class DeductionIn(Schema):
    deducted_on: date
    amount: Number
    reason: str = ""


class CostIn(Schema):
    kind: str = Field(description="electricity, materials, tools, transport, space or other")
    amount: Number
    note: str = ""


class HelperIn(Schema):
    relationship: str
    count: int = 1
    children: bool = False
    hours: Number


class WorkOrderIn(Schema):
    """A work order with, optionally, its deliveries, payments, deductions, costs and helpers.
    Numbers may be sent as decimal strings (recommended) or JSON numbers."""

    organization_id: int
    member_id: int
    party_id: int
    given_on: date
    product: str
    sector: str
    materials_supplied: bool = False
    materials_value: Number | None = None
    quantity_ordered: Number
    unit: str = "piece"
    piece_rate: Number
    currency: str = Field("", description="ISO 4217; blank: the currency of the organization's country.")
    deadline: date | None = None
    her_hours: Number | None = None
    status: str = Field(
        "given", description="given, in_progress or cancelled (the rest follows from the entries)."
    )
    cancelled_on: date | None = None
    cancelled_by: str = ""
    materials_lost: bool = False
    work_lost: bool = False
    deliveries: list[DeliveryIn] = []
    payments: list[PaymentIn] = []
    deductions: list[DeductionIn] = []
    costs: list[CostIn] = []
    helpers: list[HelperIn] = []


class WorkOrderPatch(Schema):
    """Only the fields sent change. A list sent becomes what stands: entries it repeats are kept,
    those it leaves out or changes are reversed (never deleted), new ones are added."""

    member_id: int | None = None
    party_id: int | None = None
    given_on: date | None = None
    product: str | None = None
    sector: str | None = None
    materials_supplied: bool | None = None
    materials_value: Number | None = None
    quantity_ordered: Number | None = None
    unit: str | None = None
    piece_rate: Number | None = None
    currency: str | None = None
    deadline: date | None = None
    her_hours: Number | None = None
    status: str | None = None
    cancelled_on: date | None = None
    cancelled_by: str | None = None
    materials_lost: bool | None = None
    work_lost: bool | None = None
    deliveries: list[DeliveryIn] | None = None
    payments: list[PaymentIn] | None = None
    deductions: list[DeductionIn] | None = None
    costs: list[CostIn] | None = None
    helpers: list[HelperIn] | None = None
    reason: str | None = Field(None, max_length=300, description="Why entries are corrected (reversed).")


class ReasonIn(Schema):
    reason: str = Field(description="Why; required, at most 300 characters.")


class BenchmarkOut(Schema):
    id: int
    organization_id: int | None = Field(description="Blank for the reference data shipped with Doorstep.")
    kind: codes(BenchmarkKind)
    country: str
    region: str
    region_names: list[str]
    sector: codes(Sector, blank=True)
    sector_text: str
    skill: str
    amount: str
    currency: str
    period: codes(Period)
    hours_per_day: str | None
    days_per_month: str | None
    hourly: str
    conversion: str
    convention_note: str
    effective_from: date
    effective_from_confirmed: bool
    source: str
    as_of: str
    notes: str


class BenchmarkIn(Schema):
    organization_id: int
    kind: str = Field(description="minimum_wage, living_wage or negotiated")
    country: str
    region: str = ""
    region_names: list[str] = Field(
        [], description="Names of the states or provinces it covers; blank: the region."
    )
    sector: str = ""
    sector_text: str = ""
    skill: str = ""
    amount: Number
    currency: str
    period: str = Field(description="hour, day or month")
    hours_per_day: Number | None = None
    days_per_month: Number | None = None
    convention_note: str = ""
    effective_from: date
    source: str
    notes: str = ""


class BenchmarkUsed(Schema):
    id: int | None
    level: codes(LEVELS, blank=True) = Field(description="Blank when none applies.")
    hourly: str | None
    reason: str


class EntryOut(Schema):
    id: int
    kind: str
    values: dict


class WorkOrderOut(Schema):
    id: int
    organization_id: int
    member_id: int
    party_id: int
    party: str
    given_on: date
    product: str
    sector: codes(Sector)
    materials_supplied: bool
    materials_value: str | None
    quantity_ordered: str
    unit: codes(Unit)
    piece_rate: str
    currency: str
    deadline: date | None
    her_hours: str | None
    status: codes(OrderStatus)
    cancelled_on: date | None
    cancelled_by: codes(CancelledBy, blank=True)
    materials_lost: bool
    work_lost: bool
    derived: dict = Field(description="The derived figures (decimal strings; null where undefined).")
    flags: list[codes(Flag)]
    voided_at: datetime | None = Field(
        description="Set when the order is voided: kept, counted in no figure."
    )
    void_reason: str
    benchmark: BenchmarkUsed | None = Field(None, description="In the detail only.")
    entries: dict[str, list[dict]] | None = Field(
        None, description="In the detail only: the entries that stand (neither reversed nor a reversal)."
    )
    history: dict[str, list[dict]] | None = Field(
        None,
        description="In the detail only: every entry with who recorded it and when, reversals "
        "(negated values, ``reverses``, ``reversal_reason``) and what they reverse (``reversed_by``).",
    )


class WorkOrderPage(Schema):
    items: list[WorkOrderOut]
    next: str | None


class WorkOrderFilters(Schema):
    organization_id: int | None = None
    member: int | None = None
    party: int | None = None
    status: codes(OrderStatus) | None = None
    sector: codes(Sector) | None = None
    flag: codes(Flag) | None = None
    given_from: date | None = None
    given_to: date | None = None
    limit: int = Field(settings.API_PAGE_DEFAULT, ge=1, le=settings.API_PAGE_MAX)
    cursor: str | None = None


class SavedRateIn(FairRateIn):
    organization_id: int
    product: str
    party_id: int | None = None
    sector: str = ""
    unit: str = "piece"


class SavedRateOut(Schema):
    id: int
    organization_id: int
    product: str
    party_id: int | None
    sector: codes(Sector, blank=True)
    unit: codes(Unit)
    method: RateMethod
    fair_rate: str
    currency: str
    explanation: str
    inputs: dict
    paid: dict = Field(description="Rates actually paid for this product (and work giver): median, gap in %.")
