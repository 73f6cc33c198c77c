"""Unit and property tests for the ``annotations.anchoring`` modules (pure: no database).

The shared conformance vectors are exercised in ``test_anchoring_conformance.py``.
"""

from __future__ import annotations

from typing import get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from annotations.anchoring.approximate import approx_search, best_match, max_fuzzy_errors
from annotations.anchoring.reanchor import (
    ANCHORED,
    FUZZY,
    MOVED,
    ORPHANED,
    AnchorState,
    Reanchoring,
    reanchor,
    reanchor_many,
)
from annotations.anchoring.selection import (
    CONTEXT,
    Anchor,
    anchor_from_selection,
    describe_quote,
    find_exact_all,
    utf16_to_codepoint,
)
from claimdesk.errors import AnchorMismatch

ARTICLE = (
    "Albania's prime minister said on Wednesday that an investigation, helped by the FBI "
    "and Microsoft, showed the Iranian state was behind the cyberattacks on government "
    "services. Tehran rejected the charge as baseless. Washington sanctioned Iran's "
    "Ministry of Intelligence for its alleged role."
)
QUOTE = "the Iranian state was behind the cyberattacks"

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, database=None)


def anchor_on(text: str, quote: str, occurrence: int = 0) -> Anchor:
    start = find_exact_all(text, quote)[occurrence]
    return anchor_from_selection(text=text, start=start, end=start + len(quote), exact=quote)


def js_offset(text: str, index: int) -> int:
    """What a browser reports for a str index: UTF-16 code units before it."""
    return len(text[:index].encode("utf-16-le")) // 2


def stored(result: Reanchoring) -> Anchor:
    """The anchor a claim keeps after re-anchoring (its old one when orphaned)."""
    return Anchor(result.start, result.end, result.exact, result.prefix, result.suffix)


# --------------------------------------------------------------------------- selections


def test_selection_becomes_an_anchor_with_32_characters_of_context() -> None:
    anchor = anchor_on(ARTICLE, QUOTE)

    assert ARTICLE[anchor.start : anchor.end] == QUOTE
    assert anchor.prefix == ARTICLE[anchor.start - CONTEXT : anchor.start]
    assert anchor.suffix == ARTICLE[anchor.end : anchor.end + CONTEXT]
    assert len(anchor.prefix) == len(anchor.suffix) == CONTEXT == 32


def test_context_is_shorter_at_the_edges_of_the_text() -> None:
    anchor = anchor_from_selection(text="Tehran denied it.", start=0, end=6, exact="Tehran")

    assert (anchor.prefix, anchor.suffix) == ("", " denied it.")


@pytest.mark.parametrize(
    ("start", "end", "exact", "field"),
    [
        pytest.param(-1, 5, "Alban", "start", id="negative-start"),
        pytest.param(len(ARTICLE), len(ARTICLE) + 1, "x", "start", id="start-past-the-text"),
        pytest.param(5, 5, "", "end", id="empty-selection"),
        pytest.param(6, 5, "", "end", id="end-before-start"),
        pytest.param(0, len(ARTICLE) + 1, ARTICLE, "end", id="end-past-the-text"),
        pytest.param(1, 8, "Albania", "exact", id="quote-off-by-one"),
        pytest.param(0, 8, "Albanian", "exact", id="quote-differs"),
    ],
)
def test_mismatching_selection_is_refused_naming_the_field(
    start: int, end: int, exact: str, field: str
) -> None:
    with pytest.raises(AnchorMismatch) as caught:
        anchor_from_selection(text=ARTICLE, start=start, end=end, exact=exact)

    assert caught.value.field == field
    assert caught.value.code == "anchor_mismatch"
    assert caught.value.status == 400
    assert caught.value.errors[0]["field"] == field


@pytest.mark.parametrize(
    ("start", "end", "exact"),
    [(-1, 2, "abc"), (3, 3, ""), (0, 2, "abc")],
    ids=["negative", "empty", "length-differs"],
)
def test_anchor_refuses_offsets_that_do_not_span_the_quote(
    start: int, end: int, exact: str
) -> None:
    with pytest.raises(ValueError):
        Anchor(start, end, exact)


