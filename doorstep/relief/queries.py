"""Reads of relief, always scoped to the acting user's organizations (``core.tenancy``)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, QuerySet, Sum
from django.http import Http404

from doorstep.core import disclosure, tenancy
from doorstep.core.models import Import
from doorstep.core.roles import Role
from doorstep.members.models import Member, MemberIdentifier
from doorstep.supplychains.models import Commitment
from doorstep.work.models import WorkOrder

from .eligibility import Rule
from .models import Fund, LedgerEntry, ListEntry, NetworkDigest, Payment, ReliefList, Round, StatementLine


def funds_of(user, organization=None) -> QuerySet[Fund]:
    return tenancy.scoped(Fund, user, organization)


def get_fund(user, fund_id, organization=None) -> Fund:
    return tenancy.get_scoped_or_404(Fund, user, fund_id, organization)


def lists_of(fund: Fund) -> QuerySet[ReliefList]:
    return ReliefList.objects.filter(organization_id=fund.organization_id, fund=fund).select_related(
        "drawn_by", "approved_by"
    )


def get_list(user, list_id, organization=None) -> ReliefList:
    return tenancy.get_scoped_or_404(ReliefList, user, list_id, organization)


def get_round(user, round_id, organization=None) -> Round:
    return tenancy.get_scoped_or_404(Round, user, round_id, organization)


def entries_of(relief_list: ReliefList) -> QuerySet[ListEntry]:
    return ListEntry.objects.filter(
        organization_id=relief_list.organization_id, relief_list=relief_list
    ).select_related("member", "member__group")


def rounds_of(relief_list: ReliefList) -> QuerySet[Round]:
    return Round.objects.filter(organization_id=relief_list.organization_id, relief_list=relief_list)


def payments_of(round_: Round) -> QuerySet[Payment]:
    return Payment.objects.filter(organization_id=round_.organization_id, round=round_).select_related(
        "member", "recorded_by", "line"
    )


def entry_of(round_: Round, member_id) -> ListEntry:
    """Her entry on the round's list, or 404 (a member not on the list is not paid)."""
    entry = (
        ListEntry.objects.filter(
            organization_id=round_.organization_id, relief_list_id=round_.relief_list_id, member_id=member_id
        )
        .select_related("member", "member__subject_key")
        .first()
    )
    if entry is None:
        raise Http404
    return entry


def commitment_for(organization_id: int, commitment_id, company_id) -> Commitment | None:
    return Commitment.objects.filter(
        organization_id=organization_id, pk=commitment_id, company_id=company_id
    ).first()


def commitments_to(organization_id: int) -> QuerySet[Commitment]:
    return Commitment.objects.filter(organization_id=organization_id).select_related("company")


def members_matching(organization_id: int, rules: list[Rule]) -> QuerySet[Member]:
    """The organization's members for whom every rule holds (merged records left out)."""
    members = Member.objects.filter(organization_id=organization_id, merged_into__isnull=True)
    for rule in rules:
        if rule.field == "group":
            members = members.filter(group__name__in=rule.value)
        elif rule.field == "sector":
            members = members.filter(pk__in=_with_sector(organization_id, rule.value))
        elif rule.field in ("category", "gender", "status", "admin1", "admin2", "locality"):
            members = members.filter(**{f"{rule.field}__in": rule.value})
        elif rule.field == "orders_cancelled_since":
            cancelled = WorkOrder.objects.filter(
                organization_id=organization_id,
                voided_at__isnull=True,
                status="cancelled",
                cancelled_on__gte=rule.value,
            ).values("member_id")
            members = members.filter(pk__in=cancelled)
        elif rule.field == "earnings_share_of_minimum_wage":
            members = members.filter(pk__in=_below_share(organization_id, rule.value, rule.since))
    return members


def _with_sector(organization_id: int, codes: list[str]) -> list[int]:
    # JSON containment is not portable between SQLite and PostgreSQL: read the short lists.
    wanted = set(codes)
    return [
        pk
        for pk, sectors in Member.objects.filter(organization_id=organization_id).values_list("pk", "sectors")
        if wanted & set(sectors or [])
    ]


