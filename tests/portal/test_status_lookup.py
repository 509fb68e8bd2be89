import re

import pytest
from django.urls import reverse

from evac.core.actor import EVAC
from evac.flights.services import booking_create
from tests.factories import make_citizen

pytestmark = pytest.mark.django_db


def lookup(client, operation, **data):
    return client.post(reverse("portal:status", args=[operation.slug]), data)


def without_csrf(html: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html.decode())


def test_code_and_date_of_birth_show_the_booked_flight_in_airport_time(
    client, operation, almaty, olena, flight
):
    booking_create(flight=flight, citizen=olena, by=EVAC)
    response = lookup(
        client, operation, reference=olena.reference.lower(), date_of_birth="1985-03-14"
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert flight.number in page
    # 08:20 UTC on 13 January 2030 is 13:20 in Nur-Sultan (UTC+5 since 2024).
    assert "13:20" in page and "UTC+5" in page and "NQZ" in page
    assert "What to bring" in page


def test_the_status_page_gives_the_flights_own_report_time(
    client, operation, almaty, olena, flight
):
    from evac.flights.services import flight_update

    flight_update(flight=flight, by=EVAC, report_minutes_before=100)
    booking_create(flight=flight, citizen=olena, by=EVAC)
    lookup(client, operation, reference=olena.reference, date_of_birth="1985-03-14")

    page = client.get(reverse("portal:status", args=[operation.slug])).content.decode()

    # Departs 13:20 in Nur-Sultan; 100 minutes before is 11:40.
    assert re.search(r"Be at the airport by</dt><dd>11:40 \(UTC\+5\)", page), page


def test_the_surname_works_instead_of_the_date_of_birth(client, operation, olena):
    response = lookup(client, operation, reference=olena.reference, surname=" koval ")
    assert response.status_code == 302


def test_a_waiting_person_learns_how_many_are_ahead(client, operation, almaty, olena):
    make_citizen(operation, almaty, medical_need=True)  # goes first
    lookup(client, operation, reference=olena.reference, date_of_birth="1985-03-14")
    page = client.get(reverse("portal:status", args=[operation.slug])).content.decode()
    assert "1 person is ahead of you" in page


def test_not_found_and_wrong_date_of_birth_get_the_same_answer(client, operation, olena):
    wrong_date = lookup(client, operation, reference=olena.reference, date_of_birth="1990-01-01")
    no_such_code = lookup(client, operation, reference="ZZZZ-ZZZZ", date_of_birth="1990-01-01")
    assert wrong_date.status_code == no_such_code.status_code == 200
    # The typed code is echoed in the form, so compare with it blanked out.
    one = without_csrf(wrong_date.content).replace(olena.reference, "X")
    other = without_csrf(no_such_code.content).replace("ZZZZ-ZZZZ", "X")
    assert one == other
    assert "We could not find a registration with these details." in one
