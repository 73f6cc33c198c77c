"""The cue and source mention on the pages: set from the reader's claim form (one service
rule), marked in the reader's data and claim list without extra queries, named on the
claim page and in the review queue, where the claimant check points at the words."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.models import Claim
from annotations.services.claims import MarkedSpan, claim_submit, claim_update
from tests.factories import ARTICLE_TEXT, ArticleFactory, make_claim

pytestmark = pytest.mark.django_db

PASSAGE = "the Iranian state was behind the July cyberattacks"
SAID = ARTICLE_TEXT.index(" said ") + 1
RAMA = ARTICLE_TEXT.index("Edi Rama")


def form_data(article, **fields):
    revision = article.revisions.get()
    start = revision.text.index(PASSAGE)
    data = {
        "revision": revision.pk,
        "start": start,
        "end": start + len(PASSAGE),
        "exact": PASSAGE,
        "statement": "Iran carried out the attacks.",
        "certainty": "alleged",
        "intent": "save",
    }
    data.update(fields)
    return data


def with_triple(claim, user):
    return claim_update(
        user=user,
        claim_id=claim.pk,
        version=claim.version,
        cue=MarkedSpan(SAID, SAID + 4, "said"),
        source_mention=MarkedSpan(RAMA, RAMA + 8, "Edi Rama"),
    )


def test_the_reader_form_saves_the_cue_and_source_mention(client, researcher, article, rama):
    client.force_login(researcher)
    data = form_data(
        article,
        claimant=rama.pk,
        cue_start=SAID,
        cue_end=SAID + 4,
        source_mention_start=RAMA,
        source_mention_end=RAMA + 8,
    )

    response = client.post(reverse("claim_create", args=[article.pk]), data)

    assert response.status_code == 302
    claim = Claim.objects.get()
    assert (claim.cue_exact, claim.source_mention_exact) == ("said", "Edi Rama")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"cue_start": SAID}, "The cue needs both a start and an end."),
        ({"source_mention_start": 10_000, "source_mention_end": 10_004}, "source mention starts"),
    ],
)
def test_a_bad_span_in_the_form_is_shown_at_its_field_and_nothing_is_saved(
    client, researcher, article, rama, fields, message
):
    client.force_login(researcher)
    response = client.post(
        reverse("claim_create", args=[article.pk]), form_data(article, claimant=rama.pk, **fields)
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Claim.objects.exists()


def test_the_edit_page_clears_the_cue(client, researcher, article, rama):
    claim = with_triple(make_claim(author=researcher, article=article, claimant=rama), researcher)
    client.force_login(researcher)
    page = client.get(reverse("claim_edit", args=[claim.pk])).content.decode()
    assert 'name="cue_start"' in page and "Clear cue" in page

    response = client.post(
        reverse("claim_edit", args=[claim.pk]),
        {
            "version": claim.version,
            "statement": claim.statement,
            "claimant": rama.pk,
            "certainty": claim.certainty,
            "cue_start": "",
            "cue_end": "",
            "source_mention_start": RAMA,
            "source_mention_end": RAMA + 8,
        },
    )

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.cue_start is None and claim.source_mention_exact == "Edi Rama"


def test_the_reader_sends_the_spans_and_lists_them_in_words(client, researcher, article, rama):
    claim = with_triple(make_claim(author=researcher, article=article, claimant=rama), researcher)
    client.force_login(researcher)

    response = client.get(reverse("article_reader", args=[article.pk]))

    page = response.content.decode()
    (row,) = response.context["reader_data"]["claims"]
    assert row["cue"] == [SAID, SAID + 4, "said"]
    assert row["source_mention"] == [RAMA, RAMA + 8, "Edi Rama"]
    assert f'id="claim-{claim.pk}"' in page
    assert '<span class="span-tag span-tag-cue">Cue</span> <q>said</q>' in page


def test_reader_queries_stay_the_same_when_claims_with_spans_double(
    client, researcher, rama, django_assert_num_queries
):
    article = ArticleFactory()

    def add_claims():
        for _ in range(3):
            with_triple(make_claim(author=researcher, article=article, claimant=rama), researcher)

    add_claims()
    client.force_login(researcher)
    url = reverse("article_reader", args=[article.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    add_claims()
    with django_assert_num_queries(len(before.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("span-tag-cue") >= 6


def test_the_claim_page_names_the_cue_and_source_mention(client, researcher, article, rama):
    claim = with_triple(make_claim(author=researcher, article=article, claimant=rama), researcher)
    client.force_login(researcher)

    page = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()

    assert "Source mention" in page and "<q>Edi Rama</q>" in page
    assert '<span class="span-tag span-tag-cue">Cue</span> <q>said</q>' in page


def test_the_review_queue_marks_the_words_the_claimant_check_is_about(
    client, researcher, reviewer, article, rama
):
    claim = with_triple(make_claim(author=researcher, article=article, claimant=rama), researcher)
    claim_submit(user=researcher, claim_id=claim.pk, version=claim.version)
    client.force_login(reviewer)

    page = client.get(reverse("review_queue")).content.decode()

    assert (
        '<span class="span-mark span-mark-source_mention"><span class="span-tag '
        'span-tag-source_mention">Source</span> Edi Rama</span>'
    ) in page
    assert '<span class="span-tag span-tag-cue">Cue</span> said</span>' in page
    assert "The claimant really makes this claim in the text" in page
    assert 'data-testid="claimant-check-words">(named as <q>Edi Rama</q>, cue <q>said</q>)' in page
