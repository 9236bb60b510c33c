"""Advocacy: the legal tracker (what each country's law says about homeworkers, one fact at a time,
each with its source and the history of its changes), campaigns with their demands, targets and
actions, and reports to the ILO supervisory bodies, drafted in sections and kept in versions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from doorstep.core.models import OwnedModel


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


class Campaign(OwnedModel):
    """A campaign an organization leads, with the organizations taking part, a platform of demands,
    the targets it addresses (a government, a company, an employers' body) and its actions."""

    class Status(models.TextChoices):
        PLANNING = "planning", _("Being planned")
        ACTIVE = "active", _("Active")
        WON = "won", _("Won")
        ENDED = "ended", _("Ended")

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=10000, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNING)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    is_public = models.BooleanField(_("show on the public campaigns page"), default=False)
    participants = models.ManyToManyField(
        "organizations.Organization",
        blank=True,
        related_name="campaigns_joined",
        verbose_name=_("taking part"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Demand(OwnedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Not met yet")
        PARTLY = "partly", _("Partly met")
        MET = "met", _("Met")
        REFUSED = "refused", _("Refused")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="demands")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("demand"), max_length=500)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class Target(OwnedModel):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        COMPANY = "company", _("Company")
        EMPLOYERS = "employers", _("Employers' body")
        ILO = "ilo", _("ILO or another international body")
        OTHER = "other", _("Other")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    country = CountryField(_("country"), blank=True)

    class Meta:
        ordering = ["kind", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class CampaignAction(OwnedModel):
    class Kind(models.TextChoices):
        LETTER = "letter", _("Letter or petition")
        MEETING = "meeting", _("Meeting")
        PROTEST = "protest", _("Protest or rally")
        SUBMISSION = "submission", _("Submission or report")
        MEDIA = "media", _("Media")
        OTHER = "other", _("Other")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="actions")
    on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("what was done"), max_length=1000)
    outcome = models.CharField(_("outcome"), max_length=1000, blank=True)
    target = models.ForeignKey(
        Target,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
        verbose_name=_("target"),
    )

    class Meta:
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return self.description


class Convention(models.TextChoices):
    C177 = "C177", _("Home Work Convention, 1996 (No. 177)")
    C190 = "C190", _("Violence and Harassment Convention, 2019 (No. 190)")
    C102 = "C102", _("Social Security (Minimum Standards) Convention, 1952 (No. 102)")
    C087 = (
        "C087",
        _("Freedom of Association and Protection of the Right to Organise Convention, 1948 (No. 87)"),
    )
    C131 = "C131", _("Minimum Wage Fixing Convention, 1970 (No. 131)")
    C189 = "C189", _("Domestic Workers Convention, 2011 (No. 189)")


class Report(OwnedModel):
    """A shadow report, or observations, to the ILO Committee of Experts on how a country applies a
    convention, drafted by an organization or a network from sections, kept in versions."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    title = models.CharField(_("title"), max_length=200)
    convention = models.CharField(
        _("convention"), max_length=10, choices=Convention.choices, default=Convention.C177
    )
    country = CountryField(_("country"))
    addressed_to = models.CharField(
        _("addressed to"),
        max_length=300,
        default="ILO Committee of Experts on the Application of Conventions and Recommendations (CEACR)",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    submitted_version = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class ReportSection(OwnedModel):
    """A part of a report: words (cleaned HTML), the legal tracker's facts on the country, the
    organization's evidence as suppressed figures (``params``: dataset, group_by, from, to), an
    anonymised testimony (a quote and who, in general words, said it), or demands."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        LEGAL = "legal", _("The law in the country (from the legal tracker)")
        EVIDENCE = "evidence", _("Our evidence (figures, small groups withheld)")
        TESTIMONY = "testimony", _("Testimony (an anonymised quote)")
        DEMANDS = "demands", _("Demands")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    heading = models.CharField(_("heading"), max_length=200)
    body = models.TextField(_("text"), max_length=20000, blank=True)
    speaker = models.CharField(
        _("who said it"),
        max_length=200,
        blank=True,
        help_text=_("In general words only, e.g. “a beadworker in Nairobi”."),
    )
    params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.heading


class ReportVersion(OwnedModel):
    """A frozen copy of the report as it read when saved (figures included): what is exported and
    what was submitted."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="report_version_unique")]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"
