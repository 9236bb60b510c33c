"""Exports of a form's submissions: CSV (one file, or a zip with one CSV per repeat) and XLSX (one
sheet per repeat), as values or labels, ``select_multiple`` as one column or one column per choice.

Memory stays flat however many submissions there are: rows are read in chunks of values (not model
instances), decrypted one by one and written straight to the response (a form without repeats as
CSV) or to temporary files on disk (zips; workbooks through ``core.xlsx``, which writes sheet XML
straight into the zip), never held.
Repeat rows carry ``_parent_instance_id`` and ``_index``/``_parent_index`` to join them back.
"""

import csv
import io
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from doorstep.core import cells, vault, xlsx

from . import xforms
from .services import DATA_PURPOSE

META = ["_instance_id", "_received_at", "_version", "_member_number"]


@dataclass
class Table:
    name: str  # "" for the main table, else the repeat's path
    columns: list[str] = field(default_factory=list)  # question paths (relative inside a repeat)
    headers: list[str] = field(default_factory=list)


@dataclass
class Plan:
    tables: dict[str, Table]
    labels: dict[str, str]  # path -> question label
    choices: dict[str, dict[str, str]]  # path -> {choice name: label}
    multiple: set[str]
    use_labels: bool
    split: bool


def plan(structure: dict, *, use_labels: bool = False, split: bool = False, language: str = "en") -> Plan:
    repeats = sorted(xforms.repeat_paths(structure), key=len)
    tables = {"": Table("")}
    for path in repeats:
        tables[path] = Table(path)
    labels, choices, multiple = {}, {}, set()
    for question in xforms.questions(structure):
        path = question["path"]
        owner = max((r for r in repeats if path.startswith(f"{r}/")), key=len, default="")
        relative = path[len(owner) + 1 :] if owner else path
        labels[path] = xforms.label_in(question["label"], language) or path
        kind = question["type"]
        if kind.startswith("select"):
            choices[path] = {
                c["name"]: xforms.label_in(c.get("label", ""), language) or c["name"]
                for c in question["choices"]
            }
            if "all that apply" in kind or kind.startswith("select_multiple"):
                multiple.add(path)
        table = tables[owner]
        if split and path in multiple:
            for name in choices[path]:
                table.columns.append(f"{relative}/{name}")
                question_header = labels[path] if use_labels else relative
                table.headers.append(f"{question_header}/{choices[path][name] if use_labels else name}")
        else:
            table.columns.append(relative)
            table.headers.append(labels[path] if use_labels else relative)
    tables[""].headers += META
    for path, table in tables.items():
        if path:
            table.headers += ["_parent_instance_id", "_index", "_parent_index"]
    return Plan(tables, labels, choices, multiple, use_labels, split)


def _cell(plan: Plan, full: str, value) -> str:
    if value in (None, ""):
        return ""
    if plan.use_labels and full in plan.choices:
        names = str(value).split() if full in plan.multiple else [str(value)]
        return " ".join(plan.choices[full].get(n, n) for n in names)
    return str(value)


def _row(plan: Plan, table: Table, record: dict, prefix: str) -> list[str]:
    values = []
    for column in table.columns:
        full = f"{prefix}{column}" if prefix else column
        if plan.split:
            question, _sep, choice = full.rpartition("/")
            if question in plan.multiple:
                relative = column.rpartition("/")[0]
                values.append("1" if choice in str(record.get(relative, "")).split() else "0")
                continue
        values.append(_cell(plan, full, record.get(column, "")))
    return values


