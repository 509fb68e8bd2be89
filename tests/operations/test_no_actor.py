"""A service called without saying who acts is refused: only Evac itself (EVAC), a member of
staff or a person who proved their record may act, never nobody."""

import pytest
from django.core.exceptions import PermissionDenied

from evac.core.actor import EVAC
from evac.core.history import past_event_moment
from evac.flights.models import Booking
from evac.flights.services import booking_create
from evac.operations.access import Permission, has_permission
from evac.people.models import Citizen
from evac.people.services import citizen_set_status
from tests.factories import make_citizen

pytestmark = pytest.mark.django_db


def test_no_actor_has_no_permission_while_evac_itself_has_every_one(operation):
    assert not any(has_permission(None, operation, p) for p in Permission)
    assert all(has_permission(EVAC, operation, p) for p in Permission)


def test_a_booking_with_no_actor_is_refused_and_takes_no_seat(operation, almaty, flight):
    person = make_citizen(operation, almaty)

    with pytest.raises(PermissionDenied):
        booking_create(flight=flight, citizen=person, by=None)

    flight.refresh_from_db()
    assert flight.seats_booked == 0
    assert not Booking.objects.filter(citizen=person).exists()


def test_a_status_change_with_no_actor_is_refused(operation, almaty):
    person = make_citizen(operation, almaty)

    with pytest.raises(PermissionDenied):
        citizen_set_status(citizen=person, status=Citizen.Status.DECIDED_TO_STAY, by=None)

    person.refresh_from_db()
    assert person.status == Citizen.Status.WAITING


def test_only_evac_itself_records_an_event_at_a_past_moment(alice, flight):
    assert past_event_moment(EVAC, flight.departs_at) == flight.departs_at
    with pytest.raises(ValueError):
        past_event_moment(None, flight.departs_at)
    with pytest.raises(ValueError):
        past_event_moment(alice, flight.departs_at)
