"""Sending a published edition to its confirmed subscribers, each in her language, as a background
job that can run again without sending twice."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from doorstep.core import audit, tenancy
from doorstep.core.errors import ValidationError

from .. import tasks
from ..models import Bulletin, Delivery, Subscriber
from .bulletins import BULLETIN_ROLES
from .subscribers import email_of, unsubscribe_link


def send_edition(bulletin: Bulletin, *, actor) -> None:
    """Send this issue, each subscriber in her language where it has a version in it (else in this
    one), as a background job. Run again, it sends only to those who did not get it yet."""
    tenancy.require_role(actor, bulletin.organization_id, BULLETIN_ROLES)
    if not bulletin.is_published:
        raise ValidationError(message=_("Publish the bulletin before sending it."), code="not_published")

    with transaction.atomic():
        audit.record(
            "bulletin.send_requested", actor=actor, organization=bulletin.organization_id, obj=bulletin
        )
        transaction.on_commit(lambda: tasks.deliver_edition.enqueue(bulletin.pk))


def deliver_edition(bulletin_id: int) -> int:
    """Send the issue of ``bulletin_id`` to every confirmed subscriber who has not had it; returns how
    many were sent. Each e-mail has the subscriber's own unsubscribe link (and List-Unsubscribe)."""
    fallback = Bulletin.objects.select_related("organization").get(pk=bulletin_id)
    versions = {
        b.language: b
        for b in Bulletin.objects.filter(
            organization_id=fallback.organization_id,
            edition=fallback.edition,
            status=Bulletin.Status.PUBLISHED,
        ).prefetch_related("sections")
    }
    done = Delivery.objects.filter(edition=fallback.edition).values("subscriber_id")
    waiting = (
        Subscriber.objects.filter(
            organization_id=fallback.organization_id, status=Subscriber.Status.CONFIRMED
        )
        .exclude(pk__in=done)
        .select_related("key")
        .order_by("pk")
    )
    sent = 0
    for subscriber in waiting.iterator(chunk_size=500):
        bulletin = versions.get(subscriber.language, fallback)
        link = unsubscribe_link(subscriber)
        online = settings.BASE_URL + reverse("bulletin", args=[fallback.organization.slug, bulletin.pk])
        with translation.override(bulletin.language):
            context = {
                "bulletin": bulletin,
                "organization": fallback.organization,
                "unsubscribe": link,
                "online": online,
            }
            message = EmailMultiAlternatives(
                subject=bulletin.title,
                body=render_to_string("network/email/bulletin.txt", context),
                to=[email_of(subscriber)],
                headers={
                    "List-Unsubscribe": f"<{link}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
            )
            message.attach_alternative(render_to_string("network/email/bulletin.html", context), "text/html")
        message.send()
        Delivery.objects.create(
            organization_id=fallback.organization_id,
            edition=fallback.edition,
            subscriber=subscriber,
            bulletin=bulletin,
        )
        sent += 1
    now = timezone.now()
    Bulletin.objects.filter(pk__in=[b.pk for b in versions.values()], sent_at__isnull=True).update(
        sent_at=now
    )
    audit.record(
        "bulletin.sent",
        actor=None,
        organization=fallback.organization_id,
        obj=fallback,
        metadata={"recipients": sent},
    )
    return sent
