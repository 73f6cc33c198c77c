"""`{{ claim|place }}`: where a claim stands in its revision, in a reader's words
("paragraph 3 of 7, 41 words") rather than code-point offsets."""

from __future__ import annotations

from django import template

register = template.Library()


def place_of(text: str, start: int, end: int) -> str:
    paragraphs = text.count("\n\n") + 1 if text else 1
    number = text.count("\n\n", 0, max(start, 0)) + 1
    words = len(text[start:end].split())
    return f"paragraph {number} of {paragraphs}, {words} word{'s' if words != 1 else ''}"


@register.filter
def place(claim) -> str:
    revision = claim.revision
    return place_of(revision.text if revision else "", claim.start, claim.end)
