"""Filling a flight's free seats from the waiting list, in its order, households together."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evac.core.actor import EVAC
from evac.core.clock import now, today
from evac.flights import fill
from evac.flights.fill import flight_fill_from_waiting_list, flight_fill_preview
from evac.flights.models import Flight
from evac.flights.seats import FlightNotOpen
from evac.flights.selectors import FILL_READS_UNITS
from evac.people.models import Citizen, years_before
from evac.people.services import household_register
from tests.factories import make_citizen, make_flight
from tests.flights.factories import bulk_households, bulk_waiting

pytestmark = pytest.mark.django_db


def _waiting(operation, city, surname, *, days_ago, **fields):
    citizen = make_citizen(operation, city, surname=surname, **fields)
    Citizen.objects.filter(pk=citizen.pk).update(registered_at=now() - timedelta(days=days_ago))
    return citizen


def _family(operation, city, surname, size, *, days_ago, **head_fields):
    members = [
        {
            "surname": surname,
            "given_names": f"Member{i}",
            "date_of_birth": date(1980, 1, 1) if i == 0 else years_before(today(), 30),
            "sex": "M",
            "nationality": "UA",
            "document_type": Citizen.DocumentType.PASSPORT,
            "document_number": f"{surname[:2].upper()}{i:06d}",
            "current_city": city,
            **(head_fields if i == 0 else {}),
        }
        for i in range(size)
    ]
    household = household_register(
        operation=operation, source="staff_intake", by=EVAC, members=members
    )
    household.members.update(registered_at=now() - timedelta(days=days_ago))
    return household


def _booked_surnames(flight):
    return set(flight.bookings.values_list("citizen__surname", flat=True))


def test_fill_books_in_priority_order_until_the_flight_is_full(operation, almaty, nqz, kbp, alice):
    flight = make_flight(operation, nqz, kbp, seats=2)
    _waiting(operation, almaty, "Longest", days_ago=9)
    _waiting(operation, almaty, "Medical", days_ago=1, medical_need=True)
    _waiting(operation, almaty, "Newest", days_ago=1)

    result = flight_fill_from_waiting_list(flight=flight, by=alice)

    flight.refresh_from_db()
    assert result.booked_count == 2 and result.skipped == []
    assert _booked_surnames(flight) == {"Medical", "Longest"}
    assert flight.seats_left == 0


def test_a_household_that_does_not_fit_is_skipped_and_smaller_units_go_on(
    operation, almaty, nqz, kbp, alice
):
    flight = make_flight(operation, nqz, kbp, seats=3)
    _family(operation, almaty, "Big", 4, days_ago=10, medical_need=True)
    _family(operation, almaty, "Pair", 2, days_ago=5)
    _waiting(operation, almaty, "Single", days_ago=1)
    _waiting(operation, almaty, "Latecomer", days_ago=0)

    result = flight_fill_from_waiting_list(flight=flight, by=alice)

    assert _booked_surnames(flight) == {"Pair", "Single"}
    assert result.booked_count == 3
    (skipped,) = result.skipped
    assert skipped.unit.members[0].surname == "Big"
    assert skipped.reason == "4 people travel together; 3 seats were left."
    big = Citizen.objects.filter(surname="Big")
    assert set(big.values_list("status", flat=True)) == {Citizen.Status.WAITING}


def test_a_household_is_booked_all_together(operation, almaty, nqz, kbp, alice):
    flight = make_flight(operation, nqz, kbp, seats=10)
    family = _family(operation, almaty, "Together", 3, days_ago=1)

    result = flight_fill_from_waiting_list(flight=flight, by=alice)

    assert result.booked_count == 3
    assert set(family.members.values_list("status", flat=True)) == {Citizen.Status.BOOKED}
    assert {b.citizen.household_id for b in result.booked} == {family.pk}


def test_a_limit_books_fewer_seats_than_are_free(operation, almaty, nqz, kbp, alice):
    flight = make_flight(operation, nqz, kbp, seats=10)
    for i in range(5):
        _waiting(operation, almaty, f"Person{i}", days_ago=10 - i)

    result = flight_fill_from_waiting_list(flight=flight, by=alice, limit=2)

    assert _booked_surnames(flight) == {"Person0", "Person1"}
    assert result.booked_count == 2


def test_fill_can_take_people_from_one_city_only(operation, almaty, nur_sultan, nqz, kbp, alice):
    flight = make_flight(operation, nqz, kbp, seats=10)
    _waiting(operation, almaty, "Almaty", days_ago=9)
    _waiting(operation, nur_sultan, "NurSultan", days_ago=1)

    flight_fill_from_waiting_list(flight=flight, by=alice, city=nur_sultan)

    assert _booked_surnames(flight) == {"NurSultan"}


def test_a_flight_that_is_not_open_is_not_filled(operation, almaty, nqz, kbp, alice):
    flight = make_flight(operation, nqz, kbp, status=Flight.Status.PLANNED)
    _waiting(operation, almaty, "Hopeful", days_ago=1)

    with pytest.raises(FlightNotOpen):
        flight_fill_from_waiting_list(flight=flight, by=alice)

    assert not flight.bookings.exists()


@pytest.mark.parametrize("who", ["bob", "carol", "dave"])
def test_only_coordinators_of_the_operation_fill_seats(operation, almaty, flight, who, request):
    _waiting(operation, almaty, "Hopeful", days_ago=1)

    with pytest.raises(PermissionDenied):
        flight_fill_from_waiting_list(flight=flight, by=request.getfixturevalue(who))

    assert not flight.bookings.exists()


def test_seats_taken_by_someone_else_during_a_fill_end_it_without_undoing_it(
    operation, almaty, nqz, kbp, alice, monkeypatch
):
    flight = make_flight(operation, nqz, kbp, seats=5)
    for i in range(4):
        _waiting(operation, almaty, f"Person{i}", days_ago=10 - i)
    book = fill.waiting_unit_book

    def book_then_lose_the_rest(**kwargs):
        bookings = book(**kwargs)
        # Another coordinator takes every other seat at that moment.
        Flight.objects.filter(pk=flight.pk).update(seats_booked=5)
        return bookings

    monkeypatch.setattr(fill, "waiting_unit_book", book_then_lose_the_rest)

    result = flight_fill_from_waiting_list(flight=flight, by=alice)

    assert result.booked_count == 1
    assert [s.unit.members[0].surname for s in result.skipped] == ["Person1"]
    assert "0 seats left" in result.skipped[0].reason
    assert _booked_surnames(flight) == {"Person0"}


def test_the_fill_reads_on_past_a_long_run_of_households_that_do_not_fit(
    operation, almaty, nqz, kbp, alice
):
    flight = make_flight(operation, nqz, kbp, seats=1)
    runs_past = FILL_READS_UNITS + 20
    bulk_households(operation, [almaty], runs_past, size=2, medical_need=True)
    _waiting(operation, almaty, "Alone", days_ago=1)

    result = flight_fill_from_waiting_list(flight=flight, by=alice)

    assert _booked_surnames(flight) == {"Alone"}
    assert len(result.skipped) == runs_past
    assert {s.reason for s in result.skipped} == {"2 people travel together; 1 seats were left."}


def test_filling_a_few_seats_takes_the_same_queries_for_10_and_1000_waiting(
    operation, almaty, nqz, kbp, alice, django_assert_max_num_queries
):
    bulk_waiting(operation, almaty, 10)
    _family(operation, almaty, "Family", 2, days_ago=100)
    small = make_flight(operation, nqz, kbp, seats=3)
    with CaptureQueriesContext(connection) as ten:
        flight_fill_from_waiting_list(flight=small, by=alice)

    bulk_waiting(operation, almaty, 990)
    _family(operation, almaty, "Other", 2, days_ago=100)
    again = make_flight(operation, nqz, kbp, seats=3)
    with django_assert_max_num_queries(len(ten)):
        result = flight_fill_from_waiting_list(flight=again, by=alice)

    assert result.booked_count == 3
    # The family has waited longest, then the earliest registered of the second batch.
    assert _booked_surnames(again) == {"Other", "Waiting0989"}


def test_the_preview_names_who_the_fill_would_book_and_why_others_do_not_fit(
    operation, almaty, nqz, kbp, alice
):
    flight = make_flight(operation, nqz, kbp, seats=3)
    _family(operation, almaty, "Big", 4, days_ago=10, medical_need=True)
    _family(operation, almaty, "Pair", 2, days_ago=5)
    _waiting(operation, almaty, "Single", days_ago=1)
    _waiting(operation, almaty, "Latecomer", days_ago=0)

    preview = flight_fill_preview(flight=flight, by=alice)

    assert [unit.members[0].surname for unit in preview.units] == ["Pair", "Single"]
    assert preview.people_count == 3 and preview.booked == [] and preview.seats_left == 3
    (skipped,) = preview.skipped
    assert skipped.unit.members[0].surname == "Big"
    assert skipped.reason == "4 people travel together; 3 seats were left."
    flight.refresh_from_db()
    assert not flight.bookings.exists() and flight.seats_left == 3
    assert not Citizen.objects.filter(status=Citizen.Status.BOOKED).exists()

    result = flight_fill_from_waiting_list(flight=flight, by=alice)

    assert [unit.key for unit in result.units] == [unit.key for unit in preview.units]


def test_the_preview_keeps_the_fills_limit_city_and_closed_flight_rules(
    operation, almaty, nur_sultan, nqz, kbp, alice
):
    flight = make_flight(operation, nqz, kbp, seats=10)
    for i in range(3):
        _waiting(operation, almaty, f"Almaty{i}", days_ago=10 - i)
    _waiting(operation, nur_sultan, "NurSultan", days_ago=1)

    limited = flight_fill_preview(flight=flight, by=alice, limit=2)
    in_city = flight_fill_preview(flight=flight, by=alice, city=nur_sultan)

    assert [u.members[0].surname for u in limited.units] == ["Almaty0", "Almaty1"]
    assert [u.members[0].surname for u in in_city.units] == ["NurSultan"]
    planned = make_flight(operation, nqz, kbp, status=Flight.Status.PLANNED)
    with pytest.raises(FlightNotOpen):
        flight_fill_preview(flight=planned, by=alice)


@pytest.mark.parametrize("who", ["bob", "carol", "dave"])
def test_only_coordinators_of_the_operation_preview_a_fill(operation, almaty, flight, who, request):
    _waiting(operation, almaty, "Hopeful", days_ago=1)

    with pytest.raises(PermissionDenied):
        flight_fill_preview(flight=flight, by=request.getfixturevalue(who))
