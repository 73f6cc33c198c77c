"""Approximate search for a quote: the edit budget, the closest passages, the best match.

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

All edit distances come from rapidfuzz (C++); pieces are looked up with str.find or, for
many at once, one Aho-Corasick pass (pyahocorasick).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import ahocorasick
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from annotations.anchoring.selection import CONTEXT, find_exact_all

MIN_FUZZY_LENGTH: Final = 8
"""Shorter quotes are only ever re-found exactly (see :func:`max_fuzzy_errors`)."""

MAX_FUZZY_ERRORS: Final = 256
"""Cap on the edits allowed for very long quotes, which keeps the search bounded."""

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


@dataclass(frozen=True, slots=True)
class QuoteQuery:
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
    query = QuoteQuery(exact, prefix, suffix, expected)
    return best_matches(text, [query], max_errors=max_errors)[0]


def best_matches(
    text: str, queries: Sequence[QuoteQuery], *, max_errors: int | None = None
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


def _pick(text: str, query: QuoteQuery, spans: list[tuple[int, int]], *, errors: int) -> QuoteMatch:
    """The best-scoring span; equal scores go to the length nearest the quote's, then to
    the first in the text."""
    hint = None if query.expected is None else query.expected[0]

    def score(span: tuple[int, int]) -> float:
        return fit_score(
            text, span[0], span[1], errors, query.exact, query.prefix, query.suffix, hint
        )

    start, end = max(
        spans, key=lambda span: (score(span), -abs(span[1] - span[0] - len(query.exact)))
    )
    return QuoteMatch(start, end, errors, score((start, end)))


_Region = tuple[int, int, list[tuple[int, int]], int]  # lo, hi, seed spans, error budget


def _far_regions(
    text: str, queries: Sequence[QuoteQuery], budgets: Sequence[int]
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


def _pieces(query: QuoteQuery) -> list[tuple[str, int]]:
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
    hits: list[tuple[int, int]], query: QuoteQuery, budget: int, text_length: int
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


def fit_score(
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
