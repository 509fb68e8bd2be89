"""Each person's stored standing on the waiting list (people.queue) is always what the rule
computes from their unit, after every kind of change that moves it.

The rule, written plainly here: a waiting person alone is their own unit; a household's
waiting members are one unit, as urgent as the most urgent of them (a confirmed need before
age, a minor or an elderly person before everyone else), stood for by its earliest
registered member (then the smallest pk), its size the number waiting. People not waiting
stand nowhere.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

import pytest
from django.conf import settings

from evac.core.actor import EVAC
from evac.core.clock import now, today
from evac.flights.models import Flight
from evac.flights.services import booking_cancel, booking_create, flight_set_status
from evac.people.models import Citizen, Household, years_before
from evac.people.queue import (
    PRIORITY_OTHER,
    PRIORITY_URGENT,
    PRIORITY_VULNERABLE,
    refresh_birthdays,
)
from evac.people.services import (
    citizen_confirm_needs,
    citizen_saved_in_admin,
    citizen_set_status,
    citizen_update,
    household_register,
)
from tests.factories import make_citizen, make_flight

pytestmark = pytest.mark.django_db


def computed_priority(person: Citizen, day: date) -> int:
    if (person.medical_need or person.reduced_mobility or person.pregnant) and not (
        person.needs_claimed
    ):
        return PRIORITY_URGENT
    age = person.age_on(day)
    if age < settings.EVAC_MINOR_UNDER_AGE or age >= settings.EVAC_ELDERLY_FROM_AGE:
        return PRIORITY_VULNERABLE
    return PRIORITY_OTHER


def computed_standing(operation, day: date) -> dict[int, tuple[int, bool, int]]:
    """Every person's (priority, stands for the unit, unit size), by the rule above."""
    people = list(operation.citizens.order_by("registered_at", "pk"))
    units: dict[object, list[Citizen]] = defaultdict(list)
    for person in people:
        if person.status == Citizen.Status.WAITING:
            units[person.household_id or f"alone {person.pk}"].append(person)
    standing = {person.pk: (0, False, 0) for person in people}
    for members in units.values():
        priority = max(computed_priority(m, day) for m in members)
        for place, member in enumerate(members):
            standing[member.pk] = (priority, place == 0, len(members))
    return standing


def stored_standing(operation) -> dict[int, tuple[int, bool, int]]:
    rows = operation.citizens.values_list("pk", "queue_priority", "queue_first", "queue_size")
    return {pk: (priority, first, size) for pk, priority, first, size in rows}


def assert_stored_is_computed(operation, day: date | None = None) -> None:
    assert stored_standing(operation) == computed_standing(operation, day or today())


def _member(name: str, born: date, **fields) -> dict:
    return {
        "surname": "Shevchenko",
        "given_names": name,
        "date_of_birth": born,
        "sex": Citizen.Sex.FEMALE,
        "nationality": "UA",
        "document_type": Citizen.DocumentType.PASSPORT,
        "document_number": f"SW{abs(hash(name)) % 10**6:06d}",
        **fields,
    }


