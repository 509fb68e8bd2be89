"""The periodic messages beat asks for: check-ins to people still waiting, and the staff's
daily digest. Both are keyed by the day, so a second run on the same day makes nothing new.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef

from evac.core.clock import now
from evac.notifications.models import Notification
from evac.notifications.selectors import staff_digest
from evac.notifications.services import _message_to_staff, message_to_citizen
from evac.operations.models import Operation, Role
from evac.people.models import Citizen

N = Notification


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
                message_to_citizen(
                    key=f"check_in:{citizen.pk}:{moment.date().isoformat()}",
                    kind=N.Kind.CHECK_IN,
                    operation=citizen.operation,
                    citizen=citizen,
                    due_at=moment,
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
                _message_to_staff(
                    key=f"digest:{operation.pk}:{user.pk}:{moment.date().isoformat()}",
                    operation=operation,
                    user=user,
                    due_at=moment,
                    context=context,
                )
                made += 1
    return made
