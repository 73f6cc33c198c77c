"""The reader's text markup against a model computed run by run, for arbitrary claims.

`render_text` sweeps the text once and reuses each claim's tags between its edges; here
every run's expected claims, ids, mention and claim numbers are worked out from scratch.
"""

from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from annotations import reader_html
from annotations.models import AnchorState, Claim
from annotations.reader_html import (
    MentionSpan,
    PlacedClaim,
    assign_lanes,
    paragraph_spans,
    render_text,
)


class Markup(HTMLParser):
    """The runs and claim numbers of one paragraph, in document order."""

    def __init__(self):
        super().__init__()
        self.items = []
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth == 0 and tag == "span":
            self.items.append(
                {
                    "kind": "run",
                    "start": int(attrs["data-start"]),
                    "end": int(attrs["data-end"]),
                    "classes": attrs["class"],
                    "actors": attrs.get("data-actors"),
                    "title": attrs.get("title"),
                    "marks": [],
                    "text": "",
                }
            )
        elif self.depth == 0 and tag == "a":
            self.items.append({"kind": "ref", "claim": int(attrs["data-claim"]), "number": ""})
        elif tag == "mark":
            self.items[-1]["marks"].append((int(attrs["data-claim"]), attrs.get("id")))
        self.depth += 1

    def handle_endtag(self, tag):
        self.depth -= 1

    def handle_data(self, data):
        item = self.items[-1]
        item["text" if item["kind"] == "run" else "number"] += data


def expected_markup(text, placed, mentions, lo, hi, p_start, p_end):
    """What one paragraph must hold, computed for each run on its own."""
    edges = {lo, hi}
    for item in placed:
        edges.update((item.claim.start, item.claim.end))
    for mention in mentions:
        edges.update((mention.start, mention.end))
    cuts = sorted(edge for edge in edges if p_start < edge < p_end)
    items = []
    for a, b in zip([p_start, *cuts], [*cuts, p_end], strict=True):
        covering = sorted(
            (p for p in placed if p.claim.start <= a < p.claim.end),
            key=lambda p: (p.lane, p.claim.pk),
        )
        mention = next((m for m in mentions if m.start <= a < m.end), None)
        items.append(
            {
                "kind": "run",
                "start": a,
                "end": b,
                "classes": "run mention" if mention else "run",
                "actors": " ".join(str(i) for i, _ in mention.actors) if mention else None,
                "title": "Known actor: " + " / ".join(n for _, n in mention.actors)
                if mention
                else None,
                "marks": [
                    (p.claim.pk, f"passage-{p.claim.pk}" if p.claim.start == a else None)
                    for p in covering
                ],
                "text": text[a:b],
            }
        )
        ending = sorted((p for p in covering if p.claim.end == b), key=lambda p: p.number)
        items.extend({"kind": "ref", "claim": p.claim.pk, "number": str(p.number)} for p in ending)
    return items


@st.composite
def annotated_texts(draw):
    text = draw(
        st.text(alphabet=st.sampled_from(["a", "b", " ", "\n", "<", "&", '"', "é", "😡"]))
        .filter(lambda t: t.strip("\n"))
        .map(lambda t: t[:80])
    )
    size = len(text)
    bounds = st.tuples(st.integers(0, size - 1), st.integers(1, size)).filter(
        lambda pair: pair[0] < pair[1]
    )
    claims = []
    for pk, (start, end) in enumerate(draw(st.lists(bounds, max_size=12)), start=1):
        status = draw(st.sampled_from(["draft", "submitted", "approved"]))
        claims.append(
            PlacedClaim(Claim(pk=pk, start=start, end=end, exact=text[start:end], status=status))
        )
    for number, item in enumerate(sorted(claims, key=lambda p: p.claim.start), start=1):
        item.number = number
    assign_lanes(claims)
    points = sorted(draw(st.sets(st.integers(0, size), max_size=8)))
    mentions = [
        MentionSpan(start, end, ((pk, f"Actor <{pk}>"), (pk + 100, "Other & co")))
        for pk, (start, end) in enumerate(zip(points[::2], points[1::2], strict=False))
    ]
    window = None
    if draw(st.booleans()):
        lo, hi = sorted(draw(st.tuples(st.integers(0, size), st.integers(0, size))))
        window = (lo, hi) if lo < hi else None
    return text, claims, mentions, window


@settings(max_examples=300, deadline=None)
@given(annotated_texts())
def test_every_run_shows_exactly_the_claims_and_mention_covering_it(case):
    text, placed, mentions, window = case
    lo, hi = window or (0, len(text))
    paragraphs = render_text(text, placed, mentions, window=window)
    spans = [(max(a, lo), min(b, hi)) for a, b in paragraph_spans(text) if not (b <= lo or a >= hi)]
    assert [(p["start"], p["end"]) for p in paragraphs] == spans
    for paragraph in paragraphs:
        parser = Markup()
        parser.feed(paragraph["html"])
        assert parser.items == expected_markup(
            text, placed, mentions, lo, hi, paragraph["start"], paragraph["end"]
        )


def test_without_refs_no_claim_number_follows_a_passage():
    text = "Tehran denied it."
    claim = Claim(pk=4, start=0, end=6, exact="Tehran", status="submitted")
    html = render_text(text, [PlacedClaim(claim, number=1)], [], refs=False)[0]["html"]
    assert "claim-ref" not in html
    assert 'id="passage-4"' in html


def test_the_engine_imports_no_model_and_no_query_code():
    """The reader's HTML engine is pure: it is tested, and works, without a database."""
    source = Path(reader_html.__file__).read_text(encoding="utf-8")
    assert "django.db" not in source
    assert "annotations.models" not in source
    assert "articles.models" not in source


def test_the_anchor_states_the_engine_tells_apart_are_the_models():
    assert reader_html.ANCHORED == AnchorState.ANCHORED
    assert reader_html.ORPHANED == AnchorState.ORPHANED


def test_an_orphaned_claim_is_not_placed_even_where_its_words_still_stand():
    text = "The ministry denied the report."
    revision = SimpleNamespace(pk=1, text=text)
    claim = SimpleNamespace(
        revision_id=1, start=4, end=12, exact="ministry", anchor_state="anchored"
    )
    assert reader_html.is_placed(claim, revision)
    orphaned = SimpleNamespace(**{**vars(claim), "anchor_state": reader_html.ORPHANED})
    assert not reader_html.is_placed(orphaned, revision)
    elsewhere = SimpleNamespace(**{**vars(claim), "revision_id": 2})
    assert not reader_html.is_placed(elsewhere, revision)
