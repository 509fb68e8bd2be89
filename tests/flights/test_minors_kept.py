"""The stored children-without-an-adult rows (flights.minors_kept) are always what the rule
(flights.minors.household_minors_alone) computes from scratch, after every kind of change
that can move them, and the pages read them."""

from datetime import date, datetime, time, timedelta

import pytest
from django.conf import settings
from django.core.management import call_command

from evac.core.actor import EVAC
from evac.core.clock import now, today
from evac.core.requests import Caller
from evac.flights.minors_kept import candidates, households_alone_count, minors_alone_from_scratch
from evac.flights.models import Booking, Flight, MinorAlone
from evac.flights.services import booking_cancel, booking_create, flight_set_status, flight_update
from evac.people.merges import citizens_merge, merge_undo
from evac.people.models import Citizen, Household, years_before
from evac.people.queue import rebuild, refresh_birthdays
from evac.people.services import (
    citizen_saved_in_admin,
    citizen_set_status,
    citizen_update,
    household_register,
)
from tests.factories import make_citizen, make_flight

pytestmark = pytest.mark.django_db


def stored(operation) -> set[tuple[int, int]]:
    rows = MinorAlone.objects.filter(operation=operation)
    return set(rows.values_list("household_id", "citizen_id"))


def from_scratch(operation) -> set[tuple[int, int]]:
    households = candidates(Household.objects.filter(operation=operation), today())
    found = minors_alone_from_scratch(households.values_list("pk", flat=True))
    return {(household, minor.pk) for household, minors in found.items() for minor in minors}


def assert_kept(operation) -> set[tuple[int, int]]:
    assert stored(operation) == from_scratch(operation)
    return stored(operation)


def _family(operation, city, *born: date) -> list[Citizen]:
    """A household: a parent born in 1980, then a member born on each of `born`."""
    people = [date(1980, 2, 1), *born]
    household = household_register(
        operation=operation,
        source=Citizen.Source.STAFF_INTAKE,
        by=EVAC,
        members=[
            {
                "surname": "Shevchuk",
                "given_names": f"Member{i}",
                "date_of_birth": day,
                "sex": "M",
                "nationality": "UA",
                "document_type": Citizen.DocumentType.PASSPORT,
                "document_number": f"MK{operation.pk:02d}{i:04d}",
                "current_city": city,
            }
            for i, day in enumerate(people)
        ],
    )
    return list(household.members.order_by("pk"))


def _caller(user) -> Caller:
    return Caller(user=user, method="POST", through_api=False, ip_address="127.0.0.1")


def test_the_stored_rows_follow_every_change_of_status_seat_and_household(
    operation, other_operation, almaty, nqz, kbp, alice
):
    flight = make_flight(operation, nqz, kbp, departs_at=now() + timedelta(days=3))
    parent, child = _family(operation, almaty, years_before(today(), 6))
    _family(other_operation, almaty, years_before(today(), 4))  # never among these
    assert assert_kept(operation) == set()

    # A decision leaves the child alone, and the way back.
    citizen_set_status(citizen=parent, status=Citizen.Status.DECIDED_TO_STAY, by=alice)
    assert assert_kept(operation) == {(parent.household_id, child.pk)}
    citizen_set_status(citizen=parent, status=Citizen.Status.WAITING, by=alice)
    assert assert_kept(operation) == set()

    # The adult's seat leaves the waiting child without a waiting adult; cancelling it ends it.
    seat = booking_create(flight=flight, citizen=parent, by=alice)
    assert assert_kept(operation) == {(parent.household_id, child.pk)}
    booking_create(flight=flight, citizen=child, by=alice)  # beside the adult
    assert assert_kept(operation) == set()
    booking_cancel(booking=seat, by=alice, unaccompanied_reason="An aunt meets her.")
    assert assert_kept(operation) == set()  # the reason is on the child's seat
    child_seat = Booking.objects.get(citizen=child, is_active=True)
    booking_cancel(booking=child_seat, by=alice)
    assert assert_kept(operation) == set()

    # Joining and leaving a household; a date of birth corrected.
    stranger = make_citizen(operation, almaty, date_of_birth=years_before(today(), 9))
    stranger.household_id = parent.household_id
    citizen_saved_in_admin(citizen=stranger, save=stranger.save)
    assert assert_kept(operation) == set()  # the parent waits with them
    citizen_update(citizen=parent, by=alice, date_of_birth=years_before(today(), 16))
    assert len(assert_kept(operation)) == 3  # nobody is an adult now
    citizen_update(citizen=parent, by=alice, date_of_birth=date(1980, 2, 1))
    assert assert_kept(operation) == set()
    citizen_set_status(citizen=parent, status=Citizen.Status.UNREACHABLE, by=alice)
    assert len(assert_kept(operation)) == 2
    stranger.refresh_from_db()
    stranger.household = None
    citizen_saved_in_admin(citizen=stranger, save=stranger.save)
    assert assert_kept(operation) == {(parent.household_id, child.pk)}

    # Deleting a member, then the household.
    child.bookings.all().delete()
    assert assert_kept(operation) == {(parent.household_id, child.pk)}
    Citizen.objects.get(pk=child.pk).delete()
    assert assert_kept(operation) == set()
    citizen_set_status(citizen=parent, status=Citizen.Status.WAITING, by=alice)
    mother, baby = _family(operation, almaty, years_before(today(), 1))
    citizen_set_status(citizen=mother, status=Citizen.Status.DECIDED_TO_STAY, by=alice)
    assert assert_kept(operation) == {(baby.household_id, baby.pk)}
    Household.objects.get(pk=baby.household_id).delete()
    assert assert_kept(operation) == set()
    assert len(stored(other_operation)) == 0


