"""Actor mentions in a text: folding, offsets, selection rules, sentence window, scale.

Pure tests: no database.
"""

import itertools
import random
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.mentions import Mention, MentionIndex, fold_for_matching, match_key

ALBANIA, IRAN, RAMA, MOIS, US, TREASURY, TIRANA_CITY, MINISTRY = range(1, 9)

REGISTRY = [
    (ALBANIA, "Albania"),
    (ALBANIA, "Tirana"),
    (IRAN, "Iran"),
    (IRAN, "Tehran"),
    (IRAN, "the Iranian state"),
    (RAMA, "Edi Rama"),
    (MOIS, "Iran's Ministry of Intelligence"),
    (MOIS, "MOIS"),
    (MINISTRY, "Ministry of Intelligence"),
    (US, "United States"),
    (US, "Washington"),
    (US, "US"),
    (TREASURY, "Treasury"),
    (TIRANA_CITY, "Tirana"),
    (TIRANA_CITY, "Tiranë"),
]

RAMA_TEXT = (
    "Albania's prime minister Edi Rama said the Iranian state was behind the cyberattacks; "
    "Tehran denied it; Washington sanctioned Iran\u2019s Ministry of Intelligence."
)


@pytest.fixture(scope="module")
def index():
    return MentionIndex.build(REGISTRY)


def spans(mentions):
    return [(m.actor_id, m.matched) for m in mentions]


def test_finds_every_actor_of_the_rama_sentence(index):
    mentions = index.find(RAMA_TEXT)

    assert spans(mentions) == [
        (ALBANIA, "Albania"),
        (RAMA, "Edi Rama"),
        (IRAN, "the Iranian state"),
        (IRAN, "Tehran"),
        (US, "Washington"),
        (MOIS, "Iran\u2019s Ministry of Intelligence"),
    ]
    for mention in mentions:
        assert RAMA_TEXT[mention.start : mention.end] == mention.matched


def test_mention_reports_the_registered_name_that_matched(index):
    [mention] = index.find("Officials in TEHRAN said so.")

    assert mention == Mention(IRAN, 13, 19, "TEHRAN", "Tehran")


@pytest.mark.parametrize(
    "text",
    [
        "Iranian hackers",
        "the Irani delegation",
        "Iranians said",
        "PreIran",
        "Iran2",
        "Iran_x",
        "Albanian officials",
        "Tehranis",
    ],
)
def test_name_inside_a_longer_word_does_not_match(index, text):
    assert index.find(text) == []


@pytest.mark.parametrize("apostrophe", ["'", "\u2019", "\u02bc"])
def test_possessive_mentions_the_name_without_the_apostrophe_s(index, apostrophe):
    text = f"Tehran{apostrophe}s denial"

    assert index.find(text) == [Mention(IRAN, 0, 6, "Tehran", "Tehran")]


@pytest.mark.parametrize("apostrophe", ["'", "\u2019"])
def test_longest_name_wins_over_names_it_contains(index, apostrophe):
    text = f"sanctions on Iran{apostrophe}s Ministry of Intelligence today"

    [mention] = index.find(text)

    assert mention.actor_id == MOIS
    assert mention.matched == f"Iran{apostrophe}s Ministry of Intelligence"
    assert mention.name == "Iran's Ministry of Intelligence"


def test_contained_name_matches_when_the_longer_one_is_absent(index):
    text = "the Ministry of Intelligence of Iran"

    assert spans(index.find(text)) == [(MINISTRY, "Ministry of Intelligence"), (IRAN, "Iran")]


def test_leftmost_match_wins_over_a_longer_overlapping_one():
    index = MentionIndex.build([(1, "United States"), (2, "States Department of the Treasury")])

    assert spans(index.find("the United States Department of the Treasury")) == [
        (1, "United States")
    ]


def test_adjacent_names_are_all_found(index):
    assert spans(index.find("Iran Albania,Washington")) == [
        (IRAN, "Iran"),
        (ALBANIA, "Albania"),
        (US, "Washington"),
    ]


