"""`python -m doorstep doctor`: each check passes on a healthy deployment and fails, in words, when
its part of the deployment is wrong."""

import base64
import os
import secrets
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from doorstep.core import audit
from doorstep.core.backup import BACKUP_FILE, KEYS_FILE
from doorstep.core.management.commands.doctor import DEVELOPMENT_MARKER


def _key() -> bytes:
    return secrets.token_bytes(32)


@pytest.fixture
def production(settings, tmp_path):
    """Settings as a correct production deployment has them, fresh backups and a fresh anchor."""
    settings.DEBUG = False
    settings.SECRET_KEY = secrets.token_urlsafe(50)
    settings.MASTER_KEY, settings.AUDIT_KEY, settings.BACKUP_KEY = _key(), _key(), _key()
    settings.ALLOWED_HOSTS = ["doorstep.example.org"]
    settings.DEVELOPMENT_ENV_FILE = tmp_path / "doorstep.env"
    backups = tmp_path / "backups"
    for name in ("2026-12-07", "2026-12-08"):
        (backups / name).mkdir(parents=True)
        (backups / name / BACKUP_FILE).write_bytes(b"sealed")
        (backups / name / KEYS_FILE).write_bytes(b"sealed")
    anchors = tmp_path / "anchors.txt"
    anchors.write_text(audit.anchor().line() + "\n", encoding="utf-8")
    return {"backups": backups, "anchors": anchors, "tmp": tmp_path}


def doctor(production, **options) -> tuple[str, bool]:
    """The doctor's report and whether it failed (exit status 1)."""
    out = StringIO()
    options = {
        "backups": production["backups"],
        "anchors": production["anchors"],
        "min_free_mb": 1,
        **options,
    }
    try:
        call_command("doctor", stdout=out, **options)
    except CommandError as error:
        assert error.returncode == 1
        return out.getvalue(), True
    return out.getvalue(), False


def lines(report: str, level: str) -> list[str]:
    return [line for line in report.splitlines() if line.startswith(level)]


def test_a_healthy_deployment_passes_every_check(db, production):
    report, failed = doctor(production)
    assert not failed, report
    assert lines(report, "FAIL") == [] and lines(report, "WARN") == []
    for name in ("debug", "keys", "hosts", "database", "disk", "backups", "worker", "audit anchor"):
        assert f"OK    {name}:" in report
    assert report.rstrip().endswith("No check failed.")


def test_debug_on_fails(db, production, settings):
    settings.DEBUG = True
    report, failed = doctor(production)
    assert failed
    assert lines(report, "FAIL") == [
        "FAIL  debug: DEBUG is on: error pages show code and settings; set DOORSTEP_DEBUG=0"
    ]


def test_a_development_secret_key_fails(db, production, settings):
    settings.SECRET_KEY = "dev-" + secrets.token_urlsafe(48)
    report, failed = doctor(production)
    assert failed
    assert "FAIL  keys: DOORSTEP_SECRET_KEY is a development key" in report


def test_a_master_key_copied_from_the_development_file_fails(db, production, settings):
    development = base64.urlsafe_b64encode(settings.MASTER_KEY).decode()
    settings.DEVELOPMENT_ENV_FILE.write_text(f"{DEVELOPMENT_MARKER}\nDOORSTEP_MASTER_KEY={development}\n")
    report, failed = doctor(production)
    assert failed
    assert "FAIL  keys: DOORSTEP_MASTER_KEY is the development key from" in report


def test_a_production_env_file_is_not_taken_for_development_keys(db, production, settings):
    value = base64.urlsafe_b64encode(settings.MASTER_KEY).decode()
    settings.DEVELOPMENT_ENV_FILE.write_text(f"# production\nDOORSTEP_MASTER_KEY={value}\n")
    report, failed = doctor(production)
    assert not failed, report


def test_a_missing_backup_key_fails(db, production, settings):
    settings.BACKUP_KEY = None
    report, failed = doctor(production)
    assert failed
    assert "FAIL  keys: DOORSTEP_BACKUP_KEY is not set" in report


def test_the_same_key_used_twice_fails(db, production, settings):
    settings.BACKUP_KEY = settings.MASTER_KEY
    report, failed = doctor(production)
    assert failed
    assert "FAIL  keys: DOORSTEP_BACKUP_KEY is the same as DOORSTEP_MASTER_KEY" in report


