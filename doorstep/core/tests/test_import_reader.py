"""The import reader on real files from another project: the same list as CSV, XLS and XLSX."""

import codecs
import io
from pathlib import Path

import pytest

from doorstep.core import imports
from doorstep.core.models import Import

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


def _upload(client, organization, name: str, data: bytes, **extra):
    upload = io.BytesIO(data)
    upload.name = name
    return client.post(
        "/api/v1/imports", {"organization_id": organization.pk, "target": "members", "file": upload, **extra}
    )


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF16_LE + "full_name,phone\nSunita,0712\n".encode("utf-16-le") + b"\x00",
        "full_name,phone\nSunita,0712\n".encode("utf-16-le")[:-1],  # no BOM, cut in a character
    ],
    ids=["with-bom", "without-bom"],
)
def test_rejects_utf16_cut_in_the_middle_of_a_character(world, api, data):
    response = _upload(api(world.admin_a), world.org_a, "members.csv", data)
    assert response.status_code == 422
    assert response.json()["code"] == "bad_encoding"
    assert "UTF-16" in response.json()["errors"][0]["message"]
    assert not Import.objects.exists()


def test_it_reads_a_bare_carriage_return_as_a_line_end(world, api):
    data = b"full_name,phone\rSunita,0712\rAsha\rbroken,0713\n"
    response = _upload(api(world.admin_a), world.org_a, "members.csv", data)
    assert response.status_code == 201
    assert response.json()["headers"] == ["full_name", "phone"]
    assert response.json()["total_rows"] == 3


def test_rejects_a_cell_over_the_csv_limit_naming_the_row(world, api):
    data = b"full_name,phone\nSunita,0712\nAsha," + b"7" * 140_000 + b"\n"
    response = _upload(api(world.admin_a), world.org_a, "members.csv", data)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "cell_too_long"
    assert body["errors"][0] == {
        "field": "file",
        "message": "Row 3 has a cell longer than 131,072 characters; no cell can be that long.",
    }
    assert not Import.objects.exists()


def test_rejects_an_encoding_name_with_a_nul(world, api):
    data = b"full_name,phone\nSunita,0712\n"
    response = _upload(api(world.admin_a), world.org_a, "members.csv", data, encoding="utf\x00-8")
    assert response.status_code == 422  # the API refuses a NUL in any field before the reader…
    assert response.json()["errors"][0]["field"].endswith("encoding")
    assert not Import.objects.exists()
    with pytest.raises(imports.FileProblem) as refused:  # …and the reader refuses it on its own
        imports.read_csv(data, encoding="utf\x00-8")
    assert (refused.value.code, refused.value.errors[0].field) == ("bad_encoding", "encoding")