# --------------------------------------------------------------------------- UTF-16


EMOJI_TEXT = "🇦🇱 Tirana 😀: the Iranian state was behind it, said 🛰 Albania."


def test_browser_offsets_after_emoji_convert_to_the_quote() -> None:
    quote = "the Iranian state was behind it"
    index = EMOJI_TEXT.index(quote)
    js_start, js_end = js_offset(EMOJI_TEXT, index), js_offset(EMOJI_TEXT, index + len(quote))
    assert js_start == index + 3  # the flag (two astral characters) and 😀 count twice

    start = utf16_to_codepoint(EMOJI_TEXT, js_start)
    end = utf16_to_codepoint(EMOJI_TEXT, js_end)
    anchor = anchor_from_selection(text=EMOJI_TEXT, start=start, end=end, exact=quote)

    assert (anchor.start, anchor.end) == (index, index + len(quote))


def test_unconverted_browser_offsets_after_emoji_are_refused() -> None:
    quote = "the Iranian state was behind it"
    index = EMOJI_TEXT.index(quote)
    js_start = js_offset(EMOJI_TEXT, index)

    with pytest.raises(AnchorMismatch) as caught:
        anchor_from_selection(
            text=EMOJI_TEXT, start=js_start, end=js_start + len(quote), exact=quote
        )
    assert caught.value.field == "exact"


@pytest.mark.parametrize("offset", [1, 3, 13], ids=["flag-letter-a", "flag-letter-l", "smiley"])
def test_offset_inside_a_surrogate_pair_is_refused(offset: int) -> None:
    with pytest.raises(ValueError, match="surrogate pair"):
        utf16_to_codepoint(EMOJI_TEXT, offset)


def test_offsets_outside_the_text_are_refused() -> None:
    units = js_offset(EMOJI_TEXT, len(EMOJI_TEXT))
    assert utf16_to_codepoint(EMOJI_TEXT, units) == len(EMOJI_TEXT)
    for bad in (-1, units + 1):
        with pytest.raises(ValueError):
            utf16_to_codepoint(EMOJI_TEXT, bad)


@PROPERTY_SETTINGS
@given(text=st.text(st.characters(exclude_categories=["Cs"]), max_size=40), data=st.data())
def test_utf16_conversion_round_trips(text: str, data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(text)))
    assert utf16_to_codepoint(text, js_offset(text, index)) == index


# --------------------------------------------------------------------------- searching


def test_find_exact_all_includes_overlapping_occurrences() -> None:
    assert find_exact_all("banananas", "anana") == [1, 3]
    assert find_exact_all("yada yada", "yada", prefix="a ") == [5]
    assert find_exact_all("yada yada", "yada", suffix=" ") == [0]
    assert find_exact_all("abc", "") == [0, 1, 2, 3]
    assert find_exact_all("abc", "x") == []


def test_describe_quote_adds_only_the_context_needed() -> None:
    text = "Iran denied it. Then Iran denied it again."
    second = text.rindex("Iran denied it")

    minimal = describe_quote(
        text=text, start=second, end=second + len("Iran denied it"), minimal_context=True
    )
    assert (minimal.prefix, minimal.suffix) == (" ", "")
    assert find_exact_all(text, minimal.exact, prefix=minimal.prefix) == [second]

    words = describe_quote(text=text, start=second, end=second + len("Iran denied it"))
    assert (words.prefix, words.suffix) == ("Then ", " again.")


@pytest.mark.parametrize(
    ("length", "budget"),
    [(1, 0), (7, 0), (8, 2), (16, 4), (100, 25), (10_000, 256)],
)
def test_fuzzy_budget_is_a_quarter_of_the_quote_from_8_characters(length: int, budget: int) -> None:
    assert max_fuzzy_errors(length) == budget


def test_best_match_prefers_the_occurrence_whose_context_fits() -> None:
    text = "Tirana: Iran denied it. Washington: Iran denied it. Rome: Iran denied it."
    match = best_match(text=text, exact="Iran denied it", prefix="Washington: ", hint=0)

    assert match is not None
    assert match.start == text.index("Washington: ") + len("Washington: ")
    assert match.errors == 0


