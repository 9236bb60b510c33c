"""Reads of organizations, people, tokens and data-sharing agreements, through the acting user; and,
for the aggregates door, which organizations share what with whom today (``sharing_organization_ids``
and ``recipient_ids``)."""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from doorstep.core import tenancy
from doorstep.core.roles import ADMIN_ROLES, STAFF_ROLES, Role

from .models import Affiliation, ApiToken, Invitation, Organization, RoleAssignment, SharingAgreement, User
from .services import RECIPIENT_KINDS


def organizations_with_role(user) -> QuerySet[Organization]:
    """The active organizations where the user holds an active role, by name."""
    return Organization.objects.filter(pk__in=tenancy.organization_ids(user), is_active=True).order_by("name")


def visible_organizations(user) -> QuerySet[Organization]:
    """Organizations the user may look at: her own, and the networks and affiliates directly linked
    to them by a current affiliation. A platform admin sees every organization."""
    if user.is_authenticated and user.is_superuser:
        return Organization.objects.order_by("name")
    own = tenancy.organization_ids(user)
    if not own:
        return Organization.objects.none()
    linked = Affiliation.objects.filter(Q(member_id__in=own) | Q(network_id__in=own), until__isnull=True)
    ids = set(own)
    for member_id, network_id in linked.values_list("member_id", "network_id"):
        ids.update((member_id, network_id))
    return Organization.objects.filter(pk__in=ids, is_active=True).order_by("name")


def get_visible_organization(user, *, pk: int | None = None, slug: str | None = None) -> Organization:
    """One organization the user may look at; ``Http404`` for unknown and not-hers alike."""
    lookup = {"pk": pk} if pk is not None else {"slug": slug}
    try:
        return visible_organizations(user).get(**lookup)
    except (Organization.DoesNotExist, ValueError):
        raise Http404 from None


def get_organization_with_role(user, slug: str, roles) -> Organization:
    """An organization where the user holds one of ``roles``: 404 without a role there, 403 with
    another role."""
    try:
        organization = Organization.objects.get(slug=slug, is_active=True)
    except Organization.DoesNotExist:
        raise Http404 from None
    tenancy.require_role(user, organization, roles)
    return organization


def organization_for_staff(user, organization_id: int, roles=None) -> Organization:
    """An organization by id where the user is staff (API bodies and query strings name it by id)."""
    tenancy.require_role(user, organization_id, roles or STAFF_ROLES)
    return Organization.objects.get(pk=organization_id)


def organizations_for_staff(
    user, organization_id: int | None
) -> tuple[Organization | None, list[Organization]]:
    """The one organization asked for (she must be staff there), or all where she is staff."""
    if organization_id:
        organization = organization_for_staff(user, organization_id)
        return organization, [organization]
    return None, list(Organization.objects.filter(pk__in=tenancy.organization_ids(user, STAFF_ROLES)))


def current_affiliations(organization: Organization) -> dict[str, list[Affiliation]]:
    base = Affiliation.objects.filter(until__isnull=True).select_related("member", "network")
    return {
        "networks": list(base.filter(member=organization)),
        "affiliates": list(base.filter(network=organization)),
    }


def affiliable_organizations(network: Organization) -> QuerySet[Organization]:
    """Organizations a network could admit: every active organization but itself and its current
    affiliates (organizations are public entities; only their own data is private)."""
    current = Affiliation.objects.filter(network=network, until__isnull=True).values("member_id")
    return (
        Organization.objects.filter(is_active=True)
        .exclude(pk=network.pk)
        .exclude(pk__in=current)
        .exclude(kind=Organization.Kind.COMPANY)
        .order_by("name")
    )


def get_affiliable_organization(network: Organization, pk: int) -> Organization:
    try:
        return Organization.objects.get(pk=pk, is_active=True)
    except Organization.DoesNotExist:
        raise Http404 from None


def people_of(user, organization: Organization) -> QuerySet[RoleAssignment]:
    """Everyone holding a role in the organization, for its admins."""
    return (
        tenancy.scoped(RoleAssignment, user, organization, roles=ADMIN_ROLES)
        .select_related("user")
        .order_by("-is_active", "user__username")
    )


