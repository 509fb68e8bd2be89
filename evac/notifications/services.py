"""Every rule about messages: what is scheduled when, re-timed, cancelled, claimed and sent.

Scheduling writes rows in the caller's transaction (a booking and its confirmation commit
together or not at all) and asks for a send only after commit. Rescheduling is data: a
changed flight re-times or cancels its pending rows here, so no task ever has to be revoked;
a person's new phone, e-mail or language rewrites theirs (notifications_readdress).

Sending is claim → hand over → record, with no transaction open across the provider call:
- claim: `UPDATE … SET status='sending' WHERE status='pending'`; one row updated means this
  worker won, none means another worker has it (or it was sent, re-timed or cancelled);
- hand over to the SMS backend or the e-mail backend;
- record the outcome with an UPDATE that matches this claim only (status='sending' and the
  attempt number), so a late worker can never overwrite a newer claim.

A worker that dies between claim and record leaves a "sending" row. After
EVAC_NOTIFICATION_SENDING_TIMEOUT_SECONDS `recover_stale_sending` asks the provider whether
it has the message: yes → sent; certainly not → pending again; can't tell (SMTP, a provider
that keeps no record) → failed, for staff to check with the person and retry. A person may
then miss a message until staff act, but never gets one twice: for an evacuee told twice
about a flight, the second message reads like a change.
"""

import logging
import smtplib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from evac.core.clock import now
from evac.core.errors import InvalidTransition
from evac.flights.models import Booking, Flight
from evac.notifications import texts
from evac.notifications.models import Notification
from evac.notifications.selectors import broadcast_audience, staff_digest
from evac.notifications.sms import (
    PermanentSendError,
    SendError,
    SmsLength,
    TransientSendError,
    sms_backend,
    sms_length,
)
from evac.operations.access import Actor, Permission, require_permission
from evac.operations.models import Operation, Role
from evac.people.models import Citizen
from evac.places.models import City

logger = logging.getLogger(__name__)

N = Notification
# Writing to people is part of looking after their record: coordinators and officers may.
SEND_MESSAGES = Permission.EDIT_CITIZENS
# The longest SMS Evac sends, in segments: beyond 3 some phones and networks drop parts.
MAX_SMS_SEGMENTS = 3
# Messages about a seat that stop mattering when the seat or the flight goes away.
SEAT_KINDS = (N.Kind.BOOKING_CONFIRMATION, N.Kind.FLIGHT_REMINDER, N.Kind.FLIGHT_CHANGED)


@dataclass(frozen=True)
class Address:
    channel: str
    to: str


def citizen_address(citizen: Citizen) -> Address | None:
    """Where a message reaches this person: their preferred channel if they gave its address.

    "Phone call" can't be automated, so it means an SMS to the same phone.
    """
    phone = citizen.phone.as_e164 if citizen.phone else ""
    if citizen.preferred_channel == Citizen.Channel.EMAIL and citizen.email:
        return Address(N.Channel.EMAIL, citizen.email)
    if phone:
        return Address(N.Channel.SMS, phone)
    if citizen.email:
        return Address(N.Channel.EMAIL, citizen.email)
    return None


# The fields of a person that citizen_reach reads.
MESSAGE_FIELDS = frozenset({"phone", "email", "preferred_channel", "preferred_language"})


def citizen_reach(citizen: Citizen) -> tuple[Address | None, str]:
    """Where and in which language a message to this person goes: when this changes, the
    messages still waiting for them are rewritten (notifications_readdress)."""
    return citizen_address(citizen), citizen.preferred_language


def _user(by: Actor):
    return by if getattr(by, "is_authenticated", False) else None


# Scheduling -------------------------------------------------------------------------------


