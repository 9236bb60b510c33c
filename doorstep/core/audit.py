"""The audit log: an append-only, hash-chained record of who did what.

``record()`` appends one event inside the caller's transaction, so an event exists exactly when the
change it describes was committed. Appends are serialized by locking the single chain-head row;
each event's hash covers its own fields and the previous event's hash, so changing, removing or
reordering any event breaks every link after it. ``verify()`` walks the chain in sequence order
(streaming, constant memory) and reports the first broken link.

Events hold ids and non-personal metadata only: never a name, phone number or free text about a
person. Metadata values must be JSON scalars or lists of them.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone

from .models import AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64
_SCALARS = (str, int, bool, type(None))


def _check_metadata(metadata: dict) -> None:
    for key, value in metadata.items():
        values = value if isinstance(value, list) else [value]
        if not isinstance(key, str) or not all(isinstance(v, _SCALARS) for v in values):
            raise TypeError(f"audit metadata {key!r} must be a string, integer, boolean or a list of them")


def compute_hash(
    *,
    sequence: int,
    occurred_at: datetime,
    actor_id: int | None,
    organization_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    metadata: dict,
    prev_hash: str,
) -> str:
    payload = json.dumps(
        [
            sequence,
            occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
            actor_id,
            organization_id,
            action,
            object_type,
            object_id,
            metadata,
            prev_hash,
        ],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    )
    return hashlib.sha256(payload.encode("ascii")).hexdigest()


def record(
    action: str,
    *,
    actor=None,
    organization=None,
    obj=None,
    object_type: str = "",
    object_id: str | int = "",
    metadata: dict | None = None,
) -> AuditEvent:
    """Append an event. ``actor`` is a user (or None for the system or an anonymous attempt)."""
    metadata = dict(metadata or {})
    _check_metadata(metadata)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().get(pk=1)
        fields = {
            "sequence": head.sequence + 1,
            "occurred_at": timezone.now(),
            "actor_id": getattr(actor, "pk", None),
            "organization_id": getattr(organization, "pk", organization),
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id),
            "metadata": metadata,
            "prev_hash": head.hash,
        }
        event = AuditEvent.objects.create(**fields, hash=compute_hash(**fields))
        head.sequence, head.hash = event.sequence, event.hash
        head.save(update_fields=["sequence", "hash"])
    return event


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_at: int | None = None
    reason: str = ""


def verify(chunk_size: int = 2000) -> VerifyResult:
    """Check every link of the chain; stop at the first broken one."""
    expected_prev = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    fields = [f.name for f in AuditEvent._meta.fields if f.name not in ("id", "hash")]
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=chunk_size):
        if event.sequence != expected_sequence:
            return VerifyResult(False, checked, expected_sequence, f"event {expected_sequence} is missing")
        if event.prev_hash != expected_prev:
            return VerifyResult(False, checked, event.sequence, "its previous hash does not match")
        if compute_hash(**{name: getattr(event, name) for name in fields}) != event.hash:
            return VerifyResult(False, checked, event.sequence, "its content does not match its hash")
        expected_prev = event.hash
        expected_sequence += 1
        checked += 1
    head = AuditChainHead.objects.get(pk=1)
    if head.sequence != checked or head.hash != expected_prev:
        return VerifyResult(False, checked, checked + 1, "events after it were removed")
    return VerifyResult(True, checked)


def ensure_chain_head(**_kwargs) -> None:
    """Put back the chain's head row when the log is empty and the row is missing (a flushed test
    database). With events in the log a missing head is tampering, and is left for ``verify``."""
    if not AuditChainHead.objects.filter(pk=1).exists() and not AuditEvent.objects.exists():
        AuditChainHead.objects.create(pk=1, sequence=0, hash=GENESIS_HASH)


def record_reads(action: str, *, actor, rows, object_type: str, ids_key: str, reason: str) -> None:
    """One event per organization for a batch of personal records just read (ids, never values)."""
    rows = list(rows)
    for organization_id in sorted({row.organization_id for row in rows}):
        record(
            action,
            actor=actor,
            organization=organization_id,
            object_type=object_type,
            metadata={
                ids_key: [row.pk for row in rows if row.organization_id == organization_id],
                "reason": reason,
            },
        )
