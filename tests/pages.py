"""Reading rendered pages in tests as a person would: their words, and their links.

Test helper modules are named one way: `factories.py` makes rows (tests/factories.py, and
an area's own beside its tests), `pages.py` reads what pages show.
"""

import re
from html import unescape
from html.parser import HTMLParser

from django.http import HttpResponse


def text(response: HttpResponse) -> str:
    """The page's words without tags, entities decoded and spaces collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._open: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._open.append((dict(attrs).get("href") or "", []))

    def handle_data(self, data: str) -> None:
        for _, text in self._open:
            text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            href, text = self._open.pop()
            self.links.append((href, " ".join("".join(text).split())))


def links(response: HttpResponse) -> list[tuple[str, str]]:
    """Every link on the page as (href, text), with entities decoded and spaces collapsed."""
    parser = _Links()
    parser.feed(response.content.decode())
    return parser.links


def links_to(response: HttpResponse, href: str) -> list[str]:
    """The texts of the links to `href`, in page order."""
    return [text for target, text in links(response) if target == href]
