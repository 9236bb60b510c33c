"""Every write about organizations: logging in and out, organizations and affiliations, users and
roles, API tokens, data-sharing agreements and the disclosure threshold.

Each service takes the acting user as the keyword-only ``actor``, checks permission first, runs in
one transaction, locks what it changes and writes its audit event in that same transaction."""

import hashlib
import secrets
from collections import deque
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from doorstep.core import audit, disclosure, inputs, tenancy, throttle, vault
from doorstep.core.errors import FieldError, PermissionDenied, Throttled, ValidationError
from doorstep.core.roles import ADMIN_ROLES, Role

from .models import (
    Affiliation,
    ApiToken,
    Invitation,
    Organization,
    RoleAssignment,
    SharedData,
    SharingAgreement,
    SharingPurpose,
    User,
)

TOKEN_PREFIX = "dst_"  # noqa: S105 - a public prefix that marks Doorstep tokens, not a secret
# Members' own logins (``members.services.logins``) get usernames with this prefix and a random tail;
# nobody else may take one, and such an account logs in only at its organization's member login.
WORKER_USERNAME_PREFIX = "member-"


def is_worker_username(username: str) -> bool:
    return username.strip().casefold().startswith(WORKER_USERNAME_PREFIX)


def new_worker_username() -> str:
    """A username for a member's login that says nothing about her and cannot be guessed (80 bits)."""
    while True:
        username = WORKER_USERNAME_PREFIX + secrets.token_hex(10)
        if not User.objects.filter(username__iexact=username).exists():
            return username


# Logging in ------------------------------------------------------------------------------------


def _refuse_if_throttled(username: str, address: str | None, *, scope: str | None = None) -> None:
    locked = throttle.locked_until(username, address, scope=scope)
    if locked is None:
        return
    until, count = locked
    seconds = max(1, int((until - timezone.now()).total_seconds()) + 1)
    minutes = (seconds + 59) // 60
    metadata = {"reason": "throttled"} | ({} if count == "account_address" else {"scope": count})
    audit.record("auth.login_refused", metadata=metadata)
    raise Throttled(
        message=_("Too many failed logins. Try again in %(minutes)d minutes.") % {"minutes": minutes},
        retry_after=seconds,
    )


def log_in(
    *,
    username: str,
    password: str,
    address: str | None,
    request=None,
    member_login: bool = False,
    scope: str | None = None,
) -> User:
    """The user with these credentials, with login throttling and auditing.

    A member's own login (``is_worker_username``) is accepted only with ``member_login`` (her
    organization's member login page), and no other account there. ``scope`` names the door
    counted as a whole as well (an organization's member login; see ``core.throttle``). Raises
    ``Throttled`` while a count refuses the try, else ``ValidationError`` (code ``invalid_login``)
    for a wrong username or password or an inactive account; the message does not say which.
    """
    _refuse_if_throttled(username, address, scope=scope)
    user = (
        authenticate(request, username=username, password=password)
        if is_worker_username(username) == member_login
        else None
    )
    if user is None:
        with transaction.atomic():
            throttle.record_failure(username, address, scope=scope)
            known = User.objects.filter(username__iexact=username).only("pk").first()
            audit.record("auth.login_failed", actor=known, metadata={"known_user": known is not None})
        raise ValidationError(
            message=_("The username or password is not right."),
            code="invalid_login",
        )
    with transaction.atomic():
        throttle.clear_failures(username, address)
        audit.record("auth.login", actor=user)
    return user


def record_logout(*, actor: User) -> None:
    audit.record("auth.logout", actor=actor)


def check_own_password(user: User, *, password: str, address: str | None) -> None:
    """Her current password, asked again before she changes it: throttled, and a wrong one counted
    and audited like a failed login (a stolen session must not guess it without limit)."""
    _refuse_if_throttled(user.username, address)
    if not user.check_password(password):
        with transaction.atomic():
            throttle.record_failure(user.username, address)
            audit.record(
                "auth.login_failed", actor=user, metadata={"known_user": True, "to": "password_change"}
            )
        raise ValidationError(message=_("Your old password was entered incorrectly."), code="invalid_login")


