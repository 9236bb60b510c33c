"""The constitution's rules and the organization's positions. Only organization admins change them;
every change is audited with the values before and after."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from doorstep.core import audit, tenancy
from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.roles import Role
from doorstep.members.models import MemberGroup

from ..models import Constitution, DuesPeriod, Position, PositionKind, QuorumKind

ADMIN_ROLES = frozenset({Role.ORG_ADMIN})


@dataclass(frozen=True)
class RulesInput:
    dues_amount: Decimal | str
    dues_currency: str
    dues_period: str
    grace_days: int
    arrears_lose_vote: bool
    quorum_kind: str
    quorum_percent: Decimal | str | None = None
    quorum_number: int | None = None
    term_years: int = 2


def _decimal(value, field: str, errors: list, message: str) -> Decimal | None:
    try:
        number = Decimal(str(value))
        if not number.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError, TypeError):
        errors.append(FieldError(field, message))
        return None
    return number


def _check_rules(data: RulesInput) -> dict:
    errors: list[FieldError] = []
    amount = _decimal(
        data.dues_amount, "dues_amount", errors, _("Give the dues as an amount, e.g. 50 or 12.50.")
    )
    if amount is not None and (amount < 0 or amount != amount.quantize(Decimal("0.01"))):
        errors.append(FieldError("dues_amount", _("Dues cannot be negative, and have at most two decimals.")))
    if not re.fullmatch(r"[A-Z]{3}", str(data.dues_currency or "")):
        errors.append(
            FieldError("dues_currency", _("Give the currency as its three-letter code, e.g. INR or KES."))
        )
    if data.dues_period not in DuesPeriod.values:
        errors.append(FieldError("dues_period", _("Choose month, quarter or year.")))
    if not isinstance(data.grace_days, int) or not 0 <= data.grace_days <= 366:
        errors.append(FieldError("grace_days", _("Give the grace period in days, from 0 to 366.")))
    percent, number = None, None
    if data.quorum_kind == QuorumKind.SHARE:
        percent = _decimal(
            data.quorum_percent, "quorum_percent", errors, _("Give the quorum as a percentage.")
        )
        if percent is not None and not Decimal("0") < percent <= Decimal("100"):
            errors.append(FieldError("quorum_percent", _("The quorum share is above 0 and at most 100 %.")))
    elif data.quorum_kind == QuorumKind.NUMBER:
        number = data.quorum_number
        if not isinstance(number, int) or number < 1:
            errors.append(
                FieldError("quorum_number", _("Give the quorum as a number of members, at least 1."))
            )
    else:
        errors.append(FieldError("quorum_kind", _("Choose a share of the members or a fixed number.")))
    if not isinstance(data.term_years, int) or not 1 <= data.term_years <= 10:
        errors.append(FieldError("term_years", _("Give the term of office in years, from 1 to 10.")))
    if errors:
        raise ValidationError(message=_("The rules could not be saved."), errors=errors)
    return {
        "dues_amount": amount.quantize(Decimal("0.01")),
        "dues_currency": data.dues_currency,
        "dues_period": data.dues_period,
        "grace_days": data.grace_days,
        "arrears_lose_vote": bool(data.arrears_lose_vote),
        "quorum_kind": data.quorum_kind,
        "quorum_percent": percent.quantize(Decimal("0.01")) if percent is not None else None,
        "quorum_number": number,
        "term_years": data.term_years,
    }


def _audit_value(value):
    return format(value, "f") if isinstance(value, Decimal) else value


def save_rules(organization, data: RulesInput, *, actor) -> Constitution:
    """Record or change the organization's rules (organization admins only)."""
    tenancy.require_role(actor, organization, ADMIN_ROLES)
    values = _check_rules(data)
    with transaction.atomic():
        rules = Constitution.objects.select_for_update().filter(organization_id=organization.pk).first()
        before = {k: _audit_value(getattr(rules, k)) for k in values} if rules else {}
        if rules is None:
            rules = Constitution(organization_id=organization.pk)
        for key, value in values.items():
            setattr(rules, key, value)
        rules.updated_by = actor
        rules.save()
        after = {k: _audit_value(v) for k, v in values.items()}
        changed = sorted(k for k in after if before.get(k) != after[k])
        audit.record(
            "governance.rules_saved",
            actor=actor,
            organization=organization,
            obj=rules,
            metadata={
                "changed": changed,
                **{f"before.{k}": before.get(k) for k in changed},
                **{f"after.{k}": after[k] for k in changed},
            },
        )
    return rules


@dataclass(frozen=True)
class PositionInput:
    kind: str
    title: str = ""
    single_holder: bool | None = None
    group_id: int | None = None


def add_position(organization, data: PositionInput, *, actor) -> Position:
    """A new position: its title defaults to the kind's name; a group leader's position names its group
    and is single-holder per group."""
    tenancy.require_role(actor, organization, ADMIN_ROLES)
    errors: list[FieldError] = []
    if data.kind not in PositionKind.values:
        errors.append(
            FieldError("kind", _("Choose president, secretary, treasurer, group leader or another position."))
        )
    title = " ".join(str(data.title or "").split())[:120]
    group = None
    if data.group_id:
        group = MemberGroup.objects.filter(organization_id=organization.pk, pk=data.group_id).first()
        if group is None:
            errors.append(FieldError("group_id", _("No such group in this organization.")))
    if data.kind == PositionKind.GROUP_LEADER and not data.group_id:
        errors.append(FieldError("group_id", _("Say which group this leader leads.")))
    if data.kind == PositionKind.CUSTOM and not title:
        errors.append(FieldError("title", _("Name the position.")))
    if errors:
        raise ValidationError(message=_("The position could not be added."), errors=errors)
    if not title:
        title = str(PositionKind(data.kind).label) + (f" – {group.name}" if group else "")
    with transaction.atomic():
        if Position.objects.filter(organization_id=organization.pk, title__iexact=title).exists():
            raise ValidationError.for_field(
                "title", _("There is already a position with this title."), code="duplicate"
            )
        position = Position.objects.create(
            organization_id=organization.pk,
            kind=data.kind,
            title=title,
            single_holder=True if data.single_holder is None else bool(data.single_holder),
            group=group,
        )
        audit.record(
            "governance.position_added",
            actor=actor,
            organization=organization,
            obj=position,
            metadata={"kind": data.kind},
        )
    return position
