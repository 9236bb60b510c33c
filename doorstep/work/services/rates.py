"""Fair rates an organization keeps: a result of the calculator (``work.rates``) saved for a product
and, optionally, a work giver; and a saved rate deleted."""

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from doorstep.core import audit, tenancy
from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.inputs import choice as _choice
from doorstep.core.roles import STAFF_ROLES
from doorstep.core.sectors import Sector
from doorstep.organizations.models import Organization

from ..models import SavedRate, Unit
from .validation import _party


def save_rate(
    organization: Organization,
    *,
    result,
    product: str,
    party=None,
    sector: str = "",
    unit: str = "piece",
    actor,
) -> SavedRate:
    """Keep a calculator result (``rates.FairRate``) for a product and, optionally, a work giver."""
    tenancy.require_role(actor, organization, STAFF_ROLES)
    errors: list[FieldError] = []
    product = " ".join(str(product or "").split())[:200]
    if not product:
        errors.append(FieldError("product", _("Say which product or task the rate is for.")))
    party_row = _party(organization, party, "party", errors, required=False)
    language = translation.get_language() or "en"
    sector = _choice(sector, "sector", Sector, errors, language=language) or ""
    unit = _choice(unit or Unit.PIECE, "unit", Unit, errors, language=language)
    if errors:
        raise ValidationError(message=_("The rate is not saved."), errors=errors)
    with transaction.atomic():
        saved = SavedRate.objects.create(
            organization=organization,
            product=product,
            party=party_row,
            sector=sector,
            unit=unit,
            method=result.method,
            fair_rate=result.fair_rate,
            currency=result.currency,
            explanation=result.explanation,
            inputs=result.inputs,
            saved_by=actor,
        )
        audit.record("fair_rate.saved", actor=actor, organization=organization, obj=saved)
    return saved


def delete_rate(saved: SavedRate, *, actor) -> None:
    tenancy.require_role(actor, saved.organization_id, STAFF_ROLES)
    with transaction.atomic():
        audit.record("fair_rate.deleted", actor=actor, organization=saved.organization_id, obj=saved)
        saved.delete()
