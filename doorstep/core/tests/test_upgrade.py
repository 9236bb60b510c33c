"""`python -m doorstep upgrade --check` on a database that has every migration and on one that has none."""

import os
import sqlite3
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command


def test_it_says_a_migrated_database_is_up_to_date(db, capsys):
    call_command("upgrade", "--check")
    assert "Up to date: no migration to run." in capsys.readouterr().out


def test_it_lists_the_migrations_to_run_and_the_data_migrations_to_watch(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    done = subprocess.run(
        [sys.executable, "-m", "doorstep", "upgrade", "--check"],
        cwd=settings.BASE_DIR,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    assert "migrations will run:" in done.stdout
    assert "  core.0001_initial" in done.stdout
    assert "  core.0003_vault" in done.stdout
    assert "! data: runs code over the data" in done.stdout  # e.g. the seeded countries
    assert "builds an index" not in done.stdout  # indexes of tables it creates are quick
    with sqlite3.connect(tmp_path / "empty.sqlite3") as changed:  # it only looked
        assert changed.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").fetchone() == (0,)
