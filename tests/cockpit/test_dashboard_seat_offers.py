"""The dashboard counts the seat offers pending and lists the flights of the next 48 hours
with seats on offer or free, each linked to its offers on the flight page."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from evac.core.actor import EVAC
from evac.core.clock import now
from evac.flights.models import Flight
from evac.flights.offers import offers_make
from evac.flights.services import booking_create
from tests.factories import make_citizen, make_flight
from tests.pages import links_to, text

pytestmark = pytest.mark.django_db


def _dashboard(client, user, operation):
    client.force_login(user)
    return client.get(reverse("operations:dashboard", args=[operation.slug]))


def _figures(page, link: str) -> list[str]:
    """The numbers in the row of the flight whose link is `link`."""
    html = page.content.decode()
    row = html[html.index(f'href="{link}"') :]
    row = row[: row.index("</tr>")]
    return re.findall(r'<td class="num">(\d+)</td>', row)


def _offers_link(operation, flight: Flight) -> str:
    return reverse("flights:manifest", args=[operation.slug, flight.pk]) + "#offers-title"


def test_offers_pending_and_the_flights_soon_with_seats_to_fill_are_shown(
    client, carol, operation, almaty, nqz, kbp
):
    soon = make_flight(operation, nqz, kbp, seats=4, departs_at=now() + timedelta(hours=30))
    for _ in range(3):
        make_citizen(operation, almaty)
    offers_make(flight=soon, by=EVAC, limit=2)  # two offers, two seats held; two free

    page = _dashboard(client, carol, operation)

    words = text(page)
    assert "2 seat offers pending, holding 2 seats." in words
    assert links_to(page, _offers_link(operation, soon)) == [f"{soon.number} Seat offers"]
    # Offers pending, seats on offer, seats free and not offered.
    assert _figures(page, _offers_link(operation, soon)) == ["2", "2", "2"]


def test_a_full_flight_later_or_one_without_seats_to_fill_is_not_listed(
    client, carol, operation, almaty, nqz, kbp
):
    later = make_flight(operation, nqz, kbp, seats=4, departs_at=now() + timedelta(hours=60))
    full = make_flight(operation, nqz, kbp, seats=1, departs_at=now() + timedelta(hours=20))
    booking_create(flight=full, citizen=make_citizen(operation, almaty), by=EVAC)

    page = _dashboard(client, carol, operation)

    assert not links_to(page, _offers_link(operation, later))
    assert not links_to(page, _offers_link(operation, full))
    assert "0 seat offers pending." in text(page)
    assert "No flight in that time has seats to fill." in text(page)


def test_a_full_flight_whose_seats_are_all_on_offer_is_listed(
    client, carol, operation, almaty, nqz, kbp
):
    held = make_flight(operation, nqz, kbp, seats=1, departs_at=now() + timedelta(hours=20))
    make_citizen(operation, almaty)
    offers_make(flight=held, by=EVAC)
    held.refresh_from_db()
    assert held.seats_left == 0

    page = _dashboard(client, carol, operation)

    assert links_to(page, _offers_link(operation, held))
    assert "1 seat offer pending, holding 1 seat." in text(page)
