"""``clean_member()`` is the one validator of member input: the pages, the API and the spreadsheet
import all pass their raw values through it and get back either clean values or a
``ValidationError`` naming every field at fault. Messages never repeat the value (it may be
personal data); they say what is wrong and where. Phones are normalized to E.164, ID numbers to
letters and digits."""

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import phonenumbers
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries

from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.inputs import choice as _choice
from doorstep.core.inputs import date_value as _date
from doorstep.core.sectors import Sector
from doorstep.organizations.models import Organization

from ..models import Category, Gender, Literacy, PhoneType, Status

_SPLIT = re.compile(r"[,;\n]+")


@dataclass
class CleanMember:
    """Validated member input: ``fields`` for the row, ``pii`` for the sealed blob; only the keys
    that were given (for a partial update)."""

    fields: dict[str, Any] = field(default_factory=dict)
    pii: dict[str, Any] = field(default_factory=dict)
    group_name: str | None = None


def _as_list(value) -> list:
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        return [v for v in value if v not in (None, "")]
    return [part.strip() for part in _SPLIT.split(str(value)) if part.strip()]


def _as_int(value, name: str, errors: list, *, low: int, high: int, message) -> int | None:
    """A whole number in [low, high]; ``message()`` (called only when needed) says what is wrong."""
    if value in (None, ""):
        return None
    try:
        as_float = float(str(value).strip())  # spreadsheets give 1990 as 1990.0
        if not as_float.is_integer():
            raise ValueError
        number = int(as_float)
    except (TypeError, ValueError, OverflowError):
        errors.append(FieldError(name, _("Give a whole number.")))
        return None
    if not low <= number <= high:
        errors.append(FieldError(name, message()))
        return None
    return number


@functools.cache
def _country_codes() -> frozenset[str]:
    return frozenset(code for code, _name in countries)


