"""The transfer pages: a coordinator plans a train and puts a household on it, an officer
checks people on at the train, a viewer reads, and cancelling tells everyone."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from evac.audit.models import AccessLogEntry
from evac.flights.models import GroundTransfer, TransferSeat
from evac.flights.transfers import transfer_book, transfer_set_status
from evac.notifications.models import Notification
from tests.factories import make_citizen
from tests.flights.factories import make_transfer
from tests.flights.test_transfers import _family

pytestmark = pytest.mark.django_db


@pytest.fixture
def train(operation, almaty, nur_sultan):
    return make_transfer(operation, almaty, nur_sultan, seats=5)


def _url(name, operation, *args):
    return reverse(f"transfers:{name}", args=[operation.slug, *args])


def test_a_coordinator_plans_a_train_in_local_times(
    client, operation, almaty, nur_sultan, alice, pin_clock
):
    pin_clock(datetime(2030, 1, 1, 9, 0, tzinfo=UTC))
    client.force_login(alice)

    response = client.post(
        _url("new", operation),
        {
            "mode": "rail",
            "number": "12",
            "from_city": almaty.pk,
            "departs_local": "2030-01-08T21:40",
            "to_city": nur_sultan.pk,
            "arrives_local": "2030-01-09T09:10",
            "meeting_point": "Almaty-2 station, platform 1",
            "seats_total": "120",
        },
    )

    train = GroundTransfer.objects.get(number="12")
    assert response.status_code == 302
    assert train.departs_local.strftime("%d %H:%M") == "08 21:40"
    assert train.seats_left == 120


def test_a_bad_form_keeps_what_was_typed(client, operation, almaty, alice):
    client.force_login(alice)

    response = client.post(
        _url("new", operation),
        {"mode": "rail", "from_city": almaty.pk, "to_city": almaty.pk, "seats_total": "x"},
    )

    assert response.status_code == 200
    assert 'value="rail" selected' in response.text or "selected" in response.text
    assert not GroundTransfer.objects.exists()


def test_a_household_is_put_on_from_the_transfer_page(client, operation, almaty, train, alice):
    family = _family(operation, almaty, "2016-04-05")
    client.force_login(alice)

    page = client.get(_url("detail", operation, train.pk))
    response = client.post(_url("add", operation, train.pk), {"household": family.pk})

    assert "Put the household on" in page.text
    assert response.status_code == 302
    assert TransferSeat.objects.filter(transfer=train, is_active=True).count() == 2
    assert AccessLogEntry.objects.filter(object_kind="transfer", object_id=train.pk).exists()


def test_an_officer_checks_people_on_while_the_train_boards(
    client, operation, almaty, train, alice, bob
):
    (seat,) = transfer_book(transfer=train, citizen=make_citizen(operation, almaty), by=alice)
    transfer_set_status(transfer=train, status=GroundTransfer.Status.BOARDING, by=alice)
    client.force_login(bob)

    client.post(_url("board", operation, train.pk), {"seat": seat.pk, "status": "boarded"})

    seat.refresh_from_db()
    assert seat.status == TransferSeat.Status.BOARDED


def test_an_officer_may_not_put_people_on(client, operation, almaty, train, bob):
    client.force_login(bob)

    response = client.post(
        _url("add", operation, train.pk), {"citizen": make_citizen(operation, almaty).pk}
    )

    assert response.status_code == 403


def test_a_viewer_reads_the_list_and_the_manifest_but_changes_nothing(
    client, operation, train, carol
):
    client.force_login(carol)

    assert client.get(_url("list", operation)).status_code == 200
    assert client.get(_url("detail", operation, train.pk)).status_code == 200
    assert client.post(_url("status", operation, train.pk), {"to": "cancelled"}).status_code == 403
    train.refresh_from_db()
    assert train.status == GroundTransfer.Status.SCHEDULED


def test_cancelling_from_the_page_tells_everyone_and_lists_the_stranded(
    client, operation, almaty, train, flight, alice
):
    from evac.flights.journeys import journey_book

    olena = make_citizen(operation, almaty, phone="+77011234567")
    journey_book(flight=flight, transfers=[train], citizen=olena, by=alice)
    client.force_login(alice)

    client.post(_url("status", operation, train.pk), {"to": "cancelled"})
    listing = client.get(_url("list", operation))

    assert Notification.objects.filter(citizen=olena, kind="seat_cancelled").exists()
    assert "Stranded between legs" in listing.text and str(olena) in listing.text


def test_the_csv_lists_who_is_on_the_train_and_is_logged(client, operation, almaty, train, alice):
    olena = make_citizen(operation, almaty)
    transfer_book(transfer=train, citizen=olena, by=alice)
    client.force_login(alice)

    response = client.get(_url("export", operation, train.pk, "csv"))

    assert olena.surname in response.content.decode()
    assert AccessLogEntry.objects.filter(action="manifest_exported_csv").exists()


def test_another_operation_finds_no_transfer(client, operation, train, dave):
    client.force_login(dave)

    assert client.get(_url("detail", operation, train.pk)).status_code == 404
