"""Two-way SMS: an organization's channels (a gateway it runs or a provider), the messages it sends
and receives, notices to chosen members, and the keywords members text.

Nothing here holds a phone number or a message's words in the clear: a number is kept as the
organization's blind index of its E.164 form (``core.vault.blind_index(org, "phone", …)``, the same
digest as ``members.MemberIdentifier``) and, where Doorstep must still send to it, sealed with the
words under the member's own data key (or the channel's key for a number that is no member's).
Credentials of a channel are sealed under the channel's own key."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from doorstep.core.models import OwnedModel, SubjectKey


class ChannelKind(models.TextChoices):
    KANNEL = "kannel", _("Kannel gateway (own modem or operator's SMSC)")
    EXTERNAL = "external", _("HTTP gateway (RapidPro External API shape)")
    TWILIO = "twilio", _("Twilio-compatible provider")


class Channel(OwnedModel):
    """Where an organization's SMS go out and come in. Incoming messages and delivery reports reach
    Doorstep at addresses carrying ``token`` (random, 256 bits): an unknown token is refused (403).
    At most one channel of an organization is active; its ``daily_cap`` is the organization's."""

    kind = models.CharField(_("kind"), max_length=20, choices=ChannelKind.choices)
    name = models.CharField(_("name"), max_length=120)
    send_url = models.URLField(_("sending address"), max_length=500)
    sender = models.CharField(_("sender number or name"), max_length=30, blank=True)
    token = models.CharField(max_length=64, unique=True)
    key = models.ForeignKey(SubjectKey, on_delete=models.PROTECT, related_name="+")
    sealed_credentials = models.BinaryField()  # {"username", "password"} or {"account", "secret"}
    rate_per_minute = models.PositiveIntegerField(_("messages a minute at most"), default=30)
    daily_cap = models.PositiveIntegerField(_("messages a day at most (whole organization)"), default=500)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_active", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"], condition=Q(is_active=True), name="channel_one_active"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Notice(OwnedModel):
    """A message to chosen members, written per language by the organization (``texts``: language
    code → words). ``audience`` says whom: ``group_ids``, ``locality``, ``sector``, ``status``.
    With ``asks_question`` her YES or NO is recorded on her copy (``OutboxMessage.answer``)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")

    title = models.CharField(_("title (for you only)"), max_length=120)
    texts = models.JSONField(default=dict)
    audience = models.JSONField(default=dict)
    asks_question = models.BooleanField(_("asks a YES or NO question"), default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organization", "id"], name="notice_org_id_idx")]

    def __str__(self) -> str:
        return self.title


class InboxMessage(OwnedModel):
    """One message received. ``idempotency_key`` is the gateway's id for it (or, where it gives none,
    a digest of sender, words and time): the same message delivered again makes no second row.
    From a number that is no member's only the digest is kept (``sealed`` empty)."""

    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.CharField(max_length=100)
    phone_digest = models.CharField(max_length=64)
    member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    key = models.ForeignKey(SubjectKey, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sealed = models.BinaryField(blank=True, default=b"")  # {"text"}
    keyword = models.CharField(max_length=20, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "channel", "idempotency_key"], name="inbox_once")
        ]
        indexes = [models.Index(fields=["organization", "member"], name="inbox_org_member_idx")]


class OutboxMessage(OwnedModel):
    """One message to send, sent, delivered or given up. ``idempotency_key`` is unique in the
    organization (a notice's copy: ``notice:<id>:<member id>``; an answer: ``reply:<inbox id>``), so
    pressing Send twice or a message handled twice never queues a second one."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    class Purpose(models.TextChoices):
        NOTICE = "notice", _("Notice")
        REPLY = "reply", _("Answer")
        HELP = "help", _("Help text")
        TEST = "test", _("Test message")

    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.CharField(max_length=100)
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    notice = models.ForeignKey(
        Notice, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    reply_to = models.ForeignKey(
        InboxMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    phone_digest = models.CharField(max_length=64)
    key = models.ForeignKey(SubjectKey, on_delete=models.PROTECT, related_name="+")
    sealed = models.BinaryField(blank=True, default=b"")  # {"to", "text"}; emptied once done for a stranger
    parts = models.PositiveSmallIntegerField(default=1)
    encoding = models.CharField(max_length=5)  # "gsm7" or "ucs2"
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    recovered = models.BooleanField(default=False)  # put back once after a crash mid-send
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    status_at = models.DateTimeField(null=True, blank=True)
    gateway_id = models.CharField(max_length=100, blank=True)
    error = models.CharField(max_length=40, blank=True)
    answer = models.CharField(max_length=3, blank=True)  # "yes" or "no", to a notice asking
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "idempotency_key"], name="outbox_once")
        ]
        indexes = [
            models.Index(fields=["channel", "gateway_id"], name="outbox_gateway_idx"),
            models.Index(fields=["organization", "phone_digest", "created_at"], name="outbox_phone_idx"),
            models.Index(fields=["organization", "status"], name="outbox_org_status_idx"),
        ]


class KeywordAction(models.TextChoices):
    BALANCE = "balance", _("Her balance (with her PIN)")
    HELP = "help", _("Report a problem")
    YES = "yes", _("Yes")
    NO = "no", _("No")
    STOP = "stop", _("Stop all messages")


class Keyword(OwnedModel):
    """A word a member texts, in one language, and what it does. Without any of its own, an
    organization answers the defaults (``services.keywords.DEFAULT_KEYWORDS``)."""

    language = models.CharField(_("language"), max_length=10)
    word = models.CharField(_("word"), max_length=30)
    action = models.CharField(_("action"), max_length=10, choices=KeywordAction.choices)

    class Meta:
        ordering = ["language", "word"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "language", "word"], name="keyword_once")
        ]

    def __str__(self) -> str:
        return self.word
