"""Backup and restore, with the keys kept apart so that an erasure holds in every old backup.

``backup(DIR)`` writes ``DIR/doorstep-backup.dsb``: a tar of a consistent copy of the database
(SQLite's online backup API; ``pg_dump --format=custom`` in one exported snapshot on PostgreSQL),
the files under MEDIA_ROOT and EXPORT_ROOT (not the analytics files, which rebuild) and
``manifest.json`` (format, version, applied migrations, per-table row counts, audit chain head).
The key store's tables (``KEY_TABLES``: organization keys, data keys, the erasure log) are left
out: their rows are dropped from the SQLite copy and excluded with ``--exclude-table-data``.

``backup_keys(DIR)`` writes ``DIR/doorstep-keys.dsb``: those three tables, small, on their own
schedule. ``restore(DIR, KEYS_DIR)`` loads the database backup into an empty database, then the
key store, then removes again every row whose data key the erasure log says was destroyed (an
older database backup still holds her sealed rows; the newer key store no longer holds her key).

Both files are a header (magic, format) then 1 MiB chunks sealed with AES-256-GCM under
``DOORSTEP_BACKUP_KEY``, each bound to the header, its number and whether it is the last, so a
changed, reordered or cut-off file is refused. Everything is decrypted and checked into a
temporary folder before anything is changed.
"""

import base64
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import uuid
from dataclasses import dataclass
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from . import audit, rights
from .models import AuditChainHead, ErasedKey, OrganizationKey, SubjectKey

FORMAT_VERSION = 1
MAGIC = b"DOORSTEP-BACKUP\n"
BACKUP_FILE = "doorstep-backup.dsb"
KEYS_FILE = "doorstep-keys.dsb"
CHUNK = 1 << 20
_NONCE = 12
KEY_MODELS = (OrganizationKey, SubjectKey, ErasedKey)
KEY_TABLES = tuple(model._meta.db_table for model in KEY_MODELS)


class BackupError(Exception):
    """A backup or restore refused: the message says what and where; nothing was changed."""


def _version() -> str:
    try:
        return version("doorstep")
    except PackageNotFoundError:  # a checkout, not an installed package
        return "checkout"


def _backup_key() -> bytes:
    if not settings.BACKUP_KEY:
        raise BackupError("DOORSTEP_BACKUP_KEY is not set: a backup cannot be written or read without it.")
    return settings.BACKUP_KEY


# The sealed stream --------------------------------------------------------------------------------


def _aad(header: bytes, number: int, last: bool) -> bytes:
    return header + number.to_bytes(8, "big") + bytes([last])


