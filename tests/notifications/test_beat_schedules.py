"""migrate puts the notification schedules in django-celery-beat's tables, once."""

import importlib

import pytest
from django.apps import apps
from django_celery_beat.models import PeriodicTask

pytestmark = pytest.mark.django_db

schedules = importlib.import_module("evac.notifications.migrations.0002_beat_schedules")


def _ours():
    return PeriodicTask.objects.filter(task__startswith="evac.notifications.")


def test_dispatch_runs_every_30_seconds_and_check_ins_and_digest_daily():
    _ours().delete()

    schedules.create_schedules(apps, None)

    tasks = {task.task.rsplit(".", 1)[1]: task for task in _ours()}
    assert set(tasks) == {"dispatch_due", "schedule_check_ins", "schedule_staff_digests"}
    assert (tasks["dispatch_due"].interval.every, tasks["dispatch_due"].interval.period) == (
        30,
        "seconds",
    )
    assert tasks["schedule_check_ins"].crontab.hour == "4"
    assert tasks["schedule_staff_digests"].crontab.hour == "3"
    assert all(task.enabled for task in tasks.values())


def test_running_it_again_keeps_what_an_administrator_changed():
    _ours().delete()
    schedules.create_schedules(apps, None)
    _ours().filter(task__endswith="schedule_check_ins").update(enabled=False)

    schedules.create_schedules(apps, None)

    assert _ours().count() == 3
    assert not _ours().get(task__endswith="schedule_check_ins").enabled
