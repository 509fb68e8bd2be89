"""Freed seats are offered to the next unit of the waiting list and held until a deadline."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from evac.core.actor import EVAC, CitizenActor
from evac.core.clock import now
from evac.core.errors import InvalidTransition
from evac.flights.models import Booking, Flight, SeatOffer
from evac.flights.offers import (
    OffersRefused,
    offer_accept,
    offer_deadline,
    offer_decline,
    offer_expire,
    offer_next,
    offers_make,
)
from evac.flights.services import booking_cancel, booking_create, flight_set_status
from evac.notifications.models import Notification
from evac.people.models import Citizen
from evac.people.services import household_register
from tests.factories import make_citizen, make_flight

pytestmark = pytest.mark.django_db


def _full_flight(operation, nqz, kbp, seats=2, **fields):
    flight = make_flight(operation, nqz, kbp, seats=seats, departs_at=now() + timedelta(days=3))
    Flight.objects.filter(pk=flight.pk).update(**fields) if fields else None
    flight.refresh_from_db()
    return flight


def _deadline_passes(offer: SeatOffer) -> None:
    SeatOffer.objects.filter(pk=offer.pk).update(
        offered_at=now() - timedelta(hours=3), expires_at=now() - timedelta(minutes=1)
    )


def _family(operation, city, size=3):
    members = [
        {
            "surname": "Shevchenko",
            "given_names": f"Member{i}",
            "date_of_birth": "1980-01-01",
            "sex": "F",
            "nationality": "UA",
            "document_type": "passport",
            "document_number": f"FS00{i}",
            "current_city": city,
            "phone": "+77011234567",
        }
        for i in range(size)
    ]
    return household_register(
        operation=operation, source=Citizen.Source.STAFF_INTAKE, by=EVAC, members=members
    )


def test_an_offer_holds_seats_on_the_same_counter_as_bookings(operation, almaty, nqz, kbp, alice):
    flight = _full_flight(operation, nqz, kbp, seats=2)
    first, second, _third = (
        make_citizen(operation, almaty, phone="+77011234567") for _ in range(3)
    )

    made = offers_make(flight=flight, by=alice)

    flight.refresh_from_db()
    assert [o.citizen for o in made] == [first, second]
    assert flight.seats_booked == 2 and flight.seats_left == 0
    assert Booking.objects.filter(flight=flight).count() == 0
    assert Notification.objects.filter(kind=Notification.Kind.SEAT_OFFERED).count() == 2


def test_accepting_turns_the_hold_into_bookings_without_taking_more_seats(
    operation, almaty, nqz, kbp, bob, alice
):
    flight = _full_flight(operation, nqz, kbp, seats=1)
    olena = make_citizen(operation, almaty)
    offer = offer_next(flight=flight, by=alice)

    (booking,) = offer_accept(offer=offer, by=bob)  # an officer, for a person who called

    flight.refresh_from_db()
    offer.refresh_from_db()
    assert booking.citizen == olena and booking.is_active
    assert flight.seats_booked == 1
    assert (offer.status, offer.decided_by, offer.decided_via) == ("accepted", bob, "staff")
    assert set(offer.history.values_list("status", flat=True)) == {"offered", "accepted"}


def test_the_person_accepts_only_their_own_offer(operation, almaty, nqz, kbp, alice):
    flight = _full_flight(operation, nqz, kbp, seats=1)
    olena, ivan = make_citizen(operation, almaty), make_citizen(operation, almaty)
    offer = offer_next(flight=flight, by=alice)

    with pytest.raises(PermissionDenied):
        offer_accept(offer=offer, by=CitizenActor(operation_id=operation.pk, citizen_id=ivan.pk))
    offer_accept(offer=offer, by=CitizenActor(operation_id=operation.pk, citizen_id=olena.pk))

    offer.refresh_from_db()
    assert (offer.status, offer.decided_via) == ("accepted", "portal")


def test_a_viewer_can_neither_make_nor_answer_offers(operation, almaty, nqz, kbp, alice, carol):
    flight = _full_flight(operation, nqz, kbp, seats=1)
    make_citizen(operation, almaty)
    with pytest.raises(PermissionDenied):
        offers_make(flight=flight, by=carol)
    offer = offer_next(flight=flight, by=alice)
    with pytest.raises(PermissionDenied):
        offer_decline(offer=offer, by=carol)


def test_declining_frees_the_seats_once_and_the_person_stays_waiting(
    operation, almaty, nqz, kbp, alice
):
    flight = _full_flight(operation, nqz, kbp, seats=1)
    olena = make_citizen(operation, almaty, phone="+77011234567")
    offer = offer_next(flight=flight, by=alice)

    offer_decline(offer=offer, by=alice)
    with pytest.raises(InvalidTransition):
        offer_decline(offer=offer, by=alice)

    flight.refresh_from_db()
    olena.refresh_from_db()
    assert flight.seats_booked == 0
    assert olena.status == Citizen.Status.WAITING
    ended = Notification.objects.get(kind=Notification.Kind.SEAT_OFFER_ENDED)
    assert "списку очікування" in ended.body  # in the person's language (Ukrainian)


def test_an_expired_offer_frees_its_seats_exactly_once_and_cannot_be_accepted(
    operation, almaty, nqz, kbp, alice
):
    flight = _full_flight(operation, nqz, kbp, seats=1)
    make_citizen(operation, almaty)
    offer = offer_next(flight=flight, by=alice)
    assert offer_expire(offer_id=offer.pk) is None  # not due yet: nothing happens

    _deadline_passes(offer)
    with pytest.raises(InvalidTransition):
        offer_accept(offer=offer, by=alice)
    assert offer_expire(offer_id=offer.pk) is not None
    assert offer_expire(offer_id=offer.pk) is None

    flight.refresh_from_db()
    assert flight.seats_booked == 0
    assert SeatOffer.objects.get().status == "expired"


def test_a_unit_holding_an_offer_is_not_offered_again_and_the_next_one_is_asked(
    operation, almaty, nqz, kbp, alice
):
    flight = _full_flight(operation, nqz, kbp, seats=1)
    other = make_flight(operation, nqz, kbp, seats=1, departs_at=now() + timedelta(days=4))
    olena, ivan = make_citizen(operation, almaty), make_citizen(operation, almaty)

    first = offer_next(flight=flight, by=alice)
    second = offer_next(flight=other, by=alice)

    assert (first.citizen, second.citizen) == (olena, ivan)


def test_a_household_is_offered_whole_or_passed_over(operation, almaty, nqz, kbp, alice):
    flight = _full_flight(operation, nqz, kbp, seats=2)
    family = _family(operation, almaty, size=3)
    olena = make_citizen(operation, almaty)

    (offer,) = offers_make(flight=flight, by=alice)
    assert offer.citizen == olena  # the family of three doesn't fit in two seats

    bigger = make_flight(operation, nqz, kbp, seats=5, departs_at=now() + timedelta(days=4))
    (family_offer,) = offers_make(flight=bigger, by=alice)
    assert family_offer.household_id == family.pk and family_offer.seats == 3
    bookings = offer_accept(offer=family_offer, by=alice)
    assert {b.citizen_id for b in bookings} == set(family.members.values_list("pk", flat=True))


def test_cancelling_a_seat_on_an_automatic_flight_offers_it_after_commit(
    operation, almaty, nqz, kbp, alice, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr("evac.flights.seats.queue_offer_free_seats", queued.append)
    flight = _full_flight(operation, nqz, kbp, seats=1, offers=Flight.Offers.AUTOMATIC)
    booking = booking_create(flight=flight, citizen=make_citizen(operation, almaty), by=alice)

    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=booking, by=alice)

    assert queued == [flight.pk]


def test_offers_are_refused_when_off_or_too_close_to_departure(operation, almaty, nqz, kbp, alice):
    make_citizen(operation, almaty)
    off = _full_flight(operation, nqz, kbp, offers=Flight.Offers.OFF)
    with pytest.raises(OffersRefused):
        offers_make(flight=off, by=alice)
    soon = make_flight(operation, nqz, kbp, departs_at=now() + timedelta(minutes=50))
    with pytest.raises(OffersRefused):
        offers_make(flight=soon, by=alice)


def test_the_deadline_scales_with_the_time_to_departure(operation, nqz, kbp):
    flight = make_flight(operation, nqz, kbp)
    at = flight.departs_at
    assert offer_deadline(flight, at=at - timedelta(days=2)) == at - timedelta(days=2, hours=-2)
    assert offer_deadline(flight, at=at - timedelta(hours=12)) == at - timedelta(hours=11)
    assert offer_deadline(flight, at=at - timedelta(hours=3)) == at - timedelta(
        hours=3, minutes=-20
    )
    assert offer_deadline(flight, at=at - timedelta(minutes=59)) is None


def test_a_flight_leaving_open_withdraws_its_live_offers(operation, almaty, nqz, kbp, alice):
    flight = _full_flight(operation, nqz, kbp, seats=1)
    make_citizen(operation, almaty)
    offer = offer_next(flight=flight, by=alice)

    flight_set_status(flight=flight, status=Flight.Status.CANCELLED, by=alice)

    offer.refresh_from_db()
    flight.refresh_from_db()
    assert offer.status == "withdrawn" and flight.seats_booked == 0
