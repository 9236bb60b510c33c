"""A stand-in gateway on 127.0.0.1 that records every request and answers as a Kannel, an External
or a Twilio-compatible gateway would (or fails as told), and a member who may be texted."""

import json
import threading
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from doorstep.members.services import consent
from doorstep.members.services import logins as login_services
from doorstep.messaging.services import channels

PHONE = "+919812345678"
PIN = "482916"


@dataclass
class Seen:
    method: str
    path: str
    query: dict
    headers: dict
    form: dict


@dataclass
class Gateway:
    url: str
    requests: list[Seen] = field(default_factory=list)
    fail_with: int | None = None  # an HTTP status to answer instead of accepting
    delay: float = 0.0

    def last(self) -> Seen:
        return self.requests[-1]


@pytest.fixture
def gateway():
    state = Gateway(url="")

    class Handler(BaseHTTPRequestHandler):
        def _answer(self):
            if state.delay:
                threading.Event().wait(state.delay)
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            state.requests.append(
                Seen(
                    self.command,
                    parts.path,
                    {k: v[0] for k, v in parse_qs(parts.query).items()},
                    dict(self.headers.items()),
                    {k: v[0] for k, v in parse_qs(body).items()},
                )
            )
            if state.fail_with:
                self.send_response(state.fail_with)
                self.end_headers()
                self.wfile.write(b"no")
                return
            if parts.path.endswith("Messages.json"):
                status, payload = 201, json.dumps({"sid": f"SM{len(state.requests):032d}"}).encode()
            elif parts.path.endswith("sendsms"):
                status, payload = 202, b"0: Accepted for delivery"
            else:
                status, payload = 200, b"ok"
            self.send_response(status)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = _answer

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def connect(world, gateway, settings):
    """``connect(kind)`` connects Union A to the stand-in gateway as that kind."""
    settings.BASE_URL = "http://doorstep.test"

    def make(kind="kannel", **extra):
        send_url = {
            "kannel": f"{gateway.url}/cgi-bin/sendsms",
            "external": f"{gateway.url}/send",
            "twilio": gateway.url,
        }[kind]
        data = {
            "kind": kind,
            "name": f"{kind} gateway",
            "send_url": send_url,
            "sender": "+919800000000",
            "login": "doorstep" if kind != "twilio" else "AC123",
            "secret": "gw-secret-1",
            **extra,
        }
        return channels.connect_channel(world.org_a, channels.ChannelInput(**data), actor=world.admin_a)

    return make


@pytest.fixture
def member(world, register):
    """Sunita, with a phone, consent to be contacted and a login PIN."""
    made = register(phones=[PHONE], languages=["en"])
    consent.record_consent(
        made, purpose="contact", given=True, effective_on=date.today(), method="paper", actor=world.admin_a
    )
    return login_services.give_login(made, pin=PIN, actor=world.admin_a)
