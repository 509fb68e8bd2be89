"""The demo replayed in the present (seed_demo's default): the story of 5–11 January 2022
with its numbers, moved so that the next flight leaves within hours and the first reminders
fall due within minutes of loading; kept or re-anchored on a second run."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings

from evac.core.clock import now
from evac.demo import scenario
from evac.demo.models import Replay
from evac.demo.scenario import OPERATION_SLUG, load_demo
from evac.flights.models import Booking, Flight
from evac.notifications.models import Notification
from evac.operations.models import Operation
from evac.people.models import Citizen, ContactLogEntry
from evac.people.selectors import people_counts, waiting_in
from evac.places.models import City
from tests.logins import StaffClient

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """The replay loaded once for a class of read-only tests, and rolled back after them."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        loaded_at = now()
        yield load_demo("demo-test-password"), loaded_at
        transaction.set_rollback(True)


def _flight(number: str) -> Flight:
    return Flight.objects.get(operation__slug=OPERATION_SLUG, number=number)


@pytest.mark.django_db
class TestTheReplay:
    def test_it_keeps_the_operations_name_and_starts_eight_days_ago(self, demo):
        result, loaded_at = demo
        operation = Operation.objects.get(slug=OPERATION_SLUG)
        assert operation.name == "Kazakhstan, January 2022"
        assert (loaded_at.date() - operation.starts_on).days in (7, 8)
        assert result.replay.day_one == operation.starts_on
        assert not result.replay.historical

    def test_the_numbers_of_the_week_stay(self, demo):
        result, _ = demo
        almaty = City.objects.get(name="Almaty", country="KZ")
        assert waiting_in(operation=result.operation, city=almaty).count() == 116
        assert result.status_counts[Citizen.Status.EVACUATED] == 33
        assert result.registered == 170
        assert _flight("PS 9002").bookings.filter(status=Booking.Status.BOARDED).count() == 33

    def test_the_first_flight_left_days_ago_and_the_next_ones_are_hours_and_days_ahead(self, demo):
        _, loaded_at = demo
        first, next_one, last = _flight("PS 9002"), _flight("PS 9004"), _flight("PS 9006")
        assert first.status == Flight.Status.LANDED
        assert timedelta(days=3) < loaded_at - first.departs_at < timedelta(days=5)
        assert next_one.status == last.status == Flight.Status.OPEN
        assert timedelta(hours=1) < next_one.departs_at - loaded_at < timedelta(hours=8)
        assert timedelta(days=2) < last.departs_at - loaded_at < timedelta(days=4)

    def test_reminders_fall_due_within_minutes_of_loading(self, demo):
        _, loaded_at = demo
        pending = Notification.objects.filter(
            kind=Notification.Kind.FLIGHT_REMINDER, status=Notification.Status.PENDING
        )
        soon = pending.filter(due_at__gt=loaded_at, due_at__lte=loaded_at + timedelta(minutes=3))
        assert soon.count() >= 5
        assert {n.flight.number for n in soon} == {"PS 9004"}
        assert pending.filter(flight__number="PS 9006").exists()

    def test_no_booking_confirmation_is_sent_for_seats_booked_in_the_story(self, demo):
        assert not Notification.objects.filter(kind=Notification.Kind.BOOKING_CONFIRMATION)
        assert not Notification.objects.filter(flight__number="PS 9002")

    def test_everything_recorded_happened_before_now_at_its_own_moment(self, demo):
        _, loaded_at = demo
        people = Citizen.objects.filter(operation__slug=OPERATION_SLUG)
        moments = list(people.values_list("registered_at", flat=True))
        assert max(moments) < loaded_at
        assert max(moments) - min(moments) > timedelta(days=6)
        assert ContactLogEntry.objects.filter(at__gt=loaded_at).count() == 0
        booking = _flight("PS 9002").bookings.filter(status=Booking.Status.BOARDED).first()
        assert booking.status_changed_at < _flight("PS 9002").departs_at

    def test_the_change_history_names_evac_itself_and_the_storys_moments(self, demo):
        person = _flight("PS 9002").bookings.filter(status=Booking.Status.BOARDED).first().citizen
        records = list(person.history.order_by("history_date"))
        assert {record.history_user_id for record in records} == {None}
        assert records[0].history_date == person.registered_at
        flight = _flight("PS 9002")
        assert flight.history.order_by("-history_date").first().history_date == flight.arrives_at

    def test_documents_are_as_valid_as_they_were_that_week(self, demo):
        _, loaded_at = demo
        people = Citizen.objects.filter(operation__slug=OPERATION_SLUG)
        assert not people.filter(document_expires_on__lt=loaded_at.date()).exists()

    def test_the_dashboard_and_the_portal_say_it_is_a_replay_of_january_2022(self, demo):
        result, _ = demo
        day_one = result.replay.day_one
        note = f"replayed in the present, its dates moved so that 5 January is {day_one:%-d %b %Y}"
        staff = StaffClient()
        staff.force_login(User.objects.get(username="coordinator"))
        dashboard = staff.get(f"/ops/{OPERATION_SLUG}/").content.decode()
        portal = Client().get(f"/p/{OPERATION_SLUG}/").content.decode()
        assert note in dashboard
        assert note in portal
        assert "5 січня" in Client(HTTP_ACCEPT_LANGUAGE="uk").get(f"/p/{OPERATION_SLUG}/").text

    def test_the_summary_says_it_is_a_replay(self, demo):
        result, _ = demo
        assert "replayed in the present" in result.summary()
        assert "manage.py demo_code coordinator" in result.summary()


