"""A real Celery worker on Redis runs the nightly anonymisation, as beat would ask it to.

Beat's side is covered elsewhere: the migration puts the nightly entry in the database
(test_retention: test_the_task_runs_every_night_from_the_database_schedule), and a real beat
process sends what the database schedules (tests/core/test_celery_worker.py).
"""

import pytest
from django.db import transaction

from evac.core.actor import EVAC
from evac.core.anonymise import ANONYMISED
from evac.flights.closing import operation_close
from evac.notifications import sms
from evac.notifications.delivery import notification_send
from evac.notifications.models import Notification
from evac.notifications.services import registration_confirmed
from evac.operations.models import Operation
from evac.people.models import Citizen
from tests.factories import make_citizen, make_operation
from tests.notifications.worker import redis_broker as redis_broker
from tests.notifications.worker import wait_until, worker, worker_environment

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sms_path(settings, tmp_path):
    """This process and the worker write and read the same SMS file."""
    settings.EVAC_SMS_BACKEND = "evac.notifications.sms.FileSmsBackend"
    settings.EVAC_SMS_FILE = tmp_path / "sms-outbox.log"
    sms._backend.cache_clear()
    yield settings.EVAC_SMS_FILE
    sms._backend.cache_clear()


def test_a_worker_on_redis_anonymises_the_operation_whose_day_has_come(
    tmp_path, sms_path, redis_broker, operation, almaty
):
    ours = make_citizen(operation, almaty, surname="Zvenyhorodska", phone="+77017730111")
    elsewhere = make_operation("Kazakhstan, a second wave", country="KZ")
    theirs = make_citizen(elsewhere, almaty, surname="Yavorivska", phone="+77017730222")
    for person in (ours, theirs):
        with transaction.atomic():  # as the registration that sends it
            message = registration_confirmed(citizen=person)
        notification_send(notification_id=message.pk)
    operation_close(operation=operation, by=EVAC, retain_days=0)  # due today
    env = worker_environment(tmp_path, sms_path)

    with worker(tmp_path, env):
        redis_broker.send_task("evac.operations.tasks.anonymise_due_operations")
        wait_until(
            lambda: Operation.objects.filter(pk=operation.pk, anonymised_at__isnull=False).exists(),
            "the operation anonymised",
            tmp_path,
        )

    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert (ours.surname, ours.phone) == (ANONYMISED, "")
    assert (theirs.surname, theirs.phone.as_e164) == ("Yavorivska", "+77017730222")
    assert not Notification.objects.filter(citizen=ours).exclude(body="").exists()
    # The worker blanked our line in the SMS file (its settings name the same file).
    lines = {line["to"] or "blank": line for line in sms.FileSmsBackend(sms_path).read()}
    assert set(lines) == {"blank", "+77017730222"}
    assert lines["blank"]["text"] == ""
    assert not Citizen.history.filter(id=ours.pk).exists()
