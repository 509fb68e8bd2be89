"""The Twilio backend against a local HTTP server that answers as Twilio's API does."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from evac.notifications.sms import (
    PermanentSendError,
    RateLimiter,
    TransientSendError,
    TwilioSmsBackend,
)


class FakeTwilio(BaseHTTPRequestHandler):
    answers: list[tuple[int, dict]] = []
    requests: list[dict] = []

    def _answer(self):
        status, body = self.answers.pop(0)
        if status == 0:  # a server that never answers in time
            threading.Event().wait(2)
            return
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        form = parse_qs(self.rfile.read(length).decode())
        self.requests.append({"path": self.path, "auth": self.headers["Authorization"], **form})
        self._answer()

    def do_GET(self):
        self.requests.append({"path": self.path})
        self._answer()

    def log_message(self, *args):
        pass


@pytest.fixture
def twilio(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeTwilio)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeTwilio.answers, FakeTwilio.requests = [], []
    settings.EVAC_TWILIO_API_URL = f"http://127.0.0.1:{server.server_port}"
    settings.EVAC_TWILIO_ACCOUNT_SID = "AC123"
    settings.EVAC_TWILIO_AUTH_TOKEN = "secret"
    settings.EVAC_TWILIO_FROM = "+15005550006"
    settings.EVAC_SMS_TIMEOUT_SECONDS = 1
    settings.EVAC_SMS_PER_SECOND = 1000
    yield FakeTwilio
    server.shutdown()
    server.server_close()


def test_a_message_is_posted_with_basic_auth_and_twilios_sid_comes_back(twilio):
    twilio.answers.append((201, {"sid": "SM42", "status": "queued"}))

    message_id = TwilioSmsBackend().send(to="+77011234567", text="Привіт", reference="7")

    assert message_id == "SM42"
    (request,) = twilio.requests
    assert request["path"] == "/2010-04-01/Accounts/AC123/Messages.json"
    assert request["auth"] == "Basic QUMxMjM6c2VjcmV0"  # AC123:secret
    assert (request["To"], request["From"], request["Body"]) == (
        ["+77011234567"],
        ["+15005550006"],
        ["Привіт"],
    )


def test_a_bad_number_is_permanent(twilio):
    twilio.answers.append((400, {"code": 21211, "message": "The 'To' number is not valid."}))

    with pytest.raises(PermanentSendError, match="21211"):
        TwilioSmsBackend().send(to="+1", text="x", reference="7")


@pytest.mark.parametrize("status", [429, 500, 503])
def test_too_many_requests_and_server_errors_are_transient(twilio, status):
    twilio.answers.append((status, {"message": "try later"}))

    with pytest.raises(TransientSendError):
        TwilioSmsBackend().send(to="+77011234567", text="x", reference="7")


def test_a_server_that_does_not_answer_in_time_is_transient(twilio):
    twilio.answers.append((0, {}))

    with pytest.raises(TransientSendError):
        TwilioSmsBackend().send(to="+77011234567", text="x", reference="7")


def test_it_finds_a_message_it_accepted_and_says_no_for_one_it_did_not(twilio):
    listing = {"messages": [{"sid": "SM1", "body": "Your flight"}], "next_page_uri": None}
    twilio.answers += [(200, listing), (200, listing)]
    backend = TwilioSmsBackend()

    found = backend.find_sent(reference="7", to="+77011234567", text="Your flight", since=None)
    missing = backend.find_sent(reference="7", to="+77011234567", text="Other", since=None)

    assert (found, missing) == ("SM1", "")


def test_without_credentials_every_send_fails_for_staff_to_see(settings):
    settings.EVAC_TWILIO_ACCOUNT_SID = ""

    with pytest.raises(PermanentSendError, match="EVAC_TWILIO_ACCOUNT_SID"):
        TwilioSmsBackend()


def test_the_rate_limiter_spaces_calls_by_the_providers_rate():
    clock = [100.0]
    slept = []

    def sleep(seconds):
        slept.append(round(seconds, 3))
        clock[0] += seconds

    limiter = RateLimiter(4, clock=lambda: clock[0], sleep=sleep)
    for _ in range(5):
        limiter.wait()

    assert slept == [0.25, 0.25, 0.25, 0.25]


def test_an_error_keeps_twilios_code_but_never_its_text(twilio):
    """Twilio's text may quote the number or the message (with a one-time code)."""
    said = "The 'To' number +77011234567 is not valid. Body: your code is 482913"
    twilio.answers.append((400, {"code": 21211, "message": said, "more_info": said}))
    twilio.answers.append((500, {"code": 20500, "message": said}))
    twilio.answers.append((201, {"status": "queued", "to": "+77011234567", "body": said}))

    errors = []
    for expected in (PermanentSendError, TransientSendError, TransientSendError):
        with pytest.raises(expected) as raised:
            TwilioSmsBackend().send(to="+77011234567", text="482913", reference="7")
        errors.append(str(raised.value))
    assert all("7011234567" not in e and "482913" not in e for e in errors), errors
    assert "21211" in errors[0] and "20500" in errors[1]
