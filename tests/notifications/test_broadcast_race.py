""" "Send" pressed twice at the same moment, from two tabs or a double click that reached two
web processes: one broadcast goes out, the other press is told it already went.

Each thread has its own database connection, as two web requests do; a barrier lets them
go at once. The broadcast's unique token is what decides, in the database.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from evac.notifications.broadcasts import BroadcastAlreadySent, broadcast_send
from evac.notifications.models import Broadcast, Notification
from tests.factories import make_citizen

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
N = Notification


def test_two_sends_of_one_preview_at_once_write_one_broadcast(operation, almaty, alice):
    assert connection.vendor == "postgresql"
    people = [make_citizen(operation, almaty, phone=f"+7701300{i:04d}") for i in range(20)]
    barrier = threading.Barrier(2)

    def press() -> str:
        barrier.wait()
        try:
            broadcast_send(
                operation=operation, by=alice, texts={"*": "Stay in."}, token="t", city=almaty
            )
            return "sent"
        except BroadcastAlreadySent:
            return "already sent"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = sorted(pool.map(lambda _: press(), range(2)))

    assert answers == ["already sent", "sent"]
    assert Broadcast.objects.get(token="t").messages == len(people)
    assert N.objects.filter(kind=N.Kind.BROADCAST).count() == len(people)
