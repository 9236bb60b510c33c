"""Reading one raw input value (from a page, the API or a spreadsheet cell) into a clean one, adding
a ``FieldError`` naming the field when it cannot be read. Shared by every app's validator."""

import functools
import re
import unicodedata
from datetime import date

from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries

from .errors import FieldError


@functools.lru_cache(maxsize=512)
def choice_names(choices, language: str) -> tuple[frozenset, dict[str, str]]:
    """The codes of a TextChoices, and its labels (in ``language`` and in English) -> code. Kept per
    language: an import checks the same few choices on every one of its rows."""
    with translation.override(language):
        labels = {str(label).lower(): code for code, label in choices.choices}
    with translation.override("en"):
        labels.update({str(label).lower(): code for code, label in choices.choices})
    return frozenset(choices.values), labels


def choice(
    value, name: str, choices, errors: list, *, required: bool = False, language: str = ""
) -> str | None:
    if value in (None, ""):
        if required:
            errors.append(FieldError(name, _("This field is required.")))
        return "" if not required else None
    codes, labels = choice_names(choices, language or translation.get_language() or "en")
    text = str(value).strip().lower().replace(" ", "_").replace("-", "_")
    if text in codes:
        return text
    if str(value).strip().lower() in labels:
        return labels[str(value).strip().lower()]
    errors.append(
        FieldError(
            name, _("Unknown value; use one of: %(choices)s.") % {"choices": ", ".join(choices.values)}
        )
    )
    return None


def date_value(value, name: str, errors: list) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        errors.append(FieldError(name, _("Give a date as YYYY-MM-DD.")))
        return None


def period(
    start, end, errors: list, names: tuple[str, str] = ("from", "to")
) -> tuple[date | None, date | None]:
    """A period's first and last day (each may be blank: open-ended), as dates; a problem with either,
    or an end before the start, is added to ``errors`` under the field's name in ``names``."""
    first = date_value(start, names[0], errors)
    last = date_value(end, names[1], errors)
    if first and last and last < first:
        errors.append(FieldError(names[1], _("The end comes before the start.")))
    return first, last


# Names lists use that django-countries does not know (its names follow ISO 3166).
COUNTRY_ALIASES = {
    "united states": "US",
    "united states of america": "US",
    "u s": "US",
    "u s a": "US",
    "america": "US",
    "uk": "GB",
    "u k": "GB",
    "united kingdom": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "ivory coast": "CI",
    "cote d ivoire": "CI",
    "korea": "KR",
    "republic of korea": "KR",
    "north korea": "KP",
    "laos": "LA",
    "burma": "MM",
    "czech republic": "CZ",
    "macedonia": "MK",
    "swaziland": "SZ",
    "cape verde": "CV",
    "east timor": "TL",
    "palestine": "PS",
    "vatican": "VA",
    "hong kong sar": "HK",
    "macao": "MO",
    "taiwan": "TW",
    "prc": "CN",
    "people s republic of china": "CN",
    "tanzania": "TZ",
    "moldova": "MD",
    "bolivia": "BO",
    "venezuela": "VE",
    "iran": "IR",
    "syria": "SY",
}


def country_code(value) -> str:
    """A country's two-letter code from its code (two or three letters) or its name in English
    (also common short names: "USA", "UK", "Vietnam", "Ivory Coast"); "" when unknown."""
    text = " ".join(str(value or "").split())
    if not text:
        return ""
    if len(text) in (2, 3) and text.isalpha():
        code = countries.alpha2(text.upper())
        if code:
            return code
    folded = re.sub(
        r"[^a-z]+", " ", unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    )
    folded = " ".join(folded.split())
    with translation.override("en"):
        return COUNTRY_ALIASES.get(folded) or countries.by_name(text) or countries.by_name(folded) or ""


def web_link(value, name: str, errors: list, *, max_length: int = 500) -> str:
    """A link people follow from a page: blank, or a web address (http or https; never
    ``javascript:`` or a file)."""
    link = str(value or "").strip()
    if link and not link.lower().startswith(("http://", "https://")):
        errors.append(FieldError(name, _("A link must start with http:// or https://.")))
    return link[:max_length]
