"""The inbox: a message a gateway hands Doorstep, kept once, read for its keyword and answered once.

Who sent it is found through the blind index of her number (E.164), never by searching plain text.
A message from a number that is no member's is answered with the help text (at most once a day) and
kept only as its digest. Every answer is queued under ``reply:<inbox id>``: a message delivered
again finds its row (``inbox_once``) and is neither stored nor answered a second time, even when the
copies arrive at the same moment (the unique key decides which one is first)."""

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from doorstep.core import audit, vault
from doorstep.core.errors import Throttled, ValidationError
from doorstep.grievances.services import intake
from doorstep.members.models import Member, MemberIdentifier
from doorstep.members.services import consent
from doorstep.organizations import services as accounts
from doorstep.work import queries as work_queries
from doorstep.work import stats

from .. import gateways
from ..models import Channel, InboxMessage, KeywordAction, Notice, OutboxMessage
from . import keywords
from .channels import callback_url, credentials, normalize, phone_digest
from .sending import MESSAGE_PURPOSE, queue_message, record_status


class Forbidden(Exception):
    """An unknown channel token or a bad signature: refused with 403, nothing stored."""


class BadNumber(Exception):
    """The sender is not a valid phone number: refused with 400, nothing stored."""


def channel_for(token: str) -> Channel:
    channel = (
        Channel.objects.filter(token=str(token or ""), is_active=True)
        .select_related("organization", "key")
        .first()
    )
    if channel is None or not channel.organization.is_active:
        raise Forbidden
    return channel


def check_signature(channel: Channel, params: dict[str, str], *, signature: str, urls: list[str]) -> None:
    """A Twilio-compatible channel's webhooks must carry its signature (the other two kinds are
    authenticated by the token in the address alone)."""
    if channel.kind != "twilio":
        return
    secret = credentials(channel)["secret"]
    if not gateways.twilio_signature_ok(secret, urls, params, signature):
        raise Forbidden


def expected_urls(channel: Channel, what: str, seen: str) -> list[str]:
    """The addresses a signature may have been made over: as configured, and as this request came."""
    return [callback_url(channel, what), seen]


def receive_status(channel: Channel, params: dict[str, str]) -> OutboxMessage | None:
    gateway_id, status = gateways.read_status(channel.kind, params)
    return record_status(channel, gateway_id, status)


@dataclass(frozen=True)
class Received:
    message: InboxMessage
    new: bool
    answer: OutboxMessage | None


def _member_by_digest(organization_id: int, digest: str) -> Member | None:
    match = (
        MemberIdentifier.objects.filter(
            organization_id=organization_id,
            kind=MemberIdentifier.Kind.PHONE,
            digest=digest,
            member__merged_into__isnull=True,
        )
        .select_related("member", "member__subject_key", "member__user")
        .first()
    )
    return match.member if match else None


def receive(channel: Channel, params: dict[str, str]) -> Received:
    """Keep an incoming message (once) and answer it (once)."""
    incoming = gateways.read_incoming(channel.kind, params)
    number = normalize(channel.organization, incoming.sender)
    if number is None:
        raise BadNumber
    digest = phone_digest(channel.organization_id, number)
    text = str(incoming.text or "")[:1600]
    idempotency_key = (incoming.gateway_id or "").strip()[:100] or (
        "h:" + hashlib.sha256(f"{digest}|{text}|{params.get('ts', '')}".encode()).hexdigest()
    )
    member = _member_by_digest(channel.organization_id, digest)
    try:
        with transaction.atomic():
            message = InboxMessage.objects.create(
                organization_id=channel.organization_id,
                channel=channel,
                idempotency_key=idempotency_key,
                phone_digest=digest,
                member=member,
                key=member.subject_key if member else None,
                sealed=vault.seal(member.subject_key, {"text": text}, purpose=MESSAGE_PURPOSE)
                if member
                else b"",
            )
            answer = _answer(channel, message, member, number, text)
            audit.record(
                "sms.received",
                organization=channel.organization_id,
                obj=message,
                metadata={"keyword": message.keyword, "member_id": member.pk if member else 0},
            )
    except IntegrityError:
        existing = InboxMessage.objects.get(
            organization_id=channel.organization_id, channel=channel, idempotency_key=idempotency_key
        )
        return Received(existing, False, None)
    return Received(message, True, answer)


def _language(channel: Channel, member: Member | None, reading: keywords.Reading) -> str:
    if reading.language:
        return reading.language
    for language in [*(member.languages if member else []), *(channel.organization.languages or [])]:
        if language in keywords.DEFAULT_KEYWORDS:
            return language
    return "en"


