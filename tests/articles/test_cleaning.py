"""articles.cleaning: pure functions, no database."""

import json
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.cleaning import (
    MIN_DUPLICATE_CHARS,
    clean_field,
    clean_text,
    is_boilerplate_line,
    normalise_text,
    repair_encoding,
)

# Our own sentences about the 2022 cyberattacks on Albania's government services.
P1 = "Albania's prime minister said an investigation had traced the July attack on government services to the Iranian state."  # noqa: E501
P2 = "Investigators from the FBI and Microsoft helped the Albanian authorities, according to the government in Tiranë."  # noqa: E501
P3 = "Tehran rejected the accusation and called it baseless."
P4 = "Albania ordered Iranian diplomats to leave the country within twenty-four hours."
P5 = "Washington then sanctioned Iran's Ministry of Intelligence for its alleged role."
P6 = "A second wave of attacks hit border-control systems in September."
CLEAN = [P1, P2, P3, P4, P5, P6]


def mojibake(text: str) -> str:
    """UTF-8 bytes read as cp1252: "Tiranë" → "TiranÃ«"."""
    return text.encode("utf-8").decode("cp1252")


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n") if text else []


def kinds(result) -> list[str]:
    return [entry["kind"] for entry in result.report["removed"]]


# --------------------------------------------------------------------------- normalise


def test_normalise_text_uses_nfc_and_unix_line_ends():
    decomposed = unicodedata.normalize("NFD", "Tiranë")
    assert normalise_text(f"{decomposed} said\r\n\r\nTehran denied\rit") == (
        "Tiranë said\n\nTehran denied\nit"
    )


def test_normalise_text_collapses_stray_whitespace():
    text = (
        "\n\n  Tehran \t rejected\u00a0\u00a0the  charge.  \n\n\n\n Washington  sanctioned it. \n\n"
    )
    assert normalise_text(text) == "Tehran rejected the charge.\n\nWashington sanctioned it."


def test_normalise_text_turns_lone_no_break_spaces_into_spaces():
    assert normalise_text("10\u00a0km from Tiranë\u202f!") == "10 km from Tiranë !"


def test_normalise_text_without_blank_lines_makes_each_line_a_paragraph():
    assert normalise_text(f"{P1}\n{P3}\n{P5}") == f"{P1}\n\n{P3}\n\n{P5}"


def test_normalise_text_keeps_line_breaks_inside_blank_line_separated_paragraphs():
    text = "TIRANA, Sept 7\nAlbania cut ties with Iran.\n\n\n\nTehran denied it."
    assert (
        normalise_text(text) == "TIRANA, Sept 7\nAlbania cut ties with Iran.\n\nTehran denied it."
    )


def test_normalise_text_maps_separator_characters_to_line_and_paragraph_breaks():
    assert normalise_text("a\u2028b\u2029c\vd\fe") == "a\nb\n\nc\nd\ne"


def test_normalise_text_removes_nothing():
    text = f"[ad_1]\n\n{P1}\n\n{P1}\n\nSource link"
    assert normalise_text(text) == text


def test_normalise_text_of_blank_input_is_empty():
    assert normalise_text(" \n\t\n ") == ""


# --------------------------------------------------------------------------- each kind of dirt


def test_clean_text_leaves_clean_text_alone():
    text = "\n\n".join(CLEAN)
    result = clean_text(text)
    assert result.text == text
    assert result.report["removed"] == []
    assert result.report["repaired_mojibake"] is False


@pytest.mark.parametrize("marker", ["[ad_1]", "[ad_2]", "[AD_12]", "[ad]", "[Advertisement]"])
def test_ad_marker_alone_on_a_line_is_removed(marker):
    result = clean_text(f"{marker}\n{P1}\n{marker}\n{P3}\n{marker}")
    assert result.text == f"{P1}\n\n{P3}"
    assert kinds(result) == ["ad_marker"] * 3
    assert [entry["text"] for entry in result.report["removed"]] == [marker] * 3


def test_inline_ad_marker_is_removed_and_the_words_around_it_are_kept():
    result = clean_text(f"Tehran rejected [ad_1] the accusation.\n\n{P5}")
    assert result.text == f"Tehran rejected the accusation.\n\n{P5}"
    (entry,) = result.report["removed"]
    assert entry == {
        "kind": "ad_marker",
        "text": "[ad_1]",
        "paragraph": 0,
        "start": 16,
        "end": 22,
    }


