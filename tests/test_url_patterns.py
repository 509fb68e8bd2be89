import pytest

from tests.url_patterns import PARAMETER, WHAT, CannotFill, Pattern, url_kwargs, url_patterns


def _pattern(route: str, *params: str) -> Pattern:
    return Pattern("flights:gadget", route, params, lambda request: None, False)


def test_a_parameter_nobody_taught_fails_naming_the_url():
    gadget = _pattern("ops/<slug:op>/gadgets/<int:pk>/", "op", "pk")
    with pytest.raises(CannotFill, match=r"flights:gadget: what is <pk> after gadgets\?"):
        url_kwargs(gadget, {"operation_slug": "kz-2022"})


def test_a_walk_without_the_row_fails_naming_the_url_and_the_value_it_lacks():
    manifest = _pattern("ops/<slug:op>/flights/<int:pk>/", "op", "pk")
    with pytest.raises(CannotFill, match="flights:gadget: the walk has no flight_id"):
        url_kwargs(manifest, {"operation_slug": "kz-2022"})


def test_a_flight_and_a_message_are_told_apart_by_the_collection_before_them():
    retry = _pattern("ops/<slug:op>/messages/<int:pk>/retry/", "op", "pk")
    assert url_kwargs(retry, {"operation_slug": "kz", "flight_id": 7, "message_id": 9}) == {
        "op": "kz",
        "pk": 9,
    }


def test_every_parameter_of_the_site_is_known():
    unknown = [
        f"{p.name or p.route}: <{param}> after {collection}"
        for p in url_patterns()
        if not p.regex
        for collection, param in PARAMETER.findall(p.route)
        if (collection, param) not in WHAT and ("*", param) not in WHAT
    ]
    assert unknown == []
