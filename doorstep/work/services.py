"""Every write about work: orders and what happens to them, benchmarks of an organization, saved
fair rates, the late-payment threshold; and the recomputation of the derived figures.

``clean_order()`` is the one validator of a work order: pages, API, quick entry and the spreadsheet
import pass raw values through it and get back clean values or a ``ValidationError`` naming every
field at fault (``deliveries.1.rejected`` for the second delivery). An order is always checked
whole — a payment is checked against the date the work was given, a rejection against what was
delivered — and written with its derived figures in the same transaction, so nothing is ever
half-written.

Money is never deleted (DESIGN.md §3, ``work.models``): ``reverse_entry()`` corrects an entry with a
reversing one, ``update_order()`` reverses the entries a new list leaves out or changes and adds the
new ones, ``void_order()`` keeps an order out of the figures without removing it. Only her erasure
(``erase_rows``) deletes.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from doorstep.core import audit, money, tenancy
from doorstep.core.bulk import update_rows
from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.inputs import choice as _choice
from doorstep.core.inputs import date_value as _date
from doorstep.core.roles import ADMIN_ROLES, STAFF_ROLES
from doorstep.core.sectors import Sector
from doorstep.members.models import Member
from doorstep.organizations.models import Organization
from doorstep.supplychains.models import Party

from . import derive as derivation
from .benchmarks import Book
from .models import (
    BenchmarkKind,
    CancelledBy,
    Cost,
    CostKind,
    Deduction,
    Delivery,
    HelperTime,
    OrderStatus,
    Payment,
    PaymentMethod,
    Period,
    Relationship,
    SavedRate,
    Unit,
    WageBenchmark,
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
# The values of an entry of each kind, and those a reversal negates.
ENTRY_VALUES = {
    "deliveries": ("delivered_on", "quantity", "rejected", "rejection_reason", "rejected_paid"),
    "payments": ("paid_on", "amount", "method", "paid_by"),
    "deductions": ("deducted_on", "amount", "reason"),
    "costs": ("kind", "amount", "note"),
    "helpers": ("relationship", "count", "children", "hours"),
}
NEGATED = {
    "deliveries": ("quantity", "rejected"),
    "payments": ("amount",),
    "deductions": ("amount",),
    "costs": ("amount",),
    "helpers": ("hours",),
}
ENTERED_STATUSES = (OrderStatus.GIVEN, OrderStatus.IN_PROGRESS, OrderStatus.CANCELLED)
MAX_QUANTITY = Decimal("999999999")
MAX_MONEY = Decimal("99999999999999")
MAX_HOURS = Decimal("99999")


# Validation ---------------------------------------------------------------------------------------


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


# Reading an order back as raw input (to check a change against the whole order) -------------------


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


# Writing ------------------------------------------------------------------------------------------


def _insert_entries(order: WorkOrder, kind: str, rows: list[dict], actor) -> list:
    model = ENTRY_MODELS[kind]
    now = timezone.now()
    return model.objects.bulk_create(
        model(organization_id=order.organization_id, order=order, recorded_by=actor, recorded_at=now, **row)
        for row in rows
    )


def _reversals(kind: str, entries: list, *, reason: str, actor) -> list:
    """Write the reversal of each entry: its values, those that count negated."""
    model = ENTRY_MODELS[kind]
    now = timezone.now()
    rows = []
    for entry in entries:
        values = {name: getattr(entry, name) for name in ENTRY_VALUES[kind] if name != "paid_by"}
        if kind == "payments":
            values["paid_by_id"] = entry.paid_by_id
        for name in NEGATED[kind]:
            values[name] = -values[name]
        rows.append(
            model(
                organization_id=entry.organization_id,
                order_id=entry.order_id,
                reverses=entry,
                reversal_reason=reason,
                recorded_by=actor,
                recorded_at=now,
                **values,
            )
        )
    return model.objects.bulk_create(rows)


def _clean_reason(reason, name: str = "reason") -> str:
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise ValidationError.for_field(
            name, _("Say why, e.g. typed 1000 instead of 100, or recorded twice."), code="required"
        )
    if len(reason) > 300:
        raise ValidationError.for_field(name, _("Say why in at most 300 characters."), code="too_long")
    return reason


def _not_voided(order: WorkOrder) -> None:
    if order.voided_at is not None:
        raise ValidationError.for_field(
            "order", _("This order is voided; it cannot be changed."), code="order_voided"
        )


def _same(kind: str, entry, row: dict) -> bool:
    """Whether a standing entry has the values of a clean row."""
    for name in ENTRY_VALUES[kind]:
        if name == "paid_by":
            if entry.paid_by_id != (row["paid_by"].pk if row["paid_by"] else None):
                return False
        elif getattr(entry, name) != row[name]:
            return False
    return True


def create_order(organization: Organization, *, data: Mapping[str, Any], actor) -> WorkOrder:
    tenancy.require_role(actor, organization, STAFF_ROLES)
    clean = clean_order(organization, data)
    with transaction.atomic():
        order = WorkOrder.objects.create(
            organization=organization,
            member=clean.member,
            party=clean.party,
            recorded_by=actor,
            **clean.fields,
        )
        for kind in ENTRY_KINDS:
            _insert_entries(order, kind, clean.entries[kind], actor)
        recompute(order_ids=[order.pk])
        audit.record("work_order.created", actor=actor, organization=organization, obj=order)
    order.refresh_from_db()
    return order


def _locked(order: WorkOrder) -> WorkOrder:
    """The order, locked until the transaction ends: two changes to one order (two organizers, a
    phone retrying) are checked and recomputed one after the other, never against a stale order."""
    return WorkOrder.objects.select_for_update().get(pk=order.pk)


def update_order(order: WorkOrder, *, data: Mapping[str, Any], actor, reason: str = "") -> WorkOrder:
    """Change an order's fields (those given). A list of entries given becomes what stands: entries
    it repeats stay as they are, those it leaves out or changes are reversed (with ``reason``, or
    "changed with the order" when none is given) and the new or changed ones are added."""
    tenancy.require_role(actor, order.organization_id, STAFF_ROLES)
    organization = Organization.objects.get(pk=order.organization_id)
    why = _clean_reason(reason) if reason else _("Changed with the order")
    with transaction.atomic():
        locked = _locked(order)
        _not_voided(locked)
        candidate = {**order_as_raw(locked), **data}
        clean = clean_order(organization, candidate)
        WorkOrder.objects.filter(pk=order.pk).update(
            member=clean.member, party=clean.party, updated_at=timezone.now(), **clean.fields
        )
        changes: dict[str, list[int]] = {}
        for kind in ENTRY_KINDS:
            if kind not in data:
                continue
            unmatched = list(standing_entries(order, kind).order_by("pk"))
            new_rows = []
            for row in clean.entries[kind]:
                same = next((e for e in unmatched if _same(kind, e, row)), None)
                if same is None:
                    new_rows.append(row)
                else:
                    unmatched.remove(same)
            reversed_ = _reversals(kind, unmatched, reason=why, actor=actor)
            added = _insert_entries(order, kind, new_rows, actor)
            if reversed_ or added:
                changes[f"{kind}_reversed"] = [e.pk for e in unmatched]
                changes[f"{kind}_reversals"] = [e.pk for e in reversed_]
                changes[f"{kind}_added"] = [e.pk for e in added]
        recompute(order_ids=[order.pk])
        audit.record(
            "work_order.updated",
            actor=actor,
            organization=order.organization_id,
            obj=order,
            metadata={"fields": sorted(data), **changes, "reason_length": len(reason or "")},
        )
    order.refresh_from_db()
    return order


def add_entry(order: WorkOrder, kind: str, *, data: Mapping[str, Any], actor):
    """Add a delivery, payment, deduction, cost or helper, checked against the whole order."""
    tenancy.require_role(actor, order.organization_id, STAFF_ROLES)
    if kind not in ENTRY_KINDS:
        raise ValidationError.for_field("kind", _("Unknown kind of entry."))
    organization = Organization.objects.get(pk=order.organization_id)
    with transaction.atomic():
        locked = _locked(order)
        _not_voided(locked)
        candidate = order_as_raw(locked)
        candidate[kind] = [*candidate[kind], dict(data)]
        try:
            clean = clean_order(organization, candidate)
        except ValidationError as problem:
            # Name the new entry's fields without its list position, as the form that sent it does.
            prefix = f"{kind}.{len(candidate[kind]) - 1}."
            raise ValidationError(
                message=problem.message,
                errors=[FieldError(e.field.removeprefix(prefix), e.message) for e in problem.errors],
            ) from None
        (entry,) = _insert_entries(order, kind, clean.entries[kind][-1:], actor)
        WorkOrder.objects.filter(pk=order.pk).update(updated_at=timezone.now())
        recompute(order_ids=[order.pk])
        audit.record(
            f"work_order.{kind}_added",
            actor=actor,
            organization=order.organization_id,
            obj=order,
            metadata={"entry_id": entry.pk},
        )
    order.refresh_from_db()
    return entry


def reverse_entry(order: WorkOrder, kind: str, entry_id: int, *, reason: str, actor):
    """Correct an entry: record its reversal (who, when, why) and work the figures out again. An
    entry is reversed once; a reversal is not reversed (record a new entry instead)."""
    tenancy.require_role(actor, order.organization_id, STAFF_ROLES)
    if kind not in ENTRY_KINDS:
        raise ValidationError.for_field("kind", _("Unknown kind of entry."))
    reason = _clean_reason(reason)
    with transaction.atomic():
        _not_voided(_locked(order))
        entry = ENTRY_MODELS[kind].objects.filter(order=order, pk=entry_id).first()
        if entry is None:
            raise Http404
        if entry.is_reversal:
            raise ValidationError.for_field(
                "entry", _("A correction cannot be reversed; record a new entry instead."), code="is_reversal"
            )
        if entry.reversals.exists():
            raise ValidationError.for_field(
                "entry", _("This entry is already reversed."), code="already_reversed"
            )
        (reversal,) = _reversals(kind, [entry], reason=reason, actor=actor)
        WorkOrder.objects.filter(pk=order.pk).update(updated_at=timezone.now())
        recompute(order_ids=[order.pk])
        audit.record(
            f"work_order.{kind}_reversed",
            actor=actor,
            organization=order.organization_id,
            obj=order,
            metadata={"entry_id": entry.pk, "reversal_id": reversal.pk, "reason_length": len(reason)},
        )
    order.refresh_from_db()
    return reversal


def void_order(order: WorkOrder, *, reason: str, actor) -> WorkOrder:
    """Void an order (recorded by mistake, twice…): it is kept, with who voided it, when and why,
    and left out of every figure from now on (the analytics engine's next refresh included)."""
    tenancy.require_role(actor, order.organization_id, STAFF_ROLES)
    reason = _clean_reason(reason)
    with transaction.atomic():
        _not_voided(_locked(order))
        now = timezone.now()
        WorkOrder.objects.filter(pk=order.pk).update(
            voided_at=now, voided_by=actor, void_reason=reason, updated_at=now
        )
        audit.record(
            "work_order.voided",
            actor=actor,
            organization=order.organization_id,
            obj=order,
            metadata={"reason_length": len(reason)},
        )
    order.refresh_from_db()
    return order


def create_batch(
    organization: Organization, *, common: Mapping[str, Any], quantities: Mapping[int, Any], actor
) -> list[WorkOrder]:
    """Quick entry: one product, one party, many members, each with her quantity. All or nothing;
    errors name the member's row (``members.<member id>.quantity_ordered``)."""
    tenancy.require_role(actor, organization, STAFF_ROLES)
    wanted = {member_id: q for member_id, q in quantities.items() if str(q or "").strip()}
    if not wanted:
        raise ValidationError.for_field(
            "members", _("Give a quantity for at least one member."), code="required"
        )
    cleans, errors = [], []
    for member_id, quantity in wanted.items():
        try:
            cleans.append(
                clean_order(organization, {**common, "member": member_id, "quantity_ordered": quantity})
            )
        except ValidationError as problem:
            for error in problem.errors:
                name = (
                    f"members.{member_id}.{error.field}"
                    if error.field in ("member", "quantity_ordered")
                    else error.field
                )
                if all(e.field != name or e.message != error.message for e in errors):
                    errors.append(FieldError(name, error.message))
    if errors:
        raise ValidationError(message=_("The batch is not recorded; nothing was saved."), errors=errors)
    with transaction.atomic():
        orders = WorkOrder.objects.bulk_create(
            WorkOrder(
                organization=organization, member=c.member, party=c.party, recorded_by=actor, **c.fields
            )
            for c in cleans
        )
        recompute(order_ids=[o.pk for o in orders])
        audit.record(
            "work_order.batch_created",
            actor=actor,
            organization=organization,
            object_type="work.workorder",
            metadata={"order_ids": [o.pk for o in orders]},
        )
    return orders


def create_orders_bulk(
    organization: Organization, cleans: list[CleanOrder], *, actor, source: str
) -> list[int]:
    """Write checked orders and their entries (an import batch) inside the caller's transaction."""
    tenancy.require_role(actor, organization, STAFF_ROLES)
    orders = WorkOrder.objects.bulk_create(
        WorkOrder(organization=organization, member=c.member, party=c.party, recorded_by=actor, **c.fields)
        for c in cleans
    )
    now = timezone.now()
    for kind in ENTRY_KINDS:
        model = ENTRY_MODELS[kind]
        model.objects.bulk_create(
            model(organization=organization, order=order, recorded_by=actor, recorded_at=now, **row)
            for order, c in zip(orders, cleans, strict=True)
            for row in c.entries[kind]
        )
    ids = [o.pk for o in orders]
    recompute(order_ids=ids)
    audit.record(
        "work_order.imported",
        actor=actor,
        organization=organization,
        object_type="work.workorder",
        metadata={"source": source, "order_ids": ids},
    )
    return ids


# Recomputing the derived figures ------------------------------------------------------------------

CHUNK = 5000
# ``updated_at`` too: the analytics engine finds changed orders by it.
_STORED = [name for name in derivation.DERIVED_FIELDS] + ["benchmark", "benchmark_level", "updated_at"]


def recompute(
    *,
    order_ids: Iterable[int] | None = None,
    organization_id: int | None = None,
    waiting_only: bool = False,
    today: date | None = None,
) -> int:
    """Recompute and store the derived figures of orders: the ones named, an organization's, or all
    (optionally only those delivered and not yet paid in full, whose late flag grows with time).
    Works in chunks of ``CHUNK`` orders: a few queries and one bulk update each."""
    today = today or timezone.localdate()
    queryset = WorkOrder.objects.all()
    if order_ids is not None:
        order_ids = sorted(set(order_ids))
        if not order_ids:
            return 0
    if organization_id is not None:
        queryset = queryset.filter(organization_id=organization_id)
    if waiting_only:
        queryset = queryset.filter(
            delivered_on__isnull=False, fully_paid_on__isnull=True, voided_at__isnull=True
        ).exclude(status=OrderStatus.CANCELLED)
    books: dict[int, Book] = {}
    count = 0
    if order_ids is not None:
        chunks = (order_ids[i : i + CHUNK] for i in range(0, len(order_ids), CHUNK))
        for chunk in chunks:
            with transaction.atomic():
                count += _recompute_chunk(queryset.filter(pk__in=chunk), None, books, today)
        return count
    last = 0
    while True:
        ids = list(queryset.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:CHUNK])
        if not ids:
            return count
        with transaction.atomic():  # one chunk at a time: a long recompute holds no long transaction
            count += _recompute_chunk(
                queryset.filter(pk__gte=ids[0], pk__lte=ids[-1]), (ids[0], ids[-1]), books, today
            )
        last = ids[-1]


