"""Configuration from the environment, production refusals and `check --deploy`, run as a newcomer
or an operator would: in a fresh process."""

import base64
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
GOOD_SECRET = "q8Zr-3vXk_LmN0pW7yTb2sHd9fJc4gAe6uQi1oRt5wYx8zKl-Vb3nM"
GOOD_MASTER = base64.urlsafe_b64encode(b"k" * 32).decode()
GOOD_AUDIT = base64.urlsafe_b64encode(b"a" * 32).decode()


def _run(args, env, cwd=ROOT, timeout=120):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DOORSTEP_") and k != "DATABASE_URL"}
    clean.update(env)
    clean["DOORSTEP_ENV_FILE"] = env.get("DOORSTEP_ENV_FILE", "/nonexistent/doorstep.env")
    return subprocess.run(
        [sys.executable, "-m", "doorstep", *args],
        cwd=cwd,
        env=clean,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


PRODUCTION = {
    "DOORSTEP_DEBUG": "0",
    "DOORSTEP_SECRET_KEY": GOOD_SECRET,
    "DOORSTEP_MASTER_KEY": GOOD_MASTER,
    "DOORSTEP_AUDIT_KEY": GOOD_AUDIT,
    "DOORSTEP_ALLOWED_HOSTS": "doorstep.example.org",
}


@pytest.mark.parametrize(
    "missing", ["DOORSTEP_SECRET_KEY", "DOORSTEP_MASTER_KEY", "DOORSTEP_AUDIT_KEY", "DOORSTEP_ALLOWED_HOSTS"]
)
def test_production_refuses_to_start_without_each_key(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = _run(["check"], env)
    assert result.returncode != 0
    assert f"missing {missing}" in result.stderr


def test_production_ignores_the_development_env_file(tmp_path):
    env_file = tmp_path / "doorstep.env"
    env_file.write_text(f"DOORSTEP_SECRET_KEY={GOOD_SECRET}\nDOORSTEP_MASTER_KEY={GOOD_MASTER}\n")
    result = _run(
        ["check"],
        {"DOORSTEP_DEBUG": "0", "DOORSTEP_ALLOWED_HOSTS": "x.org", "DOORSTEP_ENV_FILE": str(env_file)},
    )
    assert "missing DOORSTEP_SECRET_KEY, DOORSTEP_MASTER_KEY" in result.stderr


def test_a_weak_secret_key_is_refused():
    result = _run(["check"], {**PRODUCTION, "DOORSTEP_SECRET_KEY": "a" * 60})
    assert "DOORSTEP_SECRET_KEY must be a random value of at least 50 characters" in result.stderr


def test_a_bad_master_key_is_named():
    result = _run(["check"], {**PRODUCTION, "DOORSTEP_MASTER_KEY": base64.b64encode(b"short").decode()})
    assert "DOORSTEP_MASTER_KEY must be 32 bytes" in result.stderr


def test_a_bad_boolean_is_named():
    result = _run(["check"], {**PRODUCTION, "DOORSTEP_DEBUG": "maybe"})
    assert "DOORSTEP_DEBUG must be one of" in result.stderr


def test_check_deploy_with_production_settings_prints_no_warnings():
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_development_reads_the_env_file(tmp_path):
    env_file = tmp_path / "doorstep.env"
    env_file.write_text(
        f"DOORSTEP_DEBUG=1\nDOORSTEP_SECRET_KEY=dev\nDOORSTEP_MASTER_KEY={GOOD_MASTER}\n"
        f"DOORSTEP_AUDIT_KEY={GOOD_AUDIT}\n"
    )
    result = _run(
        ["shell", "-c", "from django.conf import settings; print(settings.DEBUG, settings.ALLOWED_HOSTS)"],
        {"DOORSTEP_ENV_FILE": str(env_file)},
    )
    assert result.returncode == 0, result.stderr
    assert "True ['127.0.0.1', 'localhost', '[::1]']" in result.stdout


def test_devkeys_writes_the_file_once(tmp_path):
    from doorstep.devkeys import write_development_env

    path = tmp_path / "var" / "doorstep.env"
    assert write_development_env(path)
    first = path.read_text()
    assert "DOORSTEP_MASTER_KEY=" in first and "DOORSTEP_DEBUG=1" in first
    assert not write_development_env(path)
    assert path.read_text() == first
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_devkeys_adds_the_keys_an_older_file_lacks(tmp_path):
    from doorstep.devkeys import write_development_env

    path = tmp_path / "doorstep.env"
    path.write_text(f"DOORSTEP_DEBUG=1\nDOORSTEP_SECRET_KEY=dev\nDOORSTEP_MASTER_KEY={GOOD_MASTER}\n")
    assert not write_development_env(path)
    lines = path.read_text().splitlines()
    assert lines[:3] == ["DOORSTEP_DEBUG=1", "DOORSTEP_SECRET_KEY=dev", f"DOORSTEP_MASTER_KEY={GOOD_MASTER}"]
    added = dict(line.split("=", 1) for line in lines[3:])
    assert set(added) == {"DOORSTEP_AUDIT_KEY", "DOORSTEP_BACKUP_KEY"}
    assert all(len(base64.urlsafe_b64decode(key)) == 32 for key in added.values())
    write_development_env(path)
    assert len(path.read_text().splitlines()) == 5  # added once


def test_sqlite_runs_in_wal_mode_with_full_sync(tmp_path):
    database = tmp_path / "doorstep.sqlite3"
    env = {
        "DOORSTEP_DEBUG": "1",
        "DOORSTEP_SECRET_KEY": "dev",
        "DOORSTEP_MASTER_KEY": GOOD_MASTER,
        "DOORSTEP_AUDIT_KEY": GOOD_AUDIT,
        "DATABASE_URL": f"sqlite:///{database}",
    }
    script = (
        "from django.db import connection\n"
        "c = connection.cursor()\n"
        "pragmas = ('journal_mode', 'synchronous', 'foreign_keys', 'busy_timeout')\n"
        "print([c.execute(f'PRAGMA {p}').fetchone()[0] for p in pragmas])"
    )
    result = _run(["shell", "-c", script], env)
    assert result.returncode == 0, result.stderr
    assert "['wal', 2, 1, 20000]" in result.stdout
    assert sqlite3.connect(database).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
