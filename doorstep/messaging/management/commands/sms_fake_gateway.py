"""``python -m doorstep sms_fake_gateway``: a stand-in SMS gateway for trying Doorstep on a laptop.

It listens on 127.0.0.1 (port 13013 by default) in the shape of RapidPro's External API channel,
prints every message Doorstep sends to it, and with ``--reply-to <channel's receive address>``
lets you type a member's message (``+919812345678 BAL 482916``) that it hands to Doorstep as her
phone's gateway would. Development only: it prints numbers and words."""

import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run a fake SMS gateway on 127.0.0.1 that prints what Doorstep sends (development only)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=13013)
        parser.add_argument("--reply-to", default="", help="A channel's address for incoming messages.")

    def handle(self, *args, port: int, reply_to: str, **options):
        out = self.stdout

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in urllib.parse.parse_qs(self.rfile.read(length).decode()).items()}
                out.write(f"to {form.get('to', '?')}: {form.get('text', '')}  (id {form.get('id', '')})")
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        out.write(f"Fake SMS gateway on http://127.0.0.1:{port}/send (Ctrl-C to stop)")
        try:
            while True:
                line = input("> " if reply_to else "").strip()
                if reply_to and line:
                    sender, _sep, text = line.partition(" ")
                    data = urllib.parse.urlencode({"from": sender, "text": text}).encode()
                    with urllib.request.urlopen(reply_to, data=data, timeout=10) as answer:  # noqa: S310 - typed by the developer
                        out.write(f"Doorstep answered {answer.status}")
        except (EOFError, KeyboardInterrupt):
            pass
        finally:
            server.shutdown()
