"""Reads of governance, always scoped to the acting user's organizations (another organization's
id answers 404), and ``standing(member, on=day)``: a member's dues standing, the public query the
voter roll of elections is built on."""

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core import audit, tenancy, vault
from doorstep.core.roles import STAFF_ROLES
from doorstep.grievances import queries as grievances
from doorstep.members import queries as members
from doorstep.members.models import DuesPayment, Member, Status
from doorstep.members.services.pii import PII_PURPOSE

from . import standing as dues
from .models import (
    ActionItem,
    AnnualReport,
    AnnualReportVersion,
    Attendance,
    Constitution,
    DuesReceipt,
    Meeting,
    MeetingKind,
    MinutesVersion,
    OfficeTerm,
    Position,
    QuorumKind,
)

# Constitution rules ----------------------------------------------------------------------------------


def rules_of(user, organization) -> Constitution | None:
    """The organization's rules, or None when none are recorded yet (404 for a stranger)."""
    tenancy.require_role(user, organization, STAFF_ROLES)
    return tenancy.scoped(Constitution, user, organization).first()


def _rules(organization_id: int) -> Constitution | None:
    return Constitution.objects.filter(organization_id=organization_id).first()


def dues_rules(constitution: Constitution | None) -> dues.Rules | None:
    if constitution is None:
        return None
    return dues.Rules(
        amount=constitution.dues_amount,
        currency=constitution.dues_currency,
        period=constitution.dues_period,
        grace_days=constitution.grace_days,
    )


# Dues standing -----------------------------------------------------------------------------------------


def standing(member: Member, on: date | None = None) -> dues.Standing:
    """Her dues standing on ``on`` (today if not given), from her organization's rules and her dues
    payments: ``status`` is ``paid_up``, ``in_grace``, ``in_arrears`` or ``no_rules``.

    The caller has already read ``member`` through a scoped query (``members.queries.get_member``):
    this reads only her own organization's rules and her own payments."""
    on = on or timezone.localdate()
    payments = [
        (p.period, p.amount, p.currency, p.paid_on) for p in DuesPayment.objects.filter(member=member)
    ]
    return dues.compute(dues_rules(_rules(member.organization_id)), member.joined_on, payments, on)


def may_vote(member: Member, on: date | None = None) -> bool:
    """Whether her dues standing leaves her the vote: always, unless the rules say members in arrears
    lose it and she is in arrears on ``on``."""
    rules = _rules(member.organization_id)
    if rules is None or not rules.arrears_lose_vote:
        return True
    return standing(member, on).status != dues.IN_ARREARS


def vote_withheld(member: Member, on: date) -> str | None:
    """The elections app's eligibility check (registered in ``apps.py``): why her dues standing keeps
    her off a roll frozen at ``on``, or None."""
    if may_vote(member, on):
        return None
    return _("She is in arrears with her dues, and the rules say members in arrears lose the vote.")


def standings_of(
    user, organization, on: date, *, group_id: int | None = None
) -> list[tuple[Member, dues.Standing]]:
    """Each active member's standing on ``on`` (of one group if asked), by member number; two queries."""
    rules = dues_rules(rules_of(user, organization))
    people = members.members_of(user, organization).filter(status=Status.ACTIVE)
    if group_id:
        people = people.filter(group_id=group_id)
    people = list(people.order_by("number"))
    paid: dict[int, list] = defaultdict(list)
    for row in (
        tenancy.scoped(DuesPayment, user, organization)
        .filter(member__in=people)
        .values_list("member_id", "period", "amount", "currency", "paid_on")
    ):
        paid[row[0]].append(row[1:])
    return [(m, dues.compute(rules, m.joined_on, paid[m.pk], on)) for m in people]


