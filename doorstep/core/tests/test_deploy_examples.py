"""The production example in deploy/ refers only to things that exist: every `python -m doorstep
<command>` is a management command that accepts the arguments given, every timer starts a shipped
service, Caddy proxies to where gunicorn listens, and the env file names only variables Doorstep reads."""

import re
import shlex
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands, load_command_class

DEPLOY = Path(settings.BASE_DIR) / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
TIMERS = sorted((DEPLOY / "systemd").glob("*.timer"))
_INVOCATION = re.compile(r"python -m doorstep ([^'\n;&|)`>\\]+)")


def _exec_lines(unit: Path) -> list[str]:
    return [
        line.split("=", 1)[1]
        for line in unit.read_text(encoding="utf-8").splitlines()
        if line.startswith(("ExecStart=", "ExecStartPost=", "ExecStartPre="))
    ]


def _invocations() -> list[tuple[str, list[str]]]:
    found = []
    for path in [*UNITS, DEPLOY / "Caddyfile", Path(settings.BASE_DIR) / "docs" / "operations.md"]:
        for match in _INVOCATION.finditer(path.read_text(encoding="utf-8")):
            words = shlex.split(match.group(1).split("$(")[0].replace("…", "x"))
            found.append((path.name, words))
    return found


def test_the_example_ships_the_units_the_docs_name():
    names = {path.name for path in [*UNITS, *TIMERS]}
    for unit in (
        "doorstep-web.service",
        "doorstep-worker.service",
        "doorstep-backup.timer",
        "doorstep-anchor.timer",
    ):
        assert unit in names


@pytest.mark.parametrize(("source", "words"), _invocations(), ids=lambda value: str(value))
def test_every_doorstep_command_named_exists_and_takes_its_arguments(source, words):
    commands = get_commands()
    assert words[0] in commands, f"{source}: `{words[0]}` is not a management command"
    command = load_command_class(commands[words[0]], words[0])
    parser = command.create_parser("doorstep", words[0])
    arguments = [word for word in words[1:] if not word.startswith("<")]
    parser.parse_args(arguments)  # exits (SystemExit) on an argument the command does not take


@pytest.mark.parametrize("unit", UNITS, ids=lambda path: path.name)
def test_every_program_a_unit_runs_is_the_projects_or_the_systems(unit):
    for line in _exec_lines(unit):
        program = shlex.split(line)[0]
        if program.startswith("/opt/doorstep/.venv/bin/"):
            assert (Path(settings.BASE_DIR) / ".venv" / "bin" / Path(program).name).exists(), program
        else:
            assert program in {"/bin/sh", "/usr/bin/find", "/bin/kill"}, f"{unit.name}: unexpected {program}"


@pytest.mark.parametrize("timer", TIMERS, ids=lambda path: path.name)
def test_every_timer_starts_a_shipped_service(timer):
    assert timer.with_suffix(".service") in UNITS


def test_caddy_proxies_to_where_gunicorn_listens():
    web = (DEPLOY / "systemd" / "doorstep-web.service").read_text(encoding="utf-8")
    bind = re.search(r"--bind (\S+)", web).group(1)
    assert bind.startswith("127.0.0.1:")  # never reachable without the proxy
    assert re.search(
        rf"reverse_proxy {re.escape(bind)}\b", (DEPLOY / "Caddyfile").read_text(encoding="utf-8")
    )
    assert "gunicorn doorstep.wsgi " in web


def test_the_env_example_names_only_variables_doorstep_reads():
    read = set(
        re.findall(
            r'env_\w+\("([A-Z_]+)"', (Path(settings.BASE_DIR) / "doorstep" / "settings.py").read_text()
        )
    )
    example = (DEPLOY / "doorstep.env.example").read_text(encoding="utf-8")
    names = [line.split("=", 1)[0] for line in example.splitlines() if line and not line.startswith("#")]
    assert names and set(names) <= read, set(names) - read
    for needed in ("DOORSTEP_SECRET_KEY", "DOORSTEP_MASTER_KEY", "DOORSTEP_AUDIT_KEY", "DOORSTEP_BACKUP_KEY"):
        assert needed in names
    assert "DOORSTEP_DEBUG=0" in example.splitlines()


def test_the_doctor_timer_looks_where_the_backup_and_anchor_timers_write():
    units = {path.name: path.read_text(encoding="utf-8") for path in UNITS}
    doctor = units["doorstep-doctor.service"]
    for folder in ("/var/backups/doorstep/", "/var/backups/doorstep-keys/"):
        assert folder in units["doorstep-backup.service"]
        assert f"{folder.rstrip('/')} " in doctor
    anchors = re.search(r"--output (\S+)", units["doorstep-anchor.service"]).group(1)
    assert f"--anchors {anchors}" in doctor