def _schedule(
    *,
    key: str,
    kind: str,
    operation: Operation,
    due_at: datetime,
    context: dict[str, Any] | None = None,
    parameters: dict[str, Any] | None = None,
    citizen: Citizen | None = None,
    staff_user=None,
    booking: Booking | None = None,
    flight: Flight | None = None,
    by: Actor = None,
    revive: bool = False,
    send_now: bool = True,
    address: Address | None = None,
) -> Notification | None:
    """The message called `key`: made if new, re-rendered and re-timed if still pending.

    A message already sending, sent or failed is left alone, so asking twice never sends
    twice. A cancelled one stays cancelled unless `revive` (a reminder whose flight moved
    back to the time it was for). A due message is queued once the transaction commits,
    unless `send_now` is off: then the dispatcher queues it, with many others per
    broker connection, within its period (30 s).

    The text is made from `parameters` and the rows named (see _context), so that it can be
    made again when the person's contact details change; only a message that is never
    rewritten (a one-time code, a staff digest) brings its own `context`.
    """
    if citizen is not None:
        # `address`: a message the person asked for on one channel (a one-time code).
        address, language = address or citizen_address(citizen), citizen.preferred_language
    else:
        address, language = Address(N.Channel.EMAIL, staff_user.email), settings.LANGUAGE_CODE
    if address is None:
        return None  # no phone, no e-mail: staff see them as people to call
    parameters = parameters or {}
    if context is None:
        context = _context(
            kind, operation=operation, citizen=citizen, flight=flight, parameters=parameters
        )
    if context is None:
        raise ValueError(f"nothing to write a {kind} message from")
    fields = {
        "operation": operation,
        "citizen": citizen,
        "staff_user": staff_user,
        "booking": booking,
        "flight": flight,
        "kind": kind,
        "parameters": parameters,
        "due_at": due_at,
        **_text(kind, language, address, context),
    }
    existing = N.objects.select_for_update().filter(idempotency_key=key).first()
    if existing is None:
        try:
            with transaction.atomic():
                notification = N.objects.create(idempotency_key=key, created_by=_user(by), **fields)
        except IntegrityError:  # made by someone else a moment ago: theirs stands
            return N.objects.get(idempotency_key=key)
    elif existing.status == N.Status.PENDING or (revive and existing.status == N.Status.CANCELLED):
        notification = existing
        for name, value in fields.items():
            setattr(notification, name, value)
        notification.status, notification.queued_at = N.Status.PENDING, None
        notification.save()
    else:
        return existing
    if send_now:
        _send_soon_if_due(notification)
    return notification


def _text(kind: str, language: str, address: Address, context: dict[str, Any]) -> dict[str, str]:
    """The fields of a message that say what it says, where to and how."""
    sms = address.channel == N.Channel.SMS
    rendered = texts.render(kind, language, context, sms=sms)
    return {
        "channel": address.channel,
        "to_address": address.to,
        "language": rendered.language,
        "subject": "" if sms else rendered.subject,
        "body": rendered.body,
    }


def _send_soon_if_due(notification: Notification) -> None:
    if notification.due_at > now():
        return  # the dispatcher picks it up when it is due
    from evac.notifications.tasks import queue_sends_on_commit

    queue_sends_on_commit([notification.pk])


