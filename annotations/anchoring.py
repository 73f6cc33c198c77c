"""Anchoring claims to article text, and re-anchoring them when the text changes.

A claim points at a passage of one article revision. We keep the passage the way the W3C
Web Annotation model does, twice over: a TextPositionSelector (``start``/``end``) that is
cheap to use while the text is unchanged, and a TextQuoteSelector (``exact`` with up to
``CONTEXT`` characters of ``prefix`` and ``suffix``) that still finds the passage after the
text has been edited.

Offsets are Unicode code points, i.e. Python ``str`` indices, as TextPositionSelector counts.
Browsers count UTF-16 code units, so the API converts with :func:`utf16_to_codepoint` before
calling :func:`anchor_from_selection`.

When an article gets a new revision, :func:`reanchor_many` (or :func:`reanchor` for a single
claim) follows the four steps of the design and reports one of four states:

1. ``anchored`` - the old offsets still hold the exact quote;
2. ``moved``    - the exact quote is elsewhere; among several occurrences the one whose
   prefix/suffix fit best and that lies nearest the expected position wins;
3. ``fuzzy``    - no exact occurrence, but a passage within :func:`max_fuzzy_errors` edits
   of the quote (closest first, then context and nearness decide); the new text of the
   passage becomes the claim's ``exact``;
4. ``orphaned`` - nothing close enough; the claim keeps its old offsets, quote and context
   so that nothing is lost and an editor can re-attach it by hand.

Thresholds, and why:

* Fuzzy matching allows ``len(exact) // 4`` edits (Levenshtein: insertions, deletions and
  substitutions), at most ``MAX_FUZZY_ERRORS``. A quarter keeps a claim through typo fixes
  and small rewording while refusing to pin it on a different sentence; Hypothesis allows
  half, which we found too loose for attribution. Quotes shorter than four characters get
  no fuzzy matching at all: one edit in "Iran" already reads "Iraq".
* A candidate is scored ``0.5 * quote + 0.2 * prefix + 0.2 * suffix + 0.1 * nearness``,
  each a similarity in [0, 1]; the quote similarity dominates, context separates repeated
  quotes, nearness to the expected position breaks the remaining ties.

All edit distances come from rapidfuzz (C++); the position mapping between two revisions
comes from diff-match-patch. This module imports nothing from Django's ORM, so it is
tested without a database.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

from diff_match_patch import diff_match_patch
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from annotations.errors import AnchorMismatch

__all__ = [
    "ANCHORED",
    "ANCHOR_STATES",
    "CONTEXT",
    "FUZZY",
    "MAX_FUZZY_ERRORS",
    "MOVED",
    "ORPHANED",
    "Anchor",
    "AnchorState",
    "ApproxMatch",
    "QuoteMatch",
    "Reanchoring",
    "TextQuote",
    "anchor_from_selection",
    "approx_search",
    "best_match",
    "codepoint_to_utf16",
    "describe_quote",
    "find_exact_all",
    "max_fuzzy_errors",
    "reanchor",
    "reanchor_many",
    "utf16_to_codepoint",
]

CONTEXT: Final = 32
"""Characters of prefix and suffix kept with a quote (as dom-anchor-text-quote does)."""

MAX_FUZZY_ERRORS: Final = 256
"""Cap on the edits allowed for very long quotes, which keeps the search bounded."""

AnchorState = Literal["anchored", "moved", "fuzzy", "orphaned"]
ANCHORED: Final = "anchored"
MOVED: Final = "moved"
FUZZY: Final = "fuzzy"
ORPHANED: Final = "orphaned"
ANCHOR_STATES: Final = (ANCHORED, MOVED, FUZZY, ORPHANED)

# Score weights; they sum to 1 so that a perfect fit scores exactly 1.0.
_QUOTE_WEIGHT: Final = 0.5
_PREFIX_WEIGHT: Final = 0.2
_SUFFIX_WEIGHT: Final = 0.2
_NEARNESS_WEIGHT: Final = 0.1

# Characters searched on each side of the expected span before the whole text is tried:
# enough for a quote whose neighbourhood was edited, small enough to stay cheap.
_WINDOW_PAD: Final = 2 * CONTEXT

# Texts up to this length are searched exhaustively for fuzzy matches; longer ones are
# first narrowed to the best-aligned window that rapidfuzz finds (see _search_globally).
_FULL_SCAN_MAX: Final = 4096

# diff-match-patch gives up refining after this many seconds and returns a coarser (still
# valid) diff; the mapped positions are only hints, so a coarse diff costs nothing but speed.
_DIFF_TIMEOUT: Final = 0.25

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


# --------------------------------------------------------------------------- value types


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
class Reanchoring:
    """The outcome of re-anchoring one anchor on a new text.

    For ``anchored``, ``moved`` and ``fuzzy``, ``text[start:end] == exact`` in the new text
    and ``prefix``/``suffix`` are taken from the new text. For ``orphaned`` every field is
    the old anchor's, unchanged, and ``score`` is 0.
    """

    state: AnchorState
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    score: float

    @property
    def anchor(self) -> Anchor:
        """The anchor to store from now on (the old one when orphaned)."""
        return Anchor(self.start, self.end, self.exact, self.prefix, self.suffix)


@dataclass(frozen=True, slots=True)
class ApproxMatch:
    """One result of :func:`approx_search`: ``text[start:end]`` is ``errors`` edits away."""

    start: int
    end: int
    errors: int


@dataclass(frozen=True, slots=True)
class QuoteMatch:
    """The span chosen by :func:`best_match`, its edit count and its score in [0, 1]."""

    start: int
    end: int
    errors: int
    score: float


@dataclass(frozen=True, slots=True)
class TextQuote:
    """A TextQuoteSelector: the quote and the context that makes it unambiguous."""

    exact: str
    prefix: str = ""
    suffix: str = ""


# --------------------------------------------------------------------------- selections


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
    """
    if not 0 <= start < len(text):
        raise AnchorMismatch("The selection starts outside the article text.", field="start")
    if not start < end <= len(text):
        raise AnchorMismatch(
            "The selection must end after it starts and inside the article text.", field="end"
        )
    if text[start:end] != exact:
        raise AnchorMismatch(field="exact")
    return Anchor(start, end, exact, *_context(text, start, end))


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


