"""The member spreadsheet import: its columns (recognised by their names in English, French,
Spanish, Hindi and Swahili), the check of one row, and the writing of a batch. The machinery itself
(reading files, matching columns, jobs, progress, resuming) is ``core.imports``."""

import hashlib
import json
import threading
from collections import OrderedDict

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.imports import Column

from .models import Member, MemberIdentifier
from .services import duplicates, identifiers, registry, validation

C = Column
COLUMNS = [
    C(
        "full_name",
        gettext_lazy("Full name"),
        (
            "name",
            "member name",
            "nom",
            "nom complet",
            "nombre",
            "nombre completo",
            "nombre y apellido",
            "नाम",
            "पूरा नाम",
            "सदस्य का नाम",
            "jina",
            "jina kamili",
        ),
        required=True,
    ),
    C(
        "other_names",
        gettext_lazy("Other names"),
        ("alias", "also known as", "autres noms", "otros nombres", "उपनाम", "majina mengine"),
    ),
    C(
        "phones",
        gettext_lazy("Phone numbers"),
        (
            "phone",
            "phone number",
            "phone no",
            "mobile",
            "mobile number",
            "mobile no",
            "contact",
            "telephone",
            "tel",
            "téléphone",
            "numéro de téléphone",
            "teléfono",
            "celular",
            "móvil",
            "फ़ोन",
            "फोन",
            "मोबाइल",
            "मोबाइल नंबर",
            "फोन नंबर",
            "simu",
            "nambari ya simu",
            "namba ya simu",
        ),
    ),
    C(
        "national_id",
        gettext_lazy("National ID number"),
        (
            "national id",
            "id number",
            "id no",
            "id",
            "aadhaar",
            "aadhar",
            "aadhaar number",
            "cni",
            "carte d'identité",
            "dni",
            "cédula",
            "आधार",
            "आधार नंबर",
            "kitambulisho",
            "namba ya kitambulisho",
        ),
    ),
    C(
        "welfare_id",
        gettext_lazy("Welfare or social security number"),
        (
            "welfare id",
            "e-shram",
            "eshram",
            "e shram",
            "uan",
            "nhif",
            "nhif number",
            "social security",
            "sécurité sociale",
            "seguridad social",
            "ई-श्रम",
        ),
    ),
    C(
        "category",
        gettext_lazy("Category"),
        ("type", "worker type", "member type", "catégorie", "categoría", "श्रेणी", "aina"),
        required=True,
    ),
    C(
        "sectors",
        gettext_lazy("Sectors"),
        (
            "sector",
            "trade",
            "work",
            "occupation",
            "secteur",
            "secteurs",
            "sectores",
            "oficio",
            "क्षेत्र",
            "काम",
            "व्यवसाय",
            "sekta",
            "kazi",
        ),
    ),
    C("skills", gettext_lazy("Skills"), ("skill", "compétences", "habilidades", "कौशल", "hunar", "ujuzi")),
    C("gender", gettext_lazy("Gender"), ("sex", "genre", "sexe", "género", "sexo", "लिंग", "jinsia")),
    C(
        "birth_year",
        gettext_lazy("Year of birth"),
        (
            "birth year",
            "year born",
            "born",
            "yob",
            "année de naissance",
            "año de nacimiento",
            "जन्म वर्ष",
            "जन्म का वर्ष",
            "mwaka wa kuzaliwa",
        ),
    ),
    C("languages", gettext_lazy("Languages"), ("language", "langues", "idiomas", "भाषा", "lugha")),
    C(
        "literacy",
        gettext_lazy("Reading and writing"),
        ("literacy", "alphabétisation", "alfabetización", "साक्षरता", "kusoma"),
    ),
    C(
        "phone_type",
        gettext_lazy("Phone"),
        (
            "phone type",
            "type of phone",
            "type de téléphone",
            "tipo de teléfono",
            "फ़ोन का प्रकार",
            "aina ya simu",
        ),
    ),
    C(
        "household_size",
        gettext_lazy("People in her household"),
        (
            "household size",
            "family size",
            "household",
            "taille du foyer",
            "tamaño del hogar",
            "परिवार के सदस्य",
            "परिवार का आकार",
            "ukubwa wa kaya",
        ),
    ),
    C(
        "dependants",
        gettext_lazy("Dependants"),
        ("dependents", "personnes à charge", "dependientes", "आश्रित", "wategemezi"),
    ),
    C("country", gettext_lazy("Country"), ("pays", "país", "देश", "nchi")),
    C(
        "admin1",
        gettext_lazy("State or province"),
        (
            "state",
            "province",
            "region",
            "county",
            "état",
            "région",
            "estado",
            "provincia",
            "राज्य",
            "प्रदेश",
            "kaunti",
            "jimbo",
        ),
    ),
    C(
        "admin2",
        gettext_lazy("District"),
        (
            "sub county",
            "sub-county",
            "département",
            "distrito",
            "municipio",
            "ज़िला",
            "जिला",
            "wilaya",
            "kaunti ndogo",
        ),
    ),
    C(
        "locality",
        gettext_lazy("Village, town or neighbourhood"),
        (
            "village",
            "town",
            "locality",
            "area",
            "city",
            "neighbourhood",
            "neighborhood",
            "ward",
            "village town",
            "ville",
            "quartier",
            "pueblo",
            "ciudad",
            "barrio",
            "गाँव",
            "गांव",
            "शहर",
            "मोहल्ला",
            "kijiji",
            "mtaa",
            "mji",
        ),
    ),
    C("address", gettext_lazy("How to find her home"), ("address", "adresse", "dirección", "पता", "anwani")),
    C("latitude", gettext_lazy("GPS latitude"), ("lat", "latitude", "gps latitude", "latitud", "अक्षांश")),
    C(
        "longitude",
        gettext_lazy("GPS longitude"),
        ("lon", "lng", "long", "longitude", "gps longitude", "longitud", "देशांतर"),
    ),
    C(
        "group",
        gettext_lazy("Local group"),
        ("group", "shg", "self help group", "cluster", "groupe", "grupo", "समूह", "kikundi"),
    ),
    C(
        "joined_on",
        gettext_lazy("Date joined"),
        (
            "joined",
            "joining date",
            "date of joining",
            "member since",
            "membership date",
            "date d'adhésion",
            "fecha de afiliación",
            "सदस्यता तिथि",
            "tarehe ya kujiunga",
        ),
    ),
    C("status", gettext_lazy("Status"), ("membership status", "statut", "estado", "स्थिति", "hali")),
    C(
        "notes",
        gettext_lazy("Notes"),
        ("note", "remarks", "comments", "remarques", "notas", "टिप्पणी", "maelezo"),
    ),
]

