"""Work orders as ILO Recommendation R184 (para. 7) asks an employer to record them, kept from the
worker's side: what she was given, what she delivered, what was rejected, what she was paid and
when, what it cost her and how long it took her and her unpaid helpers.

The figures DESIGN.md §3 derives from them (accepted quantity, expected pay, gross paid, shortfall,
net, hours, net hourly earnings, ratio to the minimum wage, payment delay) and the flags are
stored on the order and recomputed by ``work.derive`` whenever an input changes (``services.figures``),
when a benchmark changes, and daily for orders still waiting for pay (the late flag grows with
time). Money is ``Decimal`` with the order's currency; every sum on an order is in that currency.

Money is never deleted (DESIGN.md §3). Deliveries, payments, deductions, costs and helpers' hours
are append-only: a correction is a *reversal*, a new entry of the same kind that names the entry it
cancels (``reverses``), carries its values with the quantities, amounts or hours negated, and says
who recorded it, when and why. An entry is reversed at most once (a named unique constraint) and a
reversal is never reversed (record a new entry instead). Every sum reads the entries and their
reversals together, so it is the net. An order deleted by mistake is *voided*: kept with who voided
it, when and why, and left out of every figure. Only her erasure removes her orders and entries.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from doorstep.core.models import OwnedModel
from doorstep.core.sectors import Sector

MONEY = {"max_digits": 18, "decimal_places": 4}
QUANTITY = {"max_digits": 12, "decimal_places": 3}
HOURS = {"max_digits": 8, "decimal_places": 2}


class Unit(models.TextChoices):
    PIECE = "piece", _("piece")
    PAIR = "pair", _("pair")
    DOZEN = "dozen", _("dozen")
    SET = "set", _("set")
    METRE = "metre", _("metre")
    KILOGRAM = "kg", _("kilogram")
    THOUSAND = "thousand", _("thousand (e.g. bidis)")


class OrderStatus(models.TextChoices):
    GIVEN = "given", _("Given")
    IN_PROGRESS = "in_progress", _("In progress")
    DELIVERED = "delivered", _("Delivered")
    PARTLY_PAID = "partly_paid", _("Partly paid")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


class CancelledBy(models.TextChoices):
    GIVER = "giver", _("The work giver")
    WORKER = "worker", _("The worker")
    OTHER = "other", _("Someone else")


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    BANK = "bank", _("Bank transfer")
    MOBILE_MONEY = "mobile_money", _("Mobile money")
    IN_KIND = "in_kind", _("In kind")
    OTHER = "other", _("Other")


class CostKind(models.TextChoices):
    ELECTRICITY = "electricity", _("Electricity")
    MATERIALS = "materials", _("Thread and materials")
    TOOLS = "tools", _("Tools and machine")
    TRANSPORT = "transport", _("Transport")
    SPACE = "space", _("Space")
    OTHER = "other", _("Other")


class Relationship(models.TextChoices):
    DAUGHTER = "daughter", _("Daughter")
    SON = "son", _("Son")
    SPOUSE = "spouse", _("Husband or wife")
    PARENT = "parent", _("Mother, father or in-law")
    SIBLING = "sibling", _("Sister or brother")
    OTHER_RELATIVE = "other_relative", _("Other relative")
    NEIGHBOUR = "neighbour", _("Neighbour or friend")


class Flag(models.TextChoices):
    """The order's flags; each is a boolean column ``flag_<code>``."""

    BELOW_MINIMUM = "below_minimum", _("Below the minimum wage")
    LATE = "late", _("Paid late")
    UNPAID = "unpaid", _("Unpaid")
    REJECTED_WITHOUT_REASON = "rejected_without_reason", _("Rejected without a reason")
    CANCELLED_AFTER_MATERIALS = "cancelled_after_materials", _("Cancelled after materials were given")


class BenchmarkKind(models.TextChoices):
    MINIMUM_WAGE = "minimum_wage", _("Statutory minimum wage")
    LIVING_WAGE = "living_wage", _("Living wage estimate")
    NEGOTIATED = "negotiated", _("Negotiated rate")


class Period(models.TextChoices):
    HOUR = "hour", _("an hour")
    DAY = "day", _("a day")
    MONTH = "month", _("a month")


