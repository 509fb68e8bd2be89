"""An operation anonymised: every number it showed stays exactly as it was, and no name,
document, phone or e-mail of its people remains anywhere Evac keeps them, while another
operation of the same country keeps all of its own.
"""

from datetime import date, timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.utils import timezone

from evac.cockpit.dashboard import operation_dashboard
from evac.cockpit.selectors import operation_overviews
from evac.cockpit.tasks import anonymise_due_operations
from evac.cockpit.views import evacuations_chart
from evac.core import anonymise, clock
from evac.flights.closing import operation_close
from evac.flights.models import Booking, Flight
from evac.notifications import sms
from evac.notifications.models import Notification
from evac.operations.models import Operation, Role
from evac.people.models import Citizen, ContactLogEntry
from evac.portal.models import OneTimeCode
from tests.cockpit import test_retention as closing_tests
from tests.cockpit.retention_data import (
    database_text,
    files_text,
    fill_with_personal_data,
    where_found,
)
from tests.factories import make_member, make_operation

pytestmark = pytest.mark.django_db

# The retention clock, moved some days past today (a fixture).
days_later = closing_tests.days_later


@pytest.fixture
def outbox(settings, tmp_path):
    """Messages go where the embedded default puts them: an SMS file and an e-mail folder."""
    settings.EVAC_SMS_BACKEND = "evac.notifications.sms.FileSmsBackend"
    settings.EVAC_SMS_FILE = tmp_path / "outbox" / "sms-outbox.log"
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "outbox" / "mail"
    sms._backend.cache_clear()
    cache.clear()  # the portal's rate limits
    yield tmp_path / "outbox"
    sms._backend.cache_clear()
    cache.clear()


@pytest.fixture
def kazakhstan_again(db):
    """Another operation in the same country, whose people must stay untouched."""
    return make_operation("Kazakhstan, a second wave", country="KZ")


@pytest.fixture
def erin(kazakhstan_again):
    return make_member("erin", kazakhstan_again, Role.COORDINATOR)


@pytest.fixture
def both_filled(
    outbox, operation, kazakhstan_again, alice, bob, erin, almaty, nur_sultan, nqz, kbp
):
    places = {"city": almaty, "to_city": nur_sultan, "departure": nqz, "arrival": kbp}
    ours = fill_with_personal_data(operation, tag="Qx", coordinator=alice, officer=bob, **places)
    theirs = fill_with_personal_data(
        kazakhstan_again, tag="Jv", coordinator=erin, officer=erin, **places
    )
    return ours, theirs


def statistics(client, operation: Operation) -> dict:
    """Every number the dashboard, the landing page and the API show for the operation."""
    moment = clock.now()
    board = operation_dashboard(operation, days=3, now=moment)
    overview = operation_overviews([operation])[0]
    silence = board.not_contacted
    return {
        "people": board.people,
        "flights_ahead": [(f.flight.pk, f.flight.seats_booked) for f in board.flights_ahead],
        "not_contacted": (
            silence.count,
            [person.pk for person in silence.longest_silent],
            silence.last_heard_in_operation,
        ),
        "timeline": board.timeline,
        "chart": str(evacuations_chart(board.timeline)),
        "overview": (overview.status_counts, overview.flights_ahead),
        "bookings": sorted(
            Booking.objects.filter(flight__operation=operation).values_list(
                "flight_id", "citizen_id", "status", "is_active"
            )
        ),
        "flights": sorted(
            Flight.objects.filter(operation=operation).values_list(
                "pk", "status", "seats_total", "seats_booked", "departs_at"
            )
        ),
        "contacts": sorted(
            ContactLogEntry.objects.filter(citizen__operation=operation).values_list(
                "citizen_id", "channel", "direction", "outcome", "at"
            )
        ),
        "messages": sorted(
            Notification.objects.filter(operation=operation)
            .exclude(status__in=[Notification.Status.PENDING, Notification.Status.CANCELLED])
            .values_list("kind", "channel", "status", "sent_at")
        ),
        "api": client.get(f"/api/v1/operations/{operation.slug}/statistics/").json(),
    }


def test_the_statistics_stay_exactly_as_they_were(
    client, both_filled, operation, alice, days_later
):
    client.force_login(alice)
    before = statistics(client, operation)
    assert before["people"].by_status[Citizen.Status.EVACUATED] == 2  # the data is not empty
    assert before["people"].waiting_vulnerable == 1

    operation_close(operation=operation, by=alice)
    days_later(90)
    assert anonymise_due_operations() == 1

    assert statistics(client, operation) == before


def _their_rows(operation: Operation) -> dict:
    return {
        "people": list(Citizen.objects.filter(operation=operation).order_by("pk").values()),
        "history": Citizen.history.filter(operation_id=operation.pk).count(),
        "contacts": list(
            ContactLogEntry.objects.filter(citizen__operation=operation).order_by("pk").values()
        ),
        "messages": list(Notification.objects.filter(operation=operation).order_by("pk").values()),
        "codes": OneTimeCode.objects.filter(citizen__operation=operation).count(),
    }


def test_no_name_document_phone_or_email_of_the_operation_remains_anywhere(
    both_filled, outbox, monkeypatch, operation, kazakhstan_again, alice, days_later
):
    ours, theirs = both_filled
    monkeypatch.setattr(anonymise, "BATCH", 2)  # several batches, even for a few people
    everything = database_text() + files_text(outbox)
    # The search finds every value before, in every kind of place Evac keeps them; so finding
    # nothing afterwards means they are gone, not that the search looks in the wrong place.
    before = where_found(ours.values, everything)
    assert set(before) == set(ours.values)
    places = {table for found in before.values() for table, _ in found}
    tables = {
        model._meta.db_table
        for model in (Citizen, Citizen.history.model, ContactLogEntry, Notification, OneTimeCode)
    }
    # The portal keeps its session in a signed cookie (core/portal_sessions.py), so a lookup
    # leaves no session row: the staff sessions are searched all the same.
    assert tables | {"django_admin_log", "flights_flight", "file"} <= places
    theirs_before = _their_rows(kazakhstan_again)
    sms_lines_of_theirs = [
        line
        for line in sms.FileSmsBackend().read()
        if Notification.objects.filter(pk=line["reference"], operation=kazakhstan_again).exists()
    ]

    operation_close(operation=operation, by=alice)
    days_later(90)
    # By then every session from before the closing has expired (30 minutes idle, 12 hours
    # at most), and the task deletes expired ones: here the 90 days pass for the sessions too.
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert anonymise_due_operations() == 1

    everything = database_text() + files_text(outbox)
    assert where_found(ours.values, everything) == {}
    # The other operation's people are all still there, exactly as they were.
    assert set(where_found(theirs.values, everything)) == set(theirs.values)
    assert _their_rows(kazakhstan_again) == theirs_before
    assert [line for line in sms.FileSmsBackend().read() if line in sms_lines_of_theirs] == (
        sms_lines_of_theirs
    )
    mother = Citizen.objects.get(pk=ours.people[0].pk)
    assert mother.date_of_birth == date(1987, 7, 1)
    assert mother.reference_code == ours.people[0].reference_code
    assert not OneTimeCode.objects.filter(citizen__operation=operation).exists()
    assert not Notification.objects.filter(
        operation=operation, status=Notification.Status.PENDING
    ).exists()
