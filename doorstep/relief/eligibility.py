"""Eligibility rules: a small declarative format, read and checked here, never evaluated as code.

A list's criteria are a list of rules, all of which must hold::

    [{"field": "group", "op": "in", "value": ["Kibera weavers"]},
     {"field": "orders_cancelled_since", "op": "on_or_after", "value": "2026-03-01"},
     {"field": "earnings_share_of_minimum_wage", "op": "below", "value": "0.5", "since": "2026-01-01"}]

Fields from the member registry take ``in`` and a list of codes or names; fields from the work
ledger take a date or a share. An unknown field, operator or value is refused with the rule's place
(``rules.1.field``) and what is allowed; nothing is drawn. ``queries.members_matching`` turns checked
rules into a query.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.sectors import Sector
from doorstep.members.models import Category, Gender, Status

# field -> (operator, what the value is, label for people)
FIELDS = {
    "group": ("in", "names", gettext_lazy("her group is one of")),
    "category": ("in", Category.values, gettext_lazy("her category is one of")),
    "sector": ("in", Sector.values, gettext_lazy("one of her sectors is")),
    "gender": ("in", Gender.values, gettext_lazy("her gender is one of")),
    "status": ("in", Status.values, gettext_lazy("her membership status is one of")),
    "admin1": ("in", "names", gettext_lazy("her state or province is one of")),
    "admin2": ("in", "names", gettext_lazy("her district is one of")),
    "locality": ("in", "names", gettext_lazy("her village, town or neighbourhood is one of")),
    "orders_cancelled_since": (
        "on_or_after",
        "date",
        gettext_lazy("a work order of hers was cancelled on or after"),
    ),
    "earnings_share_of_minimum_wage": (
        "below",
        "share",
        gettext_lazy("her net hourly earnings were below this share of the minimum wage"),
    ),
}
MAX_RULES = 20
MAX_VALUES = 200


@dataclass(frozen=True)
class Rule:
    field: str
    op: str
    value: object  # list[str] for "in", date for "on_or_after", Decimal for "below"
    since: date | None = None

    def as_json(self) -> dict:
        value = self.value if isinstance(self.value, list) else str(self.value)
        data = {"field": self.field, "op": self.op, "value": value}
        if self.since:
            data["since"] = self.since.isoformat()
        return data

    def describe(self) -> str:
        label = str(FIELDS[self.field][2])
        value = ", ".join(self.value) if isinstance(self.value, list) else str(self.value)
        text = f"{label}: {value}"
        if self.since:
            text += " " + _("(work done since %(date)s)") % {"date": self.since.isoformat()}
        return text


def _date(raw, place: str, errors: list) -> date | None:
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        errors.append(FieldError(place, _("Write the date as YYYY-MM-DD, e.g. 2026-03-01.")))
        return None


def _one(raw, index: int, errors: list) -> Rule | None:
    place = f"rules.{index}"
    if not isinstance(raw, dict):
        errors.append(FieldError(place, _("A rule is an object with field, op and value.")))
        return None
    unknown_keys = set(raw) - {"field", "op", "value", "since"}
    if unknown_keys:
        errors.append(
            FieldError(
                place, _("Unknown part of a rule: %(keys)s.") % {"keys": ", ".join(sorted(unknown_keys))}
            )
        )
        return None
    field = str(raw.get("field", ""))
    if field not in FIELDS:
        errors.append(
            FieldError(
                f"{place}.field",
                _("Unknown field “%(field)s”; use one of: %(known)s.")
                % {"field": field[:40], "known": ", ".join(FIELDS)},
            )
        )
        return None
    op, kind, _label = FIELDS[field]
    if raw.get("op", op) != op:
        errors.append(
            FieldError(
                f"{place}.op",
                _("The field %(field)s takes the operator “%(op)s”.") % {"field": field, "op": op},
            )
        )
        return None
    value = raw.get("value")
    since = None
    if raw.get("since") not in (None, ""):
        if kind != "share":
            errors.append(FieldError(f"{place}.since", _("Only the earnings rule takes “since”.")))
            return None
        since = _date(raw["since"], f"{place}.since", errors)
        if since is None:
            return None
    if op == "in":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value or len(value) > MAX_VALUES:
            errors.append(FieldError(f"{place}.value", _("Give a list of one or more values.")))
            return None
        value = [" ".join(str(item).split()) for item in value]
        if kind != "names":
            wrong = [item for item in value if item not in kind]
            if wrong:
                errors.append(
                    FieldError(
                        f"{place}.value",
                        _("Unknown value “%(value)s”; use one of: %(known)s.")
                        % {"value": wrong[0][:40], "known": ", ".join(kind)},
                    )
                )
                return None
        return Rule(field, op, value)
    if kind == "date":
        parsed = _date(value, f"{place}.value", errors)
        return Rule(field, op, parsed) if parsed else None
    try:
        share = Decimal(str(value))
    except (InvalidOperation, ValueError):
        share = None
    if share is None or not share.is_finite() or share <= 0 or share > 10:
        errors.append(
            FieldError(f"{place}.value", _("Give the share as a number above 0, e.g. 0.5 for half."))
        )
        return None
    return Rule(field, op, share, since)


def parse_rules(raw) -> list[Rule]:
    """Checked rules, or ``ValidationError`` naming every rule at fault."""
    if not isinstance(raw, list) or not raw:
        raise ValidationError.for_field("rules", _("Give at least one rule."))
    if len(raw) > MAX_RULES:
        raise ValidationError.for_field("rules", _("Give at most %(n)d rules.") % {"n": MAX_RULES})
    errors: list[FieldError] = []
    rules = [_one(item, index, errors) for index, item in enumerate(raw)]
    if errors:
        raise ValidationError(
            message=_("Some of the rules cannot be used."), code="invalid_rule", errors=errors
        )
    return [rule for rule in rules if rule is not None]


def describe(raw_rules) -> list[str]:
    """The stored rules in words (for the list's page and her own page)."""
    return [rule.describe() for rule in parse_rules(raw_rules)]