class WageBenchmark(models.Model):
    """A wage to measure earnings against, with its own hours convention and its source.

    Rows without an organization are the reference data shipped in ``work/data/minimum_wages.csv``
    (kept in step with it on every migrate); rows with one are that organization's own (a living
    wage estimate, a negotiated rate, a newer statutory rate) and are read only through
    ``work.queries``.
    """

    organization = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reference_key = models.CharField(max_length=120, unique=True, null=True, blank=True)
    kind = models.CharField(max_length=20, choices=BenchmarkKind.choices)
    country = CountryField()
    region = models.CharField(max_length=120, blank=True)
    # Lower-case names of the first-level areas the benchmark covers (blank list: the whole country).
    region_names = models.JSONField(default=list, blank=True)
    sector = models.CharField(max_length=30, choices=Sector.choices, blank=True)
    sector_text = models.CharField(max_length=200, blank=True)
    skill = models.CharField(max_length=80, blank=True)
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    period = models.CharField(max_length=10, choices=Period.choices)
    hours_per_day = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    days_per_month = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    convention_note = models.CharField(max_length=300, blank=True)
    effective_from = models.DateField()
    effective_from_confirmed = models.BooleanField(default=True)
    effective_to = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=500)
    as_of = models.CharField(max_length=20, blank=True)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["country", "region", "sector", "skill", "-effective_from"]
        indexes = [models.Index(fields=["country", "kind", "effective_from"], name="benchmark_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.country.code} {self.region or 'national'} {self.amount} {self.currency}/{self.period}"


class WorkOrder(OwnedModel):
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="work_orders")
    party = models.ForeignKey("supplychains.Party", on_delete=models.PROTECT, related_name="work_orders")
    given_on = models.DateField()
    product = models.CharField(max_length=200)
    sector = models.CharField(max_length=30, choices=Sector.choices)
    materials_supplied = models.BooleanField(default=False)
    materials_value = models.DecimalField(null=True, blank=True, **MONEY)
    quantity_ordered = models.DecimalField(**QUANTITY)
    unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.PIECE)
    piece_rate = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    deadline = models.DateField(null=True, blank=True)
    her_hours = models.DecimalField(null=True, blank=True, **HOURS)
    status = models.CharField(max_length=20, choices=OrderStatus.choices, default=OrderStatus.GIVEN)
    cancelled_on = models.DateField(null=True, blank=True)
    cancelled_by = models.CharField(max_length=10, choices=CancelledBy.choices, blank=True)
    materials_lost = models.BooleanField(default=False)
    work_lost = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Voided (deleted by mistake, a duplicate…): kept, and left out of every figure.
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    void_reason = models.CharField(max_length=300, blank=True, default="", db_default="")

    # Derived (work.derive), stored --------------------------------------------------------------
    delivered_qty = models.DecimalField(default=0, **QUANTITY)
    rejected_qty = models.DecimalField(default=0, **QUANTITY)
    accepted_qty = models.DecimalField(default=0, **QUANTITY)
    expected_pay = models.DecimalField(default=0, **MONEY)
    gross_paid = models.DecimalField(default=0, **MONEY)
    deductions_total = models.DecimalField(default=0, **MONEY)
    shortfall = models.DecimalField(default=0, **MONEY)
    costs_total = models.DecimalField(default=0, **MONEY)
    net = models.DecimalField(default=0, **MONEY)
    total_hours = models.DecimalField(null=True, blank=True, **HOURS)
    net_hourly = models.DecimalField(null=True, blank=True, **MONEY)
    benchmark = models.ForeignKey(
        WageBenchmark, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    benchmark_level = models.CharField(max_length=20, blank=True)
    benchmark_hourly = models.DecimalField(null=True, blank=True, **MONEY)
    mw_ratio = models.DecimalField(null=True, blank=True, **MONEY)
    work_date = models.DateField(null=True, blank=True)
    delivered_on = models.DateField(null=True, blank=True)
    fully_paid_on = models.DateField(null=True, blank=True)
    payment_delay_days = models.IntegerField(null=True, blank=True)
    flag_below_minimum = models.BooleanField(default=False)
    flag_late = models.BooleanField(default=False)
    flag_unpaid = models.BooleanField(default=False)
    flag_rejected_without_reason = models.BooleanField(default=False)
    flag_cancelled_after_materials = models.BooleanField(default=False)
    derived_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-given_on", "-pk"]
        indexes = [
            models.Index(fields=["organization", "given_on"], name="workorder_org_given_idx"),
            models.Index(fields=["organization", "party"], name="workorder_org_party_idx"),
            models.Index(fields=["organization", "member"], name="workorder_org_member_idx"),
            models.Index(fields=["organization", "status"], name="workorder_org_status_idx"),
            # The analytics engine reads the orders changed since its last refresh.
            models.Index(fields=["updated_at"], name="workorder_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True) | ~Q(void_reason=""), name="workorder_void_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} ({self.given_on})"

    @property
    def flags(self) -> list[str]:
        return [code for code in Flag.values if getattr(self, f"flag_{code}")]

    @property
    def flag_labels(self) -> list[str]:
        return [str(Flag(code).label) for code in self.flags]

    @property
    def voided(self) -> bool:
        return self.voided_at is not None

    @property
    def owed(self):
        """What is still owed to her (nothing when she was paid more than expected, or on a voided
        order, which counts in no figure)."""
        return 0 if self.voided_at is not None else max(self.shortfall, 0)


class Entry(OwnedModel):
    """What every entry of an order has: who recorded it and when, and, on a reversal, the entry it
    cancels and why (see the module docstring). The values of a reversal are those of the entry it
    reverses, with its quantities, amounts or hours negated."""

    reverses = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.RESTRICT, related_name="reversals"
    )
    reversal_reason = models.CharField(max_length=300, blank=True, default="", db_default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Blank for entries recorded before reversals existed (and for bulk-generated test data).
    recorded_at = models.DateTimeField(null=True, blank=True, default=timezone.now)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(fields=["organization", "reverses"], name="%(class)s_one_reversal"),
            models.CheckConstraint(
                condition=Q(reverses__isnull=True) | ~Q(reversal_reason=""),
                name="%(class)s_reversal_has_reason",
            ),
        ]

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


class Delivery(Entry):
    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="deliveries")
    delivered_on = models.DateField()
    quantity = models.DecimalField(**QUANTITY)
    rejected = models.DecimalField(default=0, **QUANTITY)
    rejection_reason = models.CharField(max_length=300, blank=True)
    rejected_paid = models.BooleanField(default=False)

    class Meta(Entry.Meta):
        ordering = ["delivered_on", "pk"]

    def __str__(self) -> str:
        return f"{self.quantity} on {self.delivered_on}"


