"""Check-ins to people still waiting, and the daily digest to staff."""

from datetime import timedelta

import pytest

from evac.core.actor import EVAC
from evac.core.clock import now
from evac.flights.services import booking_create
from evac.notifications import periodic
from evac.notifications.models import Notification
from evac.operations.models import Role
from evac.people.services import citizen_set_status
from tests.factories import make_citizen, make_flight, make_member

pytestmark = pytest.mark.django_db
N = Notification


def test_everyone_waiting_gets_a_check_in_naming_their_reference(olena, john):
    assert periodic.check_ins_schedule() == 2

    check_in = N.objects.get(citizen=olena, kind=N.Kind.CHECK_IN)
    assert olena.reference in check_in.body and "Залишайтеся на місці" in check_in.body
    assert N.objects.get(citizen=john, kind=N.Kind.CHECK_IN).channel == "email"


def test_nobody_is_checked_in_twice_within_the_period(settings, olena):
    settings.EVAC_CHECK_IN_EVERY_DAYS = 2
    periodic.check_ins_schedule()
    assert periodic.check_ins_schedule() == 0

    N.objects.filter(citizen=olena).update(created_at=now() - timedelta(days=3))
    assert periodic.check_ins_schedule() == 1


def test_a_recent_message_of_any_kind_counts_as_keeping_in_touch(flight, olena, john):
    booking_create(flight=flight, citizen=olena, by=EVAC)
    from evac.flights.services import booking_cancel

    booking_cancel(booking=olena.bookings.get(), by=EVAC)  # waiting again; messages cancelled
    N.objects.filter(citizen=olena).update(status=N.Status.SENT, sent_at=now())

    assert periodic.check_ins_schedule() == 1
    assert N.objects.filter(kind=N.Kind.CHECK_IN).get().citizen == john


def test_people_who_are_booked_or_stay_get_no_check_in(operation, almaty, flight, olena):
    booking_create(flight=flight, citizen=olena, by=EVAC)
    stays = make_citizen(operation, almaty, phone="+77010000099")
    citizen_set_status(citizen=stays, status="decided_to_stay", by=EVAC)
    N.objects.all().delete()

    assert periodic.check_ins_schedule() == 0


def test_the_digest_goes_to_coordinators_and_officers_with_an_e_mail(
    operation, almaty, nqz, kbp, olena, john
):
    alice = make_member("alice", operation, Role.COORDINATOR)
    bob = make_member("bob", operation, Role.OFFICER)
    carol = make_member("carol", operation, Role.VIEWER)
    nobody = make_member("noemail", operation, Role.OFFICER)
    for user in (alice, bob, carol):
        user.email = f"{user.username}@mfa.example"
        user.save()
    soon = make_flight(operation, nqz, kbp, departs_at=now() + timedelta(hours=30))
    booking_create(flight=soon, citizen=john, by=EVAC)
    citizen_set_status(citizen=make_citizen(operation, almaty), status="unreachable", by=EVAC)

    assert periodic.staff_digests_schedule() == 2

    digests = N.objects.filter(kind=N.Kind.STAFF_DIGEST)
    assert {d.staff_user for d in digests} == {alice, bob}
    assert nobody not in {d.staff_user for d in digests}
    body = digests.first().body
    assert "Waiting for a seat: 1" in body and "- Almaty: 1" in body
    assert f"- {soon.number} NQZ-KBP" in body and "1 of 10 seats booked" in body
    assert "Unreachable: 1" in body
    assert periodic.staff_digests_schedule() == 2  # the same day's digests, not new ones
    assert digests.count() == 2
