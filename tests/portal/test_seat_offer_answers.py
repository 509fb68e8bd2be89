"""A person accepts or declines the seats offered to them on the portal, with a one-time code."""

from datetime import timedelta

import pytest

from evac.core.clock import now
from evac.flights.models import Booking, Flight, SeatOffer
from evac.flights.offers import offer_next
from evac.people.models import Citizen, ContactLogEntry
from evac.portal.codes import CodeRefused
from evac.portal.services import portal_answer_offer
from tests.factories import make_flight
from tests.portal.test_changes import change, code_for
from tests.portal.test_changes import looked_up as looked_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(operation, olena, nqz, kbp, alice):
    flight = make_flight(operation, nqz, kbp, seats=1, departs_at=now() + timedelta(days=2))
    made = offer_next(flight=flight, by=alice)
    assert made.citizen == olena
    return made


def test_the_status_page_shows_the_offer_and_its_answers(looked_up, operation, offer):
    page = looked_up.get(f"/p/{operation.slug}/status/").content.decode()
    assert f"held for you on flight {offer.flight.number}" in page
    assert "do=accept_offer" in page and "do=decline_offer" in page


def test_accepting_with_the_code_books_the_held_seat(looked_up, operation, olena, offer, sms_file):
    code = code_for(looked_up, operation, "accept_offer", sms_file)

    response = change(looked_up, operation, "accept_offer", code=code)

    assert response.status_code == 302
    olena.refresh_from_db()
    offer.refresh_from_db()
    assert olena.status == Citizen.Status.BOOKED
    assert (offer.status, offer.decided_via) == ("accepted", "portal")
    assert Booking.objects.get(citizen=olena).flight_id == offer.flight_id
    assert Flight.objects.get(pk=offer.flight_id).seats_left == 0
    assert "accepted the seats" in ContactLogEntry.objects.get(citizen=olena).note


def test_declining_with_the_code_keeps_the_person_waiting(
    looked_up, operation, olena, offer, sms_file
):
    code = code_for(looked_up, operation, "decline_offer", sms_file)

    change(looked_up, operation, "decline_offer", code=code)

    olena.refresh_from_db()
    assert olena.status == Citizen.Status.WAITING
    assert SeatOffer.objects.get(pk=offer.pk).status == "declined"
    assert Flight.objects.get(pk=offer.flight_id).seats_left == 1


def test_a_wrong_code_answers_nothing(looked_up, operation, offer, sms_file):
    code = code_for(looked_up, operation, "accept_offer", sms_file)
    wrong = "000000" if code != "000000" else "111111"

    response = change(looked_up, operation, "accept_offer", code=wrong)

    assert "wrong, expired or already used" in response.content.decode()
    assert SeatOffer.objects.get(pk=offer.pk).status == "offered"


def test_the_service_itself_checks_the_code(olena, offer):
    with pytest.raises(CodeRefused):
        portal_answer_offer(citizen=olena, code="123456", accept=True)
    assert SeatOffer.objects.get(pk=offer.pk).status == "offered"
