"""No plaintext personal data at rest: a member with a canary in every personal field is written to a
fresh database by a separate process (as the application would), then the whole database is dumped
(`pg_dump` on PostgreSQL; `iterdump` and the raw file bytes on SQLite) and the process's logs are
read: none of the canaries may appear. After her erasure, nothing of her remains at all."""

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
CANARIES = {
    "full_name": "Canaryfullname Zqx",
    "other_names": "Canaryothername Zqx",
    "phone": "+919876501234",
    "phone_national": "9876501234",
    "id": "CANARYID778899",
    "address": "Canaryaddress lane Zqx",
    "notes": "Canarynote Zqx",
    "lat": "12.345678",
    "sms": "Canarysms Zqx",
    "scheme_reference": "CANARYREF556677",
    "scheme_next_step": "Canarynextstep Zqx",
}

SCRIPT = f"""
import os
from doorstep.organizations import services as orgs
from doorstep.organizations.models import User
from doorstep.members.services import pii, registry, rights
from doorstep.members.models import Member
admin = User.objects.create_superuser("root", password="x-" + "{uuid.uuid4().hex}")
org = orgs.create_organization(name="Org", slug="org", kind="union", country="IN", actor=admin)
orgs.add_person(org, username="boss", role="org_admin", actor=admin)
boss = User.objects.get(username="boss")
member = registry.create_member(org, actor=boss, data={{
    "full_name": "{CANARIES["full_name"]}", "other_names": "{CANARIES["other_names"]}",
    "phones": ["{CANARIES["phone"]}"], "national_id": "{CANARIES["id"]}", "address": "{CANARIES["address"]}",
    "notes": "{CANARIES["notes"]}", "latitude": "{CANARIES["lat"]}", "longitude": "76.5",
    "category": "homeworker"}})
registry.update_member(member, data={{"notes": "{CANARIES["notes"]} again"}}, actor=boss)
from doorstep.protection import services as protection
from doorstep.protection.models import Scheme
protection.start_application(org, protection.ApplicationInput(
    member_id=member.pk, scheme_id=Scheme.objects.get(reference_key="in-eshram").pk,
    reference_number="{CANARIES["scheme_reference"]}",
    next_step="{CANARIES["scheme_next_step"]}"), actor=boss)
protection.find_by_reference(org, "{CANARIES["scheme_reference"]}", actor=boss)
pii.reveal_pii([member], actor=boss, reason="test")
# Her text messages: one in, answered (the answer queued, sealed), one a report by HELP.
from datetime import date
from doorstep.members.services import consent
from doorstep.messaging.services import channels, receiving
consent.record_consent(member, purpose="contact", given=True, effective_on=date.today(), method="paper",
                       actor=boss)
channel = channels.connect_channel(org, channels.ChannelInput(kind="external", name="gw",
    send_url="http://127.0.0.1:9/send", secret="{CANARIES["sms"]} secret"), actor=boss)
receiving.receive(channel, {{"from": "{CANARIES["phone"]}", "text": "{CANARIES["sms"]} one", "id": "m1"}})
receiving.receive(channel, {{"from": "{CANARIES["phone"]}", "text": "HELP {CANARIES["sms"]} 2", "id": "m2"}})
receiving.receive(channel, {{"from": "+919812300000", "text": "{CANARIES["sms"]} three", "id": "m3"}})
rights.export_member(Member.objects.get(pk=member.pk), actor=boss)
if os.environ.get("CANARY_ERASE"):
    rights.erase_member(Member.objects.get(pk=member.pk), actor=boss)
print("member", member.pk)
"""


def _run(env, *args):
    return subprocess.run(
        [sys.executable, "-m", "doorstep", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _assert_no_canaries(text: str, where: str):
    for name, canary in CANARIES.items():
        assert canary.lower() not in text.lower(), f"{name} found in {where}"


@pytest.fixture
def fresh_database(tmp_path):
    """A database of its own for the separate process: a new PostgreSQL database or an SQLite file."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DOORSTEP_LOG_LEVEL"] = "DEBUG"
    default = settings.DATABASES["default"]
    if default["ENGINE"].endswith("postgresql"):
        import psycopg

        name = f"doorstep_canary_{uuid.uuid4().hex[:10]}"
        admin_url = f"postgresql://{default['USER']}@{default['HOST']}:{default['PORT'] or 5432}/postgres"
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = admin_url.rsplit("/", 1)[0] + f"/{name}"
        yield "postgresql", env, env["DATABASE_URL"]
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        path = tmp_path / "canary.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{path}"
        yield "sqlite", env, path


def _dump(kind, target) -> str:
    if kind == "postgresql":
        if shutil.which("pg_dump") is None:
            pytest.skip("pg_dump is not installed (Debian package postgresql-client)")
        return subprocess.run(
            ["pg_dump", "--no-owner", str(target)], capture_output=True, text=True, check=True, timeout=120
        ).stdout
    import sqlite3

    connection = sqlite3.connect(target)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    text = "\n".join(connection.iterdump())
    connection.close()
    raw = b"".join(p.read_bytes() for p in Path(target).parent.glob(Path(target).name + "*"))
    return text + raw.decode("latin-1")


@pytest.mark.parametrize("erase", [False, True], ids=["stored", "erased"])
def test_a_database_dump_and_the_logs_hold_no_personal_data(fresh_database, erase):
    kind, env, target = fresh_database
    migrated = _run(env, "migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stderr
    result = _run({**env, "CANARY_ERASE": "1" if erase else ""}, "shell", "-c", SCRIPT)
    assert result.returncode == 0, result.stderr
    assert "member" in result.stdout
    dump = _dump(kind, target)
    assert "core_auditevent" in dump and "members_member" in dump
    assert "messaging_inboxmessage" in dump and "messaging_outboxmessage" in dump
    _assert_no_canaries(dump, f"the {kind} dump")
    _assert_no_canaries(result.stdout + result.stderr, "the logs")
    if erase:
        assert "member.erased" in dump