def test_a_flight_moved_earlier_makes_its_young_adult_a_minor_on_the_day(
    operation, almaty, nqz, kbp, alice, pin_clock
):
    # Eighteen in ten days: an adult on a flight in three weeks, a minor on one in two days.
    parent, teen, child = _family(
        operation,
        almaty,
        years_before(today() + timedelta(days=10), settings.EVAC_MINOR_UNDER_AGE),
        years_before(today(), 7),
    )
    flight = make_flight(operation, nqz, kbp, departs_at=now() + timedelta(days=21))
    booking_create(flight=flight, citizen=teen, by=alice)
    booking_create(flight=flight, citizen=child, by=alice)
    assert assert_kept(operation) == set()

    sooner = now() + timedelta(days=2)
    later = sooner + timedelta(hours=5)
    flight_update(flight=flight, by=alice, departs_at=sooner, arrives_at=later)
    household = parent.household_id
    assert assert_kept(operation) == {(household, teen.pk), (household, child.pk)}

    # The flight leaves: both are evacuated, nobody is left waiting for an adult.
    pin_clock(sooner + timedelta(minutes=5))
    flight_set_status(flight=flight, status=Flight.Status.BOARDING, by=alice)
    flight_set_status(flight=flight, status=Flight.Status.DEPARTED, by=alice)
    assert assert_kept(operation) == set()


def test_a_merge_and_its_undo_move_seats_and_the_rows_with_them(operation, almaty, nqz, kbp, alice):
    flight = make_flight(operation, nqz, kbp, departs_at=now() + timedelta(days=3))
    parent, child = _family(operation, almaty, years_before(today(), 6))
    twin = make_citizen(
        operation, almaty, surname=parent.surname, given_names=parent.given_names,
        date_of_birth=parent.date_of_birth,
    )  # fmt: skip
    booking_create(flight=flight, citizen=twin, by=alice)
    assert assert_kept(operation) == set()

    merge = citizens_merge(kept=parent, dropped=twin, caller=_caller(alice))
    assert assert_kept(operation) == {(parent.household_id, child.pk)}  # the seat is his
    merge_undo(merge=merge, caller=_caller(alice))
    assert assert_kept(operation) == set()


def test_birthdays_end_a_waiting_minors_warning(operation, almaty, alice, pin_clock):
    tomorrow = today() + timedelta(days=1)
    parent, teen = _family(operation, almaty, years_before(tomorrow, settings.EVAC_MINOR_UNDER_AGE))
    citizen_set_status(citizen=parent, status=Citizen.Status.DECIDED_TO_STAY, by=alice)
    assert assert_kept(operation) == {(parent.household_id, teen.pk)}

    pin_clock(datetime.combine(tomorrow, time(0, 5), tzinfo=now().tzinfo))
    refresh_birthdays()
    assert assert_kept(operation) == set()


def test_a_bulk_change_is_written_by_a_rebuild_or_the_command(operation, almaty, alice):
    parent, _child = _family(operation, almaty, years_before(today(), 6))
    households = [parent.household_id]
    for _ in range(3):
        adult, _young = _family(operation, almaty, years_before(today(), 3))
        households.append(adult.household_id)
    Citizen.objects.filter(household_id__in=households, date_of_birth__year=1980).update(
        status=Citizen.Status.LEFT_BY_OWN_MEANS
    )  # behind the rows' back
    assert stored(operation) == set()
    assert len(from_scratch(operation)) == 4
    call_command("recount_people", operation.slug, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(assert_kept(operation)) == 4
    assert households_alone_count(operation) == 4

    Citizen.objects.filter(household_id__in=households).update(status=Citizen.Status.WAITING)
    rebuild(operation.pk)  # as every bulk load does
    assert assert_kept(operation) == set()


def test_children_registered_in_an_import_batch_are_kept_as_their_saves_would(
    operation, almaty, bob
):
    from evac.people.bulk_register import Unit, people_register_batch

    children = [
        {
            "surname": "Bondar",
            "given_names": name,
            "date_of_birth": years_before(today(), age),
            "sex": "F",
            "nationality": "UA",
            "document_type": Citizen.DocumentType.PASSPORT,
            "document_number": f"BK{age:06d}",
        }
        for name, age in (("Olha", 15), ("Iryna", 9))
    ]

    (unit,) = people_register_batch(
        operation=operation,
        source=Citizen.Source.IMPORT,
        by=bob,
        units=[Unit(people=children, place={"current_city": almaty})],
    )

    assert len(unit.registered) == 2
    assert len(assert_kept(operation)) == 2
