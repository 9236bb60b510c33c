"""Input and output schemas of the governance API (codes as Literal, money as decimal strings)."""

from datetime import date, datetime

from ninja import Field, Schema

from doorstep.core.schemas import codes

from . import standing as dues
from .models import AttendanceMethod, DuesPeriod, Mandate, MeetingKind, PositionKind, QuorumKind


class RulesIn(Schema):
    dues_amount: str = Field(description='A decimal string, 0 or more, e.g. "50.00".')
    dues_currency: str = Field(description="ISO 4217 code, e.g. KES.")
    dues_period: codes(DuesPeriod)
    grace_days: int = Field(0, description="Days of grace, counting the day dues fall due (0 to 366).")
    arrears_lose_vote: bool = True
    quorum_kind: codes(QuorumKind)
    quorum_percent: str | None = Field(None, description="With quorum_kind share: above 0, at most 100.")
    quorum_number: int | None = Field(None, description="With quorum_kind number: at least 1.")
    term_years: int = 2


class RulesOut(Schema):
    organization_id: int
    dues_amount: str
    dues_currency: str
    dues_period: codes(DuesPeriod)
    grace_days: int
    arrears_lose_vote: bool
    quorum_kind: codes(QuorumKind)
    quorum_percent: str | None
    quorum_number: int | None
    term_years: int
    updated_at: datetime

    @staticmethod
    def resolve_dues_amount(rules) -> str:
        return format(rules.dues_amount, "f")

    @staticmethod
    def resolve_quorum_percent(rules) -> str | None:
        return format(rules.quorum_percent, "f") if rules.quorum_percent is not None else None


class PositionIn(Schema):
    kind: codes(PositionKind)
    title: str = Field("", max_length=120)
    single_holder: bool | None = None
    group_id: int | None = None


class PositionOut(Schema):
    id: int
    kind: codes(PositionKind)
    title: str
    single_holder: bool
    group_id: int | None


class TermIn(Schema):
    position_id: int
    member_id: int
    starts_on: date
    ends_on: date | None = None
    mandate: codes(Mandate)
    shown_publicly: bool = False


class TermEndIn(Schema):
    ends_on: date


class TermOut(Schema):
    id: int
    position_id: int
    member_id: int
    starts_on: date
    ends_on: date | None
    mandate: codes(Mandate)
    shown_publicly: bool


class StandingOut(Schema):
    member_id: int
    on: date
    status: codes(dues.STANDINGS)
    in_good_standing: bool
    may_vote: bool
    unpaid_periods: list[str]
    owed: str
    currency: str
    grace_ends_on: date | None


class ArrearsRowOut(Schema):
    member_id: int
    number: int
    group: str
    unpaid_periods: list[str]
    owed: str
    currency: str


class DuesTotalOut(Schema):
    month: str
    group: str
    currency: str
    amount: str
    payments: int


class ReceiptOut(Schema):
    number: int
    payment_id: int
    amount: str
    currency: str
    period: str
    paid_on: date
    issued_at: datetime


class MeetingIn(Schema):
    organization_id: int
    kind: codes(MeetingKind)
    title: str = Field(max_length=200)
    held_on: date
    place: str = Field("", max_length=200)
    agenda: str = Field("", max_length=20000)
    group_ids: list[int] = []


class QuorumOut(Schema):
    applies: bool
    required: int
    present: int
    reached: bool
    reason: str


class ResolutionIn(Schema):
    text: str = Field(max_length=5000)
    votes_for: int = Field(ge=0)
    votes_against: int = Field(ge=0)
    abstaining: int = Field(ge=0)


class ResolutionOut(Schema):
    id: int
    text: str
    votes_for: int
    votes_against: int
    abstaining: int
    passed: bool


class ActionItemIn(Schema):
    text: str = Field(max_length=500)
    owner_id: int
    deadline: date


class ActionItemOut(Schema):
    id: int
    meeting_id: int
    text: str
    owner_id: int
    deadline: date
    done_on: date | None


class MinutesIn(Schema):
    minutes: str = Field(max_length=100000)


class MeetingAttendanceIn(Schema):
    member_ids: list[int] = []
    member_numbers: list[int] = Field([], description="Numbers from the members' cards.")
    method: codes(AttendanceMethod) = "list"


class MinutesVersionOut(Schema):
    number: int
    frozen_at: datetime
    approved_at_meeting_id: int | None
    content: dict


class ApproveIn(Schema):
    meeting_id: int = Field(description="The later meeting at which the minutes are approved.")


class MeetingOut(Schema):
    id: int
    organization_id: int
    kind: codes(MeetingKind)
    title: str
    held_on: date
    place: str
    agenda: str
    group_ids: list[int]
    minutes: str
    present: int
    invited: int
    quorum: QuorumOut
    resolutions: list[ResolutionOut]
    action_items: list[ActionItemOut]
    versions: list[int]


class AnnualReportIn(Schema):
    organization_id: int
    year: int


class AnnualReportTextIn(Schema):
    text: str = Field(max_length=100000)


class AnnualReportOut(Schema):
    id: int
    organization_id: int
    year: int
    text: str
    versions: list[int]
    figures: dict = Field(
        description="members (at_start, joined, at_end, active_now), meetings [{kind, held}], attendance, "
        "resolutions (passed, not_passed), action_items (done, open), dues_collected [{currency, amount}], "
        "dues_payments, grievances (opened, resolved), money_recovered [{currency, amount}]"
    )


class AnnualReportVersionOut(Schema):
    number: int
    frozen_at: datetime
    content: dict = Field(description="text and figures as frozen")
