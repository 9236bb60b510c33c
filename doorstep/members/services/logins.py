"""Her own login: a ``worker`` account she opens with her phone number and a PIN, given by her
organization's staff, and the log-in itself (throttled like every login).

The account's username is random (``accounts.new_worker_username``), so it can be neither guessed
nor sprayed; she never types it. She logs in only at her organization's member login. A PIN is 6 to
8 digits and refuses what an attacker tries first (see ``pin_problem``). When she forgets it, her
organization's staff set a new one (``member.pin_reset`` in the audit log).
"""

import itertools
import re

from django.db import transaction
from django.utils.translation import gettext as _

from doorstep.core import audit, tenancy, throttle, vault
from doorstep.core.errors import ValidationError
from doorstep.core.roles import STAFF_ROLES, Role
from doorstep.organizations import services as accounts
from doorstep.organizations.models import Organization, RoleAssignment, User

from ..models import Member, MemberIdentifier
from .pii import PII_PURPOSE
from .validation import normalize_phone

# PINs people choose most often that the rules below do not already catch.
COMMON_PINS = frozenset(
    {"123321", "147258", "147852", "159753", "102030", "112233", "123654", "789456", "696969", "520520"}
)


def _is_sequence(pin: str) -> bool:
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(pin)}
    return steps in ({1}, {9})


def pin_problem(pin: str, *, birth_year: int | None, phones: list[str]) -> str | None:
    """Why this PIN is refused, or None: 6 to 8 digits, not all one or two digits, not a run
    (123456, 987654, 890123), not a repeated block (123123), not a common PIN, not containing her
    year of birth, not part of her phone number."""
    if not re.fullmatch(r"\d{6,8}", pin or ""):
        return _("The PIN is 6 to 8 digits.")
    repeated = any(pin == (pin[:size] * len(pin))[: len(pin)] for size in (1, 2, 3))
    digits_of_phones = ["".join(ch for ch in phone if ch.isdigit()) for phone in phones]
    if (
        len(set(pin)) <= 2
        or repeated
        or _is_sequence(pin)
        or pin in COMMON_PINS
        or (birth_year and str(birth_year) in pin)
        or any(pin in digits for digits in digits_of_phones)
    ):
        return _(
            "This PIN is too easy to guess: avoid runs, repeats, her year of birth and her phone number."
        )
    return None


def give_login(member: Member, *, pin: str, actor) -> Member:
    """Let her log in as a ``worker`` with her phone number and a PIN she chose (``pin_problem``).

    Giving a login again sets a new PIN (her forgotten PIN reset, audited as ``member.pin_reset``)
    and lifts any throttling of her account.
    """
    tenancy.require_role(actor, member.organization_id, STAFF_ROLES)
    if not re.fullmatch(r"\d{6,8}", pin or ""):
        raise ValidationError.for_field("pin", _("The PIN is 6 to 8 digits."), code="bad_pin")
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
        problem = pin_problem(pin, birth_year=member.birth_year, phones=pii["phones"])
        if problem:
            raise ValidationError.for_field("pin", problem, code="weak_pin")
        resetting = member.user is not None
        user = member.user or User(username=accounts.new_worker_username())
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
        if resetting:
            throttle.clear_account(user.username)
        audit.record(
            "member.pin_reset" if resetting else "member.login_given",
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
    return accounts.log_in(
        username=username,
        password=pin,
        address=address,
        member_login=True,
        scope=f"member-login:{organization.pk}",
    )