def test_accented_text_matches_unaccented_alias():
    index = MentionIndex.build([(1, "Tirane")])

    assert index.find("talks in Tiranë.") == [Mention(1, 9, 15, "Tiranë", "Tirane")]


def test_unaccented_text_matches_accented_alias():
    index = MentionIndex.build([(1, "Tiranë")])

    assert index.find("talks in Tirane.") == [Mention(1, 9, 15, "Tirane", "Tiranë")]


def test_decomposed_accent_belongs_to_the_mention():
    index = MentionIndex.build([(1, "Tirane")])
    text = "in Tirane\u0308 today"

    assert index.find(text) == [Mention(1, 3, 10, "Tirane\u0308", "Tirane")]


@pytest.mark.parametrize("written", ["Søren", "Soren", "SØREN"])
def test_letters_without_decomposition_fold_to_latin(written):
    index = MentionIndex.build([(1, "Soren"), (2, "Søren")])

    assert spans(index.find(f"{written} said")) == [(1, written), (2, written)]


def test_names_at_the_very_start_and_end_of_the_text(index):
    text = "Tehran accused Washington"

    assert index.find(text) == [
        Mention(IRAN, 0, 6, "Tehran", "Tehran"),
        Mention(US, 15, 25, "Washington", "Washington"),
    ]


def test_text_that_is_exactly_a_name(index):
    assert index.find("Iran") == [Mention(IRAN, 0, 4, "Iran", "Iran")]


@pytest.mark.parametrize("written", ["IRAN", "iran", "IrAn", "Iran"])
def test_matching_ignores_case(index, written):
    assert spans(index.find(f"on {written} today")) == [(IRAN, written)]


@pytest.mark.parametrize(
    "text",
    [
        "said the Iranian state on Friday",
        "said The Iranian State on Friday",
        "said the Iranian\nstate on Friday",
        "said the  Iranian \t state on Friday",
    ],
)
def test_multi_word_alias_matches_across_case_and_white_space(index, text):
    start, end = len("said "), text.index(" on Friday")

    assert index.find(text) == [Mention(IRAN, start, end, text[start:end], "the Iranian state")]


@pytest.mark.parametrize("registered", ["Al-Qaeda", "Al Qaeda", "Al\u2013Qaeda"])
@pytest.mark.parametrize("written", ["Al-Qaeda", "Al Qaeda", "Al\u2011Qaeda", "al \u2014 qaeda"])
def test_hyphen_and_space_variants_match_each_other(registered, written):
    index = MentionIndex.build([(1, registered)])

    assert index.find(f"blamed {written}.") == [
        Mention(1, 7, 7 + len(written), written, registered)
    ]


@pytest.mark.parametrize("registered", ["People's Mujahedin", "People\u2019s Mujahedin"])
@pytest.mark.parametrize("written", ["People's Mujahedin", "People\u2019s Mujahedin"])
def test_apostrophe_variants_in_names_match_each_other(registered, written):
    index = MentionIndex.build([(1, registered)])

    assert spans(index.find(f"the {written} said")) == [(1, written)]


def test_name_shared_by_two_actors_gives_one_mention_per_actor(index):
    mentions = index.find("a meeting in Tirana")

    assert mentions == [
        Mention(ALBANIA, 13, 19, "Tirana", "Tirana"),
        Mention(TIRANA_CITY, 13, 19, "Tirana", "Tirana"),
    ]


def test_two_names_of_one_actor_folding_alike_give_one_mention():
    index = MentionIndex.build([(1, "Tiranë"), (1, "Tirane"), (1, "TIRANE")])

    assert index.find("Tirane") == [Mention(1, 0, 6, "Tirane", "Tiranë")]


@pytest.mark.parametrize("written", ["US", "Us"])
def test_acronym_matches_text_with_capitals(index, written):
    assert spans(index.find(f"{written} officials")) == [(US, written)]


def test_acronym_does_not_match_an_all_lower_case_word(index):
    assert index.find("they attacked us and the mois") == []


