"""Files are parsed in a child process with a memory ceiling: a file that needs more than
``IMPORT_PARSE_MEMORY_MB`` kills only that child, and the upload or the job ends with a message
saying so (here the ceiling is lowered instead of sending a file of gigabytes)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from doorstep.core.models import Import

MESSAGE = "This file needs more memory to read than an import may use (8 MB)"


def _csv(n: int) -> bytes:
    lines = ["Full name,Phone,Category,Village"]
    lines += [f"Femme Numéro{i},98{i:08d},homeworker,{'Village ' * 12}{i}" for i in range(n)]
    return ("\n".join(lines) + "\n").encode()


def _upload(client, data: bytes):
    return client.post("/orgs/union-a/imports/new/members/", {"file": SimpleUploadedFile("m.csv", data)})


def test_a_file_too_big_to_read_within_the_ceiling_is_refused_at_upload(world, login, settings):
    settings.IMPORT_PARSE_MEMORY_MB = 8
    data = _csv(120_000)
    assert len(data) > 12 * 1024 * 1024
    response = _upload(login(world.organizer_a), data)
    assert response.status_code == 422
    assert MESSAGE in response.content.decode()
    assert not Import.objects.exists()


def test_the_check_in_the_background_fails_with_the_same_message(world, login, settings, run_jobs):
    client = login(world.organizer_a)
    response = _upload(client, _csv(120_000))
    assert response.status_code == 302
    job = Import.objects.get()
    settings.IMPORT_PARSE_MEMORY_MB = 8  # lowered after the upload was read
    with run_jobs():
        client.post(f"/orgs/union-a/imports/{job.pk}/", {f"column-{i}": k for i, k in job.mapping.items()})
    job.refresh_from_db()
    assert (job.status, job.valid_rows) == ("failed", 0)
    assert job.message.startswith(MESSAGE)
    assert MESSAGE in client.get(f"/orgs/union-a/imports/{job.pk}/").content.decode()


def test_a_file_within_the_ceiling_is_read_as_before(world, login, settings, run_jobs):
    settings.IMPORT_PARSE_MEMORY_MB = 64
    client = login(world.organizer_a)
    assert _upload(client, _csv(3000)).status_code == 302
    job = Import.objects.get()
    with run_jobs():
        client.post(f"/orgs/union-a/imports/{job.pk}/", {f"column-{i}": k for i, k in job.mapping.items()})
    job.refresh_from_db()
    assert (job.status, job.valid_rows, job.total_rows) == ("validated", 3000, 3000)
