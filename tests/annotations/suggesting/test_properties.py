"""Whatever the text, suggestions point inside it and nothing crashes. Pure tests."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.suggesting import suggest
from tests.annotations.suggesting.registry import INDEX, KINDS

CERTAINTIES = {"asserted", "alleged", "denied", "confirmed", "speculated"}
ROLES = {"accused", "target", "supporter", "denier", "mentioned"}

# Words that steer the engine into each of its paths, mixed with anything at all.
PIECES = [
    "Rama",
    "Edi Rama",
    "Iran",
    "Tehran",
    "Washington",
    "Lapid",
    "he",
    "He",
    "she",
    "It",
    "they",
    "who",
    "said",
    "says",
    "told",
    "reporters",
    "accused",
    "blamed",
    "denied",
    "rejected",
    "the charges",
    "alleged",
    "mentioned",
    "according to",
    "by",
    "was",
    "of",
    "that",
    "saying",
    ",",
    ".",
    ":",
    "\u201c",
    "\u201d",
    '"',
    "''",
    "\u2015",
    "(",
    ")",
    "\n\n",
    "\n",
    "the FBI",
    "officials",
    "Mr.",
    "U.S.",
    "might",
    "say",
    "and",
    "behind",
    "Poll:",
    "WALLACE:",
    "\u00df",
    "\u0130",
    "e\u0301",
    "\U0001f600",
    "\u200b",
    "\u2028",
]


def check(text: str) -> None:
    for suggestion in suggest(text, INDEX, KINDS):
        spans = list(suggestion.content)
        spans += [s for s in (suggestion.cue, suggestion.source) if s is not None]
        for span in spans:
            assert 0 <= span.start < span.end <= len(text)
            assert span.of(text) == text[span.start : span.end]
            assert span.of(text).strip()
        starts = [span.start for span in suggestion.content]
        assert starts == sorted(starts)
        assert suggestion.certainty in CERTAINTIES
        assert all(actor.role in ROLES for actor in suggestion.actors)
        assert 0 < suggestion.confidence <= 1
        if suggestion.claimant_id is None and suggestion.source is not None:
            assert suggestion.claimant_text
        if suggestion.claimant_id is not None:
            assert suggestion.claimant_id in KINDS


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_any_unicode_text(text):
    check(text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), min_size=1, max_size=60).map(
        " ".join
    )
)
def test_news_like_text(text):
    check(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=60).map("".join))
def test_pieces_without_spaces(text):
    check(text)
