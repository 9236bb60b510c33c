"""Backup and restore (core.backup) end to end, as an administrator runs them: `python -m doorstep
backup / backup-keys / restore` in their own processes, against real databases of the engine the
tests run on (a source made from the migrated test database plus the demo data, and a fresh, empty
database for each restore)."""

import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)


@dataclass
class Database:
    url: str
    name: str  # a file path on SQLite, a database name on PostgreSQL
    env: dict


def _admin():
    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def _url(name: str) -> str:
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{name}"


def _env(url: str, folder: Path, **extra) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DOORSTEP_MEDIA_ROOT=str(folder / "media"),
        DOORSTEP_EXPORT_ROOT=str(folder / "exports"),
        DOORSTEP_ANALYTICS_ROOT=str(folder / "analytics"),
        **extra,
    )
    return env


def doorstep(db: Database, *args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "doorstep", *args],
        cwd=ROOT,
        env=env or db.env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def python(db: Database, code: str) -> str:
    """Run ``code`` with Django set up against ``db``; its stdout."""
    script = "import django, os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'doorstep.settings')\n"
    script += "django.setup()\n" + code
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=db.env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def table_counts(db: Database) -> dict[str, int]:
    if db.url.startswith("sqlite"):
        with sqlite3.connect(db.name) as conn:
            tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    with psycopg.connect(db.url) as conn:
        tables = [
            r[0]
            for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
        ]
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def chain_head(db: Database) -> tuple:
    return tuple(python(db, HEAD).split())


HEAD = "from doorstep.core.models import AuditChainHead as H\nh = H.objects.get(pk=1)\n"
HEAD += "print(h.sequence, h.hash)\n"


def _create_database(name: str) -> None:
    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def _drop_database(name: str) -> None:
    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _new_database(folder: Path, label: str) -> Database:
    if connection.vendor == "sqlite":
        name = str(folder / f"{label}.sqlite3")
    else:
        if shutil.which("pg_dump") is None:
            pytest.skip("pg_dump is not installed (postgresql-client)")
        name = f"{settings.DATABASES['default']['NAME']}_{label}"
        _create_database(name)
    url = _url(name)
    return Database(url, name, _env(url, folder / f"{label}-files"))


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """A database of the demo data, migrated and loaded as `make run` does."""
    db = _new_database(tmp_path_factory.mktemp("backup-source"), "bk_source")
    for command in ("migrate", "load_demo"):
        done = doorstep(db, command)
        assert done.returncode == 0, done.stderr
    yield db
    if connection.vendor == "postgresql":
        _drop_database(db.name)


@pytest.fixture
def fresh(tmp_path):
    """An empty database to restore into."""
    db = _new_database(tmp_path, "bk_restored")
    yield db
    if connection.vendor == "postgresql":
        _drop_database(db.name)


@pytest.fixture(scope="module")
def backed_up(source, tmp_path_factory):
    """A backup and a key store backup of the demo data."""
    folder = tmp_path_factory.mktemp("backups")
    done = doorstep(source, "backup", str(folder / "db"))
    assert done.returncode == 0, done.stderr
    done = doorstep(source, "backup-keys", str(folder / "keys"))
    assert done.returncode == 0, done.stderr
    return folder


def test_it_restores_every_row_and_the_audit_chain(source, backed_up, fresh):
    done = doorstep(fresh, "restore", str(backed_up / "db"), "--keys", str(backed_up / "keys"))
    assert done.returncode == 0, done.stderr
    assert "0 rows erased again" in done.stdout
    assert table_counts(fresh) == table_counts(source)
    assert chain_head(fresh) == chain_head(source)
    assert doorstep(fresh, "audit", "verify").returncode == 0
    # The restored members open with the restored keys.
    opened = python(
        fresh,
        "from doorstep.members.models import Member\nfrom doorstep.core import vault\n"
        "print(sum(1 for m in Member.objects.all() if vault.open_sealed(m.subject_key, m.pii, "
        "purpose='member.pii')))\n",
    )
    assert int(opened) == table_counts(source)["members_member"] > 0


