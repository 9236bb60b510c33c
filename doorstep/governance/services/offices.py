"""Terms of office: a member starts holding a position on a day, and the term ends on a day. A term is
ended, never deleted, so the history of who held which office stays. A single-holder position has at
most one holder on any day: a term that would share a day with another is refused."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from doorstep.core import audit, tenancy
from doorstep.core.errors import FieldError, ValidationError
from doorstep.members.models import Member

from .. import queries
from ..models import Mandate, OfficeTerm, Position
from .rules import ADMIN_ROLES


@dataclass(frozen=True)
class TermInput:
    member_id: int
    starts_on: date
    mandate: str
    ends_on: date | None = None
    shown_publicly: bool = False


def start_term(position: Position, data: TermInput, *, actor) -> OfficeTerm:
    tenancy.require_role(actor, position.organization_id, ADMIN_ROLES)
    errors: list[FieldError] = []
    member = Member.objects.filter(
        organization_id=position.organization_id, pk=data.member_id, merged_into__isnull=True
    ).first()
    if member is None:
        errors.append(FieldError("member_id", _("No such member in this organization.")))
    if data.mandate not in Mandate.values:
        errors.append(FieldError("mandate", _("Say whether she was elected or appointed.")))
    if data.starts_on is None:
        errors.append(FieldError("starts_on", _("Give the day the term starts.")))
    elif data.ends_on is not None and data.ends_on < data.starts_on:
        errors.append(FieldError("ends_on", _("The term cannot end before it starts.")))
    if errors:
        raise ValidationError(message=_("The term of office could not be recorded."), errors=errors)
    with transaction.atomic():
        position = Position.objects.select_for_update().get(pk=position.pk)
        if position.single_holder:
            clash = (
                queries.overlapping_terms(position, data.starts_on, data.ends_on)
                .order_by("starts_on")
                .first()
            )
            if clash is not None:
                raise ValidationError.for_field(
                    "starts_on",
                    _(
                        "%(position)s has one holder at a time, and a term from %(start)s already covers "
                        "these days: end it first."
                    )
                    % {"position": position.title, "start": clash.starts_on.isoformat()},
                    code="overlapping_term",
                )
        term = OfficeTerm.objects.create(
            organization_id=position.organization_id,
            position=position,
            member=member,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            mandate=data.mandate,
            shown_publicly=bool(data.shown_publicly),
            recorded_by=actor,
        )
        audit.record(
            "governance.term_started",
            actor=actor,
            organization=position.organization_id,
            obj=term,
            metadata={"position_id": position.pk, "member_id": member.pk, "mandate": data.mandate},
        )
    return term


def end_term(term: OfficeTerm, *, ends_on: date, actor) -> OfficeTerm:
    """End a running term on ``ends_on`` (the last day in office)."""
    tenancy.require_role(actor, term.organization_id, ADMIN_ROLES)
    with transaction.atomic():
        term = OfficeTerm.objects.select_for_update().get(pk=term.pk)
        if term.ends_on is not None and term.ends_on <= ends_on:
            raise ValidationError.for_field("ends_on", _("This term has already ended."), code="ended")
        if ends_on < term.starts_on:
            raise ValidationError.for_field("ends_on", _("The term cannot end before it starts."))
        before = term.ends_on.isoformat() if term.ends_on else None
        term.ends_on = ends_on
        term.save(update_fields=["ends_on"])
        audit.record(
            "governance.term_ended",
            actor=actor,
            organization=term.organization_id,
            obj=term,
            metadata={"before.ends_on": before, "after.ends_on": ends_on.isoformat()},
        )
    return term


def show_publicly(term: OfficeTerm, *, shown: bool, actor) -> OfficeTerm:
    """Whether her name and office appear on the organization's public directory page (her choice)."""
    tenancy.require_role(actor, term.organization_id, ADMIN_ROLES)
    with transaction.atomic():
        term = OfficeTerm.objects.select_for_update().get(pk=term.pk)
        if term.shown_publicly != shown:
            term.shown_publicly = shown
            term.save(update_fields=["shown_publicly"])
            audit.record(
                "governance.term_shown",
                actor=actor,
                organization=term.organization_id,
                obj=term,
                metadata={"shown": shown},
            )
    return term
