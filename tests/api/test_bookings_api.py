"""Seats through the API: the booking services, the manifest, and its exports."""

import csv
import io

import pytest

from evac.core.actor import EVAC
from evac.flights import exports
from evac.flights.models import Booking, Flight, ManifestExport
from evac.flights.selectors import manifest_on_board
from evac.flights.services import booking_create, flight_set_status
from evac.people.models import Citizen
from evac.people.services import household_register
from tests.api.client import error_of, op_url, token_client
from tests.factories import make_citizen


@pytest.fixture
def api(alice):
    return token_client(alice)


def _member(city, given: str) -> dict:
    return {
        "surname": "Shevchenko",
        "given_names": given,
        "date_of_birth": "1980-05-05",
        "sex": "M",
        "nationality": "UA",
        "document_type": "passport",
        "document_number": f"FS{given}",
        "current_city": city,
    }


def test_booking_a_person_takes_a_seat(api, operation, almaty, flight, alice):
    olena = make_citizen(operation, almaty)

    response = api.post(
        op_url(operation, f"flights/{flight.pk}/bookings/"), {"citizen": olena.reference}, "json"
    )

    assert response.status_code == 201
    (seat,) = response.json()
    assert seat["passenger"]["reference"] == olena.reference
    assert seat["passenger"]["status"] == "booked"
    flight.refresh_from_db()
    assert flight.seats_booked == 1
    assert Booking.objects.get().created_by == alice


def test_a_household_is_booked_all_together(api, operation, almaty, flight):
    family = household_register(
        operation=operation,
        source=Citizen.Source.STAFF_INTAKE,
        by=EVAC,
        members=[_member(almaty, "Petro"), _member(almaty, "Hanna")],
    )

    response = api.post(
        op_url(operation, f"flights/{flight.pk}/bookings/"), {"household": family.pk}, "json"
    )

    assert response.status_code == 201
    assert len(response.json()) == 2
    assert set(family.members.values_list("status", flat=True)) == {"booked"}


def test_a_booking_needs_a_person_or_a_household_not_both(api, operation, almaty, flight):
    olena = make_citizen(operation, almaty)
    url = op_url(operation, f"flights/{flight.pk}/bookings/")

    both = api.post(url, {"citizen": olena.reference, "household": 1}, "json")
    neither = api.post(url, {}, "json")

    assert both.status_code == neither.status_code == 400
    assert "either a citizen or a household" in error_of(both)["message"]


def test_cancelling_frees_the_seat_and_the_person_waits_again(api, operation, almaty, flight):
    seat = booking_create(flight=flight, citizen=make_citizen(operation, almaty), by=EVAC)
    url = op_url(operation, f"flights/{flight.pk}/bookings/{seat.pk}/cancel/")

    first = api.post(url)
    again = api.post(url)

    assert first.status_code == 200
    assert first.json()["passenger"]["status"] == "waiting"
    assert again.status_code == 409
    flight.refresh_from_db()
    assert flight.seats_booked == 0


def test_boarding_is_marked_only_while_the_flight_is_boarding(api, operation, almaty, flight):
    seat = booking_create(flight=flight, citizen=make_citizen(operation, almaty), by=EVAC)
    url = op_url(operation, f"flights/{flight.pk}/bookings/{seat.pk}/status/")

    too_early = api.post(url, {"status": "boarded"}, "json")
    flight_set_status(flight=flight, status=Flight.Status.BOARDING, by=EVAC)
    at_the_gate = api.post(url, {"status": "boarded"}, "json")

    assert too_early.status_code == 409
    assert error_of(too_early)["code"] == "invalid_transition"
    assert at_the_gate.status_code == 200
    assert at_the_gate.json()["status"] == "boarded"


def test_departing_through_the_api_evacuates_who_boarded(api, operation, almaty, flight, pin_clock):
    boarded, missing = make_citizen(operation, almaty), make_citizen(operation, almaty)
    seats = [booking_create(flight=flight, citizen=p, by=EVAC) for p in (boarded, missing)]
    pin_clock(flight.departs_at)
    status_url = op_url(operation, f"flights/{flight.pk}/status/")
    api.post(status_url, {"status": "boarding"}, "json")
    api.post(
        op_url(operation, f"flights/{flight.pk}/bookings/{seats[0].pk}/status/"),
        {"status": "boarded"},
        "json",
    )

    response = api.post(status_url, {"status": "departed"}, "json")

    assert response.status_code == 200
    boarded.refresh_from_db()
    missing.refresh_from_db()
    assert (boarded.status, missing.status) == ("evacuated", "waiting")


def test_the_json_manifest_has_the_export_columns_and_rows(api, operation, almaty, flight):
    for _ in range(2):
        booking_create(flight=flight, citizen=make_citizen(operation, almaty), by=EVAC)

    response = api.get(op_url(operation, f"flights/{flight.pk}/manifest/"))

    assert response.status_code == 200
    passengers = response.json()["passengers"]
    expected = list(exports.apis_rows(flight, manifest_on_board(flight)))
    assert [list(p.values()) for p in passengers] == expected
    assert list(passengers[0]) == [c.lower().replace(" ", "_") for c in exports.COLUMNS]


def test_the_csv_manifest_is_the_staff_export_and_is_recorded(
    api, operation, almaty, flight, alice
):
    booking_create(flight=flight, citizen=make_citizen(operation, almaty), by=EVAC)

    response = api.get(op_url(operation, f"flights/{flight.pk}/manifest.csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == list(exports.COLUMNS)
    assert len(rows) == 2
    export = ManifestExport.objects.get()
    assert (export.by, export.format, export.rows) == (alice, "csv", 1)


def test_a_viewer_reads_the_json_manifest_with_document_numbers_masked(
    operation, almaty, flight, carol, bob
):
    person = make_citizen(operation, almaty, document_number="FA1233456")
    booking_create(flight=flight, citizen=person, by=EVAC)
    url = op_url(operation, f"flights/{flight.pk}/manifest/")

    (masked,) = token_client(carol).get(url).json()["passengers"]
    (whole,) = token_client(bob).get(url).json()["passengers"]

    assert masked["document_number"] == "•••••3456"
    assert whole["document_number"] == "FA1233456"
    assert (
        token_client(carol).get(op_url(operation, f"flights/{flight.pk}/manifest.csv")).status_code
        == 403
    )
