"""The URL configuration as a flat list, for the tests that walk every address of the site.

tests/test_url_access.py walks the staff pages and tests/api/test_api_access_crawl.py the API;
both find the addresses here, so a page or endpoint added later is walked without editing them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern


@dataclass(frozen=True)
class Pattern:
    name: str  # with its namespaces, e.g. "api:citizen"; "" for a pattern without a name
    route: str  # the whole path as configured, e.g. "api/v1/operations/<slug:op>/"
    params: tuple[str, ...]  # its path parameters, outermost first
    callback: Callable
    regex: bool  # some part is a regular expression, not a route with <parameters>


def url_patterns() -> list[Pattern]:
    return _walk(get_resolver(), namespace="", route="", params=(), regex=False)


def _walk(
    resolver: URLResolver, *, namespace: str, route: str, params: tuple, regex: bool
) -> list[Pattern]:
    found = []
    for entry in resolver.url_patterns:
        inner_route = route + str(entry.pattern)
        inner_params = params + tuple(getattr(entry.pattern, "converters", {}))
        inner_regex = regex or isinstance(entry.pattern, RegexPattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += _walk(
                entry, namespace=inner, route=inner_route, params=inner_params, regex=inner_regex
            )
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else ""
            found.append(Pattern(name, inner_route, inner_params, entry.callback, inner_regex))
    return found