@pytest.mark.parametrize("hosts", [[], ["*"]])
def test_allowed_hosts_empty_or_any_fails(db, production, settings, hosts):
    settings.ALLOWED_HOSTS = hosts
    report, failed = doctor(production)
    assert failed
    assert len(lines(report, "FAIL  hosts:")) == 1


def test_an_unapplied_migration_fails_and_skips_the_worker(db, production):
    MigrationRecorder.Migration.objects.filter(app="governance", name="0001_initial").delete()
    report, failed = doctor(production)
    assert failed
    assert "FAIL  database: 1 migrations are not applied (governance.0001_initial)" in report
    assert "WARN  worker: not checked" in report


def test_too_little_free_disk_fails(db, production):
    report, failed = doctor(production, min_free_mb=10**12)
    assert failed
    assert "FAIL  disk:" in report and "make room" in report


def test_an_old_newest_backup_fails(db, production):
    old = (timezone.now() - timedelta(hours=30)).timestamp()
    for path in production["backups"].glob(f"*/{BACKUP_FILE}"):
        os.utime(path, (old, old))
    report, failed = doctor(production)
    assert failed
    assert "FAIL  backups: the newest database backup" in report and "30.0 hours old" in report
    assert "OK    backups: the newest key store backup" in report


def test_a_missing_key_store_backup_fails(db, production):
    for path in production["backups"].glob(f"*/{KEYS_FILE}"):
        path.unlink()
    report, failed = doctor(production)
    assert failed
    assert f"FAIL  backups: no key store backup ({KEYS_FILE})" in report


def test_key_store_backups_in_their_own_folder_are_found(db, production):
    keys = production["tmp"] / "key-backups" / "2026-12-08"
    keys.mkdir(parents=True)
    for path in production["backups"].glob(f"*/{KEYS_FILE}"):
        path.rename(keys / KEYS_FILE)
    report, failed = doctor(production, key_backups=keys.parent)
    assert not failed, report
    assert "OK    backups: the newest key store backup" in report


def test_without_a_backups_folder_it_warns_that_it_did_not_look(db, production):
    report, failed = doctor(production, backups=None)
    assert not failed
    assert "WARN  backups: not checked: give --backups DIR" in report


def _ready_job(enqueued_minutes_ago: float) -> None:
    now = timezone.now()
    job = DBTaskResult.objects.create(
        status=TaskResultStatus.READY,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="doorstep.surveys.tasks.build_export",
        backend_name="default",
        queue_name="default",
        run_after=now - timedelta(minutes=enqueued_minutes_ago),
        exception_class_path="",
        traceback="",
    )
    DBTaskResult.objects.filter(pk=job.pk).update(enqueued_at=now - timedelta(minutes=enqueued_minutes_ago))


def test_a_job_waiting_too_long_fails_the_worker_check(db, production):
    _ready_job(enqueued_minutes_ago=45)
    report, failed = doctor(production)
    assert failed
    assert "FAIL  worker: a job (doorstep.surveys.tasks.build_export) has waited" in report
    assert "is the db_worker service running?" in report


def test_a_job_just_queued_does_not_fail_the_worker_check(db, production):
    _ready_job(enqueued_minutes_ago=1)
    report, failed = doctor(production)
    assert not failed, report
    assert "OK    worker: no job waiting longer than 10 minutes" in report


def test_an_old_anchor_fails(db, production):
    head = audit.anchor()
    old = (datetime.now(UTC) - timedelta(days=3)).isoformat(timespec="seconds")
    production["anchors"].write_text(audit.Anchor(head.sequence, head.hash, old).line() + "\n")
    report, failed = doctor(production)
    assert failed
    assert "FAIL  audit anchor: the newest anchor is 3.0 days old" in report


def test_an_anchor_file_not_signed_with_this_key_fails(db, production, settings):
    settings.AUDIT_KEY = _key()
    report, failed = doctor(production)
    assert failed
    assert "FAIL  audit anchor:" in report and "not signed with this audit key" in report


def test_an_unreachable_database_fails_in_words(tmp_path):
    env = {**os.environ, "DATABASE_URL": "postgres://doorstep@127.0.0.1:9/nowhere"}
    done = subprocess.run(
        [sys.executable, "-m", "doorstep", "doctor"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "FAIL  database: cannot be reached (" in done.stdout
    assert "WARN  worker: not checked: the database is not reachable or not migrated" in done.stdout
