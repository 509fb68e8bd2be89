"""Errors go to Sentry when SENTRY_DSN is set, and nowhere when it isn't."""

import gzip
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from django.conf import settings

from tests.core.test_celery_worker import _environment

SCRIPT = """
import django, sentry_sdk
django.setup()
print("initialised" if sentry_sdk.is_initialized() else "off")
sentry_sdk.capture_message("evac test event")
sentry_sdk.flush(timeout=10)
"""


class _Collector(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            # sentry-sdk compresses with brotli whenever that module is installed.
            import brotli

            body = brotli.decompress(body)
        self.received.append(body)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def _run(tmp_path, **variables: str) -> str:
    env = _environment(tmp_path, DEBUG="0", **variables)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


def test_an_event_reaches_sentry_when_a_dsn_is_set(tmp_path):
    server = HTTPServer(("127.0.0.1", 0), _Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        dsn = f"http://publickey@127.0.0.1:{server.server_port}/1"
        assert _run(tmp_path, SENTRY_DSN=dsn) == "initialised"
    finally:
        server.shutdown()

    assert any(b"evac test event" in body for body in _Collector.received)


def test_nothing_is_sent_without_a_dsn(tmp_path):
    assert _run(tmp_path, SENTRY_DSN="") == "off"
