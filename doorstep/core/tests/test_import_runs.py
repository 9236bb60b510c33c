"""One run of an import at a time, whatever is pressed: the lease a run holds, Resume refused while
it is alive, every batch written at most once, and a run whose worker died picked up again.

A second worker is simulated by running the queued task while the first run is writing its first
batch (the moment at which two workers really overlap); a killed worker by a run that stops dead
in the middle of a batch, leaving the job importing."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.management.commands import db_worker

from doorstep.core import imports
from doorstep.core.models import AuditEvent, Import
from doorstep.members.models import Member

ROWS = 2500
BATCH = 1000


def _csv(n: int) -> bytes:
    lines = ["Full name,Phone,Category"]
    lines += [f"Femme Numéro{i},98{i:08d},homeworker" for i in range(n)]
    return ("\n".join(lines) + "\n").encode()


class WorkerKilled(BaseException):
    """What the process sees of kill -9: nothing after this point runs (no except, no status)."""


@pytest.fixture
def target(monkeypatch):
    member_import = imports.target("members")
    monkeypatch.setattr(member_import, "batch_size", BATCH)
    return member_import


@pytest.fixture
def checked(world, login, run_jobs, target):
    """An import of ROWS members, checked and waiting for her choice."""
    client = login(world.organizer_a)
    response = client.post(
        "/orgs/union-a/imports/new/members/", {"file": SimpleUploadedFile("m.csv", _csv(ROWS))}
    )
    job = Import.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    with run_jobs():
        client.post(f"/orgs/union-a/imports/{job.pk}/", {f"column-{i}": k for i, k in job.mapping.items()})
    job.refresh_from_db()
    assert (job.status, job.valid_rows) == ("validated", ROWS)
    return client, job


def _on_batch(monkeypatch, target, number: int, action) -> None:
    """Do ``action`` while the run writes its ``number``-th batch (inside the batch's transaction)."""
    original = target.write_batch
    calls = {"n": 0}

    def write_batch(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == number:
            action()
        return original(*args, **kwargs)

    monkeypatch.setattr(target, "write_batch", write_batch)


def _killed_after_one_batch(client, job, monkeypatch, target, django_capture_on_commit_callbacks):
    """Commit, and the worker dies while writing the second batch: the job is left importing."""

    def die():
        raise WorkerKilled

    _on_batch(monkeypatch, target, 2, die)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/orgs/union-a/imports/{job.pk}/commit/")
    monkeypatch.undo()
    monkeypatch.setattr(target, "batch_size", BATCH)
    job.refresh_from_db()
    assert (job.status, job.imported_rows, Member.objects.count()) == ("importing", BATCH, BATCH)


def _members_are_the_files_rows():
    assert Member.objects.count() == ROWS
    assert Member.objects.values("number").distinct().count() == ROWS


def test_resume_pressed_twice_after_a_killed_worker_writes_each_row_once(
    checked, monkeypatch, target, run_jobs, django_capture_on_commit_callbacks
):
    client, job = checked
    _killed_after_one_batch(client, job, monkeypatch, target, django_capture_on_commit_callbacks)
    Import.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks() as queued:
        first = client.post(f"/orgs/union-a/imports/{job.pk}/resume/")
        second = client.post(f"/orgs/union-a/imports/{job.pk}/resume/", follow=True)
    assert first.status_code == 302
    assert "This import is already running" in second.content.decode()
    # Two workers would take what is queued at the same moment: the second while the first writes.
    _on_batch(monkeypatch, target, 1, lambda: [run() for run in queued[1:]])
    queued[0]()
    job.refresh_from_db()
    assert (job.status, job.imported_rows) == ("done", ROWS)
    _members_are_the_files_rows()


def test_resume_while_the_run_is_alive_is_refused_and_writes_nothing(
    checked, monkeypatch, target, api, world, django_capture_on_commit_callbacks
):
    client, job = checked
    refused = {}

    def press_resume_and_run_what_is_queued():
        with django_capture_on_commit_callbacks() as queued:
            refused["response"] = api(world.organizer_a).post(f"/api/v1/imports/{job.pk}/resume")
        for run in queued:
            run()

    _on_batch(monkeypatch, target, 1, press_resume_and_run_what_is_queued)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/orgs/union-a/imports/{job.pk}/commit/")
    response = refused["response"]
    assert response.status_code == 409
    assert response.json()["code"] == "already_running"
    job.refresh_from_db()
    assert (job.status, job.imported_rows) == ("done", ROWS)
    _members_are_the_files_rows()


def test_a_second_worker_taking_the_same_task_writes_nothing(
    checked, monkeypatch, target, django_capture_on_commit_callbacks
):
    """The task queued once but run twice (a worker's claim lost): the lease keeps the second out."""
    client, job = checked
    with django_capture_on_commit_callbacks() as queued:
        client.post(f"/orgs/union-a/imports/{job.pk}/commit/")
    _on_batch(monkeypatch, target, 1, queued[0])
    queued[0]()
    job.refresh_from_db()
    assert (job.status, job.imported_rows) == ("done", ROWS)
    _members_are_the_files_rows()


def test_a_run_that_lost_its_lease_writes_nothing_more(
    checked, monkeypatch, target, django_capture_on_commit_callbacks
):
    """A run paused past its lease (taken over meanwhile) finds out at its next batch and stops."""
    client, job = checked
    with django_capture_on_commit_callbacks() as queued:
        client.post(f"/orgs/union-a/imports/{job.pk}/commit/")

    def paused_past_the_lease_and_taken_over():
        Import.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
        queued[0]()

    # Between its first and second batch (its first batch committed, the second being read).
    original = target.check_row
    calls = {"n": 0}

    def check_row(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == BATCH + BATCH // 2:
            paused_past_the_lease_and_taken_over()
        return original(*args, **kwargs)

    monkeypatch.setattr(target, "check_row", check_row)
    queued[0]()
    job.refresh_from_db()
    assert (job.status, job.imported_rows) == ("done", ROWS)
    _members_are_the_files_rows()
    assert AuditEvent.objects.filter(action="import.done", object_id=str(job.pk)).count() == 1


def _worker_starts(monkeypatch):
    """A ``db_worker`` starting (and running what is queued), as after a restart. It runs in the
    test's process, where closing connections that are not in autocommit mode (as it does between
    jobs) would end the test's transaction on PostgreSQL; real processes: the crash test."""
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_a_job_whose_worker_died_is_resumed_once_by_the_next_worker(
    checked, monkeypatch, target, settings, django_capture_on_commit_callbacks
):
    client, job = checked
    _killed_after_one_batch(client, job, monkeypatch, target, django_capture_on_commit_callbacks)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    _worker_starts(monkeypatch)  # the dead run's lease is still live: nothing to do yet
    assert not AuditEvent.objects.filter(action="import.recovered").exists()
    Import.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        _worker_starts(monkeypatch)  # finds it and queues it once…
    _worker_starts(monkeypatch)  # …another worker's start finds it queued, not stalled, and runs it
    job.refresh_from_db()
    assert (job.status, job.imported_rows, job.recoveries) == ("done", ROWS, 1)
    _members_are_the_files_rows()
    recovered = AuditEvent.objects.get(action="import.recovered", object_id=str(job.pk))
    assert recovered.metadata == {"step": "importing", "next_row": BATCH + 2, "recoveries": 1}
    assert AuditEvent.objects.filter(action="import.done", object_id=str(job.pk)).count() == 1


def test_a_job_that_keeps_killing_its_worker_is_stopped_with_a_message(
    checked, monkeypatch, target, settings, django_capture_on_commit_callbacks
):
    client, job = checked
    _killed_after_one_batch(client, job, monkeypatch, target, django_capture_on_commit_callbacks)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    Import.objects.filter(pk=job.pk).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1), recoveries=imports.MAX_AUTOMATIC_RESUMES
    )
    with django_capture_on_commit_callbacks(execute=True):
        _worker_starts(monkeypatch)
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.message == "The import stopped 4 times without finishing; try again from where it stopped."
    assert Member.objects.count() == BATCH
    page = client.get(f"/orgs/union-a/imports/{job.pk}/").content.decode()
    assert "4 times without finishing; try again from where it stopped." in page
