"""The analytics engine's machinery: facts without personal data, extracted from the database into
Parquet files under ``ANALYTICS_ROOT`` (``var/analytics/``) and queried in-process with DuckDB.

The engine knows no app. Each app registers the kinds of fact it owns in its ``AppConfig.ready()``
(``register(FactKind(...))``, in ``<app>/analytics.py``): a kind's Arrow schema, whether its files are
partitioned by month, and how a refresh brings its partitions up to date. ``work`` registers
``orders`` and ``workers``, ``members`` ``members``, ``grievances`` ``cases``, ``surveys`` ``answers``;
a board or the aggregates door reads them by name through a ``Snapshot``.

Layout (Hive-style, readable as it is by Trino, Spark or DuckDB; the partition values are in the
path, not in the files)::

    <kind>/organization_id=7/country=IN/part-<token>.parquet
    <kind>/organization_id=7/country=IN/month=2026-03/part-<token>.parquet   (kinds by month)
    manifest.json

The country is the organization's. ``manifest.json`` names the one current file of every partition,
with its rows and a stamp (what it was made from: a kind compares it with the database to know
whether the file is still true); it is replaced atomically at the end of a refresh and is the only
thing readers trust. A refresh cut off halfway leaves the previous manifest, so dashboards keep
showing the last complete state, and the next refresh does the work again (its stray files are
removed then). One refresh runs at a time (a file lock).

Readers (``Snapshot``) are always scoped: a query reads the files of the organizations it names and
no others, with parameters for every value (no SQL built from what a user typed).

A member's erasure does not wait for the next refresh: ``erase_members`` writes again, at once, every
file of her organization that holds a row of hers (the kinds that name a member say which column
does: ``FactKind.member_column``) and commits a new manifest. Files and folders are created readable
by the service user only (0600 and 0700), whatever the process's umask.
"""

import contextlib
import fcntl
import json
import os
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

# Organizations are the partitions' first key (the one deliberate upward import of the kernel:
# see docs/architecture.md, "Which way imports point").
from doorstep.organizations.models import Organization

from .tasks import refresh_analytics

FORMAT = 5  # a new format: everything is extracted again
NO_COUNTRY = "none"
# In SQL over counts ``n`` of each value: the value most of a unit's rows have, a tie going to the
# first in order (the one rule of the boards and the aggregates door; ``.format(value=column)``).
MOST_OF = "first({value} ORDER BY n DESC, {value})"
# A board whose figures are older than ANALYTICS_MAX_AGE seconds asks for a refresh; one asked
# for less than this long ago is still waiting, and is not asked for again.
QUEUED_FOR = 600


class Unavailable(Exception):
    """The figures cannot be read now (none extracted yet, or a file is damaged: a rebuild is due)."""

    def __init__(self, message: str, *, damaged: bool = False):
        super().__init__(message)
        self.message = message
        self.damaged = damaged


def root() -> Path:
    return Path(settings.ANALYTICS_ROOT)


# The registry ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FactKind:
    """A kind of fact an app keeps in the engine.

    ``refresh(run)`` brings every partition of the kind up to date: for each, keep the last file
    (``run.keep``) or write a new one (``run.write``); a partition it neither keeps nor writes is
    gone. ``follows`` names kinds refreshed before this one whose new files it reads (``run.new``)
    or whose notes it takes (``run.notes``). ``member_column`` names the column holding the member a
    row is about, if any: her erasure rewrites the files holding her rows at once
    (``erase_members``)."""

    name: str
    schema: pa.Schema
    refresh: Callable[["Run"], None]
    by_month: bool = False
    follows: tuple[str, ...] = ()
    member_column: str = ""

    @property
    def partitions(self) -> tuple[str, ...]:
        return ("organization_id", "country", "month") if self.by_month else ("organization_id", "country")


_KINDS: dict[str, FactKind] = {}


def register(kind: FactKind) -> None:
    """Called from an app's ``ready()``; registering a name again replaces it (a reload)."""
    _KINDS[kind.name] = kind