def _recompute_chunk(queryset, pk_range, books: dict[int, Book], today: date) -> int:
    rows = list(
        queryset.values_list(
            "pk",
            "organization_id",
            "given_on",
            "piece_rate",
            "currency",
            "her_hours",
            "status",
            "materials_supplied",
            "materials_lost",
            "sector",
            "member__country",
            "member__admin1",
            "member__skills",
            "organization__late_payment_days",
        )
    )
    if not rows:
        return 0
    ids = [r[0] for r in rows]

    def children(model):
        qs = model.objects.all()
        if pk_range is not None:
            return qs.filter(order_id__gte=pk_range[0], order_id__lte=pk_range[1])
        return qs.filter(order_id__in=ids)

    deliveries = defaultdict(list)
    for order_id, on, quantity, rejected, reason, paid in children(Delivery).values_list(
        "order_id", "delivered_on", "quantity", "rejected", "rejection_reason", "rejected_paid"
    ):
        deliveries[order_id].append(derivation.DeliveryIn(on, quantity, rejected, bool(reason), paid))
    payments = defaultdict(list)
    for order_id, on, amount in children(Payment).values_list("order_id", "paid_on", "amount"):
        payments[order_id].append((on, amount))
    deductions = dict(
        children(Deduction).values("order_id").annotate(s=Sum("amount")).values_list("order_id", "s")
    )
    costs = dict(children(Cost).values("order_id").annotate(s=Sum("amount")).values_list("order_id", "s"))
    helpers = dict(
        children(HelperTime).values("order_id").annotate(s=Sum("hours")).values_list("order_id", "s")
    )

    updates, now = [], timezone.now()
    for (
        pk,
        org_id,
        given_on,
        rate,
        currency,
        her_hours,
        status,
        supplied,
        lost,
        sector,
        country,
        area,
        skills,
        late_days,
    ) in rows:
        book = books.get(org_id)
        if book is None:
            book = books[org_id] = Book(org_id)
        order = derivation.OrderIn(
            given_on=given_on,
            piece_rate=rate,
            her_hours=her_hours,
            entered_status=status,
            materials_supplied=supplied,
            materials_lost=lost,
            deliveries=deliveries.get(pk, []),
            payments=payments.get(pk, []),
            deductions=deductions.get(pk) or Decimal(0),
            costs=costs.get(pk) or Decimal(0),
            helper_hours=helpers.get(pk),
        )
        match = book.lookup(
            country, area or "", sector, tuple(skills or ()), currency, derivation.work_date(order)
        )
        derived = derivation.derive(
            order, benchmark_hourly=match.hourly, late_after_days=late_days, today=today
        )
        values = derived.as_fields()
        updates.append(
            (
                pk,
                *(values[name] for name in derivation.DERIVED_FIELDS),
                match.benchmark.pk if match.benchmark else None,
                match.level,
                now,
            )
        )
    update_rows(WorkOrder, _STORED, updates)
    return len(updates)


