"""SMS: how long a text is in segments, and the backends that hand a text to a provider.

A backend has one job: `send(to=..., text=..., reference=...)` returns the provider's id for
the message, or raises TransientSendError (try again later: timeouts, 429, 5xx) or
PermanentSendError (never works: a bad number, a refused account). `reference` is our
notification's id, which a provider may keep with the message.

`find_sent(reference=..., to=..., text=..., since=...)` answers, after a worker died in the
middle of a send, whether the provider has the message: its id if so, "" if it certainly
has not, None if it can't tell. Only a certain "no" lets Evac send it again.

`forget(references=...)` erases the number and text of those messages from whatever copy
Evac itself keeps (the file backend's file), when their operation is anonymised; a real
provider keeps its own copies, out of reach.
"""

import base64
import json
import logging
import os
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Protocol
from uuid import uuid4

from django.conf import settings
from django.utils.module_loading import import_string

from evac.core.clock import now

logger = logging.getLogger(__name__)

# The longest SMS Evac sends, in segments: beyond 3 some phones and networks drop parts.
MAX_SMS_SEGMENTS = 3


class SendError(Exception):
    pass


class TransientSendError(SendError):
    """Worth trying again later."""


class PermanentSendError(SendError):
    """Will never work as it is; staff must look."""


class SmsBackend(Protocol):
    def send(self, *, to: str, text: str, reference: str) -> str: ...

    def find_sent(self, *, reference: str, to: str, text: str, since: datetime) -> str | None: ...

    def forget(self, *, references: set[str]) -> int: ...


# Segments ---------------------------------------------------------------------------------

# The GSM 03.38 default alphabet; a text made only of these goes as 7-bit GSM.
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: each of these takes two septets.
GSM_EXTENDED = frozenset("^{}\\[~]|€\f")


@dataclass(frozen=True)
class SmsLength:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets for GSM-7, UTF-16 code units for UCS-2
    segments: int


