"""The nightly task anonymises the closed operations whose day has come, finishes a run that
stopped half way, changes nothing when run again, and runs every night from the database's
schedule (closing and its date: tests/cockpit/test_retention.py).
"""

import importlib
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from evac.cockpit import retention
from evac.cockpit.services import operation_anonymise
from evac.cockpit.tasks import anonymise_due_operations
from evac.core import anonymise
from evac.people.anonymise import citizens_anonymise
from evac.people.models import Citizen
from tests.cockpit import test_retention as closing_tests
from tests.cockpit.test_retention import TODAY, closed
from tests.factories import make_citizen, make_operation

pytestmark = pytest.mark.django_db
beat = importlib.import_module("evac.operations.migrations.0004_retention_beat_schedule")

# The retention clock, moved some days past today (a fixture).
days_later = closing_tests.days_later


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
