"""Who may read what a message says, in one table.

Every member who may see the operation sees that a message exists: its kind, channel,
status, times and, masked, where it went. What it says (subject and text) is personal for
most kinds (a flight, a seat, a reference code, a code), so BODY_READERS names the
permission a role needs to read it, kind by kind. One-time codes are masked in the outbox
for everybody (Notification.secret); the table decides only the rest of their text.
Pages, the API and the admin ask `may_read_body` and `shown_address`; a test walks every kind
as every role (tests/notifications/test_who_reads_messages.py).
"""

from collections.abc import Collection

from evac.notifications.models import Notification
from evac.operations.access import Permission

K = Notification.Kind

BODY_READERS: dict[str, Permission] = {
    # The same words to a whole flight or city, shown on the broadcast page to its author.
    K.BROADCAST: Permission.VIEW,
    # The operation's counts, to its staff: nothing about one person.
    K.STAFF_DIGEST: Permission.VIEW,
    # About one person: their flight, seat, reference code, a change on the portal.
    K.BOOKING_CONFIRMATION: Permission.READ_MESSAGES,
    K.FLIGHT_REMINDER: Permission.READ_MESSAGES,
    K.FLIGHT_CHANGED: Permission.READ_MESSAGES,
    K.FLIGHT_CANCELLED: Permission.READ_MESSAGES,
    K.SEAT_CANCELLED: Permission.READ_MESSAGES,
    K.SEAT_OFFERED: Permission.READ_MESSAGES,
    K.SEAT_OFFER_ENDED: Permission.READ_MESSAGES,
    K.CHECK_IN: Permission.READ_MESSAGES,
    K.REGISTRATION_CONFIRMATION: Permission.READ_MESSAGES,
    K.REGISTRATION_REPEATED: Permission.READ_MESSAGES,
    K.ONE_TIME_CODE: Permission.READ_MESSAGES,
    # A new staff member's invitation: their name and username (the link is masked).
    K.STAFF_INVITATION: Permission.READ_MESSAGES,
}


def may_read_body(kind: str, permissions: Collection[Permission]) -> bool:
    """Whether a role with `permissions` may read a message of `kind` (unknown: nobody)."""
    needed = BODY_READERS.get(kind)
    return needed is not None and needed in permissions


def masked_address(address: str) -> str:
    """A phone number or e-mail address as a list may show it to anyone: "…67", "o…@mail.kz"."""
    if "@" in address:
        name, _, domain = address.partition("@")
        return f"{name[:1]}…@{domain}"
    return "…" + address[-2:] if address else ""


def shown_address(notification: Notification, permissions: Collection[Permission]) -> str:
    """Where the message went: whole for a role that reads messages to people, masked for
    anyone else (a viewer sees that a broadcast went to "…67", not the number)."""
    if Permission.READ_MESSAGES in permissions:
        return notification.to_address
    return masked_address(notification.to_address)


def shown_error(notification: Notification, permissions: Collection[Permission]) -> str:
    """Why a message failed: whole for a role that reads messages to people, only the kind
    of error (the word before the colon) for anyone else."""
    if Permission.READ_MESSAGES in permissions:
        return notification.last_error
    return notification.last_error.partition(":")[0]
