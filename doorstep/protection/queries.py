"""Reads of schemes and applications through the acting user (``core.tenancy``): the schemes an
organization can use (the shipped catalogue, its own, its networks'), its members' applications,
the next steps and renewals due, and the members likely eligible for a scheme but not enrolled."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from doorstep.core import tenancy
from doorstep.core.roles import STAFF_ROLES
from doorstep.members.models import Member, Status
from doorstep.members.queries import members_of

from . import rules
from .models import Application, ApplicationStatus, Scheme

# At most this many members are listed as likely eligible at once (a group leader's sheet, a page).
ELIGIBLE_LIMIT = 2000


def _network_ids(organization) -> list[int]:
    return list(organization.affiliations.filter(until__isnull=True).values_list("network_id", flat=True))


def schemes_for(user, organization, *, country: str | None = None) -> QuerySet[Scheme]:
    """The active schemes the organization can use: the catalogue, its own, its networks'."""
    tenancy.require_role(user, organization, STAFF_ROLES)
    found = Scheme.objects.filter(is_active=True).filter(
        Q(organization__isnull=True)
        | Q(organization_id=organization.pk)
        | Q(organization_id__in=_network_ids(organization))
    )
    if country:
        found = found.filter(country=country.upper())
    return found.order_by("country", "name")


def get_scheme(user, scheme_id, organization) -> Scheme:
    try:
        return schemes_for(user, organization).get(pk=int(scheme_id))
    except (Scheme.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def own_scheme(user, scheme_id, organization) -> Scheme:
    """One of the organization's own schemes (the catalogue's and a network's cannot be changed here)."""
    scheme = get_scheme(user, scheme_id, organization)
    if scheme.organization_id != organization.pk:
        raise Http404
    return scheme


def applications_of(user, organization=None) -> QuerySet[Application]:
    return tenancy.scoped(Application, user, organization, roles=STAFF_ROLES).select_related(
        "scheme", "member__subject_key"
    )


def get_application(user, application_id, organization=None) -> Application:
    return tenancy.get_scoped_or_404(
        Application,
        user,
        application_id,
        organization,
        roles=STAFF_ROLES,
        select_related=("scheme", "member__subject_key", "case"),
        prefetch_related=("events",),
    )


def filter_applications(queryset: QuerySet[Application], filters: dict) -> QuerySet[Application]:
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("scheme"):
        queryset = queryset.filter(scheme_id=filters["scheme"])
    if filters.get("member"):
        queryset = queryset.filter(member_id=filters["member"])
    return queryset


def next_steps_due(user, organization, *, within_days: int = 7) -> QuerySet[Application]:
    """Applications whose next step is due within ``within_days`` (or overdue) and not done."""
    until = timezone.localdate() + timedelta(days=within_days)
    return (
        applications_of(user, organization)
        .filter(next_step_due__isnull=False, next_step_due__lte=until, next_step_done_at__isnull=True)
        .exclude(status=ApplicationStatus.REJECTED, case__isnull=False)
        .order_by("next_step_due", "pk")
    )


def renewals_due(user, organization, *, within_days: int = 60) -> QuerySet[Application]:
    """Enrolled members whose scheme must be renewed within ``within_days`` (or is overdue)."""
    until = timezone.localdate() + timedelta(days=within_days)
    return (
        applications_of(user, organization)
        .filter(
            renew_by__isnull=False,
            renew_by__lte=until,
            status__in=[ApplicationStatus.ACCEPTED, ApplicationStatus.PAID, ApplicationStatus.TO_RENEW],
        )
        .select_related("member__group")
        .order_by("renew_by", "pk")
    )


@dataclass(frozen=True)
class Eligible:
    member: Member
    unknown: tuple[str, ...]  # fields she left blank that the rules would need


def _in_region(scheme: Scheme, member: Member) -> bool:
    return not scheme.region_names or (member.admin1 or "").strip().lower() in scheme.region_names


def likely_eligible(
    user,
    organization,
    scheme: Scheme,
    *,
    group_id: int | None = None,
    locality: str = "",
    on: date | None = None,
) -> tuple[list[Eligible], bool]:
    """Active members of the scheme's country (and region) whose fields meet its rules, or leave
    them undecided, with no application under way or accepted; and whether the list was cut at
    ``ELIGIBLE_LIMIT``. A scheme with no rules lists nobody: eligibility only in words cannot be
    checked against the registry."""
    if not scheme.rules:
        return [], False
    on = on or timezone.localdate()
    members = members_of(user, organization).filter(
        status=Status.ACTIVE, country=scheme.country.code, merged_into__isnull=True
    )
    if group_id:
        members = members.filter(group_id=group_id)
    if locality:
        members = members.filter(locality__iexact=locality.strip())
    members = members.exclude(
        pk__in=Application.objects.filter(organization=organization, scheme=scheme)
        .exclude(status=ApplicationStatus.REJECTED)
        .values("member_id")
    ).select_related("group", "subject_key")
    found: list[Eligible] = []
    for member in members.order_by("group__name", "locality", "number").iterator(chunk_size=2000):
        if not _in_region(scheme, member):
            continue
        verdict = rules.evaluate(scheme.rules, member, on)
        if verdict.eligible is False:
            continue
        found.append(Eligible(member, verdict.unknown))
        if len(found) >= ELIGIBLE_LIMIT:
            return found, True
    return found, False


def coverage(user, organization) -> list[dict]:
    """Inside the organization: for each scheme with applications, how many of her members are
    enrolled, under way, rejected (nothing suppressed: the organization's own figures)."""
    rows: dict[int, dict] = {}
    for scheme_id, name, status, member_id in applications_of(user, organization).values_list(
        "scheme_id", "scheme__name", "status", "member_id"
    ):
        row = rows.setdefault(
            scheme_id,
            {
                "scheme_id": scheme_id,
                "scheme": name,
                "enrolled": set(),
                "under_way": set(),
                "rejected": set(),
            },
        )
        if status in (ApplicationStatus.ACCEPTED, ApplicationStatus.PAID, ApplicationStatus.TO_RENEW):
            row["enrolled"].add(member_id)
        elif status == ApplicationStatus.REJECTED:
            row["rejected"].add(member_id)
        else:
            row["under_way"].add(member_id)
    return [
        {
            **row,
            "enrolled": len(row["enrolled"]),
            "under_way": len(row["under_way"]),
            "rejected": len(row["rejected"]),
        }
        for row in sorted(rows.values(), key=lambda r: r["scheme"])
    ]
