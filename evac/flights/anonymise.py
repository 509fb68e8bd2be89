"""What of flights is personal, and its erasure when their operation is anonymised.

Flight notes and ground transfer descriptions (and their history) are emptied, since staff
write names there in a hurry ("stretcher for …"); nothing else about flights changes.
Bookings, seat offers and manifest export records hold ids, statuses and times only
(manifest files are made on request and never stored); the admin log's names of bookings go.
"""

from django.db import transaction

from evac.core.anonymise import admin_log_forget, admin_logged, declare, erased
from evac.flights.models import (
    Booking,
    Flight,
    GroundTransfer,
    ManifestExport,
    SeatOffer,
    TransferSeat,
)
from evac.operations.models import Operation

FIELDS = {
    Flight: declare(personal={"notes"}, kept={"number", "carrier", "kind", "status", "offers"}),
    Booking: declare(personal={"unaccompanied_reason"}, kept={"status"}),
    GroundTransfer: declare(
        personal={"description"},
        kept={"mode", "number", "operator", "meeting_point", "meeting_map_url", "status"},
    ),
    TransferSeat: declare(personal={"unaccompanied_reason"}, kept={"status", "lost_because"}),
    ManifestExport: declare(kept={"format"}),
    SeatOffer: declare(kept={"status", "decided_via"}),
}


def bookings_admin_log_forget(operation: Operation) -> None:
    """The names the admin log keeps of the operation's bookings ("SMITH John on PS9004"),
    including bookings deleted since (found in their history by flight)."""
    logged = admin_logged(Booking)
    if not logged:
        return
    flights = Flight.objects.filter(operation=operation).values("pk")
    ours = set(
        Booking.objects.filter(pk__in=logged, flight__operation_id=operation.pk).values_list(
            "pk", flat=True
        )
    )
    ours |= set(
        Booking.history.model.objects.filter(id__in=logged, flight_id__in=flights)
        .values_list("id", flat=True)
        .distinct()
    )
    admin_log_forget(Booking, ours)


def flights_free_text_erase(operation: Operation) -> None:
    """Flight notes, transfer descriptions and minors' escort notes, now and in history.

    They are about flights, but written in a hurry they name people ("stretcher for …"),
    and nothing counts them.
    """
    with transaction.atomic():
        # An escort's name in an unaccompanied minor's booking, now and in its history.
        flights = Flight.objects.filter(operation_id=operation.pk).values("pk")
        for rows in (Booking.objects, Booking.history.model.objects):
            rows.filter(flight_id__in=flights).exclude(unaccompanied_reason="").update(
                unaccompanied_reason=""
            )
        transfers = GroundTransfer.objects.filter(operation_id=operation.pk).values("pk")
        for rows in (TransferSeat.objects, TransferSeat.history.model.objects):
            rows.filter(transfer_id__in=transfers).exclude(unaccompanied_reason="").update(
                unaccompanied_reason=""
            )
        for model in (Flight, GroundTransfer):
            for name in sorted(FIELDS[model].personal):
                empty = erased(model, name)
                for rows in (model.objects, model.history.model.objects):
                    rows.filter(operation_id=operation.pk).exclude(**{name: empty}).update(
                        **{name: empty}
                    )
