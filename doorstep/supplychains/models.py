"""Parties: the people and firms an organization's members work for, from the intermediary at her
door to the brand whose label goes on the piece. The supply-chain issue links them into chains and
matches them against supplier lists; a work order names the party that gave the work.

A party can be a person (an agent in her lane). Whatever could reach that person — phone numbers,
e-mail, address, a contact name, notes — is sealed in ``contact`` under the party's own data key
(``core.vault``), like a member's personal data; the name, kind and place stay readable so that
orders can be counted by party.
"""

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
    # Known identifiers, e.g. [{"scheme": "os_id", "value": "IN2019…"}, {"scheme": "gst", "value": "…"}].
    identifiers = models.JSONField(default=list, blank=True)
    subject_key = models.OneToOneField(SubjectKey, on_delete=models.PROTECT, related_name="+")
    contact = models.BinaryField()
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name", "kind", "locality"], name="party_unique_name_kind_place"
            )
        ]
        indexes = [models.Index(fields=["organization", "kind"], name="party_org_kind_idx")]

    def __str__(self) -> str:
        return self.name


CONTACT_FIELDS = ("contact_name", "phones", "email", "address", "notes")
