"""Imports of KoboToolbox and ODK Central exports, through the pages and the API.

The export files in data/exports/ follow the layouts in FORMATS.md (Kobo XLSX with values and with
labels, an old Kobo CSV with repeats inside the row, an ODK Central CSV zip) for one form with a
group, a geopoint, a select_multiple and a repeat inside a repeat; each holds the same 3 submissions.
"""

import csv
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from doorstep.core import analytics
from doorstep.core.models import AuditEvent, Import
from doorstep.surveys import services, xforms
from doorstep.surveys.models import Submission

EXPORTS = Path(__file__).parent / "data" / "exports"
FIRST = "uuid:2f1c7a52-1d1e-4d57-9c3b-0a1b2c3d4e01"

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(world):
    version = services.upload_form(
        world.org_a,
        filename="household.md",
        data=(EXPORTS / "household.md").read_bytes(),
        actor=world.admin_a,
    )
    return version.form


def _upload(client, org, form, name: str, data: bytes | None = None, **extra):
    data = (EXPORTS / name).read_bytes() if data is None else data
    return client.post(
        f"/orgs/{org.slug}/surveys/forms/{form.pk}/import/",
        {"file": SimpleUploadedFile(name, data), "version": form.latest.pk, **extra},
    )


def _import(client, org, form, name, data=None) -> Import:
    response = _upload(client, org, form, name, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    job = Import.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[-1]))
    return job


def _records(form) -> dict[str, dict]:
    submissions = Submission.objects.filter(form=form).select_related("subject_key")
    return {
        s.instance_id: services.reveal([s], actor=form.created_by, reason="test")[s.pk] for s in submissions
    }


EXPECTED_FIRST = {
    "start": "2026-10-02T09:15:00.000+05:30",
    "visit_date": "2026-10-02",
    "household/member_no": "1",
    "household/respondent": "Sunita Devi",
    "household/size": "5",
    "household/location": "28.6692 77.4538 210.0 4.5",
    "sector": "embroidery",
    "hazards": "eyes back",
    "members": [
        {
            "member_name": "Ravi",
            "age": "14",
            "jobs": [{"product": "zari border", "rate": "2.5"}, {"product": "sequins", "rate": "1.25"}],
        },
        {"member_name": "Meena", "age": "40"},
    ],
    "meta/instanceID": FIRST,
}


def _same(record: dict, expected: dict) -> None:
    for key, value in expected.items():
        if isinstance(value, list):
            assert len(record[key]) == len(value), key
            for got, want in zip(record[key], value, strict=True):
                _same(got, want)
        else:
            assert record[key] == value, key


@pytest.mark.parametrize(
    ("name", "layout"),
    [
        ("kobo_values.xlsx", "kobo"),
        ("kobo_labels.xlsx", "kobo"),
        ("kobo_legacy.csv", "kobo"),
        ("odk_central.zip", "odk"),
    ],
)
def test_an_export_imports_once_however_often_it_is_uploaded(
    world, login, run_jobs, register, household, name, layout
):
    sunita = register(full_name="Sunita Devi", organization=world.org_a)
    services.set_member_field(household, "household/member_no", actor=world.admin_a)
    client = login(world.admin_a)
    with run_jobs():
        job = _import(client, world.org_a, household, name)
    job.refresh_from_db()
    assert job.status == Import.Status.VALIDATED, job.message
    assert (job.options["layout"], job.valid_rows, job.error_count) == (layout, 3, 0), job.errors
    page = client.get(f"/orgs/{world.org_a.slug}/imports/{job.pk}/")
    assert "3 rows are ready to import" in page.content.decode()
    with run_jobs():
        client.post(f"/orgs/{world.org_a.slug}/imports/{job.pk}/commit/")
    job.refresh_from_db()
    assert (job.status, job.imported_rows) == (Import.Status.DONE, 3)

    records = _records(household)
    assert len(records) == 3
    _same(records[FIRST], EXPECTED_FIRST)
    assert "members" not in records["uuid:2f1c7a52-1d1e-4d57-9c3b-0a1b2c3d4e03"] or not records[
        "uuid:2f1c7a52-1d1e-4d57-9c3b-0a1b2c3d4e03"
    ].get("members")
    first = Submission.objects.get(instance_id=FIRST)
    assert first.source == ("odk_central" if layout == "odk" else "kobo")
    assert first.received_at.isoformat().startswith("2026-10-02T04:02:11")
    assert first.member == sunita and sunita.number == 1  # linked by the member-number question
    assert first.submitted_by == world.admin_a
    # The XML kept is the instance a phone would have sent: it parses back to the same record.
    from doorstep.core import vault

    xml = vault.open_sealed_bytes(first.subject_key, bytes(first.sealed_xml), purpose=services.XML_PURPOSE)
    assert xforms.to_record(xforms.parse_submission(xml).root, first.version.structure) == records[FIRST]

    # The same file again: every row is skipped, nothing can be imported, nothing is added.
    with run_jobs():
        again = _import(client, world.org_a, household, name)
    again.refresh_from_db()
    assert (again.valid_rows, again.skipped_rows, again.error_count) == (0, 3, 0)
    assert (
        "already in Doorstep" in client.get(f"/orgs/{world.org_a.slug}/imports/{again.pk}/").content.decode()
    )
    response = client.post(f"/orgs/{world.org_a.slug}/imports/{again.pk}/commit/", follow=True)
    assert "nothing to import" in response.content.decode()
    assert Submission.objects.filter(form=household).count() == 3