def benchmark_match(order: WorkOrder):
    """The benchmark that applies to an order and why (for the order's page and the API)."""
    member = order.member
    return Book(order.organization_id).lookup(
        member.country.code,
        member.admin1 or "",
        order.sector,
        tuple(member.skills or ()),
        order.currency,
        order.work_date or order.given_on,
    )


# Settings, benchmarks and saved rates -------------------------------------------------------------


def set_late_payment_days(organization: Organization, days, *, actor) -> Organization:
    tenancy.require_role(actor, organization, ADMIN_ROLES)
    try:
        value = int(str(days).strip())
        if not 1 <= value <= 365:
            raise ValueError
    except ValueError:
        raise ValidationError.for_field(
            "late_payment_days", _("Give a number of days from 1 to 365.")
        ) from None
    with transaction.atomic():
        Organization.objects.filter(pk=organization.pk).update(late_payment_days=value)
        organization.late_payment_days = value
        audit.record(
            "work.settings_changed",
            actor=actor,
            organization=organization,
            metadata={"late_payment_days": value},
        )
    from .tasks import recompute_orders

    transaction.on_commit(lambda: recompute_orders.enqueue(organization.pk))
    return organization


def clean_benchmark(raw: Mapping[str, Any]) -> dict:
    errors: list[FieldError] = []
    language = translation.get_language() or "en"
    from django_countries import countries

    values: dict[str, Any] = {}
    values["kind"] = _choice(raw.get("kind"), "kind", BenchmarkKind, errors, required=True, language=language)
    country = str(raw.get("country") or "").strip().upper()
    if country not in dict(countries):
        errors.append(FieldError("country", _("Give a country as its two-letter code, e.g. IN or KE.")))
    values["country"] = country
    region = " ".join(str(raw.get("region") or "").split())[:120]
    values["region"] = region
    names = raw.get("region_names")
    if isinstance(names, str):
        names = names.split(";")
    names = [str(n).strip().lower() for n in (names or []) if str(n).strip()] or (
        [region.lower()] if region else []
    )
    values["region_names"] = names
    values["sector"] = _choice(raw.get("sector"), "sector", Sector, errors, language=language) or ""
    values["sector_text"] = str(raw.get("sector_text") or "").strip()[:200]
    values["skill"] = str(raw.get("skill") or "").strip()[:80]
    values["amount"] = money.decimal(
        raw.get("amount"), "amount", errors, required=True, positive=True, maximum=MAX_MONEY
    )
    values["currency"] = money.currency(raw.get("currency"), "currency", errors)
    values["period"] = _choice(raw.get("period"), "period", Period, errors, required=True, language=language)
    values["hours_per_day"] = money.decimal(
        raw.get("hours_per_day"), "hours_per_day", errors, places=2, maximum=Decimal(24)
    )
    values["days_per_month"] = money.decimal(
        raw.get("days_per_month"), "days_per_month", errors, places=2, maximum=Decimal(31)
    )
    if values["period"] in (Period.DAY, Period.MONTH) and not values["hours_per_day"]:
        errors.append(
            FieldError("hours_per_day", _("A daily or monthly wage needs its hours a day to become hourly."))
        )
    if values["period"] == Period.MONTH and not values["days_per_month"]:
        errors.append(
            FieldError("days_per_month", _("A monthly wage needs its days a month to become hourly."))
        )
    values["convention_note"] = str(raw.get("convention_note") or "").strip()[:300]
    values["effective_from"] = _date(raw.get("effective_from"), "effective_from", errors)
    if raw.get("effective_from") in (None, ""):
        errors.append(FieldError("effective_from", _("Give the date it is in force from.")))
    values["source"] = str(raw.get("source") or "").strip()[:500]
    if not values["source"]:
        errors.append(FieldError("source", _("Say where the figure comes from, so that it can be defended.")))
    values["notes"] = str(raw.get("notes") or "").strip()[:2000]
    if errors:
        raise ValidationError(message=_("Some of the benchmark's details are not valid."), errors=errors)
    return values


