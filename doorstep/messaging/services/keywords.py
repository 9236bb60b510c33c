"""The words a member texts, per language, and how a message is read: its first word is the keyword
(compared without case, accents of its own script kept), the rest its arguments."""

import unicodedata
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from doorstep.core import audit, tenancy
from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.roles import ADMIN_ROLES
from doorstep.organizations.models import Organization

from ..models import Keyword, KeywordAction

BAL, HELP, YES, NO, STOP = (a.value for a in KeywordAction)

# Used for a language the organization has set no keywords of its own for.
DEFAULT_KEYWORDS: dict[str, dict[str, str]] = {
    "en": {"BAL": BAL, "BALANCE": BAL, "HELP": HELP, "YES": YES, "Y": YES, "NO": NO, "N": NO, "STOP": STOP},
    "fr": {"SOLDE": BAL, "AIDE": HELP, "OUI": YES, "NON": NO, "STOP": STOP},
    "es": {"SALDO": BAL, "AYUDA": HELP, "SI": YES, "SÍ": YES, "NO": NO, "BAJA": STOP},
    "hi": {"बकाया": BAL, "मदद": HELP, "हाँ": YES, "हां": YES, "नहीं": NO, "रोकें": STOP},
    "sw": {"SALIO": BAL, "MSAADA": HELP, "NDIYO": YES, "HAPANA": NO, "ACHA": STOP},
    "ar": {"رصيد": BAL, "مساعدة": HELP, "نعم": YES, "لا": NO, "توقف": STOP},
}


def normal(word: str) -> str:
    return unicodedata.normalize("NFKC", word).upper()


def words_of(organization_id: int) -> dict[str, dict[str, str]]:
    """language -> {WORD: action}: the organization's own words where it set some, else the defaults."""
    table = {language: dict(words) for language, words in DEFAULT_KEYWORDS.items()}
    own: dict[str, dict[str, str]] = {}
    for row in Keyword.objects.filter(organization_id=organization_id):
        own.setdefault(row.language, {})[normal(row.word)] = row.action
    table.update(own)
    return table


@dataclass(frozen=True)
class Reading:
    action: str  # a KeywordAction, or "" for an unknown word
    language: str  # the language of the word ("" when unknown)
    rest: str


def read(organization_id: int, text: str, preferred: list[str]) -> Reading:
    """What ``text`` asks. A word known in several languages (NO) is read in her own first."""
    first, _sep, rest = " ".join(str(text or "").split()).partition(" ")
    word = normal(first)
    table = words_of(organization_id)
    for language in [*preferred, *table]:
        action = table.get(language, {}).get(word)
        if action:
            return Reading(action, language, rest.strip())
    return Reading("", "", rest.strip())


def word_for(organization_id: int, language: str, action: str) -> str:
    table = words_of(organization_id)
    for words in (table.get(language, {}), table["en"]):
        for word, found in words.items():
            if found == action:
                return word
    return action.upper()


@dataclass(frozen=True)
class KeywordInput:
    language: str
    word: str
    action: str


def set_keywords(
    organization: Organization, language: str, rows: list[KeywordInput], *, actor
) -> list[Keyword]:
    """Replace the organization's words for one language (an empty list: back to the defaults)."""
    tenancy.require_role(actor, organization, ADMIN_ROLES)
    errors = []
    seen = set()
    for number, row in enumerate(rows):
        word = normal(row.word.strip())
        if not word or " " in word or len(word) > 30:
            errors.append(FieldError(f"keywords.{number}.word", _("One word, at most 30 characters.")))
        if row.action not in KeywordAction.values:
            errors.append(FieldError(f"keywords.{number}.action", _("Unknown action.")))
        if word in seen:
            errors.append(FieldError(f"keywords.{number}.word", _("This word is listed twice.")))
        seen.add(word)
    if not language or len(language) > 10:
        errors.append(FieldError("language", _("Say which language these words are in.")))
    if errors:
        raise ValidationError(message=_("The keywords are not saved."), errors=errors)
    with transaction.atomic():
        Keyword.objects.filter(organization=organization, language=language).delete()
        made = Keyword.objects.bulk_create(
            [
                Keyword(
                    organization=organization, language=language, word=normal(r.word.strip()), action=r.action
                )
                for r in rows
            ]
        )
        audit.record(
            "sms.keywords_set",
            actor=actor,
            organization=organization,
            metadata={"language": language, "count": len(made)},
        )
    return made