def _below_share(organization_id: int, share: Decimal, since: date | None) -> list[int]:
    """Members whose net earnings over their orders (``work.derive``'s stored figures) came to less
    than ``share`` of what the applicable minimum wage pays for the same hours: Σ net ÷ Σ (hours ×
    benchmark hourly), over orders with hours and a benchmark, voided ones left out."""
    orders = WorkOrder.objects.filter(
        organization_id=organization_id,
        voided_at__isnull=True,
        total_hours__gt=0,
        benchmark_hourly__isnull=False,
    )
    if since:
        orders = orders.filter(work_date__gte=since)
    owed = ExpressionWrapper(F("total_hours") * F("benchmark_hourly"), output_field=DecimalField())
    rows = orders.values("member_id").annotate(net_total=Sum("net"), minimum_total=Sum(owed))
    return [
        row["member_id"]
        for row in rows
        if row["minimum_total"] and row["net_total"] < share * row["minimum_total"]
    ]


def identifier_digests(organization_id: int, member_ids) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for member_id, digest in MemberIdentifier.objects.filter(
        organization_id=organization_id, member_id__in=list(member_ids)
    ).values_list("member_id", "digest"):
        found.setdefault(member_id, set()).add(digest)
    return found


def other_lists_members(relief_list: ReliefList) -> set[int]:
    """Members on the fund's other lists."""
    return set(
        ListEntry.objects.filter(
            organization_id=relief_list.organization_id, relief_list__fund=relief_list.fund_id
        )
        .exclude(relief_list=relief_list)
        .values_list("member_id", flat=True)
    )


def network_digests_elsewhere(network_id: int, organization_id: int, digests) -> set[str]:
    """Which of these network-keyed digests are on a list of another organization of the network.
    Only the digests come back, never whose they are: the one cross-organization read of relief."""
    return set(
        NetworkDigest.objects.filter(network_id=network_id, digest__in=list(digests))
        .exclude(organization_id=organization_id)
        .values_list("digest", flat=True)
    )


def entries_with_network_digests(network_id: int, organization_id: int, digests) -> QuerySet[ListEntry]:
    """Another organization's entries that share one of these digests (to flag them as well)."""
    return ListEntry.objects.filter(
        network_digests__network_id=network_id, network_digests__digest__in=list(digests)
    ).exclude(organization_id=organization_id)


def payments_by_transaction(organization_id: int, digest: str) -> QuerySet[Payment]:
    return Payment.objects.filter(organization_id=organization_id, transaction_digest=digest)


def payments_by_phone(organization_id: int, digest: str) -> QuerySet[Payment]:
    members = MemberIdentifier.objects.filter(
        organization_id=organization_id, kind="phone", digest=digest
    ).values("member_id")
    return Payment.objects.filter(organization_id=organization_id, member_id__in=members).select_related(
        "member"
    )


def statement_lines(user, import_id, organization=None) -> tuple[Import, QuerySet[StatementLine]]:
    job = tenancy.get_scoped_or_404(Import, user, import_id, organization)
    if job.target != "relief_statement":
        raise Http404
    lines = StatementLine.objects.filter(organization_id=job.organization_id, import_job=job).select_related(
        "payment", "payment__member"
    )
    return job, lines


def statements_of(user, organization) -> QuerySet[Import]:
    return tenancy.scoped(Import, user, organization).filter(target="relief_statement")


def fund_payments(fund: Fund) -> QuerySet[Payment]:
    return Payment.objects.filter(
        organization_id=fund.organization_id, round__relief_list__fund=fund
    ).select_related("member", "round__relief_list")


def lists_of_member(member: Member) -> QuerySet[ListEntry]:
    """Her entries on approved lists, with who decided (for her own page)."""
    return ListEntry.objects.filter(
        organization_id=member.organization_id, member=member, relief_list__status="approved"
    ).select_related("relief_list__fund", "relief_list__drawn_by", "relief_list__approved_by")


