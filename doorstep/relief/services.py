"""Every write of relief: funds and their ledger, lists drawn from criteria and approved by a second
person, rounds, payments and the statement's reconciliation; and her rights (export, erasure).

Each service takes a typed input and the acting user as keyword-only ``actor``, checks her role
first, runs in one transaction, locks what it changes and writes the audit event (ids only) in it.
"""

import secrets
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core import audit, money, tenancy, vault
from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.roles import STAFF_ROLES
from doorstep.members.models import Member, Purpose
from doorstep.members.queries import consenting_members
from doorstep.members.services.pii import PII_PURPOSE
from doorstep.organizations.models import Affiliation, Organization

from . import eligibility, queries
from .models import (
    EntryKind,
    Evidence,
    Fund,
    FundSource,
    HandoverCode,
    LedgerEntry,
    ListEntry,
    ListStatus,
    Method,
    NetworkDigest,
    Payment,
    ReliefList,
    Round,
    SourceKind,
    StatementLine,
)

TRANSACTION_PURPOSE = "relief.transaction"
MAX_AMOUNT = Decimal("10000000000000")


def _fail(field_name: str, message: str, code: str = "invalid") -> ValidationError:
    return ValidationError.for_field(field_name, message, code=code)


def _amount(value, name: str, errors: list[FieldError]) -> Decimal | None:
    return money.decimal(value, name, errors, required=True, positive=True, places=2, maximum=MAX_AMOUNT)


def _text(value, name: str, errors: list[FieldError], *, required: bool = True, max_length: int = 200) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        errors.append(FieldError(name, _("This field is required.")))
    elif len(text) > max_length:
        errors.append(FieldError(name, _("Keep this under %(n)d characters.") % {"n": max_length}))
    return text


def _raise(errors: list[FieldError]) -> None:
    if errors:
        raise ValidationError(message=errors[0].message, errors=errors)


# Funds and the ledger ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FundIn:
    name: str
    purpose: str
    currency: str


def create_fund(organization: Organization, data: FundIn, *, actor) -> Fund:
    tenancy.require_role(actor, organization, STAFF_ROLES)
    errors: list[FieldError] = []
    name = _text(data.name, "name", errors)
    purpose = _text(data.purpose, "purpose", errors, max_length=2000)
    currency = money.currency(data.currency, "currency", errors)
    _raise(errors)
    with transaction.atomic():
        fund = Fund.objects.create(
            organization=organization, name=name, purpose=purpose, currency=currency, created_by=actor
        )
        audit.record("relief.fund_created", actor=actor, organization=organization, obj=fund)
    return fund


@dataclass(frozen=True)
class SourceIn:
    kind: str
    name: str = ""
    company_id: int | None = None
    commitment_id: int | None = None
    pledged: Decimal | str | None = None


def add_source(fund: Fund, data: SourceIn, *, actor) -> FundSource:
    """A source of money; a company's contribution names the company and, if it made one to this
    organization, the commitment it fulfils."""
    tenancy.require_role(actor, fund.organization_id, STAFF_ROLES)
    errors: list[FieldError] = []
    if data.kind not in SourceKind.values:
        errors.append(FieldError("kind", _("Unknown kind of source.")))
    pledged = None
    if data.pledged not in (None, ""):
        pledged = money.decimal(data.pledged, "pledged", errors, positive=True, places=2, maximum=MAX_AMOUNT)
    company = commitment = None
    if data.kind == SourceKind.COMPANY:
        company = Organization.objects.filter(pk=data.company_id or 0, kind=Organization.Kind.COMPANY).first()
        if company is None:
            errors.append(FieldError("company_id", _("Choose the company that contributes.")))
        elif data.commitment_id:
            commitment = queries.commitment_for(fund.organization_id, data.commitment_id, company.pk)
            if commitment is None:
                errors.append(
                    FieldError(
                        "commitment_id", _("This company made no such commitment to your organization.")
                    )
                )
    elif data.company_id or data.commitment_id:
        errors.append(FieldError("company_id", _("Only a company's contribution names a company.")))
    name = _text(data.name or (company.name if company else ""), "name", errors)
    _raise(errors)
    with transaction.atomic():
        source = FundSource.objects.create(
            organization_id=fund.organization_id,
            fund=fund,
            kind=data.kind,
            name=name,
            company=company,
            commitment=commitment,
            pledged=pledged,
        )
        audit.record(
            "relief.source_added",
            actor=actor,
            organization=fund.organization_id,
            obj=fund,
            metadata={"source_id": source.pk, "kind": data.kind},
        )
    return source


