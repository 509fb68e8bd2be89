"""Staff-page actions on people, manifests and journeys through the API: confirming a claimed
need, scanning for duplicates again, the XLSX manifest, the people stranded between legs (and
a new leg for them), booking from where people wait, and why seats flew empty. Each calls the
page's service, so each has the page's rules and refusals."""

import io

import pytest
from openpyxl import load_workbook

from evac.audit.models import AccessAction, AccessLogEntry
from evac.core.actor import EVAC
from evac.flights.journeys import journey_book, stranded_between_legs
from evac.flights.models import Booking, GroundTransfer, ManifestExport, TransferSeat
from evac.flights.services import booking_create
from evac.flights.transfers import transfer_set_status
from evac.people.models import Citizen, DuplicatePair
from tests.api.client import error_of, op_url, token_client
from tests.api.test_access_by_role import likely_pair
from tests.factories import make_citizen, make_departed_flight
from tests.flights.factories import make_transfer

pytestmark = pytest.mark.django_db


# Claimed needs -----------------------------------------------------------------------------


@pytest.fixture
def claimant(operation, almaty):
    return make_citizen(
        operation, almaty, medical_need=True, source=Citizen.Source.SELF_REGISTRATION
    )


def test_an_officer_confirms_a_claimed_need_once(operation, claimant, bob):
    url = op_url(operation, f"citizens/{claimant.reference_code}/needs/confirm/")
    api = token_client(bob)

    confirmed = api.post(url)
    again = api.post(url)

    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["reference"] == claimant.reference
    claimant.refresh_from_db()
    assert not claimant.needs_claimed
    assert again.status_code == 409
    assert error_of(again)["message"] == "There is no claimed need to confirm."


def test_a_viewer_may_not_confirm_a_need(operation, claimant, carol):
    response = token_client(carol).post(
        op_url(operation, f"citizens/{claimant.reference_code}/needs/confirm/")
    )

    assert response.status_code == 403
    claimant.refresh_from_db()
    assert claimant.needs_claimed


# Duplicates --------------------------------------------------------------------------------


def test_scanning_again_finds_the_pairs_anew(operation, almaty, bob):
    likely_pair(operation, almaty)
    DuplicatePair.objects.all().delete()

    response = token_client(bob).post(op_url(operation, "duplicates/scan/"))

    assert response.status_code == 200, response.content
    assert response.json() == {"likely_pairs": 1}
    assert DuplicatePair.objects.filter(operation=operation).count() == 1


def test_a_viewer_may_not_scan(operation, almaty, carol):
    likely_pair(operation, almaty)
    DuplicatePair.objects.all().delete()

    response = token_client(carol).post(op_url(operation, "duplicates/scan/"))

    assert response.status_code == 403
    assert not DuplicatePair.objects.exists()


# The XLSX manifest -------------------------------------------------------------------------


def test_the_xlsx_manifest_is_the_staff_export_and_is_recorded(operation, almaty, flight, alice):
    person = make_citizen(operation, almaty, surname="KOVAL", document_number="FA1233456")
    booking_create(flight=flight, citizen=person, by=EVAC)

    response = token_client(alice).get(op_url(operation, f"flights/{flight.pk}/manifest.xlsx"))

    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    cells = [
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    ]
    assert "FA1233456" in cells and any("KOVAL" in cell.upper() for cell in cells)
    export = ManifestExport.objects.get()
    assert (export.by, export.format, export.rows) == (alice, "xlsx", 1)
    assert AccessLogEntry.objects.filter(action=AccessAction.MANIFEST_EXPORTED_XLSX).count() == 1


def test_a_viewer_gets_no_xlsx_manifest(operation, flight, carol):
    response = token_client(carol).get(op_url(operation, f"flights/{flight.pk}/manifest.xlsx"))

    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"
    assert not ManifestExport.objects.exists()


# Journeys ----------------------------------------------------------------------------------


@pytest.fixture
def stranded(operation, almaty, nur_sultan, flight, alice):
    """Olena's train to her flight was cancelled: her flight seat stands."""
    train = make_transfer(operation, almaty, nur_sultan, seats=5)
    olena = make_citizen(operation, almaty, surname="Koval")
    (booking,) = journey_book(flight=flight, transfers=[train], citizen=olena, by=alice).bookings
    transfer_set_status(transfer=train, status=GroundTransfer.Status.CANCELLED, by=alice)
    return booking


