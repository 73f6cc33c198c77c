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
  half, which we find too loose for attribution. Quotes shorter than ``MIN_FUZZY_LENGTH``
  (8) characters get no fuzzy matching at all: one edit turns "Iran" into "Iraq".
* A candidate is scored ``0.5 * quote + 0.2 * prefix + 0.2 * suffix + 0.1 * nearness``,
  each a similarity in [0, 1]; the quote similarity dominates, context separates repeated
  quotes, nearness to the expected position breaks the remaining ties. Context is compared
  with the text touching the candidate, allowing its length to differ by up to half, so
  that words inserted or removed next to the quote cost only their own characters.

Where to look, and why: a changed passage is searched for with the full budget near where
it is expected (its old offsets, or where a diff between the revisions says it went:
within the budget plus ``2 * CONTEXT`` characters). Only when that fails is the rest of the
text searched, around the places where verbatim pieces of the quote or of its context
still occur (and, in texts up to 4096 characters, everywhere). A passage that moved *and*
changed must earn belief: where at least two such pieces agree on its place it gets the
full budget, elsewhere half. The piece search is exhaustive for passages within
``len(exact) // 16`` edits (the quote is cut into that many pieces plus one, so one piece
survives intact), unless all surviving pieces are phrases found more than 8 times in the
text, which say nothing about place. A selector without an expected position
(:func:`best_match` without ``hint``) gets the full budget everywhere. This keeps a whole
article's re-anchoring well under a second.

All edit distances come from rapidfuzz (C++); the position mapping between two revisions
comes from diff-match-patch; pieces are looked up with str.find or, for many at once, one
Aho-Corasick pass (pyahocorasick). This module imports nothing from Django's ORM, so it is
tested without a database.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

import ahocorasick
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
    "MIN_FUZZY_LENGTH",
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

MIN_FUZZY_LENGTH: Final = 8
"""Shorter quotes are only ever re-found exactly (see :func:`max_fuzzy_errors`)."""

MAX_FUZZY_ERRORS: Final = 256
"""Cap on the edits allowed for very long quotes, which keeps the search bounded."""

AnchorState = Literal["anchored", "moved", "fuzzy", "orphaned"]
ANCHORED: Final = "anchored"
MOVED: Final = "moved"
FUZZY: Final = "fuzzy"
ORPHANED: Final = "orphaned"
ANCHOR_STATES: Final = (ANCHORED, MOVED, FUZZY, ORPHANED)

# Score weights, in tenths (integers, so that a perfect fit scores exactly 1.0).
_QUOTE_WEIGHT: Final = 5
_PREFIX_WEIGHT: Final = 2
_SUFFIX_WEIGHT: Final = 2
_NEARNESS_WEIGHT: Final = 1

# Characters searched beyond the budget on each side of an expected span: room for the
# neighbourhood of the quote to have been edited too, small enough to stay cheap.
_WINDOW_PAD: Final = 2 * CONTEXT

# Beyond the expected window, texts up to this length are searched everywhere; longer ones
# only around surviving pieces of the quote and its context (see _far_regions).
_FULL_SCAN_MAX: Final = 4096

# Distances are computed up to this much past the cutoff that matters, which lets a bad
# start or end skip that far ahead (see _closest_spans).
_SKIP: Final = 8

# A quote is cut into one piece per this many characters, plus one (and pieces shorter
# than _PIECE_MIN are not used): see the module docstring for what that guarantees.
_PIECE_LENGTH: Final = 16
_PIECE_MIN: Final = 8

# At most this many places are searched for one quote in the far search, the places with
# most surviving pieces first, so that a piece repeated all over the text stays cheap.
_FAR_REGIONS_MAX: Final = 16

# A piece found more often than this in the text is no clue to where the quote went.
_PIECE_HITS_MAX: Final = 8

# Each far region is seeded with at most this many likely spans.
_SEEDS_MAX: Final = 4

# Up to this many pieces are looked up one by one with str.find; more share one
# Aho-Corasick pass over the text, which costs about as much as 50 finds.
_FIND_ONE_BY_ONE_MAX: Final = 48

