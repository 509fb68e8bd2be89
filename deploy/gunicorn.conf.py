"""gunicorn settings for Evac in production: `gunicorn -c deploy/gunicorn.conf.py evac.wsgi`.

gthread workers: each process serves several requests at once on threads, so a request
waiting on PostgreSQL or a slow client doesn't hold a whole process. Under booking bursts
they kept clearly ahead of the default sync workers. Every value can be changed from the
environment (GUNICORN_CMD_ARGS also works, as for any gunicorn).
"""

import os

bind = os.environ.get("EVAC_BIND", "127.0.0.1:8000")
worker_class = "gthread"
# About two processes per core; each with a few threads. A Django request holds the GIL
# only while it computes; the rest of the time it waits on the database.
workers = int(os.environ.get("GUNICORN_WORKERS", str(2 * (os.cpu_count() or 1))))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A request that takes longer than this is killed and its worker restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle a worker after this many requests (with jitter, so not all at once): bounds any slow
# leak without a restart of the service.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
# Behind a proxy on the same host, trust its X-Forwarded-* headers only from there.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Access log to stdout (journald or the container's log); Evac's own log is JSON on stderr.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
