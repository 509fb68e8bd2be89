"""Asking a worker to run an import, by the task's name (the task module calls the service)."""

import logging
from functools import partial

from django.db import transaction

from evac.celery import app
from evac.core.broker import quick_broker_options

logger = logging.getLogger(__name__)

RUN_IMPORT = "evac.people.tasks.run_import"


def queue_import_on_commit(import_id: int) -> None:
    transaction.on_commit(partial(_queue, import_id))


def _queue(import_id: int) -> None:
    try:
        with app.connection_for_write(transport_options=quick_broker_options()) as connection:
            connection.ensure_connection(max_retries=0)
            producer = connection.Producer()
            app.send_task(RUN_IMPORT, args=(import_id,), producer=producer, retry=False)
    except Exception:
        # The import stays queued; the page says so and staff can start it again.
        logger.exception("could not queue import %d", import_id)