def test_the_stranded_list_names_the_seat_and_the_lost_leg(operation, stranded, carol):
    response = token_client(carol).get(op_url(operation, "transfers/stranded/"))

    assert response.status_code == 200
    (item,) = response.json()
    assert item["booking"]["id"] == stranded.pk
    assert (item["lost_leg"]["is_active"], item["lost_leg"]["lost_because"]) == (
        False,
        "transfer_cancelled",
    )
    assert item["missed"] is False
    assert token_client(carol).get(op_url(operation, "transfers/not-connecting/")).json() == []


def test_a_coordinator_gives_a_stranded_person_a_new_leg(
    operation, almaty, nur_sultan, flight, stranded, alice
):
    bus = make_transfer(operation, almaty, nur_sultan, mode="bus", number="7")

    response = token_client(alice).post(
        op_url(operation, f"flights/{flight.pk}/bookings/{stranded.pk}/legs/"),
        {"transfer": bus.pk},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert (response.json()["transfer"], response.json()["flight"]) == (bus.pk, flight.pk)
    assert stranded_between_legs(operation) == []
    bus.refresh_from_db()
    assert bus.seats_booked == 1


def test_a_new_leg_that_is_not_there_or_too_late_is_refused(
    operation, almaty, nur_sultan, flight, stranded, alice
):
    late = make_transfer(operation, almaty, nur_sultan, number="99", hours=40)
    api = token_client(alice)
    url = op_url(operation, f"flights/{flight.pk}/bookings/{stranded.pk}/legs/")

    missing = api.post(url, {"transfer": 999999}, format="json")
    too_late = api.post(url, {"transfer": late.pk}, format="json")

    assert missing.status_code == 400
    assert error_of(missing)["fields"] == {"transfer": ["No such transfer in this operation."]}
    assert too_late.status_code == 409
    assert error_of(too_late)["code"] == "legs_do_not_connect"
    assert not TransferSeat.objects.filter(transfer=late).exists()


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_an_officer_or_a_viewer_may_not_add_a_leg(
    operation, almaty, nur_sultan, flight, stranded, who, request
):
    bus = make_transfer(operation, almaty, nur_sultan, mode="bus", number="7")

    response = token_client(request.getfixturevalue(who)).post(
        op_url(operation, f"flights/{flight.pk}/bookings/{stranded.pk}/legs/"),
        {"transfer": bus.pk},
        format="json",
    )

    assert response.status_code == 403
    assert not TransferSeat.objects.filter(transfer=bus).exists()


def test_booking_from_where_they_wait_takes_the_connecting_train(
    operation, almaty, nur_sultan, flight, alice
):
    train = make_transfer(operation, almaty, nur_sultan, seats=5)
    ivan = make_citizen(operation, almaty, surname="Shevchenko")

    response = token_client(alice).post(
        op_url(operation, f"flights/{flight.pk}/journeys/"),
        {"citizen": ivan.reference_code},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert [b["flight"] for b in body["bookings"]] == [flight.pk]
    assert [leg["transfer"] for leg in body["legs"]] == [train.pk]
    assert Booking.objects.get(citizen=ivan).is_active


def test_booking_from_where_they_wait_without_a_connection_is_a_409(
    operation, almaty, flight, alice
):
    ivan = make_citizen(operation, almaty, surname="Shevchenko")
    api = token_client(alice)
    url = op_url(operation, f"flights/{flight.pk}/journeys/")

    none_fits = api.post(url, {"citizen": ivan.reference_code}, format="json")
    nobody = api.post(url, {"citizen": "NOSUCH"}, format="json")
    both = api.post(url, {"citizen": ivan.reference_code, "household": 1}, format="json")

    assert none_fits.status_code == 409
    assert "No transfer from Almaty" in error_of(none_fits)["message"]
    assert error_of(nobody)["fields"] == {"citizen": ["No such person in this operation."]}
    assert both.status_code == 400
    assert not Booking.objects.filter(citizen=ivan).exists()


# Why seats flew empty ----------------------------------------------------------------------


def test_the_offer_summary_says_why_seats_flew_empty(operation, almaty, nqz, kbp, carol):
    flown = make_departed_flight(
        operation,
        nqz,
        kbp,
        boarded=[make_citizen(operation, almaty)],
        no_shows=[make_citizen(operation, almaty), make_citizen(operation, almaty)],
    )

    body = token_client(carol).get(op_url(operation, f"flights/{flown.pk}/offers/")).json()

    assert (body["flown"], body["seats_empty"]) == (True, 3)
    assert (body["no_shows"], body["unfilled"]) == (2, 1)


def test_before_departure_no_seat_has_flown_empty(operation, flight, carol):
    body = token_client(carol).get(op_url(operation, f"flights/{flight.pk}/offers/")).json()

    assert (body["flown"], body["no_shows"], body["unfilled"]) == (False, 0, 0)
