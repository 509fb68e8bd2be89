import pytest

from evac.core.actor import EVAC
from evac.core.errors import Conflict
from evac.flights.models import Booking
from evac.flights.services import AlreadyBooked, FlightFull, booking_create, household_book
from evac.people.models import Citizen
from evac.people.services import citizen_set_status, household_register
from tests.factories import make_citizen, make_flight

pytestmark = pytest.mark.django_db


def _family(operation, city, size: int):
    members = [
        {
            "surname": "Shevchenko",
            "given_names": name,
            "date_of_birth": dob,
            "sex": sex,
            "nationality": "UA",
            "document_type": Citizen.DocumentType.PASSPORT,
            "document_number": f"FH10000{i}",
            "current_city": city,
        }
        for i, (name, dob, sex) in enumerate(
            [
                ("Taras", "1980-02-01", "M"),
                ("Iryna", "1982-06-12", "F"),
                ("Marko", "2012-09-30", "M"),
                ("Sofiia", "2016-04-05", "F"),
            ][:size]
        )
    ]
    return household_register(
        operation=operation, source=Citizen.Source.STAFF_INTAKE, by=EVAC, members=members
    )


def test_a_household_is_booked_together(operation, almaty, flight, alice):
    family = _family(operation, almaty, 4)

    bookings = household_book(flight=flight, household=family, by=alice)

    flight.refresh_from_db()
    assert len(bookings) == 4
    assert {b.citizen_id for b in bookings} == set(family.members.values_list("pk", flat=True))
    assert flight.seats_booked == 4
    assert set(family.members.values_list("status", flat=True)) == {Citizen.Status.BOOKED}


def test_a_household_that_does_not_fit_is_not_split(operation, almaty, nqz, kbp, alice):
    three_seats = make_flight(operation, nqz, kbp, seats=3)
    family = _family(operation, almaty, 4)

    with pytest.raises(FlightFull):
        household_book(flight=three_seats, household=family, by=alice)

    three_seats.refresh_from_db()
    assert three_seats.seats_booked == 0
    assert not Booking.objects.filter(flight=three_seats).exists()
    assert set(family.members.values_list("status", flat=True)) == {Citizen.Status.WAITING}


def test_a_member_with_a_seat_elsewhere_stops_the_whole_household(
    operation, almaty, nqz, kbp, flight, alice
):
    family = _family(operation, almaty, 3)
    son = family.members.get(given_names="Marko")
    booking_create(
        flight=make_flight(operation, nqz, kbp),
        citizen=son,
        by=alice,
        unaccompanied_reason="flies ahead with his school",
    )

    with pytest.raises(AlreadyBooked, match="SHEVCHENKO Marko"):
        household_book(flight=flight, household=family, by=alice)

    flight.refresh_from_db()
    assert flight.seats_booked == 0
    assert family.members.filter(status=Citizen.Status.WAITING).count() == 2


def test_a_member_who_decided_to_stay_is_left_out(operation, almaty, flight, alice, bob):
    family = _family(operation, almaty, 3)
    father = family.members.get(given_names="Taras")
    citizen_set_status(citizen=father, status=Citizen.Status.DECIDED_TO_STAY, by=bob)

    bookings = household_book(flight=flight, household=family, by=alice)

    assert len(bookings) == 2
    assert father.pk not in {b.citizen_id for b in bookings}


def test_a_household_with_nobody_waiting_is_refused(operation, almaty, flight, alice, bob):
    family = _family(operation, almaty, 1)
    citizen_set_status(citizen=family.head, status=Citizen.Status.UNREACHABLE, by=bob)

    with pytest.raises(Conflict, match="Nobody in this household"):
        household_book(flight=flight, household=family, by=alice)


def test_the_first_member_heads_the_household(operation, almaty):
    family = _family(operation, almaty, 2)

    assert family.head.given_names == "Taras"
    assert family.head.household == family


def test_someone_of_another_operation_cannot_be_booked(
    operation, other_operation, almaty, flight, alice
):
    stranger = make_citizen(other_operation, almaty)

    with pytest.raises(Conflict, match="own operation"):
        booking_create(flight=flight, citizen=stranger, by=alice)
