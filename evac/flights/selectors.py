"""Reads of flights and manifests, scoped to the reader."""

from django.db.models import Count, Q, QuerySet

from evac.core.clock import now
from evac.flights.models import Booking, Flight
from evac.operations.access import Actor, operations_visible_to
from evac.operations.models import Operation


def flights_visible_to(user: Actor) -> QuerySet[Flight]:
    return Flight.objects.filter(operation__in=operations_visible_to(user)).select_related(
        "departure_airport__city", "arrival_airport__city"
    )


def upcoming_flights(operation: Operation) -> QuerySet[Flight]:
    return (
        operation.flights.filter(departs_at__gte=now())
        .exclude(status=Flight.Status.CANCELLED)
        .select_related("departure_airport__city", "arrival_airport__city")
    )


def manifest(flight: Flight) -> QuerySet[Booking]:
    """A flight's passengers, cancelled seats last, in the carrier's alphabetical order."""
    return (
        flight.bookings.select_related("citizen")
        .annotate(is_cancelled=Q(status=Booking.Status.CANCELLED))
        .order_by("is_cancelled", "citizen__surname", "citizen__given_names", "pk")
    )


def boarded_count(flight: Flight) -> int:
    return flight.bookings.filter(status=Booking.Status.BOARDED).count()


def booking_counts(flight: Flight) -> dict[str, int]:
    counts = dict.fromkeys(Booking.Status.values, 0)
    for row in flight.bookings.values("status").annotate(n=Count("pk")).order_by():
        counts[row["status"]] = row["n"]
    return counts
