"""`fragment` writes what Django's `format_html` writes, escaping included."""

import pytest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from evac.core.fragments import fragment, fragments

VALUES = [
    "plain",
    "<script>alert(\"x\")</script> & 'quoted'",
    mark_safe("<b>kept</b>"),
    gettext_lazy("Waiting"),
    42,
    None,
    3.5,
]


@pytest.mark.parametrize("value", VALUES)
def test_each_kind_of_value_is_escaped_as_format_html_does(value):
    template = '<td title="{}">{}</td>'

    assert fragment(template, value, value) == format_html(template, value, value)
    assert hasattr(fragment(template, value, value), "__html__")


def test_a_joined_list_is_what_format_html_join_writes():
    rows = [(value, "<&>") for value in VALUES]

    assert fragments(", ", "<i>{}</i>{}", rows) == format_html_join(", ", "<i>{}</i>{}", rows)
    assert fragments(" & ", "{}", []) == format_html_join(" & ", "{}", [])
