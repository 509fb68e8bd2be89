"""Closing an operation schedules the anonymisation of its personal data; the nightly task
carries it out, everywhere Evac keeps that data, and the operation's numbers stay as they were.
"""

import importlib
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from evac.cockpit import retention
from evac.cockpit.dashboard import operation_dashboard
from evac.cockpit.selectors import operation_overviews
from evac.cockpit.services import (
    operation_anonymise,
    operation_close,
    operation_reopen,
    operation_schedule_anonymisation,
)
from evac.cockpit.tasks import anonymise_due_operations
from evac.cockpit.views import evacuations_chart
from evac.core import anonymise, clock
from evac.core.errors import Conflict, InvalidTransition
from evac.flights.models import Booking, Flight
from evac.flights.services import flight_create
from evac.notifications import sms
from evac.notifications.models import Notification
from evac.operations.access import Permission, has_permission
from evac.operations.models import Operation, Role
from evac.people.anonymise import citizens_anonymise
from evac.people.models import Citizen, ContactLogEntry
from evac.people.services import citizen_update
from evac.portal.models import OneTimeCode
from tests.cockpit.retention_data import (
    database_text,
    files_text,
    fill_with_personal_data,
    where_found,
)
from tests.factories import make_citizen, make_member, make_operation

pytestmark = pytest.mark.django_db
beat = importlib.import_module("evac.operations.migrations.0004_retention_beat_schedule")

TODAY = clock.today()


@pytest.fixture
def days_later(monkeypatch):
    """Move the retention clock (evac.core.clock.today) this many days past today."""

    def move(days: int) -> date:
        monkeypatch.setattr(clock, "today", lambda: TODAY + timedelta(days=days))
        return TODAY + timedelta(days=days)

    monkeypatch.setattr(clock, "today", lambda: TODAY)
    return move


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


def closed(operation: Operation, *, on: date | None = None, **fields) -> Operation:
    """Closed straight in the table, with an anonymisation date: for the task's tests."""
    Operation.objects.filter(pk=operation.pk).update(
        status=Operation.Status.CLOSED, anonymise_on=on, **fields
    )
    operation.refresh_from_db()
    return operation


# Closing ---------------------------------------------------------------------------------


def test_closing_schedules_the_anonymisation_90_days_later(operation, alice, days_later):
    operation_close(operation=operation, by=alice)

    operation.refresh_from_db()
    assert operation.status == Operation.Status.CLOSED
    assert operation.anonymise_on == TODAY + timedelta(days=90)
    assert operation.ends_on == TODAY
    assert operation.closed_at is not None and operation.anonymised_at is None


def test_the_setting_says_how_many_days(settings, operation, alice, days_later):
    settings.EVAC_RETENTION_DAYS = 30

    operation_close(operation=operation, by=alice)

    assert operation.anonymise_on == TODAY + timedelta(days=30)


def test_an_earlier_end_date_is_kept(operation, alice, days_later):
    Operation.objects.filter(pk=operation.pk).update(ends_on=date(2022, 1, 20))

    operation_close(operation=operation, by=alice, retain_days=10)

    assert operation.ends_on == date(2022, 1, 20)
    assert operation.anonymise_on == TODAY + timedelta(days=10)


@pytest.mark.parametrize("who", ["bob", "carol", "dave"])
def test_only_a_coordinator_of_the_operation_closes_it(request, operation, who):
    person = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        operation_close(operation=operation, by=person)

    operation.refresh_from_db()
    assert operation.status == Operation.Status.ACTIVE and operation.anonymise_on is None


def test_an_operation_with_a_flight_still_ahead_does_not_close(operation, alice, flight):
    with pytest.raises(Conflict, match="1 flight is still planned, open or boarding"):
        operation_close(operation=operation, by=alice)

    operation.refresh_from_db()
    assert operation.status == Operation.Status.ACTIVE


def test_closing_a_closed_operation_is_refused(operation, alice):
    operation_close(operation=operation, by=alice)
    with pytest.raises(InvalidTransition):
        operation_close(operation=operation, by=alice)


def test_an_active_operation_can_not_carry_a_schedule(operation):
    with pytest.raises(IntegrityError), transaction.atomic():
        Operation.objects.filter(pk=operation.pk).update(anonymise_on=TODAY)


# A closed operation is read-only --------------------------------------------------------


