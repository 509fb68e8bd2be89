"""One error shape for every 4xx answer, and no 500 for bad input of any kind."""

from base64 import b64encode
from urllib.parse import quote, urlencode

import pytest

from evac.core.actor import EVAC
from evac.flights.models import Flight
from evac.flights.services import booking_create
from evac.people.models import Citizen
from tests.api.client import error_of, op_url, token_client
from tests.factories import make_citizen, make_flight


@pytest.fixture
def api(alice):
    return token_client(alice)


def _person(city) -> dict:
    return {
        "surname": "Melnyk",
        "given_names": "Iryna",
        "date_of_birth": "1990-02-03",
        "sex": "F",
        "nationality": "UA",
        "document_type": "passport",
        "document_number": "FX123456",
        "current_city": city.pk,
    }


def test_missing_fields_are_named_with_their_problem(api, operation):
    response = api.post(op_url(operation, "citizens/"), {"surname": "Melnyk"}, format="json")

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid"
    assert error["fields"]["given_names"] == ["This field is required."]
    assert "surname" not in error["fields"]


def test_a_rule_of_the_model_answers_400_with_the_field(api, operation, almaty):
    person = {**_person(almaty), "document_type": "none", "document_number": "FX1"}

    response = api.post(op_url(operation, "citizens/"), person, format="json")

    assert response.status_code == 400
    assert "No valid document" in error_of(response)["message"]
    assert not Citizen.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("date_of_birth", "1990-2-3"),  # not RFC 3339
        ("date_of_birth", "10000-01-01"),
        ("date_of_birth", 19900203),
        ("sex", "female"),  # not one of the choices
        ("nationality", "ua"),
        ("medical_need", 1),  # not a boolean
        ("surname", 12),  # not a string
        ("surname", "x" * 101),
        ("surname", "Mel\x00nyk"),  # PostgreSQL can't store NUL
        ("current_city", 1.5),  # not an id
        ("current_city", 2**70),  # a huge number
        ("current_city", "1"),
        ("current_city", None),
        ("email", "not an address"),
    ],
)
def test_wrong_values_are_refused_with_the_field_named(api, operation, almaty, field, value):
    response = api.post(
        op_url(operation, "citizens/"), {**_person(almaty), field: value}, format="json"
    )

    assert response.status_code == 400, response.content
    assert set(error_of(response)["fields"]) == {field}


@pytest.mark.parametrize(
    "body",
    [
        b'{"surname": ',  # cut off
        b"[1, 2",
        b'{"surname": NaN}',
        b'{"surname": "\\ud800"}',  # an unpaired surrogate
        b"[" * 100_000 + b"]" * 100_000,  # deeper than Python's parser goes
        b"\xff\xfe",
    ],
    ids=["cut", "open-list", "nan", "surrogate", "deep", "not-utf8"],
)
def test_malformed_json_is_a_400(api, operation, body):
    response = api.generic(
        "POST", op_url(operation, "citizens/"), body, content_type="application/json"
    )

    assert response.status_code == 400
    assert error_of(response)["code"] == "parse_error"


def test_a_body_that_is_not_an_object_is_a_400(api, operation):
    response = api.post(op_url(operation, "citizens/"), [1, 2], format="json")

    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid"


def test_a_body_in_another_format_is_a_415(api, operation):
    response = api.generic("POST", op_url(operation, "citizens/"), "a=b", content_type="text/plain")

    assert response.status_code == 415
    assert error_of(response)["code"] == "unsupported_media_type"


@pytest.mark.parametrize(
    "query",
    [
        "status=flying",
        "city=abc",
        "city=99999999999999999999999",
        "not_contacted_days=-1",
        "vulnerable=maybe",
        "household=",
        "ordering=surname",
        "page_size=0",
        "page_size=100000",
        "cursor=garbage",
        "ordering=registered_at&cursor=cD1hYmM%3D",  # base64 of "p=abc": not a moment
    ],
)
def test_bad_filters_are_a_400_not_an_empty_list(api, operation, almaty, query):
    make_citizen(operation, almaty)

    response = api.get(op_url(operation, f"citizens/?{query}"))

    assert response.status_code == 400, response.content
    assert error_of(response)["fields"]


@pytest.mark.parametrize(
    "path",
    [
        "flights/99999999999999999999999/",
        "flights/abc/",
        "citizens/no%00nul/",
        "citizens/%F4%82%AB%AD%0A/",  # invalid UTF-8 and a newline
        "nothing-here/",
    ],
)
def test_unknown_addresses_are_a_404_in_the_same_shape(api, operation, path):
    response = api.get(op_url(operation, path))

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_a_post_to_an_unknown_address_is_a_404_not_a_csrf_page(alice, operation):
    from tests.api.client import session_client

    client = session_client(alice)
    client.handler.enforce_csrf_checks = True

    response = client.post(op_url(operation, "flights/abc/"), {}, format="json")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_a_method_the_endpoint_lacks_is_a_405(api, operation):
    response = api.delete(op_url(operation, "citizens/"))

    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


