"""Tells every page of the demo operation, staff's and the public's, what it is looking at."""

from django.http import HttpRequest

from evac.demo.models import Replay
from evac.demo.scenario import OPERATION_SLUG


def demo_replay(request: HttpRequest) -> dict:
    """The demo's Replay on the pages of its operation (/ops/<op>/…, /p/<op>/…). Other pages
    cost no query: only the demo operation's short name is looked up."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.kwargs.get("op") != OPERATION_SLUG:
        return {}
    replay = Replay.objects.filter(operation__slug=OPERATION_SLUG).first()
    return {"demo_replay": replay} if replay else {}
