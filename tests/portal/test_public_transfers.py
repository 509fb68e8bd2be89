"""The public schedule shows the trains and buses to an open airport beside the flights:
modes, places and local times, whether seats are left, and nothing of anyone on them."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from evac.core.actor import EVAC
from evac.flights.transfers import transfer_book, transfer_set_status
from tests.factories import make_citizen
from tests.flights.factories import make_transfer

pytestmark = pytest.mark.django_db


@pytest.fixture
def train(operation, almaty, nur_sultan):
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


def test_a_cancelled_train_says_so_and_an_old_one_leaves_the_schedule(
    client, operation, almaty, nur_sultan, train, pin_clock
):
    pin_clock(datetime(2030, 1, 7, 9, 0, tzinfo=UTC))
    transfer_set_status(transfer=train, status="cancelled", by=EVAC)
    make_transfer(
        operation, almaty, nur_sultan, number="99", departs_at=datetime(2030, 1, 3, tzinfo=UTC)
    )

    page = _home(client, operation, "uk").content.decode()

    assert "Потяги й автобуси до аеропорту" in page
    assert "Скасовано" in page
    assert "Потяг 12" in page and "Потяг 99" not in page


def test_a_train_is_scheduled_in_its_own_words_not_a_flights(client, operation, train, pin_clock):
    pin_clock(train.departs_at - timedelta(days=1))

    page = _home(client, operation, "uk").content.decode()

    assert "Заплановано" in page and "Регулярний" not in page