def record_password_change(*, actor: User) -> None:
    """Audit her new password and revoke her API tokens (whoever knew the old one may have made some)."""
    with transaction.atomic():
        audit.record("auth.password_changed", actor=actor, obj=actor)
        _revoke_all_tokens(actor, reason="password_changed")


# Organizations and affiliations -----------------------------------------------------------------


def create_organization(
    *, name: str, slug: str, kind: str, country: str = "", languages: list[str] | None = None, actor: User
) -> Organization:
    if not actor.is_superuser:
        raise PermissionDenied()
    errors = []
    if kind not in Organization.Kind.values:
        errors.append(FieldError("kind", _("Unknown kind of organization.")))
    if Organization.objects.filter(slug=slug).exists():
        errors.append(FieldError("slug", _("Another organization already uses this short name.")))
    if errors:
        raise ValidationError(message=_("The organization could not be created."), errors=errors)
    with transaction.atomic():
        organization = Organization.objects.create(
            name=name, slug=slug, kind=kind, country=country, languages=languages or []
        )
        vault.ensure_organization_key(organization)
        audit.record("organization.created", actor=actor, organization=organization, obj=organization)
    return organization


def update_organization(organization: Organization, *, changed: list[str], actor: User) -> Organization:
    """Save an organization edited by a platform admin (already validated by its form)."""
    if not actor.is_superuser:
        raise PermissionDenied()
    with transaction.atomic():
        organization.save()
        audit.record(
            "organization.updated",
            actor=actor,
            organization=organization,
            obj=organization,
            metadata={"fields": sorted(changed)},
        )
    return organization


def _lock_affiliation_graph() -> None:
    """Serialize changes to the affiliation graph, so two concurrent additions cannot make a cycle."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE organizations_affiliation IN SHARE ROW EXCLUSIVE MODE")


def _reaches(start: Organization, target: Organization) -> bool:
    """Whether ``target`` is reachable from ``start`` going up current affiliations."""
    edges: dict[int, list[int]] = {}
    for member_id, network_id in Affiliation.objects.filter(until__isnull=True).values_list(
        "member_id", "network_id"
    ):
        edges.setdefault(member_id, []).append(network_id)
    seen, queue = {start.pk}, deque([start.pk])
    while queue:
        current = queue.popleft()
        if current == target.pk:
            return True
        for nxt in edges.get(current, []):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return False


def add_affiliation(
    *,
    member: Organization,
    network: Organization,
    since: date | None = None,
    requested: bool = False,
    actor: User,
) -> Affiliation:
    """Affiliate ``member`` to ``network``: by the network's admin approving the member's own
    request (``requested``, from ``network.services.affiliations.decide_request``), or by a platform
    admin. A network cannot take in an organization that did not ask (it would show publicly as its
    affiliate), and a company is never an affiliate."""
    if not actor.is_superuser:
        tenancy.require_role(actor, network, ADMIN_ROLES)
    if not network.is_network:
        raise ValidationError.for_field(
            "network", _("Only a network can have affiliates."), code="not_a_network"
        )
    if not actor.is_superuser and not requested:
        raise ValidationError.for_field(
            "member",
            _(
                "An organization joins a network by asking to join from its own page; the network's "
                "admins then approve its request."
            ),
            code="needs_agreement",
        )
    if member.kind == Organization.Kind.COMPANY:
        raise ValidationError.for_field(
            "member", _("A company cannot be affiliated to a network."), code="not_affiliable"
        )
    if member.pk == network.pk:
        raise ValidationError.for_field(
            "member", _("An organization cannot join itself."), code="self_affiliation"
        )
    with transaction.atomic():
        _lock_affiliation_graph()
        if Affiliation.objects.filter(member=member, network=network, until__isnull=True).exists():
            raise ValidationError.for_field(
                "member",
                _("%(member)s is already affiliated to %(network)s.")
                % {"member": member, "network": network},
                code="already_affiliated",
            )
        if _reaches(network, member):
            raise ValidationError.for_field(
                "member",
                _(
                    "%(network)s is itself affiliated (directly or through other networks) to %(member)s; "
                    "affiliations cannot form a cycle."
                )
                % {"member": member, "network": network},
                code="affiliation_cycle",
            )
        affiliation = Affiliation.objects.create(
            member=member, network=network, since=since or timezone.localdate()
        )
        audit.record(
            "affiliation.added",
            actor=actor,
            organization=network,
            obj=affiliation,
            metadata={"member_id": member.pk, "network_id": network.pk},
        )
    return affiliation


def end_affiliation(affiliation: Affiliation, *, until: date | None = None, actor: User) -> Affiliation:
    if not actor.is_superuser:
        tenancy.require_role(actor, affiliation.network, ADMIN_ROLES)
    until = until or timezone.localdate()
    if until < affiliation.since:
        raise ValidationError.for_field("until", _("The end date is before the start date."))
    with transaction.atomic():
        affiliation = Affiliation.objects.select_for_update().get(pk=affiliation.pk)
        if affiliation.until is not None:
            return affiliation
        affiliation.until = until
        affiliation.save(update_fields=["until"])
        audit.record("affiliation.ended", actor=actor, organization=affiliation.network_id, obj=affiliation)
    return affiliation


# People and roles ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AddedPerson:
    """A new account with its role (and the link where she sets her password), or an invitation to
    an existing account (``assignment`` None until she accepts)."""

    assignment: RoleAssignment | None
    created_user: bool
    invitation_path: str | None
    invitation: Invitation | None = None


def invitation_path(user: User) -> str:
    """A one-time link (valid ``PASSWORD_RESET_TIMEOUT``) where the user sets her password."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse(
        "password_reset_confirm", kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)}
    )


