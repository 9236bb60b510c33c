"""Filling a form in the browser through Enketo. Enketo is another program: here a stand-in for its
survey API (``POST /api/v2/survey``, as Enketo Express documents it) listens on 127.0.0.1 for the test
and stops with it."""

import base64
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from doorstep.core.models import AuditEvent
from doorstep.surveys import services

pytestmark = pytest.mark.django_db
API_KEY = "enketo-test-key"


@pytest.fixture
def enketo(settings):
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            form = urllib.parse.parse_qs(self.rfile.read(length).decode())
            received.append((self.path, self.headers.get("Authorization"), form))
            expected = "Basic " + base64.b64encode(f"{API_KEY}:".encode()).decode()
            if self.headers.get("Authorization") != expected:
                self.send_response(401)
                self.end_headers()
                return
            body = json.dumps({"url": f"https://enketo.example/x/{form['form_id'][0]}", "code": 201}).encode()
            self.send_response(201)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.ENKETO_URL = f"http://127.0.0.1:{server.server_address[1]}"
    settings.ENKETO_API_KEY = API_KEY
    yield received
    server.shutdown()
    server.server_close()


def test_the_form_page_sends_her_to_enketo(world, login, mapping_form, enketo):
    client = login(world.organizer_a)
    url = f"/orgs/union-a/surveys/forms/{mapping_form.pk}/"
    assert "Enketo" not in client.get(url).content.decode()  # a draft: nothing to fill yet
    services.set_state(mapping_form, "open", actor=world.admin_a)
    assert "Fill it in the browser (Enketo)" in client.get(url).content.decode()
    response = client.post(url + "enketo/")
    assert (
        response.status_code == 302 and response["Location"] == "https://enketo.example/x/homeworker_mapping"
    )
    path, _auth, sent = enketo[0]
    assert path == "/api/v2/survey"
    assert sent == {"server_url": ["http://testserver/openrosa/union-a"], "form_id": ["homeworker_mapping"]}
    assert AuditEvent.objects.filter(action="form.enketo_opened").exists()


def test_a_refusal_or_silence_from_enketo_is_said_plainly(world, login, mapping_form, enketo, settings):
    services.set_state(mapping_form, "open", actor=world.admin_a)
    client = login(world.organizer_a)
    url = f"/orgs/union-a/surveys/forms/{mapping_form.pk}/"
    settings.ENKETO_API_KEY = "wrong"
    page = client.post(url + "enketo/", follow=True).content.decode()
    assert "Enketo refused the request (HTTP 401)." in page
    settings.ENKETO_URL = "http://127.0.0.1:9"  # nothing listens there
    page = client.post(url + "enketo/", follow=True).content.decode()
    assert "Enketo did not answer; try again later." in page
    settings.ENKETO_URL = ""
    assert "Enketo" not in client.get(url).content.decode()
    assert (
        login(world.admin_b).post(f"/orgs/coop-b/surveys/forms/{mapping_form.pk}/enketo/").status_code == 404
    )
