"""The benchmark's generator makes the dataset it says it makes."""

import importlib
from collections import Counter

import pytest

from annotations.anchoring.selection import anchor_from_selection
from annotations.models import Claim, ClaimActor, ClaimEvent, ClaimSource, Review
from articles.models import Article
from tests.bench.conftest import TINY

pytestmark = pytest.mark.django_db


def test_counts_are_those_of_the_spec(tiny_dataset):
    assert tiny_dataset["articles"] == Article.objects.count() == TINY.articles + 1
    assert tiny_dataset["claims"] == Claim.objects.count()
    assert Claim.objects.count() == TINY.articles * TINY.claims_per_article + TINY.hot_claims
    assert tiny_dataset["actors"] == TINY.actors
    assert tiny_dataset["sources"] == TINY.sources + TINY.outlets


def test_every_claim_has_claimant_actors_sources_and_reviews(tiny_dataset):
    actors = Counter(ClaimActor.objects.values_list("claim_id", flat=True))
    sources = Counter(ClaimSource.objects.values_list("claim_id", flat=True))
    reviews = Counter(Review.objects.values_list("claim_id", flat=True))
    for claim in Claim.objects.all():
        assert claim.claimant_id is not None
        assert 2 <= actors[claim.pk] <= 4, claim.pk  # 2 or 3, and maybe the dominant actor
        assert 1 <= sources[claim.pk] <= 2, claim.pk
        assert 1 <= reviews[claim.pk] <= 2, claim.pk


def test_one_actor_is_accused_in_a_large_share_of_the_claims(tiny_dataset):
    from annotations.models import Actor
    from bench.generate import DOMINANT_NAME, DOMINANT_SHARE

    iran = Actor.objects.get(name=DOMINANT_NAME)
    share = ClaimActor.objects.filter(actor=iran, role="accused").count() / Claim.objects.count()
    assert DOMINANT_SHARE * 0.75 < share < DOMINANT_SHARE * 1.25
    busiest = Counter(ClaimActor.objects.values_list("actor_id", flat=True)).most_common(2)
    assert busiest[0][0] == iran.pk and busiest[0][1] > 2 * busiest[1][1]


def test_claimant_is_never_also_a_further_actor(tiny_dataset):
    for claim in Claim.objects.prefetch_related("actor_links"):
        assert claim.claimant_id not in {link.actor_id for link in claim.actor_links.all()}


def test_statuses_are_mixed_and_the_hot_article_awaits_review(tiny_dataset):
    statuses = Counter(Claim.objects.values_list("status", flat=True))
    assert {"approved", "submitted", "changes_requested", "rejected"} <= set(statuses)
    hot = Article.objects.get(title__contains="full investigation")
    assert set(hot.claims.values_list("status", flat=True)) == {"submitted"}
    assert hot.claims.count() == TINY.hot_claims
    oldest = Claim.objects.filter(status="submitted").order_by("submitted_at").first()
    assert oldest.article_id == hot.pk


def test_every_anchor_holds_on_the_current_revision(tiny_dataset):
    for claim in Claim.objects.select_related("revision", "article"):
        current = claim.article.revisions.order_by("-number").first()
        assert claim.revision_id == current.pk
        text = claim.revision.text
        assert text[claim.start : claim.end] == claim.exact
        expected = anchor_from_selection(
            text=text, start=claim.start, end=claim.end, exact=claim.exact
        )
        assert (claim.prefix, claim.suffix) == (expected.prefix, expected.suffix)
        assert claim.anchor_state == "anchored"


def test_history_matches_status_reviews_and_version(tiny_dataset):
    events = {}
    for event in ClaimEvent.objects.order_by("claim_id", "id"):
        events.setdefault(event.claim_id, []).append(event)
    for claim in Claim.objects.prefetch_related("reviews"):
        trail = events[claim.pk]
        assert trail[0].kind == "created"
        assert trail[-1].to_status == claim.status
        assert trail[-1].version == claim.version
        assert [e.version for e in trail] == list(range(1, claim.version + 1))
        for review in claim.reviews.all():
            assert review.reviewer_id != claim.author_id
        decisions = [review.decision for review in claim.reviews.all()]
        if claim.status == "approved":
            assert decisions[-1] == "approve"
        elif claim.status == "rejected":
            assert decisions[-1] == "reject"
        elif claim.status == "changes_requested":
            assert decisions[-1] == "request_changes"
        assert claim.submitted_at is not None
        assert trail[0].created <= claim.submitted_at <= claim.modified


def test_some_approvals_carry_a_rating(tiny_dataset):
    assert Review.objects.filter(decision="approve", rating_value__isnull=False).exists()


def test_review_rounds_are_those_the_trail_tells(tiny_dataset):
    """The generator numbers rounds as the services would, which the migration that
    numbers existing rows reads back from the trail."""
    fill = importlib.import_module("annotations.migrations.0007_fill_review_rounds")
    events, reviews = {}, {}
    for claim_id, *event in ClaimEvent.objects.order_by("claim_id", "id").values_list(
        "claim_id", "kind", "from_status", "to_status", "created", "data"
    ):
        events.setdefault(claim_id, []).append(tuple(event))
    for review in Review.objects.order_by("id"):
        reviews.setdefault(review.claim_id, []).append(review)
    rounds = Counter()
    for claim in Claim.objects.all():
        of_claim = reviews.get(claim.pk, [])
        expected = (claim.review_round, {r.pk: r.review_round for r in of_claim})
        trail = [(r.pk, r.created) for r in of_claim]
        assert fill.rounds_of_claim(claim.submitted_at, events[claim.pk], trail) == expected
        rounds[claim.review_round] += 1
    assert {1, 2} <= set(rounds)