def _check_role(role: str) -> Role:
    if role not in Role.values:
        raise ValidationError.for_field("role", _("Unknown role."), code="unknown_role")
    return Role(role)


def add_person(
    organization: Organization,
    *,
    username: str,
    role: str,
    display_name: str = "",
    email: str = "",
    actor: User,
) -> AddedPerson:
    """Give ``username`` a role in the organization, creating the account if it does not exist.

    A new account has no password: the result carries an invitation link to set one. An existing
    account gets an ``Invitation`` she accepts (``answer_invitation``); nothing about it is told.
    Done by the organization's admins, or by a platform admin giving a new organization its first
    admin directly; a platform admin never gives herself a role (``break_glass`` does, on record).
    """
    if not actor.is_superuser:
        tenancy.require_role(actor, organization, ADMIN_ROLES)
    elif username.strip().casefold() == actor.username.casefold():
        raise ValidationError.for_field(
            "user",
            _("A platform admin cannot give herself a role here; use the break_glass command."),
            code="self_grant",
        )
    role = _check_role(role)
    username = username.strip()
    if not username:
        raise ValidationError.for_field("username", _("Give a username."), code="required")
    if is_worker_username(username):
        raise ValidationError.for_field(
            "username",
            _("Usernames starting with “%(prefix)s” are reserved for members' own logins.")
            % {"prefix": WORKER_USERNAME_PREFIX},
            code="reserved_username",
        )
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username__iexact=username).first()
        created = user is None
        if created:
            user = User(username=username, display_name=display_name.strip(), email=email.strip())
            user.set_unusable_password()
            user.full_clean(exclude=["password"])
            user.save()
            audit.record("user.created", actor=actor, organization=organization, obj=user)
        elif RoleAssignment.objects.filter(organization=organization, user=user).exists():
            raise ValidationError.for_field(
                "username",
                _("This person already has a role here; change it in the list."),
                code="already_member",
            )
        elif not actor.is_superuser:
            invitation, _created = Invitation.objects.update_or_create(
                organization=organization,
                user=user,
                answered_at__isnull=True,
                defaults={"role": role, "invited_by": actor},
            )
            audit.record(
                "role.invited",
                actor=actor,
                organization=organization,
                obj=invitation,
                metadata={"user_id": user.pk, "role": role.value},
            )
            return AddedPerson(None, False, None, invitation)
        assignment = RoleAssignment.objects.create(organization=organization, user=user, role=role)
        audit.record(
            "role.assigned",
            actor=actor,
            organization=organization,
            obj=assignment,
            metadata={"user_id": user.pk, "role": role.value},
        )
    return AddedPerson(assignment, created, invitation_path(user) if created else None)


