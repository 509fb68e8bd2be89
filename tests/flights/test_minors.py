"""A minor never travels without an adult of their household, unless a coordinator says why."""

from datetime import date

import pytest

from evac.core.actor import EVAC
from evac.flights.minors import MinorWithoutAdult
from evac.flights.models import Booking
from evac.flights.services import booking_cancel, booking_create, household_book
from evac.people.models import Citizen
from evac.people.services import citizen_set_status, household_register

pytestmark = pytest.mark.django_db


def _family(operation, city, *births: str):
    """A household: a parent born in 1980, then children born on `births`."""
    members = [
        {
            "surname": "Bondar",
            "given_names": name,
            "date_of_birth": date.fromisoformat(born),
            "sex": "F",
            "nationality": "UA",
            "document_type": Citizen.DocumentType.PASSPORT,
            "document_number": f"FM{i:06d}",
            "current_city": city,
        }
        for i, (name, born) in enumerate(
            [("Oksana", "1980-02-01"), *((f"Child{n}", b) for n, b in enumerate(births))]
        )
    ]
    household = household_register(
        operation=operation, source=Citizen.Source.STAFF_INTAKE, by=EVAC, members=members
    )
    return list(household.members.order_by("pk"))


def test_a_child_alone_is_not_booked_without_an_adult_of_the_household(
    operation, almaty, flight, alice
):
    _parent, child = _family(operation, almaty, "2016-04-05")

    with pytest.raises(MinorWithoutAdult, match="without an adult of their household"):
        booking_create(flight=flight, citizen=child, by=alice)

    child.refresh_from_db()
    flight.refresh_from_db()
    assert child.status == Citizen.Status.WAITING and flight.seats_booked == 0


def test_a_child_is_booked_with_the_household_or_beside_an_adult_already_on_board(
    operation, almaty, flight, alice
):
    parent, child = _family(operation, almaty, "2016-04-05")
    booking_create(flight=flight, citizen=parent, by=alice)

    seat = booking_create(flight=flight, citizen=child, by=alice)

    assert seat.is_active and seat.unaccompanied_reason == ""


def test_age_is_counted_on_the_day_of_travel_not_today(operation, almaty, flight, alice):
    # 18 on the flight's day (13 January 2030), 17 today.
    day = flight.departs_local.date()
    _parent, almost = _family(operation, almaty, f"{day.year - 18}-{day.month:02}-{day.day:02}")

    seat = booking_create(flight=flight, citizen=almost, by=alice)

    assert seat.is_active


def test_a_coordinator_may_book_a_child_alone_with_a_reason_written_on_the_seat(
    operation, almaty, flight, alice
):
    _parent, child = _family(operation, almaty, "2016-04-05")

    seat = booking_create(
        flight=flight, citizen=child, by=alice, unaccompanied_reason="  travels with grandmother "
    )

    assert seat.unaccompanied_reason == "travels with grandmother"
    assert seat.history.latest().unaccompanied_reason == "travels with grandmother"


def test_a_household_whose_adults_stay_behind_is_refused_whole(operation, almaty, flight, alice):
    parent, first, second = _family(operation, almaty, "2014-01-01", "2018-01-01")
    citizen_set_status(citizen=parent, status=Citizen.Status.DECIDED_TO_STAY, by=alice)

    with pytest.raises(MinorWithoutAdult) as refused:
        household_book(flight=flight, household=parent.household, by=alice)

    assert str(first) in refused.value.message and str(second) in refused.value.message
    assert not Booking.objects.exists()


def test_cancelling_the_only_adult_of_children_on_board_is_refused(
    operation, almaty, flight, alice
):
    parent, _child = _family(operation, almaty, "2016-04-05")
    seats = household_book(flight=flight, household=parent.household, by=alice)
    parent_seat = next(s for s in seats if s.citizen_id == parent.pk)

    with pytest.raises(MinorWithoutAdult):
        booking_cancel(booking=parent_seat, by=alice)

    parent_seat.refresh_from_db()
    assert parent_seat.is_active


def test_the_adults_decision_to_stay_is_refused_while_the_children_hold_seats(
    operation, almaty, flight, alice
):
    parent, _child = _family(operation, almaty, "2016-04-05")
    household_book(flight=flight, household=parent.household, by=alice)

    with pytest.raises(MinorWithoutAdult):
        citizen_set_status(citizen=parent, status=Citizen.Status.DECIDED_TO_STAY, by=alice)

    parent.refresh_from_db()
    assert parent.status == Citizen.Status.BOOKED


def test_with_a_reason_the_adult_leaves_and_the_children_carry_it(operation, almaty, flight, alice):
    parent, child = _family(operation, almaty, "2016-04-05")
    household_book(flight=flight, household=parent.household, by=alice)

    citizen_set_status(
        citizen=parent,
        status=Citizen.Status.DECIDED_TO_STAY,
        by=alice,
        unaccompanied_reason="unaccompanied minor, escorted by consul Petrenko",
    )

    child_seat = Booking.objects.get(citizen=child, is_active=True)
    assert child_seat.unaccompanied_reason == "unaccompanied minor, escorted by consul Petrenko"
    assert child_seat.history.latest().history_user == alice


def test_a_second_adult_on_board_lets_the_first_go(operation, almaty, flight, alice):
    members = _family(operation, almaty, "2016-04-05")
    parent, child = members
    adult = household_register(
        operation=operation,
        source=Citizen.Source.STAFF_INTAKE,
        by=EVAC,
        members=[
            {
                "surname": "Bondar",
                "given_names": "Ivan",
                "date_of_birth": date(1979, 1, 1),
                "sex": "M",
                "nationality": "UA",
                "document_type": Citizen.DocumentType.PASSPORT,
                "document_number": "FM999999",
                "current_city": almaty,
            }
        ],
    ).head
    Citizen.objects.filter(pk=adult.pk).update(household=parent.household)
    household_book(flight=flight, household=parent.household, by=alice)

    cancelled = booking_cancel(
        booking=Booking.objects.get(citizen=parent, is_active=True), by=alice
    )

    assert cancelled.status == Booking.Status.CANCELLED
    assert Booking.objects.get(citizen=child, is_active=True).unaccompanied_reason == ""


def test_the_manifest_shows_the_reason_a_child_travels_without_an_adult(
    client, operation, almaty, flight, alice, carol
):
    from django.urls import reverse

    _parent, child = _family(operation, almaty, "2016-04-05")
    booking_create(
        flight=flight, citizen=child, by=alice, unaccompanied_reason="travels with grandmother"
    )
    client.force_login(carol)

    page = client.get(reverse("flights:manifest", args=[operation.slug, flight.pk]))

    assert "Without an adult of the household: travels with grandmother" in page.content.decode()
