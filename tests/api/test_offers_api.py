"""Seat offers through the API: a coordinator makes them on request, staff accept or decline
for a person who calls in, and the flight's and the operation's offers can be read, with
the same rules as the flight page and the portal, and no one-time code shown."""

from datetime import timedelta

import pytest
from django.db.models import Sum

from evac.core.actor import EVAC
from evac.core.clock import now
from evac.flights.models import Booking, Flight, SeatOffer
from evac.flights.offers import offers_make
from evac.notifications.models import Notification
from evac.people.models import Citizen
from evac.portal.codes import one_time_code_issue
from tests.api.client import error_of, op_url, token_client
from tests.factories import make_citizen, make_flight

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_flight(operation, nqz, kbp) -> Flight:
    flight = make_flight(operation, nqz, kbp, seats=2, departs_at=now() + timedelta(days=3))
    assert flight.offers == Flight.Offers.ASK  # the default: offers on a coordinator's click
    return flight


def _offers_url(operation, flight, rest: str = "") -> str:
    return op_url(operation, f"flights/{flight.pk}/offers/{rest}")


def _assert_counter_matches(flight: Flight) -> None:
    flight.refresh_from_db()
    booked = Booking.objects.filter(flight=flight, is_active=True).count()
    held = SeatOffer.objects.filter(flight=flight, status="offered").aggregate(
        n=Sum("seats", default=0)
    )["n"]
    assert flight.seats_booked == booked + held


def test_a_coordinator_offers_free_seats_to_the_next_in_line_on_request(
    operation, almaty, open_flight, alice
):
    first, second, third = (make_citizen(operation, almaty) for _ in range(3))

    response = token_client(alice).post(_offers_url(operation, open_flight), {}, format="json")

    assert response.status_code == 201, response.content
    offered = [offer["person"]["reference"] for offer in response.json()]
    assert sorted(offered) == sorted([first.reference, second.reference])
    assert all(offer["status"] == "offered" for offer in response.json())
    _assert_counter_matches(open_flight)
    assert open_flight.seats_left == 0
    assert not SeatOffer.objects.filter(citizen=third).exists()


def test_a_limit_offers_to_that_many_units_only(operation, almaty, open_flight, alice):
    first = make_citizen(operation, almaty)
    make_citizen(operation, almaty)

    response = token_client(alice).post(
        _offers_url(operation, open_flight), {"limit": 1}, format="json"
    )

    assert response.status_code == 201
    assert [o["person"]["reference"] for o in response.json()] == [first.reference]


@pytest.mark.parametrize("limit", ["1", 0, 1.5, True, None])
def test_a_limit_that_is_not_a_positive_whole_number_is_a_field_error(
    limit, operation, almaty, open_flight, alice
):
    make_citizen(operation, almaty)

    response = token_client(alice).post(
        _offers_url(operation, open_flight), {"limit": limit}, format="json"
    )

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"limit"}
    assert not SeatOffer.objects.exists()


def test_no_offers_are_made_on_a_flight_whose_offers_are_off(operation, almaty, open_flight, alice):
    Flight.objects.filter(pk=open_flight.pk).update(offers=Flight.Offers.OFF)
    make_citizen(operation, almaty)

    response = token_client(alice).post(_offers_url(operation, open_flight), {}, format="json")

    assert response.status_code == 409
    assert error_of(response)["code"] == "offers_refused"
    assert not SeatOffer.objects.exists()


def test_the_flight_shows_its_offers_their_counts_and_the_seats_left_empty(
    operation, almaty, open_flight, alice, carol
):
    asked = make_citizen(operation, almaty)
    (offer,) = offers_make(flight=open_flight, by=alice, limit=1)

    response = token_client(carol).get(_offers_url(operation, open_flight))

    assert response.status_code == 200
    body = response.json()
    assert body["mode"] == "ask"
    assert body["counts"] == {
        "offered": 1,
        "accepted": 0,
        "declined": 0,
        "expired": 0,
        "withdrawn": 0,
    }
    assert (body["seats_held"], body["seats_empty"], body["flown"]) == (1, 1, False)
    (shown,) = body["offers"]
    assert shown["id"] == offer.pk
    assert shown["person"]["reference"] == asked.reference
    assert [p["reference"] for p in shown["people"]] == [asked.reference]
    assert shown["expires_at"] == offer.expires_at.isoformat().replace("+00:00", "Z")


