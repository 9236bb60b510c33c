"""Grievances: the problems members bring to their organization, taken up one by one or together,
from the first complaint to the remedy won (DESIGN.md §2); reports sent without an account through
an intake link; cases shared with a company, and its replies.

A case's summary and narrative, each action's details and outcome, each remedy's description and
every attachment are sealed under the case's own data key (``core.vault``), like a member's personal
data: they may name her, her family, her neighbours. What stays readable is what the statistics
need: category, status, dates, the parties complained against, amounts and currencies."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from doorstep.core.models import OwnedModel, SubjectKey


class Category(models.TextChoices):
    LOW_RATES = "low_rates", _("Piece rates too low to live on")
    LATE_PAYMENT = "late_payment", _("Payment delayed")
    CANCELLED_ORDER = "cancelled_order", _("Order cancelled after materials were bought")
    REJECTED_GOODS = "rejected_goods", _("Goods rejected without a reason and not paid")
    COSTS_PUSHED = "costs_pushed", _("Costs of electricity, tools or transport pushed onto her")
    DEDUCTIONS = "deductions", _("Deductions from pay")
    UNSAFE_WORK = "unsafe_work", _("Unsafe work (chemicals, eye strain, injuries)")
    HARASSMENT = "harassment", _("Harassment")
    NO_SOCIAL_PROTECTION = "no_social_protection", _("No social protection")
    OTHER = "other", _("Something else")


class CaseKind(models.TextChoices):
    INDIVIDUAL = "individual", _("One member")
    COLLECTIVE = "collective", _("Many members (a collective case)")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_NEGOTIATION = "in_negotiation", _("In negotiation")
    ESCALATED = "escalated", _("Escalated")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed_without_remedy", _("Closed without remedy")


FINISHED = frozenset({CaseStatus.RESOLVED, CaseStatus.CLOSED})


class Source(models.TextChoices):
    STAFF = "staff", _("Recorded by the organization")
    INTAKE = "intake", _("Sent through the intake form")


class Case(OwnedModel):
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=CaseKind.choices, default=CaseKind.INDIVIDUAL)
    category = models.CharField(max_length=30, choices=Category.choices)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(max_length=30, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    members = models.ManyToManyField("members.Member", blank=True, related_name="grievances")
    # A collective case may stand for a whole group or place ("all embroiderers of Seelampur").
    group_description = models.CharField(max_length=200, blank=True)
    parties = models.ManyToManyField("supplychains.Party", blank=True, related_name="grievances")
    orders = models.ManyToManyField("work.WorkOrder", blank=True, related_name="grievances")
    # What a company committed to on this case (its commitments are tracked with its due diligence).
    commitments = models.ManyToManyField("supplychains.Commitment", blank=True, related_name="cases")
    subject_key = models.OneToOneField(SubjectKey, on_delete=models.PROTECT, related_name="+")
    sealed = models.BinaryField()  # {"summary", "narrative"}
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_on = models.DateField()
    finished_on = models.DateField(null=True, blank=True)  # resolved or closed
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.STAFF)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opened_on", "-number"]
        constraints = [models.UniqueConstraint(fields=["organization", "number"], name="case_unique_number")]
        indexes = [
            models.Index(fields=["organization", "status"], name="case_org_status_idx"),
            models.Index(fields=["organization", "category"], name="case_org_category_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.number}"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED


class ActionKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    CALL = "call", _("Phone call")
    LETTER = "letter", _("Letter")
    COMPLAINT = "formal_complaint", _("Formal complaint")
    AUTHORITY = "authority_filing", _("Filed with an authority")
    COMPANY_MECHANISM = "company_mechanism", _("Filed with a company's grievance mechanism")
    NEGOTIATION = "negotiation", _("Negotiation")
    ESCALATION = "escalation", _("Escalation")
    NOTE = "note", _("Note")


class CaseAction(OwnedModel):
    """One step of a case's timeline, with what came of it and, if there is one, the next deadline."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=20, choices=ActionKind.choices)
    happened_on = models.DateField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sealed = models.BinaryField()  # {"detail", "outcome", "deadline_note"}
    deadline = models.DateField(null=True, blank=True)
    deadline_done_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["happened_on", "pk"]
        indexes = [models.Index(fields=["organization", "deadline"], name="action_deadline_idx")]


class RemedyKind(models.TextChoices):
    MONEY = "money", _("Money recovered")
    ORDERS_RESTORED = "orders_restored", _("Orders restored")
    RATE_RAISED = "rate_raised", _("Rates raised")
    OTHER = "other", _("Something else")


class Remedy(OwnedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="remedies")
    kind = models.CharField(max_length=20, choices=RemedyKind.choices)
    amount = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    orders = models.ManyToManyField("work.WorkOrder", blank=True, related_name="remedies")
    received_on = models.DateField()
    sealed = models.BinaryField()  # {"description"}
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_on", "pk"]


class CaseAttachment(OwnedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    sealed_name = models.BinaryField()
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sealed = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]


# Intake without an account ------------------------------------------------------------------------------


class IntakeChannel(OwnedModel):
    """An organization's public intake form, reached at /intake/<code>/ (and its QR code). A new code
    can replace an old one that spread too far; closing it stops new reports at once."""

    code = models.CharField(max_length=32, unique=True)
    is_open = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]


class IntakeStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be read")
    ACCEPTED = "accepted", _("Taken up as a case")
    REJECTED = "rejected", _("Not taken up")


class IntakeReport(OwnedModel):
    """What a worker (or an organizer for her) sent through the intake form. It reaches the case
    list only when a person of the organization has read it and opened a case from it."""

    channel = models.ForeignKey(IntakeChannel, on_delete=models.CASCADE, related_name="reports")
    receipt_digest = models.CharField(max_length=64, unique=True)
    subject_key = models.OneToOneField(SubjectKey, on_delete=models.PROTECT, related_name="+")
    sealed = (
        models.BinaryField()
    )  # {"description", "work_giver", "name", "phone", "member_number", "for_someone"}
    category = models.CharField(max_length=30, choices=Category.choices, blank=True)
    language = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=10, choices=IntakeStatus.choices, default=IntakeStatus.PENDING)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    received_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["organization", "status"], name="intake_org_status_idx")]


# Escalation to a company -------------------------------------------------------------------------------


class CaseShare(OwnedModel):
    """A case shown to a company (with the members' consent for that purpose and a live sharing
    agreement). The company sees the category, the work givers, amounts as bands, the timeline's steps
    by month and the organization's message to it; a member's name only while her own consent to be
    named to that company stands (``members`` purpose ``company_identity``), checked on every read.
    ``sealed_message`` also keeps an administrator's reason for sharing it despite the k-check."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    company = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    sealed_message = models.BinaryField()  # {"message", "override_reason"?}, under the case's key
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-shared_at"]
        constraints = [models.UniqueConstraint(fields=["case", "company"], name="case_share_unique")]


class CompanyReply(OwnedModel):
    """A company's answer on a case shared with it; joins the case's timeline."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="replies")
    company = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sealed = models.BinaryField()  # {"text"}, under the case's key
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