def kinds() -> list[FactKind]:
    """Every registered kind, each after the kinds it follows (else in the order registered)."""
    ordered: list[FactKind] = []

    def visit(kind: FactKind, path: tuple[str, ...]) -> None:
        if kind in ordered:
            return
        if kind.name in path:
            raise ValueError(f"Fact kinds follow each other in a loop: {' → '.join((*path, kind.name))}")
        for name in kind.follows:
            visit(_KINDS[name], (*path, kind.name))
        ordered.append(kind)

    for kind in _KINDS.values():
        visit(kind, ())
    return ordered


def kind_names() -> list[str]:
    return [kind.name for kind in kinds()]


# The manifest ------------------------------------------------------------------------------------


@dataclass
class Part:
    file: str  # relative to the root
    rows: int
    stamp: str = ""  # what the file was made from, as its kind states it
    size: int = 0


@dataclass
class Manifest:
    refreshed_at: datetime | None = None
    as_of: str = ""  # the day the refresh ran (consents are read for it)
    marks: dict[str, str] = field(default_factory=dict)  # a kind's own note for the next refresh
    files: dict[str, dict[str, Part]] = field(default_factory=dict)  # kind -> "org/country[/month]"
    seconds: float = 0.0
    changed_partitions: int = 0
    revision: str = ""  # new at every save: a reader knows the files it holds were replaced

    @classmethod
    def load(cls) -> "Manifest":
        """The manifest as committed, a fresh copy the caller may change (a refresh, an erasure)."""
        try:
            return cls._parse((root() / "manifest.json").read_bytes())
        except OSError:
            return cls()  # none yet, or unreadable: everything is rebuilt

    @classmethod
    def current(cls) -> "Manifest":
        """The manifest as committed, for readers, who must not change it: parsed again only when the
        file's bytes differ from the last ones parsed in this process (reading a few kilobytes is
        cheap, parsing thousands of parts is not), so a refresh is seen by the very next read."""
        try:
            raw = (root() / "manifest.json").read_bytes()
        except OSError:
            return cls()
        with _current_lock:
            cached = _current.get(str(root()))
            if cached is not None and cached[0] == raw:
                return cached[1]
        manifest = cls._parse(raw)
        with _current_lock:
            _current[str(root())] = (raw, manifest)
        return manifest

    @classmethod
    def _parse(cls, raw: bytes) -> "Manifest":
        try:
            data = json.loads(raw)
        except ValueError:
            return cls()  # unreadable: everything is rebuilt
        if data.get("format") != FORMAT:
            return cls()
        return cls(
            refreshed_at=datetime.fromisoformat(data["refreshed_at"]) if data.get("refreshed_at") else None,
            as_of=data.get("as_of", ""),
            marks=data.get("marks", {}),
            files={
                kind: {k: Part(**v) for k, v in parts.items()}
                for kind, parts in data.get("files", {}).items()
            },
            seconds=data.get("seconds", 0.0),
            changed_partitions=data.get("changed_partitions", 0),
            revision=data.get("revision", ""),
        )

    def parts(self, kind: str) -> dict[str, Part]:
        return self.files.setdefault(kind, {})

    def save(self) -> None:
        path = root() / "manifest.json"
        temporary = path.with_suffix(f".{secrets.token_hex(4)}.tmp")
        self.revision = secrets.token_hex(8)
        data = {
            "format": FORMAT,
            "refreshed_at": self.refreshed_at.isoformat() if self.refreshed_at else None,
            "as_of": self.as_of,
            "marks": self.marks,
            "seconds": round(self.seconds, 3),
            "changed_partitions": self.changed_partitions,
            "revision": self.revision,
            "files": {
                kind: {k: p.__dict__ for k, p in sorted(parts.items())}
                for kind, parts in sorted(self.files.items())
            },
        }
        with open(temporary, "w", opener=_private_file) as out:
            json.dump(data, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)  # the commit point of a refresh


# The last manifest parsed by ``Manifest.current``, by root: (its bytes, it).
_current: dict[str, tuple[bytes, Manifest]] = {}
_current_lock = threading.Lock()


def last_refresh() -> datetime | None:
    """When the figures were last brought up to date (None: never)."""
    return Manifest.current().refreshed_at


# Refresh -----------------------------------------------------------------------------------------


