"""brat standoff: reading spans, events and attributes, errors naming file and line, writing.

Pure tests: no database. The sample text and annotations are written for these tests.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations import brat

TEXT = (
    "Tirana accused Iran of the attack. \u201cWe know who did it,\u201d said Rama.\n"
    "Tehran rejected the charges."
)


def at(word: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(word, start + 1)
    return start, start + len(word)


def t_line(tid: str, label: str, *words: str) -> str:
    fragments = [at(w) for w in words]
    offsets = ";".join(f"{a} {b}" for a, b in fragments)
    return f"{tid}\t{label} {offsets}\t" + " ".join(TEXT[a:b] for a, b in fragments)


ANN = "\n".join(
    [
        t_line("T1", "Source", "Tirana"),
        t_line("T2", "Cue", "accused"),
        t_line("T3", "Content", "Iran of the attack"),
        t_line("T4", "Attribution", "accused"),
        "E1\tAttribution:T4 Cue:T2 Source:T1 Content:T3",
        "A1\tCertainty E1 alleged",
        t_line("T5", "Content", "We know who did it"),
        t_line("T6", "Cue", "said"),
        t_line("T7", "Source", "Rama"),
        t_line("T8", "Attribution", "said"),
        "E2\tAttribution:T8 Content:T5 Cue:T6 Source:T7",
        "R1\tContradicts Arg1:E1 Arg2:E2",
        "#1\tAnnotatorNotes T5\ta quote",
        t_line("T9", "Content", "the charges"),
        t_line("T10", "Discuss", "Tehran"),
    ]
)


def test_spans_events_and_attributes_are_read():
    document = brat.parse(ANN, text=TEXT, filename="sample.ann")
    assert document.spans["T3"].fragments == (at("Iran of the attack"),)
    assert document.spans["T3"].text == "Iran of the attack"
    assert [e.id for e in document.events] == ["E1", "E2"]
    assert document.events[0].trigger == "T4"
    assert document.attributes[0].value == "alleged"
    assert document.other == ["R1\tContradicts Arg1:E1 Arg2:E2", "#1\tAnnotatorNotes T5\ta quote"]


def test_attributions_tie_cue_source_and_content():
    accusation, quote, lone = brat.parse(ANN, text=TEXT).attributions()
    assert accusation.source == (at("Tirana"),)
    assert accusation.cue == (at("accused"),)
    assert accusation.content == (at("Iran of the attack"),)
    assert accusation.attributes == (("Certainty", "alleged"),)
    assert quote.source == (at("Rama"),) and quote.id == "E2"
    # A Content no event uses stands alone; the Discuss span is no attribution.
    assert lone.content == (at("the charges"),) and not lone.cue and not lone.source


def test_discontinuous_fragments_are_kept_and_text_joined_by_a_space():
    line = t_line("T1", "Content", "We know", "did it")
    span = brat.parse(line, text=TEXT).spans["T1"]
    assert span.fragments == (at("We know"), at("did it"))
    assert span.text == "We know did it"
    assert (span.start, span.end) == (at("We know")[0], at("did it")[1])


def test_an_unlabelled_span_takes_its_role_from_the_event():
    ann = "\n".join(
        [
            t_line("T1", "Speech", "We know who did it"),
            t_line("T2", "Attribution", "said"),
            "E1\tAttribution:T2 Content2:T1",
        ]
    )
    (only,) = brat.parse(ann, text=TEXT).attributions()
    assert only.content == (at("We know who did it"),) and only.cue == ()


def test_a_covered_text_over_two_lines_is_one_span():
    text = "first line\nsecond"
    document = brat.parse("T1\tContent 0 17\tfirst line\nsecond\n", text=text)
    assert document.spans["T1"].text == "first line\nsecond"


@pytest.mark.parametrize(
    ("ann", "line", "words"),
    [
        ("T1\tContent 0 4\tTira\nnonsense here", 2, "annotation id"),
        ("T1\tContent 4 0\tx", 1, "ends before it starts"),
        ("T1\tContent 0 four\tx", 1, "not a fragment"),
        ("T1\tContent\tx", 1, "no offsets"),
        ("T1\tContent 0 6\tTirana\nT1\tCue 7 14\taccused", 2, "used twice"),
        ("T1\tContent 0 6\tTirana\nE1\tAttribution:T1 Cue:T9", 2, "Cue:T9 names no span"),
        ("T1\tContent 0 6\tTirana\nE1\tAttribution:T1 Cue", 2, "not ROLE:ID"),
        ("T1\tContent 0 6\tTirana\nA1\tCertainty E7 alleged", 2, "E7 names no span or event"),
        ("T1\tContent 0 6\tTehran", 1, "the text there reads 'Tirana'"),
        ("T1\tContent 0 9999\tx", 1, "outside the text"),
        ("T\tContent 0 6\tTirana", 1, "no number"),
    ],
)
def test_bad_lines_name_the_file_and_line(ann, line, words):
    with pytest.raises(brat.BratError) as caught:
        brat.parse(ann, text=TEXT, filename="bad.ann")
    assert caught.value.filename == "bad.ann"
    assert caught.value.line == line
    assert words in caught.value.message
    assert str(caught.value).startswith(f"bad.ann, line {line}: ")


def test_written_attributions_read_back_the_same():
    attributions = brat.parse(ANN, text=TEXT).attributions()
    written = brat.dumps(attributions, TEXT)
    again = brat.parse(written, text=TEXT, filename="again.ann").attributions()
    assert [(a.content, a.cue, a.source, a.attributes) for a in again] == [
        (a.content, a.cue, a.source, a.attributes) for a in attributions
    ]
    assert written == brat.dumps(attributions, TEXT)  # stable ids


def test_writing_shares_a_source_and_names_spans_in_order():
    rama = (at("Rama"),)
    written = brat.dumps(
        [
            brat.Attribution(content=(at("We know"),), cue=(at("said"),), source=rama),
            brat.Attribution(content=(at("did it"),), cue=(at("said"),), source=rama),
            brat.Attribution(content=(at("the charges"),)),
        ],
        TEXT,
    )
    lines = written.splitlines()
    assert lines[0] == f"T1\tSource {at('Rama')[0]} {at('Rama')[1]}\tRama"
    assert lines[3] == f"T4\tAttribution {at('said')[0]} {at('said')[1]}\tsaid"
    assert lines[4] == "E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3"
    assert lines[6] == "E2\tAttribution:T4 Source:T1 Cue:T2 Content:T5"
    assert lines[7].startswith("T6\tContent ") and len(lines) == 8


def test_a_span_over_a_line_break_is_written_on_one_line():
    text = "one\ntwo"
    written = brat.dumps([brat.Attribution(content=((0, 7),))], text)
    assert written == "T1\tContent 0 7\tone two\n"
    assert brat.parse(written, text=text).spans["T1"].fragments == ((0, 7),)


@pytest.mark.parametrize("fragment", [(5, 5), (-1, 3), (0, 9999)])
def test_writing_refuses_a_fragment_outside_the_text(fragment):
    with pytest.raises(ValueError):
        brat.dumps([brat.Attribution(content=(fragment,))], TEXT)


def test_read_pair_reads_the_text_and_names_a_missing_file(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"Rama said\r\nit.")
    (tmp_path / "a.ann").write_text("T1\tContent 11 14\tit.\n", encoding="utf-8")
    text, document = brat.read_pair(tmp_path / "a.txt")
    assert text[11:14] == "it." and document.spans["T1"].fragments == ((11, 14),)
    (tmp_path / "b.txt").write_text("x", encoding="utf-8")
    with pytest.raises(brat.BratError, match=r"b\.ann"):
        brat.read_pair(tmp_path / "b.txt")


@settings(max_examples=60, deadline=None)
@given(
    st.text(min_size=1, max_size=80),
    st.lists(st.tuples(st.integers(0, 80), st.integers(1, 20)), min_size=1, max_size=4),
)
def test_any_text_and_spans_round_trip(text, raw):
    fragments = tuple(
        sorted(
            {(min(a, len(text) - 1), min(a, len(text) - 1) + min(n, len(text) - a)) for a, n in raw}
        )
    )
    fragments = tuple((a, b) for a, b in fragments if b > a)
    if not fragments:
        return
    written = brat.dumps([brat.Attribution(content=fragments)], text)
    (again,) = brat.parse(written, text=text).attributions()
    assert again.content == fragments
