"""Filling a flight from the waiting list through the API, as the staff page's "Add
passengers" does: a preview that books nothing, then the fill, by the same service."""

from datetime import timedelta

import pytest

from evac.core.actor import EVAC
from evac.core.clock import now
from evac.flights.models import Flight
from evac.people.models import Citizen
from evac.people.services import household_register
from tests.api.client import error_of, op_url, token_client
from tests.factories import make_citizen, make_flight

pytestmark = pytest.mark.django_db


def _fill_url(operation, flight) -> str:
    return op_url(operation, f"flights/{flight.pk}/fill/")


def _waiting(operation, city, surname, *, days_ago):
    citizen = make_citizen(operation, city, surname=surname)
    Citizen.objects.filter(pk=citizen.pk).update(registered_at=now() - timedelta(days=days_ago))
    return citizen


def _pair(operation, city, surname, *, days_ago):
    person = {
        "given_names": "Anna",
        "date_of_birth": "1980-01-01",
        "sex": "F",
        "nationality": "UA",
        "document_type": Citizen.DocumentType.PASSPORT,
        "current_city": city,
        "surname": surname,
    }
    household = household_register(
        operation=operation,
        source=Citizen.Source.STAFF_INTAKE,
        by=EVAC,
        members=[
            {**person, "document_number": "FA100001"},
            {**person, "document_number": "FA100002", "given_names": "Ivan"},
        ],
    )
    household.members.update(registered_at=now() - timedelta(days=days_ago))
    return household


@pytest.fixture
def small_flight(operation, nqz, kbp) -> Flight:
    return make_flight(operation, nqz, kbp, seats=2, departs_at=now() + timedelta(days=3))


def test_the_preview_books_nothing_and_says_who_would_go_and_why_others_do_not_fit(
    operation, almaty, small_flight, alice
):
    family = _pair(operation, almaty, "Pair", days_ago=1)
    first = _waiting(operation, almaty, "First", days_ago=9)
    _waiting(operation, almaty, "Second", days_ago=5)

    response = token_client(alice).post(
        _fill_url(operation, small_flight), {"preview": True}, format="json"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["preview"] is True and body["bookings"] == []
    assert body["seats_left"] == 2 and body["people"] == 2
    assert [u["people"][0]["reference"] for u in body["units"]] == [
        first.reference,
        Citizen.objects.get(surname="Second").reference,
    ]
    assert body["skipped_count"] == 0
    small_flight.refresh_from_db()
    assert small_flight.seats_left == 2 and not small_flight.bookings.exists()
    assert family.members.filter(status=Citizen.Status.WAITING).count() == 2


def test_a_household_that_does_not_fit_is_named_with_the_reason(operation, almaty, nqz, kbp, alice):
    flight = make_flight(operation, nqz, kbp, seats=1, departs_at=now() + timedelta(days=3))
    family = _pair(operation, almaty, "Pair", days_ago=9)
    alone = _waiting(operation, almaty, "Alone", days_ago=1)

    body = (
        token_client(alice)
        .post(_fill_url(operation, flight), {"preview": True}, format="json")
        .json()
    )

    assert [u["people"][0]["reference"] for u in body["units"]] == [alone.reference]
    (skipped,) = body["skipped"]
    assert skipped["household"] == family.pk and len(skipped["people"]) == 2
    assert skipped["reason"] == "2 people travel together; 1 seats were left."


def test_the_fill_books_what_the_preview_showed(operation, almaty, small_flight, alice):
    for i in range(3):
        _waiting(operation, almaty, f"Person{i}", days_ago=10 - i)
    client = token_client(alice)
    preview = client.post(_fill_url(operation, small_flight), {"preview": True}, format="json")

    response = client.post(_fill_url(operation, small_flight), {}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["preview"] is False and body["units"] == preview.json()["units"]
    assert sorted(b["passenger"]["surname"] for b in body["bookings"]) == ["Person0", "Person1"]
    small_flight.refresh_from_db()
    assert small_flight.seats_left == 0


def test_a_limit_and_a_city_narrow_the_fill(operation, almaty, nur_sultan, nqz, kbp, alice):
    flight = make_flight(operation, nqz, kbp, seats=5, departs_at=now() + timedelta(days=3))
    _waiting(operation, almaty, "Almaty", days_ago=9)
    here = [_waiting(operation, nur_sultan, f"Here{i}", days_ago=5 - i) for i in range(3)]

    response = token_client(alice).post(
        _fill_url(operation, flight), {"city": nur_sultan.pk, "limit": 2}, format="json"
    )

    assert response.status_code == 201
    assert set(flight.bookings.values_list("citizen", flat=True)) == {here[0].pk, here[1].pk}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"preview": "yes"}, "preview"),
        ({"limit": 0}, "limit"),
        ({"city": 999999}, "city"),
        ({"city": "1"}, "city"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(operation, small_flight, alice, body, field):
    response = token_client(alice).post(_fill_url(operation, small_flight), body, format="json")

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {field}
    assert not small_flight.bookings.exists()


def test_a_flight_that_takes_no_bookings_is_a_409_for_the_preview_too(
    operation, almaty, nqz, kbp, alice
):
    planned = make_flight(operation, nqz, kbp, status=Flight.Status.PLANNED)
    _waiting(operation, almaty, "Hopeful", days_ago=1)

    for body in ({"preview": True}, {}):
        response = token_client(alice).post(_fill_url(operation, planned), body, format="json")
        assert response.status_code == 409
        assert error_of(response)["code"] == "flight_not_open"


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_only_those_who_fill_on_the_page_fill_or_preview_here(
    operation, almaty, small_flight, who, request
):
    _waiting(operation, almaty, "Hopeful", days_ago=1)

    for body in ({"preview": True}, {}):
        response = token_client(request.getfixturevalue(who)).post(
            _fill_url(operation, small_flight), body, format="json"
        )
        assert response.status_code == 403

    assert not small_flight.bookings.exists()


def test_another_operations_coordinator_finds_no_flight(operation, small_flight, dave):
    response = token_client(dave).post(
        _fill_url(operation, small_flight), {"preview": True}, format="json"
    )

    assert response.status_code == 404