def test_the_stored_standing_follows_every_change_that_moves_it(operation, almaty, nqz, kbp, alice):
    # Leaving within the hour, so it can be marked departed now.
    flight = make_flight(operation, nqz, kbp, departs_at=now() + timedelta(hours=1))
    # Registered alone, in a household, and through the portal with a claimed need.
    adult = make_citizen(operation, almaty, date_of_birth=date(1985, 3, 14))
    make_citizen(operation, almaty, date_of_birth=years_before(today(), 5))
    family = household_register(
        operation=operation,
        source=Citizen.Source.STAFF_INTAKE,
        by=EVAC,
        members=[
            _member("Taras", date(1980, 2, 1), current_city=almaty),
            _member("Iryna", date(1982, 6, 12), current_city=almaty),
            _member("Marko", years_before(today(), 40), current_city=almaty),
        ],
    )
    taras, iryna, marko = family.members.order_by("pk")
    claimed = make_citizen(
        operation, almaty, medical_need=True, source=Citizen.Source.SELF_REGISTRATION
    )
    assert claimed.needs_claimed
    assert_stored_is_computed(operation)
    assert stored_standing(operation)[taras.pk] == (PRIORITY_OTHER, True, 3)

    # Needs, dates of birth and a confirmed claim.
    citizen_update(citizen=iryna, by=alice, medical_need=True)
    assert_stored_is_computed(operation)
    assert stored_standing(operation)[taras.pk] == (PRIORITY_URGENT, True, 3)
    citizen_update(citizen=marko, by=alice, date_of_birth=years_before(today(), 70))
    assert_stored_is_computed(operation)
    citizen_update(citizen=iryna, by=alice, medical_need=False)
    assert_stored_is_computed(operation)
    assert stored_standing(operation)[taras.pk] == (PRIORITY_VULNERABLE, True, 3)
    citizen_confirm_needs(citizen=claimed, by=alice)
    assert_stored_is_computed(operation)
    assert stored_standing(operation)[claimed.pk] == (PRIORITY_URGENT, True, 1)

    # Seats: the household's first member booked leaves the unit to the next one.
    seat = booking_create(flight=flight, citizen=taras, by=alice)
    assert_stored_is_computed(operation)
    assert stored_standing(operation)[iryna.pk] == (PRIORITY_VULNERABLE, True, 2)
    booking_cancel(booking=seat, by=alice)
    assert_stored_is_computed(operation)
    booking_create(flight=flight, citizen=adult, by=alice)
    assert_stored_is_computed(operation)

    # Decisions, and waiting again.
    citizen_set_status(citizen=marko, status=Citizen.Status.DECIDED_TO_STAY, by=alice)
    assert_stored_is_computed(operation)
    assert stored_standing(operation)[taras.pk] == (PRIORITY_OTHER, True, 2)
    citizen_set_status(citizen=marko, status=Citizen.Status.WAITING, by=alice)
    assert_stored_is_computed(operation)

    # Joining and leaving a household (only the admin changes a household's members).
    claimed.refresh_from_db()
    claimed.household = family
    citizen_saved_in_admin(citizen=claimed, save=claimed.save)
    assert_stored_is_computed(operation)
    assert stored_standing(operation)[claimed.pk][1] is False  # registered after Taras
    assert stored_standing(operation)[taras.pk] == (PRIORITY_URGENT, True, 4)
    claimed.household = None
    citizen_saved_in_admin(citizen=claimed, save=claimed.save)
    assert_stored_is_computed(operation)
    assert stored_standing(operation)[claimed.pk] == (PRIORITY_URGENT, True, 1)

    # The flight leaves with its passenger: evacuated, nowhere on the list.
    flight_set_status(flight=flight, status=Flight.Status.BOARDING, by=alice)
    booking = adult.bookings.get(is_active=True)
    booking.status = booking.Status.BOARDED
    booking.save(update_fields=["status"])
    flight_set_status(flight=flight, status=Flight.Status.DEPARTED, by=alice)
    adult.refresh_from_db()
    assert adult.status == Citizen.Status.EVACUATED
    assert_stored_is_computed(operation)

    # Deleting a person, then the household: its members are each alone.
    taras.bookings.all().delete()  # a record kept of a seat would protect the person
    Citizen.objects.get(pk=taras.pk).delete()
    assert_stored_is_computed(operation)
    assert stored_standing(operation)[iryna.pk] == (PRIORITY_VULNERABLE, True, 2)
    Household.objects.get(pk=family.pk).delete()
    assert_stored_is_computed(operation)
    assert stored_standing(operation)[iryna.pk] == (PRIORITY_OTHER, True, 1)
    assert stored_standing(operation)[marko.pk] == (PRIORITY_VULNERABLE, True, 1)


def test_birthdays_move_people_on_the_day_they_change_tier(operation, almaty, pin_clock):
    tomorrow = today() + timedelta(days=1)
    coming_of_age = make_citizen(
        operation, almaty, date_of_birth=years_before(tomorrow, settings.EVAC_MINOR_UNDER_AGE)
    )
    household_register(
        operation=operation,
        source=Citizen.Source.STAFF_INTAKE,
        by=EVAC,
        members=[
            _member("Olha", date(1990, 1, 1), current_city=almaty),
            _member(
                "Petro",
                years_before(tomorrow, settings.EVAC_ELDERLY_FROM_AGE),
                current_city=almaty,
            ),
        ],
    )
    make_citizen(operation, almaty, date_of_birth=date(1990, 5, 5))  # nothing changes
    assert_stored_is_computed(operation)
    assert stored_standing(operation)[coming_of_age.pk][0] == PRIORITY_VULNERABLE

    pin_clock(datetime.combine(tomorrow, time(0, 5), tzinfo=now().tzinfo))
    # Until the hourly refresh, the stored order is yesterday's: the two moved tiers.
    assert stored_standing(operation) != computed_standing(operation, tomorrow)
    refresh_birthdays()
    assert_stored_is_computed(operation, tomorrow)
    assert stored_standing(operation)[coming_of_age.pk][0] == PRIORITY_OTHER


def test_a_missed_day_is_made_good_by_the_next_refresh(operation, almaty, pin_clock):
    three_days_on = today() + timedelta(days=3)
    person = make_citizen(
        operation,
        almaty,
        date_of_birth=years_before(today() + timedelta(days=1), settings.EVAC_MINOR_UNDER_AGE),
    )
    pin_clock(datetime.combine(three_days_on, time(12), tzinfo=now().tzinfo))
    refresh_birthdays()
    assert_stored_is_computed(operation, three_days_on)
    assert stored_standing(operation)[person.pk][0] == PRIORITY_OTHER