def test_kobo_then_odk_exports_of_the_same_data_make_each_submission_once(world, login, run_jobs, household):
    client = login(world.admin_a)
    for name in ("kobo_values.xlsx", "odk_central.zip"):
        with run_jobs():
            job = _import(client, world.org_a, household, name)
        job.refresh_from_db()
        if job.valid_rows:
            with run_jobs():
                client.post(f"/orgs/{world.org_a.slug}/imports/{job.pk}/commit/")
    assert Submission.objects.filter(form=household).count() == 3
    job.refresh_from_db()
    assert job.skipped_rows == 3


def _kobo_csv(rows: list[list[str]]) -> bytes:
    headers = [
        "visit_date",
        "household/respondent",
        "household/size",
        "household/location",
        "sector",
        "hazards",
        "_notes",
        "$new_meta",
        "colour_of_door",
        "_uuid",
        "_submission_time",
    ]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode()


def test_bad_values_are_reported_by_row_and_column_and_only_good_rows_import(
    world, login, run_jobs, household
):
    data = _kobo_csv(
        [
            ["2026-10-01", "Good", "4", "28.6 77.4 0 5", "beadwork", "needle", "", "", "red", "a-1", ""],
            ["yesterday", "Bad date", "4", "", "beadwork", "", "", "", "", "a-2", ""],
            ["2026-10-01", "Bad size", "four", "", "beadwork", "", "", "", "", "a-3", ""],
            ["2026-10-01", "Bad choice", "2", "", "knitting", "eyes", "", "", "", "a-4", ""],
            ["2026-10-01", "Bad place", "2", "91 200", "beadwork", "", "", "", "", "a-5", ""],
            ["2026-10-01", "No id", "2", "", "beadwork", "", "", "", "", "", ""],
            ["2026-10-01", "Twice", "2", "", "beadwork", "", "", "", "", "a-1", ""],
            ["2026-10-01", "Bad hazard", "2", "", "beadwork", "eyes knees", "", "", "", "a-8", ""],
        ]
    )
    client = login(world.admin_a)
    with run_jobs():
        job = _import(client, world.org_a, household, "kobo.csv", data)
    job.refresh_from_db()
    assert (job.valid_rows, job.error_count) == (1, 7)
    where = {(e["row"], e["column"]) for e in job.errors}
    assert where == {
        (3, "visit_date"),
        (4, "household/size"),
        (5, "sector"),
        (6, "household/location"),
        (7, "_uuid"),
        (8, "_uuid"),
        (9, "hazards"),
    }
    assert job.options["ignored"] == ["colour_of_door"]  # unknown _ and $ columns are metadata, not noise
    page = client.get(f"/orgs/{world.org_a.slug}/imports/{job.pk}/").content.decode()
    assert "Not a whole number." in page and "colour_of_door" in page
    report = client.get(f"/orgs/{world.org_a.slug}/imports/{job.pk}/errors.csv").content.decode()
    assert "row,column,field,message" in report and "Bad size" not in report  # no values in the report
    with run_jobs():
        client.post(f"/orgs/{world.org_a.slug}/imports/{job.pk}/commit/")
    assert list(Submission.objects.filter(form=household).values_list("instance_id", flat=True)) == [
        "uuid:a-1"
    ]


