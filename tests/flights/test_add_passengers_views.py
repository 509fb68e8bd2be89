"""Adding passengers to a flight from the waiting list, in the browser."""

import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.urls import reverse

from evac.core.actor import EVAC
from evac.core.clock import now
from evac.flights.models import Flight
from evac.flights.selectors import waiting_units
from evac.people.models import Citizen
from evac.people.services import household_register
from tests.factories import make_citizen, make_flight
from tests.pages import text

pytestmark = pytest.mark.django_db


def _url(flight, **query):
    url = reverse("flights:add_passengers", args=[flight.operation.slug, flight.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _waiting(operation, city, surname, *, days_ago, **fields):
    citizen = make_citizen(operation, city, surname=surname, **fields)
    Citizen.objects.filter(pk=citizen.pk).update(registered_at=now() - timedelta(days=days_ago))
    return citizen


def _family(operation, city, surname, size):
    return household_register(
        operation=operation,
        source="staff_intake",
        by=EVAC,
        members=[
            {
                "surname": surname,
                "given_names": f"Member{i}",
                "date_of_birth": date(1980, 1, 1),
                "sex": "F",
                "nationality": "UA",
                "document_type": Citizen.DocumentType.PASSPORT,
                "document_number": f"{surname[:2].upper()}{i:06d}",
                "current_city": city,
            }
            for i in range(size)
        ],
    )


def test_the_waiting_list_is_shown_most_vulnerable_first(client, operation, almaty, flight, alice):
    _waiting(operation, almaty, "Longwaiting", days_ago=9)
    _waiting(operation, almaty, "Wheelchair", days_ago=1, reduced_mobility=True)
    _family(operation, almaty, "Familyunit", 3)
    client.force_login(alice)

    page = text(client.get(_url(flight)))

    assert page.index("WHEELCHAIR") < page.index("LONGWAITING") < page.index("FAMILYUNIT")
    assert "reduced mobility" in page and "Urgent" in page
    assert "Household: FAMILYUNIT Member0" in page
    assert "Fill the 10 seats left in priority order" in page


def test_ticking_a_household_books_all_its_members(client, operation, almaty, flight, alice):
    family = _family(operation, almaty, "Shevchenko", 3)
    single = _waiting(operation, almaty, "Alone", days_ago=1)
    client.force_login(alice)

    response = client.post(
        _url(flight), {"action": "book", "unit": [f"household:{family.pk}"]}, follow=True
    )

    assert set(family.members.values_list("status", flat=True)) == {Citizen.Status.BOOKED}
    single.refresh_from_db()
    assert single.status == Citizen.Status.WAITING
    flight.refresh_from_db()
    assert flight.seats_booked == 3
    assert "Booked 3 people on" in text(response)


def test_ticking_single_people_books_them(client, operation, almaty, flight, alice):
    first = _waiting(operation, almaty, "First", days_ago=1)
    second = _waiting(operation, almaty, "Second", days_ago=1)
    client.force_login(alice)

    response = client.post(
        _url(flight), {"action": "book", "unit": [f"citizen:{first.pk}", f"citizen:{second.pk}"]}
    )

    assert response.status_code == 302 and response["Location"] == _url(flight)
    assert set(flight.bookings.values_list("citizen__surname", flat=True)) == {"First", "Second"}


def test_a_household_that_does_not_fit_is_refused_whole_with_a_message(
    client, operation, almaty, nqz, kbp, alice
):
    small = make_flight(operation, nqz, kbp, seats=2)
    family = _family(operation, almaty, "Toobig", 3)
    client.force_login(alice)

    response = client.post(
        _url(small), {"action": "book", "unit": [f"household:{family.pk}"]}, follow=True
    )

    assert "has 2 seats left; 3 are needed" in text(response)
    assert not small.bookings.exists()


def test_the_fill_button_books_in_priority_order(client, operation, almaty, nqz, kbp, alice):
    flight = make_flight(operation, nqz, kbp, seats=3)
    big = _family(operation, almaty, "Bigfamily", 4)
    big.members.update(registered_at=now() - timedelta(days=10))  # first of the standard
    _waiting(operation, almaty, "Pregnant", days_ago=0, pregnant=True)
    _waiting(operation, almaty, "Early", days_ago=5)
    _waiting(operation, almaty, "Later", days_ago=3)
    _waiting(operation, almaty, "Last", days_ago=1)
    client.force_login(alice)

    response = client.post(_url(flight), {"action": "fill"}, follow=True)

    page = text(response)
    assert set(flight.bookings.values_list("citizen__surname", flat=True)) == {
        "Pregnant",
        "Early",
        "Later",
    }
    assert "Booked 3 people on" in page
    assert "Skipped BIGFAMILY Member0" in page and "4 people travel together" in page


def test_the_city_filter_narrows_the_list_and_the_fill(
    client, operation, almaty, nur_sultan, flight, alice
):
    _waiting(operation, almaty, "Inalmaty", days_ago=9)
    _waiting(operation, nur_sultan, "Innursultan", days_ago=1)
    client.force_login(alice)

    page = text(client.get(_url(flight, city=nur_sultan.pk)))
    client.post(_url(flight), {"action": "fill", "city": nur_sultan.pk})

    assert "INNURSULTAN" in page and "INALMATY" not in page
    assert "from Nur-Sultan" in page
    assert list(flight.bookings.values_list("citizen__surname", flat=True)) == ["Innursultan"]


def test_a_flight_that_is_not_open_explains_instead_of_listing(
    client, operation, almaty, nqz, kbp, alice
):
    planned = make_flight(operation, nqz, kbp, status=Flight.Status.PLANNED)
    _waiting(operation, almaty, "Hopeful", days_ago=1)
    client.force_login(alice)

    response = client.get(_url(planned))
    post = client.post(_url(planned), {"action": "fill"}, follow=True)

    assert "seats can be given only while the flight is open for booking" in text(response)
    assert "HOPEFUL" not in text(response)
    assert "is not open for booking" in text(post)
    assert not planned.bookings.exists()


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_only_coordinators_add_passengers(client, operation, almaty, flight, who, request):
    person = _waiting(operation, almaty, "Hopeful", days_ago=1)
    client.force_login(request.getfixturevalue(who))

    assert client.get(_url(flight)).status_code == 403
    assert client.post(_url(flight), {"unit": [f"citizen:{person.pk}"]}).status_code == 403
    assert client.post(_url(flight), {"action": "fill"}).status_code == 403
    assert not flight.bookings.exists()


def test_someone_of_another_operation_cannot_be_ticked_onto_our_flight(
    client, operation, other_operation, almaty, flight, alice
):
    stranger = make_citizen(other_operation, almaty)
    client.force_login(alice)

    response = client.post(_url(flight), {"unit": [f"citizen:{stranger.pk}"]}, follow=True)

    assert "could not be found" in text(response)
    assert not flight.bookings.exists()


def test_next_walks_the_whole_list_a_page_at_a_time_in_order(
    client, operation, almaty, flight, alice, monkeypatch
):
    monkeypatch.setattr("evac.flights.views.WAITING_UNITS_SHOWN", 2)
    _family(operation, almaty, "Hnatiuk", 3)
    for n in range(4):
        _waiting(operation, almaty, f"Single{'ABCD'[n]}", days_ago=n, medical_need=n == 2)
    client.force_login(alice)
    everyone = [unit.key for unit in waiting_units(operation, limit=100)]
    seen, url = [], _url(flight)
    while True:
        page = client.get(url)
        seen += [unit.key for unit in page.context["units"]]
        found = re.search(r'href="\?([^"]+)" rel="next"', page.content.decode())
        if not found:
            break
        url = _url(flight) + "?" + unescape(found.group(1))
    assert seen == everyone and len(everyone) == 5
