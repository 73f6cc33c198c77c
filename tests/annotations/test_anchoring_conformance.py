"""Conformance of ``annotations.anchoring`` with the shared text-quote anchoring vectors.

The vectors are ``shared/conformance/anchoring/cases.json`` beside the repository; its
README says where each case comes from (Apache Annotator, Hypothesis, dom-anchor-text-quote,
approx-string-match) and how to judge it. Here:

* ``exact_all_matches`` - strict: :func:`find_exact_all` with prefix and suffix.
* ``approx_search`` - as the case's ``expected_semantics`` says: minimum-error matches; a
  single result must be one of ``expected``, several must equal it; for
  ``expected_each_match_text`` every match slices to that text. Offsets and error counts
  are code points (``expected``), not the upstream UTF-16 values (``expected_js_utf16``).
* ``describe`` - strict: Apache cases through :func:`describe_quote` with their options;
  dom-anchor-text-quote's fixed 32-character context through
  :func:`anchor_from_selection`, which is what claims store.
* ``best_match`` - a verbatim match is compared strictly; a fuzzy one leniently, as the
  README advises (span boundaries and thresholds depend on the algorithm): it must overlap
  the expected span. ``expected_start`` cases compare the start only, as upstream does;
  ``null`` means no match.
* ``score_order`` - scores strictly decreasing. Scored with Hypothesis's allowance of
  ``len(quote) // 2`` edits, because the last selectors are deliberately further from the
  text than our own acceptance threshold: what is tested is the order of the scores.
* ``real_annotation`` - through :func:`reanchor`, with the captured position and quote as
  the anchor: the result must be the expected span, ``anchored`` where the captured
  position still holds the quote and ``moved`` where it does not.

Judged differently from the file (asserted as our behaviour, not marked xfail):

* ``dom-anchor-text-quote/long-not-found/0`` and ``/2`` expect no match.
  dom-anchor-text-quote matches with diff-match-patch's bitap over 32-character slices and
  gives up on them. Both quotes are the page's own sentences with words garbled: 9 edits
  in 48 characters, and 47 in 220 (a gap of line breaks included), so within our budget of
  ``len // 4`` edits (12 and 55). We anchor them fuzzily on the passage they were taken
  from, as the README notes Hypothesis-style matching does: for a claim, a fuzzy anchor
  (which sends an approved claim back to review) is better than an orphan.
"""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from annotations.anchoring.approximate import approx_search, best_match, max_fuzzy_errors
from annotations.anchoring.reanchor import ANCHORED, MOVED, reanchor
from annotations.anchoring.selection import (
    Anchor,
    anchor_from_selection,
    describe_quote,
    find_exact_all,
)

CASES_PATH = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "conformance"
    / "anchoring"
    / "cases.json"
)

# A missing file fails one test loudly (below) instead of breaking collection of the suite.
VECTORS: dict[str, Any] = (
    json.loads(CASES_PATH.read_text(encoding="utf-8"))
    if CASES_PATH.exists()
    else {"cases": [], "texts": {}}
)

# Case id -> (why, a span our match must overlap).
JUDGED_DIFFERENTLY: dict[str, tuple[str, tuple[int, int]]] = {
    "dom-anchor-text-quote/long-not-found/0": (
        "9 edits in 48 characters: within len // 4, anchored on the 'Quisque ...' sentence",
        (287, 338),
    ),
    "dom-anchor-text-quote/long-not-found/2": (
        "47 edits in 220 characters: within len // 4, anchored on the opening sentences",
        (0, 220),
    ),
}


def cases(kind: str) -> list[Any]:
    return [pytest.param(case, id=case["id"]) for case in VECTORS["cases"] if case["kind"] == kind]


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def test_vectors_hold_the_documented_number_of_cases() -> None:
    assert CASES_PATH.exists(), f"the shared conformance vectors are missing: {CASES_PATH}"
    assert VECTORS["format"] == "text-quote-anchoring-cases/1"
    assert len(VECTORS["cases"]) == 112


@pytest.mark.parametrize("case", cases("exact_all_matches"))
def test_exact_all_matches(case: dict[str, Any]) -> None:
    selector = case["selector"]
    starts = find_exact_all(
        case["text"],
        selector["exact"],
        prefix=selector.get("prefix", ""),
        suffix=selector.get("suffix", ""),
    )
    assert [[start, start + len(selector["exact"])] for start in starts] == case["expected"]