def test_marker_glued_between_two_words_leaves_them_two_words():
    assert clean_text("Tehran[ad_1]rejected it").text == "Tehran rejected it"


def test_marker_glued_to_punctuation_leaves_no_space():
    assert clean_text("Tehran rejected it.[ad_1]").text == "Tehran rejected it."


def test_bracketed_words_that_are_not_markers_stay():
    text = "The report [added in 2023] named the [ad hoc] unit."
    assert clean_text(text).text == text


@pytest.mark.parametrize(
    "trailer", ["Source link", "Source Link", "Read more", "Advertisement", "READ MORE:"]
)
def test_trailer_paragraph_is_removed(trailer):
    result = clean_text(f"{P1}\n\n{P3}\n\n{trailer}")
    assert result.text == f"{P1}\n\n{P3}"
    assert kinds(result) == ["boilerplate"]
    assert result.report["removed"][0]["text"] == trailer


def test_boilerplate_words_inside_a_paragraph_stay():
    text = f"{P3}\n\nRead more about the sanctions in the Treasury notice.\n\nSource link: treasury"
    assert clean_text(text).text == text


def test_standalone_advertisement_label_between_paragraphs_is_removed():
    result = clean_text(f"{P1}\n\nAdvertisement\n\n{P3}")
    assert result.text == f"{P1}\n\n{P3}"


def test_repeated_paragraph_is_removed_and_the_first_copy_kept():
    result = clean_text("\n\n".join([P1, P2, P3, P2, P4]))
    assert paragraphs(result.text) == [P1, P2, P3, P4]
    (entry,) = result.report["removed"]
    assert entry["kind"] == "duplicate"
    assert entry["paragraph"] == 3
    assert entry["text"] == P2
    assert entry["duplicate_of"]["paragraph"] == 1
    assert entry["block_size"] == 1


def test_repeated_block_of_three_paragraphs_is_removed_once():
    result = clean_text("\n\n".join([P1, P2, P3, P4, P2, P3, P4, P5]))
    assert paragraphs(result.text) == [P1, P2, P3, P4, P5]
    removed = result.report["removed"]
    assert [entry["paragraph"] for entry in removed] == [4, 5, 6]
    assert [entry["duplicate_of"]["paragraph"] for entry in removed] == [1, 2, 3]
    assert {entry["block_size"] for entry in removed} == {3}


def test_block_repeated_twice_loses_both_later_copies():
    block = [P2, P3, P4]
    result = clean_text("\n\n".join([P1, *block, *block, *block, P6]))
    assert paragraphs(result.text) == [P1, *block, P6]
    assert len(result.report["removed"]) == 6


def test_short_repeated_paragraph_stays():
    separator = "* * *"
    assert len(separator) < MIN_DUPLICATE_CHARS
    text = "\n\n".join([P1, separator, P3, separator, P5])
    assert clean_text(text).text == text


def test_paragraph_repeated_with_a_marker_inside_is_still_a_duplicate():
    result = clean_text(
        f"{P3}\n\n{P5}\n\nTehran rejected the [ad_2] accusation and called it baseless."
    )
    assert paragraphs(result.text) == [P3, P5]
    (entry,) = result.report["removed"]
    assert entry["kind"] == "duplicate"
    assert "[ad_2]" in entry["text"]


def test_mojibake_is_repaired_and_reported():
    broken = mojibake(P2)
    assert "TiranÃ«" in broken
    result = clean_text(f"{P1}\n\n{broken}")
    assert result.text == f"{P1}\n\n{P2}"
    assert result.report["repaired_mojibake"] is True
    assert "decode:utf-8" in result.report["repairs"]


def test_mac_roman_mojibake_is_repaired():
    broken = P2.encode("utf-8").decode("mac_roman")
    assert "Tiran\u221a\u00b4" in broken  # Mac Roman mojibake of "Tiranë"
    assert clean_text(broken).text == P2


def test_mojibake_on_one_line_does_not_disturb_correct_accents_on_another():
    result = clean_text(f"Tiranë is the capital.\n{mojibake('Rama spoke in Tiranë.')}")
    assert result.text == "Tiranë is the capital.\n\nRama spoke in Tiranë."


