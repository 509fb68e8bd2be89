"""Fixtures for the portal: a private SMS file, an empty rate-limit cache, people to find."""

import re
from datetime import date

import pytest
from django.core.cache import cache

from evac.notifications import sms
from evac.notifications.delivery import notification_send
from evac.notifications.models import Notification
from evac.notifications.sms import FileSmsBackend
from tests.factories import make_citizen


@pytest.fixture(autouse=True)
def sms_file(settings, tmp_path) -> FileSmsBackend:
    settings.EVAC_SMS_BACKEND = "evac.notifications.sms.FileSmsBackend"
    settings.EVAC_SMS_FILE = tmp_path / "sms-outbox.log"
    sms._backend.cache_clear()
    yield FileSmsBackend(settings.EVAC_SMS_FILE)
    sms._backend.cache_clear()


@pytest.fixture(autouse=True)
def empty_cache():
    """The configured cache (files, or Redis with CACHE_URL), cleared around each test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def olena(operation, almaty):
    return make_citizen(
        operation,
        almaty,
        surname="Koval",
        given_names="Olena",
        date_of_birth=date(1985, 3, 14),
        phone="+77011234567",
        preferred_language="en",
    )


def send_all_pending() -> list[Notification]:
    """Send every pending message now, in this process, as a worker would."""
    pending = list(Notification.objects.filter(status=Notification.Status.PENDING))
    for notification in pending:
        notification_send(notification_id=notification.pk)
    return pending


def last_code(sms_file: FileSmsBackend) -> str:
    """The six digits of the newest SMS in the file that holds a code."""
    for line in reversed(sms_file.read()):
        found = re.search(r"\b(\d{6})\b", line["text"])
        if found:
            return found.group(1)
    raise AssertionError("no code was sent")
