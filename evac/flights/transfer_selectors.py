"""Reads about ground transfers that the staff pages and the API share."""

from django.db.models import QuerySet

from evac.flights.models import GroundTransfer, TransferSeat
from evac.flights.transfers import TRAVELLING
from evac.operations.models import Operation
from evac.people.models import Citizen

# The transfer page lists at most this many people who could still get on.
CANDIDATES_SHOWN = 200


def operation_transfers(operation: Operation) -> QuerySet[GroundTransfer]:
    return GroundTransfer.objects.filter(operation=operation).select_related("from_city", "to_city")


def transfer_manifest(transfer: GroundTransfer) -> list[TransferSeat]:
    """Everyone on the transfer, cancelled seats last."""
    seats = transfer.seats.select_related(
        "citizen", "citizen__household", "connects_to__flight"
    ).order_by("-is_active", "citizen__surname", "citizen__given_names", "pk")
    return sorted(seats, key=lambda s: s.status == TransferSeat.Status.CANCELLED)


def transfer_candidates(transfer: GroundTransfer) -> list[Citizen]:
    """People in the city the transfer leaves from who are still to be moved and hold no
    seat on it, households together."""
    return list(
        Citizen.objects.filter(
            operation_id=transfer.operation_id,
            current_city_id=transfer.from_city_id,
            status__in=TRAVELLING,
        )
        .exclude(transfer_seats__transfer=transfer, transfer_seats__is_active=True)
        .select_related("household")
        .order_by("household_id", "surname", "given_names", "pk")[:CANDIDATES_SHOWN]
    )