def answer_invitation(invitation: Invitation, *, accept: bool, actor: User) -> Invitation:
    """She accepts (the role is hers from now) or declines a role offered to her account."""
    if actor.pk != invitation.user_id:
        raise PermissionDenied()
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.answered_at is not None:
            return invitation
        invitation.answered_at, invitation.accepted = timezone.now(), accept
        invitation.save(update_fields=["answered_at", "accepted"])
        if accept:
            RoleAssignment.objects.update_or_create(
                organization_id=invitation.organization_id,
                user=actor,
                defaults={"role": invitation.role, "is_active": True},
            )
        audit.record(
            "role.accepted" if accept else "role.declined",
            actor=actor,
            organization=invitation.organization_id,
            obj=invitation,
            metadata={"user_id": actor.pk, "role": invitation.role},
        )
    tenancy.forget_roles(actor)
    return invitation


def break_glass(organization: Organization, *, user: User, role: str, reason: str) -> RoleAssignment:
    """A platform admin takes a role in an organization in an emergency (the command line only):
    the reason is recorded and the organization's admins are told by e-mail."""
    if not user.is_superuser or not user.is_active:
        raise PermissionDenied()
    role = _check_role(role)
    reason = " ".join(reason.split())
    if len(reason) < 10:
        raise ValidationError.for_field("reason", _("Say why, in a sentence."), code="required")
    with transaction.atomic():
        assignment, _created = RoleAssignment.objects.update_or_create(
            organization=organization, user=user, defaults={"role": role, "is_active": True}
        )
        audit.record(
            "role.break_glass",
            actor=user,
            organization=organization,
            obj=assignment,
            metadata={"user_id": user.pk, "role": role.value, "reason": reason[:500]},
        )
        admins = list(
            User.objects.filter(
                role_assignments__organization=organization,
                role_assignments__role=Role.ORG_ADMIN,
                role_assignments__is_active=True,
                is_active=True,
            )
            .exclude(pk=user.pk)
            .exclude(email="")
            .values_list("email", flat=True)
        )
        subject = _("A platform admin has taken a role in %(organization)s") % {"organization": organization}
        body = _(
            "%(user)s, a platform admin, now has the role %(role)s in %(organization)s.\n"
            "The reason given: %(reason)s\n"
            "If you did not expect this, contact whoever runs your Doorstep server."
        ) % {"user": user.username, "role": role.label, "organization": organization, "reason": reason}
        if admins:
            transaction.on_commit(lambda: send_mail(subject, body, None, admins))
    tenancy.forget_roles(user)
    return assignment


def _ensure_an_admin_remains(assignment: RoleAssignment, *, new_role: Role | None, active: bool) -> None:
    if assignment.role != Role.ORG_ADMIN or not assignment.is_active:
        return
    if active and new_role == Role.ORG_ADMIN:
        return
    others = (
        RoleAssignment.objects.select_for_update()
        .filter(
            organization_id=assignment.organization_id,
            role=Role.ORG_ADMIN,
            is_active=True,
            user__is_active=True,
        )
        .exclude(pk=assignment.pk)
    )
    if not others.exists():
        raise ValidationError.for_field(
            "role",
            _("An organization needs at least one active admin. Make someone else admin first."),
            code="last_admin",
        )


def change_role(assignment: RoleAssignment, *, role: str, actor: User) -> RoleAssignment:
    tenancy.require_role(actor, assignment.organization_id, ADMIN_ROLES)
    new_role = _check_role(role)
    with transaction.atomic():
        assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.role == new_role:
            return assignment
        _ensure_an_admin_remains(assignment, new_role=new_role, active=True)
        old_role = assignment.role
        assignment.role = new_role
        assignment.save(update_fields=["role", "updated_at"])
        audit.record(
            "role.changed",
            actor=actor,
            organization=assignment.organization_id,
            obj=assignment,
            metadata={"user_id": assignment.user_id, "old_role": old_role, "new_role": new_role.value},
        )
    tenancy.forget_roles(actor)
    return assignment


