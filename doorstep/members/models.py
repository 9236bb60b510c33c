"""The member registry. A member belongs to one organization (a woman in two organizations is two
records). Her personal data (names, phones, ID numbers, address, GPS point, notes) lives only in
``pii``, sealed under her own data key (``core.vault``); everything else here is non-identifying and
used for filters and statistics."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from doorstep.core.disclosure import new_record_key
from doorstep.core.models import OwnedModel, SubjectKey
from doorstep.core.sectors import Sector


class Category(models.TextChoices):
    HOMEWORKER = "homeworker", _("Sub-contracted homeworker")
    SELF_EMPLOYED = "self_employed", _("Self-employed home-based worker")
    BOTH = "both", _("Both")
    OTHER = "other", _("Other")


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    OTHER = "other", _("Another gender")
    UNDISCLOSED = "undisclosed", _("Prefers not to say")


class Literacy(models.TextChoices):
    NONE = "none", _("Cannot read or write")
    BASIC = "basic", _("Reads and writes a little")
    FUNCTIONAL = "functional", _("Reads and writes")


class PhoneType(models.TextChoices):
    SMARTPHONE = "smartphone", _("Smartphone")
    FEATURE_PHONE = "feature_phone", _("Basic phone")
    NONE = "none", _("No phone")


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")
    LAPSED = "lapsed", _("Lapsed")
    LEFT = "left", _("Left")
    DECEASED = "deceased", _("Deceased")


class Purpose(models.TextChoices):
    MEMBERSHIP = "membership", _("Membership records")
    CONTACT = "contact", _("Contact by SMS or phone")
    RESEARCH = "research", _("Research")
    NETWORK_SHARING = "network_sharing", _("Sharing aggregates with a network")
    COMPANY_STATISTICS = "company_statistics", _("Counted in a company's due-diligence statistics")
    COMPANY_CASE = "company_case", _("Sharing a case with a company")
    # Given for one company at a time (``ConsentEvent.company``): that company may know her name on a
    # case shared with it.
    COMPANY_IDENTITY = "company_identity", _("Being named to a company")


class ConsentMethod(models.TextChoices):
    PAPER = "paper", _("On paper")
    VERBAL = "verbal", _("Verbal")
    DIGITAL = "digital", _("Digital")
    SMS = "sms", _("By text message")


class MemberGroup(OwnedModel):
    """A local group or cluster of members, with its leader."""

    name = models.CharField(_("name"), max_length=120)
    leader = models.ForeignKey("Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="membergroup_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Member(OwnedModel):
    number = models.PositiveIntegerField(_("member number"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    literacy = models.CharField(_("literacy"), max_length=20, choices=Literacy.choices, blank=True)
    phone_type = models.CharField(_("phone"), max_length=20, choices=PhoneType.choices, blank=True)
    household_size = models.PositiveSmallIntegerField(_("household size"), null=True, blank=True)
    dependants = models.PositiveSmallIntegerField(_("dependants"), null=True, blank=True)
    country = CountryField(_("country"))
    admin1 = models.CharField(_("state or province"), max_length=100, blank=True)
    admin2 = models.CharField(_("district"), max_length=100, blank=True)
    locality = models.CharField(_("village, town or neighbourhood"), max_length=120, blank=True)
    group = models.ForeignKey(
        MemberGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    joined_on = models.DateField(_("date joined"))
    # Random and stored, derived from nothing: the cell-key noise of figures outside the
    # organization (``core.disclosure``) sums the record keys of a cell's workers.
    record_key = models.PositiveIntegerField(_("record key"), default=new_record_key, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    subject_key = models.OneToOneField(SubjectKey, on_delete=models.PROTECT, related_name="+")
    pii = models.BinaryField()
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="member"
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="member_unique_number")
        ]
        indexes = [
            models.Index(fields=["organization", "status"], name="member_org_status_idx"),
            models.Index(fields=["organization", "updated_at"], name="member_org_updated_idx"),
            # Lists and the API page through an organization's members in id order.
            models.Index(fields=["organization", "id"], name="member_org_id_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.number}"

    @property
    def sector_labels(self) -> list[str]:
        return [str(Sector(code).label) if code in Sector.values else code for code in self.sectors]


# Her attributes that are not personal data, as exchanged (API, export, import).
MEMBER_ATTRIBUTES = (
    "category",
    "sectors",
    "skills",
    "gender",
    "birth_year",
    "languages",
    "literacy",
    "phone_type",
    "household_size",
    "dependants",
    "admin1",
    "admin2",
    "locality",
    "joined_on",
    "status",
)


class MemberIdentifier(OwnedModel):
    """A blind index of one of her phone numbers or ID numbers, for exact lookup and duplicates."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("Phone number")
        ID = "id", _("ID number")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    digest = models.CharField(max_length=64)

    class Meta:
        indexes = [
            models.Index(fields=["organization", "kind", "digest"], name="memberidentifier_lookup_idx")
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.member_id}"


class StatusChange(OwnedModel):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="status_history")
    status = models.CharField(max_length=20, choices=Status.choices)
    changed_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_on", "recorded_at"]

    def __str__(self) -> str:
        return f"{self.status} on {self.changed_on}"


class DuesPayment(OwnedModel):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="dues")
    period = models.CharField(_("period"), max_length=20, help_text=_("For example 2026 or 2026-03."))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    paid_on = models.DateField(_("paid on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-paid_on", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} for {self.period}"


class ConsentEvent(OwnedModel):
    """Consent given or withdrawn for one purpose, from a date; the history is kept, never edited.
    Being named to a company is a purpose per company: ``company`` says which (and only for it)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    company = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("company"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    given = models.BooleanField(_("given"))
    effective_on = models.DateField(_("from"))
    method = models.CharField(_("how"), max_length=20, choices=ConsentMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_on", "recorded_at", "pk"]
        indexes = [
            models.Index(fields=["organization", "purpose", "effective_on"], name="consent_lookup_idx"),
            # Consents recorded since the analytics engine's last refresh (members.queries.
            # consent_changed_since), asked by every shared table.
            models.Index(fields=["organization", "recorded_at"], name="consent_recorded_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(purpose=Purpose.COMPANY_IDENTITY, company__isnull=False)
                | (~models.Q(purpose=Purpose.COMPANY_IDENTITY) & models.Q(company__isnull=True)),
                name="consent_company_for_identity_only",
            )
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {'given' if self.given else 'withdrawn'} on {self.effective_on}"


class DuplicateCandidate(OwnedModel):
    """Two records that may be the same woman: a similar name in the same locality.

    (The same phone or ID number is a certain duplicate and is refused at entry and import.)
    """

    class Status(models.TextChoices):
        OPEN = "open", _("To review")
        MERGED = "merged", _("Merged")
        DISMISSED = "dismissed", _("Not the same person")

    first = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "first", "second"], name="duplicate_unique_pair"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="duplicate_ordered_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id} ({self.score})"


class ProfileChange(OwnedModel):
    """A change she asked for on her own profile that staff check before it takes effect (a phone
    number: applied at once it would tell her whether another member has it). ``sealed`` holds the
    requested values, sealed with her key; one open change per member (a new one replaces it)."""

    class Status(models.TextChoices):
        OPEN = "open", _("To review")
        APPLIED = "applied", _("Applied")
        DISMISSED = "dismissed", _("Dismissed")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="profile_changes")
    sealed = models.BinaryField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "member"],
                condition=models.Q(status="open"),
                name="profilechange_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"change of {self.member_id} ({self.status})"