def _counts() -> dict[str, int]:
    return {
        "people": Citizen.objects.count(),
        "flights": Flight.objects.count(),
        "bookings": Booking.objects.count(),
        "contacts": ContactLogEntry.objects.count(),
    }


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
def test_a_second_run_on_a_later_day_keeps_the_replay_and_says_so(monkeypatch):
    call_command("seed_demo", stdout=StringIO())
    shift, before = Replay.objects.get().shift, _counts()
    monkeypatch.setattr(scenario, "now", lambda: now() + timedelta(days=1))

    out = StringIO()
    call_command("seed_demo", stdout=out)

    assert Replay.objects.get().shift == shift
    assert _counts() == before
    assert "kept the week of 5-11 January 2022 replayed in the present" in out.getvalue()
    assert "--reanchor" in out.getvalue()


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
def test_reanchoring_replays_the_week_from_the_new_now(monkeypatch):
    call_command("seed_demo", stdout=StringIO())
    shift, before = Replay.objects.get().shift, _counts()
    monkeypatch.setattr(scenario, "now", lambda: now() + timedelta(days=1))

    out = StringIO()
    call_command("seed_demo", "--reanchor", stdout=out)

    assert timedelta(hours=23) < Replay.objects.get().shift - shift < timedelta(hours=25)
    assert _counts() == before
    assert "loaded the week of 5-11 January 2022 replayed in the present" in out.getvalue()


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
def test_historical_dates_replace_a_replay_when_asked_for():
    call_command("seed_demo", stdout=StringIO())
    out = StringIO()
    call_command("seed_demo", "--historical", stdout=out)
    assert Replay.objects.get().historical
    assert _flight("PS 9004").departs_at.year == 2022
    assert Citizen.objects.count() == 170
    assert "loaded the week of 5-11 January 2022 with its dates as they were" in out.getvalue()


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
def test_replaying_from_now_keeps_the_counts_of_the_dashboard_right():
    load_demo("demo-test-password")
    result = load_demo("demo-test-password", reanchor=True)

    almaty = City.objects.get(name="Almaty", country="KZ")
    counts = people_counts(result.operation)
    (in_almaty,) = [row for row in counts.waiting_by_city if row.city_id == almaty.pk]
    assert in_almaty.waiting == 116
    assert counts.registered == 170
