"""Fixtures for the notification tests: a private SMS file, and people who can be reached."""

import pytest

from evac.notifications import sms
from evac.notifications.sms import FileSmsBackend
from tests.factories import make_citizen


@pytest.fixture(autouse=True)
def sms_file(settings, tmp_path) -> FileSmsBackend:
    """Every test's SMS go to a file of its own, read back through the backend."""
    settings.EVAC_SMS_BACKEND = "evac.notifications.sms.FileSmsBackend"
    settings.EVAC_SMS_FILE = tmp_path / "sms-outbox.log"
    sms._backend.cache_clear()
    yield FileSmsBackend(settings.EVAC_SMS_FILE)
    sms._backend.cache_clear()


@pytest.fixture
def olena(operation, almaty):
    """Waiting in Almaty; reads Ukrainian, by SMS."""
    return make_citizen(
        operation, almaty, surname="Koval", phone="+77011234567", preferred_language="uk"
    )


@pytest.fixture
def john(operation, almaty):
    """Waiting in Almaty; reads English, prefers e-mail."""
    return make_citizen(
        operation,
        almaty,
        surname="Smith",
        given_names="John",
        phone="+77017654321",
        email="john@example.org",
        preferred_language="en",
        preferred_channel="email",
    )