def test_a_closed_operation_can_be_read_but_not_changed(
    client, operation, alice, bob, almaty, nqz, kbp
):
    person = make_citizen(operation, almaty)
    operation_close(operation=operation, by=alice)

    with pytest.raises(PermissionDenied):
        citizen_update(citizen=person, by=bob, notes="a call after closing")
    with pytest.raises(PermissionDenied):
        flight_create(
            operation=operation,
            by=alice,
            number="PS1",
            carrier="UIA",
            departure_airport=nqz,
            arrival_airport=kbp,
            departs_at=timezone.now(),
            arrives_at=timezone.now() + timedelta(hours=5),
            seats_total=5,
        )
    client.force_login(bob)
    op = operation.slug
    assert client.get(reverse("operations:dashboard", args=[op])).status_code == 200
    detail = reverse("people:detail", args=[op, person.reference_code])
    assert client.get(detail).status_code == 200
    assert client.get(reverse("people:new", args=[op])).status_code == 403
    client.force_login(alice)
    api = client.post(reverse("api:flights", args=[op]), {}, content_type="application/json")
    assert api.status_code == 403


def test_on_a_closed_operation_only_reading_and_closing_matters_stay_allowed(
    operation, alice, bob, carol
):
    operation_close(operation=operation, by=alice)

    allowed = {
        who.username: {p for p in Permission if has_permission(who, operation, p)}
        for who in (alice, bob, carol)
    }

    assert allowed == {
        "alice": {
            Permission.VIEW,
            Permission.VIEW_MEDICAL,
            Permission.EXPORT_DOCUMENTS,  # a read: the manifest a border may still ask for
            Permission.READ_MESSAGES,
            Permission.VIEW_ACCESS_LOG,
            Permission.MANAGE_OPERATION,
            Permission.MANAGE_STAFF,  # who keeps access to what is left
            Permission.MANAGE_MEMBERS,
        },
        "bob": {
            Permission.VIEW,
            Permission.VIEW_MEDICAL,
            Permission.EXPORT_DOCUMENTS,
            Permission.READ_MESSAGES,
        },
        "carol": {Permission.VIEW},
    }


# Moving the date, reopening --------------------------------------------------------------


def test_the_date_moves_to_any_day_from_today(operation, alice, days_later):
    operation_close(operation=operation, by=alice)

    operation_schedule_anonymisation(operation=operation, on=TODAY + timedelta(days=400), by=alice)
    assert operation.anonymise_on == TODAY + timedelta(days=400)

    operation_schedule_anonymisation(operation=operation, on=TODAY, by=alice)
    assert operation.anonymise_on == TODAY


def test_the_date_can_not_be_in_the_past(operation, alice, days_later):
    operation_close(operation=operation, by=alice)

    with pytest.raises(ValidationError, match="can't be in the past"):
        operation_schedule_anonymisation(
            operation=operation, on=TODAY - timedelta(days=1), by=alice
        )

    operation.refresh_from_db()
    assert operation.anonymise_on == TODAY + timedelta(days=90)


@pytest.mark.parametrize("who", ["bob", "carol", "dave"])
def test_only_a_coordinator_moves_the_date_or_reopens(request, operation, alice, who):
    operation_close(operation=operation, by=alice)
    person = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        operation_schedule_anonymisation(operation=operation, on=TODAY, by=person)
    with pytest.raises(PermissionDenied):
        operation_reopen(operation=operation, by=person)


def test_an_active_operation_has_no_date_to_move(operation, alice):
    with pytest.raises(InvalidTransition, match="not closed"):
        operation_schedule_anonymisation(operation=operation, on=TODAY, by=alice)


def test_reopening_clears_the_schedule_and_the_end_date(operation, alice, days_later):
    operation_close(operation=operation, by=alice)

    operation_reopen(operation=operation, by=alice)

    operation.refresh_from_db()
    assert operation.status == Operation.Status.ACTIVE
    assert (operation.anonymise_on, operation.ends_on, operation.closed_at) == (None, None, None)


def test_on_the_day_itself_the_schedule_is_fixed(operation, alice, days_later):
    operation_close(operation=operation, by=alice)
    days_later(90)

    with pytest.raises(InvalidTransition, match="due today"):
        operation_schedule_anonymisation(
            operation=operation, on=TODAY + timedelta(days=200), by=alice
        )
    with pytest.raises(InvalidTransition, match="due today"):
        operation_reopen(operation=operation, by=alice)

    operation.refresh_from_db()
    assert operation.is_closed and operation.anonymise_on == TODAY + timedelta(days=90)