# diff-match-patch gives up refining after this many seconds and returns a coarser (still
# valid) diff; mapped positions are only hints, so a coarse diff costs precision, not
# correctness: the far search takes over.
_DIFF_TIMEOUT: Final = 0.1

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
    (and sends it back to review) while a rewritten sentence orphans it; zero below
    ``MIN_FUZZY_LENGTH``, where a single edit can change the meaning (and a 2-edit match
    of a 5-letter word turns up almost anywhere); capped at ``MAX_FUZZY_ERRORS``.
    """
    if length < MIN_FUZZY_LENGTH:
        return 0
    return min(length // 4, MAX_FUZZY_ERRORS)


def approx_search(text: str, pattern: str, *, max_errors: int) -> list[ApproxMatch]:
    """The substrings of ``text`` closest to ``pattern``, within ``max_errors`` edits.

    Only matches with the minimum edit count are returned, one per end offset (the longest
    one ending there), in text order, as approx-string-match reports them. An empty pattern
    or text has no matches. Exhaustive: the cost grows with the length of the text, so it is
    meant for bounded texts; :func:`best_match` is the one to use on whole articles.
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
    seeds: Sequence[tuple[int, int]] = (),
) -> tuple[list[tuple[int, int]], int]:
    """All non-empty spans inside ``text[lo:hi]`` with the fewest edits from ``pattern``.

    Returns the spans (by increasing start, then end) and their edit count; no spans when
    none is within ``max_errors``. rapidfuzz computes every distance; this function only
    decides which spans are worth asking about, using that an edit distance changes by at
    most one per character added or removed:

    * a span within ``best`` edits has a length within ``best`` of the pattern's, and is
      at most ``2 * best`` edits from the pattern-length window at its start;
    * that window's distance changes by at most 2 from one start to the next, and a
      span's by at most 1 from one end to the next, so a large distance skips ahead
      (distances are capped at ``_SKIP`` past what is needed: rapidfuzz is fastest with
      a tight cutoff);
    * ``best`` shrinks as closer spans turn up, starting from the closest of ``seeds``
      (likely spans, such as the expected one), which makes the rules bite early.
    """
    m = len(pattern)
    best = max_errors
    for seed_start, seed_end in seeds:
        if lo <= seed_start < seed_end <= hi:
            seed_text = text[seed_start:seed_end]
            best = min(best, Levenshtein.distance(pattern, seed_text, score_cutoff=best))
    spans: list[tuple[int, int]] = []
    start = lo
    while start < hi:
        window_end = min(hi, start + m)
        window_errors = Levenshtein.distance(
            pattern, text[start:window_end], score_cutoff=2 * best + 2 * _SKIP
        )
        if window_errors > 2 * best:
            start += (window_errors - 2 * best + 1) // 2
            continue
        end, last_end = max(start + 1, start + m - best), min(hi, start + m + best)
        while end <= last_end:
            # Spans ending within (window_errors - best) of the window's end are too far.
            if abs(end - window_end) < window_errors - best:
                end = window_end + window_errors - best
                continue
            errors = Levenshtein.distance(pattern, text[start:end], score_cutoff=best + _SKIP)
            if errors < best:
                best, spans = errors, [(start, end)]
                last_end = min(hi, start + m + best)
            elif errors == best:
                spans.append((start, end))
            end += max(1, errors - best)
        start += 1
    return spans, best


