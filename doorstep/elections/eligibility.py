"""Who may be on an election's roll: the hook point for rules kept elsewhere.

Elections know only what the members app says (an active member who had joined by the roll's date).
Other rules, such as the ``governance`` app's "in good standing" (dues paid, within the grace
period), plug in here without elections importing them: the other app calls ``register(check)`` in
its ``AppConfig.ready()``; a check answers ``None`` (eligible) or the reason she is not, for people.
"""

from collections.abc import Callable
from datetime import date

from django.utils.translation import gettext as _

from doorstep.members.models import Member, Status

Check = Callable[[Member, date], str | None]
_checks: list[Check] = []


def register(check: Check) -> None:
    """Add a rule every roll and nomination applies (idempotent for the same function)."""
    if check not in _checks:
        _checks.append(check)


def unregister(check: Check) -> None:
    if check in _checks:
        _checks.remove(check)


def reason_not_eligible(member: Member, on: date) -> str | None:
    """Why she may not vote or stand in an election whose roll is frozen at ``on``; None if she may."""
    if member.merged_into_id is not None or member.status != Status.ACTIVE:
        return _("She is not an active member.")
    if member.joined_on > on:
        return _("She joined after the date the voter roll is frozen at.")
    for check in _checks:
        reason = check(member, on)
        if reason:
            return reason
    return None
