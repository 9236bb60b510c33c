"""The legal tracker: what each country's law says about homeworkers, one fact at a time, each with
its source and the history of its changes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class Fact(models.TextChoices):
    """The facts the tracker keeps for a country. Stable codes; the value's shape depends on the fact
    (see ``services.FACT_SHAPES``)."""

    C177_RATIFIED = "c177_ratified", _("ILO Convention 177 ratified")
    C177_IN_FORCE = "c177_in_force", _("Convention 177 in force")
    HOMEWORK_LAW = "homework_law", _("National homework law or policy")
    MINIMUM_WAGE = "minimum_wage", _("Homeworkers covered by the minimum wage")
    SOCIAL_SECURITY = "social_security", _("Homeworkers covered by social security")
    SAFETY = "safety", _("Homeworkers covered by occupational safety and health law")
    ILO_COMMENTS = "ilo_comments", _("Comments of the ILO supervisory bodies")


class Coverage(models.TextChoices):
    COVERED = "covered", _("Covered")
    PARTLY = "partly", _("Partly covered")
    NOT_COVERED = "not_covered", _("Not covered")
    UNKNOWN = "unknown", _("Not known")


class LegalFact(models.Model):
    """One fact about one country's law (public reference data, not owned by an organization)."""

    country = CountryField(_("country"))
    fact = models.CharField(_("fact"), max_length=30, choices=Fact.choices)
    value = models.JSONField(_("value"), default=dict)
    source = models.CharField(_("source"), max_length=1000)
    as_of = models.CharField(
        _("as of"),
        max_length=10,
        blank=True,
        help_text=_("The date of the source: a year, year-month or full date."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country", "fact"]
        constraints = [models.UniqueConstraint(fields=["country", "fact"], name="legalfact_one_per_country")]

    def __str__(self) -> str:
        return f"{self.country} {self.fact}"


class LegalFactChange(models.Model):
    """Each version of a fact, kept: who changed it, when, from what source, and why."""

    fact = models.ForeignKey(LegalFact, on_delete=models.CASCADE, related_name="changes")
    value = models.JSONField(default=dict)
    source = models.CharField(max_length=1000)
    as_of = models.CharField(max_length=10, blank=True)
    note = models.CharField(_("why"), max_length=500, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.fact} at {self.changed_at:%Y-%m-%d}"