@pytest.mark.parametrize(
    "text",
    [
        "\u201cBaseless,\u201d said Tehran\u2019s spokesman \u2014 twice.",  # curly quotes, dash
        "The ﬁrst ﬂeet of servers",  # ligatures stay
        "\uff21\uff2c\uff22 in full width",  # full-width letters stay
        "Tirana &amp; Tehran",  # entities are not unescaped
        "São Paulo, Zürich, Tiranë, Αθήνα, Москва, 東京",
    ],
)
def test_repair_never_changes_wording_of_sound_text(text):
    assert clean_text(text).text == text
    assert clean_text(text).report["repaired_mojibake"] is False


def test_control_characters_are_dropped_and_reported_as_repairs():
    result = clean_text("Tehran\x00 denied\x07 it")
    assert result.text == "Tehran denied it"
    assert result.report["repaired_mojibake"] is False
    assert "apply:remove_control_chars" in result.report["repairs"]


# --------------------------------------------------------------------------- all together


DIRTY = "\r\n".join(
    [
        "[ad_1]",
        f"  {P1}  ",
        "",
        "",
        mojibake(P2),
        "",
        f"Tehran  rejected\tthe accusation [ad_2] and called it baseless.",  # noqa: F541
        "",
        P4,
        "",
        P5,
        "",
        mojibake(P2),
        "",
        P3,
        "",
        P4,
        "",
        P6,
        "",
        "Source link",
        "[ad_3]",
        "",
    ]
)


def test_all_dirt_together_is_removed_and_every_other_paragraph_kept_in_order():
    result = clean_text(DIRTY)
    assert paragraphs(result.text) == CLEAN
    for removed in ("[ad", "Source link", "Ã"):
        assert removed not in result.text


def test_all_dirt_together_is_listed_in_the_report():
    report = clean_text(DIRTY).report
    summary = [(e["kind"], e["paragraph"], e["text"]) for e in report["removed"]]
    assert summary == [
        ("ad_marker", 0, "[ad_1]"),
        ("ad_marker", 2, "[ad_2]"),
        ("duplicate", 5, P2),
        ("duplicate", 6, P3),
        ("duplicate", 7, P4),
        ("boilerplate", 9, "Source link\n[ad_3]"),
    ]
    assert report["repaired_mojibake"] is True
    assert report["counts"] == {"ad_marker": 2, "boilerplate": 1, "duplicate": 3}
    assert report["paragraphs"] == {"input": 10, "output": 6}
    assert report["input_chars"] == len(DIRTY)
    assert report["output_chars"] == len(clean_text(DIRTY).text)


def test_report_offsets_point_into_the_normalised_input():
    result = clean_text(DIRTY)
    for entry in result.report["removed"]:
        assert result.normalised[entry["start"] : entry["end"]] == entry["text"]
        if "duplicate_of" in entry:
            origin = entry["duplicate_of"]
            original = result.normalised[origin["start"] : origin["end"]]
            assert original.replace(" [ad_2]", "") == entry["text"]


def test_report_is_json_serialisable():
    report = clean_text(DIRTY).report
    assert json.loads(json.dumps(report)) == report


def test_segments_rebuild_the_normalised_input_and_mark_each_removal():
    result = clean_text(DIRTY)
    segments = result.segments()
    assert "".join(text for text, _ in segments) == result.normalised
    marked = [(text, kind) for text, kind in segments if kind]
    assert marked == [(e["text"], e["kind"]) for e in result.report["removed"]]


def test_kept_paragraphs_are_normalised_input_paragraphs_minus_markers():
    result = clean_text(DIRTY)
    source = [re.sub(r"\s*\[ad_\d\]", "", p).strip() for p in paragraphs(result.normalised)]
    kept = paragraphs(result.text)
    it = iter(source)
    assert all(paragraph in it for paragraph in kept)  # an in-order subsequence


def test_cleaning_is_idempotent_on_the_dirty_example():
    once = clean_text(DIRTY).text
    again = clean_text(once)
    assert again.text == once
    assert again.report["removed"] == []


def test_lone_multi_line_paragraph_left_by_cleaning_is_split_into_paragraphs():
    result = clean_text(f"{P1}\n{P3}\n{P1}\n\nSource link")
    assert result.text == f"{P1}\n\n{P3}"
    assert clean_text(result.text).text == result.text
    assert kinds(result) == ["duplicate", "boilerplate"]


def test_empty_and_marker_only_inputs_give_empty_text():
    assert clean_text("").text == ""
    result = clean_text("[ad_1]\n\n[ad_2]\n\nSource link")
    assert result.text == ""
    assert result.report["paragraphs"] == {"input": 3, "output": 0}