def test_an_erasure_holds_when_an_older_backup_is_restored(source, fresh, tmp_path):
    before = doorstep(source, "backup", str(tmp_path / "db"))
    assert before.returncode == 0, before.stderr
    canary = python(
        source,
        "from doorstep.members.models import Member\nfrom doorstep.core import vault, audit\n"
        "from doorstep.members.services.rights import erase_member\n"
        "from doorstep.core.roles import ADMIN_ROLES\n"
        "from doorstep.organizations.models import RoleAssignment\n"
        "import collections\n"
        "names = {m.pk: vault.open_sealed(m.subject_key, m.pii, purpose='member.pii')['full_name'] "
        "for m in Member.objects.all()}\n"
        "seen = collections.Counter(names.values())\n"
        "m = Member.objects.get(pk=min(pk for pk, n in names.items() if seen[n] == 1))  # a unique name\n"
        "pii = vault.open_sealed(m.subject_key, m.pii, purpose='member.pii')\n"
        "admin = RoleAssignment.objects.filter(organization_id=m.organization_id, role__in=ADMIN_ROLES)"
        ".first().user\n"
        "print(m.pk, m.subject_key_id, pii['full_name'])\n"
        "erase_member(m, actor=admin)\n",
    ).split()
    member_id, key_id, name = canary[0], canary[1], " ".join(canary[2:])
    keys = doorstep(source, "backup-keys", str(tmp_path / "keys"))
    assert keys.returncode == 0, keys.stderr

    done = doorstep(fresh, "restore", str(tmp_path / "db"), "--keys", str(tmp_path / "keys"))
    assert done.returncode == 0, done.stderr
    assert "0 rows erased again" not in done.stdout
    found = python(
        fresh,
        "from doorstep.members.models import Member\nfrom doorstep.core.models import SubjectKey, ErasedKey\n"
        "from doorstep.core import vault\n"
        f"print(Member.objects.filter(pk={member_id}).exists(), "
        f"SubjectKey.objects.filter(pk='{key_id}').exists(), "
        f"ErasedKey.objects.filter(subject_key_id='{key_id}').exists())\n"
        "names = [vault.open_sealed(m.subject_key, m.pii, purpose='member.pii').get('full_name') "
        "for m in Member.objects.all()]\n"
        f"print({name!r} in names)\n",
    ).split()
    assert found == ["False", "False", "True", "False"]
    if fresh.url.startswith("sqlite"):
        assert name.encode() not in Path(fresh.name).read_bytes()
    assert doorstep(fresh, "audit", "verify").returncode == 0


# Bad input --------------------------------------------------------------------------------------


def test_rejects_a_backup_folder_that_is_not_empty(source, tmp_path):
    (tmp_path / "old.txt").write_text("yesterday")
    done = doorstep(source, "backup", str(tmp_path))
    assert done.returncode != 0
    assert "is not empty" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.txt"]


def test_rejects_a_backup_folder_that_cannot_be_written(source, tmp_path):
    if os.geteuid() == 0:
        target = Path("/proc/doorstep-backup")  # not writable even for root
    else:
        target = tmp_path / "locked" / "inside"
        (tmp_path / "locked").mkdir(mode=0o500)
    done = doorstep(source, "backup", str(target))
    assert done.returncode != 0
    assert "cannot be written to" in done.stderr


def test_rejects_a_restore_into_a_database_that_is_not_empty(source, backed_up):
    before = table_counts(source)
    done = doorstep(source, "restore", str(backed_up / "db"), "--keys", str(backed_up / "keys"))
    assert done.returncode != 0
    assert "is not empty" in done.stderr
    assert table_counts(source) == before


def _refused(fresh, backup_dir: Path, keys_dir: Path, message: str, env=None) -> None:
    done = doorstep(fresh, "restore", str(backup_dir), "--keys", str(keys_dir), env=env)
    assert done.returncode != 0
    assert message in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert table_counts(fresh) == {}
    assert not (Path(fresh.env["DOORSTEP_MEDIA_ROOT"])).exists()


def test_rejects_a_backup_from_a_newer_format(backed_up, fresh, tmp_path):
    data = bytearray((backed_up / "db" / "doorstep-backup.dsb").read_bytes())
    data[len(b"DOORSTEP-BACKUP\n")] = 99
    (tmp_path / "newer").mkdir()
    (tmp_path / "newer" / "doorstep-backup.dsb").write_bytes(bytes(data))
    _refused(fresh, tmp_path / "newer", backed_up / "keys", "made by a newer Doorstep")


def test_rejects_a_wrong_backup_key(backed_up, fresh):
    env = dict(fresh.env, DOORSTEP_BACKUP_KEY="A" * 43 + "=")
    _refused(fresh, backed_up / "db", backed_up / "keys", "does not open with this DOORSTEP_BACKUP_KEY", env)


def test_rejects_a_truncated_backup(backed_up, fresh, tmp_path):
    data = (backed_up / "db" / "doorstep-backup.dsb").read_bytes()
    (tmp_path / "cut").mkdir()
    (tmp_path / "cut" / "doorstep-backup.dsb").write_bytes(data[: len(data) // 2])
    _refused(fresh, tmp_path / "cut", backed_up / "keys", "is cut short")


def test_rejects_a_truncated_key_store(backed_up, fresh, tmp_path):
    data = (backed_up / "keys" / "doorstep-keys.dsb").read_bytes()
    (tmp_path / "cut").mkdir()
    (tmp_path / "cut" / "doorstep-keys.dsb").write_bytes(data[:-10])
    _refused(fresh, backed_up / "db", tmp_path / "cut", "is cut short")
