"""Reading one raw input value (from a page, the API or a spreadsheet cell) into a clean one, adding
a ``FieldError`` naming the field when it cannot be read. Shared by every app's validator."""

from datetime import date

from django.utils import translation
from django.utils.translation import gettext as _

from .errors import FieldError


def choice_names(choices, language: str) -> tuple[frozenset, dict[str, str]]:
    """The codes of a TextChoices, and its labels (in the active language and in English) -> code."""
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
