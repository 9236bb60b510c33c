"""The network app's data: the public directory (listings) and requests to join a network; bulletins,
their sections, news sent by affiliates, subscribers and deliveries; the resource library; events
and trainings with their registrations."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from doorstep.core.models import OwnedModel


class Listing(OwnedModel):
    """An organization's entry in the public directory. Nothing shows until ``listed`` is set; the
    contact is the organization's own, never a member's; its size is shown only as a band."""

    listed = models.BooleanField(_("show in the public directory"), default=False)
    description = models.TextField(_("about the organization"), max_length=2000, blank=True)
    area = models.CharField(
        _("area"), max_length=200, blank=True, help_text=_("Where it works, e.g. a city, district or region.")
    )
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    declared_members = models.PositiveIntegerField(
        _("number of members"),
        null=True,
        blank=True,
        help_text=_(
            "Only a band is ever shown (such as 250 to 999). Leave blank to use the count of active "
            "members in Doorstep."
        ),
    )
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    postal_address = models.CharField(_("postal address"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization"], name="listing_one_per_org")]
        indexes = [models.Index(fields=["listed"], name="listing_listed_idx")]

    def __str__(self) -> str:
        return str(self.organization)


class AffiliationRequest(OwnedModel):
    """``organization`` asks to join ``network``; the network's admin approves (which creates the
    ``organizations.Affiliation``) or declines. One open request per pair."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the network")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    network = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="affiliation_requests"
    )
    message = models.TextField(_("message to the network"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("answer"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "network"],
                condition=Q(status="pending"),
                name="affiliation_request_one_open",
            ),
            models.CheckConstraint(
                condition=~Q(organization=models.F("network")), name="affiliation_request_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} → {self.network}"


class Bulletin(OwnedModel):
    """One language version of a bulletin (newsletter). The versions of one issue share ``edition``;
    each translation is its own version, written and published on its own. ``summary`` is plain
    text; sections hold cleaned HTML (``core.html``)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    edition = models.UUIDField(default=uuid.uuid4, db_index=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=1000, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "edition", "language"], name="bulletin_one_version_per_language"
            )
        ]
        indexes = [
            models.Index(fields=["organization", "status", "published_at"], name="bulletin_archive_idx")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class BulletinSection(OwnedModel):
    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(default=0)
    heading = models.CharField(_("heading"), max_length=200)
    body = models.TextField(_("text"), max_length=20000)
    # The affiliate's news item it was made from, if any.
    news_item = models.ForeignKey(
        "NewsItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="sections"
    )

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.heading


class NewsItem(OwnedModel):
    """News an affiliate sends its network for the next bulletin. Belongs to the sending
    organization; the network reads those addressed to it and uses or declines them."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting")
        USED = "used", _("In a bulletin")
        DECLINED = "declined", _("Not used")

    network = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="news_items"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=10000)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Subscriber(OwnedModel):
    """An address that asked for an organization's bulletins. The address is sealed under its own
    key and found by a keyed digest; unsubscribing deletes the row and destroys the key. Bulletins
    go only to confirmed addresses (double opt-in)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")

    key = models.ForeignKey("core.SubjectKey", on_delete=models.PROTECT, related_name="+")
    sealed = models.BinaryField()
    email_index = models.CharField(max_length=64)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "email_index"], name="subscriber_one_per_address")
        ]

    def __str__(self) -> str:
        return f"subscriber {self.pk}"


class Delivery(OwnedModel):
    """A bulletin issue (edition) sent to one subscriber: sending again skips her, so an interrupted
    send can simply be run again."""

    edition = models.UUIDField()
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="deliveries")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["edition", "subscriber"], name="delivery_once_per_edition")
        ]


class Topic(models.TextChoices):
    ORGANIZING = "organizing", _("Organizing and leadership")
    PAY = "pay", _("Pay and piece rates")
    SAFETY = "safety", _("Health and safety at work")
    SOCIAL_PROTECTION = "social_protection", _("Social protection")
    SUPPLY_CHAINS = "supply_chains", _("Supply chains and due diligence")
    LAWS = "laws", _("Laws and ILO Convention 177")
    GENDER = "gender", _("Gender, violence and harassment")
    MARKETING = "marketing", _("Marketing and trade")
    RESEARCH = "research_methods", _("Research and data")
    OTHER = "other", _("Other")


class Resource(OwnedModel):
    """An item of the library: a guide, a pocket tool for organizers, training material, research or
    a law, as a file or a link. Public, or for members only: the owning organization's people and
    those of organizations affiliated to it."""

    class Kind(models.TextChoices):
        GUIDE = "guide", _("Guide")
        TOOL = "tool", _("Pocket tool for organizers")
        TRAINING = "training", _("Training material")
        RESEARCH = "research", _("Research")
        LAW = "law", _("Law or policy")
        OTHER = "other", _("Other")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        MEMBERS = "members", _("Members only (our people and our affiliates')")

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=5000, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    audience = models.CharField(
        _("who may see it"), max_length=20, choices=Audience.choices, default=Audience.PUBLIC
    )
    link = models.URLField(_("link"), max_length=500, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    countries = models.JSONField(_("countries"), default=list, blank=True)
    file_name = models.CharField(max_length=120, blank=True)
    file_type = models.CharField(max_length=120, blank=True)
    file_size = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["audience", "created_at"], name="resource_audience_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.audience == self.Audience.PUBLIC


class ResourceFile(OwnedModel):
    """The file of a resource, kept apart so that lists never load it."""

    resource = models.OneToOneField(Resource, on_delete=models.CASCADE, related_name="stored_file")
    content = models.BinaryField()


class Event(OwnedModel):
    """A meeting, training or learning exchange organized by ``organization`` (with co-organizers),
    to which other organizations are invited to send people."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        TRAINING = "training", _("Training")
        EXCHANGE = "exchange", _("Learning exchange")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=10000, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), max_length=500, blank=True)
    is_public = models.BooleanField(_("show on the public events page"), default=False)
    registration_open = models.BooleanField(_("registration open"), default=True)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    co_organizers = models.ManyToManyField(
        "organizations.Organization",
        blank=True,
        related_name="events_co_organized",
        verbose_name=_("co-organizers"),
    )
    invited = models.ManyToManyField(
        "organizations.Organization", blank=True, related_name="events_invited_to", verbose_name=_("invited")
    )
    materials = models.ManyToManyField(
        Resource, blank=True, related_name="events", verbose_name=_("materials")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="event_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Registration(OwnedModel):
    """One person an organization sends to an event. Belongs to the sending organization; the name is
    sealed under its own key (the organizers read it, audited, to take attendance). For a member the
    registration links to her record, which only her organization sees."""

    class Attendance(models.TextChoices):
        UNKNOWN = "", _("Not recorded")
        PRESENT = "present", _("Attended")
        ABSENT = "absent", _("Did not attend")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="event_registrations"
    )
    key = models.ForeignKey("core.SubjectKey", on_delete=models.PROTECT, related_name="+")
    sealed = models.BinaryField()
    gender = models.CharField(_("gender"), max_length=20, blank=True)
    role = models.CharField(
        _("role"), max_length=100, blank=True, help_text=_("e.g. leader, organizer, member")
    )
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, blank=True, default=Attendance.UNKNOWN
    )
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "member"], condition=Q(member__isnull=False), name="registration_member_once"
            )
        ]

    def __str__(self) -> str:
        return f"registration {self.pk}"