def test_acronym_registry_entry_matches_title_case_spelling():
    index = MentionIndex.build([(1, "NATO")])

    assert spans(index.find("Nato allies")) == [(1, "Nato")]


def test_lower_case_alias_lets_an_acronym_match_lower_case_text():
    index = MentionIndex.build([(1, "UN"), (2, "UN"), (2, "un")])

    assert [m.actor_id for m in index.find("un rapport")] == [2]


def test_sharp_s_and_ligature_mentions_map_to_original_offsets():
    index = MentionIndex.build([(1, "Strasse"), (2, "Finance Ministry"), (3, "Sandor")])
    text = "Die Straße, the \ufb01nance ministry and Sándor."

    mentions = index.find(text)

    assert spans(mentions) == [(1, "Straße"), (2, "\ufb01nance ministry"), (3, "Sándor")]
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.matched


def test_a_match_never_splits_an_original_character():
    # "\u00bd" folds to "1\u20442" and "\u2474" to "(1)": "1" and "2" stand between
    # non-letters there, but each is only part of one original character.
    index = MentionIndex.build([(1, "1"), (2, "2")])

    assert index.find("half: \u00bd, item \u2474") == []
    assert spans(index.find("half: 1/2")) == [(1, "1"), (2, "2")]


def test_names_that_fold_to_nothing_are_skipped():
    index = MentionIndex.build([(1, ""), (2, "   "), (3, "\u2014"), (4, "'"), (5, "_")])

    assert len(index) == 0
    assert index.find("any text \u2014 at all ' _") == []


def test_empty_index_and_empty_text():
    assert MentionIndex.build([]).find("Iran") == []
    assert MentionIndex.build([(1, "Iran")]).find("") == []


# Folding and its offset map.


@pytest.mark.parametrize(
    ("text", "folded", "starts", "ends"),
    [
        ("Iran", "iran", [0, 1, 2, 3], [1, 2, 3, 4]),
        ("Straße", "strasse", [0, 1, 2, 3, 4, 4, 5], [1, 2, 3, 4, 5, 5, 6]),
        ("\ufb01n", "fin", [0, 0, 1], [1, 1, 2]),
        ("e\u0301x", "ex", [0, 2], [2, 3]),
        ("a  \n b", "a b", [0, 1, 5], [1, 2, 6]),
        ("a\u00adb", "ab", [0, 2], [1, 3]),
        ("Iran\u2019s", "iran's", [0, 1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 6]),
        ("Al\u2013Qaeda", "al qaeda", list(range(8)), list(range(1, 9))),
        ("\u0130z", "iz", [0, 1], [1, 2]),
        ("\u0301a", "a", [1], [2]),
    ],
)
def test_folding_keeps_a_map_to_original_offsets(text, folded, starts, ends):
    result = fold_for_matching(text)

    assert (result.text, result.starts, result.ends) == (folded, starts, ends)


def test_original_span_maps_a_folded_range_back():
    folded = fold_for_matching("Die Straße heute")

    start = folded.text.index("strasse")

    assert folded.original_span(start, start + len("strasse")) == (4, 10)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Tiranë ", "tirane"),
        ("  Edi\u00a0Rama ", "edi rama"),
        ("Iran\u2019s Ministry", "iran's ministry"),
        ("Al-Qaeda", "al qaeda"),
        ("Straße", "strasse"),
        ("Søren Łukasz", "soren lukasz"),
    ],
)
def test_match_key(name, key):
    assert match_key(name) == key


TRICKY = "abAB \n'\u2019-\u2013.\u00df\ufb01\u0301\u00ad\u00e9\u0130\u00bd\u00f8"


@given(st.text(alphabet=TRICKY, max_size=40))
def test_name_key_is_the_stripped_text_folding(text):
    assert match_key(text) == fold_for_matching(text).text.strip(" ")


