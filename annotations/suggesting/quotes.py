"""Direct quotations: passages between paired double quotation marks.

Curly quotes pair “…”; straight ones pair in turn within a paragraph. News continues a
quotation over several paragraphs by opening each with “ and closing only the last: a
quote left open at the end of its paragraph `continues`, and the next paragraph's quote
is its continuation (same speaker).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Curly and straight double quotes, and two apostrophes standing for one ('' … '').
_MARKS = re.compile("[\u201c\u201d\u201e\"]|''")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Quote:
    """The quoted words `inner_start:inner_end`, marks at `open` and `close - 1`."""

    open: int
    close: int
    inner_start: int
    inner_end: int
    paragraph: int
    continues: bool  # left open at the end of its paragraph
    opens_paragraph: bool

    def words(self, text: str) -> int:
        return len(_WORD.findall(text, self.inner_start, self.inner_end))


def find_quotes(text: str, paragraphs: list[tuple[int, int]]) -> list[Quote]:
    found: list[Quote] = []
    for number, (p_start, p_end) in enumerate(paragraphs):
        opened: int | None = None
        opened_with = ""
        for match in _MARKS.finditer(text, p_start, p_end):
            mark = match.group()
            at = match.start()
            if opened is None:
                if mark == "\u201d" and not _opens(text, at, p_start, p_end):
                    continue  # a stray closing mark
                opened, opened_with = at, mark
                continue
            if mark == "\u201c" or mark == "\u201e":
                # A new opening before the close: treat the first as left open.
                _add(found, text, opened, at, at, number, p_start, continues=False)
                opened, opened_with = at, mark
                continue
            if opened_with in {'"', "''"} and mark != opened_with:
                continue
            _add(found, text, opened, match.end(), at, number, p_start, continues=False)
            opened = None
        if opened is not None:
            _add(found, text, opened, p_end, p_end, number, p_start, continues=True)
    return found


def _opens(text: str, at: int, p_start: int, p_end: int) -> bool:
    """A closing mark typed where an opening one belongs: at a word's start."""
    before = text[at - 1] if at > p_start else " "
    after = text[at + 1] if at + 1 < p_end else " "
    return before.isspace() and after.isalnum()


def _add(found, text, open_at, close, inner_end, paragraph, p_start, *, continues):
    inner_start = open_at + (2 if text.startswith("''", open_at) else 1)
    while inner_start < inner_end and text[inner_start].isspace():
        inner_start += 1
    while inner_end > inner_start and (text[inner_end - 1].isspace() or text[inner_end - 1] == ","):
        inner_end -= 1
    if inner_end > inner_start:
        found.append(
            Quote(open_at, close, inner_start, inner_end, paragraph, continues, open_at == p_start)
        )
