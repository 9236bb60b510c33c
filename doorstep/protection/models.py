"""Social protection: the schemes members can claim (a shipped catalogue with sources, and each
organization's or network's own) and each member's application to one, from preparing it to payment
and renewal (DESIGN.md §2).

A scheme is reference data, not personal: its eligibility is text and, where it can be, rules on the
member's non-personal fields (``protection.rules``). An application is about one member: its
reference number and next-step note are sealed under her data key (``core.vault``), the reference
number is also blind-indexed for exact lookup; its status, dates and checklist stay readable for the
lists and the coverage figures."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from doorstep.core.models import OwnedModel


class SchemeKind(models.TextChoices):
    REGISTRATION = "registration", _("Registration as a worker")
    PENSION = "pension", _("Pension")
    HEALTH = "health", _("Health cover")
    INSURANCE = "insurance", _("Life or accident insurance")
    SOCIAL_SECURITY = "social_security", _("Social security")
    WELFARE_BOARD = "welfare_board", _("Welfare board or fund")
    MATERNITY = "maternity", _("Maternity benefit")
    CASH_TRANSFER = "cash_transfer", _("Cash transfer or allowance")
    OTHER = "other", _("Other")


class Scheme(models.Model):
    """A social-protection scheme with who may claim it, what to bring, where to apply and its source.

    Rows without an organization are the catalogue shipped in ``protection/data/schemes.csv`` (kept
    in step with it on every migrate); rows with one belong to that organization (a union's, or a
    network's, which its affiliates see too) and are read only through ``protection.queries``.
    """

    organization = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reference_key = models.CharField(max_length=120, unique=True, null=True, blank=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=SchemeKind.choices)
    country = CountryField(_("country"))
    # Lower-case names of the states or provinces where it runs (empty: the whole country).
    region_names = models.JSONField(default=list, blank=True)
    eligibility = models.TextField(_("who is eligible"))
    # The same as rules on her fields where it can be said so (``protection.rules``), as written and parsed.
    rules_text = models.CharField(_("eligibility rules"), max_length=500, blank=True)
    rules = models.JSONField(default=list, blank=True)
    documents = models.JSONField(_("documents needed"), default=list, blank=True)
    where_to_apply = models.CharField(_("where to apply"), max_length=300, blank=True)
    benefits = models.TextField(_("benefits"), blank=True)
    renew_every_months = models.PositiveSmallIntegerField(_("renew every (months)"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=500)
    as_of = models.CharField(_("source date"), max_length=20, blank=True)
    verified = models.BooleanField(_("checked against the source"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["country", "name"]
        indexes = [models.Index(fields=["country", "is_active"], name="scheme_country_idx")]

    def __str__(self) -> str:
        return self.name


class ApplicationStatus(models.TextChoices):
    TO_PREPARE = "to_prepare", _("To prepare")
    DOCUMENTS_MISSING = "documents_missing", _("Documents missing")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    PAID = "paid", _("Paid")
    TO_RENEW = "to_renew", _("To renew")


# She is covered (enrolled) in these; the others are on the way or refused.
ENROLLED = frozenset({ApplicationStatus.ACCEPTED, ApplicationStatus.PAID, ApplicationStatus.TO_RENEW})


class Application(OwnedModel):
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="applications")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(max_length=20, choices=ApplicationStatus.choices, default="to_prepare")
    started_on = models.DateField()
    submitted_on = models.DateField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    renew_by = models.DateField(null=True, blank=True)
    # Sealed under her data key: {"reference_number", "next_step", "note"}.
    sealed = models.BinaryField()
    # Blind index of the normalized reference number (``vault.blind_index``), "" when there is none.
    reference_digest = models.CharField(max_length=64, blank=True)
    # [{"document": "Aadhaar card", "have": true}], the scheme's list at the start, ticked as they come.
    checklist = models.JSONField(default=list, blank=True)
    next_step_due = models.DateField(null=True, blank=True)
    next_step_done_at = models.DateTimeField(null=True, blank=True)
    # The grievance case a rejection became (grievances.Case).
    case = models.ForeignKey(
        "grievances.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "member", "scheme"],
                condition=~Q(status="rejected"),
                name="application_one_live_per_scheme",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status"], name="application_org_status_idx"),
            models.Index(fields=["organization", "next_step_due"], name="application_next_step_idx"),
            models.Index(fields=["organization", "renew_by"], name="application_renew_idx"),
            models.Index(fields=["organization", "reference_digest"], name="application_reference_idx"),
        ]

    @property
    def is_enrolled(self) -> bool:
        return self.status in ENROLLED


class ApplicationEvent(OwnedModel):
    """One step of an application's history: the status it moved to, on which day, by whom."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=ApplicationStatus.choices)
    on = models.DateField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "pk"]
