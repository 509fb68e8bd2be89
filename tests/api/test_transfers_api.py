"""Transfers and journeys through the API: a coordinator plans a train and books a household
on it and a flight in one call, an officer checks people onto the train, a viewer reads;
bad input names its field, the services' refusals are 409s, and the manifest is logged."""

from datetime import UTC, datetime, timedelta

import pytest

from evac.audit.models import AccessLogEntry
from evac.core.actor import EVAC
from evac.flights.journeys import journey_book
from evac.flights.models import GroundTransfer, TransferSeat
from evac.flights.transfers import transfer_book, transfer_set_status
from evac.people.models import Citizen
from tests.api.client import error_of, op_url, token_client
from tests.factories import make_citizen, make_flight
from tests.flights.factories import make_transfer
from tests.flights.test_transfers import _family

pytestmark = pytest.mark.django_db


@pytest.fixture
def train(operation, almaty, nur_sultan):
    return make_transfer(operation, almaty, nur_sultan, seats=3)


def _plan(s, **changes) -> dict:
    return {
        "mode": "rail",
        "number": "12",
        "operator": "KTZ",
        "from_city": s["almaty"].pk,
        "to_city": s["nur_sultan"].pk,
        "departs_at": "2030-01-08T21:40:00+05:00",
        "arrives_at": "2030-01-09T09:10:00+05:00",
        "meeting_point": "Almaty-2 station, platform 1",
        "meeting_map_url": "https://www.openstreetmap.org/#map=18/43.27/76.94",
        "seats_total": 120,
        **changes,
    }


def test_a_coordinator_plans_a_train_and_reads_it_back_in_local_time(
    operation, almaty, nur_sultan, alice, pin_clock
):
    pin_clock(datetime(2030, 1, 1, 9, 0, tzinfo=UTC))
    api = token_client(alice)

    created = api.post(
        op_url(operation, "transfers/"),
        _plan({"almaty": almaty, "nur_sultan": nur_sultan}),
        format="json",
    )
    listed = api.get(op_url(operation, "transfers/")).json()["results"]

    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["seats_left"], body["to_city_name"]) == (
        "scheduled",
        120,
        "Nur-Sultan",
    )
    assert body["departs_local"].startswith("2030-01-08T21:40")
    assert body["departs_at"].startswith("2030-01-08T16:40")
    assert [t["id"] for t in listed] == [body["id"]]


def test_bad_input_is_a_400_that_names_each_field(operation, almaty, nur_sultan, alice):
    places = {"almaty": almaty, "nur_sultan": nur_sultan}
    api = token_client(alice)

    missing = api.post(op_url(operation, "transfers/"), {"mode": "rocket"}, format="json")
    wrong_types = api.post(
        op_url(operation, "transfers/"),
        _plan(places, seats_total="120", departs_at="tomorrow", meeting_map_url="not a link"),
        format="json",
    )
    same_city = api.post(
        op_url(operation, "transfers/"), _plan(places, to_city=almaty.pk), format="json"
    )

    assert missing.status_code == 400
    assert {"mode", "from_city", "to_city", "departs_at", "arrives_at", "seats_total"} <= set(
        error_of(missing)["fields"]
    )
    assert wrong_types.status_code == 400
    assert {"seats_total", "departs_at", "meeting_map_url"} == set(error_of(wrong_types)["fields"])
    assert same_city.status_code == 400
    assert "another city" in error_of(same_city)["message"]
    assert not GroundTransfer.objects.exists()


def test_seats_cant_drop_below_those_taken(operation, almaty, train, alice):
    transfer_book(transfer=train, household=_family(operation, almaty, "1990-01-01"), by=EVAC)

    response = token_client(alice).patch(
        op_url(operation, f"transfers/{train.pk}/"), {"seats_total": 1}, format="json"
    )

    assert response.status_code == 400
    assert "2 seats are taken" in error_of(response)["fields"]["seats_total"][0]
    train.refresh_from_db()
    assert train.seats_total == 3


def test_the_manifest_lists_each_seat_with_its_flight_and_is_logged(
    operation, almaty, train, flight, carol
):
    family = _family(operation, almaty, "1990-01-01")
    journey_book(flight=flight, transfers=[train], household=family, by=EVAC)

    response = token_client(carol).get(op_url(operation, f"transfers/{train.pk}/passengers/"))

    assert response.status_code == 200
    seats = response.json()
    assert sorted(s["passenger"]["given_names"] for s in seats) == ["Child0", "Oksana"]
    assert {(s["flight_number"], s["household"]) for s in seats} == {(flight.number, family.pk)}
    assert "document_number" not in seats[0]["passenger"]
    entry = AccessLogEntry.objects.get(object_kind="transfer")
    assert (entry.user, entry.action, entry.object_id) == (carol, "manifest_viewed", train.pk)


def test_a_coordinator_books_a_household_on_a_journey_in_one_call(
    operation, almaty, train, flight, alice
):
    family = _family(operation, almaty, "2016-04-05")

    response = token_client(alice).post(
        op_url(operation, "transfers/journeys/"),
        {"flight": flight.pk, "transfers": [train.pk], "household": family.pk},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["bookings"]) == len(body["legs"]) == 2
    assert {leg["flight"] for leg in body["legs"]} == {flight.pk}
    train.refresh_from_db()
    flight.refresh_from_db()
    assert (train.seats_booked, flight.seats_booked) == (2, 2)


