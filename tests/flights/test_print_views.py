"""The printed manifest: A4, numbered rows, totals and signature lines."""

from datetime import date
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from evac.flights.models import Booking, Flight
from evac.flights.services import (
    booking_cancel,
    booking_create,
    booking_set_status,
    flight_set_status,
)
from tests.factories import make_citizen, make_flight
from tests.pages import text

pytestmark = pytest.mark.django_db


def _url(flight):
    return reverse("flights:print", args=[flight.operation.slug, flight.pk])


@pytest.fixture
def boarded_flight(operation, almaty, nqz, kbp, alice):
    flight = make_flight(operation, nqz, kbp, number="PS 9004", seats=5)
    people = [
        make_citizen(
            operation,
            almaty,
            surname="Savchenko",
            given_names="Oksana",
            sex="F",
            date_of_birth=date(1979, 11, 2),
            document_number="FS765432",
        ),
        make_citizen(operation, almaty, surname="Rudenko", given_names="Bohdan", sex="M"),
        make_citizen(operation, almaty, surname="Cancelled", given_names="Nobody"),
    ]
    bookings = [booking_create(flight=flight, citizen=p, by=alice) for p in people]
    booking_cancel(booking=bookings[2], by=alice)
    flight = flight_set_status(flight=flight, status=Flight.Status.BOARDING, by=alice)
    booking_set_status(booking=bookings[0], status=Booking.Status.BOARDED, by=alice)
    return flight


def test_the_print_view_lists_passengers_with_numbered_rows(client, boarded_flight, carol):
    client.force_login(carol)

    page = text(client.get(_url(boarded_flight)))

    assert "Kazakhstan, January 2022" in page
    assert "Passenger manifest — flight PS 9004" in page
    assert "NQZ Nur-Sultan → KBP Kyiv" in page
    # Rows are numbered in alphabetical order, names upper case as in the passport;
    # cancelled seats are left out.
    assert "1 RUDENKO BOHDAN M" in page
    # A viewer, who passes no second step, sees documents masked.
    assert "2 SAVCHENKO OKSANA F 1979-11-02 UKR Passport •••••5432 Boarded" in page
    assert "FS765432" not in page
    assert "CANCELLED" not in page
    assert "1 cancelled seat is not listed." in page


def test_an_officer_prints_the_whole_document_numbers(client, boarded_flight, bob):
    client.force_login(bob)

    page = text(client.get(_url(boarded_flight)))

    assert "2 SAVCHENKO OKSANA F 1979-11-02 UKR Passport FS765432 Boarded" in page


def test_the_print_view_totals_seats_by_status(client, boarded_flight, carol):
    client.force_login(carol)

    response = client.get(_url(boarded_flight))

    totals = dict(response.context["totals"])
    assert totals["Boarded"] == 1 and totals["Booked"] == 1 and "Cancelled" not in totals
    assert "Passengers listed 2" in text(response)


def test_the_print_view_has_signature_lines_and_local_times(client, boarded_flight, carol):
    client.force_login(carol)

    page = text(client.get(_url(boarded_flight)))

    departs = boarded_flight.departs_local
    assert f"{departs:%H:%M} {departs.tzname()}" in page
    assert "Consular officer Name Signature Date" in page
    assert "Carrier representative Name Signature Date" in page
    assert "Printed" in page and "by carol" in page


def test_the_print_stylesheet_lays_out_a4_pages_with_page_numbers():
    css = Path(finders.find("css/flights.css")).read_text(encoding="utf-8")

    assert "size: A4" in css
    assert "counter(page)" in css
    assert "@media print" in css


def test_a_member_of_another_operation_cannot_print_our_manifest(client, boarded_flight, dave):
    client.force_login(dave)

    assert client.get(_url(boarded_flight)).status_code == 404