_COLUMN = {
    EntryKind.RECEIVED: "received",
    EntryKind.ALLOCATED: "allocated",
    EntryKind.PAID_OUT: "paid_out",
    EntryKind.RETURNED: "returned",
}


def _beyond_balance(fund: Fund, amount: Decimal) -> ValidationError:
    return _fail(
        "amount",
        _("The fund holds %(balance)s %(currency)s; %(amount)s is beyond its balance. Nothing was recorded.")
        % {"balance": money.shown(fund.balance), "currency": fund.currency, "amount": money.shown(amount)},
        code="beyond_balance",
    )


def _move(fund: Fund, kind: str, amount: Decimal) -> None:
    """Move the fund's total for ``kind`` by ``amount`` (negative for a reversal), on a row the caller
    has locked. The database's check refuses a negative balance even if this check were skipped."""
    column = _COLUMN[kind]
    lowers_balance = (kind in (EntryKind.PAID_OUT, EntryKind.RETURNED) and amount > 0) or (
        kind == EntryKind.RECEIVED and amount < 0
    )
    if lowers_balance and abs(amount) > fund.balance:
        raise _beyond_balance(fund, abs(amount))
    if getattr(fund, column) + amount < 0:
        raise _fail("amount", _("This would make the fund's total negative."), code="negative_total")
    try:
        with transaction.atomic():
            Fund.objects.filter(pk=fund.pk).update(**{column: F(column) + amount})
    except IntegrityError:
        raise _beyond_balance(fund, abs(amount)) from None
    fund.refresh_from_db()


def _locked(fund: Fund) -> Fund:
    return Fund.objects.select_for_update().get(pk=fund.pk)


@dataclass(frozen=True)
class EntryIn:
    kind: str
    amount: Decimal | str
    on: date | str
    source_id: int | None = None
    note: str = ""


def record_entry(fund: Fund, data: EntryIn, *, actor) -> LedgerEntry:
    """Money received (from a source), allocated or returned. A payout is recorded with its payment
    (``record_payment``); one beyond the balance is refused and nothing is written."""
    tenancy.require_role(actor, fund.organization_id, STAFF_ROLES)
    errors: list[FieldError] = []
    if data.kind not in (EntryKind.RECEIVED, EntryKind.ALLOCATED, EntryKind.RETURNED):
        errors.append(
            FieldError("kind", _("Record received, allocated or returned money here; a payout is a payment."))
        )
    amount = _amount(data.amount, "amount", errors)
    on = money_date(data.on, "on", errors)
    note = _text(data.note, "note", errors, required=False, max_length=300)
    source = None
    if data.source_id:
        source = FundSource.objects.filter(
            fund=fund, organization_id=fund.organization_id, pk=data.source_id
        ).first()
        if source is None:
            errors.append(FieldError("source_id", _("This fund has no such source.")))
    elif data.kind == EntryKind.RECEIVED:
        errors.append(FieldError("source_id", _("Say where the money came from.")))
    _raise(errors)
    with transaction.atomic():
        locked = _locked(fund)
        _move(locked, data.kind, amount)
        entry = LedgerEntry.objects.create(
            organization_id=fund.organization_id,
            fund=fund,
            kind=data.kind,
            amount=amount,
            on=on,
            source=source,
            note=note,
            recorded_by=actor,
        )
        audit.record(
            "relief.entry_recorded",
            actor=actor,
            organization=fund.organization_id,
            obj=fund,
            metadata={"entry_id": entry.pk, "kind": data.kind},
        )
    fund.refresh_from_db()
    return entry


def money_date(value, name: str, errors: list[FieldError]) -> date | None:
    if value in (None, ""):
        errors.append(FieldError(name, _("Give a date as YYYY-MM-DD.")))
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        errors.append(FieldError(name, _("Give a date as YYYY-MM-DD.")))
        return None


