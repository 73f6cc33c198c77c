"""The shapes of attribution the engine knows, one sentence each (our own sentences),
and the words and sentences it reads them from. Pure tests: no database."""

import pytest

from annotations.suggesting import suggest
from annotations.suggesting.quotes import find_quotes
from annotations.suggesting.segments import paragraphs, sentences, tokenize


def only(text):
    found = suggest(text, None)
    assert len(found) == 1, found
    (suggestion,) = found
    return (
        suggestion.source.of(text) if suggestion.source else None,
        suggestion.cue.of(text) if suggestion.cue else None,
        " / ".join(span.of(text) for span in suggestion.content),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Survey: Most voters back the plan to restore the servers",
            ("Survey", ":", "Most voters back the plan to restore the servers"),
        ),
        (
            "\u201cThe outage cost us a month of work,\u201d \u2015 Marta Kola",
            ("Marta Kola", "\u2015", "The outage cost us a month of work"),
        ),
        (
            "The minister, who said the attack had failed, left early.",
            ("who", "said", "the attack had failed, left early"),
        ),
        (
            "The ministry issued a statement saying the servers were safe.",
            ("The ministry", "saying", "the servers were safe"),
        ),
        (
            "Rama Says Iran Ran The Attack For Months",
            ("Rama", "Says", "Iran Ran The Attack For Months"),
        ),
        (
            "Police say the servers were never breached.",
            ("Police", "say", "the servers were never breached"),
        ),
        (
            "''We will rebuild everything,'' said Mr. Kola.",
            ("Mr. Kola", "said", "We will rebuild everything"),
        ),
        (
            "\u201cIt was a test,\u201d Sen. Ana Brun (D-Vt.) said on Friday.",
            ("Sen. Ana Brun", "said", "It was a test"),
        ),
        (
            "Video of the outage shows the servers failing one by one.",
            ("Video of the outage", "shows", "the servers failing one by one"),
        ),
        (
            "The ministry is calling for a new inquiry into the outage.",
            ("The ministry", "calling", "for a new inquiry into the outage"),
        ),
        (
            "Marta Kola, the head of the agency, said the backups were intact.",
            ("Marta Kola", "said", "the backups were intact"),
        ),
    ],
)
def test_a_shape(text, expected):
    assert only(text) == expected


def test_a_quotation_continued_in_the_next_paragraph_and_sentence():
    text = (
        "Kola told the committee: \u201cWe lost the registry.\n\n"
        "\u201cWe rebuilt it in a week.\u201d\n\n"
        "\u201cIt will not happen again,\u201d she said. \u201cThe backups are offline now.\u201d"
    )
    found = suggest(text, None)
    assert [s.content[0].of(text) for s in found] == [
        "We lost the registry.",
        "We rebuilt it in a week.",
        "It will not happen again",
        "The backups are offline now.",
    ]
    assert [s.source.of(text) for s in found] == ["Kola", "Kola", "she", "she"]


@pytest.mark.parametrize(
    "text",
    [
        "Correction: An earlier version misspelled the minister's name.",
        "In a statement, officials said that.",  # no content after the cue
        "The bill was first proposed by the minister in 2019.",
        "His claims about the outage were repeated.",
        "\u201cOK,\u201d he said.",  # too short a quotation to suggest
    ],
)
def test_no_shape(text):
    assert suggest(text, None) == []


def test_sentences_keep_abbreviations_initials_and_closing_quotes():
    text = (
        "Mr. Kola met the U.S. envoy at 9 a.m. on Friday. J. R. Brun said \u201cno.\u201d "
        "Then he left!\nA new paragraph"
    )
    found = [text[a:b] for a, b in sentences(text)]
    assert found == [
        "Mr. Kola met the U.S. envoy at 9 a.m. on Friday.",
        "J. R. Brun said \u201cno.\u201d",
        "Then he left!",
        "A new paragraph",
    ]


def test_words_keep_apostrophes_and_hyphens_inside():
    tokens = tokenize("Iran\u2019s ten-point plan, said O'Brien.")
    assert tokens.words == ["Iran\u2019s", "ten-point", "plan", ",", "said", "O'Brien", "."]
    assert tokens.lower[0] == "iran's"
    assert [tokens.starts[0], tokens.ends[0]] == [0, 6]


def test_quotes_pair_within_paragraphs_and_stay_open_across_them():
    text = 'He said \u201cone two\u201d and "three four".\n\n\u201cfive six\n\n\u201cseven\u201d'
    quotes = find_quotes(text, paragraphs(text))
    assert [text[q.inner_start : q.inner_end] for q in quotes] == [
        "one two",
        "three four",
        "five six",
        "seven",
    ]
    assert [q.continues for q in quotes] == [False, False, True, False]
    assert [q.opens_paragraph for q in quotes] == [False, False, True, True]


def test_who_stands_for_the_phrase_before_it():
    text = "Rama met an engineer who said the backups were intact. Lapid, who said little, left."
    found = suggest(text, None)
    assert [(s.source.of(text), s.claimant_text) for s in found] == [
        ("who", "an engineer"),
        ("who", "Lapid"),
    ]


def test_a_participle_goes_on_with_the_speaker_of_its_sentence():
    text = (
        "\u201cWe see no link to the outage,\u201d the mayor said, "
        "adding that the servers were safe."
    )
    found = suggest(text, None)
    assert [(s.source.of(text), s.cue.of(text)) for s in found] == [
        ("the mayor", "said"),
        ("the mayor", "adding"),
    ]
    assert found[1].content[0].of(text) == "the servers were safe"
