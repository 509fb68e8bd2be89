"""The portal's services take the one-time code and check it themselves.

No portal change runs with no actor: the services see the person who proved who they are
(a CitizenActor), allowed only their own record, only in their operation, only while it is
open.
"""

import pytest
from django.core.exceptions import PermissionDenied

from evac.core.actor import EVAC
from evac.core.errors import InvalidTransition
from evac.flights.closing import operation_close
from evac.flights.services import booking_create
from evac.operations.access import CitizenActor
from evac.people.models import Citizen, ContactLogEntry
from evac.people.services import citizen_update, people_register
from evac.portal.codes import CodeRefused, one_time_code_issue
from evac.portal.models import OneTimeCode
from evac.portal.services import portal_confirm_seat, portal_decide, portal_update_contacts
from tests.factories import make_citizen
from tests.portal.conftest import last_code, send_all_pending

pytestmark = pytest.mark.django_db


def code_for(citizen, sms_file) -> str:
    one_time_code_issue(citizen=citizen, channel="sms")
    send_all_pending()
    return last_code(sms_file)


def test_a_change_without_the_right_code_changes_nothing_and_counts_the_try(olena, sms_file):
    right = code_for(olena, sms_file)
    wrong = "000000" if right != "000000" else "111111"
    with pytest.raises(CodeRefused):
        portal_decide(citizen=olena, status=Citizen.Status.DECIDED_TO_STAY, code=wrong)
    olena.refresh_from_db()
    assert olena.status == Citizen.Status.WAITING
    assert OneTimeCode.objects.get(citizen=olena).attempts == 1
    assert not ContactLogEntry.objects.exists()


def test_the_right_code_makes_the_change_and_is_spent(olena, sms_file):
    code = code_for(olena, sms_file)
    portal_decide(citizen=olena, status=Citizen.Status.DECIDED_TO_STAY, code=code)
    olena.refresh_from_db()
    assert olena.status == Citizen.Status.DECIDED_TO_STAY
    with pytest.raises(CodeRefused):
        portal_update_contacts(citizen=olena, code=code, email="x@example.org")


def test_a_change_that_fails_leaves_the_code_usable(olena, sms_file):
    code = code_for(olena, sms_file)
    with pytest.raises(InvalidTransition):
        portal_confirm_seat(citizen=olena, code=code)  # she holds no seat
    portal_update_contacts(citizen=olena, code=code, email="olena@example.org")
    olena.refresh_from_db()
    assert olena.email == "olena@example.org"


def test_a_code_confirms_the_persons_own_seat(olena, flight, sms_file):
    booking_create(flight=flight, citizen=olena, by=EVAC)
    code = code_for(olena, sms_file)
    booking = portal_confirm_seat(citizen=olena, code=code)
    assert booking.status == "confirmed"


def test_a_proved_person_may_change_only_their_own_record(operation, almaty, olena):
    other = make_citizen(operation, almaty)
    proved = CitizenActor(operation_id=operation.pk, citizen_id=olena.pk)
    with pytest.raises(PermissionDenied):
        citizen_update(citizen=other, by=proved, email="taken@example.org")
    citizen_update(citizen=olena, by=proved, email="own@example.org")


def test_a_person_registering_may_not_change_anybody(operation, olena):
    registering = CitizenActor(operation_id=operation.pk)
    with pytest.raises(PermissionDenied):
        citizen_update(citizen=olena, by=registering, email="taken@example.org")


def test_a_person_acts_only_in_their_own_open_operation(
    operation, other_operation, almaty, olena, alice
):
    person = {
        "surname": "New",
        "given_names": "Person",
        "date_of_birth": olena.date_of_birth,
        "sex": "F",
        "nationality": "UA",
        "document_type": "none",
        "current_city": almaty,
    }
    elsewhere = CitizenActor(operation_id=other_operation.pk)
    with pytest.raises(PermissionDenied):
        people_register(
            operation=operation, source="self_registration", by=elsewhere, people=[person]
        )
    operation_close(operation=operation, by=alice)
    with pytest.raises(PermissionDenied):
        people_register(
            operation=operation,
            source=Citizen.Source.SELF_REGISTRATION,
            by=CitizenActor(operation_id=operation.pk),
            people=[person],
        )
