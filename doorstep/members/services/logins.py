"""Her own login: a ``worker`` account she opens with her phone number and a PIN, given by her
organization's staff, and the log-in itself (throttled like every login)."""

import re

from django.db import transaction
from django.utils.translation import gettext as _

from doorstep.core import audit, tenancy, vault
from doorstep.core.errors import ValidationError
from doorstep.core.roles import STAFF_ROLES, Role
from doorstep.organizations import services as accounts
from doorstep.organizations.models import Organization, RoleAssignment, User

from ..models import Member, MemberIdentifier
from .pii import PII_PURPOSE
from .validation import normalize_phone


def give_login(member: Member, *, pin: str, actor) -> Member:
    """Let her log in as a ``worker`` with her phone number and a PIN she chose (4 to 8 digits).

    The account's username is made from the record's id: no name or phone number is stored in clear.
    Giving a login again sets a new PIN.
    """
    tenancy.require_role(actor, member.organization_id, STAFF_ROLES)
    if not re.fullmatch(r"\d{4,8}", pin or ""):
        raise ValidationError.for_field("pin", _("The PIN is 4 to 8 digits."), code="bad_pin")
    with transaction.atomic():
        member = (
            Member.objects.select_for_update(of=("self",))
            .select_related("subject_key", "user")
            .get(pk=member.pk)
        )
        pii = vault.open_sealed(member.subject_key, member.pii, purpose=PII_PURPOSE)
        if not pii.get("phones"):
            raise ValidationError.for_field(
                "pin", _("Add her phone number first: she logs in with it."), code="no_phone"
            )
        user = member.user or User(username=f"member-{member.pk}")
        user.set_password(pin)
        user.is_active = True
        user.save()
        if member.user_id is None:
            member.user = user
            member.save(update_fields=["user", "updated_at"])
        RoleAssignment.objects.update_or_create(
            organization_id=member.organization_id,
            user=user,
            defaults={"role": Role.WORKER, "is_active": True},
        )
        audit.record(
            "member.login_given",
            actor=actor,
            organization=member.organization_id,
            obj=member,
            metadata={"user_id": user.pk},
        )
    return member


def worker_log_in(organization: Organization, *, phone: str, pin: str, address: str | None):
    """The member's user for this phone number and PIN, throttled like every login."""
    normalized = normalize_phone(phone, organization.country.code)
    digest = vault.blind_index(organization.pk, "phone", normalized) if normalized else "invalid"
    match = (
        MemberIdentifier.objects.filter(
            organization=organization,
            kind=MemberIdentifier.Kind.PHONE,
            digest=digest,
            member__user__isnull=False,
            member__merged_into__isnull=True,
        )
        .select_related("member__user")
        .first()
    )
    # Unknown phones are throttled under their digest, so guessing numbers is slowed down too.
    username = match.member.user.username if match else f"phone-{digest[:32]}"
    return accounts.log_in(username=username, password=pin, address=address)
