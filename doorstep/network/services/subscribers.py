"""Subscribers to an organization's bulletins, with double opt-in: the address is sealed and a signed
link confirms it; every bulletin carries her own signed link to unsubscribe, which deletes the
subscription and destroys its key."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from doorstep.core import audit, throttle, vault
from doorstep.core.errors import Throttled, ValidationError
from doorstep.organizations.models import Organization

from ..models import Subscriber
from ._common import _check_language

CONFIRM_SALT = "doorstep.network.subscription.confirm"
UNSUBSCRIBE_SALT = "doorstep.network.subscription.unsubscribe"
CONFIRM_DAYS = 7
SUBSCRIBE_LIMIT = 10  # attempts an hour from one address


class InvalidLink(Exception):
    """A confirmation or unsubscribe link that was not made here, was altered, or has expired."""


def _normalize_email(raw: str) -> str:
    email = (raw or "").strip()
    try:
        validate_email(email)
    except DjangoValidationError:
        raise ValidationError.for_field("email", _("Enter a valid e-mail address.")) from None
    local, _at, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def _token(subscriber: Subscriber, salt: str) -> str:
    return signing.dumps(
        {"o": subscriber.organization_id, "s": subscriber.pk, "k": str(subscriber.key_id)[:8]}, salt=salt
    )


def _subscriber_from(token: str, salt: str, max_age=None) -> tuple[int, Subscriber | None]:
    """(organization id, the subscriber or None if she is gone); ``InvalidLink`` for a bad token."""
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
        organization_id, pk, key = int(data["o"]), int(data["s"]), str(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise InvalidLink from None
    subscriber = Subscriber.objects.filter(pk=pk, organization_id=organization_id).first()
    if subscriber is not None and str(subscriber.key_id)[:8] != key:
        subscriber = None  # the same number, someone else now
    return organization_id, subscriber


def email_of(subscriber: Subscriber) -> str:
    return vault.open_sealed(subscriber.key, bytes(subscriber.sealed), purpose="subscriber.email")["email"]


def subscribe(organization: Organization, *, email: str, language: str, address: str | None) -> None:
    """Ask for an organization's bulletins. A confirmation link goes to the address; nothing is sent
    to it until the link is followed. The answer is the same whether the address was known or not."""
    if not throttle.allow(
        f"subscribe:{organization.pk}", address, limit=SUBSCRIBE_LIMIT, window_seconds=3600
    ):
        raise Throttled(message=_("Too many attempts from this connection. Please try again in an hour."))
    email = _normalize_email(email)
    language = _check_language(language)
    index = vault.blind_index(organization, "subscriber_email", email.lower())
    with transaction.atomic():
        subscriber = (
            Subscriber.objects.select_for_update()
            .filter(organization=organization, email_index=index)
            .first()
        )
        if subscriber is None:
            key = vault.new_subject_key(organization)
            subscriber = Subscriber.objects.create(
                organization=organization,
                key=key,
                sealed=vault.seal(key, {"email": email}, purpose="subscriber.email"),
                email_index=index,
                language=language,
            )
            audit.record("subscriber.added", actor=None, organization=organization, obj=subscriber)
        elif subscriber.status == Subscriber.Status.CONFIRMED:
            return  # already receiving them: say nothing more
        recently = (
            subscriber.confirmation_sent_at
            and timezone.now() - subscriber.confirmation_sent_at < timedelta(minutes=5)
        )
        if recently:
            return
        subscriber.language = language
        subscriber.confirmation_sent_at = timezone.now()
        subscriber.save(update_fields=["language", "confirmation_sent_at"])
        transaction.on_commit(lambda: _send_confirmation(subscriber.pk))


def _send_confirmation(subscriber_id: int) -> None:
    subscriber = Subscriber.objects.select_related("organization", "key").get(pk=subscriber_id)
    link = settings.BASE_URL + reverse("bulletin_confirm", args=[_token(subscriber, CONFIRM_SALT)])
    with translation.override(subscriber.language):
        context = {"organization": subscriber.organization, "link": link, "days": CONFIRM_DAYS}
        send_mail(
            _("Confirm: bulletins of %(name)s") % {"name": subscriber.organization.name},
            render_to_string("network/email/confirm.txt", context),
            None,
            [email_of(subscriber)],
        )


def confirm_subscription(token: str) -> tuple[Organization, bool]:
    """(organization, True if this confirmed it; False if it already was). ``InvalidLink`` for a
    forged, altered or expired link, or one whose subscription is gone."""
    organization_id, subscriber = _subscriber_from(token, CONFIRM_SALT, max_age=timedelta(days=CONFIRM_DAYS))
    if subscriber is None:
        raise InvalidLink
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.status == Subscriber.Status.CONFIRMED:
            return Organization.objects.get(pk=organization_id), False
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["status", "confirmed_at"])
        audit.record("subscriber.confirmed", actor=None, organization=organization_id, obj=subscriber)
    return Organization.objects.get(pk=organization_id), True


def check_unsubscribe_link(token: str) -> Organization:
    organization_id, _subscriber = _subscriber_from(token, UNSUBSCRIBE_SALT)
    return Organization.objects.get(pk=organization_id)


def unsubscribe(token: str) -> Organization:
    """Delete the subscription and destroy the key its address was sealed with. Following the link
    again answers the same (she is not subscribed); a forged link raises ``InvalidLink``."""
    organization_id, subscriber = _subscriber_from(token, UNSUBSCRIBE_SALT)
    if subscriber is not None:
        with transaction.atomic():
            key = subscriber.key
            audit.record("subscriber.removed", actor=None, organization=organization_id, obj=subscriber)
            subscriber.delete()
            vault.shred(key)
    return Organization.objects.get(pk=organization_id)


def unsubscribe_link(subscriber: Subscriber) -> str:
    return settings.BASE_URL + reverse("bulletin_unsubscribe", args=[_token(subscriber, UNSUBSCRIBE_SALT)])
