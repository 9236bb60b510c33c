"""Measure a workbook before anything reads it.

A spreadsheet says where its cells are, and a reader makes a grid of that size: a 1.5 KB XLSX with
one cell at XFD1048576 asks for 16,384 × 1,048,576 cells (512 GB in calamine's dense range). So
before calamine opens a workbook, ``measure`` walks its parts as streams, without building
anything, and finds for each sheet the last row and column that hold a cell (XLSX: the ``r`` of
each ``<row>`` and ``<c>``; ODS: rows and cells with their ``number-*-repeated`` counts, where
repeated *empty* cells are the ordinary way to end a sheet and are not counted; XLS: the BIFF cell
records) and the number of cells; ``check`` refuses above these limits:

- ``MAX_ROWS`` rows and ``MAX_COLUMNS`` columns in a sheet;
- ``MAX_CELLS`` cells in the area a reader fills, from A1 to the last row and column of the sheet;
- ``MAX_UNPACKED_BYTES`` unpacked from a zipped workbook (XLSX, ODS), all parts together, as the
  archive declares them (Python's zip reader never returns more than an entry declares);
- ``MAX_PARTS`` entries in the archive.

A zip that is neither an XLSX (``xl/workbook.xml``) nor an ODS is refused: XLSB and the like are
binary inside and are not measured. XML parts are parsed with expat, refusing any document type
declaration (no entities, no billion laughs).
"""

import struct
import zipfile
from dataclasses import dataclass
from io import BytesIO
from xml.parsers import expat

from django.utils.translation import gettext as _
from xlrd.compdoc import CompDoc, CompDocError

from .errors import ValidationError

MAX_ROWS = 1_000_000
MAX_COLUMNS = 2_000
MAX_CELLS = 5_000_000
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
MAX_PARTS = 10_000

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


class TooBig(ValidationError):
    """The workbook declares more than Doorstep reads (see the limits above)."""


class Unmeasurable(ValidationError):
    """The workbook cannot be measured (not XLSX, XLS or ODS, or broken)."""


@dataclass
class Extent:
    """One sheet: its last row and column holding a cell (1-based, 0 when empty) and its cells."""

    rows: int = 0
    columns: int = 0
    cells: int = 0

    def add(self, row: int, column: int, count: int = 1) -> None:
        self.rows = max(self.rows, row)
        self.columns = max(self.columns, column)
        self.cells += count


@dataclass
class Measure:
    sheets: list[Extent]
    unpacked_bytes: int = 0


def _too_big(message: str) -> TooBig:
    return TooBig.for_field("file", message, code="too_big")


def _unreadable() -> Unmeasurable:
    return Unmeasurable.for_field(
        "file",
        _("This file looks like a spreadsheet but cannot be opened; save it again as XLSX or CSV."),
        code="unreadable",
    )


def check(data: bytes) -> Measure:
    """Refuse (``TooBig``) a workbook over the limits, before any reader sees it; return its measure."""
    measure = _measure(data)
    if measure.unpacked_bytes > MAX_UNPACKED_BYTES:
        raise _too_big(
            _("The workbook unpacks to more than %(mb)s MB; save the sheet you need as CSV.")
            % {"mb": f"{MAX_UNPACKED_BYTES // 2**20:,}"}
        )
    for sheet in measure.sheets:
        if sheet.columns > MAX_COLUMNS:
            raise _too_big(
                _("A sheet reaches column %(n)s; Doorstep reads at most %(limit)s columns.")
                % {"n": f"{sheet.columns:,}", "limit": f"{MAX_COLUMNS:,}"}
            )
        if sheet.rows > MAX_ROWS:
            raise _too_big(
                _("A sheet reaches row %(n)s; Doorstep reads at most %(limit)s rows.")
                % {"n": f"{sheet.rows:,}", "limit": f"{MAX_ROWS:,}"}
            )
        if max(sheet.cells, sheet.rows * sheet.columns) > MAX_CELLS:
            raise _too_big(
                _(
                    "A sheet spans %(rows)s rows by %(columns)s columns; Doorstep reads at most "
                    "%(limit)s cells. Delete the empty rows and columns around the data, or split it."
                )
                % {"rows": f"{sheet.rows:,}", "columns": f"{sheet.columns:,}", "limit": f"{MAX_CELLS:,}"}
            )
    return measure


def _measure(data: bytes) -> Measure:
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return Measure(_xls_sheets(data))
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _unreadable() from None
    if len(infos) > MAX_PARTS:
        raise _too_big(_("The workbook holds more than %(n)s parts.") % {"n": f"{MAX_PARTS:,}"})
    unpacked = sum(info.file_size for info in infos)
    names = {info.filename for info in infos}
    if unpacked > MAX_UNPACKED_BYTES:
        return Measure([], unpacked)
    try:
        if "xl/workbook.xml" in names:
            sheets = [
                _parse(archive, info, _XlsxSheet())
                for info in infos
                if not info.is_dir() and _is_xml(archive, info)
            ]
        elif "content.xml" in names:
            sheets = _parse(archive, archive.getinfo("content.xml"), _OdsSheets())
        else:
            raise _unreadable()
    except (zipfile.BadZipFile, expat.ExpatError, ValueError, OSError, EOFError, RuntimeError):
        raise _unreadable() from None  # RuntimeError: an encrypted part or an unknown compression
    return Measure([sheet for group in sheets for sheet in _flat(group)], unpacked)


def _flat(group) -> list[Extent]:
    return group if isinstance(group, list) else [group]