@dataclass
class Report:
    """What a refresh did, by kind."""

    seconds: float = 0.0
    written: Counter = field(default_factory=Counter)  # files written
    kept: Counter = field(default_factory=Counter)  # files kept from the last refresh
    removed: Counter = field(default_factory=Counter)  # partitions that are no more
    rebuilt: Counter = field(default_factory=Counter)  # files found damaged or missing, written again
    rows: Counter = field(default_factory=Counter)  # rows in the files written
    notes: dict[str, int] = field(default_factory=dict)  # a kind's own figures ("orders changed": n)

    def summary(self) -> str:
        parts = [
            f"{name}: {self.written[name]} written ({self.rows[name]:,} rows), {self.kept[name]} kept"
            + (f", {self.removed[name]} removed" if self.removed[name] else "")
            + (f", {self.rebuilt[name]} rebuilt" if self.rebuilt[name] else "")
            for name in kind_names()
        ]
        notes = [f"{name} {n:,}" for name, n in self.notes.items()]
        return f"Refreshed in {self.seconds:.1f} s. " + "; ".join(parts + notes)


@dataclass
class Run:
    """One refresh in progress: what the last one committed (``old``) and what this one will
    (``new``); a kind's ``refresh`` keeps or writes each of its partitions through it."""

    old: Manifest
    new: Manifest
    countries: dict[int, str]
    report: Report
    verify: bool
    budget: int | None
    notes: dict = field(default_factory=dict)  # what one kind leaves for a kind that follows it

    def key(self, organization_id: int, month: str | None = None) -> str:
        """A partition's key in the manifest: "org/country" or "org/country/YYYY-MM"."""
        country = self.countries.get(organization_id, NO_COUNTRY)
        return f"{organization_id}/{country}" + (f"/{month}" if month else "")

    def healthy(self, part: Part) -> bool:
        """The file is there, of the size written, and its footer (or, verifying, all of it) reads."""
        path = root() / part.file
        try:
            if path.stat().st_size != part.size:
                return False
            if self.verify:
                return pq.read_table(path).num_rows == part.rows
            return pq.read_metadata(path).num_rows == part.rows
        except (OSError, pa.ArrowException):
            return False

    def keep(self, kind: str, key: str, stamp: str) -> bool:
        """Keep the partition's file from the last refresh if it is of the same stamp and reads;
        True when kept."""
        part = self.old.parts(kind).get(key)
        if part is not None and part.stamp == stamp and self.healthy(part):
            self.new.parts(kind)[key] = part
            self.report.kept[kind] += 1
            return True
        return False

    def read(self, kind: str, part: Part) -> pa.Table:
        return pq.read_table(root() / part.file, schema=_KINDS[kind].schema)

    def write(self, kind: str, key: str, table: pa.Table, stamp: str) -> Part:
        """Write one partition's new file (the old one stays until the manifest no longer names it)."""
        if self.budget is not None:
            if self.budget <= 0:
                raise InterruptedError("refresh stopped before committing (stop_after)")
            self.budget -= 1
        part = _write_part(kind, key, table, stamp)
        self.new.parts(kind)[key] = part
        self.report.written[kind] += 1
        self.report.rows[kind] += table.num_rows
        return part

    def refresh_whole(
        self,
        kind: str,
        stamps: Iterable[tuple[int, str | None, str]],
        extract: Callable[[int, str | None], pa.Table],
    ) -> None:
        """For kinds whose partition is read again whole when its stamp changes: ``stamps`` gives
        (organization, month or None, stamp) for every partition there is; ``extract`` makes one."""
        for organization_id, month, stamp in stamps:
            key = self.key(organization_id, month)
            if not self.keep(kind, key, stamp):
                self.write(kind, key, extract(organization_id, month), stamp)