def test_best_match_breaks_context_ties_by_nearness_to_the_hint() -> None:
    text = "Iran denied it. " * 4
    starts = find_exact_all(text, "Iran denied it")

    for start in starts:
        match = best_match(text=text, exact="Iran denied it", hint=start + 2)
        assert match is not None
        assert match.start == start


def test_best_match_never_matches_an_empty_quote_or_text() -> None:
    assert best_match(text="", exact="Iran") is None
    assert best_match(text="Iran", exact="") is None


def test_approx_search_counts_code_points_not_utf16_units() -> None:
    (match,) = approx_search("sm😊le", "smile", max_errors=5)

    assert (match.start, match.end, match.errors) == (0, 5, 1)


# --------------------------------------------------------------------------- re-anchoring


def test_unchanged_text_keeps_the_anchor_anchored() -> None:
    anchor = anchor_on(ARTICLE, QUOTE)
    result = reanchor(anchor=anchor, text=ARTICLE)

    assert result == Reanchoring(
        ANCHORED, anchor.start, anchor.end, QUOTE, anchor.prefix, anchor.suffix, 1.0
    )
    assert stored(result) == anchor


def test_edit_after_the_quote_keeps_it_anchored_with_new_context() -> None:
    anchor = anchor_on(ARTICLE, QUOTE)
    text = ARTICLE.replace("on government services", "on Albanian e-government services")

    result = reanchor(anchor=anchor, text=text)

    assert (result.state, result.start, result.end) == (ANCHORED, anchor.start, anchor.end)
    assert result.suffix == text[anchor.end : anchor.end + CONTEXT]
    assert result.score < 1.0


def test_insertion_before_the_quote_moves_it() -> None:
    anchor = anchor_on(ARTICLE, QUOTE)
    text = ARTICLE.replace("on Wednesday", "on Wednesday, 7 September,")
    shift = len(", 7 September,")

    result = reanchor(anchor=anchor, text=text)

    assert result.state == MOVED
    assert (result.start, result.end) == (anchor.start + shift, anchor.end + shift)
    assert result.exact == QUOTE


def test_moved_quote_repeated_in_the_text_follows_its_context() -> None:
    old = (
        "In Tirana the government said: Iran denied it. In Rome the ministry said: Iran denied it."
    )
    anchor = anchor_on(old, "Iran denied it", occurrence=1)
    new = (
        "In Rome the ministry said: Iran denied it. "
        "Meanwhile in Tirana the government said: Iran denied it."
    )
    nearest = min(find_exact_all(new, "Iran denied it"), key=lambda s: abs(s - anchor.start))

    result = reanchor(anchor=anchor, text=new)

    assert result.state == MOVED
    assert result.start == new.index("said: ") + len("said: ") != nearest


def test_quote_still_at_its_old_offsets_stays_anchored_even_if_repeated() -> None:
    # Step 1 of the design: the old position still holding the quote settles it.
    old = "Tirana said: Iran denied it. Rome said: Iran denied it."
    anchor = anchor_on(old, "Iran denied it", occurrence=1)
    new = "Rome said: Iran denied it. Tirana said: Iran denied it."

    result = reanchor(anchor=anchor, text=new)

    assert (result.state, result.start) == (ANCHORED, anchor.start)


def test_reanchor_many_follows_the_diff_where_quote_and_context_repeat() -> None:
    # Two copies of the same sentence with the same 32 characters around the quote:
    # only the diff tells which one the claim was on once text is inserted before both.
    block = (
        "According to officials in Tirana, as reported, Tehran denied the charge "
        "entirely and without delay, a spokesman said. "
    )
    old = "Intro. " + block + "Something else entirely in between. " * 5 + block + "End."
    anchor = anchor_on(old, "Tehran denied the charge", occurrence=1)
    new = "A new opening paragraph. " * 20 + old
    shift = len(new) - len(old)

    (result,) = reanchor_many(anchors=[anchor], old_text=old, text=new)

    assert result.state == MOVED
    assert result.start == anchor.start + shift


