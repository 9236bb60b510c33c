"""The crash test: a real ``db_worker`` is killed with SIGKILL in the middle of a member import and
started again; the import must finish exactly once (as many members as the file has rows, none
twice) and the audit chain must verify.

Each test runs the real processes (``python -m doorstep …``) on a database of its own, a copy of the
test run's freshly migrated database (a SQLite file, or a PostgreSQL database made from it as a
template and dropped afterwards), never the test run's database itself. The lease is 2 seconds here,
so the second worker notices the dead run within a few seconds; the member batch is 250 rows instead
of 5,000 so that a file of a few thousand rows is written in a dozen batches and the kill lands
between two of them."""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
ROWS = 3000
BATCH = 250

SETUP = f"""
from doorstep.core import imports
from doorstep.organizations import services as orgs
from doorstep.organizations.models import User
admin = User.objects.create_superuser("root", password="not-used-0")
org = orgs.create_organization(name="Org", slug="org", kind="union", country="IN", actor=admin)
orgs.add_person(org, username="boss", role="org_admin", actor=admin)
boss = User.objects.get(username="boss")
rows = "".join(f"Femme Numéro{{i}},98{{i:08d}},homeworker\\n" for i in range({ROWS}))
job = imports.start(org, target_name="members", filename="m.csv", actor=boss,
                    data=("Full name,Phone,Category\\n" + rows).encode())
job = imports.choose_mapping(job, job.mapping, actor=boss)
job = imports.validate(job.pk)
imports.commit(job, actor=boss)
print("job", job.pk, job.valid_rows)
"""

# The real worker command, with the member batch made small (see the module's docstring).
WORKER = f"""
from django.core.management import call_command
from doorstep.core import imports
imports.target("members").batch_size = {BATCH}
call_command("db_worker", "--no-startup-delay", "--no-reload", "--interval", "0.2")
"""


class Database:
    """The crash test's own database, read with the plain driver (no Django in this process)."""

    def __init__(self, url: str, connect) -> None:
        self.url, self.connect = url, connect

    def one(self, sql: str) -> tuple:
        connection = self.connect()
        try:
            cursor = connection.cursor()
            cursor.execute(sql)
            return cursor.fetchone()
        finally:
            connection.close()


def _on(vendor: str) -> bool:
    return connection.vendor == vendor


@pytest.fixture(scope="session")
def _migrated_sqlite(django_db_setup, django_db_blocker, tmp_path_factory):
    """A copy of the test run's freshly migrated database, taken before any test's transaction."""
    if not _on("sqlite"):
        return None
    path = tmp_path_factory.mktemp("crash") / "migrated.sqlite3"
    with django_db_blocker.unblock():
        connection.ensure_connection()
        copy = sqlite3.connect(path)
        connection.connection.backup(copy)
        copy.close()
    return path


@pytest.fixture
def sqlite_database(_migrated_sqlite, tmp_path, db):
    """A SQLite file of the crash test's own, migrated and empty."""
    if not _on("sqlite"):
        pytest.skip("the SQLite crash test runs where the suite runs on SQLite")
    path = tmp_path / "crash.sqlite3"
    shutil.copy(_migrated_sqlite, path)
    return Database(f"sqlite:///{path}", lambda: sqlite3.connect(path, timeout=20))


@pytest.fixture(scope="session")
def _postgres_server(django_db_setup, django_db_blocker):
    """The crash test's PostgreSQL database, made from the test run's freshly migrated one (before
    any test's transaction: a template must have no session open), dropped at the end."""
    import psycopg

    if not _on("postgresql"):
        yield None
        return
    own = settings.DATABASES["default"]
    name = f"{own['NAME']}_crash"
    server = {"host": own["HOST"] or "127.0.0.1", "port": own["PORT"] or 5432, "user": own["USER"]}
    if own.get("PASSWORD"):
        server["password"] = own["PASSWORD"]

    def admin(sql: str) -> None:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as server_connection:
            server_connection.execute(sql)

    with django_db_blocker.unblock():
        connection.close()
        admin(f'DROP DATABASE IF EXISTS "{name}"')
        admin(f'CREATE DATABASE "{name}" TEMPLATE "{own["NAME"]}"')
    password = f":{server['password']}" if "password" in server else ""
    url = f"postgres://{server['user']}{password}@{server['host']}:{server['port']}/{name}"
    yield Database(url, lambda: psycopg.connect(dbname=name, **server))
    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_database(_postgres_server, db):
    return _postgres_server


def _env(database: Database) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DATABASE_URL=database.url,
        DOORSTEP_IMPORT_LEASE_SECONDS="2",
        DOORSTEP_IMPORT_PARSE_SECONDS="30",
    )
    return env


def _doorstep(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "doorstep", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "doorstep", "shell", "-c", WORKER],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _until(condition, *, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"not within {seconds} s: {what}")


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _crash_and_restart(database: Database) -> None:
    env = _env(database)
    job_id, valid = (int(n) for n in _doorstep(env, "shell", "-c", SETUP).split()[-2:])
    assert valid == ROWS
    progress = f"SELECT status, imported_rows FROM core_import WHERE id = {job_id}"

    first = _worker(env)
    try:
        _until(lambda: database.one(progress)[1] >= 2 * BATCH, seconds=60, what="two batches written")
        first.send_signal(signal.SIGKILL)
        first.wait()
    finally:
        _stop(first)
    status, written = database.one(progress)
    assert status == "importing" and 2 * BATCH <= written < ROWS, (status, written)

    second = _worker(env)
    try:
        _until(lambda: database.one(progress)[0] == "done", seconds=60, what="the import finished")
    finally:
        _stop(second)

    assert database.one(progress) == ("done", ROWS)
    members = "SELECT COUNT(*), COUNT(DISTINCT number) FROM members_member"
    assert database.one(members) == (ROWS, ROWS)
    recovered = "SELECT COUNT(*) FROM core_auditevent WHERE action = 'import.recovered'"
    done = "SELECT COUNT(*) FROM core_auditevent WHERE action = 'import.done'"
    assert (database.one(recovered)[0], database.one(done)[0]) == (1, 1)
    assert _doorstep(env, "audit", "verify").startswith("OK:")


def test_a_worker_killed_mid_import_on_sqlite_finishes_it_exactly_once(sqlite_database):
    _crash_and_restart(sqlite_database)


@pytest.mark.postgres
def test_a_worker_killed_mid_import_on_postgresql_finishes_it_exactly_once(postgres_database):
    _crash_and_restart(postgres_database)