def rows(plan: Plan, records: Iterator[tuple[dict, list[str]]]) -> Iterator[tuple[str, list[str]]]:
    """(table name, row) for every record and every repeat item in it; ``records`` yields
    (record, metadata values)."""
    counters = {name: 0 for name in plan.tables}

    def walk(record: dict, repeat: str, instance: str, parent_index: int):
        for key, value in record.items():
            if isinstance(value, list):
                path = f"{repeat}/{key}" if repeat else key
                if path not in plan.tables:
                    continue
                for item in value:
                    counters[path] += 1
                    index = counters[path]
                    yield (
                        path,
                        [
                            *_row(plan, plan.tables[path], item, path + "/"),
                            instance,
                            str(index),
                            str(parent_index),
                        ],
                    )
                    yield from walk(item, path, instance, index)

    for record, meta in records:
        counters[""] += 1
        yield "", [*_row(plan, plan.tables[""], record, ""), *meta]
        yield from walk(record, "", meta[0], counters[""])


PROGRESS_EVERY = 2000


def records(submissions, progress: Callable[[int], None] | None = None) -> Iterator[tuple[dict, list[str]]]:
    """Decrypt submissions read as values, chunk by chunk; ``progress(n)`` every 2,000."""
    fields = (
        "subject_key_id",
        "organization_id",
        "subject_key__organization_key_version",
        "subject_key__wrapped_key",
        "sealed_data",
        "instance_id",
        "received_at",
        "version__version",
        "member__number",
    )
    for done, (
        key_id,
        org_id,
        key_version,
        wrapped,
        sealed,
        instance,
        received,
        version,
        number,
    ) in enumerate(submissions.values_list(*fields).iterator(chunk_size=2000), start=1):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done)
        record = vault.open_sealed_with(key_id, org_id, key_version, wrapped, sealed, purpose=DATA_PURPOSE)
        yield record, [instance, received.isoformat(), version, "" if number is None else str(number)]


class _Echo:
    def write(self, value):
        return value


def csv_stream(plan: Plan, submissions, progress=None) -> Iterator[str]:
    """A form without repeats as one CSV, streamed row by row."""
    writer = cells.writer(_Echo())
    yield "\ufeff" + writer.writerow(plan.tables[""].headers)
    for _table, row in rows(plan, records(submissions, progress)):
        yield writer.writerow(row)


def _sheet_name(path: str, used: set[str]) -> str:
    base = (path.rsplit("/", 1)[-1] or "submissions")[:28]
    name, n = base, 1
    while name in used:
        n += 1
        name = f"{base[:25]}_{n}"
    used.add(name)
    return name


def to_files(plan: Plan, submissions, fmt: str, form_id: str, progress=None):
    """Write a zip of CSVs, or an XLSX, to a temporary file (on disk); return it, rewound. Repeat
    rows wait in temporary CSV files until the main table is written."""
    output = tempfile.TemporaryFile()
    names: set[str] = set()
    spill = {
        path: tempfile.TemporaryFile(mode="w+", encoding="utf-8", newline="") for path in plan.tables if path
    }
    writers = {path: cells.writer(part) for path, part in spill.items()}

    def main_rows() -> Iterator[list[str]]:
        for path, row in rows(plan, records(submissions, progress)):
            if path:
                writers[path].writerow(row)
            else:
                yield row

    def spilled(path: str) -> Iterator[list[str]]:
        part = spill[path]
        part.seek(0)
        yield from csv.reader(part)
        part.close()

    if fmt == "xlsx":
        sheets = [(_sheet_name(form_id, names), plan.tables[""].headers, main_rows())]
        sheets += [(_sheet_name(path, names), plan.tables[path].headers, spilled(path)) for path in spill]
        xlsx.write(output, sheets)
    else:
        with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            parts = [(f"{form_id}.csv", plan.tables[""].headers, main_rows())]
            parts += [
                (f"{form_id}-{_sheet_name(path, names)}.csv", plan.tables[path].headers, spilled(path))
                for path in spill
            ]
            for name, headers, table_rows in parts:
                with (
                    archive.open(name, "w", force_zip64=True) as target,
                    io.TextIOWrapper(target, encoding="utf-8", newline="") as text,
                ):
                    writer = cells.writer(text)
                    text.write("\ufeff")
                    writer.writerow(headers)
                    writer.writerows(table_rows)
    output.seek(0)
    return output
