"""Delivery: which messages are due for the workers, and each send as claim → hand over →
record, with no transaction open across the provider call:
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
from datetime import timedelta
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction

from evac.core.clock import now
from evac.notifications.models import CODE_MASK, Notification
from evac.notifications.sms import (
    PermanentSendError,
    SendError,
    TransientSendError,
    sms_backend,
)

logger = logging.getLogger(__name__)

N = Notification


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


def notifications_requeue_lost() -> int:
    """The broker lost its queue: pending messages marked as on it are marked as not, so the
    dispatch round that follows queues them again. Returns how many."""
    return N.objects.filter(status=N.Status.PENDING, queued_at__isnull=False).update(queued_at=None)


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
            this_claim.update(
                status=N.Status.SENT, sent_at=now(), provider_message_id=found, secret=""
            )
            return "sent"
    try:
        message_id = _hand_over(notification)
    except TransientSendError as error:
        if notification.attempts >= settings.EVAC_NOTIFICATION_MAX_ATTEMPTS:
            this_claim.update(status=N.Status.FAILED, last_error=_error_text(error), secret="")
            return "failed"
        this_claim.update(
            status=N.Status.PENDING,
            due_at=now() + _backoff(notification.attempts),
            queued_at=None,
            last_error=_error_text(error),
        )
        return "retry later"
    except PermanentSendError as error:
        this_claim.update(status=N.Status.FAILED, last_error=_error_text(error), secret="")
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
            f"last_error = '', secret = '' {no_disk_wait}"
            "WHERE id = %s AND status = %s AND attempts = %s",
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


def _unmasked(text: str, notification: Notification) -> str:
    """The text as the provider gets it: a one-time code in place of its mask."""
    return text.replace(CODE_MASK, notification.secret) if notification.secret else text


def _hand_over(notification: Notification) -> str:
    if notification.channel == N.Channel.SMS:
        return sms_backend().send(
            to=notification.to_address,
            text=_unmasked(notification.body, notification),
            reference=str(notification.pk),
        )
    return _send_email(notification)


# SMTP replies that no retry will change: the address or the sender is refused for good.
_PERMANENT_SMTP = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused)
# django-anymail's errors for a refused or malformed address, by name so it stays optional.
_PERMANENT_ANYMAIL = {"AnymailRecipientsRefused", "AnymailInvalidAddress"}


def _send_email(notification: Notification) -> str:
    message_id = make_msgid(domain="evac.local")
    email = EmailMessage(
        subject=_unmasked(notification.subject, notification),
        body=_unmasked(notification.body, notification),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.to_address],
        headers={"Message-ID": message_id, "X-Evac-Notification": str(notification.pk)},
    )
    try:
        email.send()
    # Only the kind of error and the server's code are kept, never its text: it may quote
    # the address or the message (a one-time code), and staff read last_error.
    except _PERMANENT_SMTP as error:
        raise PermanentSendError(f"{error.__class__.__name__}") from error
    except smtplib.SMTPResponseException as error:
        cls = PermanentSendError if 500 <= error.smtp_code < 600 else TransientSendError
        raise cls(f"SMTP answered {error.smtp_code}") from error
    except Exception as error:
        if error.__class__.__name__ in _PERMANENT_ANYMAIL:
            raise PermanentSendError(error.__class__.__name__) from error
        raise TransientSendError(error.__class__.__name__) from error
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
                status=N.Status.SENT, sent_at=now(), provider_message_id=found, secret=""
            )
        elif found == "":
            settled += this_claim.update(
                status=N.Status.PENDING,
                due_at=now(),
                queued_at=None,
                last_error="A worker stopped before handing this message over.",
            )
        else:
            settled += this_claim.update(
                status=N.Status.FAILED, last_error=UNKNOWN_OUTCOME, secret=""
            )
        logger.warning("settled notification %s left sending by a dead worker", notification.pk)
    return settled


def _find_sent(notification: Notification) -> str | None:
    if notification.channel != N.Channel.SMS:
        return None  # an SMTP server keeps no record we can ask
    try:
        return sms_backend().find_sent(
            reference=str(notification.pk),
            to=notification.to_address,
            text=_unmasked(notification.body, notification),
            since=notification.claimed_at,
        )
    except SendError:
        return None
