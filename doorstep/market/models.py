"""Markets for what members make: the organization's products (their price built up from the fair
piece rate, their photos stripped of every piece of metadata), the public catalogue and the inquiries
it brings, trading partners with their contacts sealed, sales orders shared among the members who make
them (as work orders of the ``work`` app, so that each producer sees hers in her passbook), and a
network's sourced trade information per destination country.

Nothing public names a member: a product names the *groups* that make it, never a person; the split
of an order among producers is seen only inside the organization.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from doorstep.core.models import OwnedModel, SubjectKey
from doorstep.core.sectors import Sector

MONEY = {"max_digits": 18, "decimal_places": 4}
QUANTITY = {"max_digits": 12, "decimal_places": 3}


class Product(OwnedModel):
    """A product the organization sells. ``name`` and ``story`` are in the organization's first
    language; ``translations`` holds the others as ``{"sw": {"name": "…", "story": "…"}}``.

    The price is built up (``services.price_build``): the producers' fair share is the fair piece rate
    by standard minutes (``work.rates.standard_minutes``: minutes ÷ 60 × hourly wage), the hourly wage
    being ``hourly_wage`` when set and otherwise the statutory minimum wage that applies; then
    materials, then the organization's margin. ``price`` is what the buyer pays; below the producers'
    fair share plus materials it is kept only with ``below_fair_reason``."""

    name = models.CharField(_("name"), max_length=200)
    story = models.TextField(_("story"), blank=True, max_length=5000)
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    materials = models.CharField(_("materials"), max_length=500, blank=True)
    sizes = models.CharField(_("sizes"), max_length=300, blank=True)
    standard_minutes = models.DecimalField(_("standard minutes a piece"), max_digits=10, decimal_places=2)
    hourly_wage = models.DecimalField(_("hourly wage for the producers"), null=True, blank=True, **MONEY)
    materials_cost = models.DecimalField(_("materials a piece"), default=0, **MONEY)
    margin_percent = models.DecimalField(_("margin (%)"), default=0, max_digits=6, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    price = models.DecimalField(_("price a piece"), **MONEY)
    below_fair_reason = models.CharField(max_length=500, blank=True)
    minimum_order = models.PositiveIntegerField(_("minimum order"), default=1)
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"), default=14)
    producer_groups = models.ManyToManyField(
        "members.MemberGroup", blank=True, related_name="+", verbose_name=_("producer groups")
    )
    published = models.BooleanField(_("in the public catalogue"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["organization", "published"], name="product_org_published_idx")]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="product_unique_name"),
            models.CheckConstraint(condition=Q(price__gt=0), name="product_price_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def text_in(self, language: str) -> tuple[str, str]:
        """(name, story) in ``language`` where a translation exists, else the first language's."""
        found = (self.translations or {}).get(language) or {}
        return found.get("name") or self.name, found.get("story") or self.story


class Photo(OwnedModel):
    """A product's photo, as re-encoded by Pillow (JPEG, no metadata at all): the phone-sized image
    and a thumbnail. The uploaded bytes are never kept."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    large = models.BinaryField()
    thumb = models.BinaryField()
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]


class InquiryStatus(models.TextChoices):
    NEW = "new", _("New")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class Inquiry(OwnedModel):
    """A buyer's question sent through the public catalogue, with no account. Who sent it and what
    they wrote is sealed (``contact``: name, e-mail, phone, message)."""

    product = models.ForeignKey(Product, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    quantity = models.PositiveIntegerField(null=True, blank=True)
    country = CountryField(blank=True)
    subject_key = models.OneToOneField(SubjectKey, on_delete=models.PROTECT, related_name="+")
    contact = models.BinaryField()
    status = models.CharField(max_length=10, choices=InquiryStatus.choices, default=InquiryStatus.NEW)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["organization", "status"], name="inquiry_org_status_idx")]


class PartnerKind(models.TextChoices):
    BUYER = "buyer", _("Buyer")
    SHOP = "shop", _("Shop")
    IMPORTER = "importer", _("Fair-trade importer")
    EXPORTER = "exporter", _("Exporter")


class TradingPartner(OwnedModel):
    """Someone the organization sells to or through. Name, kind and country are readable; the
    contact person, phones, e-mail and address are sealed in ``contact`` (``core.vault``)."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=PartnerKind.choices)
    country = CountryField(_("country"), blank=True)
    subject_key = models.OneToOneField(SubjectKey, on_delete=models.PROTECT, related_name="+")
    contact = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name", "kind"], name="partner_unique_name_kind")
        ]

    def __str__(self) -> str:
        return self.name


class SalesStatus(models.TextChoices):
    QUOTE = "quote", _("Quote")
    ACCEPTED = "accepted", _("Accepted: shared among producers")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


class SalesOrder(OwnedModel):
    partner = models.ForeignKey(TradingPartner, on_delete=models.PROTECT, related_name="orders")
    ordered_on = models.DateField(_("ordered on"))
    due_on = models.DateField(_("to deliver by"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(max_length=10, choices=SalesStatus.choices, default=SalesStatus.QUOTE)
    reference = models.CharField(_("buyer's reference"), max_length=100, blank=True)
    delivered_on = models.DateField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-ordered_on", "-pk"]
        indexes = [models.Index(fields=["organization", "ordered_on"], name="salesorder_org_date_idx")]


class SalesLine(OwnedModel):
    order = models.ForeignKey(SalesOrder, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(**MONEY)
    piece_rate = models.DecimalField(**MONEY)  # agreed with the producers when the line was added

    class Meta:
        ordering = ["pk"]


class Share(OwnedModel):
    """One producer's part of an order line; accepting the order turns it into her work order."""

    line = models.ForeignKey(SalesLine, on_delete=models.CASCADE, related_name="shares")
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField()
    work_order = models.OneToOneField(
        "work.WorkOrder", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["line", "member"], name="share_one_per_member")]


class SalePayment(OwnedModel):
    """Money received from the buyer for an order (append-only)."""

    order = models.ForeignKey(SalesOrder, on_delete=models.CASCADE, related_name="payments")
    received_on = models.DateField()
    amount = models.DecimalField(**MONEY)
    note = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_on", "pk"]


class TradeTopic(models.TextChoices):
    PROCEDURE = "procedure", _("Export procedure")
    DOCUMENTS = "documents", _("Documents")
    TARIFFS = "tariffs", _("Tariffs and preferences")
    CERTIFICATION = "certification", _("Certification")
    FAIRS = "fairs", _("Fairs and trade events")


class TradeFact(OwnedModel):
    """A network's sourced fact about selling to a destination country (the legal tracker's
    pattern: each fact with its source and date, every version kept in ``TradeFactChange``). Its
    affiliates read it. ``verified`` is false for what the network has not checked against its source."""

    country = CountryField(_("destination country"))
    topic = models.CharField(_("topic"), max_length=20, choices=TradeTopic.choices)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("what to know"), max_length=4000)
    source = models.CharField(_("source"), max_length=1000)
    as_of = models.CharField(_("as of"), max_length=10, blank=True)
    verified = models.BooleanField(_("checked against the source"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country", "topic", "title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "country", "topic", "title"], name="tradefact_unique"
            )
        ]


class TradeFactChange(OwnedModel):
    fact = models.ForeignKey(TradeFact, on_delete=models.CASCADE, related_name="changes")
    text = models.TextField()
    source = models.CharField(max_length=1000)
    as_of = models.CharField(max_length=10, blank=True)
    verified = models.BooleanField(default=False)
    note = models.CharField(_("why"), max_length=500, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