@functools.lru_cache(maxsize=65_536)
def normalize_phone(raw: str, region: str) -> str | None:
    """E.164 for a valid phone number (national numbers read in ``region``), else None. Parsing is
    most of what checking a member costs: each distinct (number, region) is parsed once."""
    try:
        number = phonenumbers.parse(str(raw), region or None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_id_number(raw: str) -> str:
    return re.sub(r"[\s\-./]", "", str(raw)).upper()


def clean_member(organization: Organization, raw: Mapping[str, Any], *, partial: bool = False) -> CleanMember:
    """Validate raw member input (strings from a form or a spreadsheet, or JSON values)."""
    errors: list[FieldError] = []
    clean = CleanMember()
    choice = functools.partial(_choice, language=translation.get_language() or "en")
    given = set(raw) if partial else None

    def wanted(*names: str) -> bool:
        return given is None or any(name in given for name in names)

    # Personal data
    if wanted("full_name"):
        full_name = str(raw.get("full_name") or "").strip()
        if not full_name:
            errors.append(FieldError("full_name", _("Give her full name.")))
        elif len(full_name) > 200:
            errors.append(FieldError("full_name", _("Keep the name under 200 characters.")))
        clean.pii["full_name"] = full_name
    if wanted("other_names"):
        clean.pii["other_names"] = str(raw.get("other_names") or "").strip()
    country = str(raw.get("country") or "").strip().upper() or (organization.country.code or "")
    if wanted("country"):
        if country not in _country_codes():
            errors.append(FieldError("country", _("Give a country as its two-letter code, e.g. IN or KE.")))
        else:
            clean.fields["country"] = country
    if wanted("phones"):
        phones = []
        for position, value in enumerate(_as_list(raw.get("phones")), start=1):
            normalized = normalize_phone(value, country)
            if normalized is None:
                errors.append(
                    FieldError(
                        "phones",
                        _("Phone number %(position)d is not a valid number for %(country)s.")
                        % {"position": position, "country": country or "?"},
                    )
                )
            elif normalized not in phones:
                phones.append(normalized)
        clean.pii["phones"] = phones
    if wanted("id_numbers", "national_id", "welfare_id"):
        id_numbers = []
        for item in raw.get("id_numbers") or []:
            kind = str(item.get("kind") or "id").strip().lower() if isinstance(item, Mapping) else "id"
            number = normalize_id_number(item.get("number") if isinstance(item, Mapping) else item)
            if number:
                id_numbers.append({"kind": kind, "number": number})
        for kind in ("national_id", "welfare_id"):
            if raw.get(kind):
                id_numbers.append({"kind": kind, "number": normalize_id_number(raw[kind])})
        clean.pii["id_numbers"] = id_numbers
    if wanted("address"):
        clean.pii["address"] = str(raw.get("address") or "").strip()
    if wanted("notes"):
        clean.pii["notes"] = str(raw.get("notes") or "").strip()
    if wanted("gps", "latitude", "longitude"):
        gps = raw.get("gps")
        latitude = gps.get("lat") if isinstance(gps, Mapping) else raw.get("latitude")
        longitude = gps.get("lon") if isinstance(gps, Mapping) else raw.get("longitude")
        if latitude in (None, "") and longitude in (None, ""):
            clean.pii["gps"] = None
        else:
            try:
                lat, lon = float(latitude), float(longitude)
                if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    raise ValueError
                clean.pii["gps"] = {"lat": round(lat, 6), "lon": round(lon, 6)}
            except (TypeError, ValueError):
                errors.append(
                    FieldError("gps", _("Give a latitude (-90 to 90) and a longitude (-180 to 180)."))
                )

    # Non-identifying attributes
    if wanted("category"):
        clean.fields["category"] = choice(
            raw.get("category"), "category", Category, errors, required=not partial
        )
    if wanted("sectors"):
        sectors = []
        for value in _as_list(raw.get("sectors")):
            code = choice(value, "sectors", Sector, errors)
            if code and code not in sectors:
                sectors.append(code)
        clean.fields["sectors"] = sectors
    if wanted("skills"):
        clean.fields["skills"] = [str(s)[:60] for s in _as_list(raw.get("skills"))][:20]
    if wanted("languages"):
        clean.fields["languages"] = [str(s).strip().lower()[:10] for s in _as_list(raw.get("languages"))][:10]
    if wanted("gender"):
        clean.fields["gender"] = choice(raw.get("gender"), "gender", Gender, errors)
    if wanted("literacy"):
        clean.fields["literacy"] = choice(raw.get("literacy"), "literacy", Literacy, errors)
    if wanted("phone_type"):
        clean.fields["phone_type"] = choice(raw.get("phone_type"), "phone_type", PhoneType, errors)
    if wanted("status"):
        status = choice(raw.get("status") or "active", "status", Status, errors)
        clean.fields["status"] = status
    today = timezone.localdate()
    if wanted("birth_year"):
        clean.fields["birth_year"] = _as_int(
            raw.get("birth_year"),
            "birth_year",
            errors,
            low=1900,
            high=today.year,
            message=lambda: _("The year of birth must be between 1900 and %(year)d.") % {"year": today.year},
        )
    if wanted("household_size"):
        clean.fields["household_size"] = _as_int(
            raw.get("household_size"),
            "household_size",
            errors,
            low=1,
            high=99,
            message=lambda: _("The household has between 1 and 99 people."),
        )
    if wanted("dependants"):
        clean.fields["dependants"] = _as_int(
            raw.get("dependants"),
            "dependants",
            errors,
            low=0,
            high=98,
            message=lambda: _("Give a number of dependants from 0 to 98."),
        )
    size, dependants = clean.fields.get("household_size"), clean.fields.get("dependants")
    if size is not None and dependants is not None and dependants >= size:
        errors.append(
            FieldError("dependants", _("Dependants must be fewer than the people in the household."))
        )
    for name, limit in (("admin1", 100), ("admin2", 100), ("locality", 120)):
        if wanted(name):
            clean.fields[name] = str(raw.get(name) or "").strip()[:limit]
    if wanted("joined_on"):
        joined = _date(raw.get("joined_on"), "joined_on", errors) or (None if partial else today)
        if joined and joined > today:
            errors.append(FieldError("joined_on", _("The date joined cannot be in the future.")))
        if joined:
            clean.fields["joined_on"] = joined
    if wanted("group"):
        clean.group_name = str(raw.get("group") or "").strip()[:120]

    if errors:
        raise ValidationError(message=_("Some of the member's details are not valid."), errors=errors)
    return clean