def _write_part(kind: str, key: str, table: pa.Table, stamp: str) -> Part:
    """Write a partition's new file (readable by the service user only); the manifest is the caller's."""
    fact = _KINDS[kind]
    org_id, country, *month = key.split("/")
    folder = f"{kind}/organization_id={org_id}/country={country}" + (f"/month={month[0]}" if month else "")
    table = table.select(fact.schema.names).cast(fact.schema)
    directory = root() / folder
    _private_folder(directory)
    name = f"part-{secrets.token_hex(6)}.parquet"
    temporary = directory / (name + ".tmp")
    pq.write_table(table, temporary, compression="zstd")
    os.chmod(temporary, 0o600)
    with open(temporary, "rb") as written:
        os.fsync(written.fileno())
    os.replace(temporary, directory / name)
    return Part(f"{folder}/{name}", table.num_rows, stamp, (directory / name).stat().st_size)


def _private_folder(path: Path) -> None:
    """Create a folder and any missing parents readable by the service user only (0700; ``mkdir``'s
    mode alone is narrowed by the umask, and parents get the default)."""
    missing = []
    while not path.exists():
        missing.append(path)
        path = path.parent
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)
        os.chmod(folder, 0o700)


def _private_file(path: str, flags: int) -> int:
    """``open(..., opener=_private_file)``: a new file readable by the service user only (0600)."""
    descriptor = os.open(path, flags, 0o600)
    os.fchmod(descriptor, 0o600)
    return descriptor


def organization_of(key: str) -> int:
    """The organization of a partition's key."""
    return int(key.split("/", 1)[0])


@contextlib.contextmanager
def _lock():
    """One refresh at a time (another waits for it)."""
    _private_folder(root())
    with open(root() / ".lock", "w", opener=_private_file) as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def refresh(*, full: bool = False, verify: bool = False, stop_after: int | None = None) -> Report:
    """Bring the Parquet files up to date with the database; ``full`` reads everything again,
    ``verify`` reads every file whole to find damage (else only their footers are checked).
    ``stop_after`` files written: stop there without committing (to test an interrupted refresh)."""
    started = time.perf_counter()
    with _lock():
        old = Manifest() if full else Manifest.load()
        new = Manifest(as_of=timezone.localdate().isoformat(), marks=dict(old.marks))
        countries = {
            pk: (str(code) or NO_COUNTRY) for pk, code in Organization.objects.values_list("pk", "country")
        }
        run = Run(old, new, countries, Report(), verify, stop_after)
        for kind in kinds():
            kind.refresh(run)
        new.refreshed_at = timezone.now()
        new.seconds = time.perf_counter() - started
        new.changed_partitions = sum(run.report.written.values()) + sum(run.report.removed.values())
        new.save()
        _remove_strays(new)
    run.report.seconds = time.perf_counter() - started
    return run.report


def _remove_strays(manifest: Manifest) -> None:
    """Files the manifest does not name: replaced ones, and those of a refresh that was cut off."""
    named = {p.file for parts in manifest.files.values() for p in parts.values()}
    for name in kind_names():
        base = root() / name
        if not base.exists():
            continue
        for path in base.rglob("part-*"):
            if str(path.relative_to(root())) not in named:
                path.unlink(missing_ok=True)
        for directory in sorted(base.rglob("*"), reverse=True):
            if directory.is_dir() and not any(directory.iterdir()):
                directory.rmdir()


# Her erasure ---------------------------------------------------------------------------------------


def erase_members(organization_id: int, member_ids: Iterable[int]) -> int:
    """Take these members of an organization out of the files at once: every file of the organization
    of a kind with a ``member_column`` that holds a row of theirs is written again without those rows,
    and a new manifest is committed (under the refresh lock, so that a refresh that read them before
    their erasure committed cannot put them back after). The stamps and the refresh time stay: the
    next refresh compares them with the database as usual. Returns how many files were rewritten."""
    wanted = pa.array(sorted(set(member_ids)), pa.int64())
    if not len(wanted):
        return 0
    with _lock():
        manifest = Manifest.load()
        rewritten = 0
        for kind in kinds():
            if not kind.member_column:
                continue
            parts = manifest.parts(kind.name)
            for key, part in list(parts.items()):
                if organization_of(key) != organization_id:
                    continue
                try:
                    table = pq.read_table(root() / part.file, schema=kind.schema)
                except (OSError, pa.ArrowException):
                    del parts[key]  # unreadable: gone from the figures, the next refresh writes it again
                    rewritten += 1
                    continue
                theirs = pc.is_in(table[kind.member_column], value_set=wanted)
                if not pc.any(theirs).as_py():
                    continue
                kept = table.filter(pc.invert(pc.fill_null(theirs, False)))
                parts[key] = _write_part(kind.name, key, kept, part.stamp)
                rewritten += 1
        if rewritten:
            manifest.save()
            _remove_strays(manifest)
    return rewritten