def arrears(
    user, organization, on: date, *, group_id: int | None = None
) -> list[tuple[Member, dues.Standing]]:
    """Members in arrears on ``on``, by group then number (the printable list for group leaders)."""
    rows = [
        (m, s)
        for m, s in standings_of(user, organization, on, group_id=group_id)
        if s.status == dues.IN_ARREARS
    ]
    return sorted(rows, key=lambda row: (row[0].group.name if row[0].group else "", row[0].number))


@dataclass(frozen=True)
class DuesTotal:
    month: date
    group: str
    currency: str
    amount: Decimal
    payments: int


def dues_totals(user, organization, *, year: int) -> list[DuesTotal]:
    """Dues collected in ``year`` by month (of payment), group and currency."""
    rows = (
        tenancy.scoped(DuesPayment, user, organization)
        .filter(paid_on__year=year)
        .annotate(month=TruncMonth("paid_on"))
        .values("month", "member__group__name", "currency")
        .annotate(amount=Sum("amount"), payments=Count("pk"))
        .order_by("month", "member__group__name", "currency")
    )
    return [
        DuesTotal(
            r["month"],
            r["member__group__name"] or "",
            r["currency"],
            Decimal(r["amount"]).quantize(Decimal("0.01")),
            r["payments"],
        )
        for r in rows
    ]


def get_payment(user, payment_id, organization=None) -> DuesPayment:
    return tenancy.get_scoped_or_404(DuesPayment, user, payment_id, organization, select_related=("member",))


def receipt_of(payment: DuesPayment) -> DuesReceipt | None:
    return DuesReceipt.objects.filter(payment=payment).first()


def recent_payments(user, organization, limit: int = 30) -> QuerySet[DuesPayment]:
    return (
        tenancy.scoped(DuesPayment, user, organization)
        .select_related("member", "receipt")
        .order_by("-paid_on", "-pk")[:limit]
    )


# Positions and office-bearers ------------------------------------------------------------------------


def positions_of(user, organization) -> QuerySet[Position]:
    return tenancy.scoped(Position, user, organization).select_related("group")


def get_position(user, position_id, organization=None, *, for_update: bool = False) -> Position:
    return tenancy.get_scoped_or_404(Position, user, position_id, organization, for_update=for_update)


def terms_of(user, organization, *, current_on: date | None = None) -> QuerySet[OfficeTerm]:
    """Every term of office, or those running on ``current_on``."""
    terms = tenancy.scoped(OfficeTerm, user, organization).select_related(
        "position", "member", "member__subject_key"
    )
    if current_on is not None:
        terms = terms.filter(starts_on__lte=current_on).exclude(ends_on__lt=current_on)
    return terms


def public_office_bearers(organization) -> list[tuple[str, str]]:
    """(position, her name) of the terms running today whose holder chose to be shown on the
    organization's public page; her name is read from the vault, audited as a public read."""
    terms = list(
        OfficeTerm.objects.filter(organization_id=organization.pk, shown_publicly=True)
        .filter(starts_on__lte=timezone.localdate())
        .exclude(ends_on__lt=timezone.localdate())
        .select_related("position", "member", "member__subject_key")
        .order_by("position__kind", "position__title")
    )
    if not terms:
        return []
    audit.record_reads(
        "member.pii_read",
        actor=None,
        rows=[t.member for t in terms],
        object_type="members.member",
        ids_key="member_ids",
        reason="public directory page, shown by her choice",
    )
    return [
        (
            t.position.title,
            vault.open_sealed(t.member.subject_key, t.member.pii, purpose=PII_PURPOSE).get("full_name", ""),
        )
        for t in terms
    ]


def get_term(user, term_id, organization=None, *, for_update: bool = False) -> OfficeTerm:
    return tenancy.get_scoped_or_404(
        OfficeTerm, user, term_id, organization, for_update=for_update, select_related=("position",)
    )


