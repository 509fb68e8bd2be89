"""Two writes to one household at the same moment leave the maintained counts right.

A write tallies its unit (the person and the households they leave or join) before and after
the save and adds the difference. On PostgreSQL, under READ COMMITTED, a "before" taken while
another transaction is changing a member of the same household would include that change once
committed, and the count would take it twice. The test holds one transaction open after
changing a member, starts the second write on another connection, waits until PostgreSQL
says that write waits for a row lock, then commits; nothing waits on a clock.
"""

import queue
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from django.db import connection, connections, transaction

from evac.core.actor import EVAC
from evac.people.models import Citizen
from evac.people.services import citizen_set_status, citizen_update, household_register
from tests.flights.races import wait_until_waiting_for_a_lock
from tests.people.test_people_counts import _member, assert_counts_are_right

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_members_of_one_household_changed_at_once_are_each_counted_once(
    operation, almaty, nur_sultan, bob
):
    assert connection.vendor == "postgresql"
    family = household_register(
        operation=operation,
        source=Citizen.Source.STAFF_INTAKE,
        by=EVAC,
        members=[
            _member("Taras", date(1980, 2, 1), almaty),
            _member("Iryna", date(1982, 6, 12), almaty),
        ],
    )
    taras, iryna = family.members.order_by("pk")
    second_pid: queue.Queue[int] = queue.Queue()

    def move_iryna() -> None:
        try:
            connection.ensure_connection()
            second_pid.put(connection.connection.info.backend_pid)
            citizen_update(
                citizen=Citizen.objects.get(pk=iryna.pk), by=bob, current_city=nur_sultan
            )
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        with transaction.atomic():
            citizen_set_status(citizen=taras, status=Citizen.Status.LEFT_BY_OWN_MEANS, by=bob)
            second = pool.submit(move_iryna)
            wait_until_waiting_for_a_lock(second_pid.get(timeout=30))
        second.result(timeout=30)

    assert_counts_are_right(operation)
