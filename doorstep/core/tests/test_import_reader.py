"""The import reader on real files from another project: the same list as CSV, XLS and XLSX."""

from pathlib import Path

import pytest

from doorstep.core import imports

DATA = Path(__file__).parent / "data"


def _read(name):
    return imports.read_table((DATA / name).read_bytes())


def test_csv_xls_and_xlsx_give_the_same_table():
    tables = {name: _read(f"facility_list_12.{name}") for name in ("csv", "xls", "xlsx")}
    assert [t.kind for t in tables.values()] == ["csv", "xls", "xlsx"]
    assert tables["csv"].headers == tables["xls"].headers == tables["xlsx"].headers
    rows = {name: [row for row in t.rows() if any(row)] for name, t in tables.items()}
    assert len(rows["csv"]) == len(rows["xls"]) == len(rows["xlsx"]) == 15
    assert rows["xls"] == rows["xlsx"]
    # Both workbooks hold one address already mis-decoded at their source ("N¬∫" for "Nº");
    # every other cell is the same as in the CSV.
    assert [r[:2] + r[3:] for r in rows["xls"]] == [r[:2] + r[3:] for r in rows["csv"]]


def test_a_byte_order_mark_is_not_part_of_the_first_header():
    table = _read("facilities_with_bom.csv")
    assert table.headers[0] == "country"
    assert table.encoding == "utf-8-sig"


def test_only_the_columns_that_mean_something_are_suggested(world):
    job = imports.start(
        world.org_a,
        target_name="members",
        filename="facilities.xls",
        data=(DATA / "facility_list_12.xls").read_bytes(),
        actor=world.admin_a,
    )
    suggested = {job.headers[int(index)]: key for index, key in job.mapping.items()}
    assert suggested == {"country": "country", "name": "full_name", "address": "address", "sector": "sectors"}


def test_a_file_whose_first_row_names_nothing_known_is_refused(world):
    data = (DATA / "facility_list_12.csv").read_bytes().split(b"\n", 1)[1]  # the header row removed
    with pytest.raises(imports.FileProblem) as refused:
        imports.start(
            world.org_a, target_name="members", filename="noheader.csv", data=data, actor=world.admin_a
        )
    assert refused.value.code == "no_header"
