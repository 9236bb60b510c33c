"""Reads of members: staff reads through the acting user (``core.tenancy``), a member's own record
through her login; and, given organization ids, the lookups the aggregates door builds on (whose
consent covers a purpose on a date, whose figures may reach a recipient, active member counts)."""

from datetime import date

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from doorstep.core import tenancy, vault
from doorstep.core.roles import STAFF_ROLES
from doorstep.organizations.models import Organization, SharingPurpose
from doorstep.organizations.queries import recipient_ids, sharing_organization_ids

from .models import ConsentEvent, DuplicateCandidate, Member, MemberGroup, MemberIdentifier, Purpose, Status
from .services.validation import normalize_id_number, normalize_phone

FILTERS = ("category", "sector", "admin1", "admin2", "group", "status")


def members_of(user, organization=None) -> QuerySet[Member]:
    """Members of the organizations where the user is staff (of ``organization`` only, if given)."""
    return (
        tenancy.scoped(Member, user, organization, roles=STAFF_ROLES)
        .filter(merged_into__isnull=True)
        .select_related("subject_key", "group")
    )


def get_member(user, member_id, organization=None, *, for_update: bool = False) -> Member:
    member = tenancy.get_scoped_or_404(
        Member, user, member_id, organization, roles=STAFF_ROLES, for_update=for_update
    )
    return member


def filter_members(queryset: QuerySet[Member], filters: dict) -> QuerySet[Member]:
    """Apply the list filters (values as given in a query string; blank ones are ignored)."""
    if filters.get("category"):
        queryset = queryset.filter(category=filters["category"])
    if filters.get("sector"):
        # Sectors are a JSON list; matching its quoted code in the text works alike on SQLite and PostgreSQL.
        queryset = queryset.filter(sectors__icontains=f'"{filters["sector"]}"')
    for name in ("admin1", "admin2"):
        if filters.get(name):
            queryset = queryset.filter(**{f"{name}__iexact": filters[name]})
    if filters.get("group"):
        queryset = queryset.filter(group_id=filters["group"])
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    return queryset


def by_identifier(
    queryset: QuerySet[Member], organization, *, phone: str = "", id_number: str = "", id_kind: str = ""
):
    """Exact lookup by phone or ID number through the blind index (no plaintext is searched)."""
    digests = []
    if phone:
        normalized = normalize_phone(phone, organization.country.code)
        if normalized:
            digests.append(vault.blind_index(organization.pk, "phone", normalized))
    if id_number:
        digests.append(
            vault.blind_index(
                organization.pk, "id", f"{id_kind or 'national_id'}:{normalize_id_number(id_number)}"
            )
        )
    if not digests:
        return queryset.none()
    ids = MemberIdentifier.objects.filter(organization_id=organization.pk, digest__in=digests).values(
        "member_id"
    )
    return queryset.filter(pk__in=ids)


def groups_of(user, organization) -> QuerySet[MemberGroup]:
    return tenancy.scoped(MemberGroup, user, organization, roles=STAFF_ROLES).order_by("name")


def areas_of(user, organization) -> dict[str, list[str]]:
    """The first and second administrative areas in use, for the list's filters."""
    members = tenancy.scoped(Member, user, organization, roles=STAFF_ROLES)
    return {
        "admin1": sorted(set(members.exclude(admin1="").values_list("admin1", flat=True))),
        "admin2": sorted(set(members.exclude(admin2="").values_list("admin2", flat=True))),
    }


def consenting_members(organization_ids, purpose: str, on: date, *, company=None) -> QuerySet[Member]:
    """Members whose consent covers ``purpose`` on ``on``: her latest consent event for that purpose
    (for being named to a company: for that ``company``) effective on or before that date says
    "given". One query; the aggregate layer builds on it."""
    events = ConsentEvent.objects.filter(member=OuterRef("pk"), purpose=purpose, effective_on__lte=on)
    if purpose == Purpose.COMPANY_IDENTITY:
        events = events.filter(company=company)
    latest = events.order_by("-effective_on", "-recorded_at", "-pk").values("given")[:1]
    return (
        Member.objects.filter(organization_id__in=list(organization_ids), merged_into__isnull=True)
        .annotate(consent_given=Subquery(latest))
        .filter(consent_given=True)
    )


