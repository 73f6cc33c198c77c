"""The public markup, the feed and the export use schema.org's terms where it allows them."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.publishing.helpers import publish
from tests.publishing.jsonld import embedded_jsonld
from tests.publishing.vocabulary import problems

pytestmark = pytest.mark.django_db


@pytest.fixture
def vocabulary_file(conformance_dir):
    return conformance_dir / "claimreview" / "schemaorg-30.0" / "schemaorg-current-https.jsonld"


def test_the_checker_catches_misused_terms(vocabulary_file):
    wrong = {
        "@type": "ClaimReview",
        "claimReviewed": "x",
        "ratingValue": 3,  # a Rating's, not a review's
        "verdict": "False",  # no such term
        "author": "Someone",  # a Person or Organization
        "reviewRating": {"@type": "Claim"},  # not a Rating
    }
    found = problems(wrong, vocabulary_file)
    assert any("ratingValue: not a property of ClaimReview" in p for p in found)
    assert any("verdict: not a schema.org property" in p for p in found)
    assert any("author[0]: text where" in p for p in found)
    assert any("reviewRating[0]: a Claim where" in p for p in found)


def test_page_markup_and_feed_use_only_fitting_terms(room, anon, vocabulary_file):
    publish(room.accusation, room.editor)
    publish(room.denial, room.editor)
    for claim in (room.accusation, room.denial):
        html = anon.get(reverse("public_review", args=[claim.pk])).content.decode()
        [review] = embedded_jsonld(html)
        assert problems(review, vocabulary_file) == []
    feed = json.loads(anon.get(reverse("public_feed_jsonld", args=["main"])).content)
    assert problems(feed, vocabulary_file) == []


def test_the_export_uses_only_fitting_terms(room, vocabulary_file, tmp_path):
    publish(room.accusation, room.editor)
    target = tmp_path / "reviews.jsonld"
    call_command("export_claims", "--format", "claimreview", "-o", str(target), "--no-progress")
    feed = json.loads(target.read_text(encoding="utf-8"))
    assert len(feed["dataFeedElement"]) == 2
    assert problems(feed, vocabulary_file) == []
