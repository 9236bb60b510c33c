"""The vault: how personal data is encrypted, looked up and destroyed.

Key hierarchy (DESIGN.md section 4)::

    DOORSTEP_MASTER_KEY (environment, never in the database)
      └─ wraps each organization's key             core.OrganizationKey  (AES-GCM, AAD: org id + version)
           └─ wraps each person's data key           core.SubjectKey       (AES-GCM, AAD: key id + org id)
                └─ encrypts her personal fields        sealed blobs          (AES-GCM, AAD: key id + purpose)

Every layer is AES-256-GCM from ``cryptography``: authenticated, so a changed byte fails to open,
and every ciphertext carries associated data binding it to its place, so a blob copied from one
person's row to another's does not open either.

* **Crypto-shredding**: ``shred()`` deletes the person's data key and notes it in the erasure log
  (``ErasedKey``); her sealed blobs, in the live database or in a dump, can then never be opened.
  (SQLite runs with ``secure_delete`` so the key's bytes are overwritten; on PostgreSQL a VACUUM
  reclaims them.) Database backups leave the key tables out (``core.backup``).
* **Blind indexes**: exact lookup of a phone or ID number by ``HMAC-SHA256(index key, kind|value)``,
  where the index key is derived (HKDF) from the organization's key. The same phone number gives
  different digests in two organizations, so indexes cannot be joined across them.
* **Master-key rotation**: organization keys name the master key that wraps them (``master_key_id``,
  a fingerprint). During a rotation the old key is listed in ``DOORSTEP_PREVIOUS_MASTER_KEYS``;
  ``rotate_master_key()`` re-wraps every organization key under the current one, after which the
  old key is no longer needed. Data keys and sealed data are untouched, so this is quick and needs
  no downtime.

Unwrapped organization keys are cached per process (they are needed for every read); data keys are
unwrapped per use.
"""

import hashlib
import hmac
import json
import os
import uuid
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .bulk import insert_rows
from .models import ErasedKey, OrganizationKey, SubjectKey

FORMAT = b"\x01"  # the first byte of every sealed value: the format version
_NONCE = 12


class VaultError(Exception):
    """A key or ciphertext that cannot be opened: a missing master key, tampering, or a shredded key."""


def master_key_id(key: bytes) -> str:
    return hashlib.sha256(b"doorstep master key id\x00" + key).hexdigest()[:16]


def _master_keys() -> dict[str, bytes]:
    keys = {master_key_id(key): key for key in settings.PREVIOUS_MASTER_KEYS}
    keys[master_key_id(settings.MASTER_KEY)] = settings.MASTER_KEY
    return keys