def set_person_active(assignment: RoleAssignment, *, active: bool, actor: User) -> RoleAssignment:
    """Deactivate (or reactivate) a person's role in the organization. Nothing is deleted."""
    tenancy.require_role(actor, assignment.organization_id, ADMIN_ROLES)
    with transaction.atomic():
        assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.is_active == active:
            return assignment
        if not active:
            _ensure_an_admin_remains(assignment, new_role=None, active=False)
        assignment.is_active = active
        assignment.save(update_fields=["is_active", "updated_at"])
        if (
            not active
            and not RoleAssignment.objects.filter(user_id=assignment.user_id, is_active=True).exists()
        ):
            _revoke_all_tokens(assignment.user, reason="deactivated")
        audit.record(
            "role.reactivated" if active else "role.deactivated",
            actor=actor,
            organization=assignment.organization_id,
            obj=assignment,
            metadata={"user_id": assignment.user_id},
        )
    tenancy.forget_roles(actor)
    return assignment


def update_profile(
    user: User, *, display_name: str, email: str, preferred_language: str, actor: User
) -> User:
    """A user edits her own profile."""
    if actor.pk != user.pk:
        raise PermissionDenied()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        changed = [
            name
            for name, value in (
                ("display_name", display_name.strip()),
                ("email", email.strip()),
                ("preferred_language", preferred_language),
            )
            if getattr(user, name) != value
        ]
        if not changed:
            return user
        user.display_name, user.email, user.preferred_language = (
            display_name.strip(),
            email.strip(),
            preferred_language,
        )
        user.full_clean(exclude=["password"])
        user.save(update_fields=changed)
        audit.record("user.updated", actor=actor, obj=user, metadata={"fields": changed})
    return user


# API tokens ---------------------------------------------------------------------------------------


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(
    user: User, *, name: str, expires_at: datetime | None = None, actor: User
) -> tuple[ApiToken, str]:
    """A new personal token for ``user``, expiring after ``API_TOKEN_DEFAULT_DAYS`` unless
    ``expires_at`` says otherwise; the raw token is returned once and never stored."""
    if actor.pk != user.pk:
        raise PermissionDenied()
    name = name.strip()
    if not name:
        raise ValidationError.for_field(
            "name", _("Give the token a name, to recognise it later."), code="required"
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError.for_field("expires_at", _("The expiry must be in the future."))
    expires_at = expires_at or timezone.now() + timedelta(days=settings.API_TOKEN_DEFAULT_DAYS)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name[:100], prefix=raw[:12], key_hash=_hash_token(raw), expires_at=expires_at
        )
        audit.record("token.issued", actor=actor, obj=token)
    return token, raw


def revoke_token(token: ApiToken, *, actor: User) -> ApiToken:
    if actor.pk != token.user_id:
        raise PermissionDenied()
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit.record("token.revoked", actor=actor, obj=token)
    return token


def _revoke_all_tokens(user: User, *, reason: str) -> None:
    """Revoke every live token of ``user`` (inside the caller's transaction), audited with a count."""
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if revoked:
        audit.record("token.revoked_all", obj=user, metadata={"count": revoked, "reason": reason})


class TokenRejected(Exception):
    """A bearer token that is unknown, revoked or expired (the message says which, without data)."""


def user_for_token(raw: str) -> User:
    try:
        token = ApiToken.objects.select_related("user").get(key_hash=_hash_token(raw))
    except ApiToken.DoesNotExist:
        raise TokenRejected(_("This token is not valid.")) from None
    now = timezone.now()
    if token.revoked_at is not None:
        raise TokenRejected(_("This token has been revoked."))
    if token.expires_at is not None and token.expires_at <= now:
        raise TokenRejected(_("This token has expired."))
    if not token.user.is_active:
        raise TokenRejected(_("This account is deactivated."))
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# Data-sharing agreements --------------------------------------------------------------------------

