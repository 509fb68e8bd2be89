from celery import shared_task


@shared_task
def ping(payload: str = "pong") -> str:
    """A task with no side effects, to prove a worker is wired and alive."""
    return payload