def _encrypt(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(_NONCE)
    return FORMAT + nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def _decrypt(key: bytes, blob: bytes, aad: bytes) -> bytes:
    blob = bytes(blob)
    if blob[:1] != FORMAT:
        raise VaultError("unknown ciphertext format")
    try:
        return AESGCM(key).decrypt(blob[1 : 1 + _NONCE], blob[1 + _NONCE :], aad)
    except InvalidTag:
        raise VaultError("the ciphertext does not open with this key (tampered, or the wrong key)") from None


# Organization keys ---------------------------------------------------------------------------------

# (organization id, version) -> (wrapped bytes, key). A cached key is trusted only while its row
# still holds the same wrapped bytes (checked wherever the row is at hand); on the read path a key
# that fails to open a data key is dropped and read again, so a rolled-back key cannot linger.
_org_key_cache: dict[tuple[int, int], tuple[bytes, bytes]] = {}


def _org_key_aad(organization_id: int, version: int) -> bytes:
    return f"doorstep organization key|{organization_id}|{version}".encode()


def _current_org_key(organization_id: int) -> tuple[int, bytes]:
    """(version, key) of the organization's current key, created on first use."""
    row = OrganizationKey.objects.filter(organization_id=organization_id).order_by("-version").first()
    if row is None:
        with transaction.atomic():
            # Lock the organization so that two first uses cannot create two keys.
            apps.get_model("organizations", "Organization").objects.select_for_update().get(
                pk=organization_id
            )
            row = OrganizationKey.objects.filter(organization_id=organization_id).order_by("-version").first()
            if row is None:
                row = OrganizationKey.objects.create(
                    organization_id=organization_id,
                    version=1,
                    wrapped_key=_encrypt(
                        settings.MASTER_KEY,
                        AESGCM.generate_key(bit_length=256),
                        _org_key_aad(organization_id, 1),
                    ),
                    master_key_id=master_key_id(settings.MASTER_KEY),
                )
    return row.version, _org_key(organization_id, row.version, row)


def _org_key(organization_id: int, version: int, row: OrganizationKey | None = None) -> bytes:
    cached = _org_key_cache.get((organization_id, version))
    if cached is not None and (row is None or bytes(row.wrapped_key) == cached[0]):
        return cached[1]
    row = row or OrganizationKey.objects.get(organization_id=organization_id, version=version)
    master = _master_keys().get(row.master_key_id)
    if master is None:
        raise VaultError(
            f"organization {organization_id}'s key is wrapped by master key {row.master_key_id}, "
            "which is not "
            "configured; set it in DOORSTEP_PREVIOUS_MASTER_KEYS and run `python -m doorstep keys rotate`"
        )
    key = _decrypt(master, row.wrapped_key, _org_key_aad(organization_id, version))
    _org_key_cache[(organization_id, version)] = (bytes(row.wrapped_key), key)
    return key


def ensure_organization_key(organization) -> None:
    """Create the organization's key now (inside the transaction that creates the organization), so
    that no later transaction creates it lazily and rolls it back after its digests were cached."""
    _current_org_key(getattr(organization, "pk", organization))


def forget_cached_keys() -> None:
    _org_key_cache.clear()
    _index_key_cache.clear()


# Data keys -----------------------------------------------------------------------------------------


def _subject_aad(subject_id: uuid.UUID, organization_id: int) -> bytes:
    return f"doorstep subject key|{subject_id}|{organization_id}".encode()


def new_subject_key(organization) -> SubjectKey:
    """A fresh data key for one person of ``organization``, stored wrapped."""
    organization_id = getattr(organization, "pk", organization)
    version, org_key = _current_org_key(organization_id)
    subject_id = uuid.uuid4()
    return SubjectKey.objects.create(
        id=subject_id,
        organization_id=organization_id,
        organization_key_version=version,
        wrapped_key=_encrypt(
            org_key, AESGCM.generate_key(bit_length=256), _subject_aad(subject_id, organization_id)
        ),
    )


def _data_key(subject: SubjectKey) -> bytes:
    aad = _subject_aad(subject.id, subject.organization_id)
    version = subject.organization_key_version
    try:
        return _decrypt(_org_key(subject.organization_id, version), subject.wrapped_key, aad)
    except VaultError:
        _org_key_cache.pop((subject.organization_id, version), None)  # a stale cached key: read it again
        return _decrypt(_org_key(subject.organization_id, version), subject.wrapped_key, aad)


def seal(subject: SubjectKey, data: dict, *, purpose: str) -> bytes:
    """Encrypt a JSON-able dict under the person's data key, bound to ``purpose`` (e.g. "member.pii")."""
    plaintext = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    return _encrypt(_data_key(subject), plaintext, f"{subject.id}|{purpose}".encode())


def seal_bytes(subject: SubjectKey, data: bytes, *, purpose: str) -> bytes:
    """Encrypt raw bytes (an uploaded file) under the data key, bound to ``purpose``."""
    return _encrypt(_data_key(subject), data, f"{subject.id}|{purpose}".encode())


def open_sealed_bytes(subject: SubjectKey | None, blob: bytes, *, purpose: str) -> bytes:
    if subject is None:
        raise VaultError("this key has been destroyed")
    return _decrypt(_data_key(subject), blob, f"{subject.id}|{purpose}".encode())


@dataclass(frozen=True)
class NewKey:
    """A data key just made for a bulk insert: its id, and the raw key to seal with (kept in memory only)."""

    id: uuid.UUID
    key: bytes

    def seal(self, data: dict, *, purpose: str) -> bytes:
        plaintext = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
        return self.seal_bytes(plaintext, purpose=purpose)

    def seal_bytes(self, data: bytes, *, purpose: str) -> bytes:
        return _encrypt(self.key, data, f"{self.id}|{purpose}".encode())


def new_subject_keys(organization, count: int) -> list[NewKey]:
    """``count`` fresh data keys, stored wrapped in one insert (for imports)."""
    organization_id = getattr(organization, "pk", organization)
    version, org_key = _current_org_key(organization_id)
    keys = [NewKey(uuid.uuid4(), AESGCM.generate_key(bit_length=256)) for _ in range(count)]
    now = timezone.now()
    insert_rows(
        SubjectKey,
        ["id", "organization", "organization_key_version", "wrapped_key", "created_at"],
        (
            (
                k.id,
                organization_id,
                version,
                _encrypt(org_key, k.key, _subject_aad(k.id, organization_id)),
                now,
            )
            for k in keys
        ),
    )
    return keys


def open_sealed(subject: SubjectKey | None, blob: bytes, *, purpose: str) -> dict:
    if subject is None:
        raise VaultError("this person's key has been destroyed")
    return json.loads(_decrypt(_data_key(subject), blob, f"{subject.id}|{purpose}".encode()))


def open_sealed_rows(rows, *, purpose: str):
    """``open_sealed`` for many people at once, from plain columns rather than model instances:
    ``rows`` yields (subject key id, organization id, organization key version, wrapped key, sealed
    value); yields (subject key id, dict). One organization key object serves all its rows (an index
    of 100,000 names opens in about a second rather than many). Raises ``VaultError`` as
    ``open_sealed`` does."""
    openers: dict[tuple[int, int], AESGCM] = {}
    for subject_id, organization_id, version, wrapped, blob in rows:
        aad = _subject_aad(subject_id, organization_id)
        opener = openers.get((organization_id, version))
        if opener is None:
            opener = openers[(organization_id, version)] = AESGCM(_org_key(organization_id, version))
        wrapped = bytes(wrapped)
        if wrapped[:1] != FORMAT:
            raise VaultError("unknown ciphertext format")
        try:
            data_key = opener.decrypt(wrapped[1 : 1 + _NONCE], wrapped[1 + _NONCE :], aad)
        except InvalidTag:
            _org_key_cache.pop((organization_id, version), None)  # a stale cached key: read it again
            opener = openers[(organization_id, version)] = AESGCM(_org_key(organization_id, version))
            data_key = _decrypt(_org_key(organization_id, version), wrapped, aad)
        yield subject_id, json.loads(_decrypt(data_key, blob, f"{subject_id}|{purpose}".encode()))


FILE_CHUNK = 1 << 20


def seal_file(subject: SubjectKey, source, target, *, purpose: str) -> int:
    """Encrypt a file of any size in 1 MiB chunks (each sealed with its number and whether it is the
    last, so chunks cannot be dropped, reordered or cut off); returns the bytes written."""
    key, written, number = _data_key(subject), 0, 0
    chunk = source.read(FILE_CHUNK)
    while True:
        following = source.read(FILE_CHUNK)
        last = not following
        sealed = _encrypt(key, chunk, f"{subject.id}|{purpose}|{number}|{int(last)}".encode())
        target.write(len(sealed).to_bytes(4, "big") + sealed)
        written += 4 + len(sealed)
        if last:
            return written
        chunk, number = following, number + 1


def open_file(subject: SubjectKey | None, source, *, purpose: str):
    """The plaintext of a file sealed by ``seal_file``, chunk by chunk (``VaultError`` if tampered)."""
    if subject is None:
        raise VaultError("this file's key has been destroyed")
    key, number = _data_key(subject), 0
    while True:
        size = source.read(4)
        if len(size) < 4:
            raise VaultError("the sealed file is cut short")
        sealed = source.read(int.from_bytes(size, "big"))
        try:
            yield _decrypt(key, sealed, f"{subject.id}|{purpose}|{number}|0".encode())
        except VaultError:
            yield _decrypt(key, sealed, f"{subject.id}|{purpose}|{number}|1".encode())
            return
        number += 1


def shred(subject: SubjectKey) -> None:
    """Destroy the data key: everything sealed under it becomes unreadable, everywhere, for good."""
    shred_keys([subject.pk])


def shred_keys(key_ids) -> None:
    """Destroy these data keys and note each in the erasure log (``ErasedKey``), which travels with
    the key store so that a restored older database backup loses her rows again (core.backup)."""
    key_ids = list(key_ids)
    with transaction.atomic():
        doomed = list(SubjectKey.objects.filter(pk__in=key_ids).values_list("pk", "organization_id"))
        SubjectKey.objects.filter(pk__in=[pk for pk, _ in doomed]).delete()
        now = timezone.now()
        ErasedKey.objects.bulk_create(
            [ErasedKey(subject_key_id=pk, organization_id=org, erased_at=now) for pk, org in doomed],
            ignore_conflicts=True,
        )


# Blind indexes -------------------------------------------------------------------------------------

_index_key_cache: dict[int, bytes] = {}


def _index_key(organization_id: int) -> bytes:
    key = _index_key_cache.get(organization_id)
    if key is None:
        # Always from version 1: replacing an organization's key must not change its digests.
        _current_org_key(organization_id)
        base = _org_key(
            organization_id, 1, OrganizationKey.objects.get(organization_id=organization_id, version=1)
        )
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"doorstep blind index v1").derive(
            base
        )
        _index_key_cache[organization_id] = key
    return key


