"""Every rule about scheduling messages: what is scheduled when, re-timed and cancelled, and
what staff may do to one message. The messages about seats, flights and transfers are in
travel.py; who and where a message goes is in addressing.py, what it says in compose.py,
broadcasts in broadcasts.py, and sending in delivery.py.

Scheduling writes rows in the caller's transaction (a booking and its confirmation commit
together or not at all) and asks for a send only after commit. Rescheduling is data: a
changed flight re-times or cancels its pending rows here, so no task ever has to be revoked;
a person's new phone, e-mail or language rewrites theirs (addressing.notifications_readdress).
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from evac.core.actor import EVAC, user_of
from evac.core.clock import now
from evac.core.errors import InvalidTransition
from evac.flights.models import Booking, Flight
from evac.notifications.addressing import (
    NOT_READDRESSED,
    Address,
    chosen_address,
    citizen_address,
    notifications_readdress,
)
from evac.notifications.compose import message_context, message_fields, registration_parts
from evac.notifications.models import CODE_MASK, Notification
from evac.notifications.queue import queue_sends_on_commit
from evac.operations.access import Actor, Permission, require_permission
from evac.operations.models import Operation
from evac.people.models import Citizen

N = Notification
# Messages whose secret is wiped once sent or failed: never sent again.
SECRET_KINDS = frozenset({N.Kind.ONE_TIME_CODE, N.Kind.STAFF_INVITATION})
# Writing to people is part of looking after their record: coordinators and officers may.
SEND_MESSAGES = Permission.EDIT_CITIZENS
# Messages about a seat that stop mattering when the seat or the flight goes away.
SEAT_KINDS = (N.Kind.BOOKING_CONFIRMATION, N.Kind.FLIGHT_REMINDER, N.Kind.FLIGHT_CHANGED)


# Scheduling -------------------------------------------------------------------------------


def message_to_citizen(
    *,
    key: str,
    kind: str,
    operation: Operation,
    citizen: Citizen,
    due_at: datetime,
    parameters: dict[str, Any] | None = None,
    booking: Booking | None = None,
    flight: Flight | None = None,
    by: Actor = EVAC,
    own: tuple[Address, dict[str, Any]] | None = None,
    secret: str = "",
) -> Notification | None:
    """The message to `citizen` called `key`: made if new, re-rendered and re-timed if still
    pending (see _written). None when the person has no phone and no e-mail: staff see them
    as people to call. It is not queued: the caller sends it soon (_send_soon) or leaves it
    to the dispatcher, which queues many per broker connection within its period (30 s).

    The text is made from `parameters` and the rows named (compose.message_context), so that
    it can be made again when the person's contact details change; only a message that is
    never rewritten (a one-time code) brings its `own` address and context.
    """
    fields = citizen_message_fields(
        kind=kind,
        operation=operation,
        citizen=citizen,
        due_at=due_at,
        parameters=parameters,
        booking=booking,
        flight=flight,
        own=own,
        secret=secret,
    )
    if fields is None:
        return None
    return _written(key, fields, by)


def citizen_message_fields(
    *,
    kind: str,
    operation: Operation,
    citizen: Citizen,
    due_at: datetime,
    parameters: dict[str, Any] | None = None,
    booking: Booking | None = None,
    flight: Flight | None = None,
    own: tuple[Address, dict[str, Any]] | None = None,
    secret: str = "",
) -> dict[str, Any] | None:
    """What message_to_citizen writes: the row's fields, or None with nowhere to send it."""
    if own is not None:
        address, context = own
    else:
        address = citizen_address(citizen)
        context = message_context(
            kind, operation=operation, citizen=citizen, flight=flight, parameters=parameters or {}
        )
    if address is None:
        return None
    if context is None:
        raise ValueError(f"nothing to write a {kind} message from")
    return {
        "operation": operation,
        "citizen": citizen,
        "booking": booking,
        "flight": flight,
        "kind": kind,
        "parameters": parameters or {},
        "due_at": due_at,
        "secret": secret,
        **message_fields(
            kind,
            citizen.preferred_language,
            channel=address.channel,
            to=address.to,
            context=context,
        ),
    }


def _message_to_staff(
    *, key: str, operation: Operation, user, due_at: datetime, context: dict[str, Any]
) -> Notification:
    """The staff digest called `key`, by e-mail in the site's language."""
    fields = {
        "operation": operation,
        "staff_user": user,
        "kind": N.Kind.STAFF_DIGEST,
        "parameters": {},
        "due_at": due_at,
        **message_fields(
            N.Kind.STAFF_DIGEST,
            settings.LANGUAGE_CODE,
            channel=N.Channel.EMAIL,
            to=user.email,
            context=context,
        ),
    }
    return _written(key, fields, by=EVAC)


