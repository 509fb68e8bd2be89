"""A send and a new phone number at the same moment: the message goes out once, to the old
number in the old words or to the new number in the new words, never a mix of the two.

Each thread has its own database connection, as a worker and a web request do. A barrier
lets them all go at once, or the test waits until PostgreSQL says a claim is waiting for a
row lock; nothing waits on a clock.
"""

import queue
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections, transaction

from evac.core.actor import EVAC
from evac.flights.services import booking_create
from evac.notifications import delivery
from evac.notifications.models import Notification
from evac.people.models import Citizen
from evac.people.services import citizen_update
from tests.factories import make_citizen
from tests.flights.races import wait_until_waiting_for_a_lock

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
N = Notification
PEOPLE = 10  # the flight's seats


def _race(jobs: list[Callable[[], object]]) -> list[object]:
    """Run the jobs at the same moment, one thread and one connection each."""
    barrier = threading.Barrier(len(jobs))

    def run(job: Callable[[], object]) -> object:
        barrier.wait()
        try:
            return job()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))


def test_a_send_racing_a_new_number_goes_once_wholly_old_or_wholly_new(
    operation, almaty, flight, bob, sms_file
):
    assert connection.vendor == "postgresql"
    people = [
        make_citizen(operation, almaty, phone=f"+7701100{i:04d}", preferred_language="uk")
        for i in range(PEOPLE)
    ]
    for person in people:
        booking_create(flight=flight, citizen=person, by=EVAC)
    confirmations = {n.citizen_id: n for n in N.objects.filter(kind=N.Kind.BOOKING_CONFIRMATION)}
    new_phone = {person.pk: f"+7701200{i:04d}" for i, person in enumerate(people)}
    jobs: list[Callable[[], object]] = []
    for person in people:
        jobs.append(
            lambda pk=person.pk: citizen_update(
                citizen=Citizen.objects.get(pk=pk),
                by=bob,
                phone=new_phone[pk],
                preferred_language="en",
            )
        )
        jobs.append(
            lambda n=confirmations[person.pk]: delivery.notification_send(notification_id=n.pk)
        )

    _race(jobs)

    lines = sms_file.read()
    assert len(lines) == PEOPLE  # each confirmation once
    outcomes = Counter()
    for person in people:
        before = confirmations[person.pk]
        (line,) = [line for line in lines if line["reference"] == str(before.pk)]
        sent = N.objects.get(pk=before.pk)
        assert sent.status == N.Status.SENT and sent.attempts == 1
        # The row says what went out, and what went out is one version whole.
        assert (sent.to_address, sent.body) == (line["to"], line["text"])
        if line["to"] == before.to_address:
            assert (line["text"], sent.language) == (before.body, "uk")
            outcomes["old"] += 1
        else:
            assert line["to"] == new_phone[person.pk]
            assert sent.language == "en" and line["text"].startswith("Your seat is booked")
            outcomes["new"] += 1
    assert outcomes.total() == PEOPLE


def test_a_claim_that_comes_while_the_new_number_is_saved_sends_the_new_version(
    operation, almaty, flight, bob, sms_file
):
    assert connection.vendor == "postgresql"
    person = make_citizen(operation, almaty, phone="+77011000001", preferred_language="uk")
    booking_create(flight=flight, citizen=person, by=EVAC)
    confirmation = N.objects.get(kind=N.Kind.BOOKING_CONFIRMATION)
    worker_pid: queue.Queue[int] = queue.Queue()

    def worker() -> str:
        try:
            connection.ensure_connection()
            worker_pid.put(connection.connection.info.backend_pid)
            return delivery.notification_send(notification_id=confirmation.pk)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        with transaction.atomic():
            citizen_update(citizen=person, by=bob, phone="+77012000001", preferred_language="en")
            outcome = pool.submit(worker)
            wait_until_waiting_for_a_lock(worker_pid.get(timeout=30))
        assert outcome.result(timeout=30) == "sent"

    (line,) = sms_file.read()
    sent = N.objects.get(pk=confirmation.pk)
    assert (line["to"], line["text"]) == ("+77012000001", sent.body)
    assert sent.body.startswith("Your seat is booked") and sent.language == "en"