def _is_xml(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    with archive.open(info) as part:
        return part.read(64).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _parse(archive: zipfile.ZipFile, info: zipfile.ZipInfo, handler):
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = handler.start
    if hasattr(handler, "end"):
        parser.EndElementHandler = handler.end
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    with archive.open(info) as part:
        while chunk := part.read(1 << 20):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    return handler.result()


def _refuse_doctype(*_args) -> None:
    raise ValueError("a document type declaration in a workbook")


_XLSX_ROW = f"{_MAIN} row"
_XLSX_CELL = f"{_MAIN} c"
_DIGITS = "0123456789"
_COLUMNS: dict[str, int] = {}  # column letters → number, filled as met (at most 18,278 of them)


def _column_number(letters: str) -> int:
    number = _COLUMNS.get(letters)
    if number is None:
        number = 0
        for ch in letters.upper():
            if not "A" <= ch <= "Z":
                return 0
            number = number * 26 + ord(ch) - 64
        if len(letters) <= 3:
            _COLUMNS[letters] = number
    return number


class _XlsxSheet:
    """Cells of one XLSX part (a worksheet; any other part has no ``row`` or ``c``). Called for
    every element of the part, so it does as little as it can."""

    def __init__(self) -> None:
        self.extent = Extent()
        self.row = 0
        self.column = 0

    def start(self, name: str, attrs: dict) -> None:
        if name == _XLSX_CELL:
            ref = attrs.get("r")
            if ref:
                letters = ref.rstrip(_DIGITS).lstrip("$").replace("$", "")
                digits = ref[len(ref.rstrip(_DIGITS)) :]
                self.column = _column_number(letters) or self.column + 1
                row = int(digits) if digits else self.row
            else:
                self.column += 1
                row = self.row
            extent = self.extent
            extent.cells += 1
            if row > extent.rows:
                extent.rows = row
            if self.column > extent.columns:
                extent.columns = self.column
        elif name == _XLSX_ROW:
            ref = attrs.get("r", "")
            self.row = int(ref) if ref.isdigit() else self.row + 1
            self.column = 0

    def result(self) -> Extent:
        return self.extent


class _OdsSheets:
    """Cells of every ``table:table`` in an ODS's content; repeated empty cells and rows end a sheet
    and count only when a cell with content comes after them."""

    def __init__(self) -> None:
        self.sheets: list[Extent] = []
        self.row = 0
        self.row_repeat = 1
        self.row_cells: list[tuple[int, int]] = []  # (last column, repeat) of cells with content
        self.column = 0
        self.cell_end = 0
        self.cell_repeat = 1

    @staticmethod
    def _repeat(attrs: dict, name: str) -> int:
        value = attrs.get(f"{_TABLE} {name}", "1")
        return int(value) if value.isdigit() else 1

    def start(self, name: str, attrs: dict) -> None:
        if name == f"{_TABLE} table":
            self.sheets.append(Extent())
            self.row = 0
        elif name == f"{_TABLE} table-row":
            self.row_repeat = self._repeat(attrs, "number-rows-repeated")
            self.row_cells = []
            self.column = 0
        elif name in (f"{_TABLE} table-cell", f"{_TABLE} covered-table-cell"):
            self.cell_repeat = self._repeat(attrs, "number-columns-repeated")
            self.column += self.cell_repeat
            self.cell_end = self.column
            if f"{_OFFICE} value-type" in attrs or f"{_TABLE} formula" in attrs:
                self.row_cells.append((self.cell_end, self.cell_repeat))
        elif name == f"{_TEXT} p" and self.cell_end:
            if not self.row_cells or self.row_cells[-1][0] != self.cell_end:
                self.row_cells.append((self.cell_end, self.cell_repeat))

    def end(self, name: str) -> None:
        if name == f"{_TABLE} table-row" and self.sheets:
            self.row += self.row_repeat
            if self.row_cells:
                self.sheets[-1].add(
                    self.row,
                    max(end for end, _n in self.row_cells),
                    sum(n for _end, n in self.row_cells) * self.row_repeat,
                )
            self.cell_end = 0

    def result(self) -> list[Extent]:
        return self.sheets


# BIFF records that are one cell (row and column in their first four bytes), and the two that are a
# run of cells in one row (first column at 2, last column in their last two bytes).
_CELL_RECORDS = {0x0006, 0x00FD, 0x0203, 0x0204, 0x0205, 0x027E, 0x0201, 0x00D6, 0x0001, 0x0002, 0x0003}
_RUN_RECORDS = {0x00BD, 0x00BE}
_BOF = {0x0809, 0x0409, 0x0209, 0x0009}


def _xls_sheets(data: bytes) -> list[Extent]:
    """Cells of every sheet of a BIFF workbook, read from its records (nothing else is built)."""
    try:
        document = CompDoc(data, logfile=_Quiet())
        stream = next(
            (found for name in ("Workbook", "Book") if (found := document.locate_named_stream(name))[0]),
            None,
        )
    except (CompDocError, ValueError, IndexError, struct.error, EOFError):
        raise _unreadable() from None
    if stream is None:
        raise _unreadable()
    memory, position, size = stream
    end = position + size
    sheets: list[Extent] = []
    while position + 4 <= end:
        kind, length = struct.unpack_from("<HH", memory, position)
        body = position + 4
        position = body + length
        if kind in _BOF:
            sheets.append(Extent())
        elif not sheets or length < 4:
            continue
        elif kind in _CELL_RECORDS:
            row, column = struct.unpack_from("<HH", memory, body)
            sheets[-1].add(row + 1, column + 1)
        elif kind in _RUN_RECORDS and length >= 6:
            row, first = struct.unpack_from("<HH", memory, body)
            (last,) = struct.unpack_from("<H", memory, body + length - 2)
            sheets[-1].add(row + 1, last + 1, max(last - first + 1, 1))
    return sheets


class _Quiet:
    def write(self, _text: str) -> None:
        pass
