"""A case's timeline: actions (``clean_action()``, their sealed details and outcome) and deadlines,
and the whole timeline (actions, remedies, attachments, company replies) opened in one audited read."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core import audit, inputs, tenancy, vault
from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.roles import STAFF_ROLES

from ..models import ActionKind, Case, CaseAction
from .cases import _audit_read
from .evidence import FILE_NAME_PURPOSE
from .remedies import REMEDY_PURPOSE
from .sharing import REPLY_PURPOSE

ACTION_PURPOSE = "grievance.action"
# Every kind of timeline entry, in the order entries of one day are listed.
KINDS = ("opened", "action", "attachment", "reply", "commitment", "remedy", "finished")


def clean_action(raw: Mapping[str, Any]) -> tuple[dict, dict]:
    errors: list[FieldError] = []
    happened = inputs.date_value(raw.get("happened_on"), "happened_on", errors) or timezone.localdate()
    if happened > timezone.localdate():
        errors.append(
            FieldError(
                "happened_on", _("Record what happened, not what is planned: use a deadline for that.")
            )
        )
    deadline = inputs.date_value(raw.get("deadline"), "deadline", errors)
    if deadline and deadline < happened:
        errors.append(FieldError("deadline", _("The deadline comes before the action.")))
    fields = {
        "kind": inputs.choice(raw.get("kind"), "kind", ActionKind, errors, required=True),
        "happened_on": happened,
        "deadline": deadline,
    }
    sealed = {name: str(raw.get(name) or "").strip() for name in ("detail", "outcome", "deadline_note")}
    for name, text in sealed.items():
        if len(text) > 5000:
            errors.append(FieldError(name, _("Keep this under %(limit)s characters.") % {"limit": "5,000"}))
    if not sealed["detail"] and not sealed["outcome"]:
        errors.append(FieldError("detail", _("Say what was done or what came of it.")))
    if errors:
        raise ValidationError(message=_("The action is not saved."), errors=errors)
    return fields, sealed


def add_action(case: Case, raw: Mapping[str, Any], *, actor) -> CaseAction:
    tenancy.require_role(actor, case.organization_id, STAFF_ROLES)
    fields, sealed = clean_action(raw)
    with transaction.atomic():
        action = CaseAction.objects.create(
            organization_id=case.organization_id,
            case=case,
            author=actor,
            sealed=vault.seal(case.subject_key, sealed, purpose=ACTION_PURPOSE),
            **fields,
        )
        Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
        audit.record(
            "grievance.action",
            actor=actor,
            organization=case.organization_id,
            obj=action,
            metadata={"case_id": case.pk, "kind": action.kind},
        )
    return action


def complete_deadline(action: CaseAction, *, actor) -> CaseAction:
    tenancy.require_role(actor, action.organization_id, STAFF_ROLES)
    if action.deadline is None or action.deadline_done_at is not None:
        raise ValidationError.for_field("deadline", _("There is no open deadline here."), code="no_deadline")
    with transaction.atomic():
        action.deadline_done_at = timezone.now()
        action.save(update_fields=["deadline_done_at"])
        audit.record("grievance.deadline_done", actor=actor, organization=action.organization_id, obj=action)
    return action


@dataclass
class Entry:
    """One line of a case's timeline, opened."""

    on: date
    kind: str  # one of KINDS
    item: Any
    text: dict


def timeline(case: Case, *, actor, reason: str) -> list[Entry]:
    """The case's actions, remedies and attachments in date order, opened (one audited read)."""
    tenancy.require_role(actor, case.organization_id, STAFF_ROLES)
    key = case.subject_key
    entries = [Entry(case.opened_on, "opened", case, {})]
    for action in case.actions.select_related("author"):
        entries.append(
            Entry(
                action.happened_on,
                "action",
                action,
                vault.open_sealed(key, bytes(action.sealed), purpose=ACTION_PURPOSE),
            )
        )
    for remedy in case.remedies.prefetch_related("orders"):
        entries.append(
            Entry(
                remedy.received_on,
                "remedy",
                remedy,
                vault.open_sealed(key, bytes(remedy.sealed), purpose=REMEDY_PURPOSE),
            )
        )
    for attachment in case.attachments.select_related("uploaded_by"):
        name = vault.open_sealed_bytes(key, bytes(attachment.sealed_name), purpose=FILE_NAME_PURPOSE).decode()
        entries.append(
            Entry(timezone.localtime(attachment.created_at).date(), "attachment", attachment, {"name": name})
        )
    for reply in case.replies.select_related("company", "author"):
        text = vault.open_sealed(key, bytes(reply.sealed), purpose=REPLY_PURPOSE)
        entries.append(Entry(timezone.localtime(reply.created_at).date(), "reply", reply, text))
    for commitment in case.commitments.select_related("company"):
        entries.append(Entry(timezone.localtime(commitment.created_at).date(), "commitment", commitment, {}))
    if case.finished_on:
        entries.append(Entry(case.finished_on, "finished", case, {}))
    entries.sort(key=lambda e: (e.on, KINDS.index(e.kind), getattr(e.item, "pk", 0)))
    _audit_read([case], actor=actor, reason=reason)
    return entries
