"""The member import with real files: every encoding a spreadsheet program writes, XLSX and XLS,
bad files, bad rows, the choice between the valid rows and nothing, resuming."""

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from doorstep.core import imports
from doorstep.core.models import AuditEvent, Import, SubjectKey
from doorstep.members import search
from doorstep.members.models import DuplicateCandidate, Member

HEADER = ["Nom complet", "Téléphone", "Catégorie", "Secteur", "Village", "District", "Année de naissance"]


def _rows(n, *, bad_every=None, start=0):
    rows = []
    for i in range(start, start + n):
        phone = f"98{i:08d}"
        year = "1980"
        if bad_every and i % bad_every == 0:
            phone = "12"  # not a phone number
        rows.append(
            [f"Femme Numéro{i}", phone, "homeworker", "embroidery", f"Village {i % 7}", "Bareilly", year]
        )
    return rows


def _csv(rows, header=HEADER, encoding="utf-8", delimiter=",") -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter)
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode(encoding)


def _xlsx(rows, header=HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([int(c) if c.isdigit() and len(c) == 4 else c for c in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _upload(client, data: bytes, name="members.csv", **extra):
    return client.post(
        "/orgs/union-a/imports/new/members/", {"file": SimpleUploadedFile(name, data), **extra}
    )


def _import_id(response):
    return int(response["Location"].rstrip("/").split("/")[-1])


def _match(client, job_id, mapping=None):
    job = Import.objects.get(pk=job_id)
    mapping = mapping if mapping is not None else job.mapping
    return client.post(f"/orgs/union-a/imports/{job_id}/", {f"column-{i}": k for i, k in mapping.items()})


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"], ids=lambda e: e)
def test_it_reads_every_encoding_a_spreadsheet_program_writes(world, login, run_jobs, encoding):
    rows = _rows(3)
    rows[0][0] = "Zoë Müller-Désirée"
    client = login(world.organizer_a)
    response = _upload(client, _csv(rows, encoding=encoding, delimiter=";" if encoding == "cp1252" else ","))
    assert response.status_code == 302, response.content.decode()[:3000]
    job = Import.objects.get(pk=_import_id(response))
    assert job.mapping == {
        "0": "full_name",
        "1": "phones",
        "2": "category",
        "3": "sectors",
        "4": "locality",
        "5": "admin2",
        "6": "birth_year",
    }
    with run_jobs():
        _match(client, job.pk)
    with run_jobs():
        client.post(f"/orgs/union-a/imports/{job.pk}/commit/")
    job.refresh_from_db()
    assert (job.status, job.imported_rows) == ("done", 3)
    assert search.search(world.org_a.pk, "zoe desiree") != []


def test_an_xlsx_file_imports_and_the_file_is_destroyed(world, login, run_jobs):
    client = login(world.organizer_a)
    response = _upload(client, _xlsx(_rows(25)), name="members.xlsx")
    job = Import.objects.get(pk=_import_id(response))
    assert (job.file_kind, job.total_rows) == ("xlsx", 25)
    key_id = job.file_key_id
    page = client.get(f"/orgs/union-a/imports/{job.pk}/").content.decode()
    assert "Femme Numéro0" in page  # the preview
    assert AuditEvent.objects.filter(action="import.previewed", object_id=str(job.pk)).exists()
    with run_jobs():
        _match(client, job.pk)
    with run_jobs():
        client.post(f"/orgs/union-a/imports/{job.pk}/commit/")
    job.refresh_from_db()
    assert (job.status, job.imported_rows, job.file_blob) == ("done", 25, None)
    assert not SubjectKey.objects.filter(pk=key_id).exists()
    members = Member.objects.filter(organization=world.org_a)
    assert members.count() == 25
    assert sorted(members.values_list("number", flat=True)) == list(range(1, 26))
    assert set(members.values_list("birth_year", flat=True)) == {1980}
    assert AuditEvent.objects.filter(action="member.imported").count() == 1


def test_ten_thousand_rows_with_37_bad_ones(world, login, run_jobs):
    rows = _rows(10_000)
    for i in range(37):
        rows[i * 270 + 5][1] = "12"  # 37 bad phone numbers
    client = login(world.organizer_a)
    job_id = _import_id(_upload(client, _csv(rows)))
    with run_jobs():
        _match(client, job_id)
    job = Import.objects.get(pk=job_id)
    assert (job.status, job.valid_rows, job.error_count, len(job.error_rows)) == ("validated", 9963, 37, 37)
    first = job.errors[0]
    assert first == {
        "row": 7,
        "column": "Téléphone",
        "field": "phones",
        "message": "Phone number 1 is not a valid number for IN.",
    }
    page = client.get(f"/orgs/union-a/imports/{job_id}/").content.decode()
    assert "9963 rows are ready to import; 37 rows have problems." in page
    report = client.get(f"/orgs/union-a/imports/{job_id}/errors.csv").content.decode()
    lines = list(csv.reader(io.StringIO(report)))
    assert lines[0] == ["row", "column", "field", "message"] and len(lines) == 38
    assert "98" not in report  # no values in the report
    assert not Member.objects.exists()  # nothing written before she chooses
    with run_jobs():
        client.post(f"/orgs/union-a/imports/{job_id}/commit/")
    assert Member.objects.filter(organization=world.org_a).count() == 9963


def test_she_can_choose_to_import_nothing(world, login, run_jobs):
    client = login(world.organizer_a)
    job_id = _import_id(_upload(client, _csv(_rows(20, bad_every=4))))
    with run_jobs():
        _match(client, job_id)
    client.post(f"/orgs/union-a/imports/{job_id}/cancel/")
    job = Import.objects.get(pk=job_id)
    assert (job.status, job.file_key_id, job.file_blob) == ("cancelled", None, None)
    assert not Member.objects.exists()
    assert client.post(f"/orgs/union-a/imports/{job_id}/commit/", follow=True).status_code == 200
    assert not Member.objects.exists()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.csv", "The file is empty."),
        (b"   \n\n", "blank.csv", "The file is empty."),
        (
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x00\x00\x01\x02\x03" * 40,
            "scan.csv",
            "This is not a spreadsheet: upload a CSV, XLSX or XLS file.",
        ),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
            "photo.csv",
            "This is not a spreadsheet: upload a CSV, XLSX or XLS file.",
        ),
        (
            b"PK\x03\x04not really a zip at all",
            "broken.xlsx",
            "This file looks like a spreadsheet but cannot be opened; save it again as XLSX or CSV.",
        ),
    ],
    ids=["empty", "blank", "pdf", "png", "broken-xlsx"],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_clear_message(world, login, data, name, message):
    response = _upload(login(world.organizer_a), data, name=name)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Import.objects.exists()


def test_a_missing_header_row_is_named(world, login):
    response = _upload(login(world.organizer_a), _csv(_rows(5), header=None))
    assert response.status_code == 422
    assert (
        "No column name was recognised. The first row must hold the column names" in response.content.decode()
    )
    assert not Import.objects.exists()


def test_a_wrong_encoding_chosen_by_hand_is_named(world, login):
    response = _upload(login(world.organizer_a), _csv(_rows(2), encoding="utf-16"), encoding="utf-8")
    assert response.status_code == 422
    assert "The file cannot be read as utf-8." in response.content.decode()


def test_unknown_sector_and_future_year_are_reported_by_row_and_column(world, login, run_jobs):
    rows = _rows(3)
    rows[1][3] = "knitting"
    rows[2][6] = "2999"
    client = login(world.organizer_a)
    job_id = _import_id(_upload(client, _csv(rows)))
    with run_jobs():
        _match(client, job_id)
    errors = Import.objects.get(pk=job_id).errors
    assert [(e["row"], e["column"]) for e in errors] == [(3, "Secteur"), (4, "Année de naissance")]
    assert errors[0]["message"].startswith("Unknown value; use one of: garments, embroidery")


def test_duplicates_in_the_file_and_in_the_registry_are_errors(world, login, register, run_jobs):
    existing = register(phones=["+919800000001"])
    rows = _rows(4)
    rows[3][1] = rows[2][1]  # rows 4 and 5 of the sheet share a phone
    client = login(world.organizer_a)
    job_id = _import_id(_upload(client, _csv(rows)))
    with run_jobs():
        _match(client, job_id)
    errors = {(e["row"], e["message"]) for e in Import.objects.get(pk=job_id).errors}
    assert errors == {
        (3, f"Member #{existing.number} already has this number."),
        (5, "The same number is on row 4."),
    }


def test_the_mapping_must_name_the_required_columns(world, login):
    client = login(world.organizer_a)
    job_id = _import_id(_upload(client, _csv(_rows(2))))
    response = _match(client, job_id, {"1": "phones", "2": "category"})
    assert response.status_code == 422
    assert "Choose the column that holds: Full name." in response.content.decode()
    response = _match(client, job_id, {"0": "full_name", "1": "full_name", "2": "category"})
    assert "Two columns are matched to the same field." in response.content.decode()
    assert Import.objects.get(pk=job_id).status == "uploaded"


def test_possible_duplicates_are_flagged_after_an_import(world, login, register, run_jobs):
    register("Sunita Devi", locality="Village 1", admin2="Bareilly")
    rows = _rows(2)
    rows[0][0], rows[0][4] = "Sunita Devii", "Village 1"
    client = login(world.organizer_a)
    job_id = _import_id(_upload(client, _csv(rows)))
    with run_jobs():
        _match(client, job_id)
    with run_jobs():
        client.post(f"/orgs/union-a/imports/{job_id}/commit/")
    candidate = DuplicateCandidate.objects.get()
    assert candidate.score >= 85


def test_an_interrupted_import_resumes_without_writing_a_row_twice(world, login, run_jobs, monkeypatch):
    client = login(world.organizer_a)
    job_id = _import_id(_upload(client, _csv(_rows(2500))))
    with run_jobs():
        _match(client, job_id)
    target = imports.target("members")
    original = target.write_batch
    calls = {"n": 0}

    def crash_on_third_batch(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise imports.ValidationError(message="the disk was full")
        return original(*args, **kwargs)

    monkeypatch.setattr(target, "batch_size", 1000)
    monkeypatch.setattr(target, "write_batch", crash_on_third_batch)
    with run_jobs():
        client.post(f"/orgs/union-a/imports/{job_id}/commit/")
    job = Import.objects.get(pk=job_id)
    assert (job.status, job.imported_rows, job.next_row) == ("failed", 2000, 2002)
    assert Member.objects.count() == 2000
    monkeypatch.setattr(target, "write_batch", original)
    with run_jobs():
        client.post(f"/orgs/union-a/imports/{job_id}/resume/")
    job.refresh_from_db()
    assert (job.status, job.imported_rows) == ("done", 2500)
    assert Member.objects.count() == 2500
    assert Member.objects.values("number").distinct().count() == 2500


WORKER_SCRIPT = """
from django.db import transaction
from doorstep.core import imports
from doorstep.core.models import Import
from doorstep.organizations import services as orgs
from doorstep.organizations.models import User
admin = User.objects.create_superuser("root", password="not-used-0")
org = orgs.create_organization(name="Org", slug="org", kind="union", country="IN", actor=admin)
orgs.add_person(org, username="boss", role="org_admin", actor=admin)
boss = User.objects.get(username="boss")
job = imports.start(org, target_name="members", filename="m.csv", actor=boss,
                    data=b"Full name,Phone,Category\\nSunita Devi,9812345678,homeworker\\n")
with transaction.atomic():
    imports.choose_mapping(job, job.mapping, actor=boss)
print("queued", Import.objects.get(pk=job.pk).status)
"""


def test_the_database_worker_runs_the_jobs(tmp_path):
    """The real background path, as in production: jobs queued in the database by one process and
    run by `python -m doorstep db_worker` in another."""
    root = Path(__file__).resolve().parents[3]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"

    def run(*args):
        result = subprocess.run(
            [sys.executable, "-m", "doorstep", *args],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    run("migrate", "--noinput")
    assert "queued validating" in run("shell", "-c", WORKER_SCRIPT)
    run("db_worker", "--batch", "--no-startup-delay")
    check = "from doorstep.core.models import Import; j = Import.objects.get(); print(j.status, j.valid_rows)"
    assert run("shell", "-c", check).strip().splitlines()[-1] == "validated 1"


def test_the_api_does_the_same(world, api, run_jobs):
    client = api(world.organizer_a)
    upload = client.post(
        "/api/v1/imports",
        {
            "organization_id": world.org_a.pk,
            "target": "members",
            "file": SimpleUploadedFile("m.csv", _csv(_rows(5, bad_every=2))),
        },
    )
    assert upload.status_code == 201
    body = upload.json()
    assert body["mapping"]["0"] == "full_name" and body["total_rows"] == 5
    with run_jobs():
        checked = client.post(
            f"/api/v1/imports/{body['id']}/mapping",
            {"mapping": body["mapping"]},
            content_type="application/json",
        )
    assert checked.status_code == 202
    state = client.get(f"/api/v1/imports/{body['id']}").json()
    assert (state["status"], state["valid_rows"], state["error_count"]) == ("validated", 2, 3)
    assert [e["row"] for e in client.get(f"/api/v1/imports/{body['id']}/errors").json()] == [2, 4, 6]
    with run_jobs():
        assert client.post(f"/api/v1/imports/{body['id']}/commit").status_code == 202
    assert client.get(f"/api/v1/imports/{body['id']}").json()["imported_rows"] == 2
    bad = client.post(
        "/api/v1/imports",
        {"organization_id": world.org_a.pk, "target": "members", "file": SimpleUploadedFile("x.csv", b"")},
    )
    assert bad.status_code == 422 and bad.json()["errors"] == [
        {"field": "file", "message": "The file is empty."}
    ]