class _SealingWriter(io.RawIOBase):
    """A write-only file that seals what is written in CHUNK-sized pieces."""

    def __init__(self, target, key: bytes, header: bytes):
        self._target, self._aes, self._header = target, AESGCM(key), header
        self._buffer, self._number = bytearray(), 0
        target.write(header)

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK:
            self._seal(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _seal(self, chunk: bytes, *, last: bool) -> None:
        nonce = os.urandom(_NONCE)
        sealed = nonce + self._aes.encrypt(nonce, chunk, _aad(self._header, self._number, last))
        self._target.write(len(sealed).to_bytes(4, "big") + sealed)
        self._number += 1

    def finish(self) -> None:
        self._seal(bytes(self._buffer), last=True)
        self._buffer.clear()


def _open_sealed(path: Path, key: bytes, target) -> None:
    """Decrypt ``path`` into ``target``; BackupError naming the file if anything is wrong."""
    with path.open("rb") as source:
        header = source.read(len(MAGIC) + 1)
        if header[: len(MAGIC)] != MAGIC or len(header) < len(MAGIC) + 1:
            raise BackupError(f"{path} is not a Doorstep backup file.")
        if header[-1] > FORMAT_VERSION:
            raise BackupError(
                f"{path} was made by a newer Doorstep (backup format {header[-1]}; this version reads "
                f"format {FORMAT_VERSION}). Restore it with that version or a later one."
            )
        aes, number = AESGCM(key), 0
        while True:
            size = source.read(4)
            if len(size) < 4:
                raise BackupError(f"{path} is cut short (after {number} chunks): the file is incomplete.")
            sealed = source.read(int.from_bytes(size, "big"))
            if len(sealed) < int.from_bytes(size, "big"):
                raise BackupError(f"{path} is cut short (in chunk {number + 1}): the file is incomplete.")
            nonce, body = sealed[:_NONCE], sealed[_NONCE:]
            for last in (False, True):
                try:
                    target.write(aes.decrypt(nonce, body, _aad(header, number, last)))
                    break
                except InvalidTag:
                    continue
            else:
                if number == 0:
                    raise BackupError(
                        f"{path} does not open with this DOORSTEP_BACKUP_KEY "
                        "(the wrong key, or a changed file)."
                    )
                raise BackupError(f"{path} was changed or damaged (chunk {number + 1} does not open).")
            if last:
                if source.read(1):
                    raise BackupError(f"{path} has data after its last chunk: it was changed.")
                return
            number += 1


def _prepare_dir(directory: Path) -> Path:
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty: write each backup into a new, empty folder.")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        probe = directory / ".doorstep-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise BackupError(f"{directory} cannot be written to ({error.strerror}).") from None
    return directory


def _write_sealed(path: Path, fill) -> None:
    """Write the sealed tar at ``path``: ``fill(tar)`` adds the members. Removed again on failure."""
    try:
        with path.open("xb") as target:
            path.chmod(0o600)
            writer = _SealingWriter(target, _backup_key(), MAGIC + bytes([FORMAT_VERSION]))
            with tarfile.open(fileobj=writer, mode="w|") as tar:
                fill(tar)
            writer.finish()
            target.flush()
            os.fsync(target.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime = len(data), int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


# Backup -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict


def _file_roots() -> dict[str, Path]:
    return {"media": Path(settings.MEDIA_ROOT), "exports": Path(settings.EXPORT_ROOT)}


def _count_rows(cursor, tables) -> dict[str, int]:
    quote = connection.ops.quote_name
    counts = {}
    for table in sorted(tables):
        if table not in KEY_TABLES:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - a quoted table name
            counts[table] = cursor.fetchone()[0]
    return counts


def _head(cursor) -> dict:
    table = connection.ops.quote_name(AuditChainHead._meta.db_table)
    cursor.execute(f"SELECT sequence, hash FROM {table} WHERE id = 1")  # noqa: S608 - a quoted table name
    row = cursor.fetchone()
    return {"sequence": row[0], "hash": row[1]} if row else {"sequence": 0, "hash": audit.GENESIS_HASH}


def _migrations(cursor) -> list[list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [list(row) for row in cursor.fetchall()]


def _pg_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for name, value in (
        ("PGHOST", db.get("HOST")),
        ("PGPORT", db.get("PORT")),
        ("PGUSER", db.get("USER")),
        ("PGPASSWORD", db.get("PASSWORD")),
        ("PGDATABASE", db.get("NAME")),
    ):
        if value:
            env[name] = str(value)
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (the PostgreSQL client tools, e.g. postgresql-client).")
    return path


def _snapshot_database(work: Path) -> tuple[Path, dict]:
    """A consistent copy of the database without the key tables, and what the manifest says of it."""
    tables = connection.introspection.table_names()
    if connection.vendor == "sqlite":
        copy = work / "database.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(copy)
        try:
            connection.connection.backup(target)
            target.execute("PRAGMA secure_delete=ON")
            for table in KEY_TABLES:
                target.execute(f'DELETE FROM "{table}"')  # noqa: S608 - our own table names
            target.commit()
            target.execute("VACUUM")
            cursor = target.cursor()
            facts = {"counts": _count_rows(cursor, tables), "audit_head": _head(cursor)}
            facts["migrations"] = _migrations(cursor)
        finally:
            target.close()
        return copy, facts
    if connection.vendor != "postgresql":
        raise BackupError(f"backups of a {connection.vendor} database are not supported.")
    if connection.in_atomic_block:
        raise BackupError("run the backup outside a transaction (its snapshot must be its own).")
    dump = work / "database.pgdump"
    pg_dump = _pg_tool("pg_dump")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        facts = {"counts": _count_rows(cursor, tables), "audit_head": _head(cursor)}
        facts["migrations"] = _migrations(cursor)
        command = [pg_dump, "--format=custom", "--no-owner", f"--snapshot={snapshot}", f"--file={dump}"]
        command += [f"--exclude-table-data={table}" for table in KEY_TABLES]
        done = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)  # noqa: S603
        if done.returncode != 0:
            raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    return dump, facts


def backup(directory: Path) -> BackupResult:
    """Write a sealed backup of the database and files (without the key store) into an empty folder."""
    _backup_key()
    directory = _prepare_dir(directory)
    with tempfile.TemporaryDirectory(prefix="doorstep-backup-") as work:
        database, facts = _snapshot_database(Path(work))
        manifest = {
            "format": FORMAT_VERSION,
            "kind": "database",
            "doorstep_version": _version(),
            "created_at": timezone.now().isoformat(),
            "engine": connection.vendor,
            "excluded_tables": list(KEY_TABLES),
            **facts,
        }

        def fill(tar):
            _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=1).encode())
            tar.add(database, arcname=f"database/{database.name}")
            for name, root in _file_roots().items():
                if root.is_dir():
                    tar.add(root, arcname=f"files/{name}")

        path = directory / BACKUP_FILE
        _write_sealed(path, fill)
    return BackupResult(path, manifest)


