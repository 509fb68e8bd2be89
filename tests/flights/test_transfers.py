"""Ground transfers as staff work: planned by coordinators, filled through a seat counter
like a flight's, households whole, the minors rule, boarding, and cancelling with notice."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evac.core.actor import EVAC
from evac.core.errors import InvalidTransition
from evac.flights.minors import MinorWithoutAdult
from evac.flights.models import GroundTransfer, SeatLoss, TransferSeat
from evac.flights.seats import TransferFull, TransferNotOpen
from evac.flights.transfers import (
    AlreadyOnTransfer,
    NotWhereTransferLeaves,
    transfer_book,
    transfer_create,
    transfer_seat_cancel,
    transfer_seat_set_status,
    transfer_set_status,
    transfer_update,
)
from evac.notifications.models import Notification
from evac.people.models import Citizen
from evac.people.services import household_register
from tests.factories import make_citizen
from tests.flights.factories import make_transfer

pytestmark = pytest.mark.django_db


def _family(operation, city, *births: str):
    """A household: a parent born in 1980, then children born on `births`."""
    members = [
        {
            "surname": "Bondar",
            "given_names": name,
            "date_of_birth": date.fromisoformat(born),
            "sex": "F",
            "nationality": "UA",
            "document_type": Citizen.DocumentType.PASSPORT,
            "document_number": f"FT{i:06d}",
            "current_city": city,
            "phone": "+77011234567",
        }
        for i, (name, born) in enumerate(
            [("Oksana", "1980-02-01"), *((f"Child{n}", b) for n, b in enumerate(births))]
        )
    ]
    return household_register(
        operation=operation, source=Citizen.Source.STAFF_INTAKE, by=EVAC, members=members
    )


@pytest.fixture
def train(operation, almaty, nur_sultan):
    return make_transfer(operation, almaty, nur_sultan, seats=3)


def test_a_coordinator_plans_a_train_and_an_officer_may_not(
    operation, almaty, nur_sultan, alice, bob
):
    train = make_transfer(operation, almaty, nur_sultan)
    fields = {
        f: getattr(train, f) for f in ("mode", "from_city", "to_city", "departs_at", "arrives_at")
    }

    planned = transfer_create(operation=operation, by=alice, seats_total=40, **fields)
    with pytest.raises(PermissionDenied):
        transfer_create(operation=operation, by=bob, seats_total=40, **fields)

    assert planned.status == GroundTransfer.Status.SCHEDULED and planned.seats_left == 40


def test_a_transfer_must_arrive_after_it_leaves_and_go_elsewhere(operation, almaty, train, alice):
    with pytest.raises(ValidationError) as refused:
        transfer_update(transfer=train, by=alice, arrives_at=train.departs_at, to_city=almaty)

    assert "arrive after it departs" in str(refused.value)
    assert "go to another city" in str(refused.value)


def test_a_person_takes_a_seat_on_the_counter(operation, almaty, train, alice):
    olena = make_citizen(operation, almaty)

    (seat,) = transfer_book(transfer=train, citizen=olena, by=alice)

    train.refresh_from_db()
    assert seat.is_active and train.seats_booked == 1 and train.seats_left == 2


def test_a_household_goes_whole_or_not_at_all(operation, almaty, train, alice):
    family = _family(operation, almaty, "1982-01-01", "1984-01-01", "1986-01-01")

    with pytest.raises(TransferFull, match="3 seats left; 4 are needed"):
        transfer_book(transfer=train, household=family, by=alice)

    train.refresh_from_db()
    assert train.seats_booked == 0 and not TransferSeat.objects.exists()


def test_a_child_does_not_travel_alone_on_a_train_without_a_reason(operation, almaty, train, alice):
    family = _family(operation, almaty, "2016-04-05")
    child = family.members.get(given_names="Child0")

    with pytest.raises(MinorWithoutAdult, match="Rail 12 Almaty → Nur-Sultan"):
        transfer_book(transfer=train, citizen=child, by=alice)
    (seat,) = transfer_book(
        transfer=train, citizen=child, by=alice, unaccompanied_reason="with her aunt"
    )

    assert seat.unaccompanied_reason == "with her aunt"


def test_cancelling_the_only_adult_beside_a_child_is_refused(operation, almaty, train, alice):
    family = _family(operation, almaty, "2016-04-05")
    seats = transfer_book(transfer=train, household=family, by=alice)
    mother = next(s for s in seats if s.citizen.given_names == "Oksana")

    with pytest.raises(MinorWithoutAdult):
        transfer_seat_cancel(seat=mother, by=alice)


def test_the_same_person_twice_on_one_transfer_is_refused(operation, almaty, train, alice):
    olena = make_citizen(operation, almaty)
    transfer_book(transfer=train, citizen=olena, by=alice)

    with pytest.raises(AlreadyOnTransfer):
        transfer_book(transfer=train, citizen=olena, by=alice)

    train.refresh_from_db()
    assert train.seats_booked == 1


def test_people_board_from_where_they_are(operation, kyiv, train, alice):
    in_kyiv = make_citizen(operation, kyiv)

    with pytest.raises(NotWhereTransferLeaves, match="not in Almaty"):
        transfer_book(transfer=train, citizen=in_kyiv, by=alice)


def test_officers_mark_boarding_only_while_the_transfer_boards(
    operation, almaty, train, alice, bob
):
    (seat,) = transfer_book(transfer=train, citizen=make_citizen(operation, almaty), by=alice)
    with pytest.raises(InvalidTransition, match="while the transfer is boarding"):
        transfer_seat_set_status(seat=seat, status=TransferSeat.Status.BOARDED, by=bob)

    transfer_set_status(transfer=train, status=GroundTransfer.Status.BOARDING, by=alice)
    boarded = transfer_seat_set_status(seat=seat, status=TransferSeat.Status.BOARDED, by=bob)

    assert boarded.status == TransferSeat.Status.BOARDED


def test_a_boarding_transfer_takes_no_more_bookings(operation, almaty, train, alice):
    transfer_set_status(transfer=train, status=GroundTransfer.Status.BOARDING, by=alice)

    with pytest.raises(TransferNotOpen):
        transfer_book(transfer=train, citizen=make_citizen(operation, almaty), by=alice)


def test_leaving_makes_those_not_on_board_no_shows(operation, almaty, train, alice, bob):
    on, off = (make_citizen(operation, almaty) for _ in range(2))
    (seat_on,) = transfer_book(transfer=train, citizen=on, by=alice)
    (seat_off,) = transfer_book(transfer=train, citizen=off, by=alice)
    transfer_set_status(transfer=train, status=GroundTransfer.Status.BOARDING, by=alice)
    transfer_seat_set_status(seat=seat_on, status=TransferSeat.Status.BOARDED, by=bob)

    transfer_set_status(transfer=train, status=GroundTransfer.Status.DEPARTED, by=alice)

    seat_on.refresh_from_db()
    seat_off.refresh_from_db()
    assert (seat_on.status, seat_on.is_active) == (TransferSeat.Status.BOARDED, False)
    assert (seat_off.status, seat_off.lost_because) == (TransferSeat.Status.NO_SHOW, "no_show")


def test_on_arrival_those_who_boarded_are_in_the_city_it_arrived_in(
    operation, almaty, nur_sultan, train, alice, bob
):
    on, off = (make_citizen(operation, almaty) for _ in range(2))
    (seat_on,) = transfer_book(transfer=train, citizen=on, by=alice)
    transfer_book(transfer=train, citizen=off, by=alice)
    transfer_set_status(transfer=train, status=GroundTransfer.Status.BOARDING, by=alice)
    transfer_seat_set_status(seat=seat_on, status=TransferSeat.Status.BOARDED, by=bob)
    transfer_set_status(transfer=train, status=GroundTransfer.Status.DEPARTED, by=alice)

    transfer_set_status(transfer=train, status=GroundTransfer.Status.ARRIVED, by=alice)

    on.refresh_from_db()
    off.refresh_from_db()
    assert (on.current_city, off.current_city) == (nur_sultan, almaty)
    assert on.history.latest().history_user == alice


def test_only_evac_itself_records_a_transfer_change_at_an_earlier_moment(train, alice):
    with pytest.raises(ValueError, match="only Evac itself"):
        transfer_set_status(
            transfer=train, status=GroundTransfer.Status.BOARDING, by=alice, at=train.departs_at
        )


def test_cancelling_a_transfer_frees_every_seat_and_tells_everyone_on_it(
    operation, almaty, train, alice
):
    family = _family(operation, almaty, "1990-01-01")
    transfer_book(transfer=train, household=family, by=alice)

    transfer_set_status(transfer=train, status=GroundTransfer.Status.CANCELLED, by=alice)

    train.refresh_from_db()
    assert train.seats_booked == 0
    assert set(TransferSeat.objects.values_list("status", "lost_because")) == {
        ("cancelled", SeatLoss.TRANSFER_CANCELLED)
    }
    told = Notification.objects.filter(kind=Notification.Kind.SEAT_CANCELLED)
    assert told.count() == 2
    # In the family's language (Ukrainian), the leg named with its local time.
    assert all("поїзд 12 Almaty – Nur-Sultan 12 січня 20:40" in m.body for m in told)
    assert all("скасовано: рейс не відбудеться" in m.body for m in told)


def test_a_cancelled_transfer_cannot_be_changed_or_reopened(operation, train, alice):
    transfer_set_status(transfer=train, status=GroundTransfer.Status.CANCELLED, by=alice)

    with pytest.raises(InvalidTransition):
        transfer_set_status(transfer=train, status=GroundTransfer.Status.SCHEDULED, by=alice)
    with pytest.raises(InvalidTransition):
        transfer_update(transfer=train, by=alice, seats_total=50)


def test_the_seats_cannot_drop_below_those_taken(operation, almaty, train, alice):
    transfer_book(transfer=train, citizen=make_citizen(operation, almaty), by=alice)
    transfer_book(transfer=train, citizen=make_citizen(operation, almaty), by=alice)

    with pytest.raises(ValidationError, match="2 seats are taken"):
        transfer_update(transfer=train, by=alice, seats_total=1)
