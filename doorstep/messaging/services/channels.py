"""Connecting a gateway: an organization's channel, its sealed credentials, and the test message."""

import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core import audit, tenancy, vault
from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.roles import ADMIN_ROLES
from doorstep.members.services.validation import normalize_phone
from doorstep.organizations.models import Organization

from .. import gateways
from ..models import Channel, ChannelKind, OutboxMessage
from ..parts import cost

CREDENTIALS_PURPOSE = "messaging.channel"


@dataclass(frozen=True)
class ChannelInput:
    kind: str
    name: str
    send_url: str
    sender: str = ""
    login: str = ""  # Kannel's user name, Twilio's account id; unused by the External shape
    secret: str = ""  # Kannel's password, the External shape's token, Twilio's auth token
    rate_per_minute: int = 30
    daily_cap: int = 500


def _check(data: ChannelInput) -> list[FieldError]:
    errors = []
    if data.kind not in ChannelKind.values:
        errors.append(
            FieldError("kind", _("Choose Kannel, an HTTP gateway or a Twilio-compatible provider."))
        )
    if not data.name.strip():
        errors.append(FieldError("name", _("Give the channel a name.")))
    parts = urlsplit(data.send_url or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        errors.append(
            FieldError("send_url", _("Give the gateway's address, starting with http:// or https://."))
        )
    if data.kind in (ChannelKind.KANNEL, ChannelKind.TWILIO) and not data.login.strip():
        errors.append(FieldError("login", _("This kind of gateway needs a user name or account id.")))
    if data.kind in (ChannelKind.KANNEL, ChannelKind.TWILIO) and not data.secret:
        errors.append(FieldError("secret", _("This kind of gateway needs a password or token.")))
    if data.kind == ChannelKind.TWILIO and not data.sender.strip():
        errors.append(FieldError("sender", _("A Twilio-compatible provider needs the number it sends from.")))
    if not 1 <= data.rate_per_minute <= 6000:
        errors.append(FieldError("rate_per_minute", _("Between 1 and 6,000 messages a minute.")))
    if not 1 <= data.daily_cap <= 1_000_000:
        errors.append(FieldError("daily_cap", _("Between 1 and 1,000,000 messages a day.")))
    return errors


def connect_channel(organization: Organization, data: ChannelInput, *, actor) -> Channel:
    """Connect a gateway; it becomes the organization's active channel (the one before is switched off)."""
    tenancy.require_role(actor, organization, ADMIN_ROLES)
    errors = _check(data)
    if errors:
        raise ValidationError(message=_("The channel is not saved."), errors=errors)
    with transaction.atomic():
        Channel.objects.filter(organization=organization, is_active=True).update(is_active=False)
        key = vault.new_subject_key(organization)
        channel = Channel.objects.create(
            organization=organization,
            kind=data.kind,
            name=data.name.strip(),
            send_url=data.send_url.strip(),
            sender=data.sender.strip(),
            token=secrets.token_urlsafe(32),
            key=key,
            sealed_credentials=vault.seal(
                key, {"login": data.login.strip(), "secret": data.secret}, purpose=CREDENTIALS_PURPOSE
            ),
            rate_per_minute=data.rate_per_minute,
            daily_cap=data.daily_cap,
            created_by=actor,
        )
        audit.record(
            "sms.channel_connected",
            actor=actor,
            organization=organization,
            obj=channel,
            metadata={"kind": data.kind},
        )
    return channel


def switch_off(channel: Channel, *, actor) -> Channel:
    tenancy.require_role(actor, channel.organization_id, ADMIN_ROLES)
    with transaction.atomic():
        Channel.objects.filter(pk=channel.pk).update(is_active=False)
        channel.is_active = False
        audit.record(
            "sms.channel_switched_off", actor=actor, organization=channel.organization_id, obj=channel
        )
    return channel


def normalize(organization, raw: str) -> str | None:
    """E.164 for a valid phone number (national numbers read in the organization's country)."""
    return normalize_phone(str(raw or ""), organization.country.code)


def phone_digest(organization_id: int, number: str) -> str:
    """The blind index of an E.164 number: the same digest as a member's ``MemberIdentifier``."""
    return vault.blind_index(organization_id, "phone", number)


def callback_url(channel: Channel, what: str) -> str:
    """Where the gateway calls Doorstep back: ``what`` is "receive" or "status"."""
    return settings.BASE_URL + reverse(f"sms_{what}", args=[channel.token])


def status_url(channel: Channel) -> str:
    return callback_url(channel, "status")


def credentials(channel: Channel) -> dict:
    """The gateway's credentials in the shape ``gateways.send`` takes."""
    opened = vault.open_sealed(channel.key, bytes(channel.sealed_credentials), purpose=CREDENTIALS_PURPOSE)
    login, secret = opened.get("login", ""), opened.get("secret", "")
    if channel.kind == ChannelKind.KANNEL:
        return {"username": login, "password": secret}
    return {"account": login, "secret": secret}


@dataclass(frozen=True)
class TestResult:
    ok: bool
    words: str


def send_test(channel: Channel, *, to: str, actor) -> TestResult:
    """Send a short test message now (not through the queue) and say in words what happened."""
    tenancy.require_role(actor, channel.organization_id, ADMIN_ROLES)
    number = normalize(channel.organization, to)
    if number is None:
        raise ValidationError.for_field("to", _("This is not a valid phone number."), code="bad_phone")
    text = _("Test message from Doorstep: this channel works.")
    counted = cost(text)
    reference = f"test:{secrets.token_hex(8)}"
    try:
        gateway_id = gateways.send(
            channel.kind,
            channel.send_url,
            credentials(channel),
            gateways.Outgoing(number, text, channel.sender, reference, counted.encoding, status_url(channel)),
        )
        result = TestResult(True, _("The gateway took the test message."))
        status, error = OutboxMessage.Status.SENT, ""
    except gateways.GatewayError as failure:
        gateway_id, result = "", TestResult(False, str(failure.words))
        status, error = OutboxMessage.Status.FAILED, failure.code
    now = timezone.now()
    with transaction.atomic():
        message = OutboxMessage.objects.create(
            organization_id=channel.organization_id,
            channel=channel,
            idempotency_key=reference,
            purpose=OutboxMessage.Purpose.TEST,
            phone_digest=phone_digest(channel.organization_id, number),
            key=channel.key,
            sealed=b"",  # a test keeps no number and no words
            parts=counted.parts,
            encoding=counted.encoding,
            status=status,
            attempts=1,
            status_at=now,
            sent_at=now if result.ok else None,
            gateway_id=gateway_id,
            error=error,
        )
        audit.record(
            "sms.test_sent",
            actor=actor,
            organization=channel.organization_id,
            obj=message,
            metadata={"ok": result.ok, "error": error},
        )
    return result