# A service's field name -> the import column it came from.
_FIELD_TO_COLUMN = {"id_numbers": "national_id", "gps": "latitude"}


class MemberImport:
    name = "members"
    label = gettext_lazy("Members")
    columns = COLUMNS
    batch_size = 5000  # each batch is one transaction: one fsync per 5,000 members

    def new_state(self, organization, options: dict) -> dict:
        """Digests already in the organization (member number by digest), and those seen in the file."""
        existing = dict(
            MemberIdentifier.objects.filter(
                organization_id=organization.pk, member__merged_into__isnull=True
            ).values_list("digest", "member__number")
        )
        return {"existing": existing, "seen": {}}

    def check_row(self, organization, values: dict[str, str], row: int, state: dict):
        try:
            clean = _clean_once(organization, values)
        except ValidationError as problem:
            raise ValidationError(
                message=problem.message,
                errors=[
                    FieldError(_FIELD_TO_COLUMN.get(e.field, e.field), e.message) for e in problem.errors
                ],
            ) from None
        errors = []
        digests = [d for _kind, d in identifiers._digests(organization.pk, clean.pii)]
        for kind, digest in identifiers._digests(organization.pk, clean.pii):
            column = "phones" if kind == MemberIdentifier.Kind.PHONE else _FIELD_TO_COLUMN["id_numbers"]
            if digest in state["existing"]:
                errors.append(
                    FieldError(
                        column,
                        _("Member #%(number)d already has this number.")
                        % {"number": state["existing"][digest]},
                    )
                )
            elif state["seen"].get(digest, row) != row:
                errors.append(
                    FieldError(
                        column, _("The same number is on row %(row)d.") % {"row": state["seen"][digest]}
                    )
                )
        if errors:
            raise ValidationError(
                message=_("This looks like a member who is already registered."),
                code="duplicate",
                errors=errors,
            )
        for digest in digests:
            state["seen"].setdefault(digest, row)
        return clean

    def done_links(self, organization, job) -> list[tuple[str, str]]:
        return [
            (reverse("members", args=[organization.slug]), _("See the members")),
            (reverse("duplicates", args=[organization.slug]), _("Review possible duplicates")),
        ]

    def after_import(self, organization, job, *, actor) -> None:
        """Flag possible duplicates once, for every member this import wrote (also across a resume)."""
        new = Member.objects.filter(organization=organization, created_at__gte=job.created_at)
        duplicates.flag_possible_duplicates(organization.pk, list(new.values_list("pk", flat=True)))

    def write_batch(self, organization, rows, *, actor, job) -> list[int]:
        return registry.create_members_bulk(
            organization, [clean for _row, clean in rows], actor=actor, source=f"import {job.pk}"
        )


member_import = MemberImport()


# Rows that passed ``clean_member`` during the check, by a digest of what they were made from (the
# organization, its country, the day and the row's values): the import reads the file again at
# commit and finds each row's cleaned values here when the row reads exactly as it did, instead of
# cleaning it a second time (a third of an import's time). A row that reads otherwise, on another
# day or in another process is a new key and is cleaned again, so nothing is trusted that was not
# checked from these very values. The duplicate checks (``state``) still run at commit. Held in this
# process's memory only (as the rows are while being read), taken out when used; at most
# CHECKED_ROWS wait, the oldest dropped first.
CHECKED_ROWS = 200_000
_checked: OrderedDict[bytes, validation.CleanMember] = OrderedDict()
_checked_lock = threading.Lock()


def _clean_once(organization, values: dict[str, str]) -> validation.CleanMember:
    made_from = json.dumps(
        [organization.pk, organization.country.code or "", timezone.localdate().isoformat(), values],
        sort_keys=True,
        default=str,
    )
    key = hashlib.blake2b(made_from.encode(), digest_size=20).digest()
    with _checked_lock:
        clean = _checked.pop(key, None)
    if clean is not None:
        return clean
    clean = validation.clean_member(organization, values)
    with _checked_lock:
        _checked[key] = clean
        while len(_checked) > CHECKED_ROWS:
            _checked.popitem(last=False)
    return clean
