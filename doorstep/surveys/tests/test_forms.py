"""XLSForm upload: every real form in the corpus converts, every bad one is refused with pyxform's
words (naming sheet and row where it can), nothing half-saved; versions; media; states."""

import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from doorstep.surveys.models import Form, FormVersion, MediaFile

from .conftest import BAD, GOOD, MAPPING_MD


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_every_good_form_converts(world, login, path):
    client = login(world.organizer_a)
    response = client.post(
        "/orgs/union-a/surveys/", {"file": SimpleUploadedFile(path.name, path.read_bytes())}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    version = FormVersion.objects.get()
    assert version.xml.startswith("<?xml") and len(version.md5) == 32 and version.source_name == path.name
    assert client.get(response.url).status_code == 200


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("calculate_without_calculation.xls", "[row : 34] Missing calculation."),
        ("duplicate_columns.xlsx", "Duplicate column header: label"),
        ("unknown_question_type.xls", "Invalid headers provided for sheet: 'survey'"),
    ],
)
def test_every_bad_form_is_refused_with_pyxforms_words(world, login, api, name, words):
    path = next(p for p in BAD if p.name == name)
    response = login(world.organizer_a).post(
        "/orgs/union-a/surveys/", {"file": SimpleUploadedFile(name, path.read_bytes())}
    )
    assert response.status_code == 422 and words in html.unescape(response.content.decode())
    body = api(world.organizer_a).post(
        "/api/v1/forms",
        {"organization_id": world.org_a.pk, "file": SimpleUploadedFile(name, path.read_bytes())},
    )
    assert body.status_code == 422 and body.json()["code"] == "xlsform"
    assert any(words in e["message"] for e in body.json()["errors"])
    assert not Form.objects.exists() and not FormVersion.objects.exists()


def test_all_bad_files_are_in_the_test_above():
    assert {p.name for p in BAD} == {
        "calculate_without_calculation.xls",
        "duplicate_columns.xlsx",
        "unknown_question_type.xls",
    }


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("notes.txt", b"hello", "Upload an XLSForm"),
        ("form.xlsx", b"this is not a spreadsheet", "was not recognized as a supported type"),
        ("form.xlsx", b"", "The file is empty."),
    ],
)
def test_not_an_xlsform(world, login, name, data, words):
    response = login(world.organizer_a).post(
        "/orgs/union-a/surveys/", {"file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 422 and words in html.unescape(response.content.decode())
    assert not Form.objects.exists()


def test_versions_media_and_state(world, login, mapping_form):
    client = login(world.organizer_a)
    again = client.post(
        "/orgs/union-a/surveys/", {"file": SimpleUploadedFile("mapping.md", MAPPING_MD.encode())}
    )
    assert again.status_code == 422 and "already has version “2026-11-1”" in html.unescape(
        again.content.decode()
    )
    newer = MAPPING_MD.replace("2026-11-1", "2026-11-2")
    assert (
        client.post(
            "/orgs/union-a/surveys/", {"file": SimpleUploadedFile("mapping.md", newer.encode())}
        ).status_code
        == 302
    )
    assert list(mapping_form.versions.values_list("version", flat=True)) == ["2026-11-2", "2026-11-1"]
    page = f"/orgs/union-a/surveys/forms/{mapping_form.pk}/"
    attached = client.post(
        page, {"action": "media", "file": SimpleUploadedFile("label.png", b"\x89PNG fake")}
    )
    assert attached.status_code == 302 and MediaFile.objects.get().version.version == "2026-11-2"
    refused = client.post(page, {"action": "media", "file": SimpleUploadedFile("run.exe", b"MZ")})
    assert refused.status_code == 422
    assert client.post(page, {"action": "state", "state": "open"}).status_code == 302
    mapping_form.refresh_from_db()
    assert mapping_form.state == "open"
    assert client.post(page, {"action": "member_field", "member_field": "member_no"}).status_code == 302
    assert client.post(page, {"action": "member_field", "member_field": "nope"}).status_code == 422


def test_rejects_an_unknown_state_naming_the_field_and_the_states(world, api, mapping_form):
    response = api(world.admin_a).patch(
        f"/api/v1/forms/{mapping_form.pk}", {"state": "archived"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "body.payload.state", "message": "Input should be 'draft', 'open' or 'closed'"}
    ]
    mapping_form.refresh_from_db()
    assert mapping_form.state == "draft"


def test_rejects_an_xlsform_whose_sheet_reaches_the_last_cell(world, api):
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    survey.append(["type", "name", "label"])
    survey.append(["text", "name", "Name"])
    survey["XFD1048576"] = "x"  # pyxform would walk sixteen billion empty cells
    data = io.BytesIO()
    workbook.save(data)
    body = api(world.organizer_a).post(
        "/api/v1/forms",
        {"organization_id": world.org_a.pk, "file": SimpleUploadedFile("form.xlsx", data.getvalue())},
    )
    assert body.status_code == 422 and body.json()["code"] == "too_big"
    assert not Form.objects.exists()