def _written(key: str, fields: dict[str, Any], by: Actor) -> Notification:
    """The row called `key` with these fields, if it is new or still pending.

    A message already sending, sent or failed is left alone, so asking twice never sends
    twice. A cancelled one stays cancelled, except a reminder whose flight moved back to the
    time it was for: that one is revived.
    """
    existing = N.objects.select_for_update().filter(idempotency_key=key).first()
    revivable = fields["kind"] == N.Kind.FLIGHT_REMINDER
    if existing is None:
        try:
            with transaction.atomic():
                return N.objects.create(idempotency_key=key, created_by=user_of(by), **fields)
        except IntegrityError:  # made by someone else a moment ago: theirs stands
            return N.objects.get(idempotency_key=key)
    if existing.status == N.Status.PENDING or (revivable and existing.status == N.Status.CANCELLED):
        for name, value in fields.items():
            setattr(existing, name, value)
        existing.status, existing.queued_at = N.Status.PENDING, None
        existing.save()
    return existing


def _send_soon(notification: Notification | None) -> Notification | None:
    """Queue a pending message that is due once the transaction commits; a later one waits
    for the dispatcher."""
    if (
        notification is not None
        and notification.status == N.Status.PENDING
        and notification.due_at <= now()
    ):
        queue_sends_on_commit([notification.pk])
    return notification


def registration_confirmed(
    *, citizen: Citizen, status_url: str = "", registered_with: Sequence[Citizen] = ()
) -> Notification | None:
    """A "we have your registration, code …" message, sent at once to a person who
    registered, naming the codes of everyone registered with them too (a child with no
    phone learns their code only this way). Codes that don't fit in one SMS of three
    segments, in any language the person might switch to, follow in further parts.
    Returns the first part."""
    others = [person for person in registered_with if person.pk != citizen.pk]
    first = None
    for number, group in enumerate(registration_parts(citizen, others, status_url), start=1):
        ids = [person.pk for person in group]
        if number == 1:
            key, parameters = f"registration:{citizen.pk}", {"portal_url": status_url}
            if ids:
                parameters["with"] = ids
        else:
            key, parameters = f"registration:{citizen.pk}:{number}", {"with": ids, "part": number}
        notification = _send_soon(
            message_to_citizen(
                key=key,
                kind=N.Kind.REGISTRATION_CONFIRMATION,
                operation=citizen.operation,
                citizen=citizen,
                due_at=now(),
                parameters=parameters,
            )
        )
        first = first or notification
    return first


def registration_repeated(*, citizen: Citizen) -> Notification | None:
    """Tell the person on file that someone registered again with their details.

    At most one a day to each person, whatever number of tries: the key names the day.
    """
    return _send_soon(
        message_to_citizen(
            key=f"registration-repeated:{citizen.pk}:{now():%Y%m%d}",
            kind=N.Kind.REGISTRATION_REPEATED,
            operation=citizen.operation,
            citizen=citizen,
            due_at=now(),
        )
    )


def one_time_code_send(
    *, citizen: Citizen, code: str, channel: str, code_id: int, minutes: int
) -> Notification | None:
    """A code for a change on the portal, at once, to the phone or e-mail on file.

    The outbox keeps the text with the code masked; the code waits in `secret` for the
    hand-over and is emptied once the provider has it (delivery.py). The portal keeps only a
    hash of it. `code_id` makes each code one message.
    """
    address = chosen_address(citizen, channel)
    if address is None:
        return None
    return _send_soon(
        message_to_citizen(
            key=f"one-time-code:{code_id}",
            kind=N.Kind.ONE_TIME_CODE,
            operation=citizen.operation,
            citizen=citizen,
            due_at=now(),
            own=(address, {"code": CODE_MASK, "minutes": minutes}),
            secret=code,
        )
    )


def portal_status_url(operation: Operation) -> str:
    """The portal's status page for the operation, in full, or "" with no EVAC_PUBLIC_URL."""
    if not settings.EVAC_PUBLIC_URL:
        return ""
    return settings.EVAC_PUBLIC_URL.rstrip("/") + reverse(
        "portal:status", kwargs={"op": operation.slug}
    )


# Staff actions ----------------------------------------------------------------------------


def notification_retry(*, notification: Notification, by: Actor) -> Notification:
    """Send a failed message again, now, with a fresh set of attempts."""
    require_permission(by, notification.operation, SEND_MESSAGES)
    if notification.kind in SECRET_KINDS:
        # Its secret is gone: the person asks the portal for a new code, a coordinator
        # sends a new invitation.
        raise InvalidTransition(_("A one-time code or an invitation is not sent again."))
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
        _send_soon(notification)
    return notification


def notification_cancel(*, notification: Notification, by: Actor) -> Notification:
    require_permission(by, notification.operation, SEND_MESSAGES)
    if notification.kind == N.Kind.STAFF_INVITATION:
        # Cancelling it takes a new member's link back: whoever manages the members.
        require_permission(by, notification.operation, Permission.MANAGE_MEMBERS)
    changed = N.objects.filter(pk=notification.pk, status=N.Status.PENDING).update(
        status=N.Status.CANCELLED, secret=""
    )
    if not changed:
        raise InvalidTransition(_("Only a message still waiting to go out can be cancelled."))
    notification.refresh_from_db()
    return notification
