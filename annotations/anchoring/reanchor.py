"""Re-anchoring: carrying an article's anchors onto a new revision of its text.

:func:`reanchor_many` (or :func:`reanchor` for a single anchor) follows the four steps of
the design and reports one of four states:

1. ``anchored`` - the old offsets still hold the exact quote;
2. ``moved``    - the exact quote is elsewhere; among several occurrences the one whose
   prefix/suffix fit best and that lies nearest the expected position wins;
3. ``fuzzy``    - no exact occurrence, but a passage within
   :func:`~annotations.anchoring.approximate.max_fuzzy_errors` edits of the quote (closest
   first, then context and nearness decide); the new text of the passage becomes the
   claim's ``exact``;
4. ``orphaned`` - nothing close enough; the claim keeps its old offsets, quote and context
   so that nothing is lost and an editor can re-attach it by hand.

Where each passage is expected comes from one diff between the two revisions
(diff-match-patch); the search itself is :mod:`annotations.anchoring.approximate`'s.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

from diff_match_patch import diff_match_patch

from annotations.anchoring.approximate import QuoteQuery, best_matches, fit_score
from annotations.anchoring.selection import Anchor, context_around

AnchorState = Literal["anchored", "moved", "fuzzy", "orphaned"]
ANCHORED: Final = "anchored"
MOVED: Final = "moved"
FUZZY: Final = "fuzzy"
ORPHANED: Final = "orphaned"

# diff-match-patch gives up refining after this many seconds and returns a coarser (still
# valid) diff; mapped positions are only hints, so a coarse diff costs precision, not
# correctness: the far search takes over.
_DIFF_TIMEOUT: Final = 0.1


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


def mapped_spans(
    *, spans: Sequence[tuple[int, int]], old_text: str, text: str
) -> list[tuple[int, int]]:
    """Where each span of ``old_text`` went in ``text``, by the one diff `reanchor_many`
    uses as its hint (no search: what the characters became, whatever they are now)."""
    if old_text == text:
        return list(spans)
    offsets = _OffsetMap(old_text, text)
    return [offsets.span(start, end) for start, end in spans]


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
        QuoteQuery(anchors[n].exact, anchors[n].prefix, anchors[n].suffix, expected[n])
        for n in searches
    ]
    for number, match in zip(searches, best_matches(text, queries), strict=True):
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
    score = fit_score(text, start, end, errors, anchor.exact, anchor.prefix, anchor.suffix, hint)
    return Reanchoring(state, start, end, text[start:end], *context_around(text, start, end), score)


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