def _help_text(organization_id: int, language: str) -> str:
    word = lambda action: keywords.word_for(organization_id, language, action)  # noqa: E731
    return _(
        "Send %(bal)s and your PIN to hear what you are owed, %(help)s and a few words to report a "
        "problem, %(stop)s to get no more messages."
    ) % {
        "bal": word(KeywordAction.BALANCE),
        "help": word(KeywordAction.HELP),
        "stop": word(KeywordAction.STOP),
    }


def _help_sent_today(organization_id: int, digest: str) -> bool:
    return OutboxMessage.objects.filter(
        organization_id=organization_id,
        phone_digest=digest,
        purpose=OutboxMessage.Purpose.HELP,
        created_at__gte=timezone.now() - timedelta(days=1),
    ).exists()


def _answer(channel: Channel, message: InboxMessage, member: Member | None, number: str, text: str):
    organization_id = channel.organization_id
    reading = keywords.read(organization_id, text, member.languages if member else [])
    message.keyword = reading.action or "unknown"
    message.save(update_fields=["keyword"])
    language = _language(channel, member, reading)
    purpose = OutboxMessage.Purpose.REPLY
    with translation.override(language):
        if member is None or not reading.action:
            if _help_sent_today(organization_id, message.phone_digest):
                return None
            purpose, words = OutboxMessage.Purpose.HELP, _help_text(organization_id, language)
        elif reading.action == KeywordAction.BALANCE:
            words = _balance(channel, member, reading.rest)
        elif reading.action == KeywordAction.HELP:
            words = _report(channel, member, number, reading, language)
        elif reading.action in (KeywordAction.YES, KeywordAction.NO):
            words = _record_answer(member, reading.action) or _help_text(organization_id, language)
        else:  # STOP
            consent.withdraw_by_text(member)
            words = _("You will get no more messages from us.")
    queued, _new = queue_message(
        channel,
        idempotency_key=f"reply:{message.pk}",
        to=number,
        text=words,
        purpose=purpose,
        key=member.subject_key if member else channel.key,
        member=member,
        reply_to=message,
    )
    return queued


def _balance(channel: Channel, member: Member, rest: str) -> str:
    """What she is owed, only with her PIN, checked and throttled as her login is."""
    pin = rest.split(" ")[0] if rest else ""
    if member.user is None:
        return _("You have no PIN yet. Ask your organizer for one.")
    try:
        accounts.log_in(
            username=member.user.username,
            password=pin,
            address=None,
            member_login=True,
            scope=f"member-login:{channel.organization_id}",
        )
    except Throttled:
        return _("Too many wrong PINs. Try again later.")
    except ValidationError:
        return _("That PIN is not right.")
    book = stats.passbook(list(work_queries.member_orders(member)), timezone.localdate())
    owed: dict[str, Decimal] = {}
    givers = set()
    for total in book["totals"]:
        if total.owed > 0:
            owed[total.currency] = owed.get(total.currency, Decimal(0)) + total.owed
            givers.add(total.party)
    if not owed:
        return _("Nothing is owed to you now.")
    amounts = ", ".join(f"{amount:,.2f} {currency}" for currency, amount in sorted(owed.items()))
    return _("You are owed %(amounts)s by %(count)d work givers.") % {
        "amounts": amounts,
        "count": len(givers),
    }


def _report(channel: Channel, member: Member, number: str, reading: keywords.Reading, language: str) -> str:
    if len(reading.rest) < 3:
        word = keywords.word_for(channel.organization_id, language, KeywordAction.HELP)
        return _("Send %(help)s and, after it, what happened in a few words.") % {"help": word}
    receipt = intake.receive_text_report(
        channel.organization,
        description=reading.rest,
        phone=number,
        member_number=str(member.number),
        language=language,
    )
    return _("We received your report. Your receipt code is %(code)s.") % {"code": receipt}


def _record_answer(member: Member, action: str) -> str | None:
    """Her YES or NO answers the last question sent to her (a notice asking one)."""
    asked = (
        OutboxMessage.objects.select_for_update(of=("self",))
        .filter(
            organization_id=member.organization_id,
            member=member,
            notice__asks_question=True,
            notice__status=Notice.Status.SENT,
            status__in=[
                OutboxMessage.Status.SENT,
                OutboxMessage.Status.DELIVERED,
                OutboxMessage.Status.SENDING,
            ],
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    if asked is None:
        return None
    asked.answer = action
    asked.save(update_fields=["answer"])
    return _("Thank you, your answer is recorded.")
