"""Spreadsheet imports: the one machinery every import in Doorstep uses (members now, work orders
next). An app registers an ``ImportTarget`` (its columns, how to check one row, how to write a batch);
this module does the rest:

1. **Read** whatever a spreadsheet program writes: XLSX, XLS and ODS (python-calamine), or CSV in
   UTF-8 with or without BOM, UTF-16 (with BOM, or detected by its zero bytes), or Windows-1252 /
   Latin-1; the delimiter (comma, semicolon, tab) is sniffed. An empty file, a file that is not a
   spreadsheet, and a first row that names no known column are refused with a message saying so.
2. **Match columns**: each column header is compared with each field's names in several languages
   (normalized: case, accents, punctuation), and the person confirms or changes the suggestion.
3. **Check every row** (a background job, with progress): the target's own validator, plus a
   ``RowError(row, column, message)`` for each problem, downloadable as CSV. Row numbers are those
   the person sees in her spreadsheet program (the header is row 1).
   A row that is already in Doorstep (the same submission imported before) is neither valid nor a
   problem: the target raises ``Skip`` and the row is counted as skipped, so importing the same file
   twice adds nothing.
4. **She chooses**: import the valid rows, or nothing.
5. **Import** (a background job) in batches, each batch one transaction that also moves the resume
   pointer, so an interrupted import resumes where it stopped and no row is written twice.
   One run at a time: a run holds a lease on its job, renewed as it writes; Resume is refused
   while the lease is live, and a job whose run stopped renewing it (its worker died) is queued
   again by the next worker's pass (``recover_stalled``).

The uploaded file holds personal data: it is sealed under a key of its own and the key is destroyed
when the import ends, so the file cannot be read afterwards even from a backup of the database.
"""

import codecs
import csv
import io
import logging
import multiprocessing
import resource
import secrets
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from itertools import islice
from typing import Any, Protocol

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

from . import audit, cells, spreadsheets, tasks, tenancy, vault
from .errors import DomainError, FieldError, ValidationError
from .models import Import
from .roles import STAFF_ROLES

FILE_PURPOSE = "import.file"
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_STORED_ERRORS = 20_000
PROGRESS_EVERY = 500

logger = logging.getLogger(__name__)


class FileProblem(ValidationError):
    """The file as a whole cannot be read (empty, not a spreadsheet, no header row…)."""


class Skip(Exception):
    """Raised by a target's ``check_row``: the row needs nothing (it is already in Doorstep)."""


# Targets -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A field an import can fill, with the header names it is recognised by (any language)."""

    key: str
    label: Any  # a lazy translation
    synonyms: tuple[str, ...] = ()
    required: bool = False


class ImportTarget(Protocol):
    """What an import brings in. Most targets read the first sheet and let the person match its
    columns to ``columns``. A target that knows its files' layout (survey exports, whose columns are
    the form's questions) also defines ``read(data, *, encoding, options) -> Table`` returning a
    table with ``records``; its columns are then matched by the target, without a matching step."""

    name: str
    label: Any
    columns: list[Column]
    batch_size: int

    def new_state(self, organization, options: dict) -> Any: ...

    def check_row(self, organization, values: dict[str, str], row: int, state: Any) -> Any:
        """The row's clean value, or raise ``ValidationError`` whose field names are column keys."""

    def write_batch(self, organization, rows: list[tuple[int, Any]], *, actor, job: Import) -> list[int]:
        """Write checked rows (inside the caller's transaction); return the new records' ids."""

    def after_import(self, organization, job: Import, *, actor) -> None:
        """Work on the whole import once its rows are written (e.g. flag possible duplicates)."""


_TARGETS: dict[str, ImportTarget] = {}


def register_target(target: ImportTarget) -> None:
    _TARGETS[target.name] = target


def target(name: str) -> ImportTarget:
    return _TARGETS[name]


# Reading files -------------------------------------------------------------------------------------


@dataclass
class Table:
    kind: str  # csv, xlsx, xls, ods, zip
    encoding: str
    headers: list[str]
    rows: Callable[[], Iterator[list[str]]]  # data rows (row 2 onwards), re-readable
    # A target that reads the file itself: (row number, values) for each record, re-readable…
    records: Callable[[], Iterator[tuple[int, Any]]] | None = None
    # …and problems outside any record: {"sheet", "row", "column", "message"} (e.g. an orphan row).
    problems: Callable[[], list[dict]] | None = None
    options: dict = field(default_factory=dict)  # what the reader learnt (layout, ignored columns)


def _sniff_kind(data: bytes) -> str:
    if data[:4] == b"PK\x03\x04":
        return "xlsx"  # also ODS; calamine tells them apart
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "xls"
    return "csv"


