"""`python -m doorstep doctor`: check a deployment and say, in words, what is wrong.

One line per check, ``OK``, ``WARN`` or ``FAIL``, then what to do; the exit status is 1 when any
check failed, so a timer or a monitoring probe can run it. It reads and changes nothing.
"""

import base64
import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from doorstep.core import audit
from doorstep.core.backup import BACKUP_FILE, KEYS_FILE

OK, WARN, FAIL = "OK", "WARN", "FAIL"
DEVELOPMENT_MARKER = "# Development settings written by `python -m doorstep.devkeys`"
KEYS = [
    ("DOORSTEP_SECRET_KEY", "SECRET_KEY"),
    ("DOORSTEP_MASTER_KEY", "MASTER_KEY"),
    ("DOORSTEP_AUDIT_KEY", "AUDIT_KEY"),
    ("DOORSTEP_BACKUP_KEY", "BACKUP_KEY"),
]


def _age(seconds: float) -> str:
    hours = seconds / 3600
    return f"{hours:.1f} hours" if hours < 48 else f"{hours / 24:.1f} days"


def _development_keys() -> dict[str, str]:
    """The keys of the development env file, if there is one written by `doorstep.devkeys`."""
    path = Path(settings.DEVELOPMENT_ENV_FILE)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return {}
    if not text.startswith(DEVELOPMENT_MARKER):
        return {}
    found = {}
    for line in text.splitlines():
        if "=" in line and not line.startswith("#"):
            name, value = line.split("=", 1)
            found[name.strip()] = value.strip()
    return found


def _as_text(value) -> str:
    return base64.urlsafe_b64encode(value).decode() if isinstance(value, bytes) else str(value or "")


def _same_key(value, development: str) -> bool:
    if isinstance(value, bytes):
        try:
            padded = development.replace("+", "-").replace("/", "_") + "=" * (-len(development) % 4)
            return base64.urlsafe_b64decode(padded) == value
        except ValueError:
            return False
    return value == development