def create_benchmark(organization: Organization, *, data: Mapping[str, Any], actor) -> WageBenchmark:
    tenancy.require_role(actor, organization, STAFF_ROLES)
    values = clean_benchmark(data)
    with transaction.atomic():
        benchmark = WageBenchmark.objects.create(organization=organization, created_by=actor, **values)
        audit.record("benchmark.created", actor=actor, organization=organization, obj=benchmark)
        if benchmark.kind == BenchmarkKind.MINIMUM_WAGE:
            from .tasks import recompute_orders

            transaction.on_commit(lambda: recompute_orders.enqueue(organization.pk))
    return benchmark


def delete_benchmark(benchmark: WageBenchmark, *, actor) -> None:
    tenancy.require_role(actor, benchmark.organization_id, STAFF_ROLES)
    organization_id = benchmark.organization_id
    with transaction.atomic():
        audit.record("benchmark.deleted", actor=actor, organization=organization_id, obj=benchmark)
        benchmark.delete()
        from .tasks import recompute_orders

        transaction.on_commit(lambda: recompute_orders.enqueue(organization_id))


def save_rate(
    organization: Organization,
    *,
    result,
    product: str,
    party=None,
    sector: str = "",
    unit: str = "piece",
    actor,
) -> SavedRate:
    """Keep a calculator result (``rates.FairRate``) for a product and, optionally, a work giver."""
    tenancy.require_role(actor, organization, STAFF_ROLES)
    errors: list[FieldError] = []
    product = " ".join(str(product or "").split())[:200]
    if not product:
        errors.append(FieldError("product", _("Say which product or task the rate is for.")))
    party_row = _party(organization, party, "party", errors, required=False)
    language = translation.get_language() or "en"
    sector = _choice(sector, "sector", Sector, errors, language=language) or ""
    unit = _choice(unit or Unit.PIECE, "unit", Unit, errors, language=language)
    if errors:
        raise ValidationError(message=_("The rate is not saved."), errors=errors)
    with transaction.atomic():
        saved = SavedRate.objects.create(
            organization=organization,
            product=product,
            party=party_row,
            sector=sector,
            unit=unit,
            method=result.method,
            fair_rate=result.fair_rate,
            currency=result.currency,
            explanation=result.explanation,
            inputs=result.inputs,
            saved_by=actor,
        )
        audit.record("fair_rate.saved", actor=actor, organization=organization, obj=saved)
    return saved