def codepoint_to_utf16(text: str, offset: int) -> int:
    """Convert a ``str`` index to the UTF-16 offset JavaScript uses for the same position.

    Raises:
        ValueError: if ``offset`` is not within ``0 <= offset <= len(text)``.
    """
    if not 0 <= offset <= len(text):
        raise ValueError(f"offset {offset} is outside the text (length {len(text)})")
    return offset + len(_ASTRAL.findall(text, 0, offset))


# --------------------------------------------------------------------------- exact search


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


# --------------------------------------------------------------------------- approximate search


def max_fuzzy_errors(length: int) -> int:
    """Edits allowed when fuzzily matching a quote of ``length`` characters.

    A quarter of the quote, so that a corrected typo or a changed word keeps the claim
    (and sends it back to review) while a rewritten sentence orphans it; zero below four
    characters, where a single edit changes the meaning; capped at ``MAX_FUZZY_ERRORS``.
    """
    return min(length // 4, MAX_FUZZY_ERRORS)


def approx_search(text: str, pattern: str, *, max_errors: int) -> list[ApproxMatch]:
    """The substrings of ``text`` closest to ``pattern``, within ``max_errors`` edits.

    Only matches with the minimum edit count are returned, one per end offset (the longest
    one ending there), in text order, as approx-string-match reports them. An empty pattern
    or text has no matches. The cost grows with ``len(text) * max_errors``: meant for
    bounded texts, not for whole articles with a large error budget.
    """
    if not pattern or not text or max_errors < 0:
        return []
    spans, errors = _closest_spans(
        text, pattern, max_errors=min(max_errors, len(pattern)), lo=0, hi=len(text)
    )
    longest: dict[int, int] = {}
    for start, end in spans:  # in increasing start order, so the first per end is longest
        longest.setdefault(end, start)
    return [ApproxMatch(start, end, errors) for end, start in sorted(longest.items())]


def _closest_spans(
    text: str,
    pattern: str,
    *,
    max_errors: int,
    lo: int,
    hi: int,
    seed: tuple[int, int] | None = None,
) -> tuple[list[tuple[int, int]], int]:
    """All non-empty spans inside ``text[lo:hi]`` with the fewest edits from ``pattern``.

    Returns the spans (by increasing start, then end) and their edit count; no spans when
    none is within ``max_errors``. rapidfuzz computes every distance; this function only
    decides which spans are worth asking about:

    * a span within ``best`` edits has a length within ``best`` of the pattern's;
    * the distance to the fixed-length window at the same start is at most ``2 * best``
      for such a span, so one cheap call rules most starts out;
    * ``best`` shrinks as closer spans turn up (seeded from ``seed``, the expected span).
    """
    m = len(pattern)
    best = max_errors
    if seed is not None and lo <= seed[0] < seed[1] <= hi:
        best = min(best, Levenshtein.distance(pattern, text[seed[0] : seed[1]], score_cutoff=best))
    spans: list[tuple[int, int]] = []
    for start in range(lo, hi):
        window_end = min(hi, start + m)
        window_errors = Levenshtein.distance(pattern, text[start:window_end], score_cutoff=2 * best)
        if window_errors > 2 * best:
            continue
        for end in range(max(start + 1, start + m - best), min(hi, start + m + best) + 1):
            # Ending within (window_errors - best) of the window end cannot gain enough.
            if abs(end - window_end) < window_errors - best:
                continue
            errors = Levenshtein.distance(pattern, text[start:end], score_cutoff=best)
            if errors < best:
                best, spans = errors, [(start, end)]
            elif errors == best:
                spans.append((start, end))
    return spans, best


def _fuzzy_spans(
    text: str, pattern: str, *, max_errors: int, near: tuple[int, int] | None
) -> tuple[list[tuple[int, int]], int]:
    """Closest approximate spans: around ``near`` first, then in the whole text.

    A passage near where the quote used to be is preferred over a closer one far away:
    text edits rarely move a passage and change it at once.
    """
    if max_errors <= 0 or not pattern or not text:
        return [], 0
    if near is not None:
        lo = max(0, near[0] - max_errors - _WINDOW_PAD)
        hi = min(len(text), near[1] + max_errors + _WINDOW_PAD)
        spans, errors = _search_region(text, pattern, max_errors, lo, hi, seed=near)
        if spans or (lo == 0 and hi == len(text)):
            return spans, errors
    return _search_globally(text, pattern, max_errors)


def _search_globally(text: str, pattern: str, max_errors: int) -> tuple[list[tuple[int, int]], int]:
    """Fuzzy spans anywhere: exhaustive for short texts, narrowed first for long ones.

    For long texts rapidfuzz's ``partial_ratio_alignment`` (C++, one pass) finds the
    pattern-length window with the best Indel similarity, and only its surroundings are
    searched. That is a heuristic: a passage that is closest by Levenshtein distance but
    not by Indel similarity can be missed; the window search around the expected position
    (``_fuzzy_spans``) covers the common case first.
    """
    n, m = len(text), len(pattern)
    if n <= _FULL_SCAN_MAX or n < m:
        return _search_region(text, pattern, max_errors, 0, n)
    alignment = fuzz.partial_ratio_alignment(
        pattern, text, score_cutoff=_ratio_floor(m, max_errors)
    )
    if alignment is None:
        return [], 0
    lo = max(0, alignment.dest_start - alignment.src_start - max_errors - _WINDOW_PAD)
    hi = min(n, alignment.dest_end + (m - alignment.src_end) + max_errors + _WINDOW_PAD)
    seed = (alignment.dest_start, alignment.dest_end)
    return _search_region(text, pattern, max_errors, lo, hi, seed=seed)


def _search_region(
    text: str,
    pattern: str,
    max_errors: int,
    lo: int,
    hi: int,
    seed: tuple[int, int] | None = None,
) -> tuple[list[tuple[int, int]], int]:
    """``_closest_spans`` behind a one-call filter that rejects hopeless regions."""
    if hi - lo >= len(pattern):
        # A span within k edits lies in a pattern-length window at most 2k Indel edits
        # away, so the best window's ratio is at least 100 * (1 - k / m) (see module tests).
        ratio = fuzz.partial_ratio(
            pattern, text[lo:hi], score_cutoff=_ratio_floor(len(pattern), max_errors)
        )
        if not ratio:
            return [], 0
    return _closest_spans(text, pattern, max_errors=max_errors, lo=lo, hi=hi, seed=seed)


def _ratio_floor(length: int, max_errors: int) -> float:
    """Lowest ``partial_ratio`` a region can have if it holds a match within the budget."""
    return max(0.0, 100.0 * (1.0 - max_errors / length) - 1e-6)


# --------------------------------------------------------------------------- best match


def best_match(
    *,
    text: str,
    exact: str,
    prefix: str = "",
    suffix: str = "",
    hint: int | None = None,
    max_errors: int | None = None,
) -> QuoteMatch | None:
    """Find the passage a TextQuoteSelector most likely means in ``text``, or None.

    Exact occurrences come first; among several, the best prefix/suffix fit and then the
    nearest to ``hint`` (the expected start offset) wins. Without an exact occurrence the
    closest passages within ``max_errors`` edits (default :func:`max_fuzzy_errors`) are
    searched, near ``hint`` first, and scored the same way. An empty quote or text never
    matches.
    """
    near = None if hint is None else (hint, hint + len(exact))
    return _best_match(text, exact, prefix, suffix, near=near, max_errors=max_errors)


def _best_match(
    text: str,
    exact: str,
    prefix: str,
    suffix: str,
    *,
    near: tuple[int, int] | None,
    max_errors: int | None,
) -> QuoteMatch | None:
    if not exact or not text:
        return None
    hint = None if near is None else near[0]
    starts = find_exact_all(text, exact)
    if starts:
        start = max(
            starts, key=lambda s: _score(text, s, s + len(exact), 0, exact, prefix, suffix, hint)
        )
        score = _score(text, start, start + len(exact), 0, exact, prefix, suffix, hint)
        return QuoteMatch(start, start + len(exact), 0, score)
    budget = max_fuzzy_errors(len(exact)) if max_errors is None else max_errors
    spans, errors = _fuzzy_spans(text, exact, max_errors=budget, near=near)
    if not spans:
        return None

    def rank(span: tuple[int, int]) -> tuple[float, int]:
        # Equal scores: prefer the span whose length is closest to the quote's.
        score = _score(text, span[0], span[1], errors, exact, prefix, suffix, hint)
        return score, -abs(span[1] - span[0] - len(exact))

    start, end = max(spans, key=rank)
    return QuoteMatch(start, end, errors, rank((start, end))[0])


def _score(
    text: str,
    start: int,
    end: int,
    errors: int,
    exact: str,
    prefix: str,
    suffix: str,
    hint: int | None,
) -> float:
    """How well ``text[start:end]`` fits the selector, in [0, 1] (see the module docstring).

    A missing prefix, suffix or hint is no evidence either way and counts as a full fit.
    """
    quote = 1.0 - errors / len(exact)
    before = (
        Levenshtein.normalized_similarity(prefix, text[max(0, start - len(prefix)) : start])
        if prefix
        else 1.0
    )
    after = (
        Levenshtein.normalized_similarity(suffix, text[end : end + len(suffix)]) if suffix else 1.0
    )
    nearness = 1.0 if hint is None else max(0.0, 1.0 - abs(start - hint) / max(len(text), 1))
    return (
        _QUOTE_WEIGHT * quote
        + _PREFIX_WEIGHT * before
        + _SUFFIX_WEIGHT * after
        + _NEARNESS_WEIGHT * nearness
    )


# --------------------------------------------------------------------------- re-anchoring


def reanchor(*, anchor: Anchor, text: str) -> Reanchoring:
    """Re-anchor one anchor on a new revision text, expecting it at its old offsets.

    Follows the four steps of the module docstring. Use :func:`reanchor_many` when the
    old text is at hand: it expects each passage where a diff says it went, which is both
    faster and surer when the text before the passage changed length.
    """
    return _reanchor(anchor, text, expected=(anchor.start, anchor.end))


def reanchor_many(*, anchors: Sequence[Anchor], old_text: str, text: str) -> list[Reanchoring]:
    """Re-anchor all of an article's anchors from ``old_text`` to its new ``text``.

    One diff (diff-match-patch) between the two revisions maps every old span to where its
    characters went; that mapped span is checked first and is the centre of the fuzzy
    search. When the mapped span holds the quote but the offsets changed, the anchor is
    ``moved``. Mapping is a hint only: anchors whose offsets do not belong to ``old_text``
    (such as orphans kept from an older revision) are still searched for, just without
    the head start. Results are in the order of ``anchors``.
    """
    if old_text == text:
        return [reanchor(anchor=anchor, text=text) for anchor in anchors]
    offsets = _OffsetMap(old_text, text)
    return [
        _reanchor(anchor, text, expected=offsets.span(anchor.start, anchor.end))
        for anchor in anchors
    ]


def _reanchor(anchor: Anchor, text: str, *, expected: tuple[int, int]) -> Reanchoring:
    exp_start, exp_end = expected
    old = (anchor.start, anchor.end)
    if text[exp_start:exp_end] == anchor.exact:
        return _found(ANCHORED if expected == old else MOVED, anchor, text, expected, 0, exp_start)
    if expected != old and text[anchor.start : anchor.end] == anchor.exact:
        return _found(ANCHORED, anchor, text, old, 0, exp_start)
    match = _best_match(
        text, anchor.exact, anchor.prefix, anchor.suffix, near=expected, max_errors=None
    )
    if match is None:
        return Reanchoring(ORPHANED, *old, anchor.exact, anchor.prefix, anchor.suffix, 0.0)
    state = MOVED if match.errors == 0 else FUZZY
    return _found(state, anchor, text, (match.start, match.end), match.errors, exp_start)


def _found(
    state: AnchorState,
    anchor: Anchor,
    text: str,
    span: tuple[int, int],
    errors: int,
    hint: int,
) -> Reanchoring:
    start, end = span
    score = _score(text, start, end, errors, anchor.exact, anchor.prefix, anchor.suffix, hint)
    return Reanchoring(state, start, end, text[start:end], *_context(text, start, end), score)


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    return text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT]