def _odk_zip(main: str, members: str, jobs: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("household_survey.csv", main)
        archive.writestr("household_survey-members.csv", members)
        if jobs is not None:
            archive.writestr("household_survey-jobs.csv", jobs)
    return out.getvalue()


def test_repeat_rows_are_checked_and_orphans_reported_with_their_sheet(world, login, run_jobs, household):
    main = "SubmissionDate,household-respondent,KEY,Status\n2026-10-01T10:00:00Z,Asha,uuid:k1,\n"
    members = (
        "member_name,age,PARENT_KEY,KEY\n"
        "Ravi,ten,uuid:k1,uuid:k1/members[1]\n"
        "Lost,3,uuid:nobody,uuid:nobody/members[1]\n"
    )
    client = login(world.admin_a)
    with run_jobs():
        job = _import(client, world.org_a, household, "central.zip", _odk_zip(main, members))
    job.refresh_from_db()
    assert job.valid_rows == 0
    by_sheet = {(e.get("sheet", ""), e["row"], e["column"]) for e in job.errors}
    assert ("", 2, "household_survey-members: age") in by_sheet  # the record is held back…
    assert ("household_survey-members", 3, "PARENT_KEY") in by_sheet  # …and the orphan is named
    assert job.error_rows == [2]
    report = client.get(f"/orgs/{world.org_a.slug}/imports/{job.pk}/errors.csv").content.decode()
    assert report.startswith("sheet,row,column,field,message")
    page = client.get(f"/orgs/{world.org_a.slug}/imports/{job.pk}/").content.decode()
    assert "Row 2 of sheet household_survey-members: Not a whole number." in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"name;age\nAsha;3\n", "not a KoboToolbox or ODK Central export"),
        (b"colour;_uuid\nred;x\n", "No column of this file is a question of the form"),
        (b"PK\x03\x04garbage", "damaged"),
        (b"\x00\x01\x02\x03" * 100, "not a spreadsheet"),
    ],
)
def test_a_file_that_is_no_export_of_the_form_is_refused_with_a_reason(
    world, login, household, data, message
):
    response = _upload(login(world.admin_a), world.org_a, household, "export.csv", data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Import.objects.exists()


def test_a_zip_without_csv_is_refused(world, login, household):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    response = _upload(login(world.admin_a), world.org_a, household, "x.zip", out.getvalue())
    assert response.status_code == 422 and "holds no CSV file" in response.content.decode()


def test_the_api_imports_an_export_and_the_generic_upload_sends_it_to_the_form(
    world, api, run_jobs, household
):
    client = api(world.admin_a)
    with run_jobs():
        response = client.post(
            f"/api/v1/forms/{household.pk}/imports",
            {"file": SimpleUploadedFile("odk.zip", (EXPORTS / "odk_central.zip").read_bytes())},
        )
    assert response.status_code == 201, response.content
    job_id = response.json()["id"]
    body = client.get(f"/api/v1/imports/{job_id}").json()
    assert (body["status"], body["valid_rows"], body["options"]["layout"]) == ("validated", 3, "odk")
    with run_jobs():
        assert client.post(f"/api/v1/imports/{job_id}/commit").status_code == 202
    assert Submission.objects.filter(form=household).count() == 3
    assert AuditEvent.objects.filter(action="submission.imported", organization_id=world.org_a.pk).exists()

    generic = client.post(
        "/api/v1/imports",
        {
            "organization_id": world.org_a.pk,
            "target": "submissions",
            "file": SimpleUploadedFile("odk.zip", b"x"),
        },
    )
    assert generic.status_code == 422 and generic.json()["code"] == "wrong_target"
    # Another organization's admin cannot import into this form.
    other = api(world.admin_b).post(
        f"/api/v1/forms/{household.pk}/imports", {"file": SimpleUploadedFile("odk.zip", b"x")}
    )
    assert other.status_code == 404


def test_the_import_page_lists_versions_and_earlier_imports(world, login, run_jobs, household):
    client = login(world.admin_a)
    with run_jobs():
        _import(client, world.org_a, household, "kobo_values.xlsx")
    page = client.get(f"/orgs/{world.org_a.slug}/surveys/forms/{household.pk}/import/").content.decode()
    assert "kobo_values.xlsx" in page and "<option value" in page
    form_page = client.get(f"/orgs/{world.org_a.slug}/surveys/forms/{household.pk}/").content.decode()
    assert f"/surveys/forms/{household.pk}/import/" in form_page
    assert client.get(f"/orgs/{world.org_a.slug}/imports/new/submissions/").status_code == 404


def test_the_summary_maps_geopoints_inside_the_organization(world, login, run_jobs, household):
    client = login(world.admin_a)
    with run_jobs():
        job = _import(client, world.org_a, household, "odk_central.zip")
    with run_jobs():
        client.post(f"/orgs/{world.org_a.slug}/imports/{job.pk}/commit/")
    url = f"/orgs/{world.org_a.slug}/surveys/forms/{household.pk}/summary/"
    analytics.refresh()
    page = client.get(url).content.decode()
    assert page.count("<circle ") == 2  # two of the three submissions have a place
    assert "Latitude 28.6682 to 28.6711, longitude 77.4502 to 77.4548." in page  # padded
    points = client.get(url, {"format": "geojson"}).json()
    assert sorted(f["geometry"]["coordinates"] for f in points["features"]) == [
        [77.4512, 28.6701],
        [77.4538, 28.6692],
    ]
    assert {f["properties"]["question"] for f in points["features"]} == {"household/location"}
    assert login(world.admin_b).get(url.replace(world.org_a.slug, world.org_b.slug)).status_code == 404