# Asking for a refresh ----------------------------------------------------------------------------


def request_refresh(*, verify: bool = False) -> bool:
    """Queue a refresh unless one is already waiting; True when one was queued."""
    marker = root() / "queued"
    try:
        if time.time() - marker.stat().st_mtime < QUEUED_FOR:
            return False
    except FileNotFoundError:
        pass
    _private_folder(root())
    with open(marker, "w", opener=_private_file):
        pass  # its time is what counts
    os.utime(marker)
    transaction.on_commit(lambda: refresh_analytics.enqueue(verify=verify))
    return True


def keep_fresh(refreshed_at: datetime | None) -> None:
    """Ask for a refresh when the figures a board shows are older than ``ANALYTICS_MAX_AGE``."""
    if refreshed_at is None or (timezone.now() - refreshed_at).total_seconds() > settings.ANALYTICS_MAX_AGE:
        request_refresh()


def run_queued_refresh(*, verify: bool = False) -> Report:
    """The background job's work: clear the waiting marker, then refresh."""
    (root() / "queued").unlink(missing_ok=True)
    return refresh(verify=verify)


# Reading -----------------------------------------------------------------------------------------


@dataclass(eq=False)
class _Reader:
    """A DuckDB connection and the files its views are over (None: no views yet)."""

    db: duckdb.DuckDBPyConnection
    files: dict[str, list[str]] | None = None


# Connections left by closed snapshots, by (root, organizations): opening one and making its views
# cost more than most queries (two-thirds of a dashboard of three tables), so the next snapshot of
# the same organizations takes it back, with its views when they are over the same files. A reader
# serves one snapshot at a time; at most MAX_IDLE_READERS wait, the least recently used closed first.
MAX_IDLE_READERS = 8
_idle: dict[tuple[str, frozenset[str]], _Reader] = {}
_idle_lock = threading.Lock()


def _take_reader(key: tuple[str, frozenset[str]]) -> _Reader:
    with _idle_lock:
        reader = _idle.pop(key, None)
    return reader or _Reader(duckdb.connect(config={"threads": max(1, os.cpu_count() or 1)}))


def _give_back(key: tuple[str, frozenset[str]], reader: _Reader) -> None:
    with _idle_lock:
        if key in _idle:
            extra = reader  # another snapshot of the same organizations gave one back first
        else:
            _idle[key] = reader
            extra = None
            if len(_idle) > MAX_IDLE_READERS:
                extra = _idle.pop(next(iter(_idle)))
    if extra is not None:
        extra.db.close()


def close_readers() -> None:
    """Close every connection waiting to be reused."""
    with _idle_lock:
        readers = list(_idle.values())
        _idle.clear()
    for reader in readers:
        reader.db.close()


