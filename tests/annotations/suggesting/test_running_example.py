"""The suggestion engine on the demo's running example: every way the article announces
who says what, resolved against the demo registry. Pure tests: no database."""

import pytest

from annotations.suggesting import Span, SuggestedActor, suggest
from tests.annotations.suggesting.registry import IDS, INDEX, KINDS, RUNNING_EXAMPLE

TEXT = RUNNING_EXAMPLE


@pytest.fixture(scope="module")
def found():
    return suggest(TEXT, INDEX, KINDS)


def by_cue(found, cue, nth=0):
    matching = [s for s in found if s.cue is not None and s.cue.of(TEXT) == cue]
    assert len(matching) > nth, f"no suggestion with the cue {cue!r}: {found}"
    return matching[nth]


def content(suggestion):
    return " ".join(span.of(TEXT) for span in suggestion.content)


def test_rama_accuses_iran(found):
    accusation = by_cue(found, "accused")
    assert accusation.claimant_id == IDS["Edi Rama"]
    assert accusation.source.of(TEXT) == "Albanian Prime Minister Edi Rama"
    assert accusation.certainty == "alleged"
    assert SuggestedActor(IDS["Iran"], "accused") in accusation.actors
    assert content(accusation).startswith("Iran of orchestrating the July cyberattack")


def test_lapids_quote_with_the_speaker_after_it(found):
    quote = by_cue(found, "said", 1)
    assert content(quote) == "Israel stands with Albania against these attacks"
    assert quote.source.of(TEXT) == "Yair Lapid"
    assert quote.claimant_id == IDS["Yair Lapid"]
    assert quote.certainty == "asserted"


def test_ramas_quote_and_the_pronoun_that_continues_it(found):
    quote = by_cue(found, "said", 0)
    assert content(quote).startswith("The attack was meant to paralyse")
    assert quote.claimant_id == IDS["Edi Rama"]
    added = by_cue(found, "added")
    # "He" resolves to the last person named, not to Albania or Iran.
    assert added.source.of(TEXT) == "He"
    assert added.claimant_id == IDS["Edi Rama"]
    assert content(added) == "the investigation had left no doubt about who was responsible"


def test_an_inverted_form(found):
    inverted = by_cue(found, "said", 2)
    assert inverted.source.of(TEXT) == "Microsoft"
    assert inverted.claimant_id == IDS["Microsoft"]
    assert content(inverted).startswith("The attackers had been inside Albanian networks")


def test_washingtons_sanctions_for_an_alleged_role(found):
    sanctions = by_cue(found, "alleged")
    assert sanctions.claimant_id == IDS["United States"]
    assert sanctions.source.of(TEXT) == "Washington"
    assert sanctions.certainty == "alleged"
    assert SuggestedActor(IDS["Ministry of Intelligence of Iran"], "accused") in sanctions.actors
    assert "alleged role in the attack" in content(sanctions)


def test_tehrans_rejection_is_a_denial_by_iran(found):
    denial = by_cue(found, "rejected")
    assert denial.claimant_id == IDS["Iran"]
    assert denial.source.of(TEXT) == "Tehran"
    assert denial.certainty == "denied"
    assert SuggestedActor(IDS["Iran"], "denier") in denial.actors


def test_a_spun_cue(found):
    spun = by_cue(found, "mentioned")
    assert spun.claimant_id == IDS["Nasser Kanaani"]
    assert content(spun) == "Iran itself had often been a target of cyberattacks"
    assert spun.certainty == "asserted"


def test_a_quote_across_paragraphs(found):
    first = by_cue(found, "told", 0)
    second = by_cue(found, "told", 1)
    assert content(first).startswith("Albania hosts a group")
    assert content(second).startswith("We will answer any aggression")
    assert first.claimant_id == second.claimant_id == IDS["Nasser Kanaani"]
    assert "\n\n" in TEXT[first.end : second.start]


def test_suggestions_come_in_text_order_with_confidences(found):
    assert [s.start for s in found] == sorted(s.start for s in found)
    assert len(found) == 10
    assert all(0 < s.confidence <= 1 for s in found)
    assert len({s.key(TEXT) for s in found}) == len(found)


def test_nothing_is_suggested_inside_a_passage_already_claimed(found):
    accusation = by_cue(found, "accused")
    claimed = (accusation.start - 3, accusation.end)
    rest = suggest(TEXT, INDEX, KINDS, exclude=[claimed, Span(*_sentence_of("Tehran rejected"))])
    assert all(s.end <= claimed[0] or s.start >= claimed[1] for s in rest)
    assert not any(s.cue and s.cue.of(TEXT) == "rejected" for s in rest)
    assert len(rest) == len(found) - 2