@given(st.text(alphabet=TRICKY, max_size=40), st.data())
def test_any_character_aligned_folded_range_is_the_folding_of_its_original_slice(text, data):
    folded = fold_for_matching(text)
    n = len(folded.text)
    assert len(folded.starts) == len(folded.ends) == n
    assert folded.starts == sorted(folded.starts)
    assert all(s < e for s, e in zip(folded.starts, folded.ends, strict=True))
    # Ranges that start and end on whole original characters and not on a space.
    cuts = [k for k in range(n + 1) if k in (0, n) or folded.starts[k - 1] != folded.starts[k]]
    firsts = [k for k in cuts[:-1] if folded.text[k] != " "]
    if not firsts:
        return
    k0 = data.draw(st.sampled_from(firsts))
    lasts = [k for k in cuts if k > k0 and folded.text[k - 1] != " "]
    k1 = data.draw(st.sampled_from(lasts))

    start, end = folded.original_span(k0, k1)

    assert fold_for_matching(text[start:end]).text == folded.text[k0:k1]


def _is_word(c):
    return c.isalnum() or c == "_"


NAME = st.text(alphabet="abAB '\u2019-\u00df\ufb01\u00e9", min_size=1, max_size=5)


@settings(max_examples=300)
@given(st.lists(NAME, min_size=1, max_size=6), st.text(alphabet=TRICKY, max_size=60))
def test_every_mention_is_a_whole_word_slice_that_folds_to_its_name(names, text):
    index = MentionIndex.build(list(enumerate(names)))

    mentions = index.find(text)

    for mention in mentions:
        assert text[mention.start : mention.end] == mention.matched
        assert match_key(mention.matched) == match_key(mention.name)
        before = fold_for_matching(text[: mention.start]).text[-1:]
        after = fold_for_matching(text[mention.end :]).text[:1]
        assert not _is_word(before) and not _is_word(after)
    distinct = sorted({(m.start, m.end) for m in mentions})
    assert all(end <= next_start for (_, end), (next_start, _) in itertools.pairwise(distinct))


def _reference_find(names, text):
    """Every whole-word occurrence of every key, then leftmost-longest by sorting."""
    folded = fold_for_matching(text)
    ftext, starts, n = folded.text, folded.starts, len(folded.text)
    keys = {match_key(name) for name in names} - {""}
    found = set()
    for key in keys:
        if not any(c.isalnum() for c in key):
            continue
        at = ftext.find(key)
        while at != -1:
            s, e = at, at + len(key)
            whole_before = s == 0 or (not _is_word(ftext[s - 1]) and starts[s - 1] != starts[s])
            whole_after = e == n or (not _is_word(ftext[e]) and starts[e] != starts[e - 1])
            if whole_before and whole_after:
                found.add((s, e))
            at = ftext.find(key, at + 1)
    chosen, free_from = [], 0
    for s, e in sorted(found, key=lambda span: (span[0], -span[1])):
        if s >= free_from:
            chosen.append(folded.original_span(s, e))
            free_from = e
    return chosen


@settings(max_examples=500)
@given(
    st.lists(st.text(alphabet="ab -", min_size=1, max_size=5), min_size=1, max_size=8),
    st.text(alphabet="aab -", max_size=50),
)
def test_one_pass_selection_equals_leftmost_longest_by_sorting(names, text):
    index = MentionIndex.build((i, name) for i, name in enumerate(names))

    found = list(dict.fromkeys((m.start, m.end) for m in index.find(text)))

    assert found == _reference_find(names, text)


# The passage and its sentence(s).


def test_find_near_returns_actors_of_the_enclosing_sentence_in_order(index):
    text = (
        "Albania cut ties. Edi Rama said the Iranian state was behind the attacks. "
        "Washington agreed."
    )
    start = text.index("the Iranian state")

    assert index.find_near(text, start, start + len("the Iranian state")) == [RAMA, IRAN]


def test_find_near_joins_every_sentence_the_selection_touches(index):
    text = "Albania cut ties. Tehran denied it. Washington agreed. Rama spoke."
    start, end = text.index("denied"), text.index("agreed")

    assert index.find_near(text, start, end) == [IRAN, US]