def get_person(user, organization: Organization, assignment_id: int) -> RoleAssignment:
    assignment = tenancy.get_scoped_or_404(
        RoleAssignment, user, assignment_id, organization, roles=ADMIN_ROLES
    )
    return assignment


def roles_of_user(user: User) -> QuerySet[RoleAssignment]:
    """The user's own active roles (for ``/me`` and the switcher)."""
    return (
        RoleAssignment.objects.filter(user_id=user.pk, is_active=True, organization__is_active=True)
        .select_related("organization")
        .order_by("organization__name")
    )


def tokens_of(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user_id=user.pk).order_by("-created_at")


def get_token(user, token_id: int) -> ApiToken:
    try:
        return tokens_of(user).get(pk=token_id)
    except ApiToken.DoesNotExist:
        raise Http404 from None


def agreements_of(user, organization: Organization) -> QuerySet[SharingAgreement]:
    return tenancy.scoped(SharingAgreement, user, organization, roles=STAFF_ROLES).select_related(
        "recipient", "created_by", "revoked_by"
    )


def get_agreement(user, agreement_id, organization=None) -> SharingAgreement:
    return tenancy.get_scoped_or_404(
        SharingAgreement, user, agreement_id, organization, roles=STAFF_ROLES, select_related=("recipient",)
    )


def _live_agreements(purpose: str, data_kind: str, on, **which) -> list[SharingAgreement]:
    """Agreements for ``purpose`` in force on ``on`` (today) that list ``data_kind``."""
    on = on or timezone.localdate()
    agreements = SharingAgreement.objects.filter(
        purpose=purpose, revoked_at__isnull=True, starts_on__lte=on, **which
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
    return [a for a in agreements if data_kind in a.data_kinds]


def sharing_organization_ids(recipient: Organization, purpose: str, data_kind: str, on=None) -> list[int]:
    """The organizations whose live agreement lets ``recipient`` have aggregates of ``data_kind`` for
    ``purpose`` on ``on`` (today): the first check of every aggregate leaving an organization."""
    return sorted({a.organization_id for a in _live_agreements(purpose, data_kind, on, recipient=recipient)})


def recipient_ids(organization: Organization, purpose: str, data_kind: str, on=None) -> list[int]:
    """The other way round: whom ``organization`` lets have ``data_kind`` for ``purpose`` today."""
    return sorted(
        {a.recipient_id for a in _live_agreements(purpose, data_kind, on, organization=organization)}
    )


# Recipients of shared figures ---------------------------------------------------------------------

# Who may read figures shared with her organization (never a worker).
RECIPIENT_ROLES = frozenset({Role.ORG_ADMIN, Role.ORGANIZER, Role.NETWORK_ANALYST, Role.COMPANY})


def purposes_for(recipient: Organization) -> list[str]:
    """The sharing purposes an organization of this kind can receive data for."""
    return [purpose for purpose, kinds in RECIPIENT_KINDS.items() if recipient.kind in kinds]


def recipients_of(user) -> list[Organization]:
    """The organizations the user may read shared figures for."""
    ids = tenancy.organization_ids(user, RECIPIENT_ROLES)
    return [o for o in Organization.objects.filter(pk__in=ids, is_active=True) if purposes_for(o)]


def get_recipient(
    user, recipient_id=None, *, slug: str | None = None, kind: str | None = None
) -> Organization:
    """An organization (by id or slug) the user reads shared figures for: 404 without a role there (or
    as a worker), for an organization nothing can be shared with (a union, a cooperative), and for
    one not of ``kind`` when a kind is asked for."""
    lookup = {"slug": slug} if slug is not None else {"pk": recipient_id}
    if kind is not None:
        lookup["kind"] = kind
    try:
        recipient = Organization.objects.get(is_active=True, **lookup)
    except (Organization.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    if tenancy.role_in(user, recipient) not in RECIPIENT_ROLES or not purposes_for(recipient):
        raise Http404
    return recipient


def open_invitations(user):
    """Roles offered to her that she has not answered yet."""
    return Invitation.objects.filter(user=user, answered_at__isnull=True).select_related("organization")


def get_invitation(user, invitation_id) -> Invitation:
    """One of her open invitations; ``Http404`` for anyone else's or a missing one alike."""
    invitation = open_invitations(user).filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404
    return invitation
