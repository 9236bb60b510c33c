"""Uploads are counted as they arrive: a file over DOORSTEP_UPLOAD_MAX_BYTES is refused before the
rest of it is read, and nothing is stored; a large file within it streams to a temporary file."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from doorstep.core import uploads
from doorstep.core.models import Import


def _upload(client, organization, data: bytes):
    upload = io.BytesIO(data)
    upload.name = "members.csv"
    return client.post(
        "/api/v1/imports", {"organization_id": organization.pk, "target": "members", "file": upload}
    )


def test_rejects_a_file_over_the_limit_without_storing_it(world, api, settings):
    settings.UPLOAD_MAX_BYTES = 64 * 1024
    response = _upload(api(world.admin_a), world.org_a, b"full_name,phone\n" + b"Sunita,0712345678\n" * 8000)
    assert response.status_code in (400, 413)  # 413 where request-body limits answer so
    assert not Import.objects.exists()


def test_rejects_a_file_over_the_limit_on_the_page_too(world, login, settings):
    settings.UPLOAD_MAX_BYTES = 64 * 1024
    upload = io.BytesIO(b"full_name,phone\n" + b"Sunita,0712345678\n" * 8000)
    upload.name = "members.csv"
    response = login(world.organizer_a).post("/orgs/union-a/imports/new/members/", {"file": upload})
    assert response.status_code in (400, 413)
    assert not Import.objects.exists()


def test_it_stops_reading_at_the_limit():
    handler = uploads.SizeLimitHandler()
    handler.limit = 1000
    handler.handle_raw_input(None, {}, 0, b"boundary")  # a chunked body: no length announced
    assert handler.receive_data_chunk(b"x" * 600, 0) == b"x" * 600
    with pytest.raises(uploads.UploadTooLarge):
        handler.receive_data_chunk(b"x" * 600, 600)


def test_a_body_announcing_more_than_the_limit_is_refused_before_it_is_read():
    handler = uploads.SizeLimitHandler()
    handler.limit = 1000
    with pytest.raises(uploads.UploadTooLarge):
        handler.handle_raw_input(None, {}, 1000 + 1024 * 1024, b"boundary")


def test_a_file_within_the_limit_is_imported(world, api, settings):
    settings.UPLOAD_MAX_BYTES = 256 * 1024
    response = _upload(api(world.admin_a), world.org_a, b"full_name,phone\n" + b"Sunita,0712345678\n" * 4000)
    assert response.status_code == 201
    assert Import.objects.get().total_rows == 4000


def test_a_large_upload_streams_to_a_temporary_file(rf, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 32 * 1024
    request = rf.post("/", {"file": SimpleUploadedFile("m.csv", b"x" * 100_000)})
    assert isinstance(request.FILES["file"], TemporaryUploadedFile)
    assert request.FILES["file"].size == 100_000