def _rows(model) -> list[dict]:
    rows = []
    for row in model.objects.order_by("pk").values():
        rows.append(
            {
                name: base64.b64encode(bytes(value)).decode()
                if isinstance(value, bytes | memoryview)
                else str(value)
                if isinstance(value, uuid.UUID | datetime)
                else value
                for name, value in row.items()
            }
        )
    return rows


def backup_keys(directory: Path) -> BackupResult:
    """Write the key store (organization keys, data keys, erasure log), sealed, into an empty folder."""
    _backup_key()
    directory = _prepare_dir(directory)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        tables = {model._meta.db_table: _rows(model) for model in KEY_MODELS}
    manifest = {
        "format": FORMAT_VERSION,
        "kind": "keys",
        "doorstep_version": _version(),
        "created_at": timezone.now().isoformat(),
        "counts": {table: len(rows) for table, rows in tables.items()},
    }
    path = directory / KEYS_FILE

    def fill(tar):
        _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=1).encode())
        _add_bytes(tar, "keys.json", json.dumps(tables).encode())

    _write_sealed(path, fill)
    return BackupResult(path, manifest)


# Restore ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreResult:
    manifest: dict
    counts: dict[str, int]
    erased_again: int
    verified_events: int


def _unpack(path: Path, work: Path, kind: str) -> dict:
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    plain = work / f"{kind}.tar"
    with plain.open("wb") as target:
        _open_sealed(path, _backup_key(), target)
    folder = work / kind
    with tarfile.open(plain) as tar:
        tar.extractall(folder, filter="data")
    plain.unlink()
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
    except (OSError, ValueError):
        raise BackupError(f"{path} has no readable manifest.") from None
    if manifest.get("format", 0) > FORMAT_VERSION:
        raise BackupError(
            f"{path} was made by a newer Doorstep (format {manifest['format']}; this version reads "
            f"format {FORMAT_VERSION})."
        )
    if manifest.get("kind") != kind:
        raise BackupError(f"{path} is a {manifest.get('kind')} backup, not a {kind} backup.")
    manifest["_folder"] = str(folder)
    return manifest


def _check_target(manifest: dict) -> None:
    if manifest["engine"] != connection.vendor:
        raise BackupError(
            f"this backup is of a {manifest['engine']} database; "
            f"the database to restore into is {connection.vendor}."
        )
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            f"the database to restore into is not empty ({len(tables)} tables): restore only into a new, "
            "empty database."
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [f"{app}.{name}" for app, name in manifest["migrations"] if (app, name) not in known]
    if unknown:
        raise BackupError(
            f"this backup was made by a newer Doorstep: it has migrations this version does not know "
            f"({', '.join(unknown[:3])}…). Restore it with that version."
        )
    for name, root in _file_roots().items():
        if root.is_dir() and any(root.iterdir()):
            raise BackupError(f"{root} ({name} files) is not empty: restore only into an empty place.")


def _run_pg_restore(dump: Path, section: str) -> None:
    command = [_pg_tool("pg_restore"), "--no-owner", "--exit-on-error", f"--section={section}"]
    command += [f"--dbname={settings.DATABASES['default']['NAME']}", str(dump)]
    done = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"pg_restore ({section}) failed: {done.stderr.strip()}")