@pytest.mark.parametrize("case", cases("approx_search"))
def test_approx_search(case: dict[str, Any]) -> None:
    matches = approx_search(case["text"], case["pattern"], max_errors=case["max_errors"])
    found = [{"start": m.start, "end": m.end, "errors": m.errors} for m in matches]
    if "expected_each_match_text" in case:
        assert found
        for match in found:
            assert case["text"][match["start"] : match["end"]] == case["expected_each_match_text"]
    elif len(found) == 1 and len(case["expected"]) > 1:
        assert found[0] in case["expected"]
    else:
        assert found == case["expected"]


@pytest.mark.parametrize("case", cases("describe"))
def test_describe(case: dict[str, Any]) -> None:
    start, end = case["range"]
    options = case["options"]
    expected = case["expected"]
    if "fixed_context_length" in options:
        assert options["fixed_context_length"] == 32
        anchor = anchor_from_selection(
            text=case["text"], start=start, end=end, exact=case["text"][start:end]
        )
        described = (anchor.exact, anchor.prefix, anchor.suffix)
    else:
        quote = describe_quote(
            text=case["text"],
            start=start,
            end=end,
            minimal_context=options.get("minimalContext", False),
            minimum_quote_length=options.get("minimumQuoteLength", 0),
            max_word_length=options.get("maxWordLength", 50),
        )
        described = (quote.exact, quote.prefix, quote.suffix)
    assert described == (expected["exact"], expected["prefix"], expected["suffix"])


@pytest.mark.parametrize("case", cases("best_match"))
def test_best_match(case: dict[str, Any]) -> None:
    selector = case["selector"]
    match = best_match(
        text=case["text"],
        exact=selector["exact"],
        prefix=selector.get("prefix", ""),
        suffix=selector.get("suffix", ""),
        hint=case.get("hint"),
    )
    if case["id"] in JUDGED_DIFFERENTLY:
        _, passage = JUDGED_DIFFERENTLY[case["id"]]
        assert case["expected"] is None
        assert match is not None
        assert 0 < match.errors <= max_fuzzy_errors(len(selector["exact"]))
        assert overlaps((match.start, match.end), passage)
        return
    if "expected_start" in case:
        assert match is not None
        assert match.start == case["expected_start"]
        return
    if case["expected"] is None:
        assert match is None
        return
    assert match is not None
    expected = tuple(case["expected"])
    if match.errors == 0:
        assert (match.start, match.end) == expected
    else:
        assert overlaps((match.start, match.end), expected)
    if "expected_score" in case:
        assert match.score == pytest.approx(case["expected_score"])
    if "expected_score_range" in case:
        low, high = case["expected_score_range"]
        assert low < match.score < high
    if "expected_within" in case:
        within = case["expected_within"]
        assert within[0] <= match.start and match.end <= within[1]


@pytest.mark.parametrize("case", cases("score_order"))
def test_score_order(case: dict[str, Any]) -> None:
    scores = []
    for selector in case["selectors"]:
        match = best_match(
            text=case["text"],
            exact=selector["exact"],
            prefix=selector.get("prefix", ""),
            suffix=selector.get("suffix", ""),
            max_errors=len(selector["exact"]) // 2,
        )
        assert match is not None, selector
        scores.append(match.score)
    assert all(a > b for a, b in pairwise(scores)), scores


@pytest.mark.parametrize("case", cases("real_annotation"))
def test_real_annotation(case: dict[str, Any]) -> None:
    text = VECTORS["texts"][case["text_ref"]]
    selector, position = case["selector"], case["position_selector"]
    anchor = Anchor(
        position["start"],
        position["end"],
        selector["exact"],
        selector.get("prefix", ""),
        selector.get("suffix", ""),
    )
    result = reanchor(anchor=anchor, text=text)
    assert (result.start, result.end) == tuple(case["expected"])
    assert result.exact == selector["exact"]
    consistent = case["position_consistent_with_extracted_text"]
    assert result.state == (ANCHORED if consistent else MOVED)
