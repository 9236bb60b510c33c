"""Reads of grievances, always through the acting user (``core.tenancy``), and the organization's
own statistics of them (inside the organization: nothing suppressed); the intake link and the
reports waiting; cases shared with a company, read by the organization and by the company."""

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from doorstep.core import tenancy
from doorstep.core.roles import STAFF_ROLES
from doorstep.members.models import Purpose
from doorstep.members.queries import consenting_members
from doorstep.organizations.models import RoleAssignment, SharingPurpose
from doorstep.organizations.queries import sharing_organization_ids

from .models import (
    FINISHED,
    Case,
    CaseAction,
    CaseAttachment,
    CaseShare,
    CaseStatus,
    Category,
    IntakeChannel,
    IntakeReport,
    IntakeStatus,
    Remedy,
    RemedyKind,
)

FILTERS = ("status", "category", "party", "member", "taken_by", "open")


def cases_of(user, organization=None) -> QuerySet[Case]:
    return tenancy.scoped(Case, user, organization, roles=STAFF_ROLES).select_related(
        "subject_key", "taken_by"
    )


def get_case(user, case_id, organization=None) -> Case:
    return tenancy.get_scoped_or_404(
        Case,
        user,
        case_id,
        organization,
        roles=STAFF_ROLES,
        select_related=("subject_key", "taken_by"),
        prefetch_related=("members", "parties", "orders__party"),
    )


def staff_of(user, organization) -> list:
    """The organizers and admins a case can be given to."""
    rows = (
        tenancy.scoped(RoleAssignment, user, organization, roles=STAFF_ROLES)
        .filter(is_active=True, role__in=STAFF_ROLES)
        .select_related("user")
        .order_by("user__username")
    )
    return [row.user for row in rows]


def filter_cases(queryset: QuerySet[Case], filters: dict) -> QuerySet[Case]:
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("open") in (True, "1", "true"):
        queryset = queryset.exclude(status__in=FINISHED)
    if filters.get("category"):
        queryset = queryset.filter(category=filters["category"])
    if filters.get("party"):
        queryset = queryset.filter(parties=filters["party"])
    if filters.get("member"):
        queryset = queryset.filter(members=filters["member"])
    if filters.get("taken_by"):
        queryset = queryset.filter(taken_by=filters["taken_by"])
    return queryset.distinct()


def get_action(user, action_id, organization=None) -> CaseAction:
    return tenancy.get_scoped_or_404(CaseAction, user, action_id, organization, roles=STAFF_ROLES)


def get_attachment(user, attachment_id, organization=None) -> CaseAttachment:
    return tenancy.get_scoped_or_404(
        CaseAttachment,
        user,
        attachment_id,
        organization,
        roles=STAFF_ROLES,
        select_related=("case__subject_key",),
    )


def deadlines(user, organization, *, within_days: int = 7, mine_only: bool = False) -> QuerySet[CaseAction]:
    """Open deadlines due within the days given (and those already past), soonest first."""
    horizon = timezone.localdate() + timedelta(days=within_days)
    rows = (
        tenancy.scoped(CaseAction, user, organization, roles=STAFF_ROLES)
        .filter(deadline__isnull=False, deadline_done_at__isnull=True, deadline__lte=horizon)
        .exclude(case__status__in=FINISHED)
        .select_related("case")
        .order_by("deadline", "pk")
    )
    if mine_only:
        rows = rows.filter(Q(case__taken_by=user) | Q(case__taken_by__isnull=True))
    return rows