def blind_index(organization, kind: str, normalized_value: str) -> str:
    """A keyed digest of an already normalized value (a phone in E.164, an ID number without spaces)."""
    organization_id = getattr(organization, "pk", organization)
    message = f"{kind}|{normalized_value}".encode()
    return hmac.new(_index_key(organization_id), message, hashlib.sha256).hexdigest()


# Master-key rotation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RotationResult:
    rewrapped: int
    already_current: int


def rotate_master_key() -> RotationResult:
    """Re-wrap every organization key under the current master key, one row at a time."""
    current = settings.MASTER_KEY
    current_id = master_key_id(current)
    rewrapped = already = 0
    for pk in OrganizationKey.objects.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            row = OrganizationKey.objects.select_for_update().get(pk=pk)
            if row.master_key_id == current_id:
                already += 1
                continue
            key = _org_key(row.organization_id, row.version, row)
            row.wrapped_key = _encrypt(current, key, _org_key_aad(row.organization_id, row.version))
            row.master_key_id = current_id
            row.rewrapped_at = timezone.now()
            row.save(update_fields=["wrapped_key", "master_key_id", "rewrapped_at"])
            rewrapped += 1
    return RotationResult(rewrapped, already)


def keys_needing_rotation() -> int:
    return OrganizationKey.objects.exclude(master_key_id=master_key_id(settings.MASTER_KEY)).count()


def open_sealed_with(
    subject_id, organization_id: int, version: int, wrapped_key: bytes, blob: bytes, *, purpose: str
) -> dict:
    """``open_sealed`` from the key's columns, for streams over many rows (exports) that read
    values rather than model instances."""
    aad = _subject_aad(subject_id, organization_id)
    data_key = _decrypt(_org_key(organization_id, version), bytes(wrapped_key), aad)
    return json.loads(_decrypt(data_key, bytes(blob), f"{subject_id}|{purpose}".encode()))