# --------------------------------------------------------------------------- helpers


def test_repair_encoding_reports_nothing_for_sound_text():
    assert repair_encoding("Tiranë") == ("Tiranë", [])


def test_clean_field_repairs_and_collapses_a_title():
    assert clean_field(f"  {mojibake('Tiranë')} cuts\n ties  ") == "Tiranë cuts ties"


@pytest.mark.parametrize(
    ("line", "expected"),
    [("[ad_1]", True), (" [ad_1] [ad] ", True), ("Source link", True), ("", True), (P3, False)],
)
def test_is_boilerplate_line(line, expected):
    assert is_boilerplate_line(line) is expected


# --------------------------------------------------------------------------- properties

# Sound text: letters (Albanian and other accents among them), digits, punctuation and
# spaces, but none of the character pairs that mojibake is made of.
WORD = st.text(
    alphabet=st.sampled_from(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ëçéüşğ"
    ),
    min_size=1,
    max_size=12,
)
PUNCT = st.sampled_from(["", ".", ",", "!", "?", ";", ":", "\u2019", "\u201d", "\u2014", ")"])
SENTENCE = (
    st.lists(st.tuples(WORD, PUNCT), min_size=1, max_size=25)
    .map(lambda words: " ".join(word + mark for word, mark in words))
    .filter(lambda sentence: not is_boilerplate_line(sentence))
)
# Our own sentences, accented ones among them; drawn from a list so that repeats happen.
SENTENCES = [
    *CLEAN,
    "Kryeministri tha në Tiranë se sulmi kibernetik ishte përgatitur për muaj të tërë.",
    "The ministry\u2019s statement, issued in Tiranë, named four groups of attackers.",
    "Shërbimet qeveritare u rikthyen pas disa javësh, sipas ministrisë.",
]
PARAGRAPHS = st.lists(
    st.one_of(SENTENCE, st.sampled_from(SENTENCES)),
    min_size=0,
    max_size=12,
)
SPACE = st.sampled_from(["", " ", "  ", "\t", "\u00a0"])
BREAK = st.sampled_from(["\n\n", "\n\n\n", "\r\n\r\n", "\n \n"])


@st.composite
def dirty_text(draw) -> tuple[list[str], str]:
    """(the sound paragraphs, a dirty text made of them)."""
    paras = draw(PARAGRAPHS)
    pieces = []
    for para in paras:
        if para in SENTENCES and draw(st.booleans()):
            # Whole sentences only: on a word or two ftfy cannot tell mojibake from text.
            para = mojibake(para)
        pieces.append(draw(SPACE) + para + draw(SPACE))
        if draw(st.booleans()):
            pieces.append(draw(st.sampled_from(["[ad_1]", "[ad]", "Source link", "Read more"])))
    return paras, draw(BREAK).join(pieces)


@settings(max_examples=200, deadline=None)
@given(dirty_text())
def test_property_kept_paragraphs_are_input_paragraphs_in_order(case):
    paras, text = case
    result = clean_text(text)
    kept = paragraphs(result.text)
    it = iter(paras)
    assert all(paragraph in it for paragraph in kept)
    # only repeats are ever dropped from the sound paragraphs
    assert set(kept) == set(paras)


@settings(max_examples=200, deadline=None)
@given(dirty_text())
def test_property_cleaning_is_idempotent(case):
    _, text = case
    once = clean_text(text)
    twice = clean_text(once.text)
    assert twice.text == once.text
    assert twice.report["removed"] == []


@settings(max_examples=200, deadline=None)
@given(PARAGRAPHS)
def test_property_clean_paragraphs_without_repeats_come_out_unchanged(paras):
    unique = list(dict.fromkeys(paras))
    text = "\n\n".join(unique)
    assert clean_text(text).text == text


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_property_arbitrary_text_normalises_idempotently(text):
    once = normalise_text(text)
    assert normalise_text(once) == once
    assert unicodedata.is_normalized("NFC", once)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=["Cs"])))
def test_property_report_and_segments_match_for_arbitrary_text(text):
    result = clean_text(text)
    assert "".join(piece for piece, _ in result.segments()) == result.normalised
    for entry in result.report["removed"]:
        assert result.normalised[entry["start"] : entry["end"]] == entry["text"]
    assert result.report["output_chars"] == len(result.text)
