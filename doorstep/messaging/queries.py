"""Reads of the messaging app, scoped to the organizations where the user is staff (core.tenancy)."""

from django.db.models import Count, Q, QuerySet

from doorstep.core import tenancy
from doorstep.core.roles import ADMIN_ROLES

from .models import Channel, InboxMessage, Keyword, Notice, OutboxMessage


def channels_of(user, organization) -> QuerySet[Channel]:
    return tenancy.scoped(Channel, user, organization, roles=ADMIN_ROLES)


def active_channel(user, organization) -> Channel | None:
    return tenancy.scoped(Channel, user, organization).filter(is_active=True).first()


def get_channel(user, channel_id, organization=None) -> Channel:
    return tenancy.get_scoped_or_404(Channel, user, channel_id, organization, roles=ADMIN_ROLES)


def notices_of(user, organization) -> QuerySet[Notice]:
    return tenancy.scoped(Notice, user, organization).annotate(
        copies=Count("messages"),
        delivered=Count("messages", filter=Q(messages__status=OutboxMessage.Status.DELIVERED)),
        failed=Count("messages", filter=Q(messages__status=OutboxMessage.Status.FAILED)),
    )


def get_notice(user, notice_id, organization=None) -> Notice:
    return tenancy.get_scoped_or_404(Notice, user, notice_id, organization)


def copies_of(notice: Notice) -> QuerySet[OutboxMessage]:
    """A notice's copies with each recipient's member number (never her phone or the words)."""
    return (
        OutboxMessage.objects.filter(organization_id=notice.organization_id, notice=notice)
        .select_related("member")
        .order_by("member__number", "pk")
    )


def status_counts(notice: Notice) -> dict[str, int]:
    rows = copies_of(notice).order_by().values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def outbox_of(user, organization) -> QuerySet[OutboxMessage]:
    return tenancy.scoped(OutboxMessage, user, organization).select_related("member")


def inbox_of(user, organization) -> QuerySet[InboxMessage]:
    return tenancy.scoped(InboxMessage, user, organization).select_related("member")


def keywords_of(user, organization) -> QuerySet[Keyword]:
    return tenancy.scoped(Keyword, user, organization)