def overlapping_terms(
    position: Position, starts_on: date, ends_on: date | None, *, exclude_id=None
) -> QuerySet[OfficeTerm]:
    """Terms of ``position`` sharing at least a day with [starts_on, ends_on] (open end: for ever)."""
    terms = OfficeTerm.objects.filter(position=position).exclude(ends_on__lt=starts_on)
    if ends_on is not None:
        terms = terms.filter(starts_on__lte=ends_on)
    if exclude_id is not None:
        terms = terms.exclude(pk=exclude_id)
    return terms


# Meetings ----------------------------------------------------------------------------------------------


def meetings_of(user, organization) -> QuerySet[Meeting]:
    return tenancy.scoped(Meeting, user, organization).prefetch_related("groups")


def get_meeting(user, meeting_id, organization=None, *, for_update: bool = False) -> Meeting:
    return tenancy.get_scoped_or_404(Meeting, user, meeting_id, organization, for_update=for_update)


def invitees(meeting: Meeting) -> QuerySet[Member]:
    """Active members of the groups invited (every active member when no group is named)."""
    people = Member.objects.filter(
        organization_id=meeting.organization_id, status=Status.ACTIVE, merged_into__isnull=True
    ).select_related("subject_key", "group")
    group_ids = [g.pk for g in meeting.groups.all()]
    if group_ids:
        people = people.filter(group_id__in=group_ids)
    return people.order_by("number")


def present_ids(meeting: Meeting) -> set[int]:
    return set(Attendance.objects.filter(meeting=meeting).values_list("member_id", flat=True))


@dataclass(frozen=True)
class Quorum:
    applies: bool  # only a general assembly has a quorum in the rules
    required: int
    present: int  # members present who count (in good standing where arrears lose the vote)
    reason: str = ""  # why it cannot be computed (no rules yet)

    @property
    def reached(self) -> bool:
        return not self.applies or (not self.reason and self.present >= self.required)


def quorum_required(rules: Constitution, members_in_good_standing: int) -> int:
    """Members who must be present: the rules' number, or their share of the members in good standing
    rounded up (50 % of 41 is 21)."""
    if rules.quorum_kind == QuorumKind.NUMBER:
        return rules.quorum_number or 0
    return math.ceil(Decimal(members_in_good_standing) * (rules.quorum_percent or Decimal("0")) / 100)


def quorum(meeting: Meeting) -> Quorum:
    """Whether the meeting has its quorum with the attendance recorded so far."""
    if meeting.kind != MeetingKind.GENERAL_ASSEMBLY:
        return Quorum(applies=False, required=0, present=Attendance.objects.filter(meeting=meeting).count())
    rules = _rules(meeting.organization_id)
    if rules is None:
        return Quorum(applies=True, required=0, present=0, reason="no_rules")
    drules = dues_rules(rules)
    people = list(
        Member.objects.filter(
            organization_id=meeting.organization_id, status=Status.ACTIVE, merged_into__isnull=True
        )
    )
    paid: dict[int, list] = defaultdict(list)
    for row in DuesPayment.objects.filter(organization_id=meeting.organization_id).values_list(
        "member_id", "period", "amount", "currency", "paid_on"
    ):
        paid[row[0]].append(row[1:])
    good = {
        m.pk
        for m in people
        if dues.compute(drules, m.joined_on, paid[m.pk], meeting.held_on).in_good_standing
    }
    here = present_ids(meeting)
    counted = here & good if rules.arrears_lose_vote else here & {m.pk for m in people}
    return Quorum(applies=True, required=quorum_required(rules, len(good)), present=len(counted))


def minutes_versions(meeting: Meeting) -> QuerySet[MinutesVersion]:
    return MinutesVersion.objects.filter(meeting=meeting).select_related("approved_at_meeting")


def get_minutes_version(meeting: Meeting, number: int) -> MinutesVersion:
    try:
        return minutes_versions(meeting).get(number=number)
    except MinutesVersion.DoesNotExist:
        raise Http404 from None


def last_minutes_version(meeting: Meeting) -> MinutesVersion | None:
    return minutes_versions(meeting).order_by("-number").first()