def _search_region(
    text: str,
    pattern: str,
    max_errors: int,
    lo: int,
    hi: int,
    seeds: Sequence[tuple[int, int]] = (),
) -> tuple[list[tuple[int, int]], int]:
    """``_closest_spans`` in ``text[lo:hi]``, behind a cheap filter for hopeless regions.

    The filter cuts the pattern into pieces of at most 64 characters (where rapidfuzz's
    ``partial_ratio`` is fast). A span within k edits of the pattern has, among j pieces,
    one within ``k // j`` edits of some stretch of the region; that piece's best window is
    then at most ``2 * (k // j)`` insertions and deletions away (a substitution is one of
    each, and the window makes up the length difference), so its ``partial_ratio`` is at
    least ``100 * (1 - (k // j) / len(piece))``. No piece reaching that means no match.
    Pieces that do reach it also say where the pattern probably starts: more seeds.
    """
    if max_errors < 0 or hi - lo <= 0:
        return [], max_errors
    m = len(pattern)
    if hi - lo >= m:
        region, count = text[lo:hi], -(-m // 64)
        allowance = max_errors // count
        likely: list[tuple[int, int]] = []
        for number in range(count):
            first, last = number * m // count, (number + 1) * m // count
            piece = pattern[first:last]
            floor = max(0.0, 100.0 * (1.0 - allowance / len(piece)) - 1e-6)
            alignment = fuzz.partial_ratio_alignment(piece, region, score_cutoff=floor)
            if alignment is not None:
                start = lo + alignment.dest_start - alignment.src_start - first
                likely.append((start, start + m))
        if not likely:
            return [], max_errors
        seeds = [*seeds, *likely]
    return _closest_spans(text, pattern, max_errors=max_errors, lo=lo, hi=hi, seeds=seeds)


def _search_window(
    text: str,
    pattern: str,
    max_errors: int,
    lo: int,
    hi: int,
    seeds: Sequence[tuple[int, int]] = (),
) -> tuple[list[tuple[int, int]], int]:
    """``_search_region``, widened while the closest spans run into the window's edge.

    A window can cut a passage in two, and its closest span is then a truncated one (with
    extra edits): widening by a quote's length until no closest span comes within its own
    edit count of an edge finds the whole passage. The budget shrinks to what was found,
    as a wider window can only do as well or better.
    """
    reach = len(pattern) + max_errors
    while True:
        spans, errors = _search_region(text, pattern, max_errors, lo, hi, seeds)
        left = lo > 0 and any(start <= lo + errors for start, _ in spans)
        right = hi < len(text) and any(end >= hi - errors for _, end in spans)
        if not (left or right):
            return spans, errors
        lo = max(0, lo - reach) if left else lo
        hi = min(len(text), hi + reach) if right else hi
        seeds, max_errors = [*seeds, *spans], errors


def _window(start: int, length: int, budget: int, text_length: int) -> tuple[int, int]:
    """The region searched for a quote of ``length`` expected to start at ``start``."""
    reach = budget + _WINDOW_PAD
    return max(0, start - reach), min(text_length, start + length + reach)


# --------------------------------------------------------------------------- best match


@dataclass(frozen=True, slots=True)
class _Query:
    """One selector to find, with the span where it is expected (None: anywhere)."""

    exact: str
    prefix: str
    suffix: str
    expected: tuple[int, int] | None


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
    searched for near ``hint``, then elsewhere within half as many (see the module
    docstring), and scored the same way. An empty quote or text never matches.
    """
    expected = None if hint is None else (hint, hint + len(exact))
    query = _Query(exact, prefix, suffix, expected)
    return _best_matches(text, [query], max_errors=max_errors)[0]


def _best_matches(
    text: str, queries: Sequence[_Query], *, max_errors: int | None = None
) -> list[QuoteMatch | None]:
    """:func:`best_match` for many selectors at once, sharing one far search."""
    results: list[QuoteMatch | None] = [None] * len(queries)
    budgets = [
        max_fuzzy_errors(len(q.exact)) if max_errors is None else max_errors for q in queries
    ]
    far: list[int] = []
    for index, query in enumerate(queries):
        if not query.exact or not text:
            continue
        starts = find_exact_all(text, query.exact)
        if starts:
            spans = [(start, start + len(query.exact)) for start in starts]
            results[index] = _pick(text, query, spans, errors=0)
            continue
        budget = budgets[index]
        if budget <= 0:
            continue
        if query.expected is not None:
            lo, hi = _window(query.expected[0], len(query.exact), budget, len(text))
            spans, errors = _search_window(
                text, query.exact, budget, lo, hi, seeds=[query.expected]
            )
            if spans:
                results[index] = _pick(text, query, spans, errors=errors)
                continue
            if lo == 0 and hi == len(text):
                continue
        far.append(index)
    if far:
        regions = _far_regions(text, [queries[i] for i in far], [budgets[i] for i in far])
        for index, places in zip(far, regions, strict=True):
            query, best, found = queries[index], -1, []
            for lo, hi, seeds, budget in places:
                limit = budget if best < 0 else min(budget, best)
                spans, errors = _search_window(text, query.exact, limit, lo, hi, seeds)
                if spans and (best < 0 or errors < best):
                    best, found = errors, spans
                elif spans:
                    found.extend(spans)
            if found:
                results[index] = _pick(text, query, sorted(set(found)), errors=best)
    return results


def _pick(text: str, query: _Query, spans: list[tuple[int, int]], *, errors: int) -> QuoteMatch:
    """The best-scoring span; equal scores go to the length nearest the quote's, then to
    the first in the text."""
    hint = None if query.expected is None else query.expected[0]

    def score(span: tuple[int, int]) -> float:
        return _score(text, span[0], span[1], errors, query.exact, query.prefix, query.suffix, hint)

    start, end = max(
        spans, key=lambda span: (score(span), -abs(span[1] - span[0] - len(query.exact)))
    )
    return QuoteMatch(start, end, errors, score((start, end)))


_Region = tuple[int, int, list[tuple[int, int]], int]  # lo, hi, seed spans, error budget


def _far_regions(
    text: str, queries: Sequence[_Query], budgets: Sequence[int]
) -> list[list[_Region]]:
    """For each query, where to search away from its expected position, and how loosely.

    Windows around the places where pieces of the quote, the end of its prefix or the
    start of its suffix occur verbatim (see :func:`_cluster_windows`); short texts are
    also searched as a whole. A query with an expected position gets half its budget in
    these regions unless two different probes agree on the place: a passage that moved
    and changed must resemble the quote more closely, or show more of it, to be believed.
    """
    owners: dict[str, list[tuple[int, int, int]]] = {}
    for number, query in enumerate(queries):
        for probe, (piece, shift) in enumerate(_pieces(query)):
            owners.setdefault(piece, []).append((number, shift, probe))
    implied: list[list[tuple[int, int]]] = [[] for _ in queries]
    for first, piece in _occurrences(text, list(owners)):
        for number, shift, probe in owners[piece]:
            implied[number].append((first + shift, probe))
    regions = []
    for hits, query, budget in zip(implied, queries, budgets, strict=True):
        reduced = budget if query.expected is None else budget // 2
        places = [
            (lo, hi, seeds, budget if support >= 2 else reduced)
            for lo, hi, seeds, support in _cluster_windows(hits, query, budget, len(text))
        ]
        if len(text) <= _FULL_SCAN_MAX:
            places.append((0, len(text), [], reduced))
        regions.append([place for place in places if place[3] > 0])
    return regions


def _pieces(query: _Query) -> list[tuple[str, int]]:
    """Verbatim probes for a quote, each with the offset from the probe to the quote start.

    The quote is cut into ``len // _PIECE_LENGTH + 1`` pieces, so a passage with fewer
    edits than that keeps one piece intact wherever it went; the last characters of the
    prefix and the first of the suffix are probes too, for quotes edited all over.
    """
    exact, probes = query.exact, []
    count = min(len(exact) // _PIECE_LENGTH + 1, len(exact) // _PIECE_MIN)
    for number in range(count):
        first, last = number * len(exact) // count, (number + 1) * len(exact) // count
        probes.append((exact[first:last], -first))
    before, after = query.prefix[-_PIECE_LENGTH:], query.suffix[:_PIECE_LENGTH]
    if len(before) >= _PIECE_MIN and not before.isspace():
        probes.append((before, len(before)))
    if len(after) >= _PIECE_MIN and not after.isspace():
        probes.append((after, -len(exact)))
    return probes


def _occurrences(text: str, pieces: list[str]) -> list[tuple[int, str]]:
    """Every (start, piece) where a piece occurs in ``text``, overlapping ones included.

    Pieces found more than ``_PIECE_HITS_MAX`` times are left out: a phrase that is all
    over the text says nothing about where the quote went, and would only cost time.
    """
    if len(pieces) <= _FIND_ONE_BY_ONE_MAX:
        found = []
        for piece in pieces:
            starts, at = [], text.find(piece)
            while at != -1 and len(starts) <= _PIECE_HITS_MAX:
                starts.append(at)
                at = text.find(piece, at + 1)
            if len(starts) <= _PIECE_HITS_MAX:
                found.extend((start, piece) for start in starts)
        return found
    automaton = ahocorasick.Automaton()
    for piece in pieces:
        automaton.add_word(piece, piece)
    automaton.make_automaton()
    found = [(last - len(piece) + 1, piece) for last, piece in automaton.iter(text)]
    counts = Counter(piece for _, piece in found)
    return [(start, piece) for start, piece in found if counts[piece] <= _PIECE_HITS_MAX]


def _cluster_windows(
    hits: list[tuple[int, int]], query: _Query, budget: int, text_length: int
) -> list[tuple[int, int, list[tuple[int, int]], int]]:
    """Search windows from probe hits: (lo, hi, seed spans, support).

    ``hits`` are (implied quote start, probe number). Implied starts within ``budget`` of
    each other (edits shift them that much at most) form one place, spanning at most the
    quote's length so that a probe repeated all over a text cannot chain into one huge
    window. Support is the number of different probes behind a place; the best supported
    places come first (nearest the expected position among equals), at most
    ``_FAR_REGIONS_MAX``, each seeded with its most frequent implied spans.
    """
    length = len(query.exact)
    clusters: list[list[tuple[int, int]]] = []
    for start, probe in sorted(hits):
        last = clusters[-1] if clusters else None
        if last and start - last[-1][0] <= max(1, budget) and start - last[0][0] <= length:
            last.append((start, probe))
        else:
            clusters.append([(start, probe)])
    home = None if query.expected is None else query.expected[0]

    def rank(cluster: list[tuple[int, int]]) -> tuple[int, int]:
        distance = 0 if home is None else min(abs(start - home) for start, _ in cluster)
        return -len({probe for _, probe in cluster}), distance

    clusters.sort(key=rank)
    windows = []
    for cluster in clusters[:_FAR_REGIONS_MAX]:
        lo, _ = _window(cluster[0][0], length, budget, text_length)
        _, hi = _window(cluster[-1][0], length, budget, text_length)
        common = Counter(start for start, _ in cluster).most_common(_SEEDS_MAX)
        seeds = [(start, start + length) for start, _ in common]
        windows.append((lo, hi, seeds, len({probe for _, probe in cluster})))
    return windows


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
    before = _context_fit(prefix, text, start, before=True)
    after = _context_fit(suffix, text, end, before=False)
    nearness = 1.0 if hint is None else max(0.0, 1.0 - abs(start - hint) / max(len(text), 1))
    weighted = (
        _QUOTE_WEIGHT * quote
        + _PREFIX_WEIGHT * before
        + _SUFFIX_WEIGHT * after
        + _NEARNESS_WEIGHT * nearness
    )
    return weighted / (_QUOTE_WEIGHT + _PREFIX_WEIGHT + _SUFFIX_WEIGHT + _NEARNESS_WEIGHT)


def _context_fit(context: str, text: str, edge: int, *, before: bool) -> float:
    """Similarity in [0, 1] of ``context`` to the text that touches offset ``edge``.

    The prefix is compared with text ending at ``edge`` (``before=True``), the suffix with
    text starting there. The compared stretch may be up to half shorter or longer than the
    context, and the best fit counts, so an edit next to the quote does not misalign the
    rest of the context. An empty context is no evidence and fits fully.
    """
    if not context:
        return 1.0
    size = len(context)
    room = edge if before else len(text) - edge
    if (text[max(0, edge - size) : edge] if before else text[edge : edge + size]) == context:
        return 1.0
    best = 0.0
    for length in range(min(room, size - size // 2), min(room, size + size // 2) + 1):
        stretch = text[edge - length : edge] if before else text[edge : edge + length]
        best = max(best, Levenshtein.normalized_similarity(context, stretch, score_cutoff=best))
    return best


# --------------------------------------------------------------------------- re-anchoring


def reanchor(*, anchor: Anchor, text: str) -> Reanchoring:
    """Re-anchor one anchor on a new revision text, expecting it at its old offsets.

    Follows the four steps of the module docstring. Use :func:`reanchor_many` when the
    old text is at hand: it expects each passage where a diff says it went, which is both
    faster and surer when the text before the passage changed length.
    """
    return _reanchor(text, [anchor], [(anchor.start, anchor.end)])[0]


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
        expected = [(anchor.start, anchor.end) for anchor in anchors]
    else:
        offsets = _OffsetMap(old_text, text)
        expected = [offsets.span(anchor.start, anchor.end) for anchor in anchors]
    return _reanchor(text, anchors, expected)


def _reanchor(
    text: str, anchors: Sequence[Anchor], expected: Sequence[tuple[int, int]]
) -> list[Reanchoring]:
    results: list[Reanchoring | None] = []
    searches: list[int] = []
    for number, (anchor, (start, end)) in enumerate(zip(anchors, expected, strict=True)):
        old = (anchor.start, anchor.end)
        if text[start:end] == anchor.exact:
            state: AnchorState = ANCHORED if (start, end) == old else MOVED
            results.append(_found(state, anchor, text, (start, end), 0, start))
        elif (start, end) != old and text[anchor.start : anchor.end] == anchor.exact:
            results.append(_found(ANCHORED, anchor, text, old, 0, start))
        else:
            results.append(None)
            searches.append(number)
    queries = [
        _Query(anchors[n].exact, anchors[n].prefix, anchors[n].suffix, expected[n])
        for n in searches
    ]
    for number, match in zip(searches, _best_matches(text, queries), strict=True):
        anchor = anchors[number]
        if match is None:
            results[number] = Reanchoring(
                ORPHANED, anchor.start, anchor.end, anchor.exact, anchor.prefix, anchor.suffix, 0.0
            )
        else:
            state = MOVED if match.errors == 0 else FUZZY
            span = (match.start, match.end)
            results[number] = _found(state, anchor, text, span, match.errors, expected[number][0])
    return [result for result in results if result is not None]


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
    """The prefix and suffix stored with a span: ``CONTEXT`` characters each side."""
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