def _sentence_of(words):
    start = TEXT.index(words)
    return start, TEXT.index(".", start)


def test_without_a_registry_the_speakers_words_stand_in():
    found = suggest(TEXT, None)
    accusation = by_cue(found, "accused")
    assert accusation.claimant_id is None
    assert accusation.claimant_text == "Albanian Prime Minister Edi Rama"
    assert accusation.actors == ()
    # A pronoun stands for the last speaker named before it.
    assert by_cue(found, "added").claimant_text == "Rama"


def test_a_pronoun_skips_actors_of_the_wrong_kind():
    text = "Rama spoke in Tirana. Iran was not named. She said the attack was planned."
    (said,) = suggest(text, INDEX, KINDS)
    assert said.source.of(text) == "She"
    assert said.claimant_id == IDS["Edi Rama"]
    text = "Rama spoke first. Iran said nothing. It said the attack was planned."
    it = [s for s in suggest(text, INDEX, KINDS) if s.source.of(text) == "It"]
    assert it and it[0].claimant_id == IDS["Iran"]


@pytest.mark.parametrize(
    ("text", "certainty", "cue"),
    [
        ("Officials confirmed that the servers had been restored.", "confirmed", "confirmed"),
        ("Analysts suggested that the group might strike again.", "speculated", "suggested"),
        ("The ministry denied that it had paid the attackers.", "denied", "denied"),
        ("The minister claimed that the data was safe.", "alleged", "claimed"),
        ("Rama wrote that the country would not be intimidated.", "asserted", "wrote"),
        ("Rama stated that the country would not be intimidated.", "asserted", "stated"),
        ("Rama remarked that the country would not be intimidated.", "asserted", "remarked"),
        ("Rama might say that the attack was planned.", "speculated", "say"),
    ],
)
def test_certainty_follows_the_cue(text, certainty, cue):
    (only,) = suggest(text, INDEX, KINDS)
    assert only.cue.of(text) == cue
    assert only.certainty == certainty


@pytest.mark.parametrize(
    ("text", "source", "passage"),
    [
        (
            "According to the FBI, the attackers used ransomware.",
            "the FBI",
            "the attackers used ransomware",
        ),
        (
            "The attackers used ransomware, according to the FBI.",
            "the FBI",
            "The attackers used ransomware",
        ),
        (
            "In accordance with the FBI, the attackers used ransomware.",
            "the FBI",
            "the attackers used ransomware",
        ),
        (
            "The attackers used ransomware, as per the FBI.",
            "the FBI",
            "The attackers used ransomware",
        ),
        (
            "Iran was accused by Albania of hosting the attackers.",
            "Albania",
            "Iran was accused by Albania of hosting the attackers",
        ),
        (
            "The attack was planned for months, Rama said on Friday.",
            "Rama",
            "The attack was planned for months",
        ),
        (
            "\u201cWe know who did it,\u201d he said, \u201cand they will pay.\u201d",
            "he",
            "We know who did it and they will pay.",
        ),
    ],
)
def test_according_to_passive_postposed_and_interrupted_quotes(text, source, passage):
    (only,) = suggest(text, INDEX, KINDS)
    assert only.source.of(text) == source
    assert " ".join(span.of(text) for span in only.content) == passage


def test_the_blame_goes_to_who_was_behind():
    text = "Rama said that Iran was behind the attack."
    (said,) = suggest(text, INDEX, KINDS)
    assert SuggestedActor(IDS["Iran"], "accused") in said.actors
    text = "Rama blamed Iran for the attack."
    (blamed,) = suggest(text, INDEX, KINDS)
    assert blamed.certainty == "alleged"
    assert SuggestedActor(IDS["Iran"], "accused") in blamed.actors


@pytest.mark.parametrize(
    "text",
    [
        "The United States imposed new rules on exports.",  # "States" is not a cue
        "The Senate rejected the bill on Tuesday.",  # a refused bill is no denial
        "He declined to say more.",
        "Media reports of the attack spread quickly.",
        "The repair cost five dollars per person.",
        "",
        "   \n\n ",
    ],
)
def test_no_suggestion_where_nothing_is_attributed(text):
    assert suggest(text, INDEX, KINDS) == []