def reverse_entry(fund: Fund, entry_id: int, *, reason: str, actor) -> LedgerEntry:
    """Correct an entry by its reversal (amount negated, who, when, why). An entry is reversed once;
    a reversal is not reversed; a payout stands (money handed over is not undone: record what she
    returned instead)."""
    tenancy.require_role(actor, fund.organization_id, STAFF_ROLES)
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise _fail("reason", _("Say why this entry is corrected."))
    if len(reason) > 300:
        raise _fail("reason", _("Keep this under %(n)d characters.") % {"n": 300})
    with transaction.atomic():
        locked = _locked(fund)
        entry = LedgerEntry.objects.filter(
            organization_id=fund.organization_id, fund=fund, pk=entry_id
        ).first()
        if entry is None:
            raise _fail("entry", _("This fund has no such entry."), code="not_found")
        if entry.is_reversal:
            raise _fail(
                "entry", _("A correction cannot be reversed; record a new entry instead."), code="is_reversal"
            )
        if LedgerEntry.objects.filter(reverses=entry).exists():
            raise _fail("entry", _("This entry is already reversed."), code="already_reversed")
        if entry.kind == EntryKind.PAID_OUT:
            raise _fail(
                "entry",
                _("A payout is not reversed: money handed over stands. Record what was returned instead."),
                code="is_payout",
            )
        _move(locked, entry.kind, -entry.amount)
        reversal = LedgerEntry.objects.create(
            organization_id=fund.organization_id,
            fund=fund,
            kind=entry.kind,
            amount=-entry.amount,
            on=timezone.localdate(),
            source=entry.source,
            reverses=entry,
            reversal_reason=reason,
            recorded_by=actor,
        )
        audit.record(
            "relief.entry_reversed",
            actor=actor,
            organization=fund.organization_id,
            obj=fund,
            metadata={"entry_id": entry.pk, "reversal_id": reversal.pk},
        )
    fund.refresh_from_db()
    return reversal


# Lists ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListIn:
    name: str
    rules: list
    amount: Decimal | str
    network_id: int | None = None


def _pii(member: Member) -> dict:
    return vault.open_sealed(member.subject_key, member.pii, purpose=PII_PURPOSE)


def _network_values(pii: dict) -> list[str]:
    values = [f"phone|{phone}" for phone in pii.get("phones", [])]
    values += [f"id|{item['kind']}:{item['number']}" for item in pii.get("id_numbers", [])]
    return values


def draw_list(fund: Fund, data: ListIn, *, actor) -> ReliefList:
    """Draw a list from the criteria (rules as in ``eligibility``), flag duplicates, and leave it for a
    second person to approve. Without a rule on status, only active members are drawn.

    Duplicates, flagged, never removed: two members here with the same phone or ID number (by the
    blind index), a member on another list of the same fund, and, for a list shared with a network,
    the same number on a list of another organization of that network. The network check uses
    digests keyed by the network's own key, written only for members who consented to network
    sharing, and answers only "found": the other organization sees its own entry flagged, never who."""
    tenancy.require_role(actor, fund.organization_id, STAFF_ROLES)
    errors: list[FieldError] = []
    name = _text(data.name, "name", errors)
    amount = _amount(data.amount, "amount", errors)
    network = None
    if data.network_id:
        network = Organization.objects.filter(
            pk__in=Affiliation.objects.filter(
                member_id=fund.organization_id, network_id=data.network_id, until__isnull=True
            ).values("network_id")
        ).first()
        if network is None:
            errors.append(
                FieldError("network_id", _("Your organization is not affiliated with this network."))
            )
    try:
        rules = eligibility.parse_rules(data.rules)
    except ValidationError as error:
        errors += error.errors
        rules = []
    if errors:
        raise ValidationError(
            message=_("The list cannot be drawn."),
            code="invalid_rule" if any(e.field.startswith("rules") for e in errors) else "invalid",
            errors=errors,
        )
    if not any(rule.field == "status" for rule in rules):
        rules_for_query = [*rules, eligibility.Rule("status", "in", ["active"])]
    else:
        rules_for_query = rules
    members = list(
        queries.members_matching(fund.organization_id, rules_for_query).select_related("subject_key")
    )
    if not members:
        raise _fail("rules", _("No member meets these criteria; nothing was drawn."), code="empty_list")
    with transaction.atomic():
        relief_list = ReliefList.objects.create(
            organization_id=fund.organization_id,
            fund=fund,
            name=name,
            rules=[rule.as_json() for rule in rules],
            amount=amount,
            network=network,
            drawn_by=actor,
        )
        entries = ListEntry.objects.bulk_create(
            [
                ListEntry(organization_id=fund.organization_id, relief_list=relief_list, member=m)
                for m in members
            ]
        )
        _flag_here(relief_list, entries)
        if network is not None:
            _flag_network(relief_list, entries, members, network, actor=actor)
        audit.record(
            "relief.list_drawn",
            actor=actor,
            organization=fund.organization_id,
            obj=relief_list,
            metadata={"entries": len(entries), "network_id": network.pk if network else None},
        )
    return relief_list


