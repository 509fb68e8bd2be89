"""Reads about places that the dashboard, the waiting list and the portal share."""

from django.db.models import QuerySet

from evac.places.models import Airport, City


def cities_needing_transfer() -> QuerySet[City]:
    """Cities with an airport, all of them suspended: people there must travel to another
    city's airport (Almaty in January 2022). A city with no airport at all is not counted:
    Evac does not know how people there travel."""
    return City.objects.filter(airports__status=Airport.Status.SUSPENDED).exclude(
        airports__status=Airport.Status.OPEN
    )