def test_an_anonymised_operation_stays_closed_for_good(operation, alice, days_later):
    operation_close(operation=operation, by=alice, retain_days=0)
    anonymise_due_operations()

    with pytest.raises(InvalidTransition, match="already been anonymised"):
        operation_reopen(operation=operation, by=alice)
    with pytest.raises(InvalidTransition, match="already been anonymised"):
        operation_schedule_anonymisation(
            operation=operation, on=TODAY + timedelta(days=1), by=alice
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Operation.objects.filter(pk=operation.pk).update(status=Operation.Status.ACTIVE)


# The nightly task ------------------------------------------------------------------------


def test_the_task_anonymises_only_the_operations_whose_day_has_come(almaty, days_later):
    due_today = closed(make_operation("Due today"), on=TODAY)
    overdue = closed(make_operation("Overdue"), on=TODAY - timedelta(days=3))
    tomorrow = closed(make_operation("Tomorrow"), on=TODAY + timedelta(days=1))
    unscheduled = closed(make_operation("Closed, no date"))
    active = make_operation("Active")
    long_ago = timezone.now() - timedelta(days=30)
    done_before = closed(make_operation("Done before"), on=TODAY, anonymised_at=long_ago)
    people = {
        op.pk: make_citizen(op, almaty, surname=f"Marker{op.name.replace(' ', '')}")
        for op in (due_today, overdue, tomorrow, unscheduled, active, done_before)
    }

    assert anonymise_due_operations() == 2

    for op, anonymised in [
        (due_today, True),
        (overdue, True),
        (tomorrow, False),
        (unscheduled, False),
        (active, False),
    ]:
        op.refresh_from_db()
        person = Citizen.objects.get(pk=people[op.pk].pk)
        assert (op.anonymised_at is not None) is anonymised, op.name
        assert (person.surname == anonymise.ANONYMISED) is anonymised, op.name
    done_before.refresh_from_db()
    assert done_before.anonymised_at == long_ago  # not run again
    assert Citizen.objects.get(pk=people[done_before.pk].pk).surname == "MarkerDonebefore"

    days_later(1)
    assert anonymise_due_operations() == 1
    tomorrow.refresh_from_db()
    assert tomorrow.anonymised_at is not None


def test_a_run_that_stopped_half_way_is_finished_by_the_next(operation, almaty, days_later):
    person = make_citizen(operation, almaty, surname="Halfway", phone="+77015550101")
    closed(operation, on=TODAY)
    # As if a run died after the people and before the rest: the operation is not yet marked.
    citizens_anonymise(operation)
    operation.refresh_from_db()
    assert operation.anonymised_at is None

    assert anonymise_due_operations() == 1

    operation.refresh_from_db()
    person.refresh_from_db()
    assert operation.anonymised_at is not None
    assert not Citizen.history.filter(id=person.pk).exists()
    assert person.phone == ""


def test_running_it_again_changes_nothing(operation, almaty, days_later):
    make_citizen(operation, almaty, surname="Twice", phone="+77015550102", email="t@example.org")
    closed(operation, on=TODAY)
    operation_anonymise(operation=operation)
    first = list(Citizen.objects.filter(operation=operation).values())

    retention.anonymise_personal_data(operation)  # the steps again, on anonymised data
    again = operation_anonymise(operation=operation)

    assert again is None
    assert list(Citizen.objects.filter(operation=operation).values()) == first


def test_the_year_of_birth_stays(operation, almaty, days_later):
    person = make_citizen(operation, almaty, date_of_birth=date(1960, 2, 29))
    closed(operation, on=TODAY)

    anonymise_due_operations()

    person.refresh_from_db()
    assert person.date_of_birth == date(1960, 7, 1)


def test_expired_sessions_are_cleared_and_live_ones_kept(days_later):
    expired, live = SessionStore(), SessionStore()
    for session, note in ((expired, "old"), (live, "new")):
        session["portal:note"] = note
        session.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    anonymise_due_operations()

    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


def test_the_task_runs_every_night_from_the_database_schedule():
    PeriodicTask.objects.filter(name=beat.ANONYMISE).delete()

    beat.create_schedule(apps, None)
    beat.create_schedule(apps, None)  # a second migrate changes nothing

    (task,) = PeriodicTask.objects.filter(task="evac.operations.tasks.anonymise_due_operations")
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("30", "1", "*")
    assert task.enabled


# The statistics stay, the personal data goes --------------------------------------------


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