def _load_keys(keys: dict) -> None:
    organizations = set(apps.get_model("organizations", "Organization").objects.values_list("pk", flat=True))
    for model in KEY_MODELS:
        fields = {field.attname: field for field in model._meta.concrete_fields}
        objects = []
        for row in keys[model._meta.db_table]:
            if (
                "organization_id" in fields
                and model is not ErasedKey
                and row["organization_id"] not in organizations
            ):
                continue  # keys of an organization made after the database backup: no rows to open
            values = {}
            for name, value in row.items():
                if isinstance(fields[name], models.BinaryField) and value is not None:
                    value = base64.b64decode(value)
                values[name] = value
            objects.append(model(**values))
        model.objects.bulk_create(objects, batch_size=500)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(KEY_MODELS)):
                cursor.execute(sql)


def _erase_again() -> int:
    """Remove every row whose data key the erasure log names (they came back with an older backup):
    first the rows that hold such a key, then the members whose key it was, with every app's rows
    about them (``core.rights``), as her erasure did."""
    erased = set(ErasedKey.objects.values_list("subject_key_id", flat=True))
    member_model = apps.get_model("members", "Member")
    removed = 0
    relations = [
        f for f in SubjectKey._meta.get_fields(include_hidden=True) if f.auto_created and not f.concrete
    ]
    for relation in relations:  # hidden ones too: every key column is declared with related_name="+"
        model, field = relation.related_model, relation.field
        if model is member_model:
            continue
        rows = model.objects.filter(**{f"{field.name}__in": erased})
        if field.null:
            removed += rows.update(**{field.name: None})
        else:
            removed += rows.delete()[0]
    members = member_model.objects.filter(subject_key_id__in=erased)
    # Records merged into hers were erased with hers; they go first, as they point at hers.
    for member in members.order_by("merged_into_id"):
        for merged in member_model.objects.filter(merged_into=member):
            _erase_member_rows(merged)
        _erase_member_rows(member)
        removed += 1
    return removed


def _erase_member_rows(member) -> None:
    for handler in rights.handlers():
        handler.erase(member)
    user = member.user
    member_model = type(member)
    member_model.objects.filter(pk=member.pk).delete()
    if user is not None:
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["is_active", "password"])


def restore(directory: Path, keys_directory: Path) -> RestoreResult:
    """Restore a database backup and then a key store into an empty database (see the module)."""
    with tempfile.TemporaryDirectory(prefix="doorstep-restore-") as work:
        work = Path(work)
        manifest = _unpack(Path(directory) / BACKUP_FILE, work, "database")
        keys_manifest = _unpack(Path(keys_directory) / KEYS_FILE, work, "keys")
        keys = json.loads((Path(keys_manifest["_folder"]) / "keys.json").read_text())
        _check_target(manifest)
        folder = Path(manifest["_folder"])
        if connection.vendor == "sqlite":
            source = sqlite3.connect(folder / "database" / "database.sqlite3")
            connection.ensure_connection()
            source.backup(connection.connection)
            source.close()
        else:
            dump = folder / "database" / "database.pgdump"
            _run_pg_restore(dump, "pre-data")
            _run_pg_restore(dump, "data")
        with connection.cursor() as cursor:
            counts = _count_rows(cursor, connection.introspection.table_names())
            head = _head(cursor)
        if counts != manifest["counts"] or head != manifest["audit_head"]:
            raise BackupError("the restored database's row counts or audit head differ from the manifest.")
        with transaction.atomic():
            _load_keys(keys)
            erased_again = _erase_again()
            if erased_again:
                audit.record("backup.erasures_reapplied", metadata={"rows": erased_again})
        if connection.vendor == "postgresql":
            _run_pg_restore(dump, "post-data")
        else:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA foreign_key_check")
                broken = cursor.fetchall()
            if broken:
                raise BackupError(
                    f"{len(broken)} rows point at rows that are missing (first: table {broken[0][0]}); "
                    "is the key store older than the database backup?"
                )
        for name, root in _file_roots().items():
            saved = folder / "files" / name
            if saved.is_dir():
                shutil.copytree(saved, root, dirs_exist_ok=True)
    result = audit.verify()
    if not result.ok:
        raise BackupError(
            f"the restored audit log does not verify: event {result.broken_at}: {result.reason}"
        )
    return RestoreResult(manifest, counts, erased_again, result.checked)