def _flag_here(relief_list: ReliefList, entries: list[ListEntry]) -> None:
    by_member = {entry.member_id: entry for entry in entries}
    digests = queries.identifier_digests(relief_list.organization_id, by_member)
    owners: dict[str, set[int]] = {}
    for member_id, found in digests.items():
        for digest in found:
            owners.setdefault(digest, set()).add(member_id)
    shared = {member_id for ids in owners.values() if len(ids) > 1 for member_id in ids}
    elsewhere = queries.other_lists_members(relief_list)
    elsewhere_digests = {
        d for ids in queries.identifier_digests(relief_list.organization_id, elsewhere).values() for d in ids
    }
    for member_id, entry in by_member.items():
        entry.same_number_here = member_id in shared
        entry.on_another_list = member_id in elsewhere or bool(
            digests.get(member_id, set()) & elsewhere_digests
        )
    ListEntry.objects.bulk_update(entries, ["same_number_here", "on_another_list"])


def _flag_network(relief_list, entries, members, network, *, actor) -> None:
    consenting = set(
        consenting_members([relief_list.organization_id], Purpose.NETWORK_SHARING, timezone.localdate())
        .filter(pk__in=[m.pk for m in members])
        .values_list("pk", flat=True)
    )
    by_member = {entry.member_id: entry for entry in entries}
    shared = [m for m in members if m.pk in consenting]
    audit.record_reads(
        "relief.numbers_read",
        actor=actor,
        rows=shared,
        object_type="members.member",
        ids_key="member_ids",
        reason="network_duplicates",
    )
    rows = []
    for member in shared:
        for value in _network_values(_pii(member)):
            rows.append(
                NetworkDigest(
                    organization_id=relief_list.organization_id,
                    network=network,
                    entry=by_member[member.pk],
                    digest=vault.blind_index(network.pk, "relief", value),
                )
            )
    if not rows:
        return
    digests = {row.digest for row in rows}
    found = queries.network_digests_elsewhere(network.pk, relief_list.organization_id, digests)
    NetworkDigest.objects.bulk_create(rows)
    flagged = {row.entry.pk for row in rows if row.digest in found}
    ListEntry.objects.filter(pk__in=flagged).update(in_network=True)
    # Their side is flagged too: only the flag, on their own entry.
    queries.entries_with_network_digests(network.pk, relief_list.organization_id, found).update(
        in_network=True
    )
    for entry in entries:
        entry.in_network = entry.pk in flagged


def approve_list(relief_list: ReliefList, *, actor) -> ReliefList:
    """A second person approves the list; the person who drew it cannot."""
    tenancy.require_role(actor, relief_list.organization_id, STAFF_ROLES)
    with transaction.atomic():
        locked = ReliefList.objects.select_for_update().get(pk=relief_list.pk)
        if locked.status == ListStatus.APPROVED:
            raise _fail("status", _("This list is already approved."), code="already_approved")
        if locked.drawn_by_id == actor.pk:
            raise _fail(
                "approved_by",
                _("You drew this list: another person must review and approve it."),
                code="second_person_needed",
            )
        locked.status, locked.approved_by, locked.approved_at = ListStatus.APPROVED, actor, timezone.now()
        locked.save(update_fields=["status", "approved_by", "approved_at"])
        audit.record("relief.list_approved", actor=actor, organization=locked.organization_id, obj=locked)
    relief_list.refresh_from_db()
    return relief_list


# Rounds and payments -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundIn:
    name: str
    method: str
    opens_on: date | str
    amount: Decimal | str | None = None
    in_kind: str = ""