def test_reworded_quote_is_anchored_fuzzily_on_the_new_wording() -> None:
    anchor = anchor_on(ARTICLE, QUOTE)
    text = ARTICLE.replace("the Iranian state was behind", "the Iranian state had been behind")

    result = reanchor(anchor=anchor, text=text)

    assert result.state == FUZZY
    assert result.exact == "the Iranian state had been behind the cyberattacks"
    assert text[result.start : result.end] == result.exact
    assert result.prefix == anchor.prefix
    assert 0.0 < result.score < 1.0


def test_quote_that_moved_and_changed_is_found_far_away() -> None:
    filler = "".join(f"Paragraph {n} says nothing of note about the matter. " for n in range(120))
    old = ARTICLE + " " + filler
    anchor = anchor_on(old, QUOTE)
    moved = ARTICLE.replace("Albania's prime minister said", "Albania's premier said")
    new = filler + " " + moved.replace("cyberattacks", "cyber-attacks")
    assert len(new) > 4096  # long enough that only surviving pieces lead the search

    result = reanchor(anchor=anchor, text=new)

    assert result.state == FUZZY
    assert result.exact == "the Iranian state was behind the cyber-attacks"


def test_removed_quote_is_orphaned_and_keeps_everything() -> None:
    anchor = anchor_on(ARTICLE, QUOTE)
    text = ARTICLE.replace(
        "showed the Iranian state was behind the cyberattacks on government services", "ended"
    )

    result = reanchor(anchor=anchor, text=text)

    assert result == Reanchoring(
        ORPHANED, anchor.start, anchor.end, QUOTE, anchor.prefix, anchor.suffix, 0.0
    )
    assert stored(result) == anchor


def test_short_quote_is_never_matched_fuzzily() -> None:
    anchor = anchor_on("Iran denied it.", "Iran")

    result = reanchor(anchor=anchor, text="Iraq denied it.")

    assert result.state == ORPHANED


def test_reanchor_many_reanchors_a_whole_article_in_order() -> None:
    quotes = ["Albania's prime minister", QUOTE, "Tehran rejected the charge", "alleged role"]
    anchors = [anchor_on(ARTICLE, quote) for quote in quotes]
    new = "Update: " + ARTICLE.replace("Tehran rejected the charge as baseless. ", "").replace(
        "alleged role", "alleged rôle"
    ).replace("government services", "public services")

    results = reanchor_many(anchors=anchors, old_text=ARTICLE, text=new)

    assert [r.state for r in results] == [MOVED, MOVED, ORPHANED, FUZZY]
    assert [r.exact for r in results] == [quotes[0], QUOTE, quotes[2], "alleged rôle"]
    for result in results[:2] + results[3:]:
        assert new[result.start : result.end] == result.exact


def test_reanchor_many_survives_anchors_from_an_older_revision() -> None:
    # An orphan keeps offsets from an older, longer text; mapping them must not fail.
    stale = Anchor(900, 911, "Tehran said", "", "")

    (result,) = reanchor_many(anchors=[stale], old_text=ARTICLE, text=ARTICLE + " Tehran said no.")

    assert result.state == MOVED
    assert result.start == len(ARTICLE) + 1


def test_reanchor_many_on_identical_text_is_all_anchored() -> None:
    anchors = [anchor_on(ARTICLE, QUOTE), anchor_on(ARTICLE, "Washington")]

    results = reanchor_many(anchors=anchors, old_text=ARTICLE, text=ARTICLE)

    assert [r.state for r in results] == [ANCHORED, ANCHORED]


# --------------------------------------------------------------------------- properties

ALPHABET = st.sampled_from("ab c.é😀")
PIECE = st.text(ALPHABET, max_size=30)


def edited(text: str, edits: list[tuple[int, int, str]]) -> str:
    """Apply (position, delete count, insertion) edits, positions scaled to the text."""
    for position, delete, insert in edits:
        at = position % (len(text) + 1)
        text = text[:at] + insert + text[at + delete :]
    return text


