"""Eligibility rules: a small declarative language over a member's non-personal fields, parsed into
data and evaluated by a table of functions. Never ``eval``: a rule names a field from ``FIELDS`` and
an operator from ``OPERATORS``, anything else is refused with the condition's place.

Written as conditions separated by ";", all of which must hold::

    age between 18-40; category in homeworker|self_employed|both; sector in bidi

Fields: ``age`` (years, from her year of birth, on the day asked), ``category``, ``sector`` (any of
her sectors), ``gender``, ``country`` (ISO code), ``state`` (state or province), ``district``.
Operators: ``=``, ``in`` (values separated by ``|``), ``not in``, ``between`` (``lo-hi``, both
included), ``>=``, ``<=`` (numbers, for ``age``). Values are compared without regard to case.

A member whose field is blank (no year of birth) neither passes nor fails: the answer is
"unknown", and she stays on the list of those likely eligible, with the field named."""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from doorstep.core.errors import FieldError, ValidationError

FIELDS = ("age", "category", "sector", "gender", "country", "state", "district")
NUMERIC = frozenset({"age"})
OPERATORS = ("not in", "between", ">=", "<=", "in", "=")


@dataclass(frozen=True)
class Verdict:
    """``eligible`` is True, False or None (unknown); ``failed`` and ``unknown`` name the fields."""

    eligible: bool | None
    failed: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()


@dataclass
class _Parsed:
    conditions: list[dict] = field(default_factory=list)
    errors: list[FieldError] = field(default_factory=list)


def _number(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() and len(text) <= 3 else None


def _condition(text: str, where: str, errors: list[FieldError]) -> dict | None:
    words = text.strip()
    name, _space, rest = words.partition(" ")
    name = name.strip().lower()
    if name not in FIELDS:
        errors.append(
            FieldError(
                where,
                _("“%(field)s” is not a field a rule can use; use one of: %(fields)s.")
                % {"field": name, "fields": ", ".join(FIELDS)},
            )
        )
        return None
    rest = rest.strip()
    op = next((o for o in OPERATORS if rest.lower().startswith(o + " ")), None)
    if op is None:
        errors.append(
            FieldError(
                where,
                _("After “%(field)s”, write one of: %(ops)s.") % {"field": name, "ops": ", ".join(OPERATORS)},
            )
        )
        return None
    value = rest[len(op) :].strip()
    if not value:
        errors.append(FieldError(where, _("Give a value after “%(op)s”.") % {"op": op}))
        return None
    if op == "between":
        low, _dash, high = value.partition("-")
        lo, hi = _number(low), _number(high)
        if lo is None or hi is None or lo > hi or name not in NUMERIC:
            errors.append(
                FieldError(where, _("Write “age between 18-40”: two whole numbers, the first not larger."))
            )
            return None
        return {"field": name, "op": op, "value": [lo, hi]}
    if op in (">=", "<="):
        number = _number(value)
        if number is None or name not in NUMERIC:
            errors.append(FieldError(where, _("“%(op)s” compares a whole number, for age.") % {"op": op}))
            return None
        return {"field": name, "op": op, "value": number}
    if name in NUMERIC:
        errors.append(FieldError(where, _("Compare age with between, >= or <=.")))
        return None
    if op in ("in", "not in"):
        values = [v.strip().lower() for v in value.split("|") if v.strip()]
        return {"field": name, "op": op, "value": values}
    return {"field": name, "op": "in", "value": [value.lower()]}


def parse(text: str, *, where: str = "rules") -> list[dict]:
    """The conditions of a rule text; ``ValidationError`` naming each condition at fault
    (``rules.2`` is the second)."""
    parsed = _Parsed()
    parts = [p for p in (text or "").split(";") if p.strip()]
    for number, part in enumerate(parts, start=1):
        found = _condition(part, f"{where}.{number}", parsed.errors)
        if found is not None:
            parsed.conditions.append(found)
    if parsed.errors:
        raise ValidationError(message=_("The eligibility rules are not understood."), errors=parsed.errors)
    return parsed.conditions


def check(conditions: list[dict]) -> None:
    """Refuse stored conditions that name an unknown field or operator (a hand-edited catalogue)."""
    errors = []
    for number, condition in enumerate(conditions, start=1):
        if condition.get("field") not in FIELDS:
            errors.append(
                FieldError(
                    f"rules.{number}",
                    _("“%(field)s” is not a field a rule can use.") % {"field": condition.get("field")},
                )
            )
        elif condition.get("op") not in _TESTS:
            errors.append(FieldError(f"rules.{number}", _("Unknown operator.")))
    if errors:
        raise ValidationError(message=_("The eligibility rules are not understood."), errors=errors)


def _values(member, name: str, on: date) -> list | None:
    """Her values of a field (a list: she has several sectors), or None when blank."""
    if name == "age":
        return [on.year - member.birth_year] if member.birth_year else None
    if name == "sector":
        return [s.lower() for s in (member.sectors or [])] or None
    raw = {
        "category": member.category,
        "gender": member.gender,
        "country": getattr(member.country, "code", member.country),
        "state": member.admin1,
        "district": member.admin2,
    }[name]
    return [str(raw).strip().lower()] if raw else None


_TESTS = {
    "in": lambda have, want: any(v in want for v in have),
    "not in": lambda have, want: not any(v in want for v in have),
    "between": lambda have, want: want[0] <= have[0] <= want[1],
    ">=": lambda have, want: have[0] >= want,
    "<=": lambda have, want: have[0] <= want,
}


def evaluate(conditions: list[dict], member, on: date) -> Verdict:
    """Whether she meets every condition on ``on``: True, False, or None when a field she has
    left blank decides it (and none failed)."""
    check(conditions)
    failed, unknown = [], []
    for condition in conditions:
        have = _values(member, condition["field"], on)
        if have is None:
            unknown.append(condition["field"])
        elif not _TESTS[condition["op"]](have, condition["value"]):
            failed.append(condition["field"])
    if failed:
        return Verdict(False, tuple(failed), tuple(unknown))
    return Verdict(None if unknown else True, (), tuple(unknown))


def describe(conditions: list[dict]) -> str:
    """The conditions written back as text (what ``parse`` reads)."""
    parts = []
    for c in conditions:
        if c["op"] == "between":
            value = f"{c['value'][0]}-{c['value'][1]}"
        elif isinstance(c["value"], list):
            value = "|".join(c["value"])
        else:
            value = str(c["value"])
        parts.append(f"{c['field']} {c['op']} {value}")
    return "; ".join(parts)
