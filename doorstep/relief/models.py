"""Relief: a fund and its ledger, the lists of members drawn from declared criteria and approved by a
second person, distribution rounds and their payments, and bank or mobile-money statement lines
reconciled to the payments.

Invariants held by the database itself, not only by the services:

* a fund's balance ``received - paid_out - returned`` is never negative (``fund_balance_never_negative``);
  every ledger entry moves these totals in the same transaction, so a payout beyond the balance fails
  even if two are recorded at once;
* ledger entries are append-only; a correction is a reversal (``reverses``), at most one per entry;
* a list is never approved by the person who drew it (``relieflist_second_person``);
* one payment per person and round (``payment_once_per_round``), and a mobile-money transaction id
  is used once in an organization (``payment_unique_transaction``).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from doorstep.core.models import OwnedModel

MONEY = {"max_digits": 18, "decimal_places": 2}


class Fund(OwnedModel):
    """An appeal or fund. The totals are kept by the ledger (``services.record_entry``) in the row,
    under the database's check that the balance stays at or above zero."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"))
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    received = models.DecimalField(default=0, **MONEY)
    allocated = models.DecimalField(default=0, **MONEY)
    paid_out = models.DecimalField(default=0, **MONEY)
    returned = models.DecimalField(default=0, **MONEY)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(received__gte=F("paid_out") + F("returned")), name="fund_balance_never_negative"
            ),
            models.CheckConstraint(
                condition=Q(received__gte=0, allocated__gte=0, paid_out__gte=0, returned__gte=0),
                name="fund_totals_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def balance(self):
        """received − paid out − returned, in the fund's currency."""
        return self.received - self.paid_out - self.returned


class SourceKind(models.TextChoices):
    COMPANY = "company", _("A company's contribution")
    DONOR = "donor", _("A donor or foundation")
    NETWORK = "network", _("A network")
    GOVERNMENT = "government", _("A government")
    MEMBERS = "members", _("Members' own collection")
    OTHER = "other", _("Other")


class FundSource(OwnedModel):
    """Where money comes from. A company's contribution names the company and, where one exists, the
    commitment it made to this organization (``supplychains.Commitment``)."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="sources")
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices)
    name = models.CharField(_("name"), max_length=200)
    company = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    commitment = models.ForeignKey(
        "supplychains.Commitment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pledged = models.DecimalField(_("pledged"), null=True, blank=True, **MONEY)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="company", company__isnull=False)
                | (~Q(kind="company") & Q(company__isnull=True)),
                name="fundsource_company_for_company_only",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EntryKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    ALLOCATED = "allocated", _("Allocated")
    PAID_OUT = "paid_out", _("Paid out")
    RETURNED = "returned", _("Returned")


class LedgerEntry(OwnedModel):
    """One movement of a fund. Append-only: a correction is a reversal with the amount negated
    (``reverses``, ``reversal_reason``); a payout is written with its payment."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=10, choices=EntryKind.choices)
    amount = models.DecimalField(**MONEY)
    on = models.DateField()
    source = models.ForeignKey(
        FundSource, null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    note = models.CharField(max_length=300, blank=True)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversal"
    )
    reversal_reason = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "pk"]
        indexes = [models.Index(fields=["organization", "fund"], name="ledgerentry_org_fund_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount__gt=0) | Q(reverses__isnull=False, amount__lt=0),
                name="ledgerentry_sign",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


class ListStatus(models.TextChoices):
    DRAFT = "draft", _("To review")
    APPROVED = "approved", _("Approved")


class ReliefList(OwnedModel):
    """Members drawn from declared criteria (``rules``, see ``eligibility``), reviewed and approved by
    someone other than the person who drew it. ``network``: the list takes part, for the members who
    consented to network sharing, in the network's duplicate check."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="lists")
    name = models.CharField(_("name"), max_length=200)
    rules = models.JSONField(default=list)
    amount = models.DecimalField(_("amount for each person"), **MONEY)
    status = models.CharField(max_length=10, choices=ListStatus.choices, default=ListStatus.DRAFT)
    network = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    drawn_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-drawn_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("drawn_by")),
                name="relieflist_second_person",
            ),
            models.CheckConstraint(
                condition=Q(status="draft", approved_at__isnull=True)
                | Q(status="approved", approved_at__isnull=False),
                name="relieflist_approved_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ListEntry(OwnedModel):
    """A member on a list, with what the duplicate checks found (flags, never another's data)."""

    relief_list = models.ForeignKey(ReliefList, on_delete=models.PROTECT, related_name="entries")
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+")
    same_number_here = models.BooleanField(default=False)  # another member here has her phone or ID
    on_another_list = models.BooleanField(default=False)  # on another list of the same fund
    in_network = models.BooleanField(default=False)  # her phone or ID is on another organization's list

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "relief_list", "member"], name="listentry_once")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} on {self.relief_list_id}"

    @property
    def flagged(self) -> bool:
        return self.same_number_here or self.on_another_list or self.in_network


