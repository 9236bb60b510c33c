"""Exports: CSV and XLSX, values and labels, select_multiple split, repeats joined back by keys."""

import csv
import io
import zipfile

import openpyxl
import pytest

from doorstep.core.models import AuditEvent
from doorstep.surveys import services

from .conftest import submission_xml

MULTI_MD = """
| survey |
| | type | name | label |
| | select_multiple hazard | hazards | Hazards |
| | integer | hours | Hours |
| choices |
| | list_name | name | label |
| | hazard | eyes | Eye strain |
| | hazard | back | Back pain |
| settings |
| | form_id | version | name |
| | hazards_form | 1 | h |
"""


def _receive(world, xml):
    return services.receive(world.org_a, xml=xml, files={}, user=world.admin_a)


def test_csv_without_repeats_streams_one_file(world, login):
    form = services.upload_form(
        world.org_a, filename="h.md", data=MULTI_MD.encode(), actor=world.admin_a
    ).form
    services.set_state(form, "open", actor=world.admin_a)
    for i, hazards in enumerate(["eyes back", "back", ""]):
        _receive(
            world,
            f'<h id="hazards_form" version="1"><hazards>{hazards}</hazards><hours>{i + 6}</hours>'
            f"<meta><instanceID>uuid:h{i}</instanceID></meta></h>".encode(),
        )
    client = login(world.organizer_a)
    response = client.get(f"/orgs/union-a/surveys/forms/{form.pk}/export/", {"format": "csv"})
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert table[0] == [
        "hazards",
        "hours",
        "meta/instanceID",
        "_instance_id",
        "_received_at",
        "_version",
        "_member_number",
    ]
    assert [row[:4] for row in table[1:]] == [
        ["eyes back", "6", "uuid:h0", "uuid:h0"],
        ["back", "7", "uuid:h1", "uuid:h1"],
        ["", "8", "uuid:h2", "uuid:h2"],
    ]
    split = client.get(
        f"/orgs/union-a/surveys/forms/{form.pk}/export/", {"format": "csv", "split": "1", "labels": "1"}
    )
    table = list(csv.reader(io.StringIO(b"".join(split.streaming_content).decode("utf-8-sig"))))
    assert table[0][:3] == ["Hazards/Eye strain", "Hazards/Back pain", "Hours"]
    assert [row[:2] for row in table[1:]] == [["1", "1"], ["0", "1"], ["0", "0"]]
    event = AuditEvent.objects.filter(action="submission.exported").last()
    assert event.metadata == {"format": "csv", "labels": True, "count": 3}


@pytest.fixture
def answered(world, mapping_form):
    services.set_state(mapping_form, "open", actor=world.admin_a)
    _receive(world, submission_xml("uuid:r1", giver_count=2))
    _receive(world, submission_xml("uuid:r2", giver_count=1))
    return mapping_form


def test_repeats_go_to_their_own_csv_in_a_zip(world, login, answered):
    response = login(world.organizer_a).get(
        f"/orgs/union-a/surveys/forms/{answered.pk}/export/", {"format": "csv"}
    )
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == ["homeworker_mapping-giver.csv", "homeworker_mapping.csv"]
    main = list(csv.reader(io.StringIO(archive.read("homeworker_mapping.csv").decode("utf-8-sig"))))
    assert main[0][:5] == ["member_no", "name", "work/sector", "work/rate", "photo"]
    assert [row[1] for row in main[1:]] == ["Sunita Devi", "Sunita Devi"]
    givers = list(csv.reader(io.StringIO(archive.read("homeworker_mapping-giver.csv").decode("utf-8-sig"))))
    assert givers[0] == ["giver_name", "months", "_parent_instance_id", "_index", "_parent_index"]
    assert givers[1:] == [
        ["Agent 0", "3", "uuid:r1", "1", "1"],
        ["Agent 1", "4", "uuid:r1", "2", "1"],
        ["Agent 0", "3", "uuid:r2", "3", "2"],
    ]