def payments_of_member(member: Member) -> QuerySet[Payment]:
    return Payment.objects.filter(organization_id=member.organization_id, member=member).select_related(
        "round"
    )


@dataclass
class ReportRowData:
    key: str
    people: int | None
    amount: Decimal | None
    suppressed: str


@dataclass
class FundReport:
    """What a fund did, as it may leave the organization: people and amounts by place and by
    category, each table protected by ``core.disclosure.protect`` (cells under k people withheld,
    with complementary suppression), totals and the median days from approval to payment shown only
    when at least k people were paid."""

    fund: Fund
    k: int
    people: int | None
    amount: Decimal | None
    median_days: int | None
    by_place: list[ReportRowData]
    by_category: list[ReportRowData]


def _protected_rows(payments: list[Payment], key_of, k: int) -> list[ReportRowData]:
    cells: dict[str, set[int]] = {}
    amounts: dict[str, Decimal] = {}
    for payment in payments:
        key = key_of(payment.member) or "—"
        cells.setdefault(key, set()).add(payment.member_id)
        amounts[key] = amounts.get(key, Decimal(0)) + payment.amount
    # A member paid in two rounds counts once; she belongs to one cell (her place or category).
    memberships = {(member_id, key) for key, ids in cells.items() for member_id in ids}
    protected = disclosure.protect([((key,), member_id) for member_id, key in memberships], k=k, dims=1)
    rows = []
    for key in sorted(cells):
        shown = protected.shown((key,))
        status = (
            "primary"
            if (key,) in protected.primary
            else "complementary"
            if (key,) in protected.complementary
            else ""
        )
        rows.append(
            ReportRowData(key, len(cells[key]) if shown else None, amounts[key] if shown else None, status)
        )
    return rows


def fund_report(fund: Fund, *, k: int | None = None) -> FundReport:
    k = disclosure.checked_k(k)
    payments = list(fund_payments(fund))
    people = {payment.member_id for payment in payments}
    enough = len(people) >= k
    days = sorted(
        (payment.paid_on - payment.round.relief_list.approved_at.date()).days
        for payment in payments
        if payment.round.relief_list.approved_at
    )
    return FundReport(
        fund=fund,
        k=k,
        people=len(people) if enough else None,
        amount=sum((p.amount for p in payments), Decimal(0)) if enough else None,
        median_days=days[len(days) // 2] if enough and days else None,
        by_place=_protected_rows(payments, lambda m: m.admin1, k),
        by_category=_protected_rows(payments, lambda m: m.get_category_display(), k),
    )


def ledger_of(fund: Fund) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(organization_id=fund.organization_id, fund=fund).select_related(
        "recorded_by", "source"
    )


def reversed_ids(fund: Fund) -> set[int]:
    return set(ledger_of(fund).filter(reverses__isnull=False).values_list("reverses_id", flat=True))


def fund_entry(fund: Fund, entry_id) -> LedgerEntry:
    entry = ledger_of(fund).filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    return entry


def unmatched_lines(organization_id: int, reference: str, amount, on) -> QuerySet[StatementLine]:
    return StatementLine.objects.filter(
        organization_id=organization_id, reference=reference, amount=amount, on=on, payment__isnull=True
    )


def fund_for_report(user, fund_id) -> Fund:
    """A fund whose protected figures the user may read: staff of its organization, or the people
    of a company that contributed to it (a donor reads its fund's report, never a row of it)."""
    staff = tenancy.scoped(Fund, user).filter(pk=fund_id).first()
    if staff is not None:
        return staff
    companies = tenancy.organization_ids(user, {Role.COMPANY, Role.ORG_ADMIN})
    fund = Fund.objects.filter(pk=fund_id, sources__company_id__in=list(companies)).distinct().first()
    if fund is None:
        raise Http404
    return fund
