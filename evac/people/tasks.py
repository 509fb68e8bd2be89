"""Celery tasks of the registry: each takes an id and calls one service."""

from celery import shared_task

from evac.people import duplicates, imports, queue
from evac.people.import_queue import RUN_IMPORT
from evac.people.pairs_queue import SCORE_PAIRS


# Safe to run twice: a second run finds the rows the first registered by their fingerprints.
@shared_task(name=RUN_IMPORT, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_import(import_id: int) -> int:
    return imports.import_run(import_id=import_id).rows_created


@shared_task(ignore_result=True)
def refresh_waiting_list_birthdays() -> None:
    queue.refresh_birthdays()


# Safe to run twice: scoring stores the same pairs again.
@shared_task(name=SCORE_PAIRS, ignore_result=True)
def score_pairs(citizen_ids: list[int]) -> int:
    return duplicates.pairs_score_registered(citizen_ids=citizen_ids)