def sms_length(text: str) -> SmsLength:
    """How many segments a text takes: 160/153 GSM-7 septets or 70/67 UCS-2 units each."""
    if all(ch in GSM_BASIC or ch in GSM_EXTENDED for ch in text):
        units = sum(2 if ch in GSM_EXTENDED else 1 for ch in text)
        single, multi, encoding = 160, 153, "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, multi, encoding = 70, 67, "UCS-2"
    segments = 1 if units <= single else -(-units // multi)
    return SmsLength(encoding, units, segments)


# Backends ---------------------------------------------------------------------------------


@cache
def _backend(path: str) -> SmsBackend:
    return import_string(path)()


def sms_backend() -> SmsBackend:
    """The configured backend, one per process (the HTTP one keeps its rate limit in it)."""
    return _backend(settings.EVAC_SMS_BACKEND)


class FileSmsBackend:
    """Appends each message as one JSON line to EVAC_SMS_FILE: the demo's and tests' phone.

    One write() of one line on a file opened for appending, so lines from several worker
    processes never interleave. Since every line names its notification, the file can also
    say for certain whether a message was handed over.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path or settings.EVAC_SMS_FILE)

    def send(self, *, to: str, text: str, reference: str) -> str:
        message_id = f"file-{uuid4().hex}"
        line = {"at": now().isoformat(), "reference": reference, "to": to, "id": message_id}
        line["text"] = text
        data = (json.dumps(line, ensure_ascii=False) + "\n").encode()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, data)
        except OSError as error:
            raise TransientSendError(f"can't write {self.path}: {error}") from error
        finally:
            os.close(fd)
        return message_id

    def find_sent(self, *, reference: str, to: str, text: str, since: datetime) -> str | None:
        for line in self.read():
            if line.get("reference") == reference:
                return line["id"]
        return ""

    def read(self) -> list[dict]:
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as file:
            return [json.loads(line) for line in file if line.strip()]

    def forget(self, *, references: set[str]) -> int:
        """Blank the number and text of these messages' lines, in place; 1 if the file changed.

        Worker processes keep appending to the file while this runs (O_APPEND, one write per
        line), so it is never replaced or truncated: each line of ours is overwritten with
        one of the same length (padded with spaces, which JSON allows), and nothing past the
        end read here is touched.
        """
        if not self.path.exists() or not references:
            return 0
        changed = 0
        fd = os.open(self.path, os.O_RDWR)
        try:
            offset = 0
            for line in _complete_lines(fd):
                blanked = _blanked_line(line, references)
                if blanked is not None:
                    os.pwrite(fd, blanked, offset)
                    changed = 1
                offset += len(line) + 1
        finally:
            os.close(fd)
        return changed


def _complete_lines(fd: int) -> list[bytes]:
    data = os.pread(fd, os.fstat(fd).st_size, 0)
    # A line still being written has no newline yet; it is someone else's, and left alone.
    return data.split(b"\n")[:-1]


def _blanked_line(line: bytes, references: set[str]) -> bytes | None:
    try:
        message = json.loads(line)
    except ValueError:
        return None
    if str(message.get("reference")) not in references:
        return None
    if not (message.get("to") or message.get("text")):
        return None
    blank = json.dumps({**message, "to": "", "text": ""}, ensure_ascii=False).encode()
    return blank.ljust(len(line), b" ")


class ConsoleSmsBackend:
    """Logs each message; it can't say afterwards what was sent."""

    def send(self, *, to: str, text: str, reference: str) -> str:
        message_id = f"console-{uuid4().hex}"
        # Not the text: it may hold a one-time code, and no log may.
        logger.info(
            "SMS %s to %s (notification %s), %d characters", message_id, to, reference, len(text)
        )
        return message_id

    def find_sent(self, *, reference: str, to: str, text: str, since: datetime) -> str | None:
        return None

    def forget(self, *, references: set[str]) -> int:
        return 0  # the log is the operators' to rotate


class RateLimiter:
    """At most `per_second` calls a second in this process, by waiting for the next slot.

    Per process: with N worker processes the provider sees up to N × per_second, so set it
    to the provider's limit divided by the number of worker processes.
    """

    def __init__(self, per_second: float, clock=time.monotonic, sleep=time.sleep) -> None:
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self.clock, self.sleep = clock, sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            moment = self.clock()
            slot = max(moment, self._next)
            self._next = slot + self.interval
        if slot > moment:
            self.sleep(slot - moment)


class TwilioSmsBackend:
    """Twilio's Messages REST API over HTTPS, configured from the environment.

    https://www.twilio.com/docs/messaging/api/message-resource — POST To, From (or
    MessagingServiceSid) and Body with HTTP basic auth; the answer's "sid" is the id.
    """

    def __init__(self) -> None:
        self.account_sid = settings.EVAC_TWILIO_ACCOUNT_SID
        self.auth_token = settings.EVAC_TWILIO_AUTH_TOKEN
        self.sender = settings.EVAC_TWILIO_FROM
        self.api_url = settings.EVAC_TWILIO_API_URL.rstrip("/")
        self.timeout = settings.EVAC_SMS_TIMEOUT_SECONDS
        self.limiter = RateLimiter(settings.EVAC_SMS_PER_SECOND)
        if not self.api_url.startswith(("https://", "http://")):
            raise PermanentSendError("EVAC_TWILIO_API_URL must be an http(s) address")
        if not (self.account_sid and self.auth_token and self.sender):
            raise PermanentSendError(
                "Twilio needs EVAC_TWILIO_ACCOUNT_SID, EVAC_TWILIO_AUTH_TOKEN and EVAC_TWILIO_FROM"
            )

    def _messages_url(self) -> str:
        account = urllib.parse.quote(self.account_sid, safe="")
        return f"{self.api_url}/2010-04-01/Accounts/{account}/Messages.json"

    def _request(self, request: urllib.request.Request) -> dict:
        credentials = f"{self.account_sid}:{self.auth_token}".encode()
        request.add_header("Authorization", "Basic " + base64.b64encode(credentials).decode())
        request.add_header("Accept", "application/json")
        self.limiter.wait()
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return json.load(response)
        except urllib.error.HTTPError as error:
            # Only the status and Twilio's error code are kept: its text may quote the
            # number or the message (a one-time code), and staff read last_error.
            said = f"Twilio answered {error.code}{_twilio_code(error.read(2000))}"
            # 429 and 5xx pass; any other 4xx (bad number, bad credentials) won't.
            if error.code == 429 or error.code >= 500:
                raise TransientSendError(said) from error
            raise PermanentSendError(said) from error
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
            raise TransientSendError(f"Twilio unreachable ({type(error).__name__})") from error

    def send(self, *, to: str, text: str, reference: str) -> str:
        sender = "MessagingServiceSid" if self.sender.startswith("MG") else "From"
        form = urllib.parse.urlencode({"To": to, sender: self.sender, "Body": text}).encode()
        request = urllib.request.Request(self._messages_url(), data=form)  # noqa: S310
        answer = self._request(request)
        sid = answer.get("sid")
        if not sid:
            raise TransientSendError(f"Twilio gave no message sid{_twilio_code(answer)}")
        return sid

    def find_sent(self, *, reference: str, to: str, text: str, since: datetime) -> str | None:
        """Twilio keeps no reference of ours, but lists the messages to a number, newest first.

        Queued messages have no send date yet, so the list is not filtered by date: a text
        found among them was accepted; a complete list without it is a certain "no".
        """
        query = urllib.parse.urlencode({"To": to, "PageSize": 100})
        try:
            url = f"{self._messages_url()}?{query}"
            answer = self._request(urllib.request.Request(url))  # noqa: S310
        except SendError:
            return None
        for message in answer.get("messages", []):
            if message.get("body") == text:
                return message.get("sid") or None
        return "" if not answer.get("next_page_uri") else None

    def forget(self, *, references: set[str]) -> int:
        # Twilio keeps its own copies, under its own retention; Evac keeps none.
        return 0


def _twilio_code(answer: bytes | dict) -> str:
    """ ", error 21211" from Twilio's answer (JSON bytes or parsed), or nothing: never its text."""
    if isinstance(answer, bytes):
        try:
            answer = json.loads(answer)
        except ValueError:
            return ""
    code = answer.get("code") if isinstance(answer, dict) else None
    return f", error {code}" if isinstance(code, int) else ""
