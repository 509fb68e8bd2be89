"""The schema's own view (the docs page is drf-spectacular's, in evac/api/urls.py)."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


def in_english(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve `view` in English whatever the asker's browser says. The schema is for
    programmers, and translated choice labels (country names, statuses) would make
    drf-spectacular name the same enum differently per language. (A wrapper, not a
    subclass, so the schema generator still knows the view as its own and leaves it out.)"""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        with translation.override(settings.LANGUAGE_CODE):
            return view(request, *args, **kwargs)

    return wrapped
