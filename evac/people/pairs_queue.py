"""Asking a worker to score a portal registration's likely pairs, by the task's name.

A registration on the public portal is scored for duplicates by a worker after the
registration commits, not while the stranger who typed it waits: scoring in the request
would make a new person cost more work than one already on file, which a stranger could
time. The task (people.tasks.score_pairs) calls the same finder as staff intake does.
"""

import logging
from collections.abc import Collection
from functools import partial

from django.db import transaction

from evac.celery import app
from evac.core.broker import quick_broker_options

logger = logging.getLogger(__name__)

SCORE_PAIRS = "evac.people.tasks.score_pairs"


def queue_pairs_on_commit(citizen_ids: Collection[int]) -> None:
    transaction.on_commit(partial(_queue, sorted(citizen_ids)))


def _queue(citizen_ids: list[int]) -> None:
    try:
        with app.connection_for_write(transport_options=quick_broker_options()) as connection:
            connection.ensure_connection(max_retries=0)
            producer = connection.Producer()
            app.send_task(SCORE_PAIRS, args=(citizen_ids,), producer=producer, retry=False)
    except Exception:
        # The registration stands; staff's scan of the operation finds its pairs.
        logger.exception("could not queue the scoring of %s", citizen_ids)
