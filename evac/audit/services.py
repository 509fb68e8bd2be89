"""Writing the access log: one call from each page, API view and export that shows personal data.

`access_log_record` takes what the view already holds (the request, the operation, the person
or flight it fetched) and costs exactly one INSERT: no lookups, no validation queries. It is
called before the response is built, so if the row can't be written the data is not shown.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from rest_framework.request import Request

from evac.audit.models import (
    PERSON_ACTIONS,
    AccessAction,
    AccessChannel,
    AccessLogEntry,
    AccessObjectKind,
)
from evac.core.requests import client_ip
from evac.flights.models import Flight
from evac.operations.models import Operation
from evac.people.models import Citizen


def _label(subject: Citizen | Flight) -> str:
    """What the log calls a record: a person's reference code, a flight's number and date."""
    if isinstance(subject, Citizen):
        return subject.reference
    return f"{subject.number} {subject.departs_local.date().isoformat()}"


def access_log_record(
    *,
    request: HttpRequest | Request,
    operation: Operation,
    action: AccessAction,
    subject: Citizen | Flight,
) -> AccessLogEntry | None:
    """Write down that the signed-in user of `request` was shown `subject` (one INSERT).

    The channel follows from the request: an API request (Django REST framework's) or a
    staff page. A HEAD request is not written down: its answer has no body, so nobody was
    shown anything (the same reason manifest files are not handed out on HEAD).
    """
    if request.method == "HEAD":
        return None
    is_person = isinstance(subject, Citizen)
    if is_person != (action in PERSON_ACTIONS):
        raise ValueError(f"{action} is not something done to a {type(subject).__name__}")
    user = request.user
    if not isinstance(user, AbstractBaseUser):
        # The pages and the API let only signed-in staff this far.
        raise ValueError("Only a signed-in user's access is logged")
    kind = AccessObjectKind.PERSON if is_person else AccessObjectKind.FLIGHT
    return AccessLogEntry.objects.create(
        operation=operation,
        user=user,
        username=user.get_username(),
        action=action,
        channel=AccessChannel.API if isinstance(request, Request) else AccessChannel.WEB,
        object_kind=kind,
        object_id=subject.pk,
        object_label=_label(subject),
        ip_address=client_ip(request),
    )
