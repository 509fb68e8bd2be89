"""The seat counters of flights and transfers, and the end of a seat offer's hold.

Every seat is taken through the one conditional UPDATE of claim_seats: a booking's and an
offer's hold on a flight (take_seats: a held seat is a taken seat), and a transfer seat
(take_transfer_seats). An offer ends through one conditional UPDATE from `offered`
(offer_claim), in the transaction that books or frees its seats, so whoever wins that UPDATE
acts and everyone else finds nothing to do: seats go back exactly once.
"""

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import formats
from django.utils.translation import gettext as _

from evac.core.actor import EVAC, CitizenActor, user_of
from evac.core.clock import now
from evac.core.errors import Conflict
from evac.core.history import record_by
from evac.flights import events
from evac.flights.models import Flight, GroundTransfer, SeatOffer
from evac.flights.queue import queue_offer_free_seats
from evac.operations.access import Actor


class FlightNotOpen(Conflict):
    pass


class FlightFull(Conflict):
    pass


class TransferNotOpen(Conflict):
    pass


class TransferFull(Conflict):
    pass


def claim_seats(rows: QuerySet, wanted: int) -> bool:
    """The one statement by which every seat is taken: add `wanted` to the counter of the
    row in `rows` (already narrowed to "open, still ahead") only while that many are left.
    False when somebody else was faster or the row no longer qualifies."""
    return bool(
        rows.filter(seats_booked__lte=F("seats_total") - wanted).update(
            seats_booked=F("seats_booked") + wanted
        )
    )


def take_seats(flight: Flight, wanted: int, *, at: datetime | None = None) -> None:
    """Take `wanted` seats on the flight's counter, for bookings or for an offer's hold.

    One statement that only succeeds while the flight is open, has enough seats left and
    its departure is still ahead. Zero rows updated means somebody else was faster, or the
    flight closed, or its time came. Raises FlightNotOpen or FlightFull.
    """
    open_ahead = Flight.objects.filter(
        pk=flight.pk, status=Flight.Status.OPEN, departs_at__gt=at or now()
    )
    if not claim_seats(open_ahead, wanted):
        flight.refresh_from_db()
        refuse_closed(flight, at=at)
        raise FlightFull(
            _("Flight %(number)s has %(left)d seats left; %(wanted)d are needed.")
            % {"number": flight.number, "left": flight.seats_left, "wanted": wanted}
        )


def refuse_closed(flight: Flight, *, at: datetime | None = None) -> None:
    """Say why a flight takes no bookings, if it doesn't: not open, or its time has passed."""
    if not flight.takes_bookings:
        raise FlightNotOpen(
            _("Flight %(number)s is not open for booking (it is %(status)s).")
            % {"number": flight.number, "status": flight.get_status_display().lower()}
        )
    if flight.departs_at <= (at or now()):
        raise FlightNotOpen(
            _(
                "Flight %(number)s was due to leave at %(time)s on %(date)s (local time); "
                "nobody can be booked on it any more. If it is delayed, change its departure "
                "time first."
            )
            % {
                "number": flight.number,
                "time": formats.time_format(flight.departs_local, "H:i"),
                "date": formats.date_format(flight.departs_local, "j M Y"),
            }
        )


def give_back_seats(flight_id: int, seats: int) -> None:
    """Free seats taken by take_seats: a cancelled booking's, an offer's hold that ended."""
    Flight.objects.filter(pk=flight_id).update(seats_booked=F("seats_booked") - seats)


