"""A member of one operation can't read or change another operation's people or flights."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied

from evac.cockpit.selectors import operation_overviews
from evac.core.actor import EVAC
from evac.flights.models import Booking
from evac.flights.services import (
    booking_cancel,
    booking_create,
    booking_set_status,
    flight_create,
    flight_set_status,
    flight_update,
    household_book,
)
from evac.operations.access import Permission, operation_access, operations_visible_to
from evac.operations.models import Role
from evac.people.models import Citizen, ContactLogEntry
from evac.people.services import (
    citizen_register,
    citizen_set_status,
    citizen_update,
    contact_log_add,
    household_register,
)
from tests.factories import make_citizen

pytestmark = pytest.mark.django_db


@pytest.fixture
def ours(operation, almaty, flight, alice):
    olena = make_citizen(operation, almaty, surname="Bondarenko")
    booking = booking_create(flight=flight, citizen=make_citizen(operation, almaty), by=alice)
    return olena, booking


def test_a_member_sees_only_their_operations(ours, dave, carol, operation, other_operation):
    assert list(operations_visible_to(dave)) == [other_operation]
    assert [o.operation for o in operation_overviews(operations_visible_to(dave))] == [
        other_operation
    ]
    assert operation_access(dave, operation.slug) is None
    # ...while a viewer of ours sees ours, as a viewer.
    access = operation_access(carol, operation.slug)
    assert (access.operation, access.role) == (operation, Role.VIEWER)
    assert Permission.EDIT_CITIZENS not in access.permissions


def test_anonymous_visitors_see_nothing(ours, operation):
    nobody = AnonymousUser()
    assert not operations_visible_to(nobody).exists()
    assert operation_access(nobody, operation.slug) is None
    assert operation_overviews(operations_visible_to(nobody)) == []


def test_a_superuser_sees_every_operation(ours, operation, other_operation):
    root = User.objects.create_superuser("root", password="x" * 12)
    assert set(operations_visible_to(root)) == {operation, other_operation}


def test_every_service_refuses_a_member_of_another_operation(ours, operation, almaty, flight, dave):
    olena, booking = ours
    person = {
        "surname": "Melnyk",
        "given_names": "Ivan",
        "date_of_birth": date(1970, 1, 1),
        "sex": "M",
        "nationality": "UA",
        "document_type": "passport",
        "document_number": "FM000001",
        "current_city": almaty,
    }
    attempts = {
        "citizen_register": lambda: citizen_register(
            operation=operation, source="staff_intake", by=dave, **person
        ),
        "household_register": lambda: household_register(
            operation=operation, source="staff_intake", by=dave, members=[person]
        ),
        "citizen_update": lambda: citizen_update(citizen=olena, notes="x", by=dave),
        "citizen_set_status": lambda: citizen_set_status(
            citizen=olena, status=Citizen.Status.DECIDED_TO_STAY, by=dave
        ),
        "contact_log_add": lambda: contact_log_add(
            citizen=olena, channel="phone", direction="outbound", outcome="reached", by=dave
        ),
        "booking_create": lambda: booking_create(flight=flight, citizen=olena, by=dave),
        "household_book": lambda: household_book(
            flight=flight,
            household=household_register(
                operation=operation, source="staff_intake", by=EVAC, members=[person]
            ),
            by=dave,
        ),
        "booking_cancel": lambda: booking_cancel(booking=booking, by=dave),
        "booking_set_status": lambda: booking_set_status(
            booking=booking, status=Booking.Status.CONFIRMED, by=dave
        ),
        "flight_create": lambda: flight_create(
            operation=operation,
            by=dave,
            number="X1",
            carrier="X",
            departure_airport=flight.departure_airport,
            arrival_airport=flight.arrival_airport,
            departs_at=flight.departs_at,
            arrives_at=flight.arrives_at,
            seats_total=1,
        ),
        "flight_update": lambda: flight_update(flight=flight, notes="x", by=dave),
        "flight_set_status": lambda: flight_set_status(flight=flight, status="cancelled", by=dave),
    }

    let_through = []
    for name, attempt in attempts.items():
        try:
            attempt()
            let_through.append(name)
        except PermissionDenied:
            pass

    assert let_through == []
    olena.refresh_from_db()
    booking.refresh_from_db()
    assert olena.status == Citizen.Status.WAITING and olena.notes == ""
    assert booking.status == Booking.Status.BOOKED
    assert not ContactLogEntry.objects.exists()
    assert Citizen.objects.filter(surname="Melnyk").count() == 1  # only the system's own


def test_the_staff_page_needs_a_login(client, ours):
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_staff_page_shows_only_the_members_operations(client, ours, dave, carol):
    # Each has one operation, so /staff/ leads straight to its dashboard.
    client.force_login(dave)
    page = client.get("/staff/", follow=True).content.decode()
    assert "Sudan, April 2023" in page and "Kazakhstan" not in page

    client.force_login(carol)
    page = client.get("/staff/", follow=True).content.decode()
    assert "Kazakhstan" in page and "Sudan" not in page
