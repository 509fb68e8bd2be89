"""`format_html` for pages that write hundreds of rows: the same escaping, less per call.

Django's `format_html` escapes each value through `conditional_escape` and `escape`, both
wrapped to accept lazy strings; on a 400-seat manifest that is some 12,000 wrapped calls,
about a fifth of the rows' time. `fragment` does what they do — a value that knows its
HTML (`__html__`, as safe strings do) is kept, anything else is `str()`-ed and escaped
with `html.escape` — without the wrappers. tests/core/test_fragments.py holds it to
`format_html`'s output.
"""

from collections.abc import Iterable
from html import escape
from typing import Any

from django.utils.safestring import SafeString


def escaped(value: Any) -> str:
    html = getattr(value, "__html__", None)
    return html() if html is not None else escape(str(value))


def fragment(format_string: str, *args: Any) -> SafeString:
    """format_html(format_string, *args): the values escaped, the string trusted."""
    return SafeString(format_string.format(*map(escaped, args)))


def fragments(separator: str, format_string: str, rows: Iterable[tuple]) -> SafeString:
    """format_html_join(separator, format_string, rows)."""
    return SafeString(
        escaped(separator).join(format_string.format(*map(escaped, row)) for row in rows)
    )