def delete_rate(saved: SavedRate, *, actor) -> None:
    tenancy.require_role(actor, saved.organization_id, STAFF_ROLES)
    with transaction.atomic():
        audit.record("fair_rate.deleted", actor=actor, organization=saved.organization_id, obj=saved)
        saved.delete()


# Her rights -----------------------------------------------------------------------------------------


def _jsonable(value):
    if isinstance(value, date | Decimal):
        return str(value)
    return value


def export_sections(member: Member) -> dict[str, list[dict]]:
    """Her work orders and, in sections of their own, their entries (registered with core.rights):
    voided orders and reversals included, marked as such."""
    sections: dict[str, list[dict]] = {"work_orders": [], **{kind: [] for kind in ENTRY_KINDS}}
    orders = WorkOrder.objects.filter(member=member).select_related("party").order_by("given_on", "pk")
    for order in orders:
        row = {"order": order.pk, **{name: _jsonable(getattr(order, name)) for name in ORDER_FIELDS}}
        row["party"] = order.party.name
        row.update({name: _jsonable(getattr(order, name)) for name in derivation.DERIVED_FIELDS})
        row["voided"] = order.voided_at is not None
        row["voided_at"] = order.voided_at.isoformat() if order.voided_at else None
        row["void_reason"] = order.void_reason
        sections["work_orders"].append(row)
        for kind in ENTRY_KINDS:
            for entry in getattr(order, kind).all():
                values = {k: _jsonable(v) for k, v in _entry_raw(kind, entry).items()}
                sections[kind].append(
                    {
                        "order": order.pk,
                        "id": entry.pk,
                        **values,
                        "reverses": entry.reverses_id,
                        "reversal_reason": entry.reversal_reason,
                        "recorded_at": entry.recorded_at.isoformat() if entry.recorded_at else None,
                    }
                )
    return sections


def erase_rows(member: Member) -> None:
    WorkOrder.objects.filter(member=member).delete()


def move_orders(source: Member, target: Member) -> None:
    """Merging two records of one woman: her orders go with the record that stays (and are measured
    against the benchmark of that record's place)."""
    ids = list(WorkOrder.objects.filter(member=source).values_list("pk", flat=True))
    WorkOrder.objects.filter(pk__in=ids).update(member=target)
    recompute(order_ids=ids)
