"""Reads of messages that the pages, the services and the tasks share."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import QuerySet

from evac.core.clock import now
from evac.flights.models import Flight
from evac.notifications.models import Notification
from evac.operations.models import Operation
from evac.people.models import Citizen, CitizenQuerySet
from evac.people.selectors import WaitingInCity, people_counts
from evac.places.models import City

# How many of a person's or a flight's messages their page shows; the outbox has the rest.
MESSAGES_SHOWN = 20


def outbox(
    operation: Operation,
    *,
    status: str = "",
    channel: str = "",
    kind: str = "",
    flight_id: int | None = None,
) -> QuerySet[Notification]:
    """An operation's messages, latest due first, narrowed by whichever filters are given."""
    messages = operation.notifications.select_related("citizen", "staff_user", "flight").defer(
        "body", "citizen__notes", "citizen__medical_details", "citizen__temporary_address"
    )
    if status:
        messages = messages.filter(status=status)
    if channel:
        messages = messages.filter(channel=channel)
    if kind:
        messages = messages.filter(kind=kind)
    if flight_id:
        messages = messages.filter(flight_id=flight_id)
    return messages.order_by("-due_at", "-pk")


def citizen_messages(citizen: Citizen, limit: int = MESSAGES_SHOWN) -> list[Notification]:
    return list(citizen.notifications.select_related("flight").order_by("-due_at", "-pk")[:limit])


def flight_messages(flight: Flight, limit: int = MESSAGES_SHOWN) -> list[Notification]:
    return list(flight.notifications.select_related("citizen").order_by("-due_at", "-pk")[:limit])


def broadcast_audience(
    operation: Operation, *, flight: Flight | None = None, city: City | None = None
) -> CitizenQuerySet:
    """Everyone holding a seat on `flight`, or everyone waiting in `city`."""
    if (flight is None) == (city is None):
        raise ValueError("a broadcast goes to one flight's passengers or one city's waiting")
    people = operation.citizens.select_related("operation", "current_city")
    if flight is not None:
        return people.filter(bookings__flight=flight, bookings__is_active=True).order_by("pk")
    return people.filter(status=Citizen.Status.WAITING, current_city=city).order_by("pk")


@dataclass(frozen=True)
class Digest:
    operation: Operation
    waiting: list[WaitingInCity]
    waiting_total: int
    flights: list[Flight]
    unreachable: int


DIGEST_FLIGHTS_AHEAD = timedelta(hours=48)


def staff_digest(operation: Operation) -> Digest:
    """The day's picture for staff: who waits where, what flies soon, whom we can't reach."""
    people = people_counts(operation)
    moment = now()
    flights = list(
        operation.flights.filter(
            departs_at__gte=moment, departs_at__lt=moment + DIGEST_FLIGHTS_AHEAD
        )
        .exclude(status=Flight.Status.CANCELLED)
        .select_related("departure_airport__city", "arrival_airport__city")
        .order_by("departs_at")
    )
    return Digest(
        operation=operation,
        waiting=people.waiting_by_city,
        waiting_total=people.by_status[Citizen.Status.WAITING],
        flights=flights,
        unreachable=people.by_status[Citizen.Status.UNREACHABLE],
    )
