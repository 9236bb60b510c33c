"""Writes of the legal tracker. Network people keep it; every change keeps the value before it,
with who, when, the source and why."""

import re
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from django_countries import countries

from doorstep.core import audit, tenancy
from doorstep.core.errors import FieldError, PermissionDenied, ValidationError
from doorstep.core.roles import Role

from .models import Coverage, Fact, LegalFact, LegalFactChange

EDITOR_ROLES = frozenset({Role.ORGANIZER, Role.ORG_ADMIN, Role.NETWORK_ANALYST})
_AS_OF = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_DATE_OR_YEAR = re.compile(r"^\d{4}(-\d{2}-\d{2})?$")


def may_edit(user) -> bool:
    """People of a network (its staff or analysts) keep the tracker, and the platform admin."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    from doorstep.organizations.models import Organization

    ids = tenancy.organization_ids(user, EDITOR_ROLES)
    return Organization.objects.filter(
        pk__in=ids, kind__in=Organization.NETWORK_KINDS, is_active=True
    ).exists()


def check_country(code: str) -> str:
    code = (code or "").upper()
    if code not in dict(countries):
        raise ValidationError.for_field("country", _("Unknown country code: %(code)s.") % {"code": code[:10]})
    return code


def _date_or_year(text, field: str, errors: list) -> str:
    text = (text or "").strip()
    if not _DATE_OR_YEAR.match(text):
        errors.append(FieldError(field, _("Give a year (2002) or a date (2002-07-24).")))
        return text
    if len(text) == 10:
        try:
            date.fromisoformat(text)
        except ValueError:
            errors.append(FieldError(field, _("This date does not exist.")))
    return text


def clean_value(fact: str, data: dict) -> dict:
    """The fact's value in its shape, or ``ValidationError`` naming each wrong field."""
    errors: list[FieldError] = []
    if fact == Fact.C177_RATIFIED:
        ratified = bool(data.get("ratified", True))
        value = {"ratified": ratified, "on": _date_or_year(data.get("on"), "on", errors) if ratified else ""}
    elif fact == Fact.C177_IN_FORCE:
        value = {"on": _date_or_year(data.get("on"), "on", errors)}
    elif fact == Fact.HOMEWORK_LAW:
        name = (data.get("name") or "").strip()
        if not name:
            errors.append(FieldError("name", _("Give the law's or policy's name.")))
        year = data.get("year")
        if year not in (None, ""):
            try:
                year = int(year)
            except (TypeError, ValueError):
                year = -1
            if not 1800 <= year <= 2100:
                errors.append(FieldError("year", _("Give the year it was passed, e.g. 2008.")))
        value = {
            "name": name[:300],
            "year": year if year not in (None, "") else None,
            "covers": (data.get("covers") or "").strip()[:1000],
            "link": _link(data.get("link"), errors),
        }
    elif fact in (Fact.MINIMUM_WAGE, Fact.SOCIAL_SECURITY, Fact.SAFETY):
        coverage = data.get("coverage") or ""
        if coverage not in Coverage.values:
            errors.append(
                FieldError("coverage", _("Choose covered, partly covered, not covered or not known."))
            )
        value = {"coverage": coverage, "note": (data.get("note") or "").strip()[:1000]}
    elif fact == Fact.ILO_COMMENTS:
        text = (data.get("text") or "").strip()
        if not text:
            errors.append(FieldError("text", _("Summarize what the ILO said.")))
        value = {"text": text[:4000], "link": _link(data.get("link"), errors)}
    else:
        raise ValidationError.for_field("fact", _("Unknown fact."))
    if errors:
        raise ValidationError(message=_("The fact could not be saved."), errors=errors)
    return value


def _link(raw, errors: list) -> str:
    link = (raw or "").strip()
    if link and not link.lower().startswith(("http://", "https://")):
        errors.append(FieldError("link", _("A link must start with http:// or https://.")))
    return link[:500]


def save_fact(country: str, fact: str, *, data: dict, actor) -> LegalFact:
    """Set one fact of a country's law, with its source; the change is kept in its history."""
    if not may_edit(actor):
        raise PermissionDenied()
    country = check_country(country)
    if fact not in Fact.values:
        raise ValidationError.for_field("fact", _("Unknown fact."))
    value = clean_value(fact, data)
    errors = []
    source = (data.get("source") or "").strip()
    if not source:
        errors.append(FieldError("source", _("Every fact needs its source: a law, an ILO page, a report.")))
    as_of = (data.get("as_of") or "").strip()
    if as_of and not _AS_OF.match(as_of):
        errors.append(FieldError("as_of", _("Give the source's date as 2024, 2024-05 or 2024-05-31.")))
    if errors:
        raise ValidationError(message=_("The fact could not be saved."), errors=errors)
    with transaction.atomic():
        found, _created = LegalFact.objects.select_for_update().get_or_create(
            country=country, fact=fact, defaults={"value": value, "source": source[:1000], "as_of": as_of}
        )
        found.value, found.source, found.as_of, found.updated_by = value, source[:1000], as_of, actor
        found.save()
        LegalFactChange.objects.create(
            fact=found,
            value=value,
            source=source[:1000],
            as_of=as_of,
            note=(data.get("note_why") or "").strip()[:500],
            changed_by=actor,
        )
        audit.record("legal_fact.saved", actor=actor, obj=found, metadata={"country": country, "fact": fact})
    return found
