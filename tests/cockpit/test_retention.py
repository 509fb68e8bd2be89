"""Closing an operation schedules the anonymisation of its personal data; the nightly task
carries it out, everywhere Evac keeps that data, and the operation's numbers stay as they were.

Here closing, reopening and the date; the task in test_retention_task.py, the numbers and
the data left in test_retention_statistics.py.
"""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from evac.cockpit.tasks import anonymise_due_operations
from evac.core import clock
from evac.core.errors import Conflict, InvalidTransition
from evac.flights.closing import (
    operation_close,
    operation_reopen,
    operation_schedule_anonymisation,
)
from evac.flights.services import flight_create
from evac.operations.access import Permission, has_permission
from evac.operations.models import Operation
from evac.people.services import citizen_update
from tests.factories import make_citizen

pytestmark = pytest.mark.django_db

TODAY = clock.today()


@pytest.fixture
def days_later(monkeypatch):
    """Move the retention clock (evac.core.clock.today) this many days past today."""

    def move(days: int) -> date:
        monkeypatch.setattr(clock, "today", lambda: TODAY + timedelta(days=days))
        return TODAY + timedelta(days=days)

    monkeypatch.setattr(clock, "today", lambda: TODAY)
    return move


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
