import pytest
from django.core.exceptions import PermissionDenied

from evac.core.errors import InvalidTransition
from evac.flights.models import Booking
from evac.flights.services import booking_create
from evac.people.models import CITIZEN_TRANSITIONS, Citizen
from evac.people.services import citizen_set_status
from tests.factories import make_citizen

pytestmark = pytest.mark.django_db

S = Citizen.Status


@pytest.mark.parametrize("status", [S.DECIDED_TO_STAY, S.LEFT_BY_OWN_MEANS, S.UNREACHABLE])
def test_a_person_who_withdraws_loses_their_seat(operation, almaty, flight, alice, status):
    # Recorded by a coordinator: cancelling a seat is theirs (test_seat_by_status.py).
    olena = make_citizen(operation, almaty)
    booking = booking_create(flight=flight, citizen=olena, by=alice)

    olena = citizen_set_status(citizen=olena, status=status, by=alice)

    booking.refresh_from_db()
    flight.refresh_from_db()
    assert olena.status == status
    assert booking.status == Booking.Status.CANCELLED and not booking.is_active
    assert flight.seats_booked == 0


def test_a_person_who_decided_to_stay_can_change_their_mind(operation, almaty, bob):
    olena = make_citizen(operation, almaty)
    citizen_set_status(citizen=olena, status=S.DECIDED_TO_STAY, by=bob)

    olena = citizen_set_status(citizen=olena, status=S.WAITING, by=bob)

    assert olena.status == S.WAITING


def test_booked_and_evacuated_are_not_set_by_hand(operation, almaty, bob):
    olena = make_citizen(operation, almaty)

    for status in (S.BOOKED, S.EVACUATED):
        with pytest.raises(InvalidTransition):
            citizen_set_status(citizen=olena, status=status, by=bob)

    olena.refresh_from_db()
    assert olena.status == S.WAITING


def test_a_booked_person_goes_back_to_waiting_only_by_cancelling_the_seat(
    operation, almaty, flight, alice, bob
):
    olena = make_citizen(operation, almaty)
    booking_create(flight=flight, citizen=olena, by=alice)

    with pytest.raises(InvalidTransition, match="cancel the seat"):
        citizen_set_status(citizen=olena, status=S.WAITING, by=bob)


def test_evacuated_is_final():
    assert CITIZEN_TRANSITIONS[S.EVACUATED] == frozenset()


def test_every_status_has_its_transitions_written_down():
    assert set(CITIZEN_TRANSITIONS) == set(S.values)
    assert all(targets <= set(S.values) for targets in CITIZEN_TRANSITIONS.values())


def test_the_database_refuses_an_unknown_status(operation, almaty):
    from django.db import IntegrityError, transaction

    olena = make_citizen(operation, almaty)
    with pytest.raises(IntegrityError), transaction.atomic():
        Citizen.objects.filter(pk=olena.pk).update(status="teleported")


def test_viewers_cannot_change_a_status(operation, almaty, carol, dave):
    olena = make_citizen(operation, almaty)

    for user in (carol, dave):
        with pytest.raises(PermissionDenied):
            citizen_set_status(citizen=olena, status=S.DECIDED_TO_STAY, by=user)

    olena.refresh_from_db()
    assert olena.status == S.WAITING


def test_status_changes_are_in_the_history_with_who_made_them(operation, almaty, bob):
    olena = make_citizen(operation, almaty)
    citizen_set_status(citizen=olena, status=S.UNREACHABLE, by=bob)

    latest = olena.history.latest()
    assert latest.status == S.UNREACHABLE
    assert latest.history_user == bob
