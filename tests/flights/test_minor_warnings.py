"""Households whose children have no adult of theirs to travel with show as warnings on the
dashboard and the waiting list, and the seats given to a child without one are counted."""

from datetime import date

import pytest
from django.urls import reverse

from evac.core.actor import EVAC
from evac.flights.minors_kept import households_with_minors_alone, minor_warnings
from evac.flights.services import booking_create
from evac.people.models import Citizen
from evac.people.services import citizen_set_status, household_register

pytestmark = pytest.mark.django_db


def _family(operation, city, *births: str, surname: str = "Shevchuk") -> list[Citizen]:
    """A household: a parent born in 1980, then children born on `births`."""
    members = [
        {
            "surname": surname,
            "given_names": name,
            "date_of_birth": date.fromisoformat(born),
            "sex": "M",
            "nationality": "UA",
            "document_type": Citizen.DocumentType.PASSPORT,
            "document_number": f"{surname[:2].upper()}{i:06d}",
            "current_city": city,
        }
        for i, (name, born) in enumerate(
            [("Taras", "1980-02-01"), *((f"Child{n}", b) for n, b in enumerate(births))]
        )
    ]
    household = household_register(
        operation=operation, source=Citizen.Source.STAFF_INTAKE, by=EVAC, members=members
    )
    return list(household.members.order_by("pk"))


def _alone(operation) -> dict[int, list[Citizen]]:
    return {f.household.pk: f.minors for f in households_with_minors_alone(operation)}


def test_a_waiting_family_with_its_adult_raises_no_warning(operation, almaty):
    _family(operation, almaty, "2016-04-05")

    assert _alone(operation) == {}


@pytest.mark.parametrize(
    "status", [Citizen.Status.DECIDED_TO_STAY, Citizen.Status.LEFT_BY_OWN_MEANS]
)
def test_an_adult_who_stays_or_leaves_leaves_the_children_alone(operation, almaty, alice, status):
    parent, child = _family(operation, almaty, "2016-04-05")

    citizen_set_status(citizen=parent, status=status, by=alice)

    assert _alone(operation) == {parent.household_id: [child]}


def test_an_adult_booked_away_leaves_the_waiting_children_alone(operation, almaty, flight, alice):
    parent, child = _family(operation, almaty, "2016-04-05")
    booking_create(flight=flight, citizen=parent, by=alice)

    assert _alone(operation) == {parent.household_id: [child]}


def test_a_child_given_a_seat_on_a_reason_is_counted_as_an_override_not_a_warning(
    operation, almaty, flight, alice
):
    parent, child = _family(operation, almaty, "2016-04-05")
    citizen_set_status(citizen=parent, status=Citizen.Status.DECIDED_TO_STAY, by=alice)

    booking_create(flight=flight, citizen=child, by=alice, unaccompanied_reason="with grandmother")

    assert _alone(operation) == {}
    assert minor_warnings(operation).overrides == 1


def test_the_dashboard_counts_both_and_links_to_the_list(
    client, operation, almaty, flight, alice, carol
):
    parent, child = _family(operation, almaty, "2016-04-05")
    citizen_set_status(citizen=parent, status=Citizen.Status.DECIDED_TO_STAY, by=alice)
    other, other_child = _family(operation, almaty, "2015-01-01", surname="Lysenko")
    citizen_set_status(citizen=other, status=Citizen.Status.DECIDED_TO_STAY, by=alice)
    booking_create(flight=flight, citizen=other_child, by=alice, unaccompanied_reason="escorted")
    client.force_login(carol)

    page = client.get(reverse("operations:dashboard", args=[operation.slug])).content.decode()

    listed = reverse("flights:minors", args=[operation.slug])
    assert 'data-households-alone="1" data-minor-overrides="1"' in page
    assert f'href="{listed}#households"' in page and f'href="{listed}#overrides"' in page
    shown = client.get(listed).content.decode()
    assert str(child) in shown and "escorted" in shown and str(other_child) in shown


def test_the_waiting_list_warns_of_the_children_left_alone(
    client, operation, almaty, flight, alice
):
    parent, child = _family(operation, almaty, "2016-04-05")
    citizen_set_status(citizen=parent, status=Citizen.Status.LEFT_BY_OWN_MEANS, by=alice)
    client.force_login(alice)

    page = client.get(reverse("flights:add_passengers", args=[operation.slug, flight.pk]))

    assert [f.minors for f in page.context["households_alone"]] == [[child]]
    assert 'data-households-alone="1"' in page.content.decode()


def test_the_warnings_read_the_same_queries_however_many_families_hold_seats(
    operation, almaty, nqz, kbp, alice
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_flight

    # An airport without a time zone of its own reads its city's: read with the seats.
    nqz.time_zone = None
    nqz.save()
    flight = make_flight(operation, nqz, kbp)

    def queries_with(families: int) -> int:
        for n in range(families):
            for member in _family(operation, almaty, "2016-04-05", surname=f"Family{n}x"):
                booking_create(flight=flight, citizen=member, by=alice)
        with CaptureQueriesContext(connection) as read:
            households_with_minors_alone(operation)
        return len(read)

    assert queries_with(1) == queries_with(3)