def _key_time(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%MZ")


def _person_context(citizen: Citizen, operation: Operation) -> dict[str, Any]:
    return {"citizen": citizen, "reference": citizen.reference, "hotline": operation.hotline_phone}


def _flight_context(flight: Flight, citizen: Citizen) -> dict[str, Any]:
    return {
        **_person_context(citizen, flight.operation),
        **texts.flight_context(flight, citizen.preferred_language),
    }


# Messages about one flight: their text is made from the flight as it is now.
FLIGHT_KINDS = (*SEAT_KINDS, N.Kind.FLIGHT_CANCELLED)


def _context(
    kind: str,
    *,
    operation: Operation,
    citizen: Citizen | None,
    flight: Flight | None,
    parameters: dict[str, Any],
) -> dict[str, Any] | None:
    """What a message's text is made from: the rows it is about, as they are now, and the
    parameters stored with it. The same when it is scheduled and when it is rewritten for
    new contact details. None when it can't be made: a kind that brings its own context, a
    flight that is gone, a row written before its parameters were kept.
    """
    if kind == N.Kind.BROADCAST:
        if "text" not in parameters:
            return None
        return {"text": parameters["text"], "hotline": operation.hotline_phone}
    if citizen is None:
        return None
    if kind == N.Kind.CHECK_IN:
        return {
            **_person_context(citizen, operation),
            "city": texts.city_name(citizen.current_city, citizen.preferred_language),
        }
    if kind == N.Kind.REGISTRATION_CONFIRMATION and "portal_url" in parameters:
        return {**_person_context(citizen, operation), "portal_url": parameters["portal_url"]}
    if kind in FLIGHT_KINDS and flight is not None:
        if kind != N.Kind.FLIGHT_REMINDER:
            return _flight_context(flight, citizen)
        if "hours" in parameters:
            return {**_flight_context(flight, citizen), "hours": parameters["hours"]}
    return None


def _flight_for_messages(flight_id: int) -> Flight:
    return Flight.objects.select_related(
        "operation", "departure_airport__city", "arrival_airport__city"
    ).get(pk=flight_id)


def _confirmation(booking: Booking, flight: Flight) -> Notification | None:
    return _schedule(
        key=f"confirmation:{booking.pk}",
        kind=N.Kind.BOOKING_CONFIRMATION,
        operation=flight.operation,
        citizen=booking.citizen,
        booking=booking,
        flight=flight,
        due_at=now(),
    )


def _reminders(booking: Booking, flight: Flight) -> list[Notification]:
    """One reminder per offset before departure; none whose moment has already passed.

    The key names the departure it is for, so a flight moved back to an earlier time finds
    the reminder it had, and a reminder already sent for the old time is not in the way.
    """
    made = []
    moment = now()
    for hours in settings.EVAC_REMINDER_OFFSETS_HOURS:
        due_at = flight.departs_at - timedelta(hours=hours)
        if due_at <= moment:
            continue
        notification = _schedule(
            key=(
                f"reminder:{booking.pk}:{hours}h:{_key_time(flight.departs_at)}"
                f":{flight.departure_airport.iata_code}"
            ),
            kind=N.Kind.FLIGHT_REMINDER,
            operation=flight.operation,
            citizen=booking.citizen,
            booking=booking,
            flight=flight,
            due_at=due_at,
            parameters={"hours": hours},
            revive=True,
        )
        if notification is not None:
            made.append(notification)
    return made


def registration_confirmed(*, citizen: Citizen, status_url: str = "") -> Notification | None:
    """A "we have your registration, code …" message, sent at once to a person who registered."""
    return _schedule(
        key=f"registration:{citizen.pk}",
        kind=N.Kind.REGISTRATION_CONFIRMATION,
        operation=citizen.operation,
        citizen=citizen,
        due_at=now(),
        parameters={"portal_url": status_url},
    )


def one_time_code_send(
    *, citizen: Citizen, code: str, channel: str, code_id: int, minutes: int
) -> Notification | None:
    """A code for a change on the portal, at once, to the phone or e-mail on file.

    The text holds the code, so it is readable in the outbox by staff, who may change the
    record anyway; the portal keeps only a hash of it. `code_id` makes each code one message.
    """
    if channel == N.Channel.EMAIL:
        address = Address(N.Channel.EMAIL, citizen.email) if citizen.email else None
    else:
        address = Address(N.Channel.SMS, citizen.phone.as_e164) if citizen.phone else None
    if address is None:
        return None
    return _schedule(
        key=f"one-time-code:{code_id}",
        kind=N.Kind.ONE_TIME_CODE,
        operation=citizen.operation,
        citizen=citizen,
        due_at=now(),
        context={"code": code, "minutes": minutes},
        address=address,
    )


def bookings_made(*, bookings: Sequence[Booking]) -> None:
    """A confirmation now and reminders before departure, for each new seat.

    Called inside the booking's transaction, so seats and messages commit together.
    """
    if not bookings:
        return
    flight = _flight_for_messages(bookings[0].flight_id)
    for booking in bookings:
        _confirmation(booking, flight)
        _reminders(booking, flight)


@dataclass(frozen=True)
class FlightPlan:
    """What a flight's messages say about it; a change to any of these is news to people."""

    departs_at: datetime
    departure_airport_id: int
    arrival_airport_id: int

    @classmethod
    def of(cls, flight: Flight) -> "FlightPlan":
        return cls(flight.departs_at, flight.departure_airport_id, flight.arrival_airport_id)


def _active_bookings(flight: Flight) -> list[Booking]:
    return list(
        flight.bookings.filter(is_active=True).select_related("citizen").order_by("citizen_id")
    )


def flight_updated(*, flight: Flight, before: FlightPlan) -> None:
    """A new time or airport: re-time the reminders and tell everyone on board.

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
        confirmation = _confirmation(booking, flight)
        _reminders(booking, flight)
        if confirmation is not None and confirmation.status == N.Status.PENDING:
            continue
        _schedule(
            key=(
                f"changed:{booking.pk}:{_key_time(flight.departs_at)}"
                f":{flight.departure_airport.iata_code}:{flight.arrival_airport.iata_code}"
            ),
            kind=N.Kind.FLIGHT_CHANGED,
            operation=flight.operation,
            citizen=booking.citizen,
            booking=booking,
            flight=flight,
            due_at=now(),
        )


def seat_released(*, booking: Booking) -> None:
    """A cancelled seat: nothing more is said about it (a flight cancellation says its own)."""
    N.objects.filter(booking=booking, kind__in=SEAT_KINDS, status=N.Status.PENDING).update(
        status=N.Status.CANCELLED
    )


def flight_status_changed(*, flight: Flight, bookings: Iterable[Booking]) -> None:
    """Cancelled: tell each person who held a seat. Departed: drop what is still pending.

    `bookings` are the seats that were active before the change.
    """
    if flight.status not in (Flight.Status.CANCELLED, Flight.Status.DEPARTED):
        return
    N.objects.filter(flight=flight, kind__in=SEAT_KINDS, status=N.Status.PENDING).update(
        status=N.Status.CANCELLED
    )
    if flight.status != Flight.Status.CANCELLED:
        return
    flight = _flight_for_messages(flight.pk)
    for booking in bookings:
        citizen = booking.citizen
        _schedule(
            key=f"cancelled:{booking.pk}",
            kind=N.Kind.FLIGHT_CANCELLED,
            operation=flight.operation,
            citizen=citizen,
            booking=booking,
            flight=flight,
            due_at=now(),
        )


def check_ins_schedule() -> int:
    """A check-in to everyone waiting who has had no message for EVAC_CHECK_IN_EVERY_DAYS.

    Each person in a transaction of their own, so a long run holds no lock for long; the
    key names the day, so running twice on one day sends nothing more.
    """
    moment = now()
    recent = N.objects.filter(
        citizen=OuterRef("pk"),
        created_at__gt=moment - timedelta(days=settings.EVAC_CHECK_IN_EVERY_DAYS),
    ).exclude(status__in=(N.Status.CANCELLED, N.Status.FAILED))
    waiting = (
        Citizen.objects.filter(
            status=Citizen.Status.WAITING, operation__status=Operation.Status.ACTIVE
        )
        .exclude(Exists(recent))
        .select_related("operation", "current_city")
        .order_by("pk")
    )
    made = 0
    for citizen in waiting.iterator(chunk_size=500):
        with transaction.atomic():
            made += (
                _schedule(
                    key=f"check_in:{citizen.pk}:{moment.date().isoformat()}",
                    kind=N.Kind.CHECK_IN,
                    operation=citizen.operation,
                    citizen=citizen,
                    due_at=moment,
                    send_now=False,
                )
                is not None
            )
    return made


def staff_digests_schedule() -> int:
    """The daily digest e-mail to each active operation's coordinators and officers."""
    moment = now()
    made = 0
    for operation in Operation.objects.filter(status=Operation.Status.ACTIVE).order_by("pk"):
        staff = (
            get_user_model()
            .objects.filter(
                memberships__operation=operation,
                memberships__role__in=(Role.COORDINATOR, Role.OFFICER),
                is_active=True,
            )
            .exclude(email="")
            .order_by("pk")
        )
        if not staff:
            continue
        context = {"digest": staff_digest(operation), "day": moment}
        with transaction.atomic():
            for user in staff:
                made += (
                    _schedule(
                        key=f"digest:{operation.pk}:{user.pk}:{moment.date().isoformat()}",
                        kind=N.Kind.STAFF_DIGEST,
                        operation=operation,
                        staff_user=user,
                        due_at=moment,
                        context=context,
                        send_now=False,
                    )
                    is not None
                )
    return made


# New contact details ----------------------------------------------------------------------

# A one-time code goes to the phone or e-mail the person picked from those on file, to prove
# they hold it: sent to a contact changed since, it would prove nothing (and a code asked
# for to confirm a change must never follow the change it confirms). It stays as it was.
NOT_READDRESSED = (N.Kind.ONE_TIME_CODE,)
NO_ADDRESS_LEFT = (
    "Not sent: the person's contact details changed and there is no phone or e-mail left "
    "to send it to."
)
NOT_REWRITTEN = (
    "Not sent: the person's contact details changed to another channel, and this message "
    "could not be written again for it."
)


def notifications_readdress(*, citizen: Citizen) -> int:
    """Rewrite the messages still waiting for `citizen` for their contact details and language
    as they are now; returns how many changed. Called in the transaction that changes them.

    Each is addressed by citizen_address, as the scheduler would address it now (an e-mail
    instead of an SMS when the phone is gone, and the other way round), and its text made
    again in the person's language from the same context (_context). A message whose text
    can't be made again keeps its words on the same channel; one with nowhere left to go,
    or with no words for its new channel, is cancelled with the reason in its last error.

    Only pending rows, each with an UPDATE … WHERE status = 'pending', the condition a send's
    claim has: a row a worker has claimed is left as it is, and on PostgreSQL a claim that
    comes while this transaction holds the row waits for it to end, then reads the row whole.
    A send goes out as it was or as rewritten, never part of each, and never twice. Keys are
    not touched, so asking for a message again still finds this row.
    """
    address = citizen_address(citizen)
    pending = (
        citizen.notifications.filter(status=N.Status.PENDING)
        .exclude(kind__in=NOT_READDRESSED)
        .select_related(
            "operation",
            "flight__operation",
            "flight__departure_airport__city",
            "flight__arrival_airport__city",
        )
        .order_by("pk")
    )
    changed = 0
    with transaction.atomic():
        for notification in pending:
            fields = _readdressed(notification, citizen, address)
            if all(getattr(notification, name) == value for name, value in fields.items()):
                continue
            changed += N.objects.filter(pk=notification.pk, status=N.Status.PENDING).update(
                **fields
            )
    return changed


def _readdressed(
    notification: Notification, citizen: Citizen, address: Address | None
) -> dict[str, Any]:
    """The fields of a pending message to `citizen` as they should be now."""
    if address is None:
        return {"status": N.Status.CANCELLED, "last_error": NO_ADDRESS_LEFT}
    context = _context(
        notification.kind,
        operation=notification.operation,
        citizen=citizen,
        flight=notification.flight,
        parameters=notification.parameters,
    )
    if context is not None:
        return _text(notification.kind, citizen.preferred_language, address, context)
    if address.channel != notification.channel:
        # An SMS has no subject and an e-mail's lines would not fit an SMS.
        return {"status": N.Status.CANCELLED, "last_error": NOT_REWRITTEN}
    return {"to_address": address.to}


# Broadcasts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BroadcastPreview:
    recipients: int
    by_sms: int
    by_email: int
    without_contact: int
    # Each language the audience reads, with the SMS as it will go out and its length.
    samples: list[tuple[str, str, SmsLength]]


def _audience(operation: Operation, flight: Flight | None, city: City | None) -> list[Citizen]:
    return list(broadcast_audience(operation, flight=flight, city=city))


def broadcast_preview(
    *,
    operation: Operation,
    by: Actor,
    text: str,
    flight: Flight | None = None,
    city: City | None = None,
) -> BroadcastPreview:
    """Who a broadcast would reach and how it reads, before anything is written."""
    require_permission(by, operation, SEND_MESSAGES)
    text = " ".join(text.split())
    if not text:
        raise ValidationError({"text": _("Write the message.")})
    people = _audience(operation, flight, city)
    addresses = [citizen_address(person) for person in people]
    languages = sorted({person.preferred_language for person in people}) or ["en"]
    samples = []
    for language in languages:
        context = _context(
            N.Kind.BROADCAST,
            operation=operation,
            citizen=None,
            flight=None,
            parameters={"text": text},
        )
        body = texts.render(N.Kind.BROADCAST, language, context, sms=True).body
        samples.append((language, body, sms_length(body)))
    too_long = [s for s in samples if s[2].segments > MAX_SMS_SEGMENTS]
    if too_long:
        raise ValidationError(
            {
                "text": _(
                    "The message is too long for %(max)d SMS segments (%(segments)d); shorten it."
                )
                % {"max": MAX_SMS_SEGMENTS, "segments": max(s[2].segments for s in too_long)}
            }
        )
    return BroadcastPreview(
        recipients=len(people),
        by_sms=sum(1 for a in addresses if a and a.channel == N.Channel.SMS),
        by_email=sum(1 for a in addresses if a and a.channel == N.Channel.EMAIL),
        without_contact=sum(1 for a in addresses if a is None),
        samples=samples,
    )


@transaction.atomic
def broadcast_send(
    *,
    operation: Operation,
    by: Actor,
    text: str,
    token: str,
    flight: Flight | None = None,
    city: City | None = None,
) -> int:
    """Write one message per person in the audience. `token` comes from the preview, so a
    confirm button pressed twice sends once."""
    broadcast_preview(operation=operation, by=by, text=text, flight=flight, city=city)
    text = " ".join(text.split())
    made = []
    for person in _audience(operation, flight, city):
        notification = _schedule(
            key=f"broadcast:{token}:{person.pk}",
            kind=N.Kind.BROADCAST,
            operation=operation,
            citizen=person,
            flight=flight,
            due_at=now(),
            parameters={"text": text},
            by=by,
            send_now=False,
        )
        if notification is not None:
            made.append(notification)
    # All of them over one broker connection once committed, not one connection each.
    from evac.notifications.tasks import queue_sends_on_commit

    queue_sends_on_commit([n.pk for n in made if n.status == N.Status.PENDING])
    return len(made)


# Staff actions ----------------------------------------------------------------------------


def notification_retry(*, notification: Notification, by: Actor) -> Notification:
    """Send a failed message again, now, with a fresh set of attempts."""
    require_permission(by, notification.operation, SEND_MESSAGES)
    with transaction.atomic():
        changed = N.objects.filter(pk=notification.pk, status=N.Status.FAILED).update(
            status=N.Status.PENDING, due_at=now(), attempts=0, queued_at=None
        )
        if not changed:
            raise InvalidTransition(_("Only a failed message can be sent again."))
        if notification.citizen_id is not None and notification.kind not in NOT_READDRESSED:
            # A message often fails on a wrong number that staff have corrected since: it
            # goes again to the contact details (and in the language) the person has now.
            notifications_readdress(citizen=notification.citizen)
        notification.refresh_from_db()
        _send_soon_if_due(notification)
    return notification


def notification_cancel(*, notification: Notification, by: Actor) -> Notification:
    require_permission(by, notification.operation, SEND_MESSAGES)
    changed = N.objects.filter(pk=notification.pk, status=N.Status.PENDING).update(
        status=N.Status.CANCELLED
    )
    if not changed:
        raise InvalidTransition(_("Only a message still waiting to go out can be cancelled."))
    notification.refresh_from_db()
    return notification


# Dispatching and sending ------------------------------------------------------------------


def notifications_due_for_dispatch(*, limit: int) -> list[int]:
    """Pending messages that are due and not on the broker already, marked as queued now.

    One on the broker for longer than EVAC_NOTIFICATION_REQUEUE_SECONDS is taken as lost
    (a flushed Redis, a publish that failed) and queued again; a duplicate is harmless,
    since only one send can claim the row.
    """
    moment = now()
    lost_before = moment - timedelta(seconds=settings.EVAC_NOTIFICATION_REQUEUE_SECONDS)
    with transaction.atomic():
        ids = list(
            N.objects.filter(status=N.Status.PENDING, due_at__lte=moment)
            .exclude(queued_at__gte=lost_before)
            .order_by("due_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        N.objects.filter(pk__in=ids).update(queued_at=moment)
    return ids


def _backoff(attempts: int) -> timedelta:
    # 30 s, 1 min, 2 min, 4 min … at most an hour: a flaky network gets time to recover.
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def notification_send(*, notification_id: int) -> str:
    """Claim the message, hand it over, record what happened. Returns the outcome."""
    notification = _claim(notification_id)
    if notification is None:
        return "not claimed"
    this_claim = N.objects.filter(
        pk=notification_id, status=N.Status.SENDING, attempts=notification.attempts
    )
    if notification.attempts > 1:
        # An earlier attempt may have reached the provider before failing (a timeout after
        # the request went out): if the provider has the message, record it, don't resend.
        found = _find_sent(notification)
        if found:
            this_claim.update(status=N.Status.SENT, sent_at=now(), provider_message_id=found)
            return "sent"
    try:
        message_id = _hand_over(notification)
    except TransientSendError as error:
        if notification.attempts >= settings.EVAC_NOTIFICATION_MAX_ATTEMPTS:
            this_claim.update(status=N.Status.FAILED, last_error=_error_text(error))
            return "failed"
        this_claim.update(
            status=N.Status.PENDING,
            due_at=now() + _backoff(notification.attempts),
            queued_at=None,
            last_error=_error_text(error),
        )
        return "retry later"
    except PermanentSendError as error:
        this_claim.update(status=N.Status.FAILED, last_error=_error_text(error))
        return "failed"
    _record_sent(notification, message_id)
    return "sent"


def _record_sent(notification: Notification, message_id: str) -> None:
    """sending → sent, for this claim only, without waiting for the disk on PostgreSQL.

    The claim was committed durably before the provider call; this record need not be. If
    the database crashes and loses it, the row is "sending" again, and recover_stale_sending
    asks the provider, which has the message: sent, not sent twice. Skipping the WAL flush
    here saves a disk wait on every send. (SQLite in WAL mode with synchronous=NORMAL
    doesn't wait for the disk on commit anyway.)
    """
    table = connection.ops.quote_name(N._meta.db_table)
    no_disk_wait = (
        "FROM (SELECT set_config('synchronous_commit', 'off', true)) AS no_disk_wait "
        if connection.vendor == "postgresql"
        else ""
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s, sent_at = %s, provider_message_id = %s, "  # noqa: S608
            f"last_error = '' {no_disk_wait}WHERE id = %s AND status = %s AND attempts = %s",
            [
                N.Status.SENT,
                connection.ops.adapt_datetimefield_value(now()),
                message_id,
                notification.pk,
                N.Status.SENDING,
                notification.attempts,
            ],
        )


def _claim(notification_id: int) -> Notification | None:
    """pending → sending, if it still is pending and due; the claimed row, or None.

    One statement that updates and reads back (RETURNING: PostgreSQL, SQLite 3.35+), since
    a send is a handful of queries and this one runs for every message.
    """
    table = connection.ops.quote_name(N._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in N._meta.concrete_fields)
    moment = connection.ops.adapt_datetimefield_value(now())
    claimed = N.objects.raw(
        f"UPDATE {table} SET status = %s, claimed_at = %s, attempts = attempts + 1 "  # noqa: S608
        f"WHERE id = %s AND status = %s AND due_at <= %s RETURNING {columns}",
        [N.Status.SENDING, moment, notification_id, N.Status.PENDING, moment],
    )
    return next(iter(claimed), None)


def _error_text(error: Exception) -> str:
    return f"{error.__class__.__name__}: {error}"[:2000]


def _hand_over(notification: Notification) -> str:
    if notification.channel == N.Channel.SMS:
        return sms_backend().send(
            to=notification.to_address, text=notification.body, reference=str(notification.pk)
        )
    return _send_email(notification)


# SMTP replies that no retry will change: the address or the sender is refused for good.
_PERMANENT_SMTP = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused)
# django-anymail's errors for a refused or malformed address, by name so it stays optional.
_PERMANENT_ANYMAIL = {"AnymailRecipientsRefused", "AnymailInvalidAddress"}


def _send_email(notification: Notification) -> str:
    message_id = make_msgid(domain="evac.local")
    email = EmailMessage(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.to_address],
        headers={"Message-ID": message_id, "X-Evac-Notification": str(notification.pk)},
    )
    try:
        email.send()
    except _PERMANENT_SMTP as error:
        raise PermanentSendError(str(error)) from error
    except smtplib.SMTPResponseException as error:
        cls = PermanentSendError if 500 <= error.smtp_code < 600 else TransientSendError
        raise cls(str(error)) from error
    except Exception as error:
        if error.__class__.__name__ in _PERMANENT_ANYMAIL:
            raise PermanentSendError(str(error)) from error
        raise TransientSendError(f"{error.__class__.__name__}: {error}") from error
    # django-anymail reports the provider's id; plain SMTP has only our Message-ID.
    status = getattr(email, "anymail_status", None)
    return str(getattr(status, "message_id", None) or message_id)


UNKNOWN_OUTCOME = (
    "A worker stopped while handing this message over, and the provider can't say whether "
    "it went out. Check with the person before sending it again."
)


def recover_stale_sending(*, older_than: timedelta | None = None) -> int:
    """Settle messages left "sending" by a worker that died; see the module's note."""
    if older_than is None:
        older_than = timedelta(seconds=settings.EVAC_NOTIFICATION_SENDING_TIMEOUT_SECONDS)
    stale = N.objects.filter(status=N.Status.SENDING, claimed_at__lt=now() - older_than)
    settled = 0
    for notification in stale.order_by("pk")[:1000]:
        this_claim = N.objects.filter(
            pk=notification.pk, status=N.Status.SENDING, attempts=notification.attempts
        )
        found = _find_sent(notification)
        if found:
            settled += this_claim.update(
                status=N.Status.SENT, sent_at=now(), provider_message_id=found
            )
        elif found == "":
            settled += this_claim.update(
                status=N.Status.PENDING,
                due_at=now(),
                queued_at=None,
                last_error="A worker stopped before handing this message over.",
            )
        else:
            settled += this_claim.update(status=N.Status.FAILED, last_error=UNKNOWN_OUTCOME)
        logger.warning("settled notification %s left sending by a dead worker", notification.pk)
    return settled


def _find_sent(notification: Notification) -> str | None:
    if notification.channel != N.Channel.SMS:
        return None  # an SMTP server keeps no record we can ask
    try:
        return sms_backend().find_sent(
            reference=str(notification.pk),
            to=notification.to_address,
            text=notification.body,
            since=notification.claimed_at,
        )
    except SendError:
        return None