def unapproved_minutes(meeting: Meeting) -> QuerySet[MinutesVersion]:
    """Frozen minutes of the organization's earlier meetings not approved yet (latest version of each),
    which ``meeting`` may approve."""
    return MinutesVersion.objects.filter(
        organization_id=meeting.organization_id,
        approved_at_meeting__isnull=True,
        meeting__held_on__lt=meeting.held_on,
    ).select_related("meeting")


def open_action_items(user, organization) -> QuerySet[ActionItem]:
    """Action items not done yet, soonest deadline first."""
    return (
        tenancy.scoped(ActionItem, user, organization)
        .filter(done_on__isnull=True)
        .select_related("meeting", "owner")
    )


def get_action_item(user, item_id, organization=None, *, for_update: bool = False) -> ActionItem:
    return tenancy.get_scoped_or_404(ActionItem, user, item_id, organization, for_update=for_update)


# The annual report ----------------------------------------------------------------------------------


def annual_reports_of(user, organization) -> QuerySet[AnnualReport]:
    return tenancy.scoped(AnnualReport, user, organization)


def get_annual_report(user, report_id, organization=None, *, for_update: bool = False) -> AnnualReport:
    return tenancy.get_scoped_or_404(AnnualReport, user, report_id, organization, for_update=for_update)


def annual_report_versions(report: AnnualReport) -> QuerySet[AnnualReportVersion]:
    return AnnualReportVersion.objects.filter(report=report)


def get_annual_report_version(report: AnnualReport, number: int) -> AnnualReportVersion:
    try:
        return annual_report_versions(report).get(number=number)
    except AnnualReportVersion.DoesNotExist:
        raise Http404 from None


def _money(rows) -> list[dict]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for currency, amount in rows:
        totals[currency] += Decimal(amount)
    return [
        {"currency": c, "amount": format(a.quantize(Decimal("0.01")), "f")} for c, a in sorted(totals.items())
    ]


def annual_figures(user, organization, year: int) -> dict:
    """The year's figures from the organization's own records (JSON-able, as frozen in a version):
    members (at the start and end of the year, joined during it), meetings held and their
    attendance, resolutions, action items, dues collected, grievances opened and money recovered."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    people = members.members_of(user, organization)
    held = meetings_of(user, organization).filter(held_on__range=(start, end))
    attendance = tenancy.scoped(Attendance, user, organization).filter(meeting__in=held)
    resolutions = [r for m in held.prefetch_related("resolutions") for r in m.resolutions.all()]
    items = tenancy.scoped(ActionItem, user, organization).filter(meeting__in=held)
    paid = tenancy.scoped(DuesPayment, user, organization).filter(paid_on__range=(start, end))
    cases = grievances.stats(user, organization, start=start, end=end)
    recovered = grievances.stats(user, organization).recovered_by_month
    return {
        "year": year,
        "members": {
            "at_start": people.filter(joined_on__lt=start).count(),
            "joined": people.filter(joined_on__range=(start, end)).count(),
            "at_end": people.filter(joined_on__lte=end).count(),
            "active_now": people.filter(status=Status.ACTIVE).count(),
        },
        "meetings": [
            {"kind": row["kind"], "held": row["n"]}
            for row in held.values("kind").annotate(n=Count("pk")).order_by("kind")
        ],
        "attendance": attendance.count(),
        "resolutions": {
            "passed": sum(r.passed for r in resolutions),
            "not_passed": sum(not r.passed for r in resolutions),
        },
        "action_items": {
            "done": items.filter(done_on__isnull=False).count(),
            "open": items.filter(done_on__isnull=True).count(),
        },
        "dues_collected": _money(paid.values_list("currency", "amount")),
        "dues_payments": paid.count(),
        "grievances": {"opened": cases.total, "resolved": cases.resolved},
        "money_recovered": _money((c, a) for month, c, a in recovered if month.startswith(f"{year}-")),
    }