def owed(case: Case) -> dict[str, Decimal]:
    """What the case's linked orders still owe, by currency."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for order in case.orders.all():
        if order.status != "cancelled" and order.owed > 0:
            totals[order.currency] += order.owed
    return dict(totals)


@dataclass
class Stats:
    total: int
    open: int
    by_category: list[tuple[str, str, int]]
    by_status: list[tuple[str, str, int]]
    by_party: list[tuple[int, str, int]]
    median_days_to_resolution: float | None
    resolved: int
    recovered_by_party: list[tuple[str, str, Decimal]]  # (party, currency, amount)
    recovered_by_month: list[tuple[str, str, Decimal]]  # (YYYY-MM, currency, amount)


def stats(user, organization, *, start: date | None = None, end: date | None = None) -> Stats:
    cases = tenancy.scoped(Case, user, organization, roles=STAFF_ROLES)
    if start:
        cases = cases.filter(opened_on__gte=start)
    if end:
        cases = cases.filter(opened_on__lte=end)
    labels = dict(Category.choices)
    status_labels = dict(CaseStatus.choices)
    by_category = [
        (row["category"], str(labels.get(row["category"], row["category"])), row["n"])
        for row in cases.values("category").annotate(n=Count("pk")).order_by("-n", "category")
    ]
    by_status = [
        (row["status"], str(status_labels.get(row["status"], row["status"])), row["n"])
        for row in cases.values("status").annotate(n=Count("pk")).order_by("status")
    ]
    by_party = [
        (row["parties"], row["parties__name"], row["n"])
        for row in cases.filter(parties__isnull=False)
        .values("parties", "parties__name")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", "parties__name")
    ]
    durations = [
        (finished - opened).days
        for opened, finished in cases.filter(
            status=CaseStatus.RESOLVED, finished_on__isnull=False
        ).values_list("opened_on", "finished_on")
    ]
    remedies = tenancy.scoped(Remedy, user, organization, roles=STAFF_ROLES).filter(
        case__in=cases, kind=RemedyKind.MONEY, amount__isnull=False
    )
    by_party_money: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    by_month: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for remedy in remedies.prefetch_related("case__parties"):
        names = [p.name for p in remedy.case.parties.all()] or ["—"]
        # A case against several work givers: the money counts under the first, not once for each.
        by_party_money[(sorted(names)[0], remedy.currency)] += remedy.amount
        by_month[(remedy.received_on.strftime("%Y-%m"), remedy.currency)] += remedy.amount
    return Stats(
        total=cases.count(),
        open=cases.exclude(status__in=FINISHED).count(),
        by_category=by_category,
        by_status=by_status,
        by_party=by_party,
        median_days_to_resolution=float(statistics.median(durations)) if durations else None,
        resolved=len(durations),
        recovered_by_party=sorted(
            ((p, c, a) for (p, c), a in by_party_money.items()), key=lambda r: (r[1], -r[2])
        ),
        recovered_by_month=sorted((m, c, a) for (m, c), a in by_month.items()),
    )


# Intake ------------------------------------------------------------------------------------------------


def open_channel_by_code(code: str):
    """The open intake channel at this public address (no user: the intake form is public)."""
    return (
        IntakeChannel.objects.filter(code=code, is_open=True, organization__is_active=True)
        .select_related("organization")
        .first()
    )


def current_channel(user, organization):
    return tenancy.scoped(IntakeChannel, user, organization, roles=STAFF_ROLES).filter(is_open=True).first()


def pending_reports(user, organization):
    return (
        tenancy.scoped(IntakeReport, user, organization, roles=STAFF_ROLES)
        .filter(status=IntakeStatus.PENDING)
        .select_related("subject_key")
        .order_by("received_at", "pk")
    )


def get_report(user, report_id, organization=None):
    return tenancy.get_scoped_or_404(
        IntakeReport, user, report_id, organization, roles=STAFF_ROLES, select_related=("subject_key",)
    )


# Cases shared with a company ---------------------------------------------------------------------------


def shares_of(user, case):
    return (
        tenancy.scoped(CaseShare, user, case.organization_id, roles=STAFF_ROLES)
        .filter(case=case)
        .select_related("company")
    )


def get_share(user, share_id, organization=None):
    return tenancy.get_scoped_or_404(
        CaseShare, user, share_id, organization, roles=STAFF_ROLES, select_related=("company",)
    )


def shared_with(company):
    """The cases shared with a company and still visible to it: not withdrawn, from organizations
    whose agreement with it covers grievances today, and with every member named on the case still
    consenting to a case going to a company (asked on every read: a withdrawal hides it at once).
    Read for the company's own users only after ``organizations.queries.get_recipient`` has checked
    who they are, so not scoped to an organization."""
    organizations = sharing_organization_ids(company, SharingPurpose.COMPANY_DUE_DILIGENCE, "grievances")
    consenting = consenting_members(organizations, Purpose.COMPANY_CASE, timezone.localdate()).values("pk")
    unconsented = Case.members.through.objects.filter(case_id=OuterRef("case_id")).exclude(
        member_id__in=consenting
    )
    return (
        CaseShare.objects.filter(
            company=company, withdrawn_at__isnull=True, organization_id__in=organizations
        )
        .exclude(Exists(unconsented))
        .select_related("case__subject_key", "case__organization")
        .prefetch_related("case__parties")
        .order_by("-shared_at")
    )


def get_shared(company, share_id):
    share = shared_with(company).filter(pk=share_id if str(share_id).isdigit() else 0).first()
    if share is None:
        raise Http404
    return share


def cases_shared(organization_ids, member_ids, start=None, end=None):
    """(rows, parties by case) for the aggregates door: one row per member named on a case of these
    organizations (her attributes, the case's category, status and dates), and each case's parties.
    Only ``insights.queries`` calls this, after checking agreements and consent."""
    links = Case.members.through.objects.filter(
        case__organization_id__in=list(organization_ids), member_id__in=member_ids
    )
    if start:
        links = links.filter(case__opened_on__gte=start)
    if end:
        links = links.filter(case__opened_on__lte=end)
    rows = list(
        links.values_list(
            "member_id",
            "member__category",
            "member__gender",
            "member__country",
            "member__admin1",
            "member__admin2",
            "case__organization_id",
            "case_id",
            "case__category",
            "case__status",
            "case__opened_on",
            "case__finished_on",
        )
    )
    parties: dict[int, list[int]] = defaultdict(list)
    for case_id, party_id in Case.parties.through.objects.filter(
        case_id__in={r[7] for r in rows}
    ).values_list("case_id", "party_id"):
        parties[case_id].append(party_id)
    return rows, parties
