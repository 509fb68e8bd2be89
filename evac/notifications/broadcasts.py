"""Broadcasts: one text to everyone on a flight, in a city or in the operation, previewed
before anything is written."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from evac.core.clock import now
from evac.flights.models import Flight
from evac.notifications import texts
from evac.notifications.addressing import citizen_address
from evac.notifications.compose import message_context
from evac.notifications.models import Notification
from evac.notifications.queue import queue_sends_on_commit
from evac.notifications.selectors import broadcast_audience
from evac.notifications.services import SEND_MESSAGES, message_to_citizen
from evac.notifications.sms import SmsLength, sms_length
from evac.operations.access import Actor, require_permission
from evac.operations.models import Operation
from evac.people.models import Citizen
from evac.places.models import City

N = Notification
# The longest SMS Evac sends, in segments: beyond 3 some phones and networks drop parts.
MAX_SMS_SEGMENTS = 3


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
        context = message_context(
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
        notification = message_to_citizen(
            key=f"broadcast:{token}:{person.pk}",
            kind=N.Kind.BROADCAST,
            operation=operation,
            citizen=person,
            flight=flight,
            due_at=now(),
            parameters={"text": text},
            by=by,
        )
        if notification is not None:
            made.append(notification)
    # All of them over one broker connection once committed, not one connection each.
    queue_sends_on_commit([n.pk for n in made if n.status == N.Status.PENDING])
    return len(made)
