"""End to end through a real Kannel on 127.0.0.1: bearerbox, smsbox and the fake SMSC (``fakesmsc``)
of the Debian packages ``kannel`` and ``kannel-extras``, configured in a temporary folder. Doorstep
runs as a live server that Kannel's get-url and dlr-url reach. A notice goes out through Kannel and
arrives at the fake SMSC; replies typed into the fake SMSC come back through Kannel and are handled:
YES answers the notice's question, BAL tells what she is owed, STOP withdraws her consent."""

import importlib
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.db import connection

from doorstep.members.models import ConsentEvent
from doorstep.messaging.models import InboxMessage, OutboxMessage
from doorstep.messaging.services import channels, notices

from .conftest import PHONE, PIN
from .test_receiving import _owed_order

BEARERBOX, SMSBOX = "/usr/sbin/bearerbox", "/usr/sbin/smsbox"
FAKESMSC = "/usr/lib/kannel/test/fakesmsc"
SENDER = "1234"

pytestmark = pytest.mark.skipif(
    not all(Path(p).exists() for p in (BEARERBOX, SMSBOX, FAKESMSC)),
    reason="Kannel is not installed (Debian packages kannel and kannel-extras: bearerbox, smsbox, fakesmsc)",
)


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def _wait_for(check, what: str, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"waited {seconds} s for {what}")


CONFIG = """
group = core
admin-port = {admin}
admin-password = {secret}
smsbox-port = {box}
box-allow-ip = 127.0.0.1
admin-allow-ip = 127.0.0.1
log-level = 1
log-file = "{folder}/bearerbox.log"
dlr-storage = internal

group = smsc
smsc = fake
smsc-id = fake
port = {smsc}
connect-allow-ip = 127.0.0.1

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = {box}
sendsms-port = {sendsms}
sendsms-interface = 127.0.0.1
log-level = 1
log-file = "{folder}/smsbox.log"

group = sendsms-user
username = doorstep
password = {secret}

group = sms-service
keyword = default
get-url = "{doorstep}/sms/{token}/receive?from=%p&text=%a&id=%I"
max-messages = 0
"""


AUDIT_TRIGGERS = importlib.import_module("doorstep.core.migrations.0002_audit_append_only")


@pytest.fixture
def _audit_triggers_back(django_db_blocker):
    """Set up before the database, torn down after its flush: SQLite's append-only triggers again."""
    yield
    if connection.vendor == "sqlite":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            for statement in AUDIT_TRIGGERS.SQLITE:
                cursor.execute(statement)


@pytest.fixture
def live_database(_audit_triggers_back, committed_db):
    """Committed writes the live server's thread sees. On SQLite the flush that ends the test meets
    the audit log's append-only triggers (PostgreSQL's fixture turns them off itself): off for it."""
    yield
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for statement in AUDIT_TRIGGERS.SQLITE_REVERSE:
                cursor.execute(statement)


@pytest.fixture(autouse=True)
def _live_server_helper(request):
    """pytest-django's helper of this name asks for the database before any fixture of the test can
    come first; here ``live_database`` asks for it, after ``_audit_triggers_back``."""
    if "live_server" not in request.fixturenames:
        yield
        return
    server = request.getfixturevalue("live_server")
    server._live_server_modified_settings.enable()
    yield
    server._live_server_modified_settings.disable()


@pytest.fixture
def kannel(live_database, tmp_path, live_server, settings, world):
    """Union A's Kannel channel, with Kannel running; yields (channel, fake SMSC process, its output)."""
    settings.BASE_URL = live_server.url
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    admin, box, smsc, sendsms = _free_ports(4)
    secret = "kannel-pw-1"
    channel = channels.connect_channel(
        world.org_a,
        channels.ChannelInput(
            kind="kannel",
            name="Kannel",
            send_url=f"http://127.0.0.1:{sendsms}/cgi-bin/sendsms",
            sender=SENDER,
            login="doorstep",
            secret=secret,
        ),
        actor=world.admin_a,
    )
    config = tmp_path / "kannel.conf"
    config.write_text(
        CONFIG.format(
            admin=admin,
            box=box,
            smsc=smsc,
            sendsms=sendsms,
            secret=secret,
            folder=tmp_path,
            doorstep=live_server.url,
            token=channel.token,
        )
    )
    output = tmp_path / "fakesmsc.out"
    processes = []
    try:
        processes.append(
            subprocess.Popen([BEARERBOX, str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        )
        _wait_for(lambda: _listening(box), "bearerbox")
        processes.append(
            subprocess.Popen([SMSBOX, str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        )
        _wait_for(lambda: _listening(sendsms), "smsbox's sendsms port")
        with output.open("w") as sink:
            fake = subprocess.Popen(
                [FAKESMSC, "-H", "127.0.0.1", "-r", str(smsc), "-i", "0.1"],
                stdin=subprocess.PIPE,
                stdout=sink,
                stderr=subprocess.STDOUT,
                text=True,
            )
        processes.append(fake)
        _wait_for(
            lambda: "Fakesmsc client connected" in _read(tmp_path / "bearerbox.log"), "fakesmsc to connect"
        )
        yield channel, fake, output
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _read(path: Path) -> str:
    return path.read_text(errors="replace") if path.exists() else ""


def _received(output: Path, words: str) -> bool:
    """Whether the fake SMSC got a message to her with these words."""
    return any(
        "Got message" in line and f"{SENDER} {PHONE} text {words}" in line
        for line in _read(output).splitlines()
    )


def _text_in(fake, words: str) -> None:
    fake.stdin.write(f"{PHONE} {SENDER} text {words}\n")
    fake.stdin.flush()


def test_a_notice_and_her_replies_go_through_kannel(kannel, world, member):
    _channel, fake, output = kannel
    _owed_order(world, member)
    notice = notices.create_notice(
        world.org_a,
        notices.NoticeInput(
            title="Meeting", texts={"en": "Meeting on Friday at ten. Will you come?"}, asks_question=True
        ),
        actor=world.organizer_a,
    )
    notices.send_notice(notice, actor=world.organizer_a)
    _wait_for(
        lambda: _received(output, "Meeting on Friday at ten. Will you come?"), "the notice at the fake SMSC"
    )

    _text_in(fake, "YES")
    _wait_for(lambda: _received(output, "Thank you, your answer is recorded."), "the answer to YES")
    assert OutboxMessage.objects.get(notice=notice).answer == "yes"

    _text_in(fake, f"BAL {PIN}")
    _wait_for(lambda: _received(output, "You are owed 500.00 INR by 1 work givers."), "the answer to BAL")

    _text_in(fake, "STOP")
    _wait_for(lambda: _received(output, "You will get no more messages from us."), "the answer to STOP")
    event = ConsentEvent.objects.filter(member=member).latest("pk")
    assert (event.purpose, event.given, event.method) == ("contact", False, "sms")
    assert InboxMessage.objects.filter(member=member).count() == 3
    # Kannel reported delivery of the notice back through its dlr-url.
    _wait_for(
        lambda: OutboxMessage.objects.get(notice=notice).status in ("sent", "delivered"),
        "the notice's report",
    )
