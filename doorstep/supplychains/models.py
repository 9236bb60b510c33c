"""Parties: the people and firms an organization's members work for, from the intermediary at her
door to the brand whose label goes on the piece; the links that make them into chains; due
diligence (the organization's narrative to a company, step by step, and the company's commitments);
and supplier lists matched against the parties. A work order names the party that gave the work.

A party can be a person (an agent in her lane). Whatever could reach that person — phone numbers,
e-mail, address, a contact name, notes — is sealed in ``contact`` under the party's own data key
(``core.vault``), like a member's personal data; the name, kind and place stay readable so that
orders can be counted by party."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from doorstep.core.models import OwnedModel, SubjectKey


class PartyKind(models.TextChoices):
    INTERMEDIARY = "intermediary", _("Intermediary or agent")
    CONTRACTOR = "contractor", _("Contractor")
    SUPPLIER = "supplier", _("Supplier or factory")
    BRAND = "brand", _("Brand")
    BUYER = "buyer", _("Buyer or trader")


class Party(OwnedModel):
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=PartyKind.choices)
    is_person = models.BooleanField(default=False)
    country = CountryField(blank=True)
    locality = models.CharField(max_length=120, blank=True)
    # A firm's site address and sector as public lists give them (a person's address is sealed in
    # ``contact``, never here).
    site_address = models.CharField(max_length=500, blank=True)
    sector = models.CharField(max_length=100, blank=True)
    # Known identifiers, e.g. [{"scheme": "os_id", "value": "IN2019…"}, {"scheme": "gst", "value": "…"}].
    identifiers = models.JSONField(default=list, blank=True)
    # The company on Doorstep this party is (a brand or buyer with its own account), so that its
    # due-diligence view finds its chain here. Set by the organization, never by the company.
    company = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind": "company"},
    )
    subject_key = models.OneToOneField(SubjectKey, on_delete=models.PROTECT, related_name="+")
    contact = models.BinaryField()
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name", "kind", "country", "locality"],
                name="party_unique_name_kind_place",
            )
        ]
        indexes = [models.Index(fields=["organization", "kind"], name="party_org_kind_idx")]

    def __str__(self) -> str:
        return self.name


CONTACT_FIELDS = ("contact_name", "phones", "email", "address", "notes")


class Confidence(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    LIKELY = "likely", _("Likely")
    ALLEGED = "alleged", _("Alleged")


class EvidenceKind(models.TextChoices):
    DOCUMENT = "document", _("A document (invoice, contract, delivery note)")
    LABEL = "label", _("A label or tag seen on the goods")
    ORDER_PHOTO = "order_photo", _("A photo of an order or goods")
    WORK_ORDERS = "work_orders", _("Work orders recorded here")
    TESTIMONY = "testimony", _("What workers or intermediaries said")
    PUBLIC = "public", _("A public source (supplier list, report)")


class PartyLink(OwnedModel):
    """One step of a supply chain: ``buyer`` buys from (or gives work to) ``seller``, with how sure
    the organization is and on what evidence, for a span of dates."""

    buyer = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="sells_to_me")
    seller = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="buys_from_me")
    confidence = models.CharField(max_length=10, choices=Confidence.choices, default=Confidence.LIKELY)
    evidence = models.CharField(max_length=20, choices=EvidenceKind.choices)
    note = models.TextField(blank=True)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        "organizations.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["buyer__name", "seller__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["buyer", "seller"], name="partylink_unique_pair"),
            models.CheckConstraint(condition=~models.Q(buyer=models.F("seller")), name="partylink_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.buyer} → {self.seller}"


# Due diligence: what a company sees of its chain, and what it commits to ------------------------------


class DiligenceStep(models.TextChoices):
    """The steps of the OECD Due Diligence Guidance for Responsible Supply Chains in the Garment and
    Footwear Sector that a homeworkers' organization speaks to (codes stable, labels translatable)."""

    IDENTIFY = "identify", _("Identify and assess harm")
    PREVENT = "prevent", _("Prevent and mitigate")
    TRACK = "track", _("Track")
    COMMUNICATE = "communicate", _("Communicate")
    REMEDIATE = "remediate", _("Remediate")


class DossierNarrative(OwnedModel):
    """The organization's own words to a company for one step of due diligence, shown in the
    company's dossier beside the suppressed figures while a sharing agreement with it is live."""

    company = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE, related_name="+")
    step = models.CharField(max_length=20, choices=DiligenceStep.choices)
    text = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        "organizations.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "company", "step"], name="narrative_unique_step")
        ]


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class Commitment(OwnedModel):
    """What a company commits to, made to one organization (the owner of this row, which tracks it):
    an action, who at the company answers for it, and by when."""

    company = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    step = models.CharField(max_length=20, choices=DiligenceStep.choices, default=DiligenceStep.PREVENT)
    action = models.TextField()
    owner = models.CharField(max_length=200)
    deadline = models.DateField()
    status = models.CharField(max_length=20, choices=CommitmentStatus.choices, default=CommitmentStatus.OPEN)
    note = models.TextField(blank=True)  # the organization's tracking note
    created_by = models.ForeignKey(
        "organizations.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        "organizations.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["company", "organization"], name="commitment_company_idx")]

    def __str__(self) -> str:
        return self.action[:60]

    def is_overdue(self, today) -> bool:
        return self.status in (CommitmentStatus.OPEN, CommitmentStatus.IN_PROGRESS) and self.deadline < today


# Supplier lists: a brand's published list (Open Supply Hub shape) matched to the parties known here ----


class SupplierList(OwnedModel):
    name = models.CharField(max_length=200)
    import_job = models.OneToOneField(
        "core.Import", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        "organizations.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class MatchOutcome(models.TextChoices):
    LINKED = "linked", _("Matched at once")
    REVIEW = "review", _("Waiting for a person")
    CONFIRMED = "confirmed", _("Matched by a person")
    CREATED = "created", _("Added as a new work giver")


class SupplierListRow(OwnedModel):
    """One facility of a supplier list: as written in the list, the party it was matched to (or the
    best candidate, while a person has still to decide), with the score."""

    supplier_list = models.ForeignKey(SupplierList, on_delete=models.CASCADE, related_name="rows")
    row = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=500, blank=True)
    country = CountryField()
    sector = models.CharField(max_length=100, blank=True)
    os_id = models.CharField(max_length=40, blank=True)
    candidate = models.ForeignKey(Party, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    score = models.FloatField(default=0)
    outcome = models.CharField(max_length=20, choices=MatchOutcome.choices)
    party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.SET_NULL, related_name="supplier_list_rows"
    )
    decided_by = models.ForeignKey(
        "organizations.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["supplier_list", "row"]
        constraints = [models.UniqueConstraint(fields=["supplier_list", "row"], name="supplier_row_unique")]
        indexes = [models.Index(fields=["supplier_list", "outcome"], name="supplier_row_outcome_idx")]
