"""Boarding mode at the gate: search, one tap for boarded or no-show, live counts."""

import pytest
from django.urls import reverse

from evac.flights.models import Booking, Flight
from evac.flights.services import booking_cancel, booking_create, flight_set_status
from tests.factories import make_citizen
from tests.pages import text

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def _url(flight, **query):
    url = reverse("flights:boarding", args=[flight.operation.slug, flight.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _tap_url(booking):
    flight = booking.flight
    return reverse("flights:board", args=[flight.operation.slug, flight.pk, booking.pk])


def _counts_url(flight):
    return reverse("flights:boarding_counts", args=[flight.operation.slug, flight.pk])


@pytest.fixture
def gate(operation, almaty, flight, alice):
    """A boarding flight with three passengers (and one cancelled seat)."""
    people = [
        make_citizen(operation, almaty, surname="Bondarenko", document_number="FB111111"),
        make_citizen(
            operation,
            almaty,
            surname="Hnatiuk",
            document_number="FH222222",
            surname_native="Гнатюк",
        ),
        make_citizen(operation, almaty, surname="Lysenko", document_number="FL333333"),
        make_citizen(operation, almaty, surname="Cancelledova"),
    ]
    bookings = [booking_create(flight=flight, citizen=p, by=alice) for p in people]
    booking_cancel(booking=bookings[3], by=alice)
    flight_set_status(flight=flight, status=Flight.Status.BOARDING, by=alice)
    flight.refresh_from_db()
    return bookings[:3]


def test_the_gate_lists_everyone_with_a_seat_and_the_counts(client, flight, gate, bob):
    client.force_login(bob)

    response = client.get(_url(flight))

    page = text(response)
    assert "BONDARENKO" in page and "HNATIUK" in page and "LYSENKO" in page
    assert "CANCELLEDOVA" not in page
    assert "boarded 0 no-show 0 not yet 3 of 3" in page
    html = response.content.decode()
    assert html.count('name="status" value="boarded"') == 3
    assert html.count('name="status" value="no_show"') == 3
    assert "js/boarding.js" in html and "<script>" not in html


def test_search_by_name_or_document_works_without_javascript(client, flight, gate, bob):
    client.force_login(bob)

    by_name = client.get(_url(flight, q="hnat")).content.decode()
    by_document = client.get(_url(flight, q="FL333")).content.decode()
    by_native = client.get(_url(flight, q="гнатюк")).content.decode()

    def shown(html, booking):
        start = html.index(f'id="seat-{booking.pk}"')
        return " hidden" not in html[start : html.index(">", start)]

    bondarenko, hnatiuk = gate[:2]
    assert [shown(by_name, b) for b in gate] == [False, True, False]
    assert [shown(by_document, b) for b in gate] == [False, False, True]
    assert shown(by_native, hnatiuk) and not shown(by_native, bondarenko)
    assert 'value="hnat"' in by_name


def test_a_search_that_matches_nobody_says_so(client, flight, gate, bob):
    client.force_login(bob)

    html = client.get(_url(flight, q="nobody")).content.decode()

    assert "data-gate-nomatch>" in html  # shown, not hidden


def test_one_tap_boards_a_passenger_and_answers_json(client, flight, gate, bob):
    client.force_login(bob)
    booking = gate[0]

    response = client.post(_tap_url(booking), {"status": "boarded"}, **JSON)

    assert response.status_code == 200
    reply = response.json()
    assert reply["ok"] is True
    assert reply["booking"] == {"id": booking.pk, "status": "boarded", "label": "Boarded"}
    assert reply["counts"] == {"boarded": 1, "no_show": 0, "not_yet": 2, "total": 3}
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOARDED and booking.status_changed_by == bob


def test_without_javascript_a_tap_redirects_back_to_the_row(client, flight, gate, bob):
    client.force_login(bob)
    booking = gate[1]

    response = client.post(_tap_url(booking), {"status": "no_show", "q": "hnat"})

    assert response.status_code == 302
    assert response["Location"] == _url(flight, q="hnat") + f"#seat-{booking.pk}"
    booking.refresh_from_db()
    assert booking.status == Booking.Status.NO_SHOW
    page = text(client.get(response["Location"]))
    assert "HNATIUK Olena: no-show." in page


def test_a_wrong_tap_can_be_undone(client, flight, gate, alice):
    client.force_login(alice)
    booking = gate[2]

    client.post(_tap_url(booking), {"status": "no_show"}, **JSON)
    reply = client.post(_tap_url(booking), {"status": "boarded"}, **JSON).json()
    assert reply["booking"]["status"] == "boarded"

    reply = client.post(_tap_url(booking), {"status": "no_show"}, **JSON).json()
    assert reply["booking"]["status"] == "no_show"
    assert reply["counts"] == {"boarded": 0, "no_show": 1, "not_yet": 2, "total": 3}


def test_a_tap_after_boarding_closed_is_refused_with_the_reason(client, flight, gate, alice):
    flight_set_status(flight=flight, status=Flight.Status.OPEN, by=alice)
    client.force_login(alice)

    response = client.post(_tap_url(gate[0]), {"status": "boarded"}, **JSON)

    assert response.status_code == 409
    assert response.json()["ok"] is False
    assert "only while the flight is boarding" in response.json()["error"]
    assert response.json()["booking"]["status"] == "booked"


def test_a_tap_for_anything_but_boarded_or_no_show_is_refused(client, flight, gate, bob):
    client.force_login(bob)

    response = client.post(_tap_url(gate[0]), {"status": "cancelled"}, **JSON)

    assert response.status_code == 400
    gate[0].refresh_from_db()
    assert gate[0].status == Booking.Status.BOOKED


def test_a_tap_must_be_a_post(client, flight, gate, bob):
    client.force_login(bob)

    assert client.get(_tap_url(gate[0])).status_code == 405


def test_the_counts_endpoint_keeps_a_second_tablet_in_step(client, flight, gate, alice, bob):
    client.force_login(alice)
    client.post(_tap_url(gate[0]), {"status": "boarded"}, **JSON)
    client.post(_tap_url(gate[1]), {"status": "no_show"}, **JSON)
    client.force_login(bob)

    response = client.get(_counts_url(flight), **JSON)

    state = response.json()
    assert state["flight_status"] == "boarding"
    assert state["counts"] == {"boarded": 1, "no_show": 1, "not_yet": 1, "total": 3}
    assert state["statuses"] == {
        str(gate[0].pk): "boarded",
        str(gate[1].pk): "no_show",
        str(gate[2].pk): "booked",
    }
    assert response["Cache-Control"] == "no-store"


def test_boarding_mode_explains_when_the_flight_is_not_boarding(
    client, operation, flight, alice, bob
):
    status_url = reverse("flights:status", args=[operation.slug, flight.pk]) + "?to=boarding"

    client.force_login(alice)
    coordinator_page = client.get(_url(flight))
    client.force_login(bob)
    officer_page = client.get(_url(flight))

    assert "only while the flight is boarding" in text(coordinator_page)
    assert f'href="{status_url}"' in coordinator_page.content.decode()
    assert "Ask a coordinator to start boarding" in text(officer_page)
    assert f'href="{status_url}"' not in officer_page.content.decode()


def test_viewers_may_not_use_boarding_mode(client, flight, gate, carol):
    client.force_login(carol)

    assert client.get(_url(flight)).status_code == 403
    assert client.get(_counts_url(flight)).status_code == 403
    assert client.post(_tap_url(gate[0]), {"status": "boarded"}, **JSON).status_code == 403
    gate[0].refresh_from_db()
    assert gate[0].status == Booking.Status.BOOKED


def test_a_member_of_another_operation_finds_no_gate(client, flight, gate, dave):
    client.force_login(dave)

    assert client.get(_url(flight)).status_code == 404
    assert client.post(_tap_url(gate[0]), {"status": "boarded"}, **JSON).status_code == 404
    assert client.get(_counts_url(flight)).status_code == 404
