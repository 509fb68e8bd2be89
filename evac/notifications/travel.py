"""Messages about seats on flights and transfers, as the flights layer tells of them
(flights.events; NotificationsConfig.ready makes this module its listener): a confirmation
and reminders for each new seat, a notice when a flight changes, is cancelled or a seat is
lost. Each runs in the transaction of the change it tells of, through the scheduling rules
of services.py.
"""

import hashlib
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings

from evac.core.clock import now
from evac.flights.events import FlightPlan, TransferPlan
from evac.flights.models import (
    Booking,
    Flight,
    GroundTransfer,
    SeatLoss,
    SeatOffer,
    TransferSeat,
)
from evac.notifications.models import Notification
from evac.notifications.queue import queue_sends_on_commit
from evac.notifications.services import (
    SEAT_KINDS,
    _send_soon,
    citizen_message_fields,
    message_to_citizen,
    portal_status_url,
)

N = Notification


def _key_time(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%MZ")


def _flight_for_messages(flight_id: int) -> Flight:
    return Flight.objects.select_related(
        "operation", "departure_airport__city", "arrival_airport__city"
    ).get(pk=flight_id)


def _legs(booking: Booking) -> list[GroundTransfer]:
    """The trains and buses that take the person to this flight seat, first one first: the
    legs of their journey still ahead of them (not those gone without them)."""
    seats = (
        TransferSeat.objects.filter(connects_to=booking, is_active=True)
        .exclude(status=TransferSeat.Status.NO_SHOW)
        .select_related("transfer")
        .order_by("transfer__departs_at", "transfer_id")
    )
    return [seat.transfer for seat in seats]


def _journey(legs: Sequence[GroundTransfer]) -> dict[str, Any]:
    """What a seat's messages keep to name the legs before the flight (compose.legs_context)."""
    return {"legs": [leg.pk for leg in legs]} if legs else {}


def _confirmation(
    booking: Booking, flight: Flight, legs: Sequence[GroundTransfer] = (), *, key: str = ""
) -> Notification | None:
    """The seat's confirmation, naming every leg of the journey in order, then the flight."""
    return _send_soon(
        message_to_citizen(
            key=key or f"confirmation:{booking.pk}",
            kind=N.Kind.BOOKING_CONFIRMATION,
            operation=flight.operation,
            citizen=booking.citizen,
            booking=booking,
            flight=flight,
            due_at=now(),
            parameters=_journey(legs),
        )
    )


def _reminders(
    booking: Booking, flight: Flight, legs: Sequence[GroundTransfer] = ()
) -> list[Notification]:
    """One reminder per offset before the report time ("be at the airport by"), so even the
    last one comes while there is time to get there; none whose moment has already passed.
    On a journey they are timed for its first leg instead, the train's departure, and name
    every leg.

    The key names the departure and the report time it is for (and the first leg's), so a
    flight moved back to an earlier time finds the reminder it had, and a reminder already
    sent for the old time is not in the way.
    """
    made = []
    moment = now()
    report_at = flight.report_at
    start, first_leg = report_at, ""
    if legs:
        start, first_leg = legs[0].departs_at, f":leg{legs[0].pk}@{_key_time(legs[0].departs_at)}"
    for hours in settings.EVAC_REMINDER_OFFSETS_HOURS:
        due_at = start - timedelta(hours=hours)
        if due_at <= moment:
            continue
        notification = message_to_citizen(
            key=(
                f"reminder:{booking.pk}:{hours}h:{_key_time(flight.departs_at)}"
                f":report{_key_time(report_at)}:{flight.departure_airport.iata_code}{first_leg}"
            ),
            kind=N.Kind.FLIGHT_REMINDER,
            operation=flight.operation,
            citizen=booking.citizen,
            booking=booking,
            flight=flight,
            due_at=due_at,
            parameters={"hours": hours, **_journey(legs)},
        )
        if notification is not None:
            made.append(notification)
    return made


def bookings_made(*, bookings: Sequence[Booking], booked_at: datetime | None = None) -> None:
    """A confirmation now and reminders before departure, for each new seat.

    Called inside the booking's transaction, so seats and messages commit together. A seat
    booked earlier and recorded now (`booked_at`, the demo's replay) gets no confirmation:
    its moment has passed; only the reminders still ahead.
    """
    if not bookings:
        return
    flight = _flight_for_messages(bookings[0].flight_id)
    for booking in bookings:
        legs = _legs(booking)
        if booked_at is None:
            _confirmation(booking, flight, legs)
        _reminders(booking, flight, legs)


def journey_booked(*, bookings: Sequence[Booking]) -> None:
    """Legs booked to these flight seats (a journey, or another way for someone stranded):
    the confirmation names every leg and the reminders are timed for the first one.

    A confirmation still waiting to go (booked a moment ago with the flight seat) is written
    again with the legs; one sent already is followed by a new one for the whole journey.
    """
    if not bookings:
        return
    flight = _flight_for_messages(bookings[0].flight_id)
    for booking in bookings:
        _journey_retold(booking, flight, new_legs=True)


def _journey_retold(booking: Booking, flight: Flight, *, new_legs: bool) -> Notification | None:
    """Re-time and rewrite what is still to be said about a journey's seat; with
    `new_legs`, a new confirmation if the first one went out before them."""
    legs = _legs(booking)
    N.objects.filter(booking=booking, kind=N.Kind.FLIGHT_REMINDER, status=N.Status.PENDING).update(
        status=N.Status.CANCELLED
    )
    _reminders(booking, flight, legs)
    confirmation = _confirmation(booking, flight, legs)
    if not new_legs or confirmation is None or confirmation.status == N.Status.PENDING:
        return confirmation
    if not legs:
        return confirmation
    ids = "-".join(str(leg.pk) for leg in legs)
    return _confirmation(booking, flight, legs, key=f"confirmation:{booking.pk}:legs{ids}")


def _active_bookings(flight: Flight) -> list[Booking]:
    return list(
        flight.bookings.filter(is_active=True).select_related("citizen").order_by("citizen_id")
    )


def flight_updated(*, flight: Flight, before: FlightPlan) -> None:
    """A new time, report time or airport: re-time the reminders and tell everyone on board.

    Runs in flight_update's transaction. Reminders for the old departure are cancelled and
    new ones made. A person whose confirmation hasn't gone out yet gets it with the new time
    instead of a separate notice; everyone else gets a "flight changed" notice, and only for
    the latest change.
    """
    if FlightPlan.of(flight) == before:
        return
    flight = _flight_for_messages(flight.pk)
    bookings = _active_bookings(flight)
    N.objects.filter(
        booking__in=bookings,
        kind__in=(N.Kind.FLIGHT_REMINDER, N.Kind.FLIGHT_CHANGED),
        status=N.Status.PENDING,
    ).update(status=N.Status.CANCELLED)
    for booking in bookings:
        legs = _legs(booking)
        confirmation = _confirmation(booking, flight, legs)
        _reminders(booking, flight, legs)
        if confirmation is not None and confirmation.status == N.Status.PENDING:
            continue
        _send_soon(
            message_to_citizen(
                key=(
                    f"changed:{booking.pk}:{_key_time(flight.departs_at)}"
                    f":report{_key_time(flight.report_at)}"
                    f":{flight.departure_airport.iata_code}:{flight.arrival_airport.iata_code}"
                ),
                kind=N.Kind.FLIGHT_CHANGED,
                operation=flight.operation,
                citizen=booking.citizen,
                booking=booking,
                flight=flight,
                due_at=now(),
            )
        )


def seat_released(
    *, booking: Booking, reason: str, lost_at: datetime | None = None
) -> Notification | None:
    """A lost seat, for any reason (a SeatLoss): what was still to be said about it is
    dropped, and the person is told at once that it is gone and why: a cancelled flight in
    its own notice, anything else in a seat_cancelled message. One message per seat, so a
    cancellation retried or reached from two doors tells them once.

    Called by flights.services.release_seat (and for a no-show when the flight leaves), in
    the transaction that cancels the seat. A seat lost earlier and recorded now (`lost_at`,
    the demo's replay) is not told: that moment has passed.
    """
    N.objects.filter(booking=booking, kind__in=SEAT_KINDS, status=N.Status.PENDING).update(
        status=N.Status.CANCELLED
    )
    if lost_at is not None:
        return None
    flight = _flight_for_messages(booking.flight_id)
    if reason == SeatLoss.FLIGHT_CANCELLED:
        key, kind, parameters = f"cancelled:{booking.pk}", N.Kind.FLIGHT_CANCELLED, {}
    else:
        key, kind = f"seat-cancelled:{booking.pk}", N.Kind.SEAT_CANCELLED
        parameters = {"reason": SeatLoss(reason).value}
    return _send_soon(
        message_to_citizen(
            key=key,
            kind=kind,
            operation=flight.operation,
            citizen=booking.citizen,
            booking=booking,
            flight=flight,
            due_at=now(),
            parameters=parameters,
        )
    )


def seats_offered(*, offers: Sequence[SeatOffer]) -> list[Notification]:
    """Seats held for each person (a household's first member answers for it): which
    flight, until when, and where to answer (the portal's status page, where a one-time
    code proves it is them). Sent at once, after the offers' transaction commits."""
    if not offers:
        return []
    flight = _flight_for_messages(offers[0].flight_id)
    portal_url = portal_status_url(flight.operation)

    def parameters(offer: SeatOffer) -> dict[str, Any]:
        return {
            "until": offer.expires_at.isoformat(),
            "seats": offer.seats,
            "portal_url": portal_url,
        }

    return _offer_messages(offers, "seat-offered", N.Kind.SEAT_OFFERED, flight, parameters)


def seat_offers_ended(*, offers: Sequence[SeatOffer]) -> list[Notification]:
    """Holds that ended without a booking (declined, expired, withdrawn): each person is
    told the seats went on and they stay on the waiting list. Accepted offers are told by
    their booking confirmation."""
    if not offers:
        return []
    flight = _flight_for_messages(offers[0].flight_id)
    return _offer_messages(
        offers, "seat-offer-ended", N.Kind.SEAT_OFFER_ENDED, flight, lambda o: {"how": o.status}
    )


def _offer_messages(
    offers: Sequence[SeatOffer],
    key: str,
    kind: str,
    flight: Flight,
    parameters: Callable[[SeatOffer], dict[str, Any]],
) -> list[Notification]:
    """The messages of offers of one flight just made or ended, written with one insert
    and queued with one call once the transaction commits (an offer round makes or ends
    many at once: flights.offer_rounds). Each offer is made and ended once (the claim in
    flights.seats), so their keys are new."""
    moment = now()
    rows = []
    for offer in offers:
        if offer.flight_id != flight.pk:
            raise ValueError("the offers told together are of one flight")
        fields = citizen_message_fields(
            kind=kind,
            operation=flight.operation,
            citizen=offer.citizen,
            flight=flight,
            due_at=moment,
            parameters=parameters(offer),
        )
        if fields is not None:  # nowhere to write: staff see them as people to call
            rows.append(N(idempotency_key=f"{key}:{offer.pk}", **fields))
    made = N.objects.bulk_create(rows)
    queue_sends_on_commit([n.pk for n in made])
    return made


def transfer_seat_released(*, seat: TransferSeat, reason: str) -> Notification | None:
    """A lost transfer seat, told at once in the seat-loss message naming the transfer, once
    per seat; it says whether the flight seat the leg led to still stands. A notice of the
    transfer's change not sent yet is dropped, and the reminders of a flight seat that
    stands no longer name the lost leg nor wait for it."""
    flight_kept = bool(seat.connects_to_id) and seat.connects_to.is_active
    N.objects.filter(
        idempotency_key__startswith=f"transfer-changed:{seat.pk}:", status=N.Status.PENDING
    ).update(status=N.Status.CANCELLED)
    if flight_kept:
        booking = seat.connects_to
        _journey_retold(booking, _flight_for_messages(booking.flight_id), new_legs=False)
    parameters = {"reason": reason, "transfer": seat.transfer_id, "flight_kept": flight_kept}
    return _send_soon(
        message_to_citizen(
            key=f"transfer-seat-cancelled:{seat.pk}",
            kind=N.Kind.SEAT_CANCELLED,
            operation=seat.transfer.operation,
            citizen=seat.citizen,
            due_at=now(),
            parameters=parameters,
        )
    )


def flight_status_changed(*, flight: Flight) -> None:
    """Cancelled or departed: drop what is still pending about its seats. Each person who
    lost a seat with it has been told already (seat_released)."""
    if flight.status not in (Flight.Status.CANCELLED, Flight.Status.DEPARTED):
        return
    N.objects.filter(flight=flight, kind__in=SEAT_KINDS, status=N.Status.PENDING).update(
        status=N.Status.CANCELLED
    )


def transfer_updated(*, transfer: GroundTransfer, before: TransferPlan) -> None:
    """A transfer's new time, cities or meeting point: everyone on it is told once, with the
    new details, and a journey's reminders are re-timed for it.

    Runs in transfer_update's transaction. The notice's key names the plan it tells of, so
    the same change asked twice tells nobody twice, and a notice of an earlier change not
    yet gone is dropped for the latest. A person whose confirmation has not gone out yet
    gets it with the new details instead.
    """
    if TransferPlan.of(transfer) == before:
        return
    transfer = GroundTransfer.objects.select_related("operation", "from_city", "to_city").get(
        pk=transfer.pk
    )
    plan = hashlib.sha256(transfer.meeting_point.encode()).hexdigest()[:12]
    plan = (
        f"{_key_time(transfer.departs_at)}:{_key_time(transfer.arrives_at)}"
        f":{transfer.from_city_id}-{transfer.to_city_id}:{plan}"
    )
    seats = (
        transfer.seats.filter(is_active=True)
        .select_related("citizen", "connects_to__citizen")
        .order_by("citizen_id")
    )
    for seat in seats:
        N.objects.filter(
            idempotency_key__startswith=f"transfer-changed:{seat.pk}:", status=N.Status.PENDING
        ).update(status=N.Status.CANCELLED)
        booking = seat.connects_to if seat.connects_to_id and seat.connects_to.is_active else None
        if booking is not None:
            flight = _flight_for_messages(booking.flight_id)
            confirmation = _journey_retold(booking, flight, new_legs=False)
            if confirmation is not None and confirmation.status == N.Status.PENDING:
                continue
        _send_soon(
            message_to_citizen(
                key=f"transfer-changed:{seat.pk}:{plan}",
                kind=N.Kind.FLIGHT_CHANGED,
                operation=transfer.operation,
                citizen=seat.citizen,
                booking=booking,
                due_at=now(),
                parameters={"transfer": transfer.pk},
            )
        )
