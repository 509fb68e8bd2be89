"""The URL configuration as a flat list, and the one place that fills in its parameters, for
the tests that walk every address of the site.

The walks (tests/test_url_access.py, tests/api/test_api_access_crawl.py,
tests/audit/test_full_record_walk.py, tests/people/sensitive.py, tests/accounts/,
tests/core/test_content_security_policy.py, tests/core/test_staff_translations.py,
tests/portal/test_public_posts.py) find the addresses here, so a page or endpoint added later
is walked without editing them; a new kind of parameter is taught once, in WHAT below.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse
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


# What a path parameter is, by the collection before it ("flights/<int:pk>" is a flight), and
# the name of the walk's value that fills it in.
WHAT = {
    ("ops", "op"): "operation_slug",
    ("p", "op"): "operation_slug",
    ("operations", "op"): "operation_slug",
    ("citizens", "code"): "ref",
    ("citizens", "ref"): "ref",
    ("households", "pk"): "household_id",
    ("flights", "pk"): "flight_id",
    ("transfers", "pk"): "transfer_id",
    ("passengers", "seat_pk"): "transfer_seat_id",
    ("seats", "booking_pk"): "booking_id",
    ("boarding", "booking_pk"): "booking_id",
    ("bookings", "booking_pk"): "booking_id",
    ("offers", "offer_pk"): "offer_id",
    ("export", "fmt"): "export_format",
    ("imports", "pk"): "import_id",
    ("merges", "pk"): "merge_id",
    ("duplicates", "pk"): "duplicate_pair_id",
    ("dismissed", "pk"): "dismissed_pair_id",
    ("messages", "pk"): "message_id",
    ("notifications", "pk"): "message_id",  # the API's name for the outbox
    ("staff", "membership_id"): "member_id",
    ("members", "pk"): "member_id",
    ("airports", "iata"): "airport_iata",
    ("tokens", "pk"): "token_id",
    # The admin's pages of one row, of any model.
    ("*", "object_id"): "admin_object_id",
    ("totpdevice", "pk"): "admin_object_id",
    ("user", "id"): "admin_object_id",
    ("r", "content_type_id"): "admin_content_type_id",
}
# The value of a row the walk has none of: the address is still walked, and answers 404 to
# those who may see it.
ABSENT = 0
PARAMETER = re.compile(r"(?:([\w-]+)[/.])?<(?:\w+:)?(\w+)>")


def shapes(**values: object) -> dict[str, object]:
    """A value of the right shape for every kind of parameter, for walks in which the rows
    needn't exist (only those given in `values`, which win)."""
    ids = dict.fromkeys(set(WHAT.values()) - {"operation_slug"}, 1)
    return {**ids, "ref": "ABCDEFGH", "export_format": "csv", "airport_iata": "NQZ", **values}


class CannotFill(AssertionError):
    """A walk met a parameter it can't fill in: the message names the URL and what to do."""


def url_kwargs(pattern: Pattern, values: Mapping[str, object]) -> dict[str, object]:
    """The pattern's parameters filled in from the walk's `values` (keyed as in WHAT)."""
    where = pattern.name or pattern.route
    if pattern.regex:
        raise CannotFill(f"{where}: a regular expression, not a route with <parameters>")
    kwargs = {}
    for collection, param in PARAMETER.findall(pattern.route):
        what = WHAT.get((collection, param)) or WHAT.get(("*", param))
        if what is None:
            raise CannotFill(f"{where}: what is <{param}> after {collection}? Teach WHAT here")
        if values.get(what) is None:
            raise CannotFill(f"{where}: the walk has no {what} to fill <{param}> with")
        kwargs[param] = values[what]
    if set(kwargs) != set(pattern.params):
        raise CannotFill(f"{where}: can't fill {sorted(set(pattern.params) - set(kwargs))}")
    return kwargs


def operation_api_urls(values: Mapping[str, object]) -> list[tuple[Pattern, str]]:
    """Every API endpoint of an operation, with its address filled in from `values`."""
    return [
        (pattern, url_of(pattern, values))
        for pattern in url_patterns()
        if pattern.name.startswith("api:") and pattern.route.startswith("api/v1/operations/<")
    ]


def url_of(pattern: Pattern, values: Mapping[str, object]) -> str:
    """The pattern's address with its parameters filled in from `values`."""
    kwargs = url_kwargs(pattern, values)
    if pattern.name:
        return reverse(pattern.name, kwargs=kwargs)
    route = pattern.route
    for param, value in kwargs.items():
        route = re.sub(rf"<(?:\w+:)?{param}>", str(value), route)
    return "/" + route
