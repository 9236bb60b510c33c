"""The streaming XLSX writer: what it writes opens in openpyxl and calamine with every value intact."""

import io

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from doorstep.core import xlsx


def _workbook(sheets) -> bytes:
    out = io.BytesIO()
    xlsx.write(out, sheets)
    return out.getvalue()


def test_values_survive_as_text_in_both_readers():
    header = [f"q{i}" for i in range(30)]  # past column Z
    awkward = [
        "<b>&amp;</b>",
        "  leading and trailing  ",
        "नमस्ते, Jambo, مرحبا",
        "tab\there",
        "bell\x07gone",
        "",
    ]
    rows = [awkward + [str(i) for i in range(24)], ["", "only second"]]
    sheets = [("Main", header, iter(rows)), ("a/b: repeat", ["x"], iter([["1"]])), ("main", ["y"], iter([]))]
    data = _workbook(sheets)

    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Main", "a_b_ repeat", "main_2"]  # names Excel accepts, unique
    values = list(book["Main"].values)
    assert values[0][:2] == ("q0", "q1") and values[0][29] == "q29"
    assert values[1][:5] == (
        "<b>&amp;</b>",
        "  leading and trailing  ",
        "नमस्ते, Jambo, مرحبا",
        "tab\there",
        "bellgone",
    )
    assert values[1][5] is None and values[1][29] == "23"
    assert values[2][:2] == (None, "only second")
    assert book["Main"]["A1"].font.b  # the header row is bold

    calamine = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert calamine.get_sheet_by_name("Main").to_python()[1][1] == "  leading and trailing  "
    assert calamine.get_sheet_by_name("a_b_ repeat").to_python() == [["x"], ["1"]]


def test_odd_rows_take_the_careful_path():
    long = "x" * (xlsx.MAX_CELL + 10)
    data = _workbook([("S", ["a", "b", "c"], iter([[long, "nul\x00inside", "ok"], ["only"]]))])
    values = list(openpyxl.load_workbook(io.BytesIO(data))["S"].values)
    assert len(values[1][0]) == xlsx.MAX_CELL and values[1][1:] == ("nulinside", "ok")
    assert values[2][0] == "only"


def test_a_sheet_past_excels_row_limit_is_refused(monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_ROWS", 3)
    with pytest.raises(xlsx.SheetFull):
        _workbook([("Main", ["a"], iter([["1"], ["2"], ["3"]]))])
