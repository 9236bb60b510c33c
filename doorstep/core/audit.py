"""The audit log: an append-only, hash-chained record of who did what.

``record()`` appends one event inside the caller's transaction, so an event exists exactly when the
change it describes was committed. Appends are serialized by locking the single chain-head row;
each event's hash covers its own fields and the previous event's hash, so changing, removing or
reordering any event breaks every link after it. ``verify()`` walks the chain in sequence order
(streaming, constant memory) and reports the first broken link.

**Keyed, and anchored outside the database.** The hash is an HMAC-SHA256 under
``DOORSTEP_AUDIT_KEY`` (the environment, like the master key), so someone who can write the
database (drop the triggers, delete events, re-hash, restore the triggers) cannot make a chain
that verifies. ``anchor()`` signs the head (sequence, hash, time) with the same key for keeping
elsewhere (``python -m doorstep audit anchor``, one JSON line); ``verify(anchors=…)`` then also
catches a chain re-hashed by someone holding the key, and events removed after any anchor.

**Chains written before the key** (plain SHA-256) are accepted only as a prefix that a keyed event
seals: the first keyed event links to the last plain one, so the prefix cannot change without
breaking it. ``seal()`` (``audit seal``) verifies the plain prefix and records ``audit.sealed``
at once; a chain of plain events that no keyed event follows does not verify.

Events hold ids and non-personal metadata only: never a name, phone number or free text about a
person. Metadata values must be JSON scalars or lists of them.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64
UNSEALED = "the chain is not sealed with the audit key: run `audit seal`"
_SCALARS = (str, int, bool, type(None))


def _check_metadata(metadata: dict) -> None:
    for key, value in metadata.items():
        values = value if isinstance(value, list) else [value]
        if not isinstance(key, str) or not all(isinstance(v, _SCALARS) for v in values):
            raise TypeError(f"audit metadata {key!r} must be a string, integer, boolean or a list of them")


def _payload(
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
) -> bytes:
    return json.dumps(
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
    ).encode("ascii")


def compute_hash(**fields) -> str:
    """An event's hash: HMAC-SHA256 of its fields and the previous hash under the audit key."""
    return hmac.new(settings.AUDIT_KEY, _payload(**fields), hashlib.sha256).hexdigest()


def _unkeyed_hash(**fields) -> str:
    """The hash of events written before the audit key (plain SHA-256); verified, never written."""
    return hashlib.sha256(_payload(**fields)).hexdigest()


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
    # No savepoint of its own: an event is written with the change it records or not at all.
    with transaction.atomic(savepoint=False):
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
    head_hash: str = GENESIS_HASH  # the hash of the last event checked
    unkeyed: int = 0  # events written before the audit key (a sealed prefix)


class AnchorError(ValueError):
    """An anchor line that is malformed or not signed with this audit key."""


@dataclass(frozen=True)
class Anchor:
    """The chain's head as it was at ``time`` (ISO 8601, UTC), signed with the audit key."""

    sequence: int
    hash: str
    time: str

    def signature(self) -> str:
        message = f"doorstep-audit-anchor|{self.sequence}|{self.hash}|{self.time}".encode("ascii")
        return hmac.new(settings.AUDIT_KEY, message, hashlib.sha256).hexdigest()

    def line(self) -> str:
        fields = {"sequence": self.sequence, "hash": self.hash, "time": self.time}
        return json.dumps({**fields, "signature": self.signature()}, sort_keys=True)

    @classmethod
    def parse(cls, line: str) -> "Anchor":
        try:
            fields = json.loads(line)
            found = cls(int(fields["sequence"]), str(fields["hash"]), str(fields["time"]))
            signature = str(fields["signature"])
            found.hash.encode("ascii"), found.time.encode("ascii")
        except (ValueError, KeyError, TypeError, AttributeError):
            raise AnchorError("not an anchor line") from None
        if not hmac.compare_digest(found.signature(), signature):
            raise AnchorError("not signed with this audit key")
        return found


def read_anchors(lines) -> list[Anchor]:
    """Anchors from the lines ``anchor`` wrote (blank lines and ``#`` comments are skipped)."""
    anchors = []
    for number, line in enumerate(lines, start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            try:
                anchors.append(Anchor.parse(line))
            except AnchorError as error:
                raise AnchorError(f"line {number}: {error}") from None
    return anchors


def verify(chunk_size: int = 2000, *, anchors: list[Anchor] = ()) -> VerifyResult:
    """Check every link of the chain, and the chain against each anchor; stop at the first break."""
    expected_prev = GENESIS_HASH
    expected_sequence = 1
    checked = unkeyed = 0
    keyed = False
    anchored: dict[int, list[Anchor]] = {}
    for found in anchors:
        anchored.setdefault(found.sequence, []).append(found)
    fields = [f.name for f in AuditEvent._meta.fields if f.name not in ("id", "hash")]
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=chunk_size):
        if event.sequence != expected_sequence:
            return VerifyResult(False, checked, expected_sequence, f"event {expected_sequence} is missing")
        if event.prev_hash != expected_prev:
            return VerifyResult(False, checked, event.sequence, "its previous hash does not match")
        content = {name: getattr(event, name) for name in fields}
        if hmac.compare_digest(compute_hash(**content), event.hash):
            keyed = True
        elif not keyed and _unkeyed_hash(**content) == event.hash:
            unkeyed += 1
        else:
            return VerifyResult(False, checked, event.sequence, "its content does not match its hash")
        for found in anchored.get(event.sequence, ()):
            if found.hash != event.hash:
                return VerifyResult(
                    False, checked, event.sequence, f"it differs from the anchor of {found.time}: re-written"
                )
        expected_prev = event.hash
        expected_sequence += 1
        checked += 1
    head = AuditChainHead.objects.get(pk=1)
    if head.sequence != checked or head.hash != expected_prev:
        return VerifyResult(False, checked, checked + 1, "events after it were removed")
    if anchors and (latest := max(anchors, key=lambda a: a.sequence)).sequence > checked:
        return VerifyResult(
            False,
            checked,
            checked + 1,
            f"events after it were removed: the anchor of {latest.time} was taken at event {latest.sequence}",
        )
    if unkeyed and not keyed:
        return VerifyResult(False, checked, checked + 1, UNSEALED, expected_prev, unkeyed)
    return VerifyResult(True, checked, head_hash=expected_prev, unkeyed=unkeyed)


class ChainBroken(Exception):
    def __init__(self, result: VerifyResult) -> None:
        super().__init__(f"BROKEN at event {result.broken_at}: {result.reason}")
        self.result = result


def anchor() -> Anchor:
    """The verified head, signed, to keep outside the database (``ChainBroken`` if it does not
    verify: an anchor of a forged chain would vouch for it)."""
    result = verify()
    if not result.ok:
        raise ChainBroken(result)
    now = timezone.now().astimezone(UTC).isoformat(timespec="seconds")
    return Anchor(result.checked, result.head_hash, now)


def seal(*, actor=None) -> AuditEvent | None:
    """Seal a chain written before the audit key: verify it, then record ``audit.sealed`` (keyed,
    linked to the last plain event). None when there is nothing to seal."""
    result = verify()
    if result.ok:  # every event keyed, or a plain prefix already sealed
        return None
    if result.reason != UNSEALED:
        raise ChainBroken(result)
    return record(
        "audit.sealed",
        actor=actor,
        object_type="core.auditevent",
        object_id=result.checked,
        metadata={"unkeyed_events": result.checked, "sealed_hash": result.head_hash},
    )


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
