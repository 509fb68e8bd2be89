import os

from celery import Celery, signals

from evac.core.worker import close_dead_connections_before_task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "evac.settings")

# Every task runs once more if its database connection died under it (evac/core/worker.py).
app = Celery("evac", task_cls="evac.core.worker:DatabaseRetryingTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
signals.task_prerun.connect(close_dead_connections_before_task, weak=False)
