"""One message to one person on one channel, written before anything is sent.

The row is the source of truth: the broker only carries "look at notification 42 now", so
flushing Redis loses nothing, and a send claims its row with a conditional UPDATE first, so
a retried or redelivered task never sends twice.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evac.core.clock import now
from evac.flights.models import Booking, Flight
from evac.operations.models import Operation
from evac.people.models import Citizen, Language


class NotificationChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


class NotificationKind(models.TextChoices):
    BOOKING_CONFIRMATION = "booking_confirmation", _("Booking confirmation")
    FLIGHT_REMINDER = "flight_reminder", _("Flight reminder")
    FLIGHT_CHANGED = "flight_changed", _("Flight changed")
    FLIGHT_CANCELLED = "flight_cancelled", _("Flight cancelled")
    SEAT_CANCELLED = "seat_cancelled", _("Seat cancelled")
    CHECK_IN = "check_in", _("Check-in")
    BROADCAST = "broadcast", _("Broadcast")
    STAFF_DIGEST = "staff_digest", _("Staff digest")
    REGISTRATION_CONFIRMATION = "registration_confirmation", _("Registration confirmation")
    ONE_TIME_CODE = "one_time_code", _("One-time code")
    # To the person on file when someone registers again with their details on the portal.
    REGISTRATION_REPEATED = "registration_repeated", _("Registration repeated")
    # Free seats held for the person until a deadline, and the end of that hold.
    SEAT_OFFERED = "seat_offered", _("Seat offered")
    SEAT_OFFER_ENDED = "seat_offer_ended", _("Seat offer ended")
    # A new staff member's link to set their password (evac/notifications/invitations.py).
    STAFF_INVITATION = "staff_invitation", _("Staff invitation")


# Messages to members of staff: sent by e-mail only, never by SMS, so the SMS length limit
# (three segments) doesn't bind them.
STAFF_KINDS = frozenset({NotificationKind.STAFF_DIGEST, NotificationKind.STAFF_INVITATION})


# What the outbox holds in place of a one-time code or an invitation's token: the secret
# goes only to the provider (Notification.secret, emptied once the message is sent or given
# up).
CODE_MASK = "••••••"


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class Notification(models.Model):
    Channel = NotificationChannel
    Kind = NotificationKind
    Status = NotificationStatus

    # Foreign keys that a composite index in Meta starts with get no index of their own:
    # every send updates its row twice, and every index is written each time.
    # None only for an invitation to headquarters, which is no operation's (its outbox
    # pages and API list an operation's messages, so they never show it).
    operation = models.ForeignKey(
        Operation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        db_index=False,
    )
    # The recipient is a citizen, or a staff member (the daily digest): exactly one of them.
    citizen = models.ForeignKey(
        Citizen,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        db_index=False,
    )
    staff_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("staff recipient"),
    )
    booking = models.ForeignKey(
        Booking,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        db_index=False,
    )
    flight = models.ForeignKey(
        Flight,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        db_index=False,
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind)
    language = models.CharField(_("language"), max_length=2, choices=Language)
    # Rendered when scheduled (and again when re-timed), so staff see exactly what goes out.
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    # What the text was made from that no other row holds (a broadcast's words, a reminder's
    # hours before departure, the portal's address), so the text can be made again in a new
    # language or for a new channel when the person's contact details change.
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    # A one-time code: subject and body hold CODE_MASK, and the hand-over puts this in its
    # place. Kept only until the provider has the message (or it is given up); never shown
    # on a page, in the API or in the admin (evac/notifications/privacy.py).
    secret = models.CharField(max_length=32, blank=True, editable=False)
    to_address = models.CharField(_("to"), max_length=254)
    due_at = models.DateTimeField(_("due at"))
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.PENDING)
    # Counts claims: each claim is one attempt to hand the message to the provider.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    provider_message_id = models.CharField(_("provider message id"), max_length=200, blank=True)
    # Says what the message is about (e.g. "reminder:<booking>:24h:<departure>"), so asking
    # for the same message twice finds the first one instead of making a second.
    idempotency_key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(_("created at"), default=now)
    # Who wrote a broadcast: never searched by, so no index to keep up to date.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    # When the dispatcher last put it on the broker: not queued again until it looks lost.
    queued_at = models.DateTimeField(null=True, blank=True)
    # When a sender claimed it: a "sending" row whose claim is old belongs to a dead worker.
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-due_at", "-pk"]
        indexes = [
            # The dispatcher's question: which pending messages are due?
            models.Index(
                fields=["due_at"], condition=Q(status="pending"), name="notification_pending_due"
            ),
            models.Index(
                fields=["claimed_at"],
                condition=Q(status="sending"),
                name="notification_sending_claimed",
            ),
            models.Index(fields=["operation", "-due_at"], name="notification_op_due"),
            models.Index(fields=["citizen", "-due_at"], name="notification_citizen_due"),
            models.Index(fields=["flight", "-due_at"], name="notification_flight_due"),
            models.Index(fields=["booking", "status"], name="notification_booking_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in NotificationStatus]),
                name="notification_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=[c.value for c in NotificationChannel]),
                name="notification_channel_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in NotificationKind]),
                name="notification_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(citizen__isnull=False, staff_user__isnull=True)
                | Q(citizen__isnull=True, staff_user__isnull=False),
                name="notification_one_recipient",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="notification_sent_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="sending") | Q(claimed_at__isnull=False),
                name="notification_sending_is_claimed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.to_address} ({self.get_status_display()})"

    @property
    def recipient(self):
        return self.citizen or self.staff_user

    @property
    def can_retry(self) -> bool:
        # A code is not sent again: it is gone, and the person asks the portal for a new one
        # (an invitation: a coordinator sends a new link).
        return self.status == self.Status.FAILED and self.kind not in (
            self.Kind.ONE_TIME_CODE,
            self.Kind.STAFF_INVITATION,
        )

    @property
    def can_cancel(self) -> bool:
        return self.status == self.Status.PENDING


class Broadcast(models.Model):
    """A broadcast as staff sent it: its texts, its audience and how many it reached.

    The token comes from the preview page, and is unique within the operation: a send
    pressed twice, or a page sent again from the browser's history, finds the first and
    sends nothing more. Only within it: the caller names the token, so a token another
    operation used must neither block this one's broadcast nor tell of the other's.
    """

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="broadcasts")
    token = models.CharField(max_length=64)
    flight = models.ForeignKey(
        Flight, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    city = models.ForeignKey(
        "places.City", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # {"uk": "…", "en": "…"}, or {"*": "…"} for one text to everyone.
    texts = models.JSONField(_("texts"))
    messages = models.PositiveIntegerField(_("messages"))
    created_at = models.DateTimeField(_("sent at"), default=now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "token"], name="one_broadcast_per_token_in_operation"
            )
        ]

    def __str__(self) -> str:
        return f"Broadcast {self.token[:8]} ({self.messages})"