class _OffsetMap:
    """Maps offsets in an old text to the new text through one character diff."""

    def __init__(self, old_text: str, new_text: str) -> None:
        differ = diff_match_patch()
        differ.Diff_Timeout = _DIFF_TIMEOUT
        self._new_length = len(new_text)
        # Unchanged runs as (old offset, new offset, length), in text order.
        self._runs: list[tuple[int, int, int]] = []
        old_at = new_at = 0
        for op, chunk in differ.diff_main(old_text, new_text):
            if op == differ.DIFF_EQUAL:
                self._runs.append((old_at, new_at, len(chunk)))
            if op != differ.DIFF_INSERT:
                old_at += len(chunk)
            if op != differ.DIFF_DELETE:
                new_at += len(chunk)
        self._run_starts = [run[0] for run in self._runs]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Where ``old[start:end]`` went: its first and last surviving characters.

        A deleted first character maps to where the deletion happened (before any text
        inserted in its place), a deleted last character to after the inserted text, so
        that a replaced word at either edge stays inside the expected span.
        """
        new_start = self._char(start, before_insertions=True)
        new_end = self._char(end - 1, before_insertions=False) + 1
        return new_start, max(new_start, new_end)

    def _char(self, old: int, *, before_insertions: bool) -> int:
        index = bisect_right(self._run_starts, old) - 1
        if index >= 0:
            run_old, run_new, length = self._runs[index]
            if old < run_old + length:
                return run_new + (old - run_old)
        # The character was deleted (or is past the end of the old text).
        if before_insertions:
            if index < 0:
                return 0
            run_old, run_new, length = self._runs[index]
            return run_new + length
        if index + 1 < len(self._runs):
            return self._runs[index + 1][1] - 1
        return self._new_length - 1
