"""The status changes a person's page offers are exactly those citizen_set_status accepts."""

import pytest
from django.core.exceptions import PermissionDenied

from evac.core.actor import EVAC
from evac.core.errors import Conflict
from evac.flights.services import booking_create
from evac.people.models import Citizen
from evac.people.services import (
    DECIDED_STATUS_ORDER,
    DECIDED_STATUSES,
    citizen_set_status,
    citizen_status_choices,
)
from tests.factories import make_citizen

pytestmark = pytest.mark.django_db

S = Citizen.Status


def test_every_decision_has_a_place_in_the_order():
    assert set(DECIDED_STATUS_ORDER) == DECIDED_STATUSES


@pytest.mark.parametrize("start", list(S))
@pytest.mark.parametrize("decision", DECIDED_STATUS_ORDER)
@pytest.mark.parametrize("who", ["alice", "bob"])
def test_what_is_offered_is_what_is_accepted(
    request, operation, almaty, flight, who, start, decision
):
    # For each role: an officer is offered no change that would cancel a seat.
    by = request.getfixturevalue(who)
    person = make_citizen(operation, almaty)
    if start == S.BOOKED:
        booking_create(flight=flight, citizen=person, by=EVAC)
    else:
        Citizen.objects.filter(pk=person.pk).update(status=start)  # how they got there is no matter
    person.refresh_from_db()
    offered = decision in citizen_status_choices(person, by=by)

    try:
        citizen_set_status(citizen=person, status=decision, by=by)
        accepted = True
    except (Conflict, PermissionDenied):
        accepted = False

    assert offered == accepted