class Payment(Entry):
    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="payments")
    paid_on = models.DateField()
    amount = models.DecimalField(**MONEY)
    method = models.CharField(max_length=20, choices=PaymentMethod.choices, default=PaymentMethod.CASH)
    paid_by = models.ForeignKey(
        "supplychains.Party",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta(Entry.Meta):
        ordering = ["paid_on", "pk"]

    def __str__(self) -> str:
        return f"{self.amount} on {self.paid_on}"


class Deduction(Entry):
    """An amount held back from her pay (a fine, an advance recovered…); what she actually received
    is recorded as payments, so a deduction is part of the shortfall, shown apart with its reason."""

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="deductions")
    deducted_on = models.DateField()
    amount = models.DecimalField(**MONEY)
    reason = models.CharField(max_length=300, blank=True)

    class Meta(Entry.Meta):
        ordering = ["deducted_on", "pk"]

    def __str__(self) -> str:
        return f"-{self.amount} on {self.deducted_on}"


class Cost(Entry):
    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="costs")
    kind = models.CharField(max_length=20, choices=CostKind.choices)
    amount = models.DecimalField(**MONEY)
    note = models.CharField(max_length=200, blank=True)

    class Meta(Entry.Meta):
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"


class HelperTime(Entry):
    """Unpaid help with the order: how many people of one relationship, whether children, their hours
    (all of them together)."""

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="helpers")
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    count = models.PositiveSmallIntegerField(default=1)
    children = models.BooleanField(default=False)
    hours = models.DecimalField(**HOURS)

    class Meta(Entry.Meta):
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.count} {self.relationship}: {self.hours} h"


class SavedRate(OwnedModel):
    """A fair piece rate worked out with the calculator, kept for a product (and a work giver) to
    compare with the rates actually paid and to print as a rate card."""

    product = models.CharField(max_length=200)
    party = models.ForeignKey(
        "supplychains.Party", null=True, blank=True, on_delete=models.PROTECT, related_name="saved_rates"
    )
    sector = models.CharField(max_length=30, choices=Sector.choices, blank=True)
    unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.PIECE)
    method = models.CharField(max_length=20)
    fair_rate = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    explanation = models.TextField()
    inputs = models.JSONField(default=dict)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["product", "-saved_at"]

    def __str__(self) -> str:
        return f"{self.product}: {self.fair_rate} {self.currency}"
