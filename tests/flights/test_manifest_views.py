"""The manifest page: who is on a flight, counted by seat status, and what staff can do."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from evac.core.clock import now
from evac.flights.models import Booking, Flight
from evac.flights.services import (
    booking_cancel,
    booking_create,
    booking_set_status,
    flight_set_status,
    manifest_export_record,
)
from evac.people.models import Citizen
from tests.factories import make_citizen, make_flight
from tests.pages import text

pytestmark = pytest.mark.django_db


def _url(flight):
    return reverse("flights:manifest", args=[flight.operation.slug, flight.pk])


def _cancel_url(booking):
    flight = booking.flight
    return reverse("flights:cancel_seat", args=[flight.operation.slug, flight.pk, booking.pk])


@pytest.fixture
def passengers(operation, almaty, flight, alice):
    olena = make_citizen(
        operation,
        almaty,
        surname="Koval",
        given_names="Olena",
        surname_native="Коваль",
        given_names_native="Олена",
        document_number="FA123456",
        medical_need=True,
    )
    marko = make_citizen(
        operation, almaty, surname="Melnyk", given_names="Marko", date_of_birth=date(2015, 5, 1)
    )
    gone = make_citizen(operation, almaty, surname="Tkachenko")
    escorted = "travels with an aunt"  # a child with no household on file
    bookings = [
        booking_create(flight=flight, citizen=c, by=alice, unaccompanied_reason=escorted)
        for c in (olena, marko, gone)
    ]
    booking_cancel(booking=bookings[2], by=alice)
    return bookings


def test_the_manifest_lists_passengers_with_their_documents_and_needs(
    client, flight, passengers, carol
):
    client.force_login(carol)

    page = text(client.get(_url(flight)))

    assert "KOVAL Olena" in page and "Коваль Олена" in page
    # Masked to its last characters: the whole number is on the print view and the export.
    assert "•••••3456" in page and "FA123456" not in page and "medical need" in page
    assert passengers[0].citizen.reference in page
    assert "MELNYK Marko" in page and "minor" in page
    assert "by alice" in page
    # Cancelled seats come last.
    assert page.index("MELNYK") < page.index("TKACHENKO")


def test_the_manifest_counts_seats_by_status(client, flight, passengers, carol):
    client.force_login(carol)

    response = client.get(_url(flight))

    counts = dict(response.context["status_counts"])
    assert counts["Booked"] == 2 and counts["Cancelled"] == 1 and counts["Boarded"] == 0
    assert "2 of 10 seats booked" in text(response)


def test_the_header_shows_the_route_and_local_times(client, operation, nqz, kbp, carol):
    flight = make_flight(operation, nqz, kbp, number="PS 9004")
    client.force_login(carol)

    page = text(client.get(_url(flight)))

    departs, arrives = flight.departs_local, flight.arrives_local
    assert "Flight PS 9004" in page and "NQZ Nur-Sultan" in page and "KBP Kyiv" in page
    assert f"{departs:%H:%M} {departs.tzname()}" in page
    assert f"{arrives:%H:%M} {arrives.tzname()}" in page


def test_names_link_to_each_citizens_page(client, operation, flight, passengers, carol):
    client.force_login(carol)

    page = client.get(_url(flight)).content.decode()

    for booking in passengers:
        code = booking.citizen.reference_code
        assert f'href="{reverse("people:detail", args=[operation.slug, code])}"' in page


def test_coordinators_see_cancel_buttons_for_active_seats_only(
    client, flight, passengers, alice, bob, carol
):
    active, _other, cancelled = passengers
    for user, shown in ((alice, True), (bob, False), (carol, False)):
        client.force_login(user)
        page = client.get(_url(flight)).content.decode()
        assert (_cancel_url(active) in page) is shown, user
        assert _cancel_url(cancelled) not in page


def test_what_each_role_may_do_is_offered_to_them_only(client, flight, alice, bob, carol):
    slug = flight.operation.slug
    add = reverse("flights:add_passengers", args=[slug, flight.pk])
    board = reverse("flights:boarding", args=[slug, flight.pk])
    edit = reverse("flights:edit", args=[slug, flight.pk])
    export = reverse("flights:export", args=[slug, flight.pk, "csv"])
    offered = {
        alice: {add, board, edit, export},
        bob: {board, export},
        carol: set(),  # a viewer gets no file with whole documents
    }
    for user, links in offered.items():
        client.force_login(user)
        page = client.get(_url(flight)).content.decode()
        for link in (add, board, edit, export):
            assert (f'href="{link}"' in page) is (link in links), (user, link)


def test_the_manifest_says_who_exported_it_and_when(client, flight, carol, bob):
    manifest_export_record(flight=flight, by=bob, format="xlsx", rows=7)
    client.force_login(carol)

    page = text(client.get(_url(flight)))

    assert "XLSX exported by bob at" in page and "(7 passengers)" in page


def test_a_cancel_asks_for_confirmation_first(client, flight, passengers, alice):
    booking = passengers[0]
    client.force_login(alice)

    page = text(client.get(_cancel_url(booking)))

    assert "Cancel the seat of KOVAL Olena on" in page
    assert "returns to the waiting list" in page
    booking.refresh_from_db()
    assert booking.is_active


def test_confirming_a_cancel_frees_the_seat(client, flight, passengers, alice):
    booking = passengers[0]
    client.force_login(alice)

    response = client.post(_cancel_url(booking), follow=True)

    booking.refresh_from_db()
    flight.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert Citizen.objects.get(pk=booking.citizen_id).status == Citizen.Status.WAITING
    assert flight.seats_booked == 1
    assert response.redirect_chain[-1][0] == _url(flight)
    assert "is on the waiting list again" in text(response)


def test_cancelling_a_seat_twice_says_why_not(client, flight, passengers, alice):
    cancelled = passengers[2]
    client.force_login(alice)

    response = client.post(_cancel_url(cancelled), follow=True)

    assert response.status_code == 200
    assert "no longer active" in text(response)


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_officers_and_viewers_cannot_cancel_seats(client, flight, passengers, who, request):
    booking = passengers[0]
    client.force_login(request.getfixturevalue(who))

    assert client.get(_cancel_url(booking)).status_code == 403
    assert client.post(_cancel_url(booking)).status_code == 403
    booking.refresh_from_db()
    assert booking.is_active


def test_a_seat_of_another_flight_is_not_found_under_this_one(
    client, operation, almaty, nqz, kbp, flight, passengers, alice
):
    other = make_flight(operation, nqz, kbp)
    client.force_login(alice)

    url = reverse("flights:cancel_seat", args=[operation.slug, other.pk, passengers[0].pk])

    assert client.post(url).status_code == 404


def test_a_member_of_another_operation_finds_no_manifest(client, flight, passengers, dave):
    client.force_login(dave)

    assert client.get(_url(flight)).status_code == 404
    assert client.post(_cancel_url(passengers[0])).status_code == 404


def test_a_departed_flights_manifest_shows_who_flew(
    client, operation, almaty, flight, alice, pin_clock
):
    booking = booking_create(flight=flight, citizen=make_citizen(operation, almaty), by=alice)
    pin_clock(flight.departs_at)
    flight = flight_set_status(flight=flight, status=Flight.Status.BOARDING, by=alice)
    booking_set_status(booking=booking, status=Booking.Status.BOARDED, by=alice)
    flight_set_status(flight=flight, status=Flight.Status.DEPARTED, by=alice)
    client.force_login(alice)

    response = client.get(_url(flight))

    assert dict(response.context["status_counts"])["Boarded"] == 1
    assert _cancel_url(booking) not in response.content.decode()
    assert Citizen.objects.get(pk=booking.citizen_id).status == Citizen.Status.EVACUATED


def test_the_header_says_how_long_ago_a_late_flight_was_due_as_the_dashboard_does(
    client, operation, nqz, kbp, carol
):
    late = make_flight(operation, nqz, kbp, number="PS 4444", departs_at=now() - timedelta(hours=2))
    client.force_login(carol)

    page = text(client.get(_url(late)))

    assert "departure time passed 2 hours ago" in page
