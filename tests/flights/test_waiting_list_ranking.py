"""The database ranks the waiting list exactly as a plain reading of the rule in Python does.

The reference below is the rule written the obvious way (every waiting person loaded,
households grouped, sorted in Python). Random operations — households, ages a day either
side of the minor and elderly thresholds, urgent needs, registrations at the same moment,
two cities, members seated elsewhere or no longer waiting — must come out the same from
the list, its totals, a walk down it in small reads and the count of who is ahead.
"""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from django.conf import settings

from evac.core.clock import now, today
from evac.flights.selectors import (
    WaitingTotals,
    WaitingUnit,
    waiting_ahead,
    waiting_totals,
    waiting_units,
    waiting_units_in_turn,
)
from evac.operations.models import Operation
from evac.people.models import Citizen, Household, years_before
from evac.people.queue import PRIORITY_OTHER, PRIORITY_URGENT, PRIORITY_VULNERABLE, rebuild
from evac.places.models import City

pytestmark = pytest.mark.django_db

EVERYONE = 100_000  # a limit no test list reaches


# The reference: the rule as plain Python ---------------------------------------------


@dataclass(frozen=True)
class Unit:
    """What must agree: who, in what order, how urgent, since when, seated elsewhere."""

    key: str
    priority: int
    waiting_since: datetime
    members: tuple[int, ...]
    seated_elsewhere: tuple[int, ...]


def reference_priority(citizen: Citizen, day: date) -> int:
    if citizen.medical_need or citizen.reduced_mobility or citizen.pregnant:
        return PRIORITY_URGENT
    age = citizen.age_on(day)
    if age < settings.EVAC_MINOR_UNDER_AGE or age >= settings.EVAC_ELDERLY_FROM_AGE:
        return PRIORITY_VULNERABLE
    return PRIORITY_OTHER


def reference_list(operation: Operation, city: City | None = None) -> list[Unit]:
    day = today()
    waiting = operation.citizens.filter(status=Citizen.Status.WAITING)
    singles, households = [], defaultdict(list)
    for citizen in waiting.order_by("registered_at", "pk"):
        if citizen.household_id is None:
            singles.append([citizen])
        else:
            households[citizen.household_id].append(citizen)
    seated = defaultdict(list)
    for citizen in operation.citizens.filter(
        status=Citizen.Status.BOOKED, household_id__in=list(households)
    ).order_by("pk"):
        seated[citizen.household_id].append(citizen.pk)

    units = []
    for members in [*singles, *households.values()]:
        household = members[0].household_id
        if city is not None and not any(m.current_city_id == city.pk for m in members):
            continue
        units.append(
            Unit(
                key=f"household:{household}" if household else f"citizen:{members[0].pk}",
                priority=max(reference_priority(m, day) for m in members),
                waiting_since=min(m.registered_at for m in members),
                members=tuple(m.pk for m in members),
                seated_elsewhere=tuple(seated.get(household, ())),
            )
        )
    units.sort(key=lambda unit: (-unit.priority, unit.waiting_since, unit.members[0]))
    return units


def shape(units: list[WaitingUnit]) -> list[Unit]:
    return [
        Unit(
            key=unit.key,
            priority=unit.priority,
            waiting_since=unit.waiting_since,
            members=tuple(m.pk for m in unit.members),
            seated_elsewhere=tuple(m.pk for m in unit.seated_elsewhere),
        )
        for unit in units
    ]


# Random operations ---------------------------------------------------------------------


def _birth_dates() -> list[date]:
    """Dates of birth a day either side of each threshold, and plainly inside each tier."""
    day = today()
    minor_until = years_before(day, settings.EVAC_MINOR_UNDER_AGE)
    elderly_from = years_before(day, settings.EVAC_ELDERLY_FROM_AGE)
    around = [
        d + timedelta(days=shift) for d in (minor_until, elderly_from) for shift in (-1, 0, 1)
    ]
    return [*around, years_before(day, 4), years_before(day, 40), years_before(day, 80)]


def random_operation(
    rng: random.Random, operation: Operation, cities: list[City], people: int
) -> None:
    """`people` citizens, about half of them in households, in bulk.

    Registration times are drawn from a few moments, so units tie on them often, and a
    household's first to register is often not its smallest pk.
    """
    births = _birth_dates()
    moments = [now() - timedelta(hours=hours) for hours in range(8)]  # many ties
    statuses = [Citizen.Status.WAITING] * 6 + [Citizen.Status.BOOKED, Citizen.Status.UNREACHABLE]
    households = Household.objects.bulk_create(
        Household(operation=operation) for _ in range(people // 6 + 1)
    )
    Citizen.objects.bulk_create(
        Citizen(
            operation=operation,
            household=rng.choice(households) if rng.random() < 0.5 else None,
            surname=f"Random{i:04d}",
            given_names="Iryna",
            date_of_birth=rng.choice(births),
            sex=Citizen.Sex.FEMALE,
            nationality="UA",
            document_type=Citizen.DocumentType.PASSPORT,
            document_number=f"RN{operation.pk}{i:06d}",
            current_city=rng.choice(cities),
            medical_need=rng.random() < 0.08,
            reduced_mobility=rng.random() < 0.05,
            pregnant=rng.random() < 0.05,
            status=rng.choice(statuses),
            source=Citizen.Source.IMPORT,
            registered_at=rng.choice(moments),
        )
        for i in range(people)
    )
    rebuild(operation.pk)  # a bulk load saves nobody: the standing is written after it


def assert_database_ranks_like_the_reference(operation: Operation, cities: list[City]) -> None:
    for city in [None, *cities]:
        expected = reference_list(operation, city)
        assert len(expected) > 5  # the data are not degenerate

        assert shape(waiting_units(operation, city=city, limit=EVERYONE)) == expected
        assert shape(waiting_units(operation, city=city, limit=5)) == expected[:5]
        walked = waiting_units_in_turn(operation, city=city, reads=3)
        assert shape(list(walked)) == expected
        assert waiting_totals(operation, city=city) == WaitingTotals(
            units=len(expected), people=sum(len(unit.members) for unit in expected)
        )

    # Who is ahead ignores cities: every waiting person is counted.
    everyone = reference_list(operation)
    people_ahead = 0
    for place, unit in enumerate(everyone):
        for pk in unit.members:
            citizen = Citizen.objects.get(pk=pk)
            assert waiting_ahead(citizen) == WaitingTotals(units=place, people=people_ahead)
        people_ahead += len(unit.members)
    not_waiting = operation.citizens.exclude(status=Citizen.Status.WAITING).first()
    assert waiting_ahead(not_waiting) is None


@pytest.mark.parametrize("seed", range(4))
def test_the_database_ranks_as_the_reference_does(
    seed, operation, other_operation, almaty, nur_sultan
):
    rng = random.Random(seed)
    random_operation(rng, operation, [almaty, nur_sultan], people=90)
    random_operation(rng, other_operation, [almaty], people=20)  # must stay out

    assert_database_ranks_like_the_reference(operation, [almaty, nur_sultan])


@pytest.mark.postgres
def test_postgresql_ranks_a_larger_list_as_the_reference_does(
    operation, other_operation, almaty, nur_sultan
):
    rng = random.Random(2022)
    random_operation(rng, operation, [almaty, nur_sultan], people=400)
    random_operation(rng, other_operation, [almaty], people=50)

    assert_database_ranks_like_the_reference(operation, [almaty, nur_sultan])
