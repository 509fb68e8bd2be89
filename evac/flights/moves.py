"""Flights stranded by a suspended airport, and the one-click move to another airport."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from evac.flights.models import FLIGHTS_AHEAD_STATUSES, Flight
from evac.flights.services import flight_update
from evac.operations.access import Actor
from evac.operations.models import Operation
from evac.places.models import Airport


def flights_from_suspended_airports(operation: Operation) -> QuerySet[Flight]:
    """Flights still ahead whose departure airport has been suspended since they were planned."""
    return (
        Flight.objects.filter(
            operation=operation,
            status__in=FLIGHTS_AHEAD_STATUSES,
            departure_airport__status=Airport.Status.SUSPENDED,
        )
        .select_related("departure_airport__city", "arrival_airport__city")
        .order_by("departs_at", "pk")
    )


def flight_move_departure(*, flight: Flight, airport: Airport, by: Actor) -> Flight:
    """Let the flight leave from `airport`, an open one of the operation's country, instead.

    It is flight_update's change of departure airport, so the plan's rules apply (an open
    airport, not the arrival one) and everyone booked is told the new airport and times.
    """
    if airport.city.country != flight.operation.country:
        raise ValidationError(
            {"departure_airport": _("Choose an airport of the operation's country.")}
        )
    return flight_update(flight=flight, by=by, departure_airport=airport)