class Command(BaseCommand):
    help = (
        "Check this deployment (settings, keys, database, disk, backups, background worker, audit "
        "anchors) and say what is wrong; exit status 1 if a check fails."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--backups", type=Path, metavar="DIR", help="the folder the backup timer writes into"
        )
        parser.add_argument(
            "--key-backups", type=Path, metavar="DIR", help="where `backup-keys` writes, if not in --backups"
        )
        parser.add_argument(
            "--anchors", type=Path, metavar="FILE", help="the file `audit anchor --output` appends to"
        )
        parser.add_argument(
            "--min-free-mb", type=int, default=1024, help="least free space under the data folders"
        )
        parser.add_argument(
            "--backup-max-hours", type=float, default=26, help="oldest acceptable newest backup"
        )
        parser.add_argument(
            "--anchor-max-hours", type=float, default=26, help="oldest acceptable newest anchor"
        )
        parser.add_argument(
            "--worker-max-minutes", type=float, default=10, help="longest a ready job may wait"
        )

    def handle(self, *args, **options):
        self.failed = False
        self.check_debug()
        self.check_keys()
        self.check_hosts()
        migrated = self.check_database()
        self.check_disk(options["min_free_mb"])
        self.check_backups(options["backups"], options["key_backups"], options["backup_max_hours"])
        if migrated:
            self.check_worker(options["worker_max_minutes"])
        else:
            self.report(WARN, "worker", "not checked: the database is not reachable or not migrated")
        self.check_anchors(options["anchors"], options["anchor_max_hours"])
        if self.failed:
            raise CommandError("Some checks failed; see the FAIL lines above.", returncode=1)
        self.stdout.write("No check failed.")

    def report(self, level: str, name: str, message: str) -> None:
        if level == FAIL:
            self.failed = True
        self.stdout.write(f"{level:<4}  {name}: {message}")

    # Settings and keys ------------------------------------------------------------------------

    def check_debug(self) -> None:
        if settings.DEBUG:
            self.report(
                FAIL, "debug", "DEBUG is on: error pages show code and settings; set DOORSTEP_DEBUG=0"
            )
        else:
            self.report(OK, "debug", "DEBUG is off")

    def check_keys(self) -> None:
        development = _development_keys()
        seen: dict[str, str] = {}
        for name, setting in KEYS:
            value = getattr(settings, setting, None)
            if not value:
                self.report(FAIL, "keys", f"{name} is not set")
                continue
            if setting == "SECRET_KEY" and (value.startswith("dev-") or len(value) < 50):
                self.report(FAIL, "keys", f"{name} is a development key or shorter than 50 characters")
                continue
            if name in development and _same_key(value, development[name]):
                self.report(
                    FAIL,
                    "keys",
                    f"{name} is the development key from {settings.DEVELOPMENT_ENV_FILE}: "
                    "generate a new one for production",
                )
                continue
            text = _as_text(value)
            if text in seen:
                self.report(FAIL, "keys", f"{name} is the same as {seen[text]}: each key must be its own")
                continue
            seen[text] = name
            self.report(OK, "keys", f"{name} is set and is not a development key")

    def check_hosts(self) -> None:
        hosts = list(settings.ALLOWED_HOSTS)
        if not hosts:
            self.report(FAIL, "hosts", "DOORSTEP_ALLOWED_HOSTS is empty: every request would be refused")
        elif "*" in hosts:
            self.report(FAIL, "hosts", "DOORSTEP_ALLOWED_HOSTS contains '*': name the site's host names")
        elif all(host in {"127.0.0.1", "localhost", "[::1]"} for host in hosts):
            self.report(
                WARN, "hosts", "DOORSTEP_ALLOWED_HOSTS names only this machine: add the site's public name"
            )
        else:
            self.report(OK, "hosts", f"DOORSTEP_ALLOWED_HOSTS is {', '.join(hosts)}")

    # Database and disk ------------------------------------------------------------------------

    def check_database(self) -> bool:
        try:
            connection.ensure_connection()
            executor = MigrationExecutor(connection)
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError as error:
            self.report(FAIL, "database", f"cannot be reached ({str(error).strip()})")
            return False
        if plan:
            names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:5])
            more = f" and {len(plan) - 5} more" if len(plan) > 5 else ""
            self.report(
                FAIL,
                "database",
                f"{len(plan)} migrations are not applied ({names}{more}): "
                "run `python -m doorstep upgrade --check`, then `migrate`",
            )
            return False
        self.report(OK, "database", f"reachable ({connection.vendor}) and every migration applied")
        return True

    def check_disk(self, min_free_mb: int) -> None:
        folders = [settings.VAR_DIR, settings.MEDIA_ROOT, settings.EXPORT_ROOT, settings.ANALYTICS_ROOT]
        seen_devices = set()
        for folder in folders:
            path = Path(folder)
            while not path.exists() and path != path.parent:
                path = path.parent
            device = os.stat(path).st_dev
            if device in seen_devices:
                continue
            seen_devices.add(device)
            free_mb = shutil.disk_usage(path).free // (1024 * 1024)
            if free_mb < min_free_mb:
                self.report(
                    FAIL, "disk", f"{free_mb} MB free under {folder}, less than {min_free_mb} MB: make room"
                )
            else:
                self.report(OK, "disk", f"{free_mb} MB free under {folder}")

    # Backups, worker, anchors -----------------------------------------------------------------

    def check_backups(self, directory: Path | None, key_directory: Path | None, max_hours: float) -> None:
        if directory is None:
            self.report(
                WARN, "backups", "not checked: give --backups DIR, the folder backups are written into"
            )
            return
        now = timezone.now().timestamp()
        for folder, filename, what, command in (
            (directory, BACKUP_FILE, "database backup", "backup"),
            (key_directory or directory, KEYS_FILE, "key store backup", "backup-keys"),
        ):
            if not folder.is_dir():
                self.report(FAIL, "backups", f"{folder} is not a folder")
                continue
            found = [*folder.glob(filename), *folder.glob(f"*/{filename}")]
            if not found:
                self.report(FAIL, "backups", f"no {what} ({filename}) in {folder}: run `{command}`")
                continue
            newest = max(found, key=lambda path: path.stat().st_mtime)
            age = now - newest.stat().st_mtime
            if age > max_hours * 3600:
                self.report(
                    FAIL,
                    "backups",
                    f"the newest {what} ({newest}) is {_age(age)} old, more than {max_hours:g} hours: "
                    "is the backup timer running?",
                )
            else:
                self.report(OK, "backups", f"the newest {what} is {_age(age)} old ({newest})")

    def check_worker(self, max_minutes: float) -> None:
        now = timezone.now()
        waiting = DBTaskResult.objects.ready().order_by("enqueued_at").first()
        if waiting is not None:
            since = max(
                waiting.enqueued_at, waiting.run_after if waiting.run_after <= now else waiting.enqueued_at
            )
            if now - since > timedelta(minutes=max_minutes):
                self.report(
                    FAIL,
                    "worker",
                    f"a job ({waiting.task_path}) has waited {_age((now - since).total_seconds())}, "
                    f"more than {max_minutes:g} minutes: is the db_worker service running?",
                )
                return
        last = (
            DBTaskResult.objects.filter(status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED])
            .order_by("-finished_at")
            .values_list("finished_at", flat=True)
            .first()
        )
        finished = (
            f"the last job finished {_age((now - last).total_seconds())} ago" if last else "no job run yet"
        )
        self.report(OK, "worker", f"no job waiting longer than {max_minutes:g} minutes; {finished}")

    def check_anchors(self, path: Path | None, max_hours: float) -> None:
        if path is None:
            self.report(
                WARN, "audit anchor", "not checked: give --anchors FILE, the file the anchor timer appends to"
            )
            return
        try:
            anchors = audit.read_anchors(path.read_text(encoding="utf-8").splitlines())
        except OSError as error:
            self.report(FAIL, "audit anchor", f"{path} cannot be read ({error.strerror}): run `audit anchor`")
            return
        except audit.AnchorError as error:
            self.report(FAIL, "audit anchor", f"{path}, {error}")
            return
        if not anchors:
            self.report(FAIL, "audit anchor", f"{path} holds no anchor: run `audit anchor --output {path}`")
            return
        newest = max(anchors, key=lambda anchor: anchor.time)
        age = (timezone.now() - datetime.fromisoformat(newest.time).astimezone(UTC)).total_seconds()
        if age > max_hours * 3600:
            self.report(
                FAIL,
                "audit anchor",
                f"the newest anchor is {_age(age)} old, more than {max_hours:g} hours: "
                "is the anchor timer running?",
            )
        else:
            self.report(OK, "audit anchor", f"the newest anchor is {_age(age)} old (event {newest.sequence})")