def take_transfer_seats(
    transfer: GroundTransfer, wanted: int, *, at: datetime | None = None
) -> None:
    """As take_seats, on a transfer's counter: only while it is scheduled and ahead.
    Raises TransferNotOpen or TransferFull."""
    open_ahead = GroundTransfer.objects.filter(
        pk=transfer.pk, status=GroundTransfer.Status.SCHEDULED, departs_at__gt=at or now()
    )
    if claim_seats(open_ahead, wanted):
        return
    transfer.refresh_from_db()
    if not transfer.takes_bookings or transfer.departs_at <= (at or now()):
        raise TransferNotOpen(
            _("%(transfer)s takes no more passengers (it is %(status)s, leaving %(when)s).")
            % {
                "transfer": transfer,
                "status": transfer.get_status_display().lower(),
                "when": formats.date_format(transfer.departs_local, "j M Y H:i"),
            }
        )
    raise TransferFull(
        _("%(transfer)s has %(left)d seats left; %(wanted)d are needed.")
        % {"transfer": transfer, "left": transfer.seats_left, "wanted": wanted}
    )


def give_back_transfer_seats(transfer_id: int, seats: int) -> None:
    GroundTransfer.objects.filter(pk=transfer_id).update(seats_booked=F("seats_booked") - seats)


def transfer_seat_lost(seat, *, reason: str) -> None:
    """Tell the person their transfer seat is gone and why (a SeatLoss), in the transaction
    that ends it."""
    events.transfer_seat_released(seat=seat, reason=reason)


def seats_freed(flight_id: int) -> None:
    """Seats came free on this flight: once the transaction commits, a flight whose offers
    are automatic offers them to the waiting list (flights.tasks.offer_free_seats)."""
    transaction.on_commit(lambda: _offer_if_automatic(flight_id))


def _offer_if_automatic(flight_id: int) -> None:
    if Flight.objects.filter(
        pk=flight_id, status=Flight.Status.OPEN, offers=Flight.Offers.AUTOMATIC
    ).exists():
        queue_offer_free_seats(flight_id)


# How each end of an offer was reached, for SeatOffer.decided_via.
VIA_PORTAL = "portal"
VIA_STAFF = "staff"
VIA_EVAC = "evac"


def _via(by: Actor) -> str:
    if isinstance(by, CitizenActor):
        return VIA_PORTAL
    return VIA_EVAC if by is EVAC else VIA_STAFF


def offer_claim(offer: SeatOffer, *, status: str, by: Actor, only_due: bool = False) -> bool:
    """End the live offer with `status` in one conditional UPDATE; True if this call won.

    Accepting needs the deadline still ahead; `only_due` (the clock) needs it passed.
    """
    moment = now()
    live = SeatOffer.objects.filter(pk=offer.pk, status=SeatOffer.Status.OFFERED)
    if only_due:
        live = live.filter(expires_at__lte=moment)
    if status == SeatOffer.Status.ACCEPTED:
        live = live.filter(expires_at__gt=moment)
    claimed = live.update(
        status=status, decided_at=moment, decided_by=user_of(by), decided_via=_via(by)
    )
    if claimed:
        offer.refresh_from_db()
        record_by(offer, by).save()  # the change's row in the offer's history
    return bool(claimed)


def hold_ended(offer: SeatOffer) -> None:
    """An offer claimed as declined, expired or withdrawn: its seats go back, the person is
    told they stay on the waiting list, and an automatic flight offers the seats again."""
    holds_ended([offer])


def holds_ended(offers: Sequence[SeatOffer]) -> None:
    """As hold_ended, for offers of one flight claimed together."""
    if not offers:
        return
    (flight_id,) = {offer.flight_id for offer in offers}
    give_back_seats(flight_id, sum(offer.seats for offer in offers))
    events.seat_offers_ended(offers=offers)
    seats_freed(flight_id)


def withdraw_live_offers(flight: Flight, *, by: Actor) -> int:
    """Withdraw a flight's live offers (it stops taking bookings). The caller holds the
    flight's lock."""
    ended = 0
    for offer in flight.seat_offers.filter(status=SeatOffer.Status.OFFERED):
        if offer_claim(offer, status=SeatOffer.Status.WITHDRAWN, by=by):
            hold_ended(offer)
            ended += 1
    return ended
