"""The outbox: queuing a message once, sending it as a background job with retries, the per-channel
rate limit and the organization's daily cap, and the delivery reports that come back.

**What a crash can do.** A send is three steps: (1) the job marks the message ``sending`` and counts
the attempt, and commits; (2) it hands the message to the gateway; (3) it records the outcome. A
crash after (1) leaves the message ``sending``: once it has been so for ``STALL_SECONDS``, the next
job of its organization (or ``python -m doorstep sms_sweep``) puts it back in the queue *once*
(``recovered``), and it is sent again. If the gateway had taken it before the crash, she gets it
twice; a message that stalls a second time is marked failed (``stalled``) instead. So a message is
sent **at least once while a worker runs, and at most twice**: at most one resend after a crash,
never a loop. The External shape passes our idempotency key as ``id`` so a gateway that keeps it can
drop the duplicate itself."""

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import default_task_backend

from doorstep.core import vault

from .. import gateways, tasks
from ..models import Channel, OutboxMessage
from ..parts import cost
from .channels import credentials, phone_digest, status_url

logger = logging.getLogger(__name__)

MESSAGE_PURPOSE = "messaging.message"
MAX_ATTEMPTS = 5
STALL_SECONDS = 120


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: 30 s, 2 min, 8 min, 32 min."""
    return timedelta(seconds=30 * 4 ** max(0, attempts - 1))


def queue_message(
    channel: Channel,
    *,
    idempotency_key: str,
    to: str,
    text: str,
    purpose: str,
    key,
    member=None,
    notice=None,
    reply_to=None,
) -> tuple[OutboxMessage, bool]:
    """Queue one message (``to`` in E.164) unless one with this key is already in the organization's
    outbox; returns (message, whether it is new). The job starts when the transaction commits."""
    existing = OutboxMessage.objects.filter(
        organization_id=channel.organization_id, idempotency_key=idempotency_key
    ).first()
    if existing is not None:
        return existing, False
    counted = cost(text)
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                organization_id=channel.organization_id,
                channel=channel,
                idempotency_key=idempotency_key,
                purpose=purpose,
                member=member,
                notice=notice,
                reply_to=reply_to,
                phone_digest=phone_digest(channel.organization_id, to),
                key=key,
                sealed=vault.seal(key, {"to": to, "text": text}, purpose=MESSAGE_PURPOSE),
                parts=counted.parts,
                encoding=counted.encoding,
            )
    except IntegrityError:  # queued at the same moment by another process
        return OutboxMessage.objects.get(
            organization_id=channel.organization_id, idempotency_key=idempotency_key
        ), False
    transaction.on_commit(lambda: tasks.deliver.enqueue(message.pk))
    return message, True


def _enqueue_later(message_id: int, when) -> None:
    if default_task_backend.supports_defer:
        tasks.deliver.using(run_after=when).enqueue(message_id)
    # Else (the immediate backend of tests and demos) ``send_due`` picks it up.


def _busy(message: OutboxMessage, now) -> object | None:
    """When the channel's rate or the organization's daily cap allows this message again, or None."""
    channel = message.channel
    last_minute = OutboxMessage.objects.filter(
        Q(sent_at__gte=now - timedelta(minutes=1)) | Q(status=OutboxMessage.Status.SENDING),
        channel=channel,
    ).count()
    if last_minute >= channel.rate_per_minute:
        return now + timedelta(minutes=1)
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    today = OutboxMessage.objects.filter(
        organization_id=message.organization_id, sent_at__gte=midnight
    ).count()
    if today >= channel.daily_cap:
        return midnight + timedelta(days=1)
    return None


def recover_stalled(organization_id: int | None = None) -> list[int]:
    """Messages left ``sending`` by a worker that died: queued again once, failed the second time."""
    now = timezone.now()
    stalled = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.SENDING, status_at__lt=now - timedelta(seconds=STALL_SECONDS)
    )
    if organization_id is not None:
        stalled = stalled.filter(organization_id=organization_id)
    again = []
    with transaction.atomic():
        for message in stalled.select_for_update(skip_locked=True):
            if message.recovered:
                message.status, message.error = OutboxMessage.Status.FAILED, "stalled"
            else:
                message.status, message.recovered = OutboxMessage.Status.QUEUED, True
                message.next_attempt_at = now
                again.append(message.pk)
            message.status_at = now
            message.save(update_fields=["status", "error", "recovered", "next_attempt_at", "status_at"])
            logger.warning(
                "SMS %s: its send did not finish; %s",
                message.pk,
                "queued again" if not message.error else "given up",
            )
        for message_id in again:
            transaction.on_commit(lambda message_id=message_id: tasks.deliver.enqueue(message_id))
    return again


def send_due() -> int:
    """Queue again the messages whose wait (a retry's backoff, the rate or the cap) is over."""
    due = list(
        OutboxMessage.objects.filter(
            status=OutboxMessage.Status.QUEUED, next_attempt_at__lte=timezone.now()
        ).values_list("pk", flat=True)[:1000]
    )
    for message_id in due:
        tasks.deliver.enqueue(message_id)
    return len(due)


def deliver(message_id: int) -> str:
    """The job: send one queued message; returns its status afterwards. Safe to run twice."""
    now = timezone.now()
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(of=("self",))
            .select_related("channel", "channel__organization", "key")
            .filter(pk=message_id)
            .first()
        )
        if message is None or message.status != OutboxMessage.Status.QUEUED:
            return message.status if message else "gone"
        if message.next_attempt_at and message.next_attempt_at > now:
            return message.status  # a retry's wait is not over; its own deferred job comes later
        if not message.channel.is_active:
            message.status, message.error, message.status_at = OutboxMessage.Status.FAILED, "channel_off", now
            message.save(update_fields=["status", "error", "status_at"])
            return message.status
        wait = _busy(message, now)
        if wait is not None:
            message.next_attempt_at = wait
            message.save(update_fields=["next_attempt_at"])
            transaction.on_commit(lambda: _enqueue_later(message_id, wait))
            return message.status
        message.status, message.status_at = OutboxMessage.Status.SENDING, now
        message.attempts += 1
        message.save(update_fields=["status", "status_at", "attempts"])
    payload = vault.open_sealed(message.key, bytes(message.sealed), purpose=MESSAGE_PURPOSE)
    channel = message.channel
    try:
        gateway_id = gateways.send(
            channel.kind,
            channel.send_url,
            credentials(channel),
            gateways.Outgoing(
                payload["to"],
                payload["text"],
                channel.sender,
                message.idempotency_key,
                message.encoding,
                status_url(channel),
            ),
        )
        failure = None
    except gateways.GatewayError as error:
        gateway_id, failure = "", error
    now = timezone.now()
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message_id)
        if message.status != OutboxMessage.Status.SENDING:
            return message.status  # a delivery report came first
        fields = ["status", "status_at", "error", "next_attempt_at", "gateway_id", "sent_at", "sealed"]
        message.status_at = now
        if failure is None:
            message.status, message.gateway_id, message.sent_at, message.error = (
                OutboxMessage.Status.SENT,
                gateway_id,
                now,
                "",
            )
        elif failure.retry and message.attempts < MAX_ATTEMPTS:
            message.status, message.error = OutboxMessage.Status.QUEUED, failure.code
            message.next_attempt_at = now + backoff(message.attempts)
            retry_at = message.next_attempt_at
            transaction.on_commit(lambda: _enqueue_later(message_id, retry_at))
        else:
            message.status, message.error = OutboxMessage.Status.FAILED, failure.code
        if message.member_id is None and message.status != OutboxMessage.Status.QUEUED:
            message.sealed = b""  # a stranger's number is kept only as its digest once we are done
        message.save(update_fields=fields)
    logger.info("SMS %s: %s (attempt %s)", message.pk, message.status, message.attempts)
    return message.status


def record_status(channel: Channel, gateway_id: str, status: str) -> OutboxMessage | None:
    """A delivery report: the message it names moves forward (sent → delivered, or failed); the same
    report again, or a late "sent" after "delivered", changes nothing."""
    if not gateway_id or not status:
        return None
    order = {OutboxMessage.Status.SENT: 1, OutboxMessage.Status.DELIVERED: 2, OutboxMessage.Status.FAILED: 2}
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update()
            .filter(organization_id=channel.organization_id, channel=channel)
            .filter(Q(gateway_id=gateway_id) | Q(idempotency_key=gateway_id))
            .first()
        )
        if message is None:
            return None
        current = order.get(message.status, 0)
        if order.get(status, 0) <= current and message.status != OutboxMessage.Status.SENDING:
            return message
        now = timezone.now()
        message.status, message.status_at = status, now
        if status == OutboxMessage.Status.DELIVERED:
            message.delivered_at = now
        if status == OutboxMessage.Status.FAILED:
            message.error = "not_delivered"
        if not message.sent_at and status != OutboxMessage.Status.FAILED:
            message.sent_at = now
        message.save(update_fields=["status", "status_at", "delivered_at", "error", "sent_at"])
    return message