EDITS = st.lists(
    st.tuples(st.integers(0, 1000), st.integers(0, 4), st.text(ALPHABET, max_size=6)),
    max_size=5,
)


def check_result(result: Reanchoring, anchor: Anchor, text: str) -> None:
    assert result.state in get_args(AnchorState)
    if result.state == ORPHANED:
        assert stored(result) == anchor
        assert result.score == 0.0
        return
    assert 0 <= result.start < result.end <= len(text)
    assert text[result.start : result.end] == result.exact
    assert (result.prefix, result.suffix) == (
        text[max(0, result.start - CONTEXT) : result.start],
        text[result.end : result.end + CONTEXT],
    )
    unmoved = (result.start, result.end) == (anchor.start, anchor.end)
    if result.state == ANCHORED:
        assert unmoved
    if result.state == MOVED:
        assert not unmoved
    if result.state in (ANCHORED, MOVED):
        assert result.exact == anchor.exact
    else:
        errors = Levenshtein.distance(anchor.exact, result.exact)
        assert 0 < errors <= max_fuzzy_errors(len(anchor.exact))
    assert 0.0 < result.score <= 1.0


@PROPERTY_SETTINGS
@given(
    before=PIECE,
    quote=st.text(ALPHABET, min_size=1, max_size=20),
    after=PIECE,
    before_edits=EDITS,
    after_edits=EDITS,
)
def test_edits_outside_the_quote_keep_it_at_the_right_place(
    before: str,
    quote: str,
    after: str,
    before_edits: list[tuple[int, int, str]],
    after_edits: list[tuple[int, int, str]],
) -> None:
    old = before + quote + after
    anchor = anchor_from_selection(
        text=old, start=len(before), end=len(before) + len(quote), exact=quote
    )
    new_before, new_after = edited(before, before_edits), edited(after, after_edits)
    new = new_before + quote + new_after

    for result in (
        reanchor(anchor=anchor, text=new),
        reanchor_many(anchors=[anchor], old_text=old, text=new)[0],
    ):
        check_result(result, anchor, new)
        assert result.state in (ANCHORED, MOVED)
        if len(find_exact_all(new, quote)) == 1:
            assert result.start == len(new_before)


@PROPERTY_SETTINGS
@given(text=st.text(ALPHABET, min_size=1, max_size=60), data=st.data(), edits=EDITS)
def test_no_sequence_of_edits_loses_the_quote(
    text: str, data: st.DataObject, edits: list[tuple[int, int, str]]
) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    anchor = anchor_from_selection(text=text, start=start, end=end, exact=text[start:end])
    new = edited(text, edits)

    for result in (
        reanchor(anchor=anchor, text=new),
        reanchor_many(anchors=[anchor], old_text=text, text=new)[0],
    ):
        check_result(result, anchor, new)
        if find_exact_all(new, anchor.exact):
            assert result.state in (ANCHORED, MOVED)


@PROPERTY_SETTINGS
@given(text=st.text(ALPHABET, max_size=40), pattern=st.text(ALPHABET, min_size=1, max_size=10))
def test_fuzzy_search_finds_the_closest_passage(text: str, pattern: str) -> None:
    # Brute force over every non-empty span, to hold the pruned search to account.
    budget = len(pattern) // 2
    distances = {
        (s, e): Levenshtein.distance(pattern, text[s:e])
        for s in range(len(text))
        for e in range(s + 1, len(text) + 1)
    }
    fewest = min(distances.values(), default=None)

    match = best_match(text=text, exact=pattern, max_errors=budget)
    matches = approx_search(text, pattern, max_errors=budget)

    if fewest is None or fewest > budget:
        assert match is None
        assert matches == []
        return
    assert match is not None
    assert match.errors == fewest == distances[(match.start, match.end)]
    longest_per_end: dict[int, int] = {}
    for (s, e), d in sorted(distances.items()):
        if d == fewest:
            longest_per_end.setdefault(e, s)
    assert [(m.start, m.end, m.errors) for m in matches] == [
        (s, e, fewest) for e, s in sorted(longest_per_end.items())
    ]