class NetworkDigest(OwnedModel):
    """A phone or ID number of a member on a list, as a digest keyed by the network's key (so the
    network's organizations can find the same number on two lists, and nothing else). Written only
    for members who consented to network sharing, on a list shared with that network."""

    network = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    entry = models.ForeignKey(ListEntry, on_delete=models.CASCADE, related_name="network_digests")
    digest = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["network", "digest"], name="networkdigest_lookup_idx")]

    def __str__(self) -> str:
        return f"digest of entry {self.entry_id}"


class Method(models.TextChoices):
    CASH = "cash", _("Cash")
    MOBILE_MONEY = "mobile_money", _("Mobile money")
    IN_KIND = "in_kind", _("In kind")


class Round(OwnedModel):
    """One distribution to an approved list: how, how much each, from when."""

    relief_list = models.ForeignKey(ReliefList, on_delete=models.PROTECT, related_name="rounds")
    name = models.CharField(_("name"), max_length=200)
    method = models.CharField(_("how"), max_length=20, choices=Method.choices)
    amount = models.DecimalField(_("amount for each person"), **MONEY)
    in_kind = models.CharField(_("what is given (in kind)"), max_length=200, blank=True)
    opens_on = models.DateField(_("from"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-pk"]

    def __str__(self) -> str:
        return self.name


class Evidence(models.TextChoices):
    CARD = "card", _("Her card's QR code")
    CODE = "code", _("A one-time code")
    TRANSACTION = "transaction", _("A mobile-money transaction id")


class HandoverCode(OwnedModel):
    """A one-time code given to her for a round; kept only as a keyed digest."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="codes")
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "round", "member"], name="handovercode_one_each")
        ]

    def __str__(self) -> str:
        return f"code of {self.member_id} in {self.round_id}"


class Payment(OwnedModel):
    """What she received in a round, with how the handover was proved. A transaction id is sealed with
    her key and kept as a blind index for the statement's reconciliation."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="payments")
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+")
    amount = models.DecimalField(**MONEY)
    paid_on = models.DateField()
    evidence = models.CharField(max_length=20, choices=Evidence.choices)
    sealed = models.BinaryField(null=True, blank=True)  # {"transaction_id": …} sealed with her key
    transaction_digest = models.CharField(max_length=64, blank=True)
    entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="payment")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "round", "member"], name="payment_once_per_round"
            ),
            models.UniqueConstraint(
                fields=["organization", "transaction_digest"],
                condition=~Q(transaction_digest=""),
                name="payment_unique_transaction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} to {self.member_id} in {self.round_id}"


class StatementLine(OwnedModel):
    """A line of an imported bank or mobile-money statement and the payment it was matched to (or
    none: an unmatched line, listed for a person to look at). Numbers only as digests."""

    import_job = models.ForeignKey("core.Import", on_delete=models.PROTECT, related_name="+")
    row = models.PositiveIntegerField()
    amount = models.DecimalField(**MONEY)
    on = models.DateField(null=True, blank=True)
    payment = models.OneToOneField(
        Payment, null=True, blank=True, on_delete=models.SET_NULL, related_name="line"
    )
    amount_differs = models.BooleanField(default=False)
    # The line's transaction id (else phone) as a blind index: an unmatched line imported again is
    # recognised and skipped.
    reference = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["row"]
        indexes = [models.Index(fields=["organization", "import_job"], name="statementline_import_idx")]

    def __str__(self) -> str:
        return f"row {self.row}"
