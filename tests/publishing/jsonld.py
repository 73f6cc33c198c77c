"""Reading the JSON-LD a public page embeds."""

from __future__ import annotations

import json
from html.parser import HTMLParser


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._open = False

    def handle_starttag(self, tag, attrs):
        self._open = tag == "script" and dict(attrs).get("type") == "application/ld+json"
        if self._open:
            self.found.append("")

    def handle_endtag(self, tag):
        self._open = False

    def handle_data(self, data):
        if self._open:
            self.found[-1] += data


def embedded_jsonld(html: str) -> list:
    """Every `<script type="application/ld+json">` of the page, parsed."""
    parser = _Scripts()
    parser.feed(html)
    return [json.loads(text) for text in parser.found]
