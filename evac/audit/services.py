"""Writing the access log: one call from each page, API view and export that shows personal data.

`access_log_record` takes what the view already holds, as plain values (the caller read from
the request by evac/core/requests.py, the operation, the record's kind, id and label) and
costs exactly one INSERT: no lookups, no validation queries. It is called before the
response is built, so if the row can't be written the data is not shown.
"""

from django.contrib.auth.models import AbstractBaseUser

from evac.audit.models import (
    PERSON_ACTIONS,
    AccessAction,
    AccessChannel,
    AccessLogEntry,
    AccessObjectKind,
)
from evac.core.requests import Caller
from evac.operations.models import Operation


def access_log_record(
    *,
    caller: Caller,
    operation: Operation,
    action: AccessAction,
    kind: AccessObjectKind,
    object_id: int,
    label: str,
) -> AccessLogEntry | None:
    """Write down that `caller`'s signed-in user was shown a record (one INSERT).

    `label` is what the log calls the record: a person's reference code, a flight's number
    and date (Flight.record_label), never a name. A HEAD request is not written down: its
    answer has no body, so nobody was shown anything (the same reason manifest files are
    not handed out on HEAD).
    """
    if caller.method == "HEAD":
        return None
    if (kind == AccessObjectKind.PERSON) != (action in PERSON_ACTIONS):
        raise ValueError(f"{action} is not something done to a {kind}")
    user = caller.user
    if not isinstance(user, AbstractBaseUser):
        # The pages and the API let only signed-in staff this far.
        raise ValueError("Only a signed-in user's access is logged")
    return AccessLogEntry.objects.create(
        operation=operation,
        user=user,
        username=user.get_username(),
        action=action,
        channel=AccessChannel.API if caller.through_api else AccessChannel.WEB,
        object_kind=kind,
        object_id=object_id,
        object_label=label,
        ip_address=caller.ip_address,
    )