def create_round(relief_list: ReliefList, data: RoundIn, *, actor) -> Round:
    tenancy.require_role(actor, relief_list.organization_id, STAFF_ROLES)
    errors: list[FieldError] = []
    if relief_list.status != ListStatus.APPROVED:
        raise _fail("status", _("Approve the list before paying from it."), code="not_approved")
    name = _text(data.name, "name", errors)
    if data.method not in Method.values:
        errors.append(FieldError("method", _("Choose cash, mobile money or in kind.")))
    amount = relief_list.amount if data.amount in (None, "") else _amount(data.amount, "amount", errors)
    in_kind = _text(data.in_kind, "in_kind", errors, required=data.method == Method.IN_KIND)
    opens_on = money_date(data.opens_on, "opens_on", errors)
    _raise(errors)
    with transaction.atomic():
        made = Round.objects.create(
            organization_id=relief_list.organization_id,
            relief_list=relief_list,
            name=name,
            method=data.method,
            amount=amount,
            in_kind=in_kind,
            opens_on=opens_on,
            created_by=actor,
        )
        audit.record("relief.round_created", actor=actor, organization=made.organization_id, obj=made)
    return made


def _code_digest(round_: Round, member_id: int, code: str) -> str:
    return vault.blind_index(round_.organization_id, "relief-code", f"{round_.pk}:{member_id}:{code}")


def issue_code(round_: Round, member_id: int, *, actor) -> str:
    """A one-time code for her to show at the handover (given to her once; kept as a digest). A new
    code replaces one not yet used."""
    tenancy.require_role(actor, round_.organization_id, STAFF_ROLES)
    entry = queries.entry_of(round_, member_id)
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        existing = HandoverCode.objects.select_for_update().filter(round=round_, member=entry.member).first()
        if existing and existing.used_at:
            raise _fail("member_id", _("Her code for this round was already used."), code="code_used")
        if existing:
            existing.digest = _code_digest(round_, entry.member_id, code)
            existing.save(update_fields=["digest"])
        else:
            HandoverCode.objects.create(
                organization_id=round_.organization_id,
                round=round_,
                member=entry.member,
                digest=_code_digest(round_, entry.member_id, code),
            )
        audit.record(
            "relief.code_issued",
            actor=actor,
            organization=round_.organization_id,
            obj=round_,
            metadata={"member_id": entry.member_id},
        )
    return code


def normalize_transaction(raw) -> str:
    return "".join(str(raw or "").split()).upper()


def transaction_digest(organization_id: int, normalized: str) -> str:
    return vault.blind_index(organization_id, "relief-txn", normalized)


@dataclass(frozen=True)
class PaymentIn:
    member_id: int
    evidence: str
    paid_on: date | str
    card_text: str = ""
    member_number: int | None = None
    code: str = ""
    transaction_id: str = ""


def _check_evidence(
    round_: Round, member: Member, data: PaymentIn, errors: list[FieldError]
) -> HandoverCode | None:
    if data.evidence not in Evidence.values:
        errors.append(FieldError("evidence", _("Choose her card, a one-time code or a transaction id.")))
        return None
    if round_.method == Method.MOBILE_MONEY and data.evidence != Evidence.TRANSACTION:
        errors.append(FieldError("evidence", _("A mobile-money payment is proved by its transaction id.")))
    if round_.method != Method.MOBILE_MONEY and data.evidence == Evidence.TRANSACTION:
        errors.append(FieldError("evidence", _("A transaction id proves only a mobile-money payment.")))
    if data.evidence == Evidence.CARD:
        # Her card's QR code is her organization's login address (nothing about her is in it): it
        # proves the card is of this organization; the number printed on it says whose it is.
        text = str(data.card_text or "").strip().rstrip("/")
        if not text.endswith(f"/orgs/{round_.organization.slug}/login"):
            errors.append(FieldError("card_text", _("This is not a card of your organization.")))
        if data.member_number != member.number:
            errors.append(FieldError("member_number", _("The number on the card is not hers.")))
    elif data.evidence == Evidence.CODE:
        code = "".join(str(data.code or "").split())
        held = HandoverCode.objects.select_for_update().filter(round=round_, member=member).first()
        if held is None or held.digest != _code_digest(round_, member.pk, code):
            errors.append(FieldError("code", _("This code is not hers for this round.")))
        elif held.used_at:
            errors.append(FieldError("code", _("This code was already used.")))
        else:
            return held
    elif not normalize_transaction(data.transaction_id):
        errors.append(FieldError("transaction_id", _("Give the mobile-money transaction id.")))
    elif len(normalize_transaction(data.transaction_id)) > 64:
        errors.append(FieldError("transaction_id", _("Keep this under %(n)d characters.") % {"n": 64}))
    return None


