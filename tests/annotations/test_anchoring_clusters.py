"""Selections never split a character as readers see it (an extended grapheme cluster).

Pure tests of ``annotations.anchoring.selection``; the doors (services, API, pages) are
tested in ``tests/annotations/rules/test_split_characters.py``.
"""

from __future__ import annotations

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.anchoring.selection import anchor_from_selection, splits_character
from claimdesk.errors import InvalidInput

# (name, cluster): each is one character to a reader and several code points.
CLUSTERS = [
    ("emoji ZWJ family", "\U0001f468\u200d\U0001f469\u200d\U0001f467"),
    ("rainbow flag (ZWJ and variation selector)", "\U0001f3f3\ufe0f\u200d\U0001f308"),
    ("flag: two regional indicators", "\U0001f1e6\U0001f1f1"),
    ("skin tone modifier", "\U0001f44d\U0001f3fd"),
    ("e and a combining acute", "e\u0301"),
    ("q with two combining marks", "q\u0323\u0301"),
    ("Hangul jamo (choseong, archaic jungseong, jongseong)", "\u1100\u1176\u11a8"),
    ("keycap", "#\ufe0f\u20e3"),
    ("Devanagari conjunct", "\u0915\u094d\u0937"),
]

INSIDE = [
    pytest.param(cluster, inner, id=f"{name}-{inner}")
    for name, cluster in CLUSTERS
    for inner in range(1, len(cluster))
]

WHOLE = [pytest.param(cluster, id=name) for name, cluster in CLUSTERS]


def text_around(cluster: str) -> tuple[str, int]:
    """A sentence holding the cluster, and where the cluster starts."""
    text = f"Tirana said {cluster} the attack came from abroad."
    return text, text.index(cluster)


@pytest.mark.parametrize(("cluster", "inner"), INSIDE)
def test_start_inside_a_cluster_is_refused_naming_start(cluster, inner):
    text, at = text_around(cluster)
    start, end = at + inner, len(text) - 1
    with pytest.raises(InvalidInput) as refused:
        anchor_from_selection(text=text, start=start, end=end, exact=text[start:end])
    assert refused.value.field == "start"
    assert refused.value.errors[0]["code"] == "splits_character"
    assert "inside a character" in refused.value.detail


@pytest.mark.parametrize(("cluster", "inner"), INSIDE)
def test_end_inside_a_cluster_is_refused_naming_end(cluster, inner):
    text, at = text_around(cluster)
    start, end = 0, at + inner
    with pytest.raises(InvalidInput) as refused:
        anchor_from_selection(text=text, start=start, end=end, exact=text[start:end])
    assert refused.value.field == "end"
    assert refused.value.errors[0]["code"] == "splits_character"


@pytest.mark.parametrize("cluster", WHOLE)
def test_offsets_at_the_edges_of_a_cluster_are_accepted(cluster):
    text, at = text_around(cluster)
    for start, end in [(at, at + len(cluster)), (0, at), (at + len(cluster), len(text))]:
        anchor = anchor_from_selection(text=text, start=start, end=end, exact=text[start:end])
        assert anchor.exact == text[start:end]


@pytest.mark.parametrize("cluster", WHOLE)
def test_a_cluster_at_either_end_of_the_text_is_whole_there(cluster):
    text = cluster + " said the minister " + cluster
    anchor_from_selection(text=text, start=0, end=len(text), exact=text)
    with pytest.raises(InvalidInput):
        anchor_from_selection(text=text, start=1, end=len(text), exact=text[1:])


def test_flags_side_by_side_pair_up_from_the_left():
    flags = "\U0001f1e6\U0001f1f1\U0001f1fa\U0001f1f8\U0001f1ee\U0001f1f7"  # AL, US, IR
    text = f"Sanctions: {flags} agreed."
    at = text.index(flags)
    assert [splits_character(text, at + i) for i in range(7)] == [
        False,
        True,
        False,
        True,
        False,
        True,
        False,
    ]


def test_boundaries_are_found_near_the_offset_in_a_long_text():
    """Only the clusters around the offset are segmented: a long run of text before it
    changes nothing, and a run of regional indicators is still paired from its start."""
    long_text = "word " * 20_000 + "\U0001f1e6" * 101 + " end"
    start_of_run = len("word " * 20_000)
    assert splits_character(long_text, start_of_run + 99)  # inside the 50th flag
    assert not splits_character(long_text, start_of_run + 100)  # before the lone one
    assert not splits_character(long_text, 50_000)


_CLUSTER = regex.compile(r"\X")
_PIECES = st.sampled_from(
    [
        *"ab \n\r#",
        *"\u0301\u0323\u200d\ufe0f\u20e3\u094d\u0915\u0937\u0e01\u0e33\u0600\u2764\u00a9",
        *"\u1100\u1161\u11a8\uac00\u1176",
        *"\U0001f468\U0001f469\U0001f1e6\U0001f1f1\U0001f3fd\U0001f308",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=30).map("".join))
def test_splits_character_agrees_with_segmenting_the_whole_text(text):
    boundaries = {0, *(match.end() for match in _CLUSTER.finditer(text))}
    for offset in range(len(text) + 1):
        assert splits_character(text, offset) == (offset not in boundaries), offset
