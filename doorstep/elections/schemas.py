"""API input and output of elections."""

from datetime import date, datetime

from django.conf import settings
from ninja import Field, Schema

from doorstep.core.schemas import codes

from .models import Method, Nomination


class ElectionIn(Schema):
    organization_id: int
    title: str = Field(max_length=200)
    opens_at: datetime
    closes_at: datetime
    roll_date: date = Field(description="Members active on this date are on the voter roll")


class ContestIn(Schema):
    position_title: str = Field(max_length=120)
    method: codes(Method)
    seats: int = Field(1, ge=1, le=50)


class ContestOut(Schema):
    id: int
    position_title: str
    method: codes(Method)
    seats: int


class NominationIn(Schema):
    contest_id: int
    nominee_id: int = Field(description="A member on the roll")
    nominated_by_id: int = Field(description="Another member on the roll")


class AnswerIn(Schema):
    accept: bool


class NominationOut(Schema):
    id: int
    contest_id: int
    nominee_id: int
    nominated_by_id: int
    status: codes(Nomination.Status)
    answered_on: date | None


class StationIn(Schema):
    name: str = Field(max_length=120)
    member_ids: list[int] = Field(
        default_factory=list, description="Whose roll entries vote here; none: everyone not at a station yet"
    )


class StationOut(Schema):
    id: int
    name: str
    roll: int
    tally_entered: bool


class RoundOut(Schema):
    votes: dict[str, int] = Field(description="nomination id -> votes in this round")
    eliminated: list[int]
    exhausted: int


class ContestResultOut(Schema):
    contest_id: int
    method: codes(Method)
    rounds: list[RoundOut]
    winners: list[int] = Field(description="nomination ids")
    tie: bool


class TurnoutOut(Schema):
    roll: int
    by_code: int
    on_paper: int


class ResultsOut(Schema):
    election_id: int
    contests: list[ContestResultOut]
    turnout: TurnoutOut
    candidates: dict[str, str] = Field(description="nomination id -> the nominee's name (an audited read)")
    published: bool


class ElectionOut(Schema):
    id: int
    organization_id: int
    title: str
    opens_at: datetime
    closes_at: datetime
    roll_date: date
    roll_frozen: bool
    codes_issued: bool
    counted: bool
    published: bool
    roll: int
    voted_by_code: int
    contests: list[ContestOut]
    nominations: list[NominationOut]
    stations: list[StationOut]


class ElectionPage(Schema):
    items: list[ElectionOut]
    next: str | None = None


class ElectionFilters(Schema):
    organization_id: int
    limit: int = Field(settings.API_PAGE_DEFAULT, ge=1, le=settings.API_PAGE_MAX)
    cursor: str | None = None


class BallotIn(Schema):
    organization: str = Field(description="The organization's slug, as printed on the slip")
    code: str = Field(max_length=40)
    choices: dict[int, list[int]] = Field(
        description="contest id -> nomination ids: up to `seats` for plurality, a ranking for instant runoff"
    )


class CastOut(Schema):
    detail: str


class CountOut(Schema):
    entries: int


class TurnoutRowOut(Schema):
    organization_id: int
    organization: str
    election: str
    closed_on: date
    roll: int
    voted: int
