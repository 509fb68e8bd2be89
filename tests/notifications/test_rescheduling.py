"""A flight that moves re-times its reminders and tells its passengers, in one transaction."""

from datetime import timedelta

import pytest

from evac.core.actor import EVAC
from evac.flights.services import booking_create, flight_update
from evac.notifications import delivery
from evac.notifications.models import Notification

pytestmark = pytest.mark.django_db
N = Notification


@pytest.fixture(autouse=True)
def a_week_before_the_flight(flight, pin_clock):
    # A flight is moved while it is still ahead, within the year a plan may reach.
    pin_clock(flight.departs_at - timedelta(days=7))


def _move(flight, hours: int):
    return flight_update(
        flight=flight,
        by=EVAC,
        departs_at=flight.departs_at + timedelta(hours=hours),
        arrives_at=flight.arrives_at + timedelta(hours=hours),
    )


def _pending_reminders():
    return sorted(
        N.objects.filter(kind=N.Kind.FLIGHT_REMINDER, status=N.Status.PENDING).values_list(
            "due_at", flat=True
        )
    )


def _send_confirmations():
    for n in N.objects.filter(kind=N.Kind.BOOKING_CONFIRMATION):
        assert delivery.notification_send(notification_id=n.pk) == "sent"


def test_moving_a_flight_re_times_the_reminders_and_tells_each_passenger(flight, olena):
    booking_create(flight=flight, citizen=olena, by=EVAC)
    _send_confirmations()

    moved = _move(flight, 26)

    assert _pending_reminders() == [
        moved.report_at - timedelta(hours=24),
        moved.report_at - timedelta(hours=3),
    ]
    old = N.objects.filter(kind=N.Kind.FLIGHT_REMINDER, status=N.Status.CANCELLED)
    assert old.count() == 2
    (notice,) = N.objects.filter(kind=N.Kind.FLIGHT_CHANGED)
    assert notice.status == N.Status.PENDING and notice.citizen == olena
    local = moved.departure_airport.local_time(moved.departs_at)
    assert local.strftime("%H:%M") in notice.body


def test_a_confirmation_not_yet_sent_is_rewritten_with_the_new_time_instead_of_a_notice(
    flight, olena
):
    booking_create(flight=flight, citizen=olena, by=EVAC)

    moved = _move(flight, 5)

    confirmation = N.objects.get(kind=N.Kind.BOOKING_CONFIRMATION)
    local = moved.departure_airport.local_time(moved.departs_at)
    assert local.strftime("%H:%M") in confirmation.body
    assert not N.objects.filter(kind=N.Kind.FLIGHT_CHANGED).exists()


def test_editing_what_messages_do_not_mention_sends_nothing(flight, olena):
    booking_create(flight=flight, citizen=olena, by=EVAC)
    _send_confirmations()
    before = list(N.objects.order_by("pk").values_list("pk", "status", "due_at"))

    flight_update(flight=flight, by=EVAC, notes="Bring water", seats_total=12)

    assert list(N.objects.order_by("pk").values_list("pk", "status", "due_at")) == before


def test_only_the_latest_change_is_announced(flight, olena):
    booking_create(flight=flight, citizen=olena, by=EVAC)
    _send_confirmations()

    moved = _move(_move(flight, 2), 1)

    notices = N.objects.filter(kind=N.Kind.FLIGHT_CHANGED)
    assert sorted(notices.values_list("status", flat=True)) == ["cancelled", "pending"]
    latest = notices.get(status=N.Status.PENDING)
    assert moved.departure_airport.local_time(moved.departs_at).strftime("%H:%M") in latest.body


def test_a_reminder_already_sent_stays_sent_and_the_new_time_gets_its_own(flight, olena):
    booking_create(flight=flight, citizen=olena, by=EVAC)
    first = N.objects.filter(kind=N.Kind.FLIGHT_REMINDER).order_by("due_at").first()
    N.objects.filter(pk=first.pk).update(due_at=first.created_at)  # as if its time had come
    assert delivery.notification_send(notification_id=first.pk) == "sent"

    moved = _move(flight, 48)

    first.refresh_from_db()
    assert first.status == N.Status.SENT
    assert _pending_reminders() == [
        moved.report_at - timedelta(hours=24),
        moved.report_at - timedelta(hours=3),
    ]


def test_a_flight_moved_back_gets_back_the_reminders_it_had(flight, olena):
    booking_create(flight=flight, citizen=olena, by=EVAC)
    original = _pending_reminders()

    moved = _move(flight, 4)
    _move(moved, -4)

    assert _pending_reminders() == original
    assert N.objects.filter(kind=N.Kind.FLIGHT_REMINDER).count() == 4  # 2 cancelled, 2 pending


def test_a_new_report_time_re_plans_the_reminders_and_is_news(flight, olena):
    booking_create(flight=flight, citizen=olena, by=EVAC)
    _send_confirmations()

    earlier = flight_update(flight=flight, by=EVAC, report_minutes_before=240)

    assert earlier.report_at == earlier.departs_at - timedelta(hours=4)
    assert _pending_reminders() == [
        earlier.report_at - timedelta(hours=24),
        earlier.report_at - timedelta(hours=3),
    ]
    assert N.objects.filter(kind=N.Kind.FLIGHT_REMINDER, status=N.Status.CANCELLED).count() == 2
    (notice,) = N.objects.filter(kind=N.Kind.FLIGHT_CHANGED)
    report = earlier.departure_airport.local_time(earlier.report_at).strftime("%H:%M")
    assert f"Будьте в аеропорту до {report}" in notice.body


def test_a_new_departure_airport_is_news_too(flight, olena, almaty):
    from tests.factories import make_airport

    booking_create(flight=flight, citizen=olena, by=EVAC)
    _send_confirmations()
    other = make_airport("TSE", flight.departure_airport.city)

    flight_update(flight=flight, by=EVAC, departure_airport=other)

    notice = N.objects.get(kind=N.Kind.FLIGHT_CHANGED)
    assert "(TSE)" in notice.body


def test_a_report_time_changed_in_the_admin_re_plans_the_reminders_too(
    rf, admin_user, flight, olena
):
    from django.contrib import admin

    from evac.flights.admin import FlightAdmin
    from evac.flights.models import Flight

    booking_create(flight=flight, citizen=olena, by=EVAC)
    edited = Flight.objects.get(pk=flight.pk)
    edited.report_minutes_before = 120

    request = rf.post("/admin/")
    request.user = admin_user
    FlightAdmin(Flight, admin.site).save_model(request, edited, form=None, change=True)

    assert _pending_reminders() == [
        edited.report_at - timedelta(hours=24),
        edited.report_at - timedelta(hours=3),
    ]
