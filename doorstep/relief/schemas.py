"""API schemas of relief: codes as Literals (``core.schemas.codes``), money as decimal strings."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from doorstep.core.schemas import Money, codes

from .eligibility import FIELDS
from .models import EntryKind, Evidence, Fund, ListStatus, Method, SourceKind


class ReliefFundIn(Schema):
    organization_id: int
    name: str = Field(max_length=200)
    purpose: str = Field(max_length=2000)
    currency: str = Field(min_length=3, max_length=3, description="ISO 4217 code.")


class ReliefSourceOut(Schema):
    id: int
    kind: codes(SourceKind)
    name: str
    company_id: int | None
    commitment_id: int | None
    pledged: str | None


class ReliefFundOut(Schema):
    id: int
    organization_id: int
    name: str
    purpose: str
    currency: str
    status: codes(Fund.Status)
    received: Money
    allocated: Money
    paid_out: Money
    returned: Money
    balance: Money = Field(
        description="received − paid out − returned; the database keeps it at or above zero."
    )
    sources: list[ReliefSourceOut]


class ReliefFundPage(Schema):
    items: list[ReliefFundOut]
    next: str | None


class ReliefSourceIn(Schema):
    kind: codes(SourceKind)
    name: str = Field("", max_length=200)
    company_id: int | None = None
    commitment_id: int | None = Field(
        None, description="The company's commitment to your organization it fulfils."
    )
    pledged: Decimal | None = None


class ReliefEntryIn(Schema):
    kind: codes([EntryKind.RECEIVED, EntryKind.ALLOCATED, EntryKind.RETURNED])
    amount: Decimal
    on: date
    source_id: int | None = None
    note: str = Field("", max_length=300)


class ReliefReverseIn(Schema):
    reason: str = Field(max_length=300)


class ReliefEntryOut(Schema):
    id: int
    kind: codes(EntryKind)
    amount: str
    on: date
    source_id: int | None
    note: str
    reverses: int | None
    reversal_reason: str
    recorded_by: str
    recorded_at: datetime


class ReliefEntryPage(Schema):
    items: list[ReliefEntryOut]
    next: str | None


class ReliefRuleIn(Schema):
    field: codes(FIELDS)
    op: codes(["in", "on_or_after", "below"])
    value: list[str] | str
    since: date | None = None


class ReliefListIn(Schema):
    name: str = Field(max_length=200)
    rules: list[dict] = Field(
        description='Rules that must all hold, e.g. [{"field": "group", "op": "in", "value": ["Ward 5"]}, '
        '{"field": "orders_cancelled_since", "op": "on_or_after", "value": "2026-03-01"}, '
        '{"field": "earnings_share_of_minimum_wage", "op": "below", "value": "0.5", "since": "2026-01-01"}]. '
        "Fields: " + ", ".join(FIELDS) + ". An unknown field answers 422 naming the rule."
    )
    amount: Decimal
    network_id: int | None = Field(None, description="Check for the same numbers on lists of this network.")


class ReliefListOut(Schema):
    id: int
    fund_id: int
    name: str
    status: codes(ListStatus)
    rules: list[dict]
    criteria: list[str] = Field(description="The rules in words.")
    amount: Money
    network_id: int | None
    drawn_by: str
    drawn_at: datetime
    approved_by: str | None
    approved_at: datetime | None
    entries: int
    flagged: int


class ReliefListEntryOut(Schema):
    id: int
    member_id: int
    member_number: int
    same_number_here: bool = Field(description="Another member here has her phone or ID number.")
    on_another_list: bool = Field(description="She, or her number, is on another list of this fund.")
    in_network: bool = Field(description="Her number is on a list of another organization of the network.")


class ReliefListEntryPage(Schema):
    items: list[ReliefListEntryOut]
    next: str | None


class ReliefRoundIn(Schema):
    name: str = Field(max_length=200)
    method: codes(Method)
    opens_on: date
    amount: Decimal | None = Field(None, description="Each person's amount; the list's if left out.")
    in_kind: str = Field("", max_length=200)


class ReliefRoundOut(Schema):
    id: int
    list_id: int
    name: str
    method: codes(Method)
    amount: Money
    in_kind: str
    opens_on: date
    paid: int


class ReliefCodeIn(Schema):
    member_id: int


class ReliefCodeOut(Schema):
    member_id: int
    code: str = Field(description="Give it to her once; only its digest is kept.")


class ReliefPaymentIn(Schema):
    member_id: int
    evidence: codes(Evidence)
    paid_on: date
    card_text: str = Field("", max_length=500, description="The text her card's QR code reads as.")
    member_number: int | None = Field(None, description="The member number printed on her card.")
    code: str = Field("", max_length=20)
    transaction_id: str = Field("", max_length=100)


class ReliefPaymentOut(Schema):
    id: int
    round_id: int
    member_id: int
    member_number: int
    amount: Money
    paid_on: date
    evidence: codes(Evidence)
    reconciled: bool
    recorded_by: str


class ReliefPaymentPage(Schema):
    items: list[ReliefPaymentOut]
    next: str | None


class ReliefLineOut(Schema):
    id: int
    row: int
    amount: str
    on: date | None
    payment_id: int | None
    member_number: int | None
    amount_differs: bool


class ReliefLinePage(Schema):
    items: list[ReliefLineOut]
    next: str | None


class ReliefReportRow(Schema):
    key: str
    people: int | None = Field(description="Null when withheld (under k people, or would give one away).")
    amount: str | None
    suppressed: codes(["", "primary", "complementary"])


class ReliefReportOut(Schema):
    fund_id: int
    currency: str
    k: int
    people: int | None
    amount: str | None
    median_days_to_payment: int | None
    by_place: list[ReliefReportRow]
    by_category: list[ReliefReportRow]