class Snapshot:
    """The last complete refresh, read through DuckDB, limited to some organizations' files: every
    registered kind is a view of the same name over their files only.

    The connection comes from the ones closed snapshots of the same organizations left
    (``_take_reader``); its views are kept when they are over exactly this manifest's files (file
    names are never reused: a new file is a new name), and made again otherwise."""

    def __init__(self, organization_ids):
        self.wanted = {str(pk) for pk in organization_ids}
        self._load(Manifest.current())
        self._key = (str(root()), frozenset(self.wanted))
        self._reader: _Reader | None = _take_reader(self._key)
        self.db = self._reader.db

    def _load(self, manifest: Manifest) -> None:
        if manifest.refreshed_at is None:
            raise Unavailable(_("The figures are being prepared for the first time. Come back in a minute."))
        self.manifest = manifest
        self.files = {name: self._files(manifest.files.get(name, {})) for name in kind_names()}
        self.refreshed_at = manifest.refreshed_at
        self.revision = manifest.revision
        self._ready = False

    def _files(self, parts: dict[str, Part]) -> list[str]:
        """The files of the wanted organizations (only theirs: the scope of every query)."""
        return [str(root() / p.file) for k, p in parts.items() if k.split("/")[0] in self.wanted and p.rows]

    def close(self):
        reader, self._reader = self._reader, None
        if reader is not None:
            _give_back(self._key, reader)

    def __enter__(self):
        return self

    def __exit__(self, kind, *exc):
        if kind is not None and self._reader is not None:
            # After a failure the connection's state is not known: it is not lent again.
            self._reader.db.close()
            self._reader = None
        self.close()

    def query(self, sql: str, params: dict | None = None) -> list[tuple]:
        """Run ``sql`` over the views of the registered kinds (only the named organizations' rows);
        values go in ``params`` (``$name``), never into the text."""
        for attempt in (1, 2):
            self._views()
            try:
                return self.db.execute(sql, params or {}).fetchall()
            except duckdb.Error as error:
                # A refresh that committed after this snapshot opened removes the files it replaced:
                # read the new state once, rather than call that damage.
                if attempt == 1 and self._refreshed_since():
                    continue
                self._blame_files(error)
                raise
        raise AssertionError("unreachable")

    def _refreshed_since(self) -> bool:
        latest = Manifest.current()
        if latest.refreshed_at is None or (latest.refreshed_at, latest.revision) == (
            self.refreshed_at,
            self.revision,
        ):
            return False
        self._load(latest)
        self._drop_views()
        return True

    def _drop_views(self) -> None:
        for name in {*kind_names(), *(self._reader.files or {})}:
            for kind in ("VIEW", "TABLE"):
                with contextlib.suppress(duckdb.Error):  # it is the one or the other
                    self.db.execute(f"DROP {kind} IF EXISTS {name}")
        self._reader.files = None

    def _views(self):
        if self._ready:
            return
        if self._reader.files == self.files:
            self._ready = True  # the reader's views are over these very files
            return
        try:
            if self._reader.files is not None:
                self._drop_views()
            for kind in kinds():
                self._view(kind, self.files[kind.name])
            self._reader.files = self.files
        except duckdb.Error as error:
            if self._refreshed_since():
                return self._views()
            self._blame_files(error)
            raise
        self._ready = True

    def _blame_files(self, error: Exception) -> None:
        """After DuckDB failed: if one of our files does not read whole, say so (a rebuild is due);
        otherwise the error is ours and goes on up."""
        for files in self.files.values():
            for path in files:
                try:
                    pq.read_table(path)
                except (OSError, pa.ArrowException):
                    raise Unavailable(
                        _("A file of figures was found damaged and is being rebuilt. Come back in a minute."),
                        damaged=True,
                    ) from error

    def _view(self, kind: FactKind, files: list[str]) -> None:
        """The kind's view over the files (the partition values from their paths); an empty table of
        the same columns when there are none. Names and paths are ours, never from input."""
        types = {"organization_id": "BIGINT", "country": "VARCHAR", "month": "VARCHAR"}
        if not files:
            definition = ", ".join(
                [f"{p} {types[p]}" for p in kind.partitions]
                + [f"{c.name} {_duck(c.type)}" for c in kind.schema]
            )
            self.db.execute(f"CREATE TEMP TABLE {kind.name} ({definition})")
            return
        hive = ", ".join(f"'{p}': {types[p]}" for p in kind.partitions)
        self.db.execute(
            f"CREATE TEMP VIEW {kind.name} AS SELECT * FROM read_parquet({file_list(files)}, "  # noqa: S608 - our names
            f"hive_partitioning = true, hive_types = {{{hive}}})"
        )


def file_list(files: list[str]) -> str:
    """A DuckDB list literal of file paths we made ourselves (never from input)."""
    return "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in files) + "]"


def _duck(kind: pa.DataType) -> str:
    return {
        pa.int64(): "BIGINT",
        pa.int32(): "INTEGER",
        pa.float64(): "DOUBLE",
        pa.string(): "VARCHAR",
        pa.bool_(): "BOOLEAN",
        pa.date32(): "DATE",
        pa.list_(pa.int64()): "BIGINT[]",
    }.get(kind, "TIMESTAMPTZ")
