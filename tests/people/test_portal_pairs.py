"""A registration on the public portal is scored for duplicates by a worker, after it
commits, through the same finder as staff intake; never while the stranger waits."""

from datetime import date

import pytest
from django.db import transaction

from evac.celery import app as celery_app
from evac.people.models import Citizen, DuplicatePair
from evac.people.pairs_queue import SCORE_PAIRS
from evac.people.tasks import score_pairs
from evac.portal.services import portal_register
from tests.conftest import use_broker
from tests.factories import make_citizen
from tests.notifications.worker import redis_broker as redis_broker
from tests.notifications.worker import wait_until, worker, worker_environment

BORN = date(1988, 4, 23)


def iuliia(**fields) -> dict:
    person = {
        "surname": "SHEVCHENKO",
        "given_names": "IULIIA",
        "date_of_birth": BORN,
        "sex": "F",
        "nationality": "UA",
        "document_type": "none",
        "document_number": "",
        "phone": "+77015551234",
        "email": "",
        "preferred_language": "uk",
        "preferred_channel": "sms",
        "medical_details": "",
    }
    return {**person, **fields}


def register_on_portal(operation, almaty) -> Citizen:
    with transaction.atomic():
        (registered,) = portal_register(
            operation=operation, people=[iuliia()], place={"current_city": almaty}
        )
    return registered


def queued_messages() -> list:
    with celery_app.connection_for_write() as broker:
        queue = broker.SimpleQueue("celery")
        messages = []
        while queue.qsize():
            message = queue.get(timeout=1)
            message.ack()
            messages.append(message)
        queue.close()
    return messages


@pytest.mark.django_db
def test_the_portal_queues_the_scoring_and_the_task_stores_the_pair(
    operation, almaty, monkeypatch, django_capture_on_commit_callbacks
):
    use_broker(monkeypatch, "memory://")
    on_file = make_citizen(
        operation, almaty, surname="SHEVCHENKO", given_names="YULIIA", date_of_birth=BORN
    )

    with django_capture_on_commit_callbacks(execute=True):
        registered = register_on_portal(operation, almaty)

    # Nothing scored in the request: the pair waits for the worker.
    assert not DuplicatePair.objects.exists()
    (message,) = [m for m in queued_messages() if m.headers["task"] == SCORE_PAIRS]
    args, kwargs, _embed = message.payload
    assert args == [[registered.pk]]

    score_pairs.apply(args=args, kwargs=kwargs)

    pair = DuplicatePair.objects.get()
    assert (pair.first_id, pair.second_id) == (on_file.pk, registered.pk)
    assert pair.likelihood >= 0.6


@pytest.mark.django_db
def test_the_task_skips_someone_gone_since(operation, almaty):
    score_pairs.apply(args=[[987654]])

    assert not DuplicatePair.objects.exists()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_on_redis_scores_a_portal_registration(tmp_path, redis_broker, operation, almaty):
    on_file = make_citizen(
        operation, almaty, surname="SHEVCHENKO", given_names="YULIIA", date_of_birth=BORN
    )
    env = worker_environment(tmp_path, tmp_path / "sms-outbox.log")

    with worker(tmp_path, env):
        registered = register_on_portal(operation, almaty)
        wait_until(
            lambda: DuplicatePair.objects.filter(first=on_file, second=registered).exists(),
            "the portal registration's pair stored by the worker",
            tmp_path,
        )


def scoring_sends(operation, almaty, people: list[dict], capture) -> list:
    with capture(execute=True), transaction.atomic():
        portal_register(operation=operation, people=people, place={"current_city": almaty})
    return [m for m in queued_messages() if m.headers["task"] == SCORE_PAIRS]


@pytest.mark.django_db
def test_one_scoring_send_per_registration_whoever_is_on_file(
    operation, almaty, monkeypatch, django_capture_on_commit_callbacks
):
    """A send to the broker is work a stranger could time: a new household, a repeat and a
    household half on file each make exactly one, so none of them says who is on file."""
    use_broker(monkeypatch, "memory://")
    family = [
        iuliia(),
        iuliia(given_names="TARAS", sex="M", date_of_birth=date(1986, 2, 1), phone=""),
        iuliia(given_names="DARYNA", date_of_birth=date(2015, 7, 9), phone=""),
    ]
    capture = django_capture_on_commit_callbacks

    new = scoring_sends(operation, almaty, family, capture)
    repeat = scoring_sends(operation, almaty, family, capture)
    half = scoring_sends(
        operation,
        almaty,
        [family[0], iuliia(given_names="OSTAP", sex="M", date_of_birth=date(2017, 1, 3))],
        capture,
    )

    assert (len(new), len(repeat), len(half)) == (1, 1, 1)
    # The repeat scores the records on file again, with what was just typed beside them.
    (args, _kwargs, _embed) = repeat[0].payload
    assert sorted(args[0]) == list(Citizen.objects.order_by("pk").values_list("pk", flat=True)[:3])
