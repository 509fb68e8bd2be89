"""The public schedule shows the trains and buses to an open airport beside the flights:
modes, places and local times, whether seats are left, and nothing of anyone on them.

Only trains and buses still ahead (not cancelled, not arrived) that lead in time to a flight
the schedule itself shows: a train to a flight still being planned would announce it."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from evac.core.actor import EVAC
from evac.flights.models import Flight
from evac.flights.services import flight_set_status
from evac.flights.transfers import transfer_book, transfer_set_status
from tests.factories import make_citizen, make_flight
from tests.flights.factories import make_transfer

pytestmark = pytest.mark.django_db


@pytest.fixture
def train(operation, almaty, nur_sultan, flight):
    """Almaty → Nur-Sultan on 8 January, in time for the open flight from NQZ on the 13th."""
    return make_transfer(
        operation,
        almaty,
        nur_sultan,
        seats=1,
        departs_at=datetime(2030, 1, 8, 16, 40, tzinfo=UTC),
        operator="KTZ",
        meeting_point="Almaty-2 station, platform 1",
    )


def _home(client, operation, language="en"):
    return client.get(reverse("portal:home", args=[operation.slug]), HTTP_ACCEPT_LANGUAGE=language)


def test_the_schedule_shows_the_train_in_local_time_with_seats_left(
    client, operation, train, pin_clock
):
    pin_clock(datetime(2030, 1, 7, 9, 0, tzinfo=UTC))

    page = _home(client, operation).content.decode()

    assert "Trains and buses to the airport" in page
    assert "Rail 12" in page and "Almaty → Nur-Sultan" in page
    assert "8 January, 21:40 → 9 January, 08:40" in page
    assert "Seats available" in page


def test_the_schedule_names_no_one_and_no_meeting_point(
    client, operation, almaty, train, pin_clock
):
    pin_clock(datetime(2030, 1, 7, 9, 0, tzinfo=UTC))
    olena = make_citizen(operation, almaty, surname="Zaporozhets")
    transfer_book(transfer=train, citizen=olena, by=EVAC)

    page = _home(client, operation).content.decode()

    assert "Rail 12" in page
    assert "No seats available" in page
    assert "Zaporozhets" not in page and olena.reference not in page
    assert "platform 1" not in page and "KTZ" not in page


def test_a_cancelled_train_and_an_old_one_leave_the_schedule(
    client, operation, almaty, nur_sultan, train, pin_clock
):
    pin_clock(datetime(2030, 1, 7, 9, 0, tzinfo=UTC))
    make_transfer(
        operation, almaty, nur_sultan, number="77", departs_at=datetime(2030, 1, 9, tzinfo=UTC)
    )
    make_transfer(
        operation, almaty, nur_sultan, number="99", departs_at=datetime(2030, 1, 3, tzinfo=UTC)
    )
    transfer_set_status(transfer=train, status="cancelled", by=EVAC)

    page = _home(client, operation, "uk").content.decode()

    assert "Потяги й автобуси до аеропорту" in page
    assert "Потяг 77" in page
    assert "Потяг 12" not in page and "Скасовано" not in page
    assert "Потяг 99" not in page


def test_a_train_to_a_flight_still_planned_is_not_shown_until_the_flight_is(
    client, operation, almaty, nur_sultan, nqz, kbp, pin_clock
):
    planned = make_flight(operation, nqz, kbp, status=Flight.Status.PLANNED)
    make_transfer(operation, almaty, nur_sultan, departs_at=datetime(2030, 1, 8, tzinfo=UTC))
    pin_clock(datetime(2030, 1, 7, 9, 0, tzinfo=UTC))

    hidden = _home(client, operation).content.decode()
    flight_set_status(flight=planned, status=Flight.Status.OPEN, by=EVAC)
    shown = _home(client, operation).content.decode()

    assert "Rail 12" not in hidden and "Trains and buses to the airport" not in hidden
    assert "Rail 12" in shown and planned.number in shown


def test_a_train_that_leads_to_no_flight_shown_is_not_shown(
    client, operation, almaty, nur_sultan, kyiv, nqz, kbp, flight, pin_clock
):
    """To no flight at all, too late for the flight, or only to a cancelled one."""
    make_transfer(operation, almaty, kyiv, number="1", departs_at=datetime(2030, 1, 8, tzinfo=UTC))
    make_transfer(
        operation, almaty, nur_sultan, number="2", departs_at=datetime(2030, 1, 12, 20, tzinfo=UTC)
    )
    pin_clock(datetime(2030, 1, 7, 9, 0, tzinfo=UTC))

    page = _home(client, operation).content.decode()
    flight_set_status(flight=flight, status=Flight.Status.CANCELLED, by=EVAC)
    make_transfer(
        operation, almaty, nur_sultan, number="3", departs_at=datetime(2030, 1, 8, tzinfo=UTC)
    )
    after = _home(client, operation).content.decode()

    assert flight.number in page
    assert "Rail 1<" not in page and "Rail 2<" not in page
    assert "Rail 3" not in after and "Trains and buses to the airport" not in after


def test_a_first_leg_to_a_train_that_leads_to_a_flight_shown_is_shown(
    client, operation, almaty, nur_sultan, kyiv, flight, pin_clock
):
    """Kyiv stands in for a third city: Kyiv → Almaty, then Almaty → Nur-Sultan, then fly."""
    make_transfer(operation, kyiv, almaty, number="5", departs_at=datetime(2030, 1, 5, tzinfo=UTC))
    make_transfer(
        operation, almaty, nur_sultan, number="6", departs_at=datetime(2030, 1, 8, tzinfo=UTC)
    )
    pin_clock(datetime(2030, 1, 4, 9, 0, tzinfo=UTC))

    page = _home(client, operation).content.decode()

    assert "Rail 5" in page and "Rail 6" in page


def test_a_train_is_scheduled_in_its_own_words_not_a_flights(client, operation, train, pin_clock):
    pin_clock(train.departs_at - timedelta(days=1))

    page = _home(client, operation, "uk").content.decode()

    assert "Заплановано" in page and "Регулярний" not in page
