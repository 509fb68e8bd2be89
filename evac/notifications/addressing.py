"""Who a message goes to and where: a person's address for messages, and the messages still
waiting for them rewritten when their contact details or language change."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from evac.notifications.compose import message_context, message_fields
from evac.notifications.models import Notification
from evac.people.models import Citizen

N = Notification


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


def chosen_address(citizen: Citizen, channel: str) -> Address | None:
    """The phone or the e-mail on file, as the person picked (for a one-time code)."""
    if channel == N.Channel.EMAIL:
        return Address(N.Channel.EMAIL, citizen.email) if citizen.email else None
    return Address(N.Channel.SMS, citizen.phone.as_e164) if citizen.phone else None


# The fields of a person that citizen_reach reads.
MESSAGE_FIELDS = frozenset({"phone", "email", "preferred_channel", "preferred_language"})


def citizen_reach(citizen: Citizen) -> tuple[Address | None, str]:
    """Where and in which language a message to this person goes: when this changes, the
    messages still waiting for them are rewritten (notifications_readdress)."""
    return citizen_address(citizen), citizen.preferred_language


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
    again in the person's language from the same context (compose.message_context). A
    message whose text can't be made again keeps its words on the same channel; one with
    nowhere left to go, or with no words for its new channel, is cancelled with the reason
    in its last error.

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
    context = message_context(
        notification.kind,
        operation=notification.operation,
        citizen=citizen,
        flight=notification.flight,
        parameters=notification.parameters,
    )
    if context is not None:
        return message_fields(
            notification.kind,
            citizen.preferred_language,
            channel=address.channel,
            to=address.to,
            context=context,
        )
    if address.channel != notification.channel:
        # An SMS has no subject and an e-mail's lines would not fit an SMS.
        return {"status": N.Status.CANCELLED, "last_error": NOT_REWRITTEN}
    return {"to_address": address.to}