def _decode(data: bytes, encoding: str | None) -> tuple[str, str]:
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError, ValueError):  # ValueError: a NUL in the name
            shown = encoding.replace("\x00", "")[:40]
            raise FileProblem.for_field(
                "encoding",
                _("The file cannot be read as %(encoding)s.") % {"encoding": shown},
                code="bad_encoding",
            ) from None
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_utf16(data, "utf-16"), "utf-16"
    head = data[:4000]
    if head and head.count(b"\x00") > len(head) // 4:  # UTF-16 without a BOM: every other byte is zero
        even_zeros = head[0::2].count(0)
        return _decode_utf16(data, "utf-16-be" if even_zeros > head[1::2].count(0) else "utf-16-le"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def _decode_utf16(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:  # an odd number of bytes (cut short) or a lone surrogate
        raise FileProblem.for_field(
            "file",
            _("The file looks like UTF-16 but is cut short or damaged; save it again as CSV UTF-8."),
            code="bad_encoding",
        ) from None


def _looks_like_text(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return False
    control = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\r\n\t")
    return "\x00" not in sample and control <= len(sample) // 100


def _cell(value, strip: bool = True) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10] if not hasattr(value, "hour") or not value.hour else value.isoformat()
    return cells.restore(str(value).strip() if strip else str(value))


def read_table(data: bytes, *, encoding: str | None = None) -> Table:
    """The header and a re-readable row iterator of a spreadsheet file, or ``FileProblem``."""
    if not data or not data.strip():
        raise FileProblem.for_field("file", _("The file is empty."), code="empty_file")
    kind = _sniff_kind(data)
    if kind in ("xlsx", "xls"):
        sheets = read_sheets(data)
        rows = sheets[0][1] if sheets else []
        if not rows:
            raise FileProblem.for_field("file", _("The file is empty."), code="empty_file")
        return Table(kind, "", [h.strip() for h in rows[0]], lambda: iter(rows[1:]))
    return read_csv(data, encoding=encoding)


def read_sheets(data: bytes, *, strip: bool = True) -> list[tuple[str, list[list[str]]]]:
    """Every sheet of an XLSX, XLS or ODS workbook: (name, rows as text), trailing empty rows cut.
    ``strip=False`` keeps each cell's leading and trailing whitespace (survey answers, as sent).
    A workbook over ``spreadsheets``' limits is refused (``too_big``) before it is opened."""
    try:
        spreadsheets.check(data)
    except ValidationError as problem:
        raise FileProblem(problem.message, problem.code, problem.errors) from None
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for name in workbook.sheet_names:
            rows = [
                [_cell(v, strip) for v in row]
                for row in workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            ]
            while rows and not any(rows[-1]):
                rows.pop()
            sheets.append((name, rows))
    except (CalamineError, ValueError, OSError):
        raise FileProblem.for_field(
            "file",
            _("This file looks like a spreadsheet but cannot be opened; save it again as XLSX or CSV."),
            code="unreadable",
        ) from None
    return sheets


def read_csv(data: bytes, *, encoding: str | None = None, strip: bool = True) -> Table:
    """A CSV file in any of the encodings and delimiters spreadsheet programs write (``strip=False``
    keeps each cell's leading and trailing whitespace; headers are stripped either way)."""
    if not data or not data.strip():
        raise FileProblem.for_field("file", _("The file is empty."), code="empty_file")
    text, used = _decode(data, encoding)
    if not _looks_like_text(text):
        raise FileProblem.for_field(
            "file", _("This is not a spreadsheet: upload a CSV, XLSX or XLS file."), code="not_a_spreadsheet"
        )
    sample = text[:65536]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    # newline="": a bare carriage return ends a line (old Mac files) instead of breaking the reader.
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    headers = _csv_row(reader, 1)
    if not headers or not any(h.strip() for h in headers):
        raise FileProblem.for_field("file", _("The file is empty."), code="empty_file")

    def rows() -> Iterator[list[str]]:
        data_rows = csv.reader(io.StringIO(text, newline=""), dialect)
        next(data_rows, None)
        number = 2
        while (row := _csv_row(data_rows, number)) is not None:
            yield [cells.restore(cell.strip() if strip else cell) for cell in row]
            number += 1

    return Table("csv", used, [cells.restore(h.strip().lstrip("\ufeff")) for h in headers], rows)


def _csv_row(reader, number: int) -> list[str] | None:
    """The next row, or None at the end; ``FileProblem`` naming the row the reader cannot read."""
    try:
        return next(reader, None)
    except csv.Error as error:
        if "field limit" in str(error):
            raise FileProblem.for_field(
                "file",
                _("Row %(row)s has a cell longer than %(limit)s characters; no cell can be that long.")
                % {"row": number, "limit": f"{csv.field_size_limit():,}"},
                code="cell_too_long",
            ) from None
        raise FileProblem.for_field(
            "file", _("Row %(row)s cannot be read as CSV.") % {"row": number}, code="bad_csv"
        ) from None


# Matching columns ---------------------------------------------------------------------------------


def normal(text: str) -> str:
    """Text compared loosely: case, accents and punctuation set aside (headers, labels)."""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join("".join(ch if ch.isalnum() else " " for ch in plain).split())


def suggest_mapping(headers: list[str], columns: list[Column]) -> dict[str, str]:
    """{column index (as text): field key} for the headers that name a known field."""
    names: dict[str, str] = {}
    for column in columns:
        for synonym in (column.key, str(column.label), *column.synonyms):
            names.setdefault(normal(synonym), column.key)
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for index, header in enumerate(headers):
        key = names.get(normal(header))
        if key and key not in used:
            mapping[str(index)] = key
            used.add(key)
    return mapping


def check_mapping(mapping: dict[str, str], headers: list[str], columns: list[Column]) -> dict[str, str]:
    known = {c.key for c in columns}
    clean = {str(i): k for i, k in mapping.items() if k}
    errors = []
    for index, key in clean.items():
        if key not in known or not index.isdigit() or int(index) >= len(headers):
            errors.append((f"mapping.{index}", _("Unknown column or field.")))
    chosen = list(clean.values())
    for key in {k for k in chosen if chosen.count(k) > 1}:
        errors.append((f"mapping.{key}", _("Two columns are matched to the same field.")))
    for column in columns:
        if column.required and column.key not in chosen:
            errors.append(
                (
                    f"mapping.{column.key}",
                    _("Choose the column that holds: %(field)s.") % {"field": column.label},
                )
            )
    if errors:
        raise ValidationError(
            message=_("The columns are not matched yet."),
            code="bad_mapping",
            errors=[FieldError(f, m) for f, m in errors],
        )
    return clean


# The import's life ---------------------------------------------------------------------------------


@dataclass
class RowErrors:
    errors: list[dict] = field(default_factory=list)
    rows: set[int] = field(default_factory=set)
    count: int = 0

    def add(self, row: int, column: str, field_key: str, message: str, *, sheet: str = "") -> None:
        """A problem in a record's row (that record is not imported)."""
        self.count += 1
        self.rows.add(row)
        self._keep({"row": row, "column": column, "field": field_key, "message": message}, sheet)

    def add_outside(self, problem: dict) -> None:
        """A problem in a row that is no record of its own (a repeat row without its parent)."""
        self.count += 1
        self._keep(
            {"row": problem["row"], "column": problem["column"], "field": "", "message": problem["message"]},
            problem.get("sheet", ""),
        )

    def _keep(self, error: dict, sheet: str) -> None:
        if sheet:
            error["sheet"] = sheet
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append(error)


def reads_itself(import_target: ImportTarget) -> bool:
    """True for a target that reads its files and matches their columns itself (no matching step)."""
    return callable(getattr(import_target, "read", None))


def _read(import_target: ImportTarget, data: bytes, *, encoding: str | None, options: dict) -> Table:
    if reads_itself(import_target):
        return import_target.read(data, encoding=encoding, options=options)
    return read_table(data, encoding=encoding)


# Reading in a child process -------------------------------------------------------------------------

CHUNK = 500  # records per message from the child


def _memory_ceiling() -> int:
    """The child's address-space ceiling in bytes: what it starts with (a fork of its parent) plus
    ``IMPORT_PARSE_MEMORY_MB``."""
    with open("/proc/self/statm") as statm:  # Linux: the size in pages comes first
        size = int(statm.read().split()[0]) * resource.getpagesize()
    return size + settings.IMPORT_PARSE_MEMORY_MB * 1024 * 1024


def _child_reads(
    inbox, out, name, data: bytes, encoding, options: dict, mapping: dict, mode: str, rows: int
) -> None:
    """In the child: read the file and send what ``mode`` asks for, then ``("end",)``.

    The child may use the database connection it inherits only before its first message (a
    target's reader may look up what it reads against, e.g. a form's version): until then the parent
    waits without touching the database; afterwards the child never does."""
    inbox.close()  # the parent's end: were the parent killed, a send must fail, not wait for ever
    try:
        ceiling = _memory_ceiling()
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    except (OSError, ValueError):
        pass  # no /proc (not Linux): read without a ceiling rather than not at all
    try:
        table = _read(target(name), data, encoding=encoding, options=options)
        out.send(
            (
                "table",
                {
                    "kind": table.kind,
                    "encoding": table.encoding,
                    "headers": table.headers,
                    "options": table.options,
                    "records": table.records is not None,
                },
            )
        )
        if mode == "count":
            counted = table.records() if table.records else (row for row in table.rows() if any(row))
            out.send(("count", sum(1 for _item in counted)))
        elif mode == "preview":
            out.send(("rows", list(islice((row for row in table.rows() if any(row)), rows))))
        else:
            chunk = []
            for record in _records(table, mapping):
                chunk.append(record)
                if len(chunk) == CHUNK:
                    out.send(("records", chunk))
                    chunk = []
            out.send(("records", chunk))
            out.send(("problems", table.problems() if table.problems else []))
        out.send(("end",))
    except DomainError as problem:
        errors = [(e.field, str(e.message)) for e in problem.errors]
        out.send(("problem", str(problem.message), problem.code, errors))
    except MemoryError:
        out.send(("memory",))
    finally:
        out.close()


class _Reading:
    """A file read by a child process (``multiprocessing``, forked) whose address space is capped
    (``RLIMIT_AS``, ``IMPORT_PARSE_MEMORY_MB`` above what it starts with): a hostile file (a zip
    bomb, a sheet that declares a billion cells) exhausts the child, which dies alone, and the read
    ends in a ``FileProblem`` saying so. The parent receives records in chunks as it asks for them,
    so it holds one chunk at a time whatever the file's size. ``beat`` is called while it waits."""

    def __init__(
        self, name: str, data: bytes, *, encoding, options: dict, mapping=None, mode="records", rows=0
    ):
        self.args = (name, data, encoding, options, mapping or {}, mode, rows)
        self.beat: Callable[[], None] | None = None
        self.problems: list[dict] = []

    def __enter__(self) -> "_Reading":
        context = multiprocessing.get_context("fork")
        self.inbox, outbox = context.Pipe(duplex=False)
        self.child = context.Process(target=_child_reads, args=(self.inbox, outbox, *self.args), daemon=True)
        self.child.start()
        outbox.close()
        self.info = self._next(deadline=time.monotonic() + settings.IMPORT_PARSE_SECONDS)[1]
        return self

    def __exit__(self, *exc) -> None:
        if self.child.is_alive():
            self.child.kill()
        self.child.join()
        self.inbox.close()

    def _next(self, deadline: float | None = None) -> tuple:
        while not self.inbox.poll(1.0):
            if deadline is not None and time.monotonic() > deadline:
                raise FileProblem.for_field(
                    "file",
                    _("This file takes too long to read (over %(n)s seconds); split it into parts.")
                    % {"n": settings.IMPORT_PARSE_SECONDS},
                    code="too_slow",
                )
            if deadline is None and self.beat:
                self.beat()
        try:
            message = self.inbox.recv()
        except EOFError:
            message = ("memory",)  # killed (the kernel, or an allocator that aborts) before a word
        if message[0] == "memory":
            raise FileProblem.for_field(
                "file",
                _(
                    "This file needs more memory to read than an import may use (%(n)s MB); "
                    "split it into parts or save it as CSV."
                )
                % {"n": settings.IMPORT_PARSE_MEMORY_MB},
                code="too_big",
            )
        if message[0] == "problem":
            _kind, text, code, errors = message
            raise FileProblem(message=text, code=code, errors=[FieldError(f, m) for f, m in errors])
        return message

    def total(self) -> int:
        return self._next()[1]

    def rows(self) -> list[list[str]]:
        return self._next()[1]

    def records(self) -> Iterator[tuple[int, Any]]:
        """Every record, then ``problems`` is set (outside any record)."""
        while (message := self._next())[0] == "records":
            yield from message[1]
        self.problems = message[1]


def _reading(job: Import, **kwargs) -> _Reading:
    data = vault.open_sealed_bytes(job.file_key, job.file_blob, purpose=FILE_PURPOSE)
    encoding = job.encoding if job.file_kind == "csv" else None
    return _Reading(job.target, data, encoding=encoding, options=job.options, **kwargs)


def start(
    organization,
    *,
    target_name: str,
    filename: str,
    data: bytes,
    actor,
    encoding: str | None = None,
    options: dict | None = None,
) -> Import:
    """Read an uploaded file and keep it sealed, ready for its columns to be matched (or, for a
    target that matches them itself, already queued for the check of every row)."""
    tenancy.require_role(actor, organization, STAFF_ROLES)
    import_target = target(target_name)
    options = dict(options or {})
    if len(data) > MAX_FILE_BYTES:
        raise FileProblem.for_field(
            "file", _("The file is larger than 50 MB; split it into parts."), code="too_large"
        )
    with _Reading(target_name, data, encoding=encoding, options=options, mode="count") as reading:
        table, total = reading.info, reading.total()
    automatic = table["records"]
    mapping = {} if automatic else suggest_mapping(table["headers"], import_target.columns)
    if not automatic and not mapping:
        raise FileProblem.for_field(
            "file",
            _(
                "No column name was recognised. "
                "The first row must hold the column names, for example: %(names)s."
            )
            % {"names": ", ".join(str(c.label) for c in import_target.columns[:4])},
            code="no_header",
        )
    with transaction.atomic():
        key = vault.new_subject_key(organization)
        job = Import.objects.create(
            organization=organization,
            target=target_name,
            created_by=actor,
            filename=filename[:200],
            file_key=key,
            file_blob=vault.seal_bytes(key, data, purpose=FILE_PURPOSE),
            file_kind=table["kind"],
            encoding=table["encoding"],
            headers=table["headers"],
            mapping=mapping,
            options={**options, **table["options"]},
            total_rows=total,
            status=Import.Status.VALIDATING if automatic else Import.Status.UPLOADED,
            lease_expires_at=_reserved_until() if automatic else None,
        )
        audit.record(
            "import.uploaded",
            actor=actor,
            organization=organization,
            obj=job,
            metadata={"target": target_name, "rows": job.total_rows},
        )
        if automatic:
            transaction.on_commit(lambda: tasks.validate_import.enqueue(job.pk))
    return job


def preview(job: Import, *, actor, rows: int = 5) -> list[list[str]]:
    """The first rows as they will be read (personal data: audited)."""
    tenancy.require_role(actor, job.organization_id, STAFF_ROLES)
    with _reading(job, mode="preview", rows=rows) as reading:
        first = reading.rows()
    audit.record("import.previewed", actor=actor, organization=job.organization_id, obj=job)
    return first


def _values(row: list[str], mapping: dict[str, str]) -> dict[str, str]:
    return {key: (row[int(index)] if int(index) < len(row) else "") for index, key in mapping.items()}


def _records(table: Table, mapping: dict[str, str]) -> Iterator[tuple[int, Any]]:
    """(row number, values) of every record: the target's own, or the matched columns of each row."""
    if table.records is not None:
        yield from table.records()
        return
    for number, row in enumerate(table.rows(), start=2):
        if any(row):
            yield number, _values(row, mapping)


def choose_mapping(job: Import, mapping: dict[str, str], *, actor) -> Import:
    """Confirm the columns and queue the check of every row."""
    tenancy.require_role(actor, job.organization_id, STAFF_ROLES)
    if job.status not in (Import.Status.UPLOADED, Import.Status.VALIDATED):
        raise ValidationError.for_field("status", _("This import is past that step."), code="wrong_step")
    clean = check_mapping(mapping, job.headers, target(job.target).columns)
    with transaction.atomic():
        job = Import.objects.select_for_update().get(pk=job.pk)
        job.mapping, job.status, job.processed_rows = clean, Import.Status.VALIDATING, 0
        job.lease_owner, job.lease_expires_at = "", _reserved_until()
        job.save(update_fields=["mapping", "status", "processed_rows", *LEASE_FIELDS, "updated_at"])
        audit.record(
            "import.mapped",
            actor=actor,
            organization=job.organization_id,
            obj=job,
            metadata={"fields": sorted(clean.values())},
        )
        transaction.on_commit(lambda: tasks.validate_import.enqueue(job.pk))
    return job


# Runs and their lease ------------------------------------------------------------------------------

LEASE_FIELDS = ("lease_owner", "lease_expires_at")
MAX_AUTOMATIC_RESUMES = 3
RUNNING = (Import.Status.VALIDATING, Import.Status.IMPORTING)


class LeaseLost(Exception):
    """Another run holds the job now (this one's lease ran out and was taken over): stop, write nothing."""


def _lease_until() -> datetime:
    return timezone.now() + timedelta(seconds=settings.IMPORT_LEASE_SECONDS)


def _reserved_until() -> datetime:
    """A queued run's reservation: no other run is queued meanwhile; past it, the job is queued again."""
    return timezone.now() + timedelta(seconds=settings.IMPORT_QUEUE_SECONDS)


def _lease_is_live(job: Import) -> bool:
    return job.lease_expires_at is not None and job.lease_expires_at > timezone.now()


class _Lease:
    """This run's hold on its job: taken with one conditional UPDATE, renewed as the run writes.

    ``take`` succeeds only where the job is in ``status`` and no other run holds a live lease (a
    queued run's reservation, with no owner, is there to be taken); ``renew`` only while the job is
    still this run's. A run that cannot renew has been taken over and stops without writing."""

    def __init__(self, job_id: int, status: str) -> None:
        self.job_id, self.status = job_id, status
        self.token = secrets.token_hex(16)
        self.renewed = time.monotonic()

    def take(self) -> bool:
        now = timezone.now()
        taken = (
            Import.objects.filter(pk=self.job_id, status=self.status)
            .filter(Q(lease_owner="") | Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now))
            .update(lease_owner=self.token, lease_expires_at=_lease_until(), updated_at=now)
        )
        self.renewed = time.monotonic()
        return taken == 1

    def mine(self) -> QuerySet[Import]:
        """The job, as long as it is this run's (empty once another run has taken it over)."""
        return Import.objects.filter(pk=self.job_id, status=self.status, lease_owner=self.token)

    def renew(self, *, seconds: int = 0, **changes) -> None:
        """Hold the job for another lease (and ``seconds`` more), with ``changes``; or ``LeaseLost``."""
        until = _lease_until() + timedelta(seconds=seconds)
        if not self.mine().update(lease_expires_at=until, updated_at=timezone.now(), **changes):
            raise LeaseLost
        self.renewed = time.monotonic()

    def beat(self) -> None:
        """Renew when a third of the lease has gone by since the last renewal (between batches)."""
        if time.monotonic() - self.renewed > settings.IMPORT_LEASE_SECONDS / 3:
            self.renew()


def recover_stalled() -> list[int]:
    """Queue again each job whose run stopped renewing its lease (its worker died), once per death.

    Run by every ``db_worker`` when it starts and then every half lease. The conditional UPDATE makes
    one worker's pass the one that queues it; a job that stalls more than ``MAX_AUTOMATIC_RESUMES``
    times is stopped with a message instead (Resume, pressed by a person, tries again)."""
    recovered = []
    now = timezone.now()
    stalled = Import.objects.filter(status__in=RUNNING, lease_expires_at__lt=now).order_by("pk")
    for job in stalled.only("pk", "organization_id", "status", "lease_owner", "recoveries", "next_row"):
        same = Import.objects.filter(
            pk=job.pk, status=job.status, lease_owner=job.lease_owner, lease_expires_at__lt=now
        )
        with transaction.atomic():
            if job.recoveries >= MAX_AUTOMATIC_RESUMES:
                message = _(
                    "The import stopped %(n)s times without finishing; try again from where it stopped."
                ) % {"n": job.recoveries + 1}
                if same.update(
                    status=Import.Status.FAILED, message=message, lease_owner="", lease_expires_at=None
                ):
                    audit.record("import.failed", organization=job.organization_id, obj=job)
                continue
            if not same.update(
                lease_owner="", lease_expires_at=_reserved_until(), recoveries=F("recoveries") + 1
            ):
                continue
            audit.record(
                "import.recovered",
                organization=job.organization_id,
                obj=job,
                metadata={"step": job.status, "next_row": job.next_row, "recoveries": job.recoveries + 1},
            )
            transaction.on_commit(partial(_queue_run, job.pk, job.status))
            recovered.append(job.pk)
    return recovered


def _queue_run(job_id: int, status: str) -> None:
    if status == Import.Status.VALIDATING:
        tasks.validate_import.enqueue(job_id)
    else:
        job = Import.objects.get(pk=job_id)
        tasks.run_import.enqueue(job_id, job.run_by_id or job.created_by_id)


def _progress(lease: _Lease, processed: int) -> None:
    lease.renew(processed_rows=processed)


def validate(job_id: int) -> Import:
    """Check every row (the background job behind ``choose_mapping``)."""
    lease = _Lease(job_id, Import.Status.VALIDATING)
    if not lease.take():
        return Import.objects.get(pk=job_id)  # checked already, or being checked by another run
    job = Import.objects.select_related("file_key").get(pk=job_id)
    import_target = target(job.target)
    organization = _organization(job)
    state = import_target.new_state(organization, job.options)
    headers_by_key = {key: job.headers[int(index)] for index, key in job.mapping.items()}
    errors = RowErrors()
    processed = valid = skipped = 0
    try:
        lease.renew(seconds=settings.IMPORT_PARSE_SECONDS)  # no renewal while the child reads
        with _reading(job, mapping=job.mapping) as reading:
            reading.beat = lease.beat
            for number, values in reading.records():
                try:
                    import_target.check_row(organization, values, number, state)
                    valid += 1
                except Skip:
                    skipped += 1
                except ValidationError as problem:
                    for item in problem.errors or []:
                        errors.add(
                            number, headers_by_key.get(item.field, item.field), item.field, item.message
                        )
                    if not problem.errors:
                        errors.add(number, "", "", problem.message)
                processed += 1
                if processed % PROGRESS_EVERY == 0:
                    _progress(lease, processed)
            for outside in reading.problems:
                errors.add_outside(outside)
    except FileProblem as problem:
        return _fail(job, problem.message, lease)
    except LeaseLost:
        return Import.objects.get(pk=job_id)
    checked = lease.mine().update(
        status=Import.Status.VALIDATED,
        processed_rows=processed,
        total_rows=processed,
        valid_rows=valid,
        skipped_rows=skipped,
        errors=errors.errors,
        error_count=errors.count,
        error_rows=sorted(errors.rows),
        lease_owner="",
        lease_expires_at=None,
        updated_at=timezone.now(),
    )
    job.refresh_from_db()
    if checked:
        audit.record(
            "import.checked",
            organization=job.organization_id,
            obj=job,
            metadata={"rows": processed, "valid": valid, "skipped": skipped, "errors": errors.count},
        )
    return job


def _organization(job: Import):
    return apps.get_model("organizations", "Organization").objects.get(pk=job.organization_id)


def _fail(job: Import, message: str, lease: _Lease) -> Import:
    lease.mine().update(
        status=Import.Status.FAILED,
        message=message,
        lease_owner="",
        lease_expires_at=None,
        updated_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


def commit(job: Import, *, actor) -> Import:
    """She chose to import the valid rows: queue the import."""
    tenancy.require_role(actor, job.organization_id, STAFF_ROLES)
    with transaction.atomic():
        job = Import.objects.select_for_update().get(pk=job.pk)
        if job.status not in (Import.Status.VALIDATED, Import.Status.FAILED) or job.file_key_id is None:
            raise ValidationError.for_field("status", _("This import is past that step."), code="wrong_step")
        if job.valid_rows == 0 and job.skipped_rows and not job.error_count:
            raise ValidationError.for_field(
                "status",
                _("Everything in this file is already in Doorstep: nothing to import."),
                code="nothing_new",
            )
        if job.valid_rows == 0:
            raise ValidationError.for_field(
                "status", _("No row is valid: fix the file and upload it again."), code="nothing_valid"
            )
        _queue_import(job, actor=actor)
        audit.record("import.started", actor=actor, organization=job.organization_id, obj=job)
    return job


def _queue_import(job: Import, *, actor) -> None:
    """Mark the job importing with a queued run's reservation and queue that one run (the job's row
    is locked by the caller, who has checked that no run holds a live lease)."""
    job.status, job.message, job.run_by = Import.Status.IMPORTING, "", actor
    job.lease_owner, job.lease_expires_at = "", _reserved_until()
    job.save(update_fields=["status", "message", "run_by", *LEASE_FIELDS, "updated_at"])
    transaction.on_commit(lambda: tasks.run_import.enqueue(job.pk, actor.pk))


def run(job_id: int, actor_id: int) -> Import:
    """Write the valid rows in batches (the background job behind ``commit``); resumable.

    The run first takes the job's lease; without it (another run is alive) it does nothing. Each
    batch is one transaction that locks the job, checks the lease is still this run's and where the
    job stands (``next_row``: rows before it are written already), writes the rows after it, moves
    the pointer and renews the lease, so that a row is written at most once whatever is pressed."""
    lease = _Lease(job_id, Import.Status.IMPORTING)
    if not lease.take():
        return Import.objects.get(pk=job_id)  # done, stopped, or another run holds it
    job = Import.objects.select_related("file_key").get(pk=job_id)
    actor = get_user_model().objects.get(pk=actor_id)
    import_target = target(job.target)
    organization = _organization(job)
    state = import_target.new_state(organization, job.options)
    skip = set(job.error_rows)
    late = RowErrors()  # rows that became invalid since the check (e.g. the same phone registered meanwhile)
    batch: list[tuple[int, Any]] = []

    def flush() -> None:
        with transaction.atomic():
            locked = lease.mine().select_for_update().first()
            if locked is None:
                raise LeaseLost
            fresh = [(number, clean) for number, clean in batch if number >= locked.next_row]
            if fresh:
                import_target.write_batch(organization, fresh, actor=actor, job=locked)
            locked.next_row = max(locked.next_row, batch[-1][0] + 1)
            locked.imported_rows += len(fresh)
            locked.processed_rows = locked.imported_rows
            locked.lease_expires_at = _lease_until()
            locked.save(
                update_fields=[
                    "next_row",
                    "imported_rows",
                    "processed_rows",
                    "lease_expires_at",
                    "updated_at",
                ]
            )
        lease.renewed = time.monotonic()
        batch.clear()

    try:
        lease.renew(seconds=settings.IMPORT_PARSE_SECONDS)  # no renewal while the child reads
        with _reading(job, mapping=job.mapping) as reading:
            reading.beat = lease.beat
            for number, values in reading.records():
                if number < job.next_row or number in skip:
                    continue
                lease.beat()
                try:
                    clean = import_target.check_row(organization, values, number, state)
                except Skip:
                    continue
                except ValidationError as problem:
                    for item in problem.errors:
                        late.add(number, item.field, item.field, item.message)
                    continue
                batch.append((number, clean))
                if len(batch) >= import_target.batch_size:
                    flush()
        if batch:
            flush()
        lease.renew()
        import_target.after_import(organization, job, actor=actor)
        if late.count:
            job.refresh_from_db()
            lease.renew(
                errors=job.errors + late.errors,
                error_count=job.error_count + late.count,
                error_rows=sorted(set(job.error_rows) | late.rows),
            )
        finish(job, status=Import.Status.DONE, actor=actor, lease=lease)
    except (ValidationError, vault.VaultError) as problem:
        return _fail(job, str(problem), lease)
    except LeaseLost:
        logger.info("Import %s: another run holds it now; this one stops.", job_id)
    job.refresh_from_db()
    return job


def finish(job: Import, *, status: str, actor, lease: _Lease | None = None) -> None:
    """End an import: destroy the sealed file's key, so the upload can never be read again. A run
    finishes only while it still holds the lease (``LeaseLost`` otherwise)."""
    with transaction.atomic():
        locked = (lease.mine() if lease else Import.objects.filter(pk=job.pk)).select_for_update().first()
        if locked is None:
            raise LeaseLost
        key = locked.file_key
        locked.status, locked.file_key, locked.file_blob = status, None, None
        locked.lease_owner, locked.lease_expires_at = "", None
        locked.finished_at = timezone.now()
        locked.save(
            update_fields=["status", "file_key", "file_blob", *LEASE_FIELDS, "finished_at", "updated_at"]
        )
        if key is not None:
            vault.shred(key)
        audit.record(
            f"import.{status}",
            actor=actor,
            organization=locked.organization_id,
            obj=locked,
            metadata={"imported": locked.imported_rows},
        )


def cancel(job: Import, *, actor) -> Import:
    """She chose to import nothing (or to stop before the import started)."""
    tenancy.require_role(actor, job.organization_id, STAFF_ROLES)
    if job.status in (Import.Status.IMPORTING, Import.Status.DONE):
        raise ValidationError.for_field("status", _("This import has already started."), code="wrong_step")
    finish(job, status=Import.Status.CANCELLED, actor=actor)
    job.refresh_from_db()
    return job


def resume(job: Import, *, actor) -> Import:
    """Queue a stopped import again; it goes on from the last committed batch. Refused while a run
    holds the job's lease (alive, or queued and waiting for a worker): never a second run."""
    tenancy.require_role(actor, job.organization_id, STAFF_ROLES)
    with transaction.atomic():
        job = Import.objects.select_for_update().get(pk=job.pk)
        if job.file_key_id is None or job.status not in (Import.Status.FAILED, Import.Status.IMPORTING):
            raise ValidationError.for_field("status", _("This import cannot be resumed."), code="wrong_step")
        if _lease_is_live(job):
            message = _("This import is already running; wait for it to finish.")
            raise ValidationError(
                message=message,
                code="already_running",
                errors=[FieldError("status", message)],
                status=409,
            )
        job.recoveries = 0
        job.save(update_fields=["recoveries"])
        _queue_import(job, actor=actor)
        audit.record(
            "import.resumed",
            actor=actor,
            organization=job.organization_id,
            obj=job,
            metadata={"next_row": job.next_row},
        )
    return job


def error_report(job: Import) -> str:
    """The row errors as CSV: row, column, field, message (no values)."""
    out = io.StringIO()
    writer = cells.writer(out)
    sheets = any(error.get("sheet") for error in job.errors)
    writer.writerow(
        ["sheet", "row", "column", "field", "message"] if sheets else ["row", "column", "field", "message"]
    )
    for error in job.errors:
        row = [error["row"], error["column"], error["field"], error["message"]]
        writer.writerow([error.get("sheet", ""), *row] if sheets else row)
    return out.getvalue()
