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
