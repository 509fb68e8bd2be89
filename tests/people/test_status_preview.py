"""What a status decision would do is said by the service, and the page shows just that."""

from datetime import date

import pytest
from django.urls import reverse

from evac.core.actor import EVAC
from evac.flights.models import Booking
from evac.flights.services import booking_create, household_book
from evac.people.models import Citizen
from evac.people.services import citizen_status_preview, household_register

pytestmark = pytest.mark.django_db


def _family(operation, city, *births: str) -> list[Citizen]:
    """A household: a parent born in 1980, then children born on `births`."""
    members = [
        {
            "surname": "Melnyk",
            "given_names": name,
            "date_of_birth": date.fromisoformat(born),
            "sex": "F",
            "nationality": "UA",
            "document_type": Citizen.DocumentType.PASSPORT,
            "document_number": f"MP{i:06d}",
            "current_city": city,
        }
        for i, (name, born) in enumerate(
            [("Iryna", "1980-02-01"), *((f"Child{n}", b) for n, b in enumerate(births))]
        )
    ]
    household = household_register(
        operation=operation, source=Citizen.Source.STAFF_INTAKE, by=EVAC, members=members
    )
    return list(household.members.order_by("pk"))


def status_url(operation, citizen) -> str:
    return reverse("people:status", args=[operation.slug, citizen.reference_code])


def test_an_adult_who_stays_leaves_the_waiting_children_without_an_adult(operation, almaty, alice):
    parent, child = _family(operation, almaty, "2016-04-05")

    preview = citizen_status_preview(
        citizen=parent, status=Citizen.Status.DECIDED_TO_STAY, by=alice
    )

    assert not preview.refusal and not preview.needs_reason
    assert any(
        str(child) in s and "no adult of the household left" in s for s in preview.consequences
    )


def test_a_second_waiting_adult_keeps_the_children_accompanied(operation, almaty, alice):
    parent, child, _grown_up = _family(operation, almaty, "2016-04-05", "2000-01-01")

    preview = citizen_status_preview(
        citizen=parent, status=Citizen.Status.LEFT_BY_OWN_MEANS, by=alice
    )

    assert not any(str(child) in s for s in preview.consequences)
    assert any("keep their own status" in s for s in preview.consequences)


def test_the_adult_of_children_on_board_needs_a_reason_to_leave(operation, almaty, flight, alice):
    parent, child = _family(operation, almaty, "2016-04-05")
    household_book(flight=flight, household=parent.household, by=alice)

    preview = citizen_status_preview(citizen=parent, status=Citizen.Status.UNREACHABLE, by=alice)

    assert preview.needs_reason and list(preview.minors_left_on_board) == [child]
    assert any(
        str(child) in s and flight.number in s and "without an adult" in s
        for s in preview.consequences
    )


def test_an_officer_sees_the_services_refusal_for_a_booked_person(
    operation, almaty, flight, alice, bob
):
    (parent,) = _family(operation, almaty)
    booking_create(flight=flight, citizen=parent, by=alice)
    parent.refresh_from_db()

    preview = citizen_status_preview(citizen=parent, status=Citizen.Status.DECIDED_TO_STAY, by=bob)

    assert preview.refusal and "only a coordinator may cancel a seat" in preview.refusal
    assert preview.consequences == ()


def test_the_page_shows_exactly_what_the_service_computes(client, operation, almaty, flight, alice):
    parent, _child = _family(operation, almaty, "2016-04-05")
    household_book(flight=flight, household=parent.household, by=alice)
    client.force_login(alice)

    page = client.get(status_url(operation, parent), {"status": "decided_to_stay"})

    expected = citizen_status_preview(
        citizen=parent, status=Citizen.Status.DECIDED_TO_STAY, by=alice
    )
    assert page.context["preview"] == expected
    shown = page.content.decode()
    for sentence in expected.consequences:
        assert f"<li>{sentence}</li>".replace("'", "&#x27;") in shown
    assert 'name="unaccompanied_reason"' in shown


def test_confirming_without_the_reason_keeps_the_page_and_the_seat(
    client, operation, almaty, flight, alice
):
    parent, _child = _family(operation, almaty, "2016-04-05")
    household_book(flight=flight, household=parent.household, by=alice)
    client.force_login(alice)

    page = client.post(status_url(operation, parent), {"status": "decided_to_stay"})

    assert page.status_code == 200
    assert "without an adult of their household" in page.content.decode()
    assert Booking.objects.get(citizen=parent).is_active


def test_confirming_with_the_reason_frees_the_seat_and_writes_the_reason(
    client, operation, almaty, flight, alice
):
    parent, child = _family(operation, almaty, "2016-04-05")
    household_book(flight=flight, household=parent.household, by=alice)
    client.force_login(alice)

    page = client.post(
        status_url(operation, parent),
        {"status": "decided_to_stay", "unaccompanied_reason": "travels with grandmother"},
    )

    assert page.status_code == 302
    parent.refresh_from_db()
    assert parent.status == Citizen.Status.DECIDED_TO_STAY
    seat = Booking.objects.get(citizen=child, is_active=True)
    assert seat.unaccompanied_reason == "travels with grandmother"


def test_a_page_never_says_a_refusal_of_its_own(client, operation, almaty, flight, alice, bob):
    (parent,) = _family(operation, almaty)
    booking_create(flight=flight, citizen=parent, by=alice)
    parent.refresh_from_db()
    client.force_login(bob)

    page = client.get(status_url(operation, parent), {"status": "decided_to_stay"}, follow=True)

    expected = citizen_status_preview(
        citizen=parent, status=Citizen.Status.DECIDED_TO_STAY, by=bob
    ).refusal
    assert [str(m) for m in page.context["messages"]] == [expected]
