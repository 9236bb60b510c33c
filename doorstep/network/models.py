"""The network's public face: the directory of organizations and the requests to join a network."""

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