def test_a_full_flight_is_a_409_that_says_so(api, operation, almaty, nqz, kbp):
    flight = make_flight(operation, nqz, kbp, seats=1)
    booking_create(flight=flight, citizen=make_citizen(operation, almaty), by=EVAC)
    late = make_citizen(operation, almaty)

    response = api.post(
        op_url(operation, f"flights/{flight.pk}/bookings/"),
        {"citizen": late.reference},
        format="json",
    )

    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "flight_full"
    assert "0 seats left" in error["message"]


def test_booking_someone_who_holds_a_seat_is_a_409(api, operation, almaty, flight, nqz, kbp):
    olena = make_citizen(operation, almaty)
    booking_create(flight=make_flight(operation, nqz, kbp), citizen=olena, by=EVAC)

    response = api.post(
        op_url(operation, f"flights/{flight.pk}/bookings/"),
        {"citizen": olena.reference_code.lower()},
        format="json",
    )

    assert response.status_code == 409
    assert error_of(response)["code"] == "already_booked"


def test_booking_on_a_flight_not_open_is_a_409(api, operation, almaty, nqz, kbp):
    planned = make_flight(operation, nqz, kbp, status=Flight.Status.PLANNED)

    response = api.post(
        op_url(operation, f"flights/{planned.pk}/bookings/"),
        {"citizen": make_citizen(operation, almaty).reference},
        format="json",
    )

    assert response.status_code == 409
    assert error_of(response)["code"] == "flight_not_open"


def test_a_status_change_the_rules_forbid_is_a_409(api, operation, flight):
    response = api.post(
        op_url(operation, f"flights/{flight.pk}/status/"), {"status": "landed"}, format="json"
    )

    assert response.status_code == 409
    assert error_of(response)["code"] == "invalid_transition"
    flight.refresh_from_db()
    assert flight.status == Flight.Status.OPEN


def test_booking_a_person_of_another_operation_is_a_400_that_reveals_nothing(
    api, operation, other_operation, almaty, flight
):
    stranger = make_citizen(other_operation, almaty)

    response = api.post(
        op_url(operation, f"flights/{flight.pk}/bookings/"),
        {"citizen": stranger.reference},
        format="json",
    )

    assert response.status_code == 400
    assert error_of(response)["fields"] == {"citizen": ["No such person in this operation."]}


def test_a_wrong_token_is_a_401(operation):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer evac_not-a-key")

    response = client.get(op_url(operation))

    assert response.status_code == 401
    assert error_of(response)["code"] == "authentication_failed"


def _cursor(position: str) -> str:
    """A hand-made cursor, as DRF encodes its own: base64 of "p=<position>"."""
    return quote(b64encode(urlencode({"p": position}).encode()).decode())


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "citizens/?cursor=cD0lMDA%3D",  # "p=%00": a NUL, which PostgreSQL text can't hold
        f"citizens/?cursor={_cursor('Melnyk' + chr(0))}",
        f"citizens/?ordering=-name&cursor={_cursor(chr(0))}",
        f"citizens/?ordering=registered_at&cursor={_cursor(chr(0))}",
        f"households/?cursor={_cursor(chr(0))}",
        f"flights/?cursor={_cursor(chr(0))}",
        f"notifications/?cursor={_cursor(chr(0))}",
    ],
)
def test_a_cursor_holding_a_nul_is_a_400_on_postgresql(api, operation, almaty, path):
    make_citizen(operation, almaty, surname="Melnyk")

    response = api.get(op_url(operation, path))

    assert response.status_code == 400, response.content
    assert error_of(response)["fields"] == {"cursor": ["This cursor is not valid."]}


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/operations/", "/api/v1/cities/", "/api/v1/tokens/"])
def test_a_cursor_holding_a_nul_is_a_400_outside_operations_too(api, url):
    response = api.get(f"{url}?cursor=cD0lMDA%3D")

    assert response.status_code == 400, response.content
    assert error_of(response)["fields"] == {"cursor": ["This cursor is not valid."]}


@pytest.mark.parametrize("code", ["NQ\u0000Z", 7])
def test_an_airport_code_no_airport_can_have_is_a_400_on_its_field(api, operation, nqz, code):
    # A NUL in a code once reached PostgreSQL's comparison and came back as a 500.
    body = {
        "number": "PS 9100",
        "carrier": "UIA",
        "kind": "charter",
        "departure_airport": code,
        "arrival_airport": "KBP",
        "departs_at": "2030-01-09T10:00:00Z",
        "arrives_at": "2030-01-09T15:00:00Z",
        "seats_total": 100,
    }

    response = api.post(op_url(operation, "flights/"), body, format="json")

    assert response.status_code == 400
    assert "departure_airport" in error_of(response)["fields"]
    assert not Flight.objects.exists()
