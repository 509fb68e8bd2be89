"""Shared fixtures, and the rule for tests that need PostgreSQL, Redis or Chromium.

Such tests skip with a reason when the service is absent, so `make test` passes on any
machine. With EVAC_REQUIRE_SERVICES=1 (as .ci/run sets it) a missing service fails the test
instead, so CI can't go green by skipping.
"""

import os
import shutil
import socket
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import datetime
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.utils import translation

from evac.celery import app as celery_app
from evac.core import clock
from evac.core.broker import broker_forget_failure
from evac.operations.models import Role
from evac.places.models import Airport
from tests import factories
from tests.logins import StaffClient

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
SERVICES_REQUIRED = os.environ.get("EVAC_REQUIRE_SERVICES", "") == "1"


def _redis_reachable() -> bool:
    url = urlparse(REDIS_URL)
    try:
        with socket.create_connection((url.hostname or "127.0.0.1", url.port or 6379), timeout=1):
            return True
    except OSError:
        return False


def _on_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


SERVICES = {
    "postgres": (_on_postgres, "needs PostgreSQL: run with DATABASE_URL=postgres://…"),
    "redis": (_redis_reachable, f"needs a Redis server at {REDIS_URL} (set REDIS_URL)"),
    "browser": (
        lambda: shutil.which("chromium") is not None,
        "needs Chromium: apt-get install chromium",
    ),
}


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker, (available, reason) in SERVICES.items():
        if item.get_closest_marker(marker) and not available():
            if SERVICES_REQUIRED:
                pytest.fail(f"{reason} (EVAC_REQUIRE_SERVICES=1 makes it required)")
            pytest.skip(reason)


def forget_celery_connections() -> None:
    """Drop the Celery app's cached broker connections, so its next publish uses its config.

    Celery builds its connection and producer pools once, from the broker URL of that
    moment; a test that points the app at another broker must not leave a pool behind for
    the next test (or find one from the last).
    """
    # As Celery itself does after a fork: drop the pools (a producer may still hold one, so
    # closing it here would break that producer's release).
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    # Nor a broker that failed in the last test, taken as down for a while (evac/core/broker.py).
    broker_forget_failure()


def use_broker(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    """Point this process's Celery app at `url` for the rest of the test."""
    # Celery copies Django's CELERY_* settings once, so pytest-django's `settings` fixture
    # would not reach it; patch the app's own config, which monkeypatch restores after the
    # test. Celery prefers CELERY_BROKER_URL from the environment, so that goes too.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.setitem(celery_app.conf, "broker_url", url)
    monkeypatch.setitem(celery_app.conf, "broker_transport_options", {})
    forget_celery_connections()


@pytest.fixture(autouse=True)
def fresh_celery_connections():
    # Torn down after monkeypatch has put the test's broker settings back.
    forget_celery_connections()
    yield
    forget_celery_connections()


@pytest.fixture(autouse=True)
def default_language():
    # A request through the test client leaves its language active in this thread (Django's
    # LocaleMiddleware activates it and nothing deactivates it), so a Ukrainian page would
    # turn the next test's plain function calls Ukrainian.
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The production hasher is slow on purpose; tests hash many passwords and need no strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def pin_clock() -> Iterator[Callable[[datetime], datetime]]:
    """`pin_clock(moment)`: evac's clock says `moment` for the rest of the test."""
    with ExitStack() as pins:
        yield lambda moment: pins.enter_context(clock.pinned(moment))


@pytest.fixture
def client() -> StaffClient:
    """pytest-django's client, whose force_login includes the second step (tests/logins.py)."""
    return StaffClient()


@pytest.fixture
def operation(db):
    return factories.make_operation()


@pytest.fixture
def other_operation(db):
    return factories.make_operation("Sudan, April 2023", country="SD")


@pytest.fixture
def almaty(db):
    return factories.make_city("Almaty", "KZ", "Asia/Almaty")


@pytest.fixture
def nur_sultan(db):
    return factories.make_city("Nur-Sultan", "KZ", "Asia/Almaty")


@pytest.fixture
def kyiv(db):
    return factories.make_city("Kyiv", "UA", "Europe/Kyiv")


@pytest.fixture
def ala(almaty):
    return factories.make_airport("ALA", almaty, status=Airport.Status.SUSPENDED)


@pytest.fixture
def nqz(nur_sultan):
    return factories.make_airport("NQZ", nur_sultan)


@pytest.fixture
def kbp(kyiv):
    return factories.make_airport("KBP", kyiv)


@pytest.fixture
def alice(operation):
    """A coordinator of the operation."""
    return factories.make_member("alice", operation, Role.COORDINATOR)


@pytest.fixture
def bob(operation):
    """A consular officer of the operation."""
    return factories.make_member("bob", operation, Role.OFFICER)


@pytest.fixture
def carol(operation):
    """A viewer of the operation."""
    return factories.make_member("carol", operation, Role.VIEWER)


@pytest.fixture
def dave(other_operation):
    """A coordinator of another operation, who must see nothing of ours."""
    return factories.make_member("dave", other_operation, Role.COORDINATOR)


@pytest.fixture
def flight(operation, nqz, kbp):
    """An open flight Nur-Sultan → Kyiv with 10 seats."""
    return factories.make_flight(operation, nqz, kbp, seats=10)
