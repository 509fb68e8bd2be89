"""Reads of people that pages, the API and tasks share; all scoped to the reader."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from evac.operations.access import Actor, operations_visible_to
from evac.operations.models import Operation
from evac.people.models import Citizen, CitizenQuerySet
from evac.places.models import City


def citizens_visible_to(user: Actor) -> CitizenQuerySet:
    return Citizen.objects.filter(operation__in=operations_visible_to(user))


def waiting_in(*, operation: Operation, city: City) -> QuerySet[Citizen]:
    return operation.citizens.filter(status=Citizen.Status.WAITING, current_city=city)


@dataclass(frozen=True)
class WaitingInCity:
    city: City
    waiting: int
    vulnerable: int


def waiting_by_city(operation: Operation) -> list[WaitingInCity]:
    """Who is still waiting, where: one query whatever the number of people."""
    vulnerable_ids = Citizen.objects.vulnerable().values("pk")
    rows = (
        operation.citizens.filter(status=Citizen.Status.WAITING)
        .values("current_city")
        .annotate(
            waiting=Count("pk"),
            vulnerable=Count("pk", filter=Q(pk__in=vulnerable_ids)),
        )
        .order_by("-waiting")
    )
    cities = City.objects.in_bulk([row["current_city"] for row in rows])
    return [
        WaitingInCity(cities[row["current_city"]], row["waiting"], row["vulnerable"])
        for row in rows
    ]


def status_counts(operation: Operation) -> dict[str, int]:
    counts = dict.fromkeys(Citizen.Status.values, 0)
    for row in operation.citizens.values("status").annotate(n=Count("pk")).order_by():
        counts[row["status"]] = row["n"]
    return counts
