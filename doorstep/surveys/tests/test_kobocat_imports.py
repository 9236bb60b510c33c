"""Imports of the older KoboToolbox (kobocat) export shapes, and of zips that would not fit in memory.

Every export file here is written by the test itself, in the layouts FORMATS.md and
docs/architecture.md describe (no file is copied from another project):

- the kobocat single-sheet XLSX of a form without repeats: `_index`, an empty `_parent_table_name`
  and `_parent_index` -1 on every row, a select_multiple split into `True`/`False` columns;
- the kobocat CSV: every value quoted, `n/a` for an empty or not-relevant answer, repeats inside the
  row with indexed columns (`kids/kids_details[1]/kids_immunization[2]/immunization_info`);
- the multi-table CSV export: one CSV per repeat level (`family.csv`, `kids_details.csv`,
  `kids_details_kids_immunization.csv`) linked by `_index`, `_parent_table_name`, `_parent_index`,
  uploaded as several files at once or as one zip; question names with dots (`tel.office`).
"""

import base64
import csv
import io
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import PASSWORD
from doorstep.core.models import Import
from doorstep.surveys import services
from doorstep.surveys.models import Submission
from doorstep.surveys.tests.conftest import submission_xml

pytestmark = pytest.mark.django_db

VISIT_MD = """
| survey |
| | type | name | label |
| | text | respondent | Her name |
| | integer | size | People in the household |
| | select_multiple hazard | hazards | Hazards |
| | begin group | tel | Telephone |
| | text | tel.office | Office |
| | text | tel.mobile | Mobile |
| | end group | | |
| choices |
| | list_name | name | label |
| | hazard | eyes | Eye strain |
| | hazard | back | Back pain |
| | hazard | needle | Needle injuries |
| settings |
| | form_id | version | form_title |
| | visit | 1 | Home visit |
"""

FAMILY_MD = """
| survey |
| | type | name | label |
| | text | respondent | Her name |
| | integer | size | People in the household |
| | select_multiple hazard | hazards | Hazards |
| | begin group | tel | Telephone |
| | text | tel.office | Office |
| | end group | | |
| | begin group | kids | Children |
| | begin repeat | kids_details | Each child |
| | text | kids_name | Name |
| | integer | kids_age | Age |
| | begin repeat | kids_immunization | Each vaccine |
| | select_one vaccine | immunization_info | Vaccine |
| | end repeat | | |
| | end repeat | | |
| | end group | | |
| choices |
| | list_name | name | label |
| | hazard | eyes | Eye strain |
| | hazard | back | Back pain |
| | hazard | needle | Needle injuries |
| | vaccine | bcg | BCG |
| | vaccine | polio | Polio |
| settings |
| | form_id | version | form_title |
| | family | 1 | Family |
"""

ONE, TWO = "uuid:7c1e2d3f-0000-4000-8000-000000000001", "uuid:7c1e2d3f-0000-4000-8000-000000000002"
KOBO_META = ["_id", "_uuid", "_submission_time", "_tags", "_notes"]


def _form(world, text: str, name: str):
    return services.upload_form(world.org_a, filename=name, data=text.encode(), actor=world.admin_a).form


def _post(client, org, form, *files: tuple[str, bytes]):
    return client.post(
        f"/orgs/{org.slug}/surveys/forms/{form.pk}/import/",
        {"file": [SimpleUploadedFile(name, data) for name, data in files], "version": form.latest.pk},
    )


def _check(client, org, form, *files: tuple[str, bytes]) -> Import:
    response = _post(client, org, form, *files)
    assert response.status_code == 302, response.content.decode()[:3000]
    return Import.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[-1]))


def _records(form) -> dict[str, dict]:
    submissions = list(Submission.objects.filter(form=form).select_related("subject_key"))
    opened = services.reveal(submissions, actor=form.created_by, reason="test")
    return {s.instance_id: opened[s.pk] for s in submissions}


def _meta(instance: str, index: int) -> list[str]:
    uuid = instance.removeprefix("uuid:")
    return [instance, str(100 + index), uuid, f"2026-10-0{index}T04:02:11", "", ""]


