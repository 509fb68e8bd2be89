"""Views that fail on purpose, under Evac's own URLs, for tests/core/test_error_pages.py."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import include, path
from django_ratelimit.exceptions import Ratelimited

from evac.urls import urlpatterns as evac_urlpatterns


def refused(request: HttpRequest):
    raise PermissionDenied


def limited(request: HttpRequest):
    raise Ratelimited


def broken(request: HttpRequest):
    raise RuntimeError("a bug")


urlpatterns = [
    path("ops/kz/broken/", broken),
    path("p/kz/broken/", broken),
    path("ops/kz/refused/", refused),
    path("p/kz/limited/", limited),
    path("", include(evac_urlpatterns)),
]
handler403 = "evac.core.error_views.forbidden"
handler404 = "evac.core.error_views.not_found"
handler500 = "evac.core.error_views.server_error"
