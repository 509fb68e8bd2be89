"""The waiting list: the most vulnerable first, then the longest waiting, households as one."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evac.core.actor import EVAC
from evac.core.clock import now, today
from evac.flights.selectors import (
    waiting_units,
)
from evac.flights.services import booking_create
from evac.people.models import Citizen, years_before
from evac.people.queue import PRIORITY_OTHER, PRIORITY_URGENT, PRIORITY_VULNERABLE
from evac.people.services import citizen_set_status, household_register
from tests.factories import make_citizen, make_flight
from tests.flights.factories import bulk_waiting

pytestmark = pytest.mark.django_db


def _registered(operation, city, surname, *, days_ago, **fields):
    citizen = make_citizen(operation, city, surname=surname, **fields)
    Citizen.objects.filter(pk=citizen.pk).update(registered_at=now() - timedelta(days=days_ago))
    return citizen


def _family(operation, city, surname, *, days_ago, children=1):
    members = [
        {
            "surname": surname,
            "given_names": name,
            "date_of_birth": born,
            "sex": "F",
            "nationality": "UA",
            "document_type": Citizen.DocumentType.PASSPORT,
            "document_number": f"{surname[:2].upper()}{i:06d}",
            "current_city": city,
        }
        for i, (name, born) in enumerate(
            [("Iryna", date(1982, 6, 12))] + [("Sofiia", years_before(today(), 6))] * children
        )
    ]
    household = household_register(
        operation=operation, source="staff_intake", by=EVAC, members=members
    )
    household.members.update(registered_at=now() - timedelta(days=days_ago))
    return household


def waiting_list(operation, city=None):
    return waiting_units(operation, city=city, limit=10_000)


def _names(units):
    return [unit.members[0].surname for unit in units]


def test_the_most_vulnerable_come_first_then_the_longest_waiting(operation, almaty):
    _registered(operation, almaty, "Adult-old", days_ago=9)
    _registered(operation, almaty, "Adult-new", days_ago=1)
    _registered(operation, almaty, "Elderly", days_ago=2, date_of_birth=date(1940, 1, 1))
    _registered(operation, almaty, "Medical", days_ago=1, medical_need=True)
    _registered(operation, almaty, "Pregnant", days_ago=3, pregnant=True)

    units = waiting_list(operation)

    assert _names(units) == ["Pregnant", "Medical", "Elderly", "Adult-old", "Adult-new"]
    assert [u.priority for u in units] == [
        PRIORITY_URGENT,
        PRIORITY_URGENT,
        PRIORITY_VULNERABLE,
        PRIORITY_OTHER,
        PRIORITY_OTHER,
    ]


def test_a_household_is_one_unit_as_urgent_as_its_most_vulnerable_member(operation, almaty):
    _registered(operation, almaty, "Alone", days_ago=10)
    family = _family(operation, almaty, "Shevchenko", days_ago=1, children=2)
    Citizen.objects.filter(household=family, given_names="Iryna").update(
        registered_at=now() - timedelta(days=5)
    )

    first, second = waiting_list(operation)

    assert first.household_id == family.pk and first.size == 3
    assert first.priority == PRIORITY_VULNERABLE  # the children
    assert first.waiting_since == family.members.get(given_names="Iryna").registered_at
    assert first.key == f"household:{family.pk}"
    assert second.key == f"citizen:{second.members[0].pk}" and not second.is_household


def test_only_waiting_members_are_in_the_unit(operation, almaty):
    family = _family(operation, almaty, "Bondar", days_ago=1, children=2)
    mother = family.members.get(given_names="Iryna")
    citizen_set_status(citizen=mother, status=Citizen.Status.DECIDED_TO_STAY, by=EVAC)

    (unit,) = waiting_list(operation)

    assert unit.size == 2 and mother not in unit.members


def test_a_household_with_a_member_seated_elsewhere_is_marked(operation, almaty, nqz, kbp):
    family = _family(operation, almaty, "Kravets", days_ago=1)
    child = family.members.get(given_names="Sofiia")
    booking_create(
        flight=make_flight(operation, nqz, kbp),
        citizen=child,
        by=EVAC,
        unaccompanied_reason="flies ahead with her grandmother",
    )

    (unit,) = waiting_list(operation)

    assert not unit.can_be_booked
    assert unit.seated_elsewhere == (child,)


def test_the_list_can_keep_only_people_in_one_city(operation, almaty, nur_sultan):
    _registered(operation, almaty, "InAlmaty", days_ago=1)
    _registered(operation, nur_sultan, "InNurSultan", days_ago=2)

    assert _names(waiting_list(operation)) == ["InNurSultan", "InAlmaty"]
    assert _names(waiting_list(operation, city=almaty)) == ["InAlmaty"]


def test_other_operations_and_people_not_waiting_are_left_out(operation, other_operation, almaty):
    make_citizen(other_operation, almaty, surname="Elsewhere")
    staying = make_citizen(operation, almaty, surname="Staying")
    citizen_set_status(citizen=staying, status=Citizen.Status.DECIDED_TO_STAY, by=EVAC)

    assert waiting_list(operation) == []


def test_the_list_takes_the_same_queries_for_10_and_1000_people(operation, almaty):
    bulk_waiting(operation, almaty, 10)
    _family(operation, almaty, "Family", days_ago=1)
    with CaptureQueriesContext(connection) as ten:
        waiting_list(operation)

    bulk_waiting(operation, almaty, 990)
    with CaptureQueriesContext(connection) as thousand:
        units = waiting_list(operation)

    assert len(units) == 1001
    assert len(thousand) == len(ten) <= 2
