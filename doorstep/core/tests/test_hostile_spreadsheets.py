"""Hostile spreadsheets: a tiny file that declares a huge sheet is refused before anything is
materialized (issue 21: one cell at XFD1048576 made the reader allocate 512 GB)."""

import io
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from doorstep.core import imports, spreadsheets
from doorstep.core.models import Import

ROOT = Path(__file__).resolve().parents[3]


def _xlsx(cells: dict[str, str]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for ref, value in cells.items():
        sheet[ref] = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _ods(content_body: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
            '<manifest:file-entry manifest:full-path="/" '
            'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
        )
        archive.writestr(
            "content.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
            f'<office:body><office:spreadsheet><table:table table:name="S">{content_body}'
            "</table:table></office:spreadsheet></office:body></office:document-content>",
        )
    return out.getvalue()


def _refusal(data: bytes) -> str:
    with pytest.raises(imports.FileProblem) as refused:
        imports.read_table(data)
    return refused.value.code


def test_it_refuses_one_cell_at_the_last_column_and_row_within_a_memory_ceiling(tmp_path):
    data = _xlsx({"A1": "name", "XFD1048576": "x"})
    assert len(data) < 10_000
    (tmp_path / "hostile.xlsx").write_bytes(data)
    # In a child process limited to 1.5 GB of address space: the old reader asked for 512 GB and died.
    script = textwrap.dedent(
        f"""
        import os, resource, sys
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doorstep.settings")
        import django
        django.setup()
        from doorstep.core import imports
        data = open({str(tmp_path / "hostile.xlsx")!r}, "rb").read()
        resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))
        try:
            imports.read_table(data)
        except imports.FileProblem as problem:
            print(problem.code, problem.errors[0].message)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("too_big ")
    assert "16,384" in done.stdout or "16384" in done.stdout  # the message names what is too big


def test_it_refuses_more_columns_than_the_limit():
    assert _refusal(_xlsx({"A1": "name", "BXZ2": "x"})) == "too_big"  # column 2,002


def test_it_refuses_more_rows_than_the_limit():
    assert _refusal(_xlsx({"A1": "name", f"A{spreadsheets.MAX_ROWS + 1}": "x"})) == "too_big"


def test_it_refuses_a_dense_area_over_the_cell_limit():
    # 5,001 rows by 1,000 columns: each within its limit, together over five million cells.
    assert _refusal(_xlsx({"A1": "name", "ALL5001": "x"})) == "too_big"


def test_it_refuses_parts_that_unpack_beyond_the_limit(monkeypatch):
    data = _xlsx({"A1": "name", "A2": "x" * 30_000})
    monkeypatch.setattr(spreadsheets, "MAX_UNPACKED_BYTES", 20_000)
    assert _refusal(data) == "too_big"


def test_it_refuses_an_ods_whose_repeated_cells_reach_far():
    body = (
        "<table:table-row><table:table-cell office:value-type='string' "
        "xmlns:office='urn:oasis:names:tc:opendocument:xmlns:office:1.0'><text:p>name</text:p>"
        "</table:table-cell></table:table-row>"
        "<table:table-row table:number-rows-repeated='2000000'><table:table-cell/></table:table-row>"
        "<table:table-row><table:table-cell><text:p>x</text:p></table:table-cell></table:table-row>"
    )
    assert _refusal(_ods(body)) == "too_big"


def test_it_reads_an_ods_whose_trailing_empty_area_is_repeated():
    body = (
        "<table:table-row><table:table-cell office:value-type='string' "
        "xmlns:office='urn:oasis:names:tc:opendocument:xmlns:office:1.0'><text:p>name</text:p>"
        "</table:table-cell><table:table-cell table:number-columns-repeated='16383'/></table:table-row>"
        "<table:table-row table:number-rows-repeated='1048575'>"
        "<table:table-cell table:number-columns-repeated='16384'/></table:table-row>"
    )
    table = imports.read_table(_ods(body))
    assert table.headers == ["name"]
    assert list(table.rows()) == []


def test_it_still_reads_an_ordinary_workbook():
    table = imports.read_table(_xlsx({"A1": "name", "B1": "phone", "A2": "Sunita", "B2": "0712"}))
    assert table.headers == ["name", "phone"]
    assert list(table.rows()) == [["Sunita", "0712"]]


def test_the_api_answers_422_and_keeps_nothing(world, api):
    client = api(world.admin_a)
    data = _xlsx({"A1": "name", "XFD1048576": "x"})
    response = client.post(
        "/api/v1/imports",
        {
            "organization_id": world.org_a.pk,
            "target": "members",
            "file": _upload("hostile.xlsx", data),
        },
    )
    assert response.status_code == 422
    assert response.json()["code"] == "too_big"
    assert not Import.objects.exists()


def _upload(name: str, data: bytes):
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def test_it_refuses_an_xls_whose_cell_reaches_far():
    data = bytearray((Path(__file__).parent / "data" / "facility_list_12.xls").read_bytes())
    record = data.rindex(b"\xfd\x00\x0a\x00")  # the last LABELSST record (a text cell)
    data[record + 4 : record + 8] = b"\xff\xff\xff\x00"  # moved to row 65,536, column 256
    assert _refusal(bytes(data)) == "too_big"


@pytest.mark.parametrize(
    "parts",
    [{"hello.txt": "hi"}, {"xl/workbook.xml": "<workbook", "xl/worksheets/sheet1.xml": "<worksheet><row"}],
    ids=["not-a-workbook", "broken-xml"],
)
def test_it_refuses_a_zip_it_cannot_measure(parts):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    assert _refusal(out.getvalue()) == "unreadable"


def test_it_refuses_a_document_type_declaration_in_a_part():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa">]><worksheet>&a;</worksheet>',
        )
    assert _refusal(out.getvalue()) == "unreadable"
