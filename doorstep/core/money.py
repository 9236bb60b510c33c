"""Money and quantities: ``Decimal`` from input to storage, rounded only when shown.

``currency()`` is the one check of a currency code (ISO 4217, from the list shipped in
``core/data/currencies.txt``); ``decimal()`` the one reading of a number typed by a person, a
spreadsheet cell or a JSON value (floats are read through their text, so 0.1 stays 0.1).
"""

import functools
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from django.utils.translation import gettext as _

from .errors import FieldError

PLACES = Decimal("0.0001")  # stored precision of derived money and rates


@functools.cache
def currencies() -> frozenset[str]:
    path = Path(__file__).parent / "data" / "currencies.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def currency(value, name: str, errors: list[FieldError], *, required: bool = True) -> str:
    code = str(value or "").strip().upper()
    if not code:
        if required:
            errors.append(FieldError(name, _("Give the currency as its three-letter code, e.g. INR or KES.")))
        return ""
    if code not in currencies():
        errors.append(
            FieldError(name, _("Unknown currency: give its three-letter ISO code, e.g. INR or KES."))
        )
    return code


def decimal(
    value,
    name: str,
    errors: list[FieldError],
    *,
    required: bool = False,
    positive: bool = False,
    places: int = 4,
    maximum: Decimal | None = None,
) -> Decimal | None:
    """A number ≥ 0 (> 0 when ``positive``) with at most ``places`` decimals, or None when blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors.append(FieldError(name, _("This field is required.")))
        return None
    try:
        number = Decimal(str(value).strip().replace(" ", ""))
    except InvalidOperation:
        errors.append(FieldError(name, _("Give a number, e.g. 62.50.")))
        return None
    if not number.is_finite():
        errors.append(FieldError(name, _("Give a number, e.g. 62.50.")))
        return None
    if number < 0 or (positive and number == 0):
        errors.append(
            FieldError(name, _("Give a number above zero.") if positive else _("This cannot be negative."))
        )
        return None
    if maximum is not None and number > maximum:
        errors.append(FieldError(name, _("This number is too large.")))
        return None
    if -number.as_tuple().exponent > places:
        errors.append(FieldError(name, _("Use at most %(places)d decimal places.") % {"places": places}))
        return None
    return number


def quantize(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(PLACES, rounding=ROUND_HALF_UP)


def shown(value: Decimal | None, places: int = 2) -> str:
    """A figure for people: rounded half up to ``places`` (money: 2), grouped by the template layer."""
    if value is None:
        return ""
    return format(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), "f")


@functools.cache
def _country_currencies() -> dict[str, str]:
    path = Path(__file__).parent / "data" / "country_currencies.csv"
    pairs = (
        line.split(",") for line in path.read_text(encoding="utf-8").splitlines() if line and line[0] != "#"
    )
    return {country: code for country, code in pairs}


def country_currency(country_code: str) -> str:
    """The main currency of a country (a default for forms), or ''."""
    return _country_currencies().get((country_code or "").upper(), "")
