"""A one-time code or a staff invitation is not sent again from the outbox, and an officer
can't cancel a coordinator's invitation: the services refuse, whatever page or API asks."""

import pytest

from evac.core.clock import now
from evac.core.errors import InvalidTransition
from evac.notifications.models import Notification
from evac.notifications.services import notification_cancel, notification_retry
from evac.operations.access import PermissionDenied

pytestmark = pytest.mark.django_db


def message(operation, kind, status, to) -> Notification:
    return Notification.objects.create(
        operation=operation,
        staff_user=to,
        kind=kind,
        channel=Notification.Channel.EMAIL,
        language="uk",
        to_address="someone@example.org",
        body="••••••",
        due_at=now(),
        status=status,
        idempotency_key=f"test-{kind}-{status}",
    )


@pytest.mark.parametrize(
    "kind", [Notification.Kind.ONE_TIME_CODE, Notification.Kind.STAFF_INVITATION]
)
def test_a_failed_code_or_invitation_is_not_sent_again(operation, bob, kind):
    failed = message(operation, kind, Notification.Status.FAILED, to=bob)

    with pytest.raises(InvalidTransition):
        notification_retry(notification=failed, by=bob)

    failed.refresh_from_db()
    assert failed.status == Notification.Status.FAILED


def test_an_officer_cannot_cancel_a_staff_invitation_a_coordinator_can(operation, alice, bob):
    pending = message(
        operation, Notification.Kind.STAFF_INVITATION, Notification.Status.PENDING, to=bob
    )

    with pytest.raises(PermissionDenied):
        notification_cancel(notification=pending, by=bob)
    pending.refresh_from_db()
    assert pending.status == Notification.Status.PENDING

    notification_cancel(notification=pending, by=alice)
    pending.refresh_from_db()
    assert pending.status == Notification.Status.CANCELLED
