"""A claim's passage in its context: how much of the text around it the pages show.

The review queue (`Passage` of `annotations.views.reviews`) and the claim page's excerpt
(`annotations.views.articles.excerpt_html`) cut the same window with `context_window`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ContextWindow:
    """`text[start:end]` holds the passage and its context; `clipped_*` say whether the
    paragraph goes on beyond it."""

    start: int
    end: int
    clipped_before: bool
    clipped_after: bool


def context_window(text: str, start: int, end: int, *, chars: int) -> ContextWindow:
    """The passage `text[start:end]` with at most `chars` characters either side, within
    the paragraph(s) it lies in (paragraphs are separated by blank lines), cut at a space
    so that no word is split where the context is clipped."""
    paragraph_start = text.rfind("\n\n", 0, start)
    paragraph_start = 0 if paragraph_start == -1 else paragraph_start + 2
    paragraph_end = text.find("\n\n", end)
    paragraph_end = len(text) if paragraph_end == -1 else paragraph_end

    lo = max(paragraph_start, start - chars)
    clipped_before = lo > paragraph_start
    if clipped_before:
        space = text.find(" ", lo, start)
        lo = space + 1 if space != -1 else lo
    hi = min(paragraph_end, end + chars)
    clipped_after = hi < paragraph_end
    if clipped_after:
        space = text.rfind(" ", end, hi)
        hi = space if space != -1 else hi
    return ContextWindow(lo, hi, clipped_before, clipped_after)
