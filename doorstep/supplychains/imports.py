"""The supplier-list import (Open Supply Hub upload shape: name, address, country, sector, and an OS ID
if the list has one), through the shared ``core.imports`` machinery: column matching, a row-level
report of broken rows, valid rows imported in batches. Each batch is matched to the organization's
parties (``matching``): a sure match is linked at once, a doubtful one waits for a person, the rest
become new work givers."""

import re

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ftfy import fix_encoding

from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.imports import Column
from doorstep.core.inputs import country_code

from . import services
from .models import SupplierList

C = Column
COLUMNS = [
    C(
        "name",
        gettext_lazy("Name"),
        (
            "facility name",
            "supplier name",
            "factory name",
            "supplier",
            "factory",
            "facility",
            "nom",
            "nombre",
        ),
        required=True,
    ),
    C("address", gettext_lazy("Address"), ("facility address", "adresse", "dirección", "direccion")),
    C(
        "country",
        gettext_lazy("Country"),
        ("country name", "country code", "pays", "país", "pais"),
        required=True,
    ),
    C("sector", gettext_lazy("Sector"), ("sectors", "product type", "secteur", "sector")),
    C(
        "os_id",
        gettext_lazy("Open Supply Hub ID"),
        ("os id", "osid", "os_id", "oar id", "open supply hub id"),
    ),
]
_OS_ID = re.compile(r"^[A-Z]{2}[0-9]{7}[A-Z0-9]{6}$")


class SupplierListImport:
    name = "supplier_list"
    label = gettext_lazy("a supplier list")
    columns = COLUMNS
    batch_size = 5000

    def new_state(self, organization, options: dict):
        return None

    def check_row(self, organization, values: dict[str, str], row: int, state) -> dict:
        # Lists saved by one program and opened by another often carry mojibake ("N¬∫" for "Nº").
        values = {key: fix_encoding(str(value or "")) for key, value in values.items()}
        errors: list[FieldError] = []
        name = " ".join(str(values.get("name") or "").split())
        if not name:
            errors.append(FieldError("name", _("Give the facility's name.")))
        elif len(name) > 200:
            errors.append(FieldError("name", _("Keep the name under 200 characters.")))
        raw_country = str(values.get("country") or "").strip()
        country = country_code(raw_country)
        if not raw_country:
            errors.append(FieldError("country", _("Give the country.")))
        elif not country:
            errors.append(
                FieldError(
                    "country",
                    _("“%(value)s” is not a country we know: write its name in English or its code, e.g. IN.")
                    % {"value": raw_country[:60]},
                )
            )
        address = " ".join(str(values.get("address") or "").split())
        if len(address) > 500:
            errors.append(FieldError("address", _("Keep the address under 500 characters.")))
        os_id = str(values.get("os_id") or "").strip().upper()
        if os_id and not _OS_ID.match(os_id):
            errors.append(
                FieldError(
                    "os_id", _("An Open Supply Hub ID looks like CN2019303BQ3FZP (15 letters and digits).")
                )
            )
        if errors:
            raise ValidationError(message=_("This facility is not valid."), errors=errors)
        return {
            "name": name,
            "address": address,
            "country": country,
            "sector": " ".join(str(values.get("sector") or "").split())[:100],
            "os_id": os_id,
        }

    def write_batch(self, organization, rows, *, actor, job) -> list[int]:
        return services.match_supplier_rows(organization, rows, actor=actor, job=job)

    def after_import(self, organization, job, *, actor) -> None:
        return None

    def done_links(self, organization, job) -> list[tuple[str, str]]:
        found = SupplierList.objects.filter(organization=organization, import_job=job).first()
        if found is None:
            return []
        return [(reverse("supplier_list", args=[organization.slug, found.pk]), _("See the matches"))]

    def back_url(self, organization, job) -> str:
        return reverse("supplier_lists", args=[organization.slug])


supplier_list_import = SupplierListImport()
