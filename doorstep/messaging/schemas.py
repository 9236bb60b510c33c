from datetime import datetime

from ninja import Field, Schema

from doorstep.core.schemas import codes
from doorstep.core.sectors import Sector
from doorstep.members.models import Status

from .models import ChannelKind, KeywordAction, Notice, OutboxMessage
from .services.notices import LANGUAGE_CODES


class SmsChannelIn(Schema):
    organization_id: int
    kind: codes(ChannelKind)
    name: str
    send_url: str
    sender: str = ""
    login: str = Field("", description="Kannel's user name or a Twilio-compatible account id.")
    secret: str = Field("", description="Password or token; sealed, never shown again.")
    rate_per_minute: int = 30
    daily_cap: int = 500


class SmsChannelOut(Schema):
    id: int
    kind: codes(ChannelKind)
    name: str
    send_url: str
    sender: str
    is_active: bool
    rate_per_minute: int
    daily_cap: int
    receive_url: str
    status_url: str


class SmsTestIn(Schema):
    to: str


class SmsTestOut(Schema):
    ok: bool
    message: str


class SmsNoticeIn(Schema):
    organization_id: int
    title: str
    texts: dict[codes(LANGUAGE_CODES), str]
    group_ids: list[int] = []
    locality: str = ""
    sector: codes(Sector, blank=True) = ""
    status: codes(Status, blank=True) = ""
    asks_question: bool = False


class SmsLanguageCost(Schema):
    language: codes(LANGUAGE_CODES)
    members: int
    parts_each: int
    encoding: codes(("gsm7", "ucs2"))


class SmsCopyOut(Schema):
    id: int
    member_id: int | None
    member_number: int | None
    status: codes(OutboxMessage.Status)
    error: str
    parts: int
    answer: codes(("yes", "no"), blank=True)
    sent_at: datetime | None
    delivered_at: datetime | None


class SmsNoticeOut(Schema):
    id: int
    title: str
    texts: dict[str, str]
    audience: dict
    asks_question: bool
    status: codes(Notice.Status)
    created_at: datetime
    sent_at: datetime | None
    count: int | None = Field(None, description="Members it reaches today (before sending).")
    parts: int | None = Field(None, description="Message parts in all (before sending).")
    by_language: list[SmsLanguageCost] = []
    copies: list[SmsCopyOut] = []


class SmsKeywordIn(Schema):
    word: str
    action: codes(KeywordAction)


class SmsKeywordsIn(Schema):
    organization_id: int
    language: codes(LANGUAGE_CODES)
    keywords: list[SmsKeywordIn]


class SmsKeywordsOut(Schema):
    language: codes(LANGUAGE_CODES)
    keywords: list[SmsKeywordIn]