def test_find_near_lists_each_actor_once(index):
    text = "Tehran said Iran and the Iranian state did nothing, Edi Rama said."

    assert index.find_near(text, 0, 6) == [IRAN, RAMA]


def test_find_near_stops_at_paragraph_breaks_and_quoted_sentence_ends(index):
    text = 'Edi Rama said: "Tehran did it." Washington agreed\n\nAlbania cut ties'
    start = text.index("Washington")

    assert index.find_near(text, start, start + 3) == [US]


def test_find_near_with_an_empty_selection_uses_the_sentence_around_the_caret(index):
    text = "Tehran denied it. Washington agreed."

    assert index.find_near(text, len(text), len(text)) == [US]
    assert index.find_near(text, 0, 0) == [IRAN]


def test_find_near_ignores_trailing_white_space_of_the_selection(index):
    text = "Tehran denied it. Washington agreed."

    assert index.find_near(text, 0, text.index("Washington")) == [IRAN]


def test_find_near_cuts_a_long_sentence_after_it_without_splitting_a_word():
    index = MentionIndex.build([(1, "Iran")])
    # Without a sentence break, the window ends 2,000 characters after the selection's
    # last character: inside "Iranian", were it not moved back to a space.
    text = "here" + " " * 1995 + "Iranian rest"

    assert index.find_near(text, 0, 4) == []
    assert index.find_near(text.replace("Iranian", "Iran ian"), 0, 4) == [1]


def test_find_near_cuts_a_long_sentence_before_it_without_splitting_a_word():
    index = MentionIndex.build([(1, "nian")])
    # The window would start 2,000 characters before the selection: inside "Iranian".
    text = "Iranian" + " " * 1996 + "here."

    assert index.find_near(text, 2003, 2007) == []
    assert index.find_near(text.replace("Iranian", "Ira nian"), 2003, 2007) == [1]


@pytest.mark.parametrize(("start", "end"), [(-1, 2), (3, 2), (0, 100)])
def test_find_near_rejects_a_range_outside_the_text(index, start, end):
    with pytest.raises(ValueError):
        index.find_near("Iran said.", start, end)


# Scale: 5,000 actors with three names each, a 100,000-character text.

SYLLABLES = ["ka", "ro", "mi", "tu", "ne", "so", "va", "li", "be", "dé", "zo", "pu", "gë", "ha"]
FILLER = ["the", "said", "and", "of", "in", "was", "that", "for", "on", "with", "by", "it"]


def _strip_accents(text):
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _registry(rng, actors):
    seen, entries = set(FILLER), []
    for actor_id in range(actors):
        names = 0
        while names < 3:
            words = [
                "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
                for _ in range(rng.randint(1, 3))
            ]
            name = " ".join(words)
            if match_key(name) in seen:
                continue
            seen.add(match_key(name))
            entries.append((actor_id, name))
            names += 1
    return entries


def _planted_text(rng, entries, size):
    parts, planted, length = [], [], 0
    while length <= size:
        for _ in range(rng.randint(1, 6)):
            word = rng.choice(FILLER)
            parts.append(word)
            length += len(word) + 1
        actor_id, name = rng.choice(entries)
        written = rng.choice([name, name.upper(), name.lower(), _strip_accents(name)])
        planted.append((length, length + len(written), actor_id, name))
        parts.append(written)
        length += len(written) + 1
    return " ".join(parts), planted


def test_scale_every_planted_mention_is_found_and_nothing_else():
    rng = random.Random(20220907)
    entries = _registry(rng, 5_000)
    text, planted = _planted_text(rng, entries, 100_000)
    assert len(entries) == 15_000 and len(text) >= 100_000

    index = MentionIndex.build(entries)
    mentions = index.find(text)

    assert [(m.start, m.end, m.actor_id) for m in mentions] == [
        (start, end, actor_id) for start, end, actor_id, _ in planted
    ]
    for mention, (start, end, actor_id, name) in rng.sample(
        list(zip(mentions, planted, strict=True)), 300
    ):
        assert mention == Mention(actor_id, start, end, text[start:end], name)
