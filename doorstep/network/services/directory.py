"""Writes of the public directory: an organization's listing (audited)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from doorstep.core import audit, tenancy
from doorstep.core.errors import ValidationError
from doorstep.core.roles import ADMIN_ROLES
from doorstep.core.sectors import Sector
from doorstep.organizations.models import Organization

from ..models import Listing

LISTING_FIELDS = (
    "listed",
    "description",
    "area",
    "sectors",
    "declared_members",
    "email",
    "phone",
    "website",
    "postal_address",
)


def save_listing(organization: Organization, *, data: dict, actor) -> Listing:
    """Create or change the organization's directory entry (its admins, or a platform admin for an
    organization that has no users yet)."""
    if not actor.is_superuser:
        tenancy.require_role(actor, organization, ADMIN_ROLES)
    unknown = [code for code in data.get("sectors") or [] if code not in Sector.values]
    if unknown:
        raise ValidationError.for_field(
            "sectors", _("Unknown sector: %(codes)s.") % {"codes": ", ".join(map(str, unknown))}
        )
    if data.get("declared_members") is not None and data["declared_members"] < 0:
        raise ValidationError.for_field("declared_members", _("The number of members cannot be negative."))
    with transaction.atomic():
        listing = Listing.objects.select_for_update().filter(organization=organization).first()
        listing = listing or Listing(organization=organization)
        changed = []
        for name in LISTING_FIELDS:
            if name in data and getattr(listing, name) != data[name]:
                setattr(listing, name, data[name])
                changed.append(name)
        try:
            listing.full_clean(exclude=["organization"])
        except DjangoValidationError as error:
            raise ValidationError.from_django(error, _("The directory entry could not be saved.")) from None
        listing.save()
        audit.record(
            "directory.listing_saved",
            actor=actor,
            organization=organization,
            obj=listing,
            metadata={"fields": changed, "listed": listing.listed},
        )
    return listing
