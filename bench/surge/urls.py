"""Evac's URLs and, for the benchmark only, a bare view behind the same middleware."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from evac.urls import handler403, handler404, handler500
from evac.urls import urlpatterns as evac_urlpatterns

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]


def bare(request: HttpRequest) -> HttpResponse:
    """The least a Django page can be: the full middleware stack, no database, no template."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *evac_urlpatterns]
