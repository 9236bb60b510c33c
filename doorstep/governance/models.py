"""Governance of a member-based organization: the rules of its constitution that Doorstep can apply
(dues, quorum, terms of office, positions), who holds which office (a history: a term is ended,
never deleted), numbered receipts for dues payments, and meetings with attendance, resolutions,
action items and minutes frozen in versions. Elections are another app's.

Nothing here holds personal data of its own: members are referred to by id, and their names are
read from the vault when a page shows them (audited)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from doorstep.core.models import OwnedModel


class DuesPeriod(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class QuorumKind(models.TextChoices):
    SHARE = "share", _("A share of the members in good standing")
    NUMBER = "number", _("A fixed number of members")


class Constitution(OwnedModel):
    """The rules of one organization's constitution that Doorstep applies. One row per organization;
    only its admins change it (audited, old and new values)."""

    dues_amount = models.DecimalField(_("dues amount"), max_digits=12, decimal_places=2)
    dues_currency = models.CharField(_("currency"), max_length=3)
    dues_period = models.CharField(_("dues period"), max_length=10, choices=DuesPeriod.choices)
    grace_days = models.PositiveIntegerField(
        _("grace period (days)"),
        default=0,
        help_text=_("Days she may pay late and stay in good standing, counting the day dues fall due."),
    )
    arrears_lose_vote = models.BooleanField(_("members in arrears lose the vote"), default=True)
    quorum_kind = models.CharField(
        _("quorum of a general assembly"), max_length=10, choices=QuorumKind.choices
    )
    quorum_percent = models.DecimalField(
        _("quorum share (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    quorum_number = models.PositiveIntegerField(_("quorum (members)"), null=True, blank=True)
    term_years = models.PositiveSmallIntegerField(_("term of office (years)"), default=2)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="constitution_one_per_organization"),
            models.CheckConstraint(
                condition=models.Q(dues_amount__gte=0), name="constitution_dues_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"rules of {self.organization_id}"


class PositionKind(models.TextChoices):
    PRESIDENT = "president", _("President")
    SECRETARY = "secretary", _("Secretary")
    TREASURER = "treasurer", _("Treasurer")
    GROUP_LEADER = "group_leader", _("Group leader")
    CUSTOM = "custom", _("Other position")


class Position(OwnedModel):
    """An office of the organization. A single-holder position has at most one holder on any day;
    a group leader's position is one per group."""

    kind = models.CharField(_("kind"), max_length=20, choices=PositionKind.choices)
    title = models.CharField(_("title"), max_length=120)
    single_holder = models.BooleanField(_("one holder at a time"), default=True)
    group = models.ForeignKey(
        "members.MemberGroup", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "title"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "title"], name="position_unique_title")
        ]

    def __str__(self) -> str:
        return self.title


class Mandate(models.TextChoices):
    ELECTED = "elected", _("Elected")
    APPOINTED = "appointed", _("Appointed")


class OfficeTerm(OwnedModel):
    """A member holding a position from a day to a day (``ends_on`` empty: still in office). A term
    is ended, never deleted, so the history of office stays."""

    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="terms")
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)
    mandate = models.CharField(_("elected or appointed"), max_length=10, choices=Mandate.choices)
    shown_publicly = models.BooleanField(_("show on the directory page"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position__kind", "position__title", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="officeterm_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.position_id} from {self.starts_on}"


class DuesReceipt(OwnedModel):
    """A numbered receipt for one dues payment: numbers run 1, 2, 3… per organization, never reused."""

    payment = models.OneToOneField("members.DuesPayment", on_delete=models.CASCADE, related_name="receipt")
    number = models.PositiveIntegerField(_("receipt number"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="duesreceipt_unique_number")
        ]

    def __str__(self) -> str:
        return f"receipt {self.number}"


class MeetingKind(models.TextChoices):
    GENERAL_ASSEMBLY = "general_assembly", _("General assembly")
    EXECUTIVE = "executive", _("Executive committee")
    GROUP = "group", _("Local group meeting")


class Meeting(OwnedModel):
    """A meeting called with an agenda; members of the invited groups (all members when none) are
    invited. Quorum applies to a general assembly, from the constitution's rules."""

    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    groups = models.ManyToManyField(
        "members.MemberGroup", blank=True, related_name="+", verbose_name=_("groups invited")
    )
    minutes = models.TextField(_("minutes"), blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["organization", "held_on"], name="meeting_org_date_idx")]

    def __str__(self) -> str:
        return self.title


class AttendanceMethod(models.TextChoices):
    LIST = "list", _("Ticked on the list")
    CARD = "card", _("Member card")


class Attendance(OwnedModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+")
    method = models.CharField(max_length=10, choices=AttendanceMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.member_id} at {self.meeting_id}"


class Resolution(OwnedModel):
    """A decision put to the vote: passed when more voted for than against (abstentions aside)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="resolutions")
    text = models.TextField(_("resolution"))
    votes_for = models.PositiveIntegerField(_("for"))
    votes_against = models.PositiveIntegerField(_("against"))
    abstaining = models.PositiveIntegerField(_("abstaining"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    @property
    def passed(self) -> bool:
        return self.votes_for > self.votes_against

    def __str__(self) -> str:
        return self.text[:40]


class ActionItem(OwnedModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    text = models.CharField(_("what is to be done"), max_length=500)
    owner = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="+", verbose_name=_("owner")
    )
    deadline = models.DateField(_("deadline"))
    done_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["organization", "done_on", "deadline"], name="actionitem_open_idx")]

    def __str__(self) -> str:
        return self.text[:40]


class MinutesVersion(OwnedModel):
    """The minutes as they stood when frozen: numbered per meeting, never changed; approved (once)
    at a later meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes_versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    frozen_at = models.DateTimeField(auto_now_add=True)
    approved_at_meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="approved_minutes"
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="minutesversion_unique_number")
        ]

    def __str__(self) -> str:
        return f"minutes v{self.number} of {self.meeting_id}"


class AnnualReport(OwnedModel):
    """The annual report to members for one year: the organization's own words, and its figures
    assembled from Doorstep's records; frozen in numbered versions to print and hand out."""

    year = models.PositiveSmallIntegerField(_("year"))
    text = models.TextField(_("the report's words"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="annualreport_one_per_year")
        ]

    def __str__(self) -> str:
        return f"annual report {self.year}"


class AnnualReportVersion(OwnedModel):
    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    frozen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="annualreportversion_unique_number")
        ]

    def __str__(self) -> str:
        return f"annual report {self.report_id} v{self.number}"
