"""The reader: text rendered as runs with exact code-point offsets, claims as highlights."""

import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.models import AnchorState, Claim
from annotations.reader_html import (
    PlacedClaim,
    assign_lanes,
    paragraph_spans,
    render_text,
)
from annotations.services.claims import claim_submit
from tests.factories import ArticleFactory, make_claim

EMOJI_TEXT = (
    "Tiranë 🇦🇱 said: the attack 😡 came from abroad.\n\n"
    "Officials in Tehran denied it, calling the charge baseless."
)


class Runs(HTMLParser):
    """Collect every run's offsets and text, and the claims marking it."""

    def __init__(self):
        super().__init__()
        self.runs = []
        self.stack = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "span" and "run" in attrs.get("class", "").split():
            self.runs.append(
                {
                    "start": int(attrs["data-start"]),
                    "end": int(attrs["data-end"]),
                    "text": "",
                    "claims": [],
                    "mention": "mention" in attrs["class"].split(),
                }
            )
            self.stack.append("run")
        elif tag == "mark" and self.stack:
            self.runs[-1]["claims"].append(int(attrs["data-claim"]))
            self.stack.append("mark")
        else:
            self.stack.append(None) if self.stack else None

    def handle_endtag(self, tag):
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[0] == "run":
            self.runs[-1]["text"] += data


def runs_of(html: str) -> list[dict]:
    parser = Runs()
    parser.feed(html)
    return parser.runs


def reader_runs(response) -> list[dict]:
    html = response.content.decode()
    body = html[html.index('id="reader-text"') : html.index('class="claims-aside"')]
    return runs_of(body)


def fake_claim(pk, start, end, text, status="draft"):
    return Claim(pk=pk, start=start, end=end, exact=text[start:end], status=status)


# -- rendering, without the database ------------------------------------------------------


def test_paragraph_spans_skip_the_blank_lines_between_paragraphs():
    text = "One.\n\nTwo\nlines.\n\n\nThree."
    assert [text[a:b] for a, b in paragraph_spans(text)] == ["One.", "Two\nlines.", "Three."]


def test_runs_reproduce_the_text_at_their_code_point_offsets():
    text = EMOJI_TEXT
    start = text.index("the attack")
    claim = fake_claim(1, start, start + len("the attack 😡 came"), text)
    runs = runs_of("".join(p["html"] for p in render_text(text, [PlacedClaim(claim)], [])))
    for run in runs:
        assert text[run["start"] : run["end"]] == run["text"]
    covered = "".join(run["text"] for run in runs if run["claims"] == [1])
    assert covered == "the attack 😡 came"
    assert sum(len(run["text"]) for run in runs) == len(text) - 2  # minus the blank line


def test_markup_in_the_text_is_escaped():
    text = "He wrote <script>alert(1)</script> & left."
    html = render_text(text, [], [])[0]["html"]
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert runs_of(html)[0]["text"] == text


def test_overlapping_claims_get_their_own_lanes_and_share_the_overlap():
    text = "Rama said Iran attacked Albania in July."
    outer = fake_claim(1, 0, text.index(" in July"), text)
    inner = fake_claim(2, text.index("Iran"), len(text) - 1, text)
    placed = [PlacedClaim(outer, number=1), PlacedClaim(inner, number=2)]
    assign_lanes(placed)
    assert [p.lane for p in placed] == [0, 1]
    runs = runs_of(render_text(text, placed, [])[0]["html"])
    by_text = {run["text"]: run["claims"] for run in runs}
    assert by_text["Rama said "] == [1]
    assert by_text["Iran attacked Albania"] == [1, 2]
    assert by_text[" in July"] == [2]


def test_nested_claim_sits_on_a_higher_lane_and_disjoint_ones_share_a_lane():
    text = "Alpha beta gamma delta epsilon."
    placed = [
        PlacedClaim(fake_claim(1, 0, 16, text)),
        PlacedClaim(fake_claim(2, 6, 10, text)),
        PlacedClaim(fake_claim(3, 17, 30, text)),
    ]
    assign_lanes(placed)
    assert [p.lane for p in placed] == [0, 1, 0]


def test_a_claim_number_follows_the_end_of_its_passage():
    text = "Tehran denied it."
    claim = fake_claim(7, 0, 13, text)
    html = render_text(text, [PlacedClaim(claim, number=3)], [])[0]["html"]
    assert re.search(r'denied</mark></span><a class="claim-ref st-draft" href="#claim-7"', html)
    assert ">3</a>" in html


