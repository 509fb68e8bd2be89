"""A minor without an adult of the household through the API: the reason is a field, asked
for by name when it is needed, and written on the seat."""

from datetime import date

import pytest
from django.test import Client

from evac.core.actor import EVAC
from evac.flights.models import Booking
from evac.flights.services import household_book
from evac.people.models import Citizen
from evac.people.services import household_register
from tests.api.client import error_of, op_url, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(alice):
    return token_client(alice)


def _family(operation, city) -> list[Citizen]:
    members = [
        {
            "surname": "Tkachenko",
            "given_names": name,
            "date_of_birth": born,
            "sex": "F",
            "nationality": "UA",
            "document_type": Citizen.DocumentType.PASSPORT,
            "document_number": f"TK{i:06d}",
            "current_city": city,
        }
        for i, (name, born) in enumerate([("Olha", date(1981, 3, 3)), ("Sofia", date(2017, 6, 1))])
    ]
    household = household_register(
        operation=operation, source=Citizen.Source.STAFF_INTAKE, by=EVAC, members=members
    )
    return list(household.members.order_by("pk"))


def test_booking_a_child_alone_without_a_reason_is_a_400_on_the_reason_field(
    api, operation, almaty, flight
):
    _parent, child = _family(operation, almaty)

    response = api.post(
        op_url(operation, f"flights/{flight.pk}/bookings/"), {"citizen": child.reference}, "json"
    )

    assert response.status_code == 400
    fields = error_of(response)["fields"]
    assert list(fields) == ["unaccompanied_reason"]
    assert "without an adult of their household" in fields["unaccompanied_reason"][0]
    assert not Booking.objects.exists()


def test_with_a_reason_the_child_is_booked_and_the_seat_carries_it(api, operation, almaty, flight):
    _parent, child = _family(operation, almaty)

    response = api.post(
        op_url(operation, f"flights/{flight.pk}/bookings/"),
        {"citizen": child.reference, "unaccompanied_reason": "travels with grandmother"},
        "json",
    )

    assert response.status_code == 201
    (seat,) = response.json()
    assert seat["unaccompanied_reason"] == "travels with grandmother"
    assert Booking.objects.get().unaccompanied_reason == "travels with grandmother"


def test_cancelling_the_only_adult_asks_for_the_reason_and_then_writes_it(
    api, operation, almaty, flight, alice
):
    parent, child = _family(operation, almaty)
    household_book(flight=flight, household=parent.household, by=alice)
    seat = Booking.objects.get(citizen=parent)
    url = op_url(operation, f"flights/{flight.pk}/bookings/{seat.pk}/cancel/")

    refused = api.post(url, {}, "json")
    done = api.post(url, {"unaccompanied_reason": "escorted by consul Petrenko"}, "json")

    assert refused.status_code == 400
    assert list(error_of(refused)["fields"]) == ["unaccompanied_reason"]
    assert done.status_code == 200 and done.json()["status"] == "cancelled"
    assert Booking.objects.get(citizen=child).unaccompanied_reason == "escorted by consul Petrenko"


def test_a_cancel_without_a_body_still_cancels_an_ordinary_seat(api, operation, almaty, flight):
    parent, _child = _family(operation, almaty)
    Citizen.objects.filter(pk=_child.pk).update(household=None)
    seat = api.post(
        op_url(operation, f"flights/{flight.pk}/bookings/"), {"citizen": parent.reference}, "json"
    ).json()[0]

    response = api.post(op_url(operation, f"flights/{flight.pk}/bookings/{seat['id']}/cancel/"))

    assert response.status_code == 200


def test_the_schema_names_the_reason_on_booking_and_cancelling():
    schema = Client().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    components = schema["components"]["schemas"]
    cancel = schema["paths"]["/api/v1/operations/{op}/flights/{id}/bookings/{booking_pk}/cancel/"]

    body = cancel["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/BookingCancelRequest"}
    assert "unaccompanied_reason" in components["BookingCancelRequest"]["properties"]
    assert "unaccompanied_reason" in components["BookingCreateRequest"]["properties"]
    assert "unaccompanied_reason" in components["Booking"]["properties"]
    assert "400" in cancel["post"]["responses"]
