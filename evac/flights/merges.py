"""What a merge of two records of one person does to seats, offers and transfer seats.

Registered with people.merges (FlightsConfig.ready). The flights' rule: a person holds at
most one seat and one live offer, so two records that each hold one are not merged; staff
cancel one first (which frees its seat through booking_cancel, with the counters right).
A seat that moves keeps its place on the counter: it is the same seat, for the same person.
"""

from django.utils.translation import gettext as _

from evac.flights import minors_kept
from evac.flights.models import Booking, SeatOffer, TransferSeat
from evac.people.merges import MergeRefused, MergeStep
from evac.people.models import Citizen


def _check(kept: Citizen, dropped: Citizen) -> None:
    seats = list(
        Booking.objects.filter(citizen__in=[kept, dropped], is_active=True).select_related("flight")
    )
    if len(seats) > 1:
        raise MergeRefused(
            _(
                "Both records hold a seat (%(flights)s). A person holds one seat: cancel one "
                "of them before merging."
            )
            % {"flights": ", ".join(sorted(seat.flight.record_label for seat in seats))}
        )
    offers = SeatOffer.objects.filter(
        citizen__in=[kept, dropped], status=SeatOffer.Status.OFFERED
    ).count()
    if offers > 1:
        raise MergeRefused(
            _("Both records have a seat offer open: let one be answered or withdrawn first.")
        )
    legs = TransferSeat.objects.filter(citizen__in=[kept, dropped], is_active=True)
    transfer_ids = list(legs.values_list("transfer_id", flat=True))
    if len(transfer_ids) != len(set(transfer_ids)):
        raise MergeRefused(
            _(
                "Both records hold a seat on the same transfer. A person holds one seat: "
                "cancel one of them before merging."
            )
        )


def _move_m2m(through, owner: str, kept: Citizen, dropped: Citizen) -> dict:
    """Move `dropped`'s rows of a many-to-many table to `kept`; where `kept` is already on
    the same offer, the duplicate row goes (and comes back on undo)."""
    rows = through.objects.filter(citizen=dropped)
    already = set(through.objects.filter(citizen=kept).values_list(f"{owner}_id", flat=True))
    owners = list(rows.values_list(f"{owner}_id", flat=True))
    rows.filter(**{f"{owner}_id__in": already}).delete()
    rows.update(citizen=kept)
    return {
        "moved": [o for o in owners if o not in already],
        "removed": [o for o in owners if o in already],
    }


def _move_back_m2m(through, owner: str, kept: Citizen, dropped: Citizen, data: dict) -> None:
    through.objects.filter(citizen=kept, **{f"{owner}_id__in": data.get("moved", [])}).update(
        citizen=dropped
    )
    through.objects.bulk_create(
        [through(citizen=dropped, **{f"{owner}_id": o}) for o in data.get("removed", [])],
        ignore_conflicts=True,
    )


def _move(kept: Citizen, dropped: Citizen) -> dict:
    bookings = list(Booking.objects.filter(citizen=dropped).values_list("pk", flat=True))
    Booking.objects.filter(pk__in=bookings).update(citizen=kept)
    offers = list(SeatOffer.objects.filter(citizen=dropped).values_list("pk", flat=True))
    SeatOffer.objects.filter(pk__in=offers).update(citizen=kept)
    legs = list(TransferSeat.objects.filter(citizen=dropped).values_list("pk", flat=True))
    TransferSeat.objects.filter(pk__in=legs).update(citizen=kept)
    active = Booking.objects.filter(citizen=kept, is_active=True).values_list("pk", flat=True)
    minors_kept.refresh_citizens([kept.pk, dropped.pk])  # seats moved past their saves
    return {
        "bookings": bookings,
        "offers": offers,
        "offer_people": _move_m2m(SeatOffer.people.through, "seatoffer", kept, dropped),
        "transfer_seats": legs,
        "active": sorted(active),
    }


def _check_undo(kept: Citizen, data: dict) -> None:
    active = sorted(
        Booking.objects.filter(citizen=kept, is_active=True).values_list("pk", flat=True)
    )
    if active != data.get("active", []):
        raise MergeRefused(
            _(
                "The person's seat changed after the merge: the records can't be split back "
                "as they were. Cancel or rebook the seat first, or leave the merge."
            )
        )


def _undo(kept: Citizen, dropped: Citizen, data: dict) -> None:
    Booking.objects.filter(pk__in=data.get("bookings", [])).update(citizen=dropped)
    SeatOffer.objects.filter(pk__in=data.get("offers", [])).update(citizen=dropped)
    _move_back_m2m(SeatOffer.people.through, "seatoffer", kept, dropped, data["offer_people"])
    TransferSeat.objects.filter(pk__in=data.get("transfer_seats", [])).update(citizen=dropped)
    minors_kept.refresh_citizens([kept.pk, dropped.pk])  # seats moved past their saves


STEP = MergeStep(app="flights", check=_check, move=_move, check_undo=_check_undo, undo=_undo)
