"""What of messages is personal, and its erasure when their operation is anonymised.

Subject, text, parameters, address, last error and the provider's id go, and so do the
words of each broadcast (pending messages
are cancelled, since a message whose text is gone must never go out); kind, channel,
language, status and times stay. So do the copies Evac itself wrote: the SMS backend
forgets its lines (the file backend's file), and the e-mail folder of Django's file
backend loses the operation's messages. A real provider keeps its own copies, out of reach.
"""

from email.parser import BytesParser
from email.policy import default
from pathlib import Path

from django.conf import settings
from django.db import transaction

from evac.core.anonymise import admin_log_forget_of_operation, batches, declare, erased
from evac.notifications.models import Broadcast, Notification
from evac.notifications.sms import sms_backend
from evac.operations.models import Operation

N = Notification
FIELDS = {
    N: declare(
        personal={
            "subject",
            "body",
            "parameters",
            "to_address",
            "last_error",
            "provider_message_id",
            # A one-time code not yet handed over (emptied once it is).
            "secret",
        },
        # The key names what a message was about by ids and times ("confirmation:42").
        kept={"channel", "kind", "language", "status", "idempotency_key"},
    ),
    # Staff's words may name people ("Koval family: the bus leaves at 06:00").
    Broadcast: declare(personal={"texts"}, kept={"token"}),
}


def notifications_admin_log_forget(operation: Operation) -> None:
    admin_log_forget_of_operation(N, operation.pk)


def notifications_anonymise(operation: Operation) -> tuple[int, int]:
    """Erase the operation's messages, in the database and in the files Evac wrote; returns
    how many messages and how many files changed."""
    erase = {name: erased(N, name) for name in sorted(FIELDS[N].personal)}
    ids: list[int] = []
    for batch in batches(N.objects.filter(operation=operation)):
        with transaction.atomic():
            N.objects.filter(pk__in=batch, status=N.Status.PENDING).update(
                status=N.Status.CANCELLED
            )
            N.objects.filter(pk__in=batch).update(**erase)
        ids.extend(batch)
    Broadcast.objects.filter(operation=operation).update(texts=erased(Broadcast, "texts"))
    if not ids:
        return 0, 0
    references = {str(pk) for pk in ids}
    files = sms_backend().forget(references=references) + _mail_folder_forget(references)
    return len(ids), files


_MAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # Django's file e-mail backend, after each message


def _mail_folder_forget(references: set[str]) -> int:
    """Remove these messages from the e-mail folder; returns the files changed.

    Each send writes a file of its own, which is never written again, so a file is
    rewritten (or deleted) whole. Messages are recognised by their X-Evac-Notification header.
    """
    backend = settings.EMAIL_BACKEND
    folder = Path(settings.EMAIL_FILE_PATH or "")
    if backend != "django.core.mail.backends.filebased.EmailBackend" or not folder.is_dir():
        return 0
    changed = 0
    for path in sorted(folder.iterdir()):
        if not path.is_file():
            continue
        messages = path.read_bytes().split(_MAIL_SEPARATOR)
        kept = [m for m in messages if _notification_of(m) not in references]
        if len(kept) == len(messages):
            continue
        if any(m.strip() for m in kept):
            temporary = path.with_name(path.name + ".anonymising")
            temporary.write_bytes(_MAIL_SEPARATOR.join(kept))
            temporary.replace(path)
        else:
            path.unlink()
        changed += 1
    return changed


def _notification_of(message: bytes) -> str | None:
    value = (
        BytesParser(policy=default).parsebytes(message, headersonly=True).get("X-Evac-Notification")
    )
    return None if value is None else str(value).strip()