def _already_paid() -> ValidationError:
    return _fail(
        "member_id", _("She was already paid in this round; nothing was recorded."), code="already_paid"
    )


def record_payment(round_: Round, data: PaymentIn, *, actor) -> Payment:
    """Record her payment in the round, with its proof, and the payout in the fund's ledger, in one
    transaction: once per person and round (the database refuses a second), never beyond the fund's
    balance, a transaction id used once."""
    tenancy.require_role(actor, round_.organization_id, STAFF_ROLES)
    entry = queries.entry_of(round_, data.member_id)
    member = entry.member
    errors: list[FieldError] = []
    paid_on = money_date(data.paid_on, "paid_on", errors)
    _raise(errors)
    try:
        with transaction.atomic():
            fund = _locked(round_.relief_list.fund)
            if Payment.objects.filter(
                organization_id=round_.organization_id, round=round_, member=member
            ).exists():
                raise _already_paid()
            held = _check_evidence(round_, member, data, errors)
            digest = sealed = None
            if data.evidence == Evidence.TRANSACTION and not errors:
                normalized = normalize_transaction(data.transaction_id)
                digest = transaction_digest(round_.organization_id, normalized)
                if queries.payments_by_transaction(round_.organization_id, digest).exists():
                    errors.append(FieldError("transaction_id", _("This transaction id is already recorded.")))
                sealed = vault.seal(
                    member.subject_key, {"transaction_id": normalized}, purpose=TRANSACTION_PURPOSE
                )
            _raise(errors)
            _move(fund, EntryKind.PAID_OUT, round_.amount)
            ledger = LedgerEntry.objects.create(
                organization_id=round_.organization_id,
                fund=fund,
                kind=EntryKind.PAID_OUT,
                amount=round_.amount,
                on=paid_on,
                note=round_.name[:300],
                recorded_by=actor,
            )
            payment = Payment.objects.create(
                organization_id=round_.organization_id,
                round=round_,
                member=member,
                amount=round_.amount,
                paid_on=paid_on,
                evidence=data.evidence,
                sealed=sealed,
                transaction_digest=digest or "",
                entry=ledger,
                recorded_by=actor,
            )
            if held is not None:
                held.used_at = timezone.now()
                held.save(update_fields=["used_at"])
            audit.record(
                "relief.payment_recorded",
                actor=actor,
                organization=round_.organization_id,
                obj=round_,
                metadata={"payment_id": payment.pk, "member_id": member.pk, "evidence": data.evidence},
            )
    except IntegrityError:
        # The same person and round written by another request at the same moment.
        raise _already_paid() from None
    return payment


# Statements ----------------------------------------------------------------------------------------


@dataclass
class StatementState:
    """What an import has matched so far: payment id -> row (a payment is matched once)."""

    matched: dict[int, int] = field(default_factory=dict)


class AlreadyReconciled(Exception):
    """The line's payment is reconciled by an earlier statement (the same file imported again)."""


