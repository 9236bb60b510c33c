"""``clean_order()``, the one validator of a work order: pages, API, quick entry and the spreadsheet
import pass raw values through it and get back clean values or a ``ValidationError`` naming every
field at fault (``deliveries.1.rejected`` for the second delivery). An order is always checked
whole — a payment is checked against the date the work was given, a rejection against what was
delivered — so a change is checked against the order read back as raw input (``order_as_raw()``:
its fields and the entries that stand).

Here too what the other modules share: an order's fields, the kinds of entries with their models and
values, the largest quantity, amount and hours accepted, and the organization's currency (the
default for its orders).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from doorstep.core import money
from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.inputs import choice as _choice
from doorstep.core.inputs import date_value as _date
from doorstep.core.sectors import Sector
from doorstep.members.models import Member
from doorstep.organizations.models import Organization
from doorstep.supplychains.models import Party

from ..models import (
    CancelledBy,
    Cost,
    CostKind,
    Deduction,
    Delivery,
    HelperTime,
    OrderStatus,
    Payment,
    PaymentMethod,
    Relationship,
    Unit,
    WorkOrder,
)

ORDER_FIELDS = (
    "given_on",
    "product",
    "sector",
    "materials_supplied",
    "materials_value",
    "quantity_ordered",
    "unit",
    "piece_rate",
    "currency",
    "deadline",
    "her_hours",
    "status",
    "cancelled_on",
    "cancelled_by",
    "materials_lost",
    "work_lost",
)
ENTRY_KINDS = ("deliveries", "payments", "deductions", "costs", "helpers")
ENTRY_MODELS = {
    "deliveries": Delivery,
    "payments": Payment,
    "deductions": Deduction,
    "costs": Cost,
    "helpers": HelperTime,
}
# The values of an entry of each kind.
ENTRY_VALUES = {
    "deliveries": ("delivered_on", "quantity", "rejected", "rejection_reason", "rejected_paid"),
    "payments": ("paid_on", "amount", "method", "paid_by"),
    "deductions": ("deducted_on", "amount", "reason"),
    "costs": ("kind", "amount", "note"),
    "helpers": ("relationship", "count", "children", "hours"),
}
ENTERED_STATUSES = (OrderStatus.GIVEN, OrderStatus.IN_PROGRESS, OrderStatus.CANCELLED)
MAX_QUANTITY = Decimal("999999999")
MAX_MONEY = Decimal("99999999999999")
MAX_HOURS = Decimal("99999")


@dataclass
class CleanOrder:
    member: Member
    party: Party
    fields: dict[str, Any]
    entries: dict[str, list[dict]] = field(default_factory=dict)


def _bool(value) -> bool:
    return str(value).strip().lower() in ("true", "1", "yes", "on", "y")


def _member(organization, value, errors) -> Member | None:
    if isinstance(value, Member):
        return value if value.organization_id == organization.pk else None
    if value in (None, ""):
        errors.append(FieldError("member", _("Choose the member who did the work.")))
        return None
    try:
        return Member.objects.get(organization=organization, pk=int(value), merged_into__isnull=True)
    except (Member.DoesNotExist, ValueError, TypeError):
        errors.append(FieldError("member", _("There is no such member in this organization.")))
        return None


def _party(organization, value, name: str, errors, *, required: bool = True) -> Party | None:
    if isinstance(value, Party):
        return value if value.organization_id == organization.pk else None
    if value in (None, ""):
        if required:
            errors.append(FieldError(name, _("Choose who gave the work.")))
        return None
    try:
        return Party.objects.get(organization=organization, pk=int(value))
    except (Party.DoesNotExist, ValueError, TypeError):
        errors.append(FieldError(name, _("There is no such work giver in this organization.")))
        return None


def _in_past(value: date | None, name: str, errors, today: date) -> date | None:
    if value is not None and value > today:
        errors.append(FieldError(name, _("This date is in the future.")))
        return None
    return value


def _not_before_given(value: date | None, given_on: date | None, name: str, errors, message: str) -> None:
    if value is not None and given_on is not None and value < given_on:
        errors.append(FieldError(name, message))


def _clean_entries(kind: str, items, organization, fields: dict, errors: list[FieldError]) -> list[dict]:
    today = timezone.localdate()
    given_on = fields.get("given_on")
    language = translation.get_language() or "en"
    clean = []
    if not isinstance(items, list | tuple):
        errors.append(FieldError(kind, _("Give a list.")))
        return clean
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            errors.append(FieldError(f"{kind}.{index}", _("Give each entry as an object.")))
            continue

        def name(part: str, index=index) -> str:
            return f"{kind}.{index}.{part}"

        row: dict[str, Any] = {}
        if kind == "deliveries":
            row["delivered_on"] = _in_past(
                _date(item.get("delivered_on"), name("delivered_on"), errors),
                name("delivered_on"),
                errors,
                today,
            )
            if item.get("delivered_on") in (None, ""):
                errors.append(FieldError(name("delivered_on"), _("Give the date she delivered.")))
            _not_before_given(
                row["delivered_on"],
                given_on,
                name("delivered_on"),
                errors,
                _("A delivery cannot come before the work was given."),
            )
            row["quantity"] = money.decimal(
                item.get("quantity"),
                name("quantity"),
                errors,
                required=True,
                positive=True,
                places=3,
                maximum=MAX_QUANTITY,
            )
            row["rejected"] = money.decimal(
                item.get("rejected") or 0, name("rejected"), errors, places=3, maximum=MAX_QUANTITY
            )
            if (
                row["quantity"] is not None
                and row["rejected"] is not None
                and row["rejected"] > row["quantity"]
            ):
                errors.append(FieldError(name("rejected"), _("More pieces rejected than delivered.")))
            row["rejection_reason"] = str(item.get("rejection_reason") or "").strip()[:300]
            row["rejected_paid"] = _bool(item.get("rejected_paid"))
        elif kind == "payments":
            row["paid_on"] = _in_past(
                _date(item.get("paid_on"), name("paid_on"), errors), name("paid_on"), errors, today
            )
            if item.get("paid_on") in (None, ""):
                errors.append(FieldError(name("paid_on"), _("Give the date she was paid.")))
            _not_before_given(
                row["paid_on"],
                given_on,
                name("paid_on"),
                errors,
                _(
                    "A payment cannot come before the work was given; "
                    "record an advance on the day the work was given."
                ),
            )
            row["amount"] = money.decimal(
                item.get("amount"), name("amount"), errors, required=True, positive=True, maximum=MAX_MONEY
            )
            row["method"] = _choice(
                item.get("method") or PaymentMethod.CASH,
                name("method"),
                PaymentMethod,
                errors,
                language=language,
            )
            row["paid_by"] = _party(
                organization, item.get("paid_by"), name("paid_by"), errors, required=False
            )
        elif kind == "deductions":
            row["deducted_on"] = _in_past(
                _date(item.get("deducted_on"), name("deducted_on"), errors),
                name("deducted_on"),
                errors,
                today,
            )
            if item.get("deducted_on") in (None, ""):
                errors.append(FieldError(name("deducted_on"), _("Give the date of the deduction.")))
            _not_before_given(
                row["deducted_on"],
                given_on,
                name("deducted_on"),
                errors,
                _("A deduction cannot come before the work was given."),
            )
            row["amount"] = money.decimal(
                item.get("amount"), name("amount"), errors, required=True, positive=True, maximum=MAX_MONEY
            )
            row["reason"] = str(item.get("reason") or "").strip()[:300]
        elif kind == "costs":
            row["kind"] = _choice(
                item.get("kind"), name("kind"), CostKind, errors, required=True, language=language
            )
            row["amount"] = money.decimal(
                item.get("amount"), name("amount"), errors, required=True, positive=True, maximum=MAX_MONEY
            )
            row["note"] = str(item.get("note") or "").strip()[:200]
        else:
            row["relationship"] = _choice(
                item.get("relationship"),
                name("relationship"),
                Relationship,
                errors,
                required=True,
                language=language,
            )
            count = item.get("count") or 1
            try:
                row["count"] = int(str(count).strip())
                if not 1 <= row["count"] <= 20:
                    raise ValueError
            except ValueError:
                errors.append(FieldError(name("count"), _("Give how many helpers, from 1 to 20.")))
            row["children"] = _bool(item.get("children"))
            row["hours"] = money.decimal(
                item.get("hours"), name("hours"), errors, required=True, places=2, maximum=MAX_HOURS
            )
        clean.append(row)
    return clean


def clean_order(organization: Organization, raw: Mapping[str, Any]) -> CleanOrder:
    """Validate a whole work order: its fields, its member and party, and its entries."""
    errors: list[FieldError] = []
    today = timezone.localdate()
    language = translation.get_language() or "en"
    member = _member(organization, raw.get("member"), errors)
    party = _party(organization, raw.get("party"), "party", errors)
    fields: dict[str, Any] = {}

    given = _date(raw.get("given_on"), "given_on", errors)
    if raw.get("given_on") in (None, ""):
        errors.append(FieldError("given_on", _("Give the date the work was given.")))
    fields["given_on"] = _in_past(given, "given_on", errors, today)
    product = " ".join(str(raw.get("product") or "").split())
    if not product:
        errors.append(FieldError("product", _("Say what the work is, e.g. embroidered cushion cover.")))
    fields["product"] = product[:200]
    fields["sector"] = _choice(raw.get("sector"), "sector", Sector, errors, required=True, language=language)
    fields["materials_supplied"] = _bool(raw.get("materials_supplied"))
    fields["materials_value"] = money.decimal(
        raw.get("materials_value"), "materials_value", errors, maximum=MAX_MONEY
    )
    if fields["materials_value"]:
        fields["materials_supplied"] = True
    fields["quantity_ordered"] = money.decimal(
        raw.get("quantity_ordered"),
        "quantity_ordered",
        errors,
        required=True,
        positive=True,
        places=3,
        maximum=MAX_QUANTITY,
    )
    fields["unit"] = _choice(raw.get("unit") or Unit.PIECE, "unit", Unit, errors, language=language)
    fields["piece_rate"] = money.decimal(
        raw.get("piece_rate"), "piece_rate", errors, required=True, positive=True, maximum=MAX_MONEY
    )
    fields["currency"] = money.currency(
        raw.get("currency") or (organization_currency(organization)), "currency", errors
    )
    fields["deadline"] = _date(raw.get("deadline"), "deadline", errors)
    _not_before_given(
        fields["deadline"],
        fields["given_on"],
        "deadline",
        errors,
        _("The deadline cannot come before the work was given."),
    )
    fields["her_hours"] = money.decimal(
        raw.get("her_hours"), "her_hours", errors, places=2, maximum=MAX_HOURS
    )

    status = str(raw.get("status") or OrderStatus.GIVEN).strip().lower()
    if status not in ENTERED_STATUSES:
        if status in OrderStatus.values:
            status = OrderStatus.GIVEN  # delivered / paid… follow from the entries themselves
        else:
            errors.append(FieldError("status", _("Give the status as given, in_progress or cancelled.")))
    fields["status"] = status
    fields["materials_lost"] = _bool(raw.get("materials_lost"))
    fields["work_lost"] = _bool(raw.get("work_lost"))
    if status == OrderStatus.CANCELLED:
        cancelled_on = _date(raw.get("cancelled_on"), "cancelled_on", errors) or today
        _not_before_given(
            cancelled_on,
            fields["given_on"],
            "cancelled_on",
            errors,
            _("The order cannot be cancelled before it was given."),
        )
        fields["cancelled_on"] = _in_past(cancelled_on, "cancelled_on", errors, today)
        fields["cancelled_by"] = _choice(
            raw.get("cancelled_by") or CancelledBy.GIVER,
            "cancelled_by",
            CancelledBy,
            errors,
            language=language,
        )
    else:
        fields["cancelled_on"], fields["cancelled_by"] = None, ""

    entries = {
        kind: _clean_entries(kind, raw.get(kind) or [], organization, fields, errors) for kind in ENTRY_KINDS
    }
    if errors:
        raise ValidationError(message=_("Some of the order's details are not valid."), errors=errors)
    return CleanOrder(member, party, fields, entries)


def organization_currency(organization: Organization) -> str:
    """The currency of the organization's country (the default for its orders), or ''."""
    return money.country_currency(organization.country.code if organization.country else "")


def _entry_raw(kind: str, entry) -> dict:
    raw = {}
    for name in ENTRY_VALUES[kind]:
        value = entry.paid_by_id if name == "paid_by" else getattr(entry, name)
        raw[name] = str(value) if isinstance(value, Decimal) else value
    return raw


def standing_entries(order: WorkOrder, kind: str):
    """The order's entries of one kind that stand: neither reversed nor a reversal."""
    return ENTRY_MODELS[kind].objects.filter(order=order, reverses__isnull=True, reversals__isnull=True)


def order_as_raw(order: WorkOrder) -> dict:
    """The order as raw input: its fields and the entries that stand."""
    raw = {name: getattr(order, name) for name in ORDER_FIELDS}
    raw = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in raw.items()}
    raw["member"], raw["party"] = order.member_id, order.party_id
    for kind in ENTRY_KINDS:
        raw[kind] = [_entry_raw(kind, e) for e in standing_entries(order, kind)]
    return raw
