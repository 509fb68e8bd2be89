import os

from celery import Celery, signals

from evac.core.logs import add_request_id_to_task, adopt_request_id, forget_request_id
from evac.core.worker import Heartbeat, close_dead_connections_before_task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "evac.settings")

# Every task runs once more if its database connection died under it (evac/core/worker.py).
app = Celery("evac", task_cls="evac.core.worker:DatabaseRetryingTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Each worker node's heartbeat, for the metrics endpoint (evac/core/worker.py).
app.steps["worker"].add(Heartbeat)
signals.task_prerun.connect(close_dead_connections_before_task, weak=False)
# The id of the web request that queued a task follows it into the worker's log lines.
signals.before_task_publish.connect(add_request_id_to_task, weak=False)
signals.task_prerun.connect(adopt_request_id, weak=False)
signals.task_postrun.connect(forget_request_id, weak=False)


@signals.setup_logging.connect(weak=False)
def use_django_logging(**_signal) -> None:
    """Workers and beat log as the web processes do (settings.LOGGING: JSON lines)."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