def test_xlsx_with_labels(world, api, answered):
    response = api(world.organizer_a).get(
        f"/api/v1/forms/{answered.pk}/export", {"format": "xlsx", "labels": "true"}
    )
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["homeworker_mapping", "giver"]
    rows = list(workbook["homeworker_mapping"].values)
    assert rows[0][:4] == ("Member number", "Name", "Sector", "Piece rate")
    assert rows[1][2] == "Embroidery"  # the choice's label
    assert len(list(workbook["giver"].values)) == 4
    assert (
        api(world.organizer_a).get(f"/api/v1/forms/{answered.pk}/export", {"format": "pdf"}).status_code
        == 422
    )


def test_the_command_line_export(world, answered, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.http import Http404

    target = tmp_path / "out.xlsx"
    call_command(
        "export_submissions", str(answered.pk), "--as", "alice", "--format", "xlsx", "-o", str(target)
    )
    assert openpyxl.load_workbook(target).sheetnames == ["homeworker_mapping", "giver"]
    with pytest.raises(Http404):  # another organization's admin: not found
        call_command("export_submissions", str(answered.pk), "--as", "bob", "-o", str(target))
    with pytest.raises(CommandError):
        call_command("export_submissions", str(answered.pk), "--as", "nobody", "-o", str(target))


def _job_id(response) -> int:
    assert response.status_code == 302, response.content[:500]
    return int(response["Location"].rstrip("/").rsplit("/", 1)[-1])


def test_an_export_job_shows_progress_then_a_sealed_file_to_download(
    world, login, run_jobs, answered, settings
):
    from doorstep.surveys.models import Export

    client = login(world.organizer_a)
    with run_jobs():
        response = client.post(f"/orgs/union-a/surveys/forms/{answered.pk}/exports/", {"format": "csv"})
    job = Export.objects.get(pk=_job_id(response))
    assert (job.status, job.total, job.processed) == ("done", 2, 2)
    page = client.get(f"/orgs/union-a/surveys/exports/{job.pk}/").content.decode()
    assert "Ready to download" in page and f"/exports/{job.pk}/download/" in page

    stored = (settings.EXPORT_ROOT / job.path).read_bytes()
    assert b"Sunita" not in stored and b"Agent 0" not in stored  # sealed on disk
    download = client.get(f"/orgs/union-a/surveys/exports/{job.pk}/download/")
    assert download["Content-Type"] == "application/zip" and download["Cache-Control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    direct = client.get(f"/orgs/union-a/surveys/forms/{answered.pk}/export/", {"format": "csv"})
    same = zipfile.ZipFile(io.BytesIO(b"".join(direct.streaming_content)))
    assert {n: archive.read(n) for n in archive.namelist()} == {n: same.read(n) for n in same.namelist()}
    assert AuditEvent.objects.filter(action="submission.export_downloaded", object_id=str(job.pk)).exists()

    # Deleting it destroys the key and the file; the link is gone.
    client.post(f"/orgs/union-a/surveys/exports/{job.pk}/", {"action": "delete"})
    job.refresh_from_db()
    assert (job.status, job.file_key_id) == ("expired", None)
    assert not (settings.EXPORT_ROOT / job.path).exists()
    assert client.get(f"/orgs/union-a/surveys/exports/{job.pk}/download/").status_code == 404


def test_an_xlsx_export_job_opens_in_openpyxl_and_calamine(world, login, run_jobs, answered):
    from python_calamine import CalamineWorkbook

    from doorstep.surveys.models import Export

    client = login(world.organizer_a)
    with run_jobs():
        response = client.post(
            f"/orgs/union-a/surveys/forms/{answered.pk}/exports/", {"format": "xlsx", "labels": "1"}
        )
    job = Export.objects.get(pk=_job_id(response))
    data = b"".join(client.get(f"/orgs/union-a/surveys/exports/{job.pk}/download/").streaming_content)
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert workbook.sheetnames == ["homeworker_mapping", "giver"]
    rows = list(workbook["homeworker_mapping"].values)
    assert rows[0][:4] == ("Member number", "Name", "Sector", "Piece rate")
    assert rows[1][1:3] == ("Sunita Devi", "Embroidery")
    calamine = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert calamine.get_sheet_by_name("giver").to_python()[1][:2] == ["Agent 0", "3"]


def test_old_exports_are_pruned_and_the_api_runs_the_same_jobs(world, api, run_jobs, answered, settings):
    from datetime import timedelta

    from django.utils import timezone

    from doorstep.surveys.models import Export

    client = api(world.organizer_a)
    with run_jobs():
        response = client.post(
            f"/api/v1/forms/{answered.pk}/exports", {"format": "xlsx"}, content_type="application/json"
        )
    assert response.status_code == 202
    first = response.json()["id"]
    body = client.get(f"/api/v1/exports/{first}").json()
    assert (body["status"], body["processed"], body["filename"].endswith(".xlsx")) == ("done", 2, True)
    assert client.get(f"/api/v1/exports/{first}/download").status_code == 200
    bad = client.post(
        f"/api/v1/forms/{answered.pk}/exports", {"format": "pdf"}, content_type="application/json"
    )
    assert bad.status_code == 422

    Export.objects.filter(pk=first).update(expires_at=timezone.now() - timedelta(minutes=1))
    with run_jobs():
        client.post(
            f"/api/v1/forms/{answered.pk}/exports", {"format": "csv"}, content_type="application/json"
        )
    assert Export.objects.get(pk=first).status == "expired"
    assert client.get(f"/api/v1/exports/{first}/download").status_code == 404
    assert api(world.admin_b).get(f"/api/v1/exports/{first}").status_code == 404
    assert client.delete(f"/api/v1/exports/{first}").status_code == 204


HOSTILE = '=HYPERLINK("https://evil.example","Pay")'


@pytest.fixture
def hostile(world, mapping_form):
    services.set_state(mapping_form, "open", actor=world.admin_a)
    xml = submission_xml("uuid:h1", giver_count=1).replace(
        b"<name>Sunita Devi</name>", f"<name>{HOSTILE.replace('&', '&amp;')}</name>".encode()
    )
    _receive(world, xml.replace(b"<giver_name>Agent 0</giver_name>", b"<giver_name>@SUM(1)</giver_name>"))
    return mapping_form


def test_a_csv_export_neutralizes_formulas_in_every_file(world, login, hostile):
    response = login(world.organizer_a).get(
        f"/orgs/union-a/surveys/forms/{hostile.pk}/export/", {"format": "csv"}
    )
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    main = list(csv.reader(io.StringIO(archive.read("homeworker_mapping.csv").decode("utf-8-sig"))))
    assert main[1][1] == "'" + HOSTILE and main[1][3] == "2.5"  # a number stays a number
    givers = list(csv.reader(io.StringIO(archive.read("homeworker_mapping-giver.csv").decode("utf-8-sig"))))
    assert givers[1][0] == "'@SUM(1)"


def test_a_streamed_csv_export_neutralizes_formulas(world, login):
    form = services.upload_form(
        world.org_a,
        filename="h.md",
        data=MULTI_MD.replace("hazards_form", "hostile_form").encode(),
        actor=world.admin_a,
    ).form
    services.set_state(form, "open", actor=world.admin_a)
    _receive(
        world,
        b'<h id="hostile_form" version="1"><hazards>eyes</hazards><hours>-3</hours>'
        b"<meta><instanceID>=cmd|x</instanceID></meta></h>",
    )
    client = login(world.organizer_a)
    response = client.get(f"/orgs/union-a/surveys/forms/{form.pk}/export/", {"format": "csv"})
    table = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert table[1][:3] == ["eyes", "-3", "'=cmd|x"]


def test_an_xlsx_export_neutralizes_formulas(world, api, hostile):
    response = api(world.organizer_a).get(f"/api/v1/forms/{hostile.pk}/export", {"format": "xlsx"})
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert list(workbook["homeworker_mapping"].values)[1][1] == "'" + HOSTILE
    assert list(workbook["giver"].values)[1][0] == "'@SUM(1)"
