"""A selection made in the browser, checked and turned into an anchor; quote selectors.

Offsets are Unicode code points, i.e. Python ``str`` indices, as TextPositionSelector
counts. Browsers count UTF-16 code units, so the API converts with
:func:`utf16_to_codepoint` before calling :func:`anchor_from_selection`. An anchor keeps
``CONTEXT`` characters of ``prefix`` and ``suffix`` around its quote (as
dom-anchor-text-quote does); :func:`describe_quote` builds the shortest selector that still
matches only once, for exports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

import regex

from claimdesk.errors import AnchorMismatch, InvalidInput

CONTEXT: Final = 32
"""Characters of prefix and suffix kept with a quote (as dom-anchor-text-quote does)."""

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")

_CLUSTER = regex.compile(r"\X")
"""One extended grapheme cluster (UAX #29): what a reader sees as one character."""

_SURE_BREAK = regex.compile(
    r"[\p{GCB=Other}\p{GCB=Control}\p{GCB=LF}][^\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}]"
)
"""Two characters with a cluster boundary between them whatever precedes them.

No rule of UAX #29 joins a character of these first kinds to the next one (the joining
rules need a CR, a Hangul jamo or syllable, a Prepend, a ZWJ, a regional indicator or a
virama-like linker before the boundary), and a second character that is not an Extend,
ZWJ or SpacingMark does not join what came before it. Most pairs in running text are
such pairs, so a boundary is found within a character or two of any offset.
"""


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a claim sits in one revision: code-point offsets plus the quote and its context.

    ``exact == text[start:end]`` for the revision the anchor was made on; ``prefix`` and
    ``suffix`` are the (up to ``CONTEXT``) characters around it.

    Raises:
        ValueError: if the offsets are not ``0 <= start < end`` or do not span ``exact``.
    """

    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(
                f"anchor offsets must satisfy 0 <= start < end: {self.start}, {self.end}"
            )
        if self.end - self.start != len(self.exact):
            raise ValueError("anchor offsets must span exactly the quote")


@dataclass(frozen=True, slots=True)
class TextQuote:
    """A TextQuoteSelector: the quote and the context that makes it unambiguous."""

    exact: str
    prefix: str = ""
    suffix: str = ""


def anchor_from_selection(*, text: str, start: int, end: int, exact: str) -> Anchor:
    """Check a browser selection against the revision text and build its anchor.

    The browser sends offsets and the quote it saw; if they disagree with the server's text
    (stale page, wrong offset unit, tampering), the claim would silently point at the wrong
    words, so this refuses instead.

    Args:
        text: the revision text the selection was made on.
        start, end: code-point offsets (convert UTF-16 offsets first).
        exact: the selected text as the browser saw it.

    Raises:
        AnchorMismatch: ``field="start"`` or ``field="end"`` when the offsets are not
            ``0 <= start < end <= len(text)``; ``field="exact"`` when
            ``text[start:end] != exact``.
        InvalidInput: ``field="start"`` or ``field="end"``, code ``splits_character``,
            when that offset falls inside a character as readers see it (see
            :func:`splits_character`).
    """
    if not 0 <= start < len(text):
        raise AnchorMismatch("The selection starts outside the article text.", field="start")
    if not start < end <= len(text):
        raise AnchorMismatch(
            "The selection must end after it starts and inside the article text.", field="end"
        )
    if text[start:end] != exact:
        raise AnchorMismatch(field="exact")
    for field, offset, edge in (("start", start, "starts"), ("end", end, "ends")):
        if splits_character(text, offset):
            raise InvalidInput.for_field(
                f"The selection {edge} inside a character (offset {offset}): part of an "
                "emoji, a flag, or a letter with its accent. Select whole characters.",
                field=field,
                code="splits_character",
            )
    return Anchor(start, end, exact, *context_around(text, start, end))


def splits_character(text: str, offset: int) -> bool:
    """Whether ``offset`` falls inside an extended grapheme cluster of ``text``.

    A cluster is what a reader sees as one character: an emoji family joined by ZWJs, a
    flag (two regional indicators), an emoji with its skin tone, a letter with its
    combining accents, a Hangul syllable written as jamo. A claim whose quote begins or
    ends inside one shows half a character in every quote, highlight and export, so the
    selection checks refuse it; a browser's selection never splits one.

    Only the clusters around ``offset`` are computed: it steps back to the nearest
    boundary that holds whatever comes before (see ``_SURE_BREAK``), usually a character
    or two, and segments forward from there, so a 100,000-character article costs no
    more than a short one. The text's two ends are boundaries.
    """
    if offset <= 0 or offset >= len(text):
        return False
    position = offset
    while position > 0 and not _SURE_BREAK.match(text, position - 1):
        position -= 1
    while position < offset:
        position = _CLUSTER.match(text, position).end()
    return position != offset


def utf16_to_codepoint(text: str, offset: int) -> int:
    """Convert a UTF-16 offset (what JavaScript's ``Range`` reports) to a ``str`` index.

    Characters outside the Basic Multilingual Plane (most emoji) are two UTF-16 units but
    one code point, so every such character before ``offset`` shifts it by one.

    Raises:
        ValueError: if ``offset`` is negative, past the end of the text, or falls between
            the two halves of a surrogate pair.
    """
    if offset < 0:
        raise ValueError(f"UTF-16 offset {offset} is negative")
    codepoint = offset
    for index, match in enumerate(_ASTRAL.finditer(text)):
        first_unit = match.start() + index  # this character's UTF-16 offset
        if first_unit >= offset:
            break
        if first_unit + 1 == offset:
            raise ValueError(f"UTF-16 offset {offset} falls inside a surrogate pair")
        codepoint -= 1
    if codepoint > len(text):
        raise ValueError(f"UTF-16 offset {offset} is past the end of the text")
    return codepoint


def find_exact_all(text: str, quote: str, *, prefix: str = "", suffix: str = "") -> list[int]:
    """Start offsets of every occurrence of ``quote``, overlapping ones included.

    With ``prefix``/``suffix``, only occurrences with exactly that text immediately before
    and after count (an empty prefix or suffix is no constraint). An empty quote occurs at
    every position, ``0`` to ``len(text)``, as the Apache Annotator matcher has it.
    """
    needle = prefix + quote + suffix
    starts: list[int] = []
    found = text.find(needle)
    while found != -1:
        starts.append(found + len(prefix))
        found = text.find(needle, found + 1)
    return starts


def describe_quote(
    *,
    text: str,
    start: int,
    end: int,
    minimal_context: bool = False,
    minimum_quote_length: int = 0,
    max_word_length: int = 50,
) -> TextQuote:
    """A TextQuoteSelector with just enough context to single out ``text[start:end]``.

    Claims store a fixed ``CONTEXT`` (see :func:`anchor_from_selection`); this is for
    exports, where a short selector that still matches only once is friendlier. It follows
    Apache Annotator's ``describeTextQuote``: while another occurrence matches, add the
    characters needed to tell it apart, on both sides (or, with ``minimal_context``, on the
    shorter side only). Without ``minimal_context`` the context is also widened to whole
    words, by up to ``max_word_length`` characters. ``minimum_quote_length`` pads short
    quotes with context so that prefix + exact + suffix reaches that length.

    Raises:
        ValueError: if ``0 <= start <= end <= len(text)`` does not hold.
    """
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"span {start}..{end} is outside the text")
    exact = text[start:end]
    # The selector's context is text[start - before:start] and text[end:end + after].
    before = after = 0

    def shortfall() -> int:
        return minimum_quote_length - (before + len(exact) + after)

    if shortfall() > 0:
        # Half of the missing length as prefix, the rest as suffix, then prefix again if
        # the suffix ran into the end of the text.
        before = min(start, before + shortfall() // 2)
        if shortfall() > 0:
            after = min(len(text) - end, after + shortfall())
            if shortfall() > 0:
                before = min(start, before + shortfall())
    if not minimal_context:
        before += _word_rest_before(text, start - before, max_word_length)
        after += _word_rest_after(text, end + after, max_word_length)

    while True:
        prefix, suffix = text[start - before : start], text[end : end + after]
        rival = next(
            (p for p in find_exact_all(text, exact, prefix=prefix, suffix=suffix) if p != start),
            None,
        )
        if rival is None:
            return TextQuote(exact, prefix, suffix)
        extra_before = _chars_to_differ(text, start - before, rival - before, step=-1)
        extra_after = _chars_to_differ(text, end + after, rival + len(exact) + after, step=1)
        if extra_before is None and extra_after is None:
            # Unreachable for a distinct occurrence; guard against an endless loop anyway.
            raise RuntimeError("the quote cannot be told apart from another occurrence")
        if minimal_context:
            if extra_before is not None and (extra_after is None or extra_before <= extra_after):
                before += extra_before
            elif extra_after is not None:
                after += extra_after
            continue
        if extra_before is not None:
            before += extra_before
            before += _word_rest_before(text, start - before, max_word_length)
        if extra_after is not None:
            after += extra_after
            after += _word_rest_after(text, end + after, max_word_length)


def _chars_to_differ(text: str, target: int, rival: int, *, step: int) -> int | None:
    """How many more context characters tell the target's side from the rival's.

    Reads outwards from ``target`` and ``rival`` (backwards for ``step=-1``); the rival
    running out of text counts as a difference. None when the target runs out first.
    """
    count = 0
    while True:
        count += 1
        t = target - count if step < 0 else target + count - 1
        r = rival - count if step < 0 else rival + count - 1
        if not 0 <= t < len(text):
            return None
        if not 0 <= r < len(text) or text[r] != text[t]:
            return count


def _word_rest_before(text: str, position: int, limit: int) -> int:
    """Length of the non-space run ending at ``position`` (capped at ``limit``)."""
    count = 0
    while count < limit and position - count > 0 and not text[position - count - 1].isspace():
        count += 1
    return count


def _word_rest_after(text: str, position: int, limit: int) -> int:
    """Length of the non-space run starting at ``position`` (capped at ``limit``)."""
    count = 0
    while count < limit and position + count < len(text) and not text[position + count].isspace():
        count += 1
    return count


def context_around(text: str, start: int, end: int) -> tuple[str, str]:
    """The prefix and suffix stored with a span: ``CONTEXT`` characters each side."""
    return text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT]