def test_no_offer_answer_shows_the_persons_one_time_code(operation, almaty, open_flight, alice):
    asked = make_citizen(operation, almaty, phone="+77011234567")
    offers_make(flight=open_flight, by=alice, limit=1)
    one_time_code_issue(citizen=asked, channel="sms")
    code = Notification.objects.get(kind=Notification.Kind.ONE_TIME_CODE).secret
    client = token_client(alice)

    answers = [
        client.get(_offers_url(operation, open_flight)),
        client.get(op_url(operation, "offers/")),
    ]

    for answer in answers:
        assert answer.status_code == 200
        text = answer.content.decode()
        assert code not in text
        assert "secret" not in text and 'code"' not in text


def test_the_operation_lists_its_pending_offers_soonest_deadline_first(
    operation, other_operation, almaty, nqz, kbp, open_flight, alice
):
    later = make_flight(operation, nqz, kbp, seats=1, departs_at=now() + timedelta(days=4))
    theirs = make_flight(other_operation, nqz, kbp, seats=1, departs_at=now() + timedelta(days=3))
    make_citizen(other_operation, almaty)
    for _ in range(4):
        make_citizen(operation, almaty)
    first, second = offers_make(flight=open_flight, by=alice)
    (on_later,) = offers_make(flight=later, by=alice)
    offers_make(flight=theirs, by=EVAC)
    SeatOffer.objects.filter(pk=on_later.pk).update(
        expires_at=first.expires_at - timedelta(minutes=1)
    )
    SeatOffer.objects.filter(pk=first.pk).update(status="declined", decided_at=now())

    response = token_client(alice).get(op_url(operation, "offers/"))

    assert response.status_code == 200
    listed = [(o["id"], o["flight_number"]) for o in response.json()["results"]]
    assert listed == [(on_later.pk, later.number), (second.pk, open_flight.number)]


def test_an_officer_accepts_for_a_person_who_calls_and_the_hold_becomes_their_seat(
    operation, almaty, open_flight, bob
):
    asked = make_citizen(operation, almaty)
    (offer,) = offers_make(flight=open_flight, by=EVAC, limit=1)

    response = token_client(bob).post(_offers_url(operation, open_flight, f"{offer.pk}/accept/"))

    assert response.status_code == 200, response.content
    (booking,) = response.json()
    assert booking["passenger"]["reference"] == asked.reference
    offer.refresh_from_db()
    assert (offer.status, offer.decided_via, offer.decided_by) == ("accepted", "staff", bob)
    asked.refresh_from_db()
    assert asked.status == Citizen.Status.BOOKED
    _assert_counter_matches(open_flight)
    assert open_flight.seats_booked == 1  # the held seat became the booked one


def test_an_officer_declines_for_a_person_and_the_seats_are_free_again(
    operation, almaty, open_flight, bob
):
    asked = make_citizen(operation, almaty)
    (offer,) = offers_make(flight=open_flight, by=EVAC, limit=1)

    response = token_client(bob).post(_offers_url(operation, open_flight, f"{offer.pk}/decline/"))

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["decided_via"]) == ("declined", "staff")
    asked.refresh_from_db()
    assert asked.status == Citizen.Status.WAITING
    _assert_counter_matches(open_flight)
    assert open_flight.seats_booked == 0


def test_an_offer_whose_deadline_passed_cant_be_accepted(operation, almaty, open_flight, bob):
    make_citizen(operation, almaty)
    (offer,) = offers_make(flight=open_flight, by=EVAC, limit=1)
    SeatOffer.objects.filter(pk=offer.pk).update(
        offered_at=now() - timedelta(hours=3), expires_at=now() - timedelta(minutes=1)
    )

    response = token_client(bob).post(_offers_url(operation, open_flight, f"{offer.pk}/accept/"))

    assert response.status_code == 409
    assert error_of(response)["code"] == "invalid_transition"
    assert not Booking.objects.exists()


def test_an_offer_answered_twice_is_a_conflict_the_second_time(operation, almaty, open_flight, bob):
    make_citizen(operation, almaty)
    (offer,) = offers_make(flight=open_flight, by=EVAC, limit=1)
    client = token_client(bob)
    client.post(_offers_url(operation, open_flight, f"{offer.pk}/decline/"))

    response = client.post(_offers_url(operation, open_flight, f"{offer.pk}/accept/"))

    assert response.status_code == 409
    _assert_counter_matches(open_flight)
    assert open_flight.seats_booked == 0


def test_an_offer_is_found_only_under_its_own_flight(operation, almaty, nqz, kbp, open_flight, bob):
    other = make_flight(operation, nqz, kbp, seats=1, departs_at=now() + timedelta(days=3))
    make_citizen(operation, almaty)
    (offer,) = offers_make(flight=open_flight, by=EVAC, limit=1)

    response = token_client(bob).post(_offers_url(operation, other, f"{offer.pk}/accept/"))

    assert response.status_code == 404
    assert SeatOffer.objects.get(pk=offer.pk).status == "offered"