def test_legs_that_dont_connect_are_a_409_and_take_no_seat(operation, almaty, kyiv, flight, alice):
    to_kyiv = make_transfer(operation, almaty, kyiv)

    response = token_client(alice).post(
        op_url(operation, "transfers/journeys/"),
        {
            "flight": flight.pk,
            "transfers": [to_kyiv.pk],
            "citizen": make_citizen(operation, almaty).reference,
        },
        format="json",
    )

    assert response.status_code == 409
    assert error_of(response)["code"] == "legs_do_not_connect"
    assert "leaves from Nur-Sultan" in error_of(response)["message"]
    to_kyiv.refresh_from_db()
    flight.refresh_from_db()
    assert (to_kyiv.seats_booked, flight.seats_booked) == (0, 0)


def test_a_journey_names_what_is_not_in_the_operation(
    operation, other_operation, almaty, nur_sultan, train, flight, alice
):
    theirs = make_transfer(other_operation, almaty, nur_sultan)
    api = token_client(alice)
    ref = make_citizen(operation, almaty).reference

    foreign = api.post(
        op_url(operation, "transfers/journeys/"),
        {"flight": flight.pk, "transfers": [theirs.pk], "citizen": ref},
        format="json",
    )
    twice = api.post(
        op_url(operation, "transfers/journeys/"),
        {"flight": flight.pk, "transfers": [train.pk, train.pk], "citizen": ref},
        format="json",
    )
    both = api.post(
        op_url(operation, "transfers/journeys/"),
        {"flight": 10**9, "transfers": [train.pk], "citizen": ref, "household": 1},
        format="json",
    )

    assert foreign.status_code == 400
    assert list(error_of(foreign)["fields"]) == ["transfers"]
    assert twice.status_code == 400
    assert list(error_of(twice)["fields"]) == ["transfers"]
    assert both.status_code == 400
    assert "either a citizen or a household" in error_of(both)["message"]


def test_an_officer_checks_people_onto_the_train_only_while_it_boards(
    operation, almaty, train, alice, bob
):
    olena = make_citizen(operation, almaty)
    (seat,) = transfer_book(transfer=train, citizen=olena, by=EVAC)
    url = op_url(operation, f"transfers/{train.pk}/passengers/{seat.pk}/status/")
    api = token_client(bob)

    early = api.post(url, {"status": "boarded"}, format="json")
    transfer_set_status(transfer=train, status="boarding", by=alice)
    boarded = api.post(url, {"status": "boarded"}, format="json")
    cancel = api.post(url, {"status": "cancelled"}, format="json")

    assert early.status_code == 409
    assert error_of(early)["code"] == "invalid_transition"
    assert boarded.status_code == 200
    assert boarded.json()["status"] == "boarded"
    assert cancel.status_code == 400
    assert list(error_of(cancel)["fields"]) == ["status"]
    seat.refresh_from_db()
    assert seat.status == TransferSeat.Status.BOARDED


def test_putting_a_household_on_keeps_it_whole_or_refuses(operation, almaty, train, alice):
    api = token_client(alice)
    url = op_url(operation, f"transfers/{train.pk}/passengers/")
    first = _family(operation, almaty, "1990-01-01")
    second = _family(operation, almaty, "1991-01-01")

    fits = api.post(url, {"household": first.pk}, format="json")
    full = api.post(url, {"household": second.pk}, format="json")

    assert fits.status_code == 201
    assert len(fits.json()) == 2
    assert full.status_code == 409
    assert error_of(full)["code"] == "transfer_full"
    assert not TransferSeat.objects.filter(citizen__household=second).exists()


def test_cancelling_the_train_frees_every_seat(operation, almaty, train, alice):
    (seat,) = transfer_book(transfer=train, citizen=make_citizen(operation, almaty), by=EVAC)

    response = token_client(alice).post(
        op_url(operation, f"transfers/{train.pk}/status/"), {"status": "cancelled"}, format="json"
    )
    again = token_client(alice).post(
        op_url(operation, f"transfers/{train.pk}/status/"), {"status": "boarding"}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["seats_booked"]) == ("cancelled", 0)
    seat.refresh_from_db()
    assert (seat.status, seat.is_active) == ("cancelled", False)
    assert again.status_code == 409


def test_a_coordinator_frees_one_seat(operation, almaty, train, alice):
    olena = make_citizen(operation, almaty)
    (seat,) = transfer_book(transfer=train, citizen=olena, by=EVAC)

    response = token_client(alice).post(
        op_url(operation, f"transfers/{train.pk}/passengers/{seat.pk}/cancel/")
    )

    assert response.status_code == 200
    assert response.json()["is_active"] is False
    train.refresh_from_db()
    assert train.seats_booked == 0
    olena.refresh_from_db()
    assert olena.status == Citizen.Status.WAITING


def test_a_transfer_or_seat_of_another_operation_is_not_found(
    operation, other_operation, almaty, nur_sultan, train, alice
):
    theirs = make_transfer(other_operation, almaty, nur_sultan)
    (seat,) = transfer_book(transfer=theirs, citizen=make_citizen(other_operation, almaty), by=EVAC)
    api = token_client(alice)

    assert api.get(op_url(operation, f"transfers/{theirs.pk}/")).status_code == 404
    assert (
        api.post(
            op_url(operation, f"transfers/{train.pk}/passengers/{seat.pk}/cancel/")
        ).status_code
        == 404
    )
    seat.refresh_from_db()
    assert seat.is_active


def test_a_flight_leaving_before_the_train_arrives_is_refused_with_its_report_time(
    operation, almaty, nqz, kbp, train, alice
):
    early = make_flight(operation, nqz, kbp, departs_at=train.arrives_at - timedelta(hours=1))

    response = token_client(alice).post(
        op_url(operation, "transfers/journeys/"),
        {
            "flight": early.pk,
            "transfers": [train.pk],
            "citizen": make_citizen(operation, almaty).reference,
        },
        format="json",
    )

    assert response.status_code == 409
    assert "needs people at NQZ" in error_of(response)["message"]