# -- the page ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, article):
    response = client.get(reverse("article_reader", args=[article.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_unknown_article_is_404(client, researcher):
    client.force_login(researcher)
    assert client.get(reverse("article_reader", args=[10**9])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["researcher", "reviewer", "editor", "reader"])
def test_every_logged_in_role_reads_the_article(client, request, role, article):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("article_reader", args=[article.pk]))
    assert response.status_code == 200
    runs = reader_runs(response)
    text = article.revisions.get().text
    assert all(text[r["start"] : r["end"]] == r["text"] for r in runs)


@pytest.mark.django_db
def test_only_researchers_get_the_claim_form(client, researcher, reviewer, article):
    url = reverse("article_reader", args=[article.pk])
    client.force_login(researcher)
    assert 'id="claim-form"' in client.get(url).content.decode()
    client.force_login(reviewer)
    assert 'id="claim-form"' not in client.get(url).content.decode()


@pytest.mark.django_db
def test_reader_shows_my_drafts_and_others_submitted_claims_but_not_their_drafts(
    client, researcher, other_researcher, article
):
    mine = make_claim(author=researcher, article=article, statement="Mine")
    theirs = make_claim(author=other_researcher, article=article, exact="Tehran rejected")
    submitted = make_claim(author=other_researcher, article=article, exact="Washington")
    claim_submit(user=other_researcher, claim_id=submitted.pk, version=submitted.version)
    client.force_login(researcher)
    response = client.get(reverse("article_reader", args=[article.pk]))
    shown = {item.claim.pk for item in response.context["items"]}
    assert shown == {mine.pk, submitted.pk}
    marked = {pk for run in reader_runs(response) for pk in run["claims"]}
    assert theirs.pk not in marked
    assert marked == {mine.pk, submitted.pk}


@pytest.mark.django_db
def test_claims_are_listed_in_text_order(client, researcher, article):
    late = make_claim(author=researcher, article=article, exact="Washington announced")
    early = make_claim(author=researcher, article=article, exact="Edi Rama said")
    client.force_login(researcher)
    response = client.get(reverse("article_reader", args=[article.pk]))
    assert [item.claim.pk for item in response.context["items"]] == [early.pk, late.pk]
    assert [item.number for item in response.context["items"]] == [1, 2]


@pytest.mark.django_db
def test_overlapping_claims_are_both_highlighted(client, researcher, article):
    first = make_claim(author=researcher, article=article, exact="Edi Rama said on Wednesday")
    second = make_claim(author=researcher, article=article, exact="said on Wednesday that an")
    client.force_login(researcher)
    runs = reader_runs(client.get(reverse("article_reader", args=[article.pk])))
    by_text = {run["text"]: run["claims"] for run in runs if run["claims"]}
    assert by_text["Edi Rama "] == [first.pk]
    assert by_text["said on Wednesday"] == [first.pk, second.pk]
    assert by_text[" that an"] == [second.pk]


@pytest.mark.django_db
def test_orphaned_claim_is_listed_but_not_drawn(client, researcher, article):
    claim = make_claim(author=researcher, article=article)
    Claim.objects.filter(pk=claim.pk).update(anchor_state=AnchorState.ORPHANED)
    client.force_login(researcher)
    response = client.get(reverse("article_reader", args=[article.pk]))
    (item,) = response.context["items"]
    assert not item.placed
    assert not any(run["claims"] for run in reader_runs(response))
    assert "not in the current text" in response.content.decode()


@pytest.mark.django_db
def test_known_actors_are_marked_as_mentions(client, researcher, iran):
    article = ArticleFactory(text="Tehran rejected the accusation.")
    client.force_login(researcher)
    runs = reader_runs(client.get(reverse("article_reader", args=[article.pk])))
    assert [run["text"] for run in runs if run["mention"]] == ["Tehran"]


@pytest.mark.django_db
def test_emoji_text_offsets_are_code_points(client, researcher, rama):
    article = ArticleFactory(text=EMOJI_TEXT)
    start = EMOJI_TEXT.index("came from abroad")
    make_claim(author=researcher, article=article, exact="came from abroad", claimant=rama)
    client.force_login(researcher)
    runs = reader_runs(client.get(reverse("article_reader", args=[article.pk])))
    (marked,) = [run for run in runs if run["claims"]]
    assert (marked["start"], marked["text"]) == (start, "came from abroad")


@pytest.mark.django_db
def test_query_count_stays_the_same_when_claims_double(
    client, researcher, other_researcher, rama, iran, django_assert_num_queries
):
    article = ArticleFactory()
    phrases = ["Edi Rama said", "the Iranian state", "Tehran rejected", "Washington announced"]

    def add_claims():
        for phrase in phrases:
            claim = make_claim(
                author=other_researcher,
                article=article,
                exact=phrase,
                claimant=rama,
                actors=[(iran, "accused")],
            )
            claim_submit(user=other_researcher, claim_id=claim.pk, version=claim.version)
            make_claim(author=researcher, article=article, exact=phrase, claimant=rama)

    add_claims()
    client.force_login(researcher)
    url = reverse("article_reader", args=[article.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    add_claims()
    with django_assert_num_queries(len(before.captured_queries)):
        response = client.get(url)
    assert len(response.context["items"]) == 16


def test_reader_shows_a_claim_naming_over_a_thousand_actors(client, researcher, article):
    """SQLite refuses the query a second prefetch by a thousand actor ids would build."""
    from annotations.models import Actor, ClaimActor
    from tests.factories import make_claim

    claim = make_claim(author=researcher, article=article)
    actors = Actor.objects.bulk_create(
        Actor(name=f"Crowd member {n}", folded=f"crowd member {n}") for n in range(1100)
    )
    ClaimActor.objects.bulk_create(
        ClaimActor(claim=claim, actor=actor, role="mentioned") for actor in actors
    )
    client.force_login(researcher)
    response = client.get(f"/articles/{article.pk}/")
    assert response.status_code == 200
    assert "Crowd member 1099" in response.content.decode()