def _quoted_csv(headers: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode()


# The home-visit form (no repeats) --------------------------------------------------------------------

VISIT_HEADERS = ["respondent", "size", "hazards/eyes", "hazards/back", "hazards/needle"]
VISIT_HEADERS += ["tel/tel.office", "tel/tel.mobile", "meta/instanceID", *KOBO_META]


def _visit_xlsx() -> bytes:
    """kobocat's XLSX of a form without repeats: one sheet named after the form id."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "visit"
    sheet.append([*VISIT_HEADERS, "_index", "_parent_table_name", "_parent_index"])
    sheet.append(["\nTest 1", 4, True, True, False, "0112 555 ", None, *_meta(ONE, 1), 1, None, -1])
    sheet.append(["Farida", 3, False, False, False, None, "0712", *_meta(TWO, 2), 2, None, -1])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _visit_csv() -> bytes:
    """kobocat's CSV of the same records: every value quoted, `n/a` for no answer."""
    return _quoted_csv(
        VISIT_HEADERS,
        [
            ["\nTest 1", "4", "True", "True", "False", "0112 555 ", "n/a", *_meta(ONE, 1)],
            ["Farida", "3", "FALSE", "FALSE", "FALSE", "n/a", "0712", *_meta(TWO, 2)],
        ],
    )


VISIT_EXPECTED = {
    ONE: {"respondent": "\nTest 1", "size": "4", "hazards": "eyes back", "tel/tel.office": "0112 555 "},
    TWO: {"respondent": "Farida", "size": "3", "hazards": "", "tel/tel.office": "", "tel/tel.mobile": "0712"},
}


def _subset(record: dict, expected: dict) -> dict:
    """The record's answers to the questions ``expected`` names (no answer: "", no repeat: [])."""
    return {key: record.get(key, [] if isinstance(want, list) else "") for key, want in expected.items()}


def test_the_kobocat_single_sheet_xlsx_imports_whole_and_its_csv_then_adds_nothing(world, login, run_jobs):
    visit = _form(world, VISIT_MD, "visit.md")
    client = login(world.admin_a)
    with run_jobs():
        job = _check(client, world.org_a, visit, ("visit.xlsx", _visit_xlsx()))
    job.refresh_from_db()
    assert (job.status, job.valid_rows, job.error_count) == (Import.Status.VALIDATED, 2, 0), job.errors
    with run_jobs():
        client.post(f"/orgs/{world.org_a.slug}/imports/{job.pk}/commit/")
    records = _records(visit)
    assert {key: _subset(records[key], want) for key, want in VISIT_EXPECTED.items()} == VISIT_EXPECTED

    with run_jobs():
        again = _check(client, world.org_a, visit, ("visit.csv", _visit_csv()))
    again.refresh_from_db()
    assert (again.valid_rows, again.skipped_rows, again.error_count) == (0, 2, 0), again.errors
    assert Submission.objects.filter(form=visit).count() == 2


def test_the_kobocat_csv_with_n_a_imports_whole(world, login, run_jobs):
    visit = _form(world, VISIT_MD, "visit.md")
    client = login(world.admin_a)
    with run_jobs():
        job = _check(client, world.org_a, visit, ("visit.csv", _visit_csv()))
    job.refresh_from_db()
    assert (job.valid_rows, job.error_count) == (2, 0), job.errors
    with run_jobs():
        client.post(f"/orgs/{world.org_a.slug}/imports/{job.pk}/commit/")
    records = _records(visit)
    assert {key: _subset(records[key], want) for key, want in VISIT_EXPECTED.items()} == VISIT_EXPECTED


def test_a_genuinely_wrong_row_keeps_its_error_beside_n_a(world, login, run_jobs):
    visit = _form(world, VISIT_MD, "visit.md")
    data = _quoted_csv(
        VISIT_HEADERS,
        [
            ["Asha", "n/a", "n/a", "n/a", "n/a", "n/a", "n/a", *_meta(ONE, 1)],
            ["Bad size", "four", "False", "False", "False", "n/a", "n/a", *_meta(TWO, 2)],
            ["Bad mark", "2", "maybe", "False", "False", "n/a", "n/a", "uuid:x-3", "3", "x-3", "", "", ""],
        ],
    )
    client = login(world.admin_a)
    with run_jobs():
        job = _check(client, world.org_a, visit, ("visit.csv", data))
    job.refresh_from_db()
    assert (job.valid_rows, job.error_count) == (1, 2)
    assert {(e["row"], e["column"]) for e in job.errors} == {(3, "size"), (4, "hazards/eyes")}
    with run_jobs():
        client.post(f"/orgs/{world.org_a.slug}/imports/{job.pk}/commit/")
    assert list(Submission.objects.filter(form=visit).values_list("instance_id", flat=True)) == [ONE]


# The family form (a repeat inside a repeat, inside a group) -------------------------------------------

FAMILY_EXPECTED = {
    ONE: {
        "respondent": "\nTest 1",
        "size": "4",
        "hazards": "eyes back",
        "tel/tel.office": "0112 555",
        "kids/kids_details": [
            {
                "kids_name": "Ravi",
                "kids_age": "9",
                "kids_immunization": [{"immunization_info": "bcg"}, {"immunization_info": "polio"}],
            },
            {"kids_name": "Meena ", "kids_age": ""},
        ],
    },
    TWO: {"respondent": "Farida", "size": "", "hazards": "", "tel/tel.office": "", "kids/kids_details": []},
}


def _family_csv() -> bytes:
    """kobocat's CSV: repeats inside the row, indexed; `n/a` everywhere an answer is missing."""
    headers = ["respondent", "size", "hazards/eyes", "hazards/back", "hazards/needle", "tel/tel.office"]
    for kid in (1, 2):
        headers += [f"kids/kids_details[{kid}]/kids_name", f"kids/kids_details[{kid}]/kids_age"]
        headers += [f"kids/kids_details[{kid}]/kids_immunization[{n}]/immunization_info" for n in (1, 2)]
    headers += ["meta/instanceID", *KOBO_META]
    return _quoted_csv(
        headers,
        [
            [
                *("\nTest 1", "4", "True", "True", "False", "0112 555", "Ravi", "9", "bcg", "polio"),
                *("Meena ", "n/a", "n/a", "n/a", *_meta(ONE, 1)),
            ],
            ["Farida", "n/a", "n/a", "n/a", "n/a", "n/a", *(["n/a"] * 8), *_meta(TWO, 2)],
        ],
    )


def _family_tables() -> list[tuple[str, bytes]]:
    """Kobo's multi-table CSV export: one file per repeat level, linked by `_index`."""
    links = ["_index", "_parent_table_name", "_parent_index"]
    main = _quoted_csv(
        [
            *("respondent", "size", "hazards/eyes", "hazards/back", "hazards/needle", "tel/tel.office"),
            *("meta/instanceID", *KOBO_META, *links),
        ],
        [
            ["\nTest 1", "4", "1", "1", "0", "0112 555", *_meta(ONE, 1), "1", "", "-1"],
            ["Farida", "n/a", "0", "0", "0", "n/a", *_meta(TWO, 2), "2", "", "-1"],
        ],
    )
    kids = _quoted_csv(
        ["kids/kids_details/kids_name", "kids/kids_details/kids_age", "_submission__uuid", *links],
        [
            ["Ravi", "9", ONE.removeprefix("uuid:"), "1", "family", "1"],
            ["Meena ", "n/a", ONE.removeprefix("uuid:"), "2", "family", "1"],
        ],
    )
    vaccines = _quoted_csv(
        ["kids/kids_details/kids_immunization/immunization_info", *links],
        [["bcg", "1", "kids_details", "1"], ["polio", "2", "kids_details", "1"]],
    )
    return [
        ("family.csv", main),
        ("kids_details.csv", kids),
        ("kids_details_kids_immunization.csv", vaccines),
    ]


def _zipped(files: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            archive.writestr(f"family_2026_10_05/{name}", data)
    return out.getvalue()


def _workbook(files: list[tuple[str, bytes]]) -> bytes:
    """The same tables as kobocat's XLSX of a form with repeats: one sheet per table."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, data in files:
        sheet = book.create_sheet(name.removesuffix(".csv"))
        for row in csv.reader(io.StringIO(data.decode())):
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


SHAPES = {
    "indexed_csv": lambda: [("family.csv", _family_csv())],
    "tables_as_files": _family_tables,
    "tables_as_zip": lambda: [("family.zip", _zipped(_family_tables()))],
    "tables_as_xlsx": lambda: [("family.xlsx", _workbook(_family_tables()))],
}


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("indexed_csv", "tables_as_zip"),
        ("tables_as_files", "indexed_csv"),
        ("tables_as_zip", "tables_as_files"),
        ("tables_as_xlsx", "indexed_csv"),
    ],
)
def test_each_family_shape_imports_whole_and_another_shape_then_adds_nothing(
    world, login, run_jobs, first, second
):
    family = _form(world, FAMILY_MD, "family.md")
    client = login(world.admin_a)
    with run_jobs():
        job = _check(client, world.org_a, family, *SHAPES[first]())
    job.refresh_from_db()
    assert (job.status, job.valid_rows, job.error_count) == (Import.Status.VALIDATED, 2, 0), job.errors
    with run_jobs():
        client.post(f"/orgs/{world.org_a.slug}/imports/{job.pk}/commit/")
    records = _records(family)
    assert {key: _subset(records[key], want) for key, want in FAMILY_EXPECTED.items()} == FAMILY_EXPECTED

    with run_jobs():
        again = _check(client, world.org_a, family, *SHAPES[second]())
    again.refresh_from_db()
    assert (again.valid_rows, again.skipped_rows, again.error_count) == (0, 2, 0), again.errors
    assert Submission.objects.filter(form=family).count() == 2


def test_a_wrong_value_in_a_table_of_the_multi_table_export_holds_its_record_back(world, login, run_jobs):
    family = _form(world, FAMILY_MD, "family.md")
    files = _family_tables()
    files[1] = ("kids_details.csv", files[1][1].replace(b'"Ravi","9"', b'"Ravi","nine"'))
    client = login(world.admin_a)
    with run_jobs():
        job = _check(client, world.org_a, family, *files)
    job.refresh_from_db()
    assert (job.valid_rows, job.error_count) == (1, 1)
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "kids_details: kids/kids_details/kids_age")]


def test_several_files_must_each_be_a_csv(world, login):
    family = _form(world, FAMILY_MD, "family.md")
    response = _post(login(world.admin_a), world.org_a, family, ("a.csv", b"x"), ("b.xlsx", b"y"))
    assert response.status_code == 422
    assert "each is a CSV file" in response.content.decode()
    assert not Import.objects.exists()


def test_the_import_page_lists_the_shapes_with_an_example_and_takes_several_files(world, login):
    family = _form(world, FAMILY_MD, "family.md")
    page = login(world.admin_a).get(f"/orgs/{world.org_a.slug}/surveys/forms/{family.pk}/import/")
    text = page.content.decode()
    for shape in ("kobocat) XLSX", "kobocat) CSV", "multi-table CSV export", "ODK Central CSV zip"):
        assert shape in text
    assert text.count('<pre class="scroll">') == 6  # an example of each shape
    assert 'name="file" multiple' in text


def test_the_api_takes_the_tables_as_several_files(world, api, run_jobs):
    family = _form(world, FAMILY_MD, "family.md")
    client = api(world.admin_a)
    with run_jobs():
        response = client.post(
            f"/api/v1/forms/{family.pk}/imports",
            {"file": [SimpleUploadedFile(name, data) for name, data in _family_tables()]},
        )
    assert response.status_code == 201, response.content
    body = client.get(f"/api/v1/imports/{response.json()['id']}").json()
    assert (body["status"], body["valid_rows"], body["error_count"]) == ("validated", 2, 0)


def test_a_phone_s_answer_keeps_its_whitespace(world, mapping_form):
    services.set_state(mapping_form, "open", actor=world.admin_a)
    raw = base64.b64encode(f"olga:{PASSWORD}".encode()).decode()
    xml = submission_xml().replace(b"<name>Sunita Devi</name>", b"<name>\nTest 1 </name>")
    sent = Client(headers={"Authorization": f"Basic {raw}"}).post(
        "/openrosa/union-a/submission",
        {"xml_submission_file": SimpleUploadedFile("submission.xml", xml, content_type="text/xml")},
        secure=True,
    )
    assert sent.status_code == 201
    assert _records(mapping_form)[Submission.objects.get().instance_id]["name"] == "\nTest 1 "


# Zips that would not fit in memory -------------------------------------------------------------------


def _bomb(unpacked_mb: int) -> bytes:
    """A small zip holding one huge, highly compressible CSV, written in pieces."""
    out = io.BytesIO()
    line = b'"' + b"a" * 200 + b'","1","uuid:x"\n'
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("family.csv", "w", force_zip64=True) as entry,
    ):
        entry.write(b"respondent,size,meta/instanceID\n")
        chunk = line * (1024 * 1024 // len(line))
        for _part in range(unpacked_mb):
            entry.write(chunk)
    return out.getvalue()


def test_a_zip_that_unpacks_far_beyond_its_size_is_refused_before_it_is_read(world, login):
    family = _form(world, FAMILY_MD, "family.md")
    client = login(world.admin_a)
    bomb = _bomb(120)
    assert len(bomb) < 1024 * 1024  # about 250 times smaller than what it unpacks to
    _post(client, world.org_a, family, ("family.zip", _zipped([("family.csv", b"")])))  # warm up
    tracemalloc.start()
    try:
        response = _post(client, world.org_a, family, ("family.zip", bomb))
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 422
    assert "unpacks to more than 50 MB" in response.content.decode()
    assert peak < 16 * 1024 * 1024  # the 120 MB were never unpacked
    assert not Import.objects.exists()


def test_a_zip_entry_packed_beyond_any_export_ratio_is_refused(world, login):
    family = _form(world, FAMILY_MD, "family.md")
    bomb = _bomb(20)  # under the size limit, but 20 MB of one repeated line
    response = _post(login(world.admin_a), world.org_a, family, ("family.zip", bomb))
    assert response.status_code == 422
    assert "times its packed size" in response.content.decode()
    assert not Import.objects.exists()
