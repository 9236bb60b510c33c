"""Organizations, their affiliations, users, their roles, personal API tokens, and the data-sharing
agreements under which an organization lets a network, a company or a researcher have aggregates."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from doorstep.core.models import OwnedModel
from doorstep.core.roles import Role


class User(AbstractUser):
    """A person who logs in: staff of an organization, a network, a company, or a member (worker)."""

    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )

    def __str__(self) -> str:
        return self.display_name or self.username


class Organization(models.Model):
    """A member-based organization, a network, an ally or a company."""

    class Kind(models.TextChoices):
        UNION = "union", _("Union")
        COOPERATIVE = "cooperative", _("Cooperative")
        ASSOCIATION = "association", _("Association")
        SELF_HELP_GROUP = "self_help_group", _("Self-help group")
        NATIONAL_NETWORK = "national_network", _("National network")
        REGIONAL_NETWORK = "regional_network", _("Regional network")
        INTERNATIONAL_NETWORK = "international_network", _("International network")
        ALLY = "ally", _("Ally")
        COMPANY = "company", _("Company")

    MEMBER_BASED_KINDS = frozenset({Kind.UNION, Kind.COOPERATIVE, Kind.ASSOCIATION, Kind.SELF_HELP_GROUP})
    NETWORK_KINDS = frozenset({Kind.NATIONAL_NETWORK, Kind.REGIONAL_NETWORK, Kind.INTERNATIONAL_NETWORK})

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    country = CountryField(_("country"), blank=True, help_text=_("Blank for international organizations."))
    languages = models.JSONField(_("languages"), default=list, blank=True, help_text=_("Language codes."))
    is_active = models.BooleanField(_("active"), default=True)
    disclosure_k = models.PositiveSmallIntegerField(
        _("smallest group shown outside (k)"),
        default=10,
        help_text=_(
            "A figure shared outside the organization is hidden when fewer than this many workers make it "
            "(never below 5)."
        ),
    )
    late_payment_days = models.PositiveSmallIntegerField(
        _("payment is late after (days)"),
        default=30,
        help_text=_("A work order not paid in full this many days after delivery is flagged as paid late."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name

    @property
    def is_network(self) -> bool:
        return self.kind in self.NETWORK_KINDS

    @property
    def is_member_based(self) -> bool:
        return self.kind in self.MEMBER_BASED_KINDS


class Affiliation(models.Model):
    """``member`` is affiliated to the network ``network`` from ``since`` (until ``until``).

    The affiliation graph has no cycles (checked by ``services.add_affiliation``).
    """

    member = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="affiliations")
    network = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="affiliates")
    since = models.DateField(_("since"), default=timezone.localdate)
    until = models.DateField(_("until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["network__name", "member__name"]
        constraints = [
            models.CheckConstraint(condition=~Q(member=models.F("network")), name="affiliation_not_self"),
            models.UniqueConstraint(
                fields=["member", "network"], condition=Q(until__isnull=True), name="affiliation_one_open"
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
                name="affiliation_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.network}"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.since <= today and (self.until is None or self.until >= today)


class SharingPurpose(models.TextChoices):
    NETWORK_STATISTICS = "network_statistics", _("Statistics for a network")
    COMPANY_DUE_DILIGENCE = "company_due_diligence", _("A company's due diligence")
    RESEARCH = "research", _("Research")


class SharedData(models.TextChoices):
    MEMBERS = "members", _("Members (counts by category, sector, place)")
    WORK = "work", _("Work and earnings")
    GRIEVANCES = "grievances", _("Grievances")
    SURVEYS = "surveys", _("Survey answers")
    PROTECTION = "protection", _("Social protection coverage")


class SharingAgreement(OwnedModel):
    """The organization agrees that aggregates of some kinds of its data may reach ``recipient`` (a
    network, a company, an ally doing research) for one purpose, from ``starts_on`` until ``ends_on``
    or until it is revoked (which takes effect at once). Only aggregates ever leave, suppressed below
    the organization's k (``core.disclosure``), and only of members whose consent covers the purpose."""

    recipient = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="agreements_received")
    purpose = models.CharField(_("purpose"), max_length=30, choices=SharingPurpose.choices)
    data_kinds = models.JSONField(_("what may be shared"), default=list)
    starts_on = models.DateField(_("from"), default=timezone.localdate)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "purpose"], name="agreement_recipient_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(organization=models.F("recipient")), name="agreement_not_self"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="agreement_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} → {self.recipient} ({self.purpose})"

    def is_live(self, on=None) -> bool:
        on = on or timezone.localdate()
        return (
            self.revoked_at is None and self.starts_on <= on and (self.ends_on is None or on <= self.ends_on)
        )


class RoleAssignment(OwnedModel):
    """The role a user holds in one organization (one role per user and organization)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user__username"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="roleassignment_one_per_org"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


class Invitation(OwnedModel):
    """A role offered to someone who already has an account; she holds it once she accepts.

    (An admin who types an existing username learns nothing about that account, and gives nobody a
    role she did not agree to.)"""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    accepted = models.BooleanField(null=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"],
                condition=Q(answered_at__isnull=True),
                name="invitation_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"invitation of {self.user_id} to {self.organization_id}"


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token itself is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