def consent_changed_since(organization_ids, moment) -> list[int]:
    """Members whose consent was recorded after ``moment`` (the analytics engine's last refresh):
    its figures leave them out until the next refresh, so that a withdrawal counts at once."""
    return sorted(
        set(
            ConsentEvent.objects.filter(
                organization_id__in=list(organization_ids), recorded_at__gt=moment
            ).values_list("member_id", flat=True)
        )
    )


def consent_status(member: Member, on: date) -> dict[str, bool]:
    """{purpose: given?} on a date, from her consent history; being named to a company is keyed
    "company_identity:<company id>", one for each company she was asked about."""
    status: dict[str, bool] = {}
    for event in member.consents.filter(effective_on__lte=on).order_by("effective_on", "recorded_at", "pk"):
        key = f"{event.purpose}:{event.company_id}" if event.company_id else event.purpose
        status[key] = event.given
    return status


def consent_rows(member: Member, on: date) -> list[tuple[str, bool | None]]:
    """(purpose as she would read it, given today?) for her profile: every purpose, and being named
    to a company once for each company she was asked about."""
    status = consent_status(member, on)
    rows = [(str(p.label), status.get(p.value)) for p in Purpose if p != Purpose.COMPANY_IDENTITY]
    asked = {int(key.split(":")[1]): given for key, given in status.items() if ":" in key}
    for company in Organization.objects.filter(pk__in=asked).order_by("name"):
        rows.append((f"{Purpose.COMPANY_IDENTITY.label}: {company.name}", asked[company.pk]))
    return rows


def companies_for_consent(organization) -> QuerySet[Organization]:
    """The companies an organization shares anything with for due diligence: those a member may
    agree to be named to."""
    ids = {
        pk
        for kind in ("members", "work", "grievances")
        for pk in recipient_ids(organization, SharingPurpose.COMPANY_DUE_DILIGENCE, kind)
    }
    return Organization.objects.filter(pk__in=ids, kind=Organization.Kind.COMPANY, is_active=True).order_by(
        "name"
    )


def open_duplicates(user, organization) -> QuerySet[DuplicateCandidate]:
    return (
        tenancy.scoped(DuplicateCandidate, user, organization, roles=STAFF_ROLES)
        .filter(status=DuplicateCandidate.Status.OPEN)
        .select_related("first__subject_key", "second__subject_key")
    )


def get_duplicate(user, candidate_id, organization=None) -> DuplicateCandidate:
    return tenancy.get_scoped_or_404(
        DuplicateCandidate,
        user,
        candidate_id,
        organization,
        roles=STAFF_ROLES,
        select_related=("first__subject_key", "second__subject_key"),
    )


def own_member(user, organization) -> Member:
    """The member record linked to this user's login in the organization."""
    try:
        return Member.objects.select_related("subject_key").get(
            organization=organization, user_id=user.pk, merged_into__isnull=True
        )
    except Member.DoesNotExist:
        raise Http404 from None


CONSENT_FOR_SHARING = {
    "network_statistics": Purpose.NETWORK_SHARING,
    "company_due_diligence": Purpose.COMPANY_STATISTICS,
    "research": Purpose.RESEARCH,
}


def members_shared_with(recipient, sharing_purpose: str, data_kind: str, on: date | None = None):
    """The members whose figures may reach ``recipient``: of organizations with a live agreement for
    that purpose and kind of data, and whose own consent covers the purpose. Aggregates leaving an
    organization start here, then go through ``core.disclosure``."""
    on = on or timezone.localdate()
    organizations = sharing_organization_ids(recipient, sharing_purpose, data_kind, on)
    return consenting_members(organizations, CONSENT_FOR_SHARING[sharing_purpose], on)


def active_member_counts(organization_ids) -> dict[int, int]:
    """{organization id: active members} (merged records not counted). A count, no one's data: the
    directory turns it into a size band."""
    rows = (
        Member.objects.filter(
            organization_id__in=list(organization_ids), status=Status.ACTIVE, merged_into__isnull=True
        )
        .values("organization_id")
        .annotate(n=Count("pk"))
        .values_list("organization_id", "n")
    )
    return dict(rows)