RECIPIENT_KINDS = {
    SharingPurpose.NETWORK_STATISTICS: Organization.NETWORK_KINDS,
    SharingPurpose.COMPANY_DUE_DILIGENCE: frozenset({Organization.Kind.COMPANY}),
    SharingPurpose.RESEARCH: Organization.NETWORK_KINDS | {Organization.Kind.ALLY},
}


def create_agreement(organization: Organization, *, data: dict, actor: User) -> SharingAgreement:
    """An org admin agrees to share aggregates of some kinds of data with a network, a company or an
    ally, for one purpose and a span of dates."""
    tenancy.require_role(actor, organization, ADMIN_ROLES)
    errors: list[FieldError] = []
    purpose = inputs.choice(data.get("purpose"), "purpose", SharingPurpose, errors, required=True)
    kinds = data.get("data_kinds") or []
    if isinstance(kinds, str):
        kinds = [kinds]
    clean_kinds = sorted(
        {k for k in (inputs.choice(k, "data_kinds", SharedData, errors) for k in kinds) if k}
    )
    if not kinds:
        errors.append(FieldError("data_kinds", _("Choose at least one kind of data.")))
    starts_on = inputs.date_value(data.get("starts_on"), "starts_on", errors) or timezone.localdate()
    ends_on = inputs.date_value(data.get("ends_on"), "ends_on", errors)
    if ends_on and ends_on < starts_on:
        errors.append(FieldError("ends_on", _("The end comes before the start.")))
    recipient = Organization.objects.filter(pk=data.get("recipient") or 0, is_active=True).first()
    if recipient is None or recipient.pk == organization.pk:
        errors.append(FieldError("recipient", _("Choose the network, company or ally to share with.")))
    elif purpose and recipient.kind not in RECIPIENT_KINDS[purpose]:
        errors.append(
            FieldError(
                "recipient",
                _("%(name)s cannot receive data for this purpose (%(purpose)s).")
                % {"name": recipient.name, "purpose": SharingPurpose(purpose).label},
            )
        )
    if errors:
        raise ValidationError(message=_("The agreement is not saved."), errors=errors)
    with transaction.atomic():
        agreement = SharingAgreement.objects.create(
            organization=organization,
            recipient=recipient,
            purpose=purpose,
            data_kinds=clean_kinds,
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=actor,
        )
        audit.record(
            "sharing.agreed",
            actor=actor,
            organization=organization,
            obj=agreement,
            metadata={"recipient_id": recipient.pk, "purpose": purpose, "data_kinds": clean_kinds},
        )
    return agreement


def revoke_agreement(agreement: SharingAgreement, *, actor: User) -> SharingAgreement:
    """Nothing more flows from the moment of revocation (every aggregate checks live agreements)."""
    tenancy.require_role(actor, agreement.organization_id, ADMIN_ROLES)
    with transaction.atomic():
        SharingAgreement.objects.filter(pk=agreement.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=actor
        )
        agreement.refresh_from_db()
        audit.record("sharing.revoked", actor=actor, organization=agreement.organization_id, obj=agreement)
    return agreement


def set_disclosure_k(organization: Organization, k, *, actor: User) -> Organization:
    """The smallest group of workers a figure shared outside may come from (5 at the least)."""
    tenancy.require_role(actor, organization, ADMIN_ROLES)
    try:
        value = int(str(k).strip())
    except ValueError:
        value = 0
    if not disclosure.MINIMUM_K <= value <= 1000:
        raise ValidationError.for_field(
            "disclosure_k", _("Give a whole number from %(low)s to 1000.") % {"low": disclosure.MINIMUM_K}
        )
    with transaction.atomic():
        Organization.objects.filter(pk=organization.pk).update(disclosure_k=value)
        organization.disclosure_k = value
        audit.record("organization.k_set", actor=actor, organization=organization, metadata={"k": value})
    return organization
