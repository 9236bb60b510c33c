"""Submissions brought in from KoboToolbox or ODK Central exports (import target ``submissions``).

The file is matched to a form version the person chose; its columns are matched to the form's
questions here, not by the person, because an export names them after the form:

- **KoboToolbox**, XLSX or CSV (its CSV is usually `;`-separated), "XML values and headers" or
  labels: questions by path (`group/question`), by name alone ("no group names"), or by label
  (group labels joined with `/`); metadata columns start with `_` (`_uuid`, `_submission_time`,
  `_index`…) and any such column Doorstep does not use is ignored. Repeat groups are sheets of their
  own, linked by `_parent_table_name` and `_parent_index` to their parent's `_index`; older CSV
  exports put them in the same row (`children[2]/name`). A `select_multiple` is one column of
  space-separated choices, or one column per choice (`question/choice`: 1/0, True/False, TRUE/FALSE).
- **Older KoboToolbox (kobocat)**: the single-sheet XLSX of a form without repeats, whose rows carry
  `_parent_index` -1 (a sheet is a repeat only when its rows point to a parent); the CSV that quotes
  every value and writes `n/a` (any case) for an empty or not-relevant answer, repeat columns too
  (`n/a` is no answer in Kobo files, not in ODK Central's); and the multi-table CSV export, one file
  per repeat level (`<form>.csv`, `<repeat>.csv`, `<repeat>_<nested repeat>.csv`), uploaded as one
  zip or as several files at once (``bundle`` makes them the zip). Names written with a dot
  (`tel.office`) match exactly; `.` between groups is read too.
- **ODK Central**, the CSV zip (or its main CSV alone): `-` between group names (`work-sector`),
  geopoints split into `-Latitude`, `-Longitude`, `-Altitude`, `-Accuracy`, one file per repeat
  (`<form>-<repeat>.csv`) whose `PARENT_KEY` is its parent's `KEY`.

Each record becomes a submission exactly as if a phone had sent it: the XForm instance is rebuilt,
parsed as OpenRosa submissions are, and sealed under a data key of its own. Text answers keep their
leading and trailing whitespace as sent; numbers, dates, places and choices are read without it. The
instance id (`meta/instanceID`, Kobo's `_uuid`, Central's `KEY`) makes an import idempotent: a
submission already in Doorstep is skipped, so importing the same records twice, in the same shape or
another, adds nothing. A row with a wrong value (a number that is not one, a choice the form does not
have) is reported by sheet, row and column, and that submission is not imported.

A zip is judged by its directory before anything is unpacked: at most ``MAX_UNZIPPED_BYTES`` in all
(the size of the largest upload) and no entry packed more than ``MAX_ZIP_RATIO`` to 1; each entry is
read as a stream that stops past the limit whatever its header claims.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import PurePosixPath
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doorstep.core import audit, imports, vault
from doorstep.core.bulk import insert_rows
from doorstep.core.errors import FieldError, ValidationError

from . import services, xforms
from .models import Form, FormVersion, Submission

NAME = "submissions"
ODK_META = {
    "SubmissionDate",
    "KEY",
    "PARENT_KEY",
    "SubmitterID",
    "SubmitterName",
    "AttachmentsPresent",
    "AttachmentsExpected",
    "Status",
    "ReviewState",
    "DeviceID",
    "Edits",
    "FormVersion",
    "isValidated",
}
GEO_PARTS = ("Latitude", "Longitude", "Altitude", "Accuracy")
TRUE = {"1", "true", "yes", "vrai", "oui"}
FALSE = {"0", "false", "no", "faux", "non"}
# What kobocat writes for an empty or not-relevant answer (its CSV export, repeat columns too).
EMPTY_MARKERS = {"n/a"}
# A zip may unpack to no more than the largest file Doorstep takes unzipped, and a CSV does not
# shrink beyond this ratio unless it was built to explode (the sizes are checked before reading).
MAX_UNZIPPED_BYTES = imports.MAX_FILE_BYTES
MAX_ZIP_RATIO = 200
_INDEXED = re.compile(r"^(.+?)\[(\d+)\]$")


# The form's questions, by repeat scope ------------------------------------------------------------


def _labels(node: dict) -> list[str]:
    label = node.get("label")
    if isinstance(label, dict):
        return [str(v) for v in label.values() if v]
    return [str(label)] if label else []


@dataclass(eq=False)
class Question:
    path: str  # from the form's root: work/sector, giver/giver_name
    relative: str  # from its repeat (or the root): giver_name
    type: str
    labels: list[str]  # the label in each language, alone and after its groups' labels
    choices: dict[str, list[str]]  # choice name: its labels

    @property
    def is_select(self) -> bool:
        return self.type.startswith("select") and bool(self.choices)

    @property
    def is_multiple(self) -> bool:
        return self.type.startswith("select all") or self.type == "select_multiple"


@dataclass(eq=False)
class Scope:
    """The root of the form or one repeat: the questions answered once per record of it."""

    path: str  # "" for the root
    relative: str  # the repeat's path from its parent scope (its key in the parent's record)
    questions: list[Question] = field(default_factory=list)
    repeats: list["Scope"] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    def all(self):
        yield self
        for repeat in self.repeats:
            yield from repeat.all()


def scopes(structure: dict) -> Scope:
    root = Scope("", "")

    def walk(node: dict, scope: Scope, full: str, relative: str, group_labels: list[list[str]]) -> None:
        for child in node.get("children", []) or []:
            if "type" not in child:
                continue
            name, kind = child["name"], child["type"]
            path, rel = f"{full}{name}", f"{relative}{name}"
            if kind == "repeat":
                inner = Scope(path, rel)
                scope.repeats.append(inner)
                walk(child, inner, f"{path}/", "", [*group_labels, _labels(child)])
            elif kind in xforms.CONTAINERS:
                walk(child, scope, f"{path}/", f"{rel}/", [*group_labels, _labels(child)])
            else:
                own = _labels(child)
                chained = [
                    "/".join([*(g[min(i, len(g) - 1)] for g in group_labels if g), label])
                    for i, label in enumerate(own)
                ]
                choices = {str(c["name"]): _labels(c) for c in child.get("children") or [] if "name" in c}
                labels = list(dict.fromkeys([*own, *chained]))
                scope.questions.append(Question(path, rel, kind, labels, choices))

    walk(structure, root, "", "", [])
    return root


# Reading the file ---------------------------------------------------------------------------------


@dataclass
class Sheet:
    name: str
    headers: list[str]
    rows: list[list[str]]  # data rows: spreadsheet row 2 onwards

    def column(self, header: str) -> int | None:
        try:
            return self.headers.index(header)
        except ValueError:
            return None


def _problem(message: str, code: str) -> imports.FileProblem:
    return imports.FileProblem.for_field("file", message, code=code)


def _sheets(data: bytes, encoding: str | None) -> tuple[str, str, list[Sheet]]:
    """(kind, encoding, sheets) of an XLSX/XLS workbook, a zip of CSV files, or one CSV file."""
    if not data or not data.strip():
        raise _problem(_("The file is empty."), "empty_file")
    if data[:4] == b"PK\x03\x04":
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            names = archive.namelist()
        except zipfile.BadZipFile:
            raise _problem(_("This zip file is damaged; download the export again."), "unreadable") from None
        if any(n.startswith("xl/") for n in names) or "content.xml" in names:
            return "xlsx", "", _workbook(data)
        members = [
            info
            for info in archive.infolist()
            if info.filename.lower().endswith(".csv") and not info.filename.startswith("__MACOSX")
        ]
        if not members:
            raise _problem(_("The zip file holds no CSV file."), "not_an_export")
        _check_unzipped_sizes(members)
        sheets, used = [], ""
        for info in members:
            table = imports.read_csv(_unzip(archive, info), encoding=encoding, strip=False)
            used = used or table.encoding
            sheets.append(Sheet(PurePosixPath(info.filename).stem, table.headers, list(table.rows())))
        return "zip", used, sheets
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "xls", "", _workbook(data)
    table = imports.read_csv(data, encoding=encoding, strip=False)
    return "csv", table.encoding, [Sheet("", table.headers, list(table.rows()))]


def _too_large() -> imports.FileProblem:
    return _problem(
        _("The zip file unpacks to more than %(size)s MB; export fewer rows or fewer questions.")
        % {"size": MAX_UNZIPPED_BYTES // (1024 * 1024)},
        "too_large",
    )


def _check_unzipped_sizes(members: list[zipfile.ZipInfo]) -> None:
    """Refuse a zip whose entries would unpack beyond the limits, from its directory alone (nothing
    is decompressed yet): a 458 KB zip must not become 315 MB in a web worker's memory."""
    if sum(info.file_size for info in members) > MAX_UNZIPPED_BYTES:
        raise _too_large()
    for info in members:
        if info.file_size > 1024 * 1024 and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            raise _problem(
                _(
                    "%(name)s in the zip file unpacks to %(ratio)s times its packed size, far more than "
                    "an export does; Doorstep does not open it."
                )
                % {"name": info.filename, "ratio": info.file_size // max(info.compress_size, 1)},
                "too_large",
            )


def _unzip(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """One entry's bytes, read as a stream that stops past the limit whatever its header claims."""
    try:
        with archive.open(info) as stream:
            data = stream.read(MAX_UNZIPPED_BYTES + 1)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
        raise _problem(_("This zip file is damaged; download the export again."), "unreadable") from None
    if len(data) > MAX_UNZIPPED_BYTES:
        raise _too_large()
    return data


def _workbook(data: bytes) -> list[Sheet]:
    return [
        Sheet(name, [h.strip() for h in rows[0]], rows[1:])
        for name, rows in imports.read_sheets(data, strip=False)
        if rows
    ]


# Matching columns to questions --------------------------------------------------------------------


@dataclass(frozen=True)
class Binding:
    """What one column holds: a question's answer, or one part of it (a geopoint's latitude, one
    choice of a select_multiple), possibly in an indexed repeat of an old Kobo CSV."""

    question: Question
    part: str = ""  # "", "geo:Latitude", "choice:<name>"
    by_label: bool = False
    indices: tuple[tuple[Scope, int], ...] = ()  # (repeat, 1-based index) from the sheet's scope down


def _is_meta(header: str, layout: str) -> bool:
    if layout == "odk":
        return header in ODK_META or header.startswith("SET-OF-")
    return header.startswith(("_", "$"))


class Matcher:
    def __init__(self, scope: Scope):
        self.scope = scope
        self.names: dict[str, Question] = {}
        self.labels: dict[str, Question] = {}
        last: dict[str, list[Question]] = {}
        for question in scope.questions:
            for name in (question.path, question.relative):
                self.names.setdefault(name, question)
        for question in scope.questions:
            for name in (question.path, question.relative):
                # ODK Central's `-` between groups, and `.` in other tools' exports; a name of the
                # form written with a dot itself (`tel.office`) was matched above, first.
                self.names.setdefault(name.replace("/", "-"), question)
                self.names.setdefault(name.replace("/", "."), question)
            last.setdefault(question.relative.rsplit("/", 1)[-1], []).append(question)
            for label in question.labels:
                self.labels.setdefault(imports.normal(label), question)
        for name, found in last.items():
            if len(found) == 1:
                self.names.setdefault(name, found[0])  # Kobo's "no group names"

    def match(self, header: str) -> Binding | None:
        if header in self.names:
            return Binding(self.names[header])
        for part in GEO_PARTS:  # ODK Central: location-Latitude
            base = header.removesuffix(f"-{part}")
            if base != header and base in self.names and self.names[base].type == "geopoint":
                return Binding(self.names[base], f"geo:{part}")
        if "/" in header:  # Kobo: a select_multiple's column per choice
            base, choice = header.rsplit("/", 1)
            question = self.names.get(base) or self.labels.get(imports.normal(base))
            if question is not None and question.is_multiple:
                name = choice if choice in question.choices else _choice_by_label(question, choice)
                if name is not None:
                    return Binding(question, f"choice:{name}", by_label=name != choice)
        question = self.labels.get(imports.normal(header))
        if question is not None:
            return Binding(question, by_label=True)
        return self._indexed(header)

    def _indexed(self, header: str) -> Binding | None:
        """Old Kobo CSV: a repeat inside the row, ``children[2]/childs_name``."""
        if "[" not in header:
            return None
        scope, indices, segments = self.scope, [], header.split("/")
        prefix: list[str] = []
        for position, segment in enumerate(segments):
            found = _INDEXED.match(segment)
            if not found:
                prefix.append(segment)
                continue
            name = "/".join([*prefix, found.group(1)])
            inner = next((r for r in scope.repeats if r.relative == name), None)
            if inner is None:
                return None
            indices.append((inner, int(found.group(2))))
            scope, prefix = inner, []
            rest = "/".join(segments[position + 1 :])
            if "[" not in rest:
                question = next((q for q in scope.questions if q.relative == rest), None)
                return Binding(question, indices=tuple(indices)) if question else None
        return None


def _choice_by_label(question: Question, text: str) -> str | None:
    wanted = imports.normal(text)
    for name, labels in question.choices.items():
        if any(imports.normal(label) == wanted for label in labels):
            return name
    return None


# Records --------------------------------------------------------------------------------------------


@dataclass(eq=False)
class Entry:
    """One row of a sheet with the rows of its repeats below it."""

    sheet: str
    row: int
    cells: list[tuple[Binding, str, str]]  # (what, column header, raw value)
    children: dict[Scope, list["Entry"]] = field(default_factory=dict)
    key: str = ""  # Central's KEY, Kobo's instance id
    submitted: str = ""


@dataclass
class Layout:
    kind: str  # kobo, odk
    main: Sheet
    repeats: list[tuple[Sheet, Scope]]
    bindings: dict[str, dict[int, Binding]]  # sheet name: {column index: binding}
    ignored: list[str]


def _layout(sheets: list[Sheet], root: Scope, form_id: str) -> Layout:
    def has(sheet: Sheet, *headers: str) -> bool:
        return any(h in sheet.headers for h in headers)

    if any(has(s, "_uuid", "meta/instanceID", "_submission_time", "_parent_index") for s in sheets):
        kind = "kobo"
        mains = [s for s in sheets if _holds_main_records(s)]
        mains.sort(key=lambda s: (has(s, "_parent_index"), s.name != form_id))
    elif any(has(s, "KEY") for s in sheets):
        kind = "odk"
        mains = [s for s in sheets if not has(s, "PARENT_KEY")]
        mains.sort(key=lambda s: s.name != form_id)
    else:
        raise _problem(
            _(
                "This is not a KoboToolbox or ODK Central export: no column is named _uuid, "
                "meta/instanceID or KEY."
            ),
            "not_an_export",
        )
    if not mains:
        raise _problem(_("The export has no sheet of main records."), "not_an_export")
    main = mains[0]
    repeats_by_name = _repeat_names(root)
    repeats, ignored, bindings = [], [], {}
    for sheet in sheets:
        if sheet is main:
            scope = root
        elif sheet in mains:
            ignored.append(_("sheet %(sheet)s") % {"sheet": sheet.name})
            continue
        else:
            name = sheet.name.removeprefix(f"{form_id}-") if kind == "odk" else sheet.name
            name = name.split("~", 1)[0]
            scope = _repeat_named(repeats_by_name, name) or _repeat_named(
                repeats_by_name, name.removeprefix(f"{form_id}_")
            )
            if scope is None:
                ignored.append(
                    _("sheet %(sheet)s (no repeat of this name in the form)") % {"sheet": sheet.name}
                )
                continue
            repeats.append((sheet, scope))
        matcher = Matcher(scope)
        bindings[sheet.name] = {}
        for index, header in enumerate(sheet.headers):
            if not header or _is_meta(header, kind):
                continue
            binding = matcher.match(header)
            if binding is None:
                ignored.append(f"{sheet.name}: {header}" if sheet is not main else header)
            else:
                bindings[sheet.name][index] = binding
    if not bindings[main.name]:
        raise _problem(
            _(
                "No column of this file is a question of the form. Is it the export of this form, "
                "and of this version?"
            ),
            "no_header",
        )
    return Layout(kind, main, repeats, bindings, ignored)


def _holds_main_records(sheet: Sheet) -> bool:
    """A Kobo sheet of main records: no parent columns (KPI), or parent columns that point nowhere on
    every row (kobocat: `_parent_index` -1 and an empty `_parent_table_name`)."""
    parent, table = sheet.column("_parent_index"), sheet.column("_parent_table_name")
    if parent is None and table is None:
        return True
    rows = [row for row in sheet.rows if any(cell.strip() for cell in row)]
    return bool(rows) and all(_value(row, parent) in ("", "-1") and not _value(row, table) for row in rows)


def _repeat_names(root: Scope) -> dict[str, Scope]:
    """Each repeat by the names exports give its sheet or file: its own name (KPI, kobocat), its path
    with `_` or `.` between groups, and the repeats it is nested in joined by `_` (`members_jobs`)."""
    names: dict[str, Scope] = {}

    def walk(scope: Scope, chain: list[str]) -> None:
        for inner in scope.repeats:
            own = [*chain, inner.name]
            names.setdefault(inner.name, inner)
            paths = (inner.path.replace("/", "_"), inner.path.replace("/", "."), "_".join(own))
            for name in (inner.path, *paths):
                names.setdefault(name, inner)
            walk(inner, own)

    walk(root, [])
    return names


def _repeat_named(names: dict[str, Scope], name: str) -> Scope | None:
    """The repeat a sheet or file is named after (a spreadsheet cuts sheet names at 31 characters)."""
    return names.get(name) or next((r for n, r in names.items() if n[:31] == name[:31]), None)


def _value(row: list[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


def _raw(row: list[str], index: int) -> str:
    return row[index] if index < len(row) else ""


def _entries(layout: Layout, root: Scope) -> tuple[list[Entry], list[dict]]:
    """The main records with their repeat rows attached, and the rows that fit nowhere."""
    main, kind = layout.main, layout.kind
    problems: list[dict] = []
    parent_of = {inner: scope for scope in root.all() for inner in scope.repeats}
    depth = {}
    for scope in root.all():
        depth[scope] = depth[parent_of[scope]] + 1 if scope in parent_of else 0
    keyed: dict[Scope, dict[str, Entry]] = {root: {}}  # each scope's entries by the key children use

    def entry(sheet: Sheet, number: int, row: list[str]) -> Entry:
        cells = [(b, sheet.headers[i], _raw(row, i)) for i, b in layout.bindings[sheet.name].items()]
        return Entry(sheet.name, number, cells)

    records = []
    for number, row in enumerate(main.rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        record = entry(main, number, row)
        if kind == "kobo":
            uuid = _value(row, main.column("_uuid"))
            record.key = _value(row, main.column("meta/instanceID")) or (f"uuid:{uuid}" if uuid else "")
            record.submitted = _value(row, main.column("_submission_time"))
            link = _value(row, main.column("_index"))
        else:
            record.key = _value(row, main.column("KEY")) or _value(row, main.column("meta-instanceID"))
            record.submitted = _value(row, main.column("SubmissionDate"))
            link = record.key
        if link:
            keyed[root][link] = record
        records.append(record)

    parent_column, own_column = ("_parent_index", "_index") if kind == "kobo" else ("PARENT_KEY", "KEY")
    for sheet, scope in sorted(layout.repeats, key=lambda pair: depth[pair[1]]):
        parents = keyed.get(parent_of[scope])
        keyed.setdefault(scope, {})
        for number, row in enumerate(sheet.rows, start=2):
            if not any(cell.strip() for cell in row):
                continue
            parent = parents.get(_value(row, sheet.column(parent_column))) if parents is not None else None
            if parent is None:
                problems.append(
                    {
                        "sheet": sheet.name,
                        "row": number,
                        "column": parent_column,
                        "message": _("This repeat row belongs to no record of the file; it is left out."),
                    }
                )
                continue
            child = entry(sheet, number, row)
            parent.children.setdefault(scope, []).append(child)
            own = _value(row, sheet.column(own_column))
            if own:
                keyed[scope][own] = child
    return records, problems


def read(data: bytes, *, encoding: str | None, options: dict) -> imports.Table:
    version = FormVersion.objects.select_related("form").get(pk=options["version"])
    kind, used, sheets = _sheets(data, encoding)
    root = scopes(version.structure)
    layout = _layout(sheets, root, version.form.xml_form_id)
    records, problems = _entries(layout, root)
    return imports.Table(
        kind=kind,
        encoding=used,
        headers=layout.main.headers,
        rows=lambda: iter(layout.main.rows),
        records=lambda: iter((r.row, r) for r in records),
        problems=lambda: problems,
        options={"layout": layout.kind, "ignored": layout.ignored[:200]},
    )


# Checking values ------------------------------------------------------------------------------------


def _multiple(question: Question, text: str) -> list[str] | None:
    tokens = text.split()
    if all(t in question.choices for t in tokens):
        return tokens
    # Labels: the longest label that starts the remaining text, again and again.
    labels = sorted(
        ((imports.normal(label), name) for name, ls in question.choices.items() for label in ls),
        key=lambda pair: -len(pair[0]),
    )
    rest, names = imports.normal(text), []
    while rest:
        found = next(((label, name) for label, name in labels if label and rest.startswith(label)), None)
        if found is None or (len(rest) > len(found[0]) and rest[len(found[0])] != " "):
            return None
        names.append(found[1])
        rest = rest[len(found[0]) :].strip()
    return names


def clean_value(question: Question, as_sent: str, by_label: bool) -> str:
    """The answer as a phone would have sent it, or ``ValueError`` with a message. Numbers, dates,
    places and choices are read without the spaces around them; any other answer (text) is kept
    exactly as sent, leading and trailing whitespace included."""
    kind, text = question.type, as_sent.strip()
    if kind in ("integer", "int"):
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(_("Not a whole number.")) from None
        if not number.is_finite() or number != number.to_integral_value():
            raise ValueError(_("Not a whole number."))
        return str(int(number))
    if kind in ("decimal", "range"):
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(_("Not a number.")) from None
        if not number.is_finite():
            raise ValueError(_("Not a number."))
        return text
    if kind in ("date", "today"):
        try:
            return date.fromisoformat(text[:10]).isoformat()
        except ValueError:
            raise ValueError(_("Not a date (write it as 2026-11-23).")) from None
    if kind in ("dateTime", "start", "end"):
        try:
            datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(_("Not a date and time (write it as 2026-11-23T10:30:00+05:30).")) from None
        return text
    if kind == "geopoint":
        parts = text.split()
        try:
            numbers = [float(p) for p in parts]
        except ValueError:
            numbers = []
        if not 2 <= len(numbers) <= 4 or not (-90 <= numbers[0] <= 90 and -180 <= numbers[1] <= 180):
            raise ValueError(_("Not a location (latitude longitude [altitude accuracy])."))
        return " ".join(parts)
    if question.is_select and question.is_multiple:
        names = _multiple(question, text)
        if names is None:
            raise ValueError(_("Not one of the form's choices."))
        return " ".join(names)
    if question.is_select:
        if text in question.choices:
            return text
        name = _choice_by_label(question, text)
        if name is None:
            raise ValueError(_("Not one of the form's choices."))
        return name
    return as_sent


@dataclass
class Clean:
    instance_id: str
    record: dict
    xml: bytes
    received_at: datetime


def _received(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text.replace(" ", "T", 1)) if text else None
    except ValueError:
        return None
    if moment is not None and timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)  # Kobo writes UTC without saying so
    return moment


class SubmissionImport:
    name = NAME
    label = gettext_lazy("submissions")
    columns: list[imports.Column] = []
    batch_size = 500

    def read(self, data: bytes, *, encoding: str | None, options: dict) -> imports.Table:
        return read(data, encoding=encoding, options=options)

    def new_state(self, organization, options: dict) -> dict:
        version = FormVersion.objects.select_related("form").get(pk=options["version"])
        return {
            "version": version,
            "existing": set(
                Submission.objects.filter(organization=organization).values_list("instance_id", flat=True)
            ),
            "seen": {},
            "id_column": "KEY" if options.get("layout") == "odk" else "_uuid",
            "empty": frozenset() if options.get("layout") == "odk" else EMPTY_MARKERS,
        }

    def check_row(self, organization, values: Entry, row: int, state: dict) -> Clean:
        errors: list[FieldError] = []
        instance = values.key
        if not instance:
            errors.append(FieldError(state["id_column"], _("No instance id in this row.")))
        elif len(instance) > 120:
            errors.append(FieldError(state["id_column"], _("The instance id is longer than 120 characters.")))
        elif instance in state["existing"]:
            raise imports.Skip(instance)
        elif instance in state["seen"]:
            errors.append(
                FieldError(
                    state["id_column"],
                    _("The same submission is already in row %(row)s of this file.")
                    % {"row": state["seen"][instance]},
                )
            )
        record = self._fill(values, errors, prefix="", empty=state["empty"])
        if errors:
            raise ValidationError(message=_("This row is not imported."), errors=errors)
        state["seen"][instance] = row
        version: FormVersion = state["version"]
        record["meta/instanceID"] = instance
        xml = xforms.to_xml(
            record, version.structure, form_id=version.form.xml_form_id, version=version.version
        )
        parsed = xforms.parse_submission(xml)
        return Clean(
            instance,
            xforms.to_record(parsed.root, version.structure),
            xml,
            _received(values.submitted) or timezone.now(),
        )

    def _fill(self, entry: Entry, errors: list[FieldError], prefix: str, empty: frozenset | set) -> dict:
        """The record of one row (and its repeats): {relative path: answer, repeat: [records]}.
        A cell that is blank or holds one of ``empty`` (kobocat's `n/a`) is no answer."""
        record: dict[str, Any] = {}
        geo: dict[Question, dict[str, str]] = {}
        chosen: dict[Question, list[str]] = {}
        where = (lambda header: header) if not prefix else (lambda header: f"{entry.sheet}: {header}")
        for binding, header, raw in entry.cells:
            question = binding.question
            mark = raw.strip().casefold()
            blank = not mark or mark in empty
            if binding.part.startswith("geo:"):
                geo.setdefault(question, {})[binding.part[4:]] = "" if blank else raw.strip()
                continue
            if binding.part.startswith("choice:"):
                if mark in TRUE:
                    chosen.setdefault(question, []).append(binding.part[7:])
                elif not blank and mark not in FALSE:
                    errors.append(
                        FieldError(where(header), _("Not a choice mark: write 1 or 0, or True or False."))
                    )
                continue
            if blank:
                continue
            try:
                value = clean_value(question, raw, binding.by_label)
            except ValueError as problem:
                message = str(problem)
                if prefix:
                    message = _("Row %(row)s of sheet %(sheet)s: %(problem)s") % {
                        "row": entry.row,
                        "sheet": entry.sheet,
                        "problem": message,
                    }
                errors.append(FieldError(where(header), message))
                continue
            if binding.indices:  # an old Kobo CSV's repeat inside the row
                target = record
                for scope, index in binding.indices:
                    items = target.setdefault(scope.relative, [])
                    while len(items) < index:
                        items.append({})
                    target = items[index - 1]
                target[question.relative] = value
            else:
                record[question.relative] = value
        for question, parts in geo.items():
            numbers = [parts.get(p, "") for p in GEO_PARTS]
            while numbers and not numbers[-1]:
                numbers.pop()
            if numbers:
                try:
                    record[question.relative] = clean_value(
                        question, " ".join(n or "0" for n in numbers), False
                    )
                except ValueError as problem:
                    errors.append(FieldError(where(question.relative.replace("/", "-")), str(problem)))
        for question, names in chosen.items():
            record.setdefault(question.relative, " ".join(names))
        for scope, children in entry.children.items():
            record[scope.relative] = [
                self._fill(child, errors, prefix=scope.path, empty=empty) for child in children
            ]
        return record

    def write_batch(self, organization, rows, *, actor, job) -> list[int]:
        version = FormVersion.objects.select_related("form").get(pk=job.options["version"])
        form: Form = version.form
        there = set(
            Submission.objects.filter(
                organization=organization, instance_id__in=[clean.instance_id for _n, clean in rows]
            ).values_list("instance_id", flat=True)
        )
        fresh = [clean for _n, clean in rows if clean.instance_id not in there]
        keys = vault.new_subject_keys(organization, len(fresh))
        source = "odk_central" if job.options.get("layout") == "odk" else "kobo"
        values = []
        for key, clean in zip(keys, fresh, strict=True):
            member = services.member_for(form, clean.record)
            values.append(
                services.bulk_row(
                    version,
                    clean.instance_id,
                    key,
                    sealed_xml=key.seal_bytes(clean.xml, purpose=services.XML_PURPOSE),
                    record=clean.record,
                    member_id=member.pk if member else None,
                    submitted_by_id=actor.pk,
                    source=source,
                    received_at=clean.received_at,
                    attachments=xforms.attachment_names(clean.record, version.structure),
                )
            )
        insert_rows(Submission, services.BULK_COLUMNS, values)
        audit.record(
            "submission.imported",
            actor=actor,
            organization=organization,
            obj=job,
            metadata={"form_id": form.pk, "count": len(values), "already_there": len(there)},
        )
        return list(
            Submission.objects.filter(
                organization=organization, instance_id__in=[c.instance_id for c in fresh]
            ).values_list("pk", flat=True)
        )

    def after_import(self, organization, job, *, actor) -> None:
        return None

    def done_links(self, organization, job) -> list[tuple[str, str]]:
        form_id = job.options.get("form")
        return [(reverse("survey_submissions", args=[organization.slug, form_id]), _("See the submissions"))]

    def back_url(self, organization, job) -> str:
        version = FormVersion.objects.filter(pk=job.options.get("version")).first()
        if version is None:
            return reverse("surveys", args=[organization.slug])
        return reverse("survey_form", args=[organization.slug, version.form_id])


submission_import = SubmissionImport()


def bundle(files: list[tuple[str, bytes]]) -> tuple[str, bytes]:
    """Several files uploaded at once (Kobo's multi-table CSV export: one CSV per repeat level) as the
    zip they would otherwise arrive in: (file name, bytes). One file is returned as it is."""
    if not files:
        raise ValidationError.for_field("file", _("Choose the export file."), code="empty_file")
    if len(files) == 1:
        return files[0]
    names = [PurePosixPath(name.replace("\\", "/")).name for name, _data in files]
    if not all(name.lower().endswith(".csv") for name in names):
        raise _problem(
            _("Several files can be uploaded together only when each is a CSV file of the same export."),
            "not_an_export",
        )
    if len(set(names)) != len(names):
        raise _problem(_("Two of the files have the same name."), "not_an_export")
    if sum(len(data) for _name, data in files) > MAX_UNZIPPED_BYTES:
        raise _too_large()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, (_name, data) in zip(names, files, strict=True):
            archive.writestr(name, data)
    return ", ".join(names), out.getvalue()


def start(
    form: Form,
    *,
    version: FormVersion | None,
    files: list[tuple[str, bytes]],
    actor,
    encoding: str | None = None,
):
    """Upload an export of ``form`` (matched to ``version``, or the newest) and queue its check.
    ``files`` is the export as (file name, bytes): one file, or the CSV files of a multi-table one."""
    version = version or form.latest
    if version is None or version.form_id != form.pk:
        raise ValidationError.for_field("version", _("Choose a version of this form."))
    filename, data = bundle(files)
    return imports.start(
        form.organization,
        target_name=NAME,
        filename=filename,
        data=data,
        actor=actor,
        encoding=encoding,
        options={"form": form.pk, "version": version.pk},
    )