def match_line(
    organization: Organization,
    *,
    transaction_id: str,
    phone_digest: str,
    amount: Decimal,
    row: int,
    state: StatementState,
) -> tuple[int | None, bool]:
    """(payment id or None, amount differs) for a statement line, by its transaction id, else by the
    phone number's blind index. ``ValidationError`` naming the column for a line that points at two
    people (the transaction id at one, the phone at another; or a number two members share), or at
    a payment another row of the file took; ``AlreadyReconciled`` for a payment reconciled before."""
    by_transaction: list[Payment] = []
    if transaction_id:
        by_transaction = list(
            queries.payments_by_transaction(
                organization.pk, transaction_digest(organization.pk, transaction_id)
            )
        )
    by_phone = list(queries.payments_by_phone(organization.pk, phone_digest)) if phone_digest else []
    people = sorted({payment.member.number for payment in by_transaction + by_phone})
    if len(people) > 1:
        raise _fail(
            "phone",
            _("This line points at %(n)d different members (#%(numbers)s): check it by hand.")
            % {"n": len(people), "numbers": ", #".join(str(n) for n in people)},
            code="two_people",
        )
    column = "transaction_id"
    candidates = by_transaction
    if not candidates and by_phone:
        column = "phone"
        open_ones = [payment for payment in by_phone if not hasattr(payment, "line") or payment.line is None]
        if not open_ones:
            raise AlreadyReconciled
        candidates = [payment for payment in open_ones if payment.amount == amount] or open_ones
        if len(candidates) > 1:
            raise _fail(
                "phone",
                _("This line fits %(n)d payments of one member; match it by its transaction id.")
                % {"n": len(candidates)},
                code="several_payments",
            )
    if not candidates:
        return None, False
    payment = candidates[0]
    if StatementLine.objects.filter(organization_id=organization.pk, payment=payment).exists():
        raise AlreadyReconciled
    if payment.pk in state.matched:
        raise _fail(
            column,
            _("Row %(row)d of this file already matched this payment.") % {"row": state.matched[payment.pk]},
            code="matched_twice",
        )
    state.matched[payment.pk] = row
    return payment.pk, payment.amount != amount


def unmatched_before(organization: Organization, *, reference: str, amount: Decimal, on) -> bool:
    """Whether this unmatched line was imported before (the same statement again)."""
    return bool(reference) and queries.unmatched_lines(organization.pk, reference, amount, on).exists()


def write_statement_lines(
    organization: Organization, rows: list[tuple[int, dict]], *, actor, job
) -> list[int]:
    """Write checked lines (inside the import's transaction); a payment taken meanwhile is left out."""
    taken = set(
        StatementLine.objects.filter(
            organization_id=organization.pk,
            payment_id__in=[v["payment_id"] for _r, v in rows if v["payment_id"]],
        ).values_list("payment_id", flat=True)
    )
    lines = [
        StatementLine(
            organization=organization,
            import_job=job,
            row=row,
            amount=values["amount"],
            on=values["on"],
            payment_id=None if values["payment_id"] in taken else values["payment_id"],
            amount_differs=values["amount_differs"] and values["payment_id"] not in taken,
            reference=values["reference"],
        )
        for row, values in rows
    ]
    made = StatementLine.objects.bulk_create(lines)
    audit.record(
        "relief.statement_lines",
        actor=actor,
        organization=organization,
        obj=job,
        metadata={"lines": len(made), "matched": sum(1 for line in made if line.payment_id)},
    )
    return [line.pk for line in made]


# Her rights ----------------------------------------------------------------------------------------


def export_sections(member: Member) -> dict[str, list[dict]]:
    """What relief holds about her (registered with core.rights)."""
    lists = [
        {
            "fund": entry.relief_list.fund.name,
            "list": entry.relief_list.name,
            "status": entry.relief_list.status,
            "criteria": entry.relief_list.rules,
            "flags": {
                "same_number_here": entry.same_number_here,
                "on_another_list": entry.on_another_list,
                "in_network": entry.in_network,
            },
        }
        for entry in ListEntry.objects.filter(member=member).select_related("relief_list__fund")
    ]
    payments = []
    for payment in Payment.objects.filter(member=member).select_related("round"):
        opened = (
            vault.open_sealed(member.subject_key, payment.sealed, purpose=TRANSACTION_PURPOSE)
            if payment.sealed
            else {}
        )
        payments.append(
            {
                "round": payment.round.name,
                "amount": str(payment.amount),
                "paid_on": payment.paid_on.isoformat(),
                "evidence": payment.evidence,
                "transaction_id": opened.get("transaction_id", ""),
            }
        )
    return {"lists": lists, "payments": payments}


def erase_rows(member: Member) -> None:
    """Remove relief's rows about her (registered with core.rights). The fund's ledger keeps its
    payouts (money that was handed over), with nothing left that points at her."""
    NetworkDigest.objects.filter(entry__member=member).delete()
    HandoverCode.objects.filter(member=member).delete()
    StatementLine.objects.filter(payment__member=member).update(payment=None)
    Payment.objects.filter(member=member).delete()
    ListEntry.objects.filter(member=member).delete()
