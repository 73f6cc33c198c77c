"""The ClaimReview export: addresses that resolve without a login, the desk's publisher and
scale, firstAppearance, and SITE_URL read by the command."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client

from annotations.models import ClaimRelation, RelationKind
from publishing.models import DeskPublishing
from tests.annotations.exports.claimreview_check import find_claim_reviews
from tests.factories import ArticleFactory, make_claim
from tests.publishing.helpers import approve, publish

pytestmark = pytest.mark.django_db


def export(*args) -> tuple[dict, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "export_claims", "--format", "claimreview", "--no-progress", *args, stdout=out, stderr=err
    )
    feed = json.loads(out.getvalue())
    reviews = {review["claimReviewed"]: review for review, _ in find_claim_reviews(feed)}
    return reviews, err.getvalue()


def export_by_claim() -> dict[int, dict]:
    """The exported reviews by the id of the claim each is based on."""
    out = io.StringIO()
    call_command("export_claims", "--format", "claimreview", "--no-progress", stdout=out)
    reviews = [review for review, _ in find_claim_reviews(json.loads(out.getvalue()))]
    return {int(review["isBasedOn"].rsplit("/", 1)[-1]): review for review in reviews}


def test_the_command_uses_site_url_and_the_public_pages(room, settings):
    settings.SITE_URL = "https://factcheck.example.org/"
    settings.CLAIMREVIEW_PUBLISHER = {"name": "Albania Desk", "url": ""}
    publish(room.accusation, room.editor)
    reviews, _ = export()
    published = reviews[room.accusation.statement]
    assert published["url"] == f"https://factcheck.example.org/fact-checks/{room.accusation.pk}/"
    assert published["isBasedOn"] == (
        f"https://factcheck.example.org/api/v1/annotations/{room.accusation.pk}"
    )
    assert published["author"] == {
        "@type": "Organization",
        "name": "Albania Desk",
        "url": "https://factcheck.example.org/",
    }
    # Not published: no public page yet, the claim's page on the site.
    unpublished = reviews[room.denial.statement]
    assert unpublished["url"] == f"https://factcheck.example.org/claims/{room.denial.pk}/"


def test_every_published_url_resolves_without_a_login(room, settings):
    settings.SITE_URL = "http://testserver"
    publish(room.accusation, room.editor)
    publish(room.denial, room.editor)
    reviews, _ = export()
    anonymous = Client()
    for review in reviews.values():
        response = anonymous.get(review["url"].removeprefix("http://testserver"))
        assert response.status_code == 200, review["url"]


def test_a_desk_url_template_publisher_and_scale(room):
    DeskPublishing.objects.create(
        project=room.accusation.project,
        publisher_name="Tirana Fact Check",
        publisher_url="https://tfc.example/",
        url_template="https://tfc.example/checks/{project}/{id}",
        rating_labels=["Pants on fire", "Misleading", "Unproven", "Largely right", "Correct"],
    )
    reviews, _ = export()
    review = reviews[room.accusation.statement]
    assert review["url"] == f"https://tfc.example/checks/main/{room.accusation.pk}"
    assert review["author"]["name"] == "Tirana Fact Check"
    assert review["author"]["url"] == "https://tfc.example/"
    assert review["reviewRating"]["alternateName"] == "Largely right"
    assert review["reviewRating"]["ratingValue"] == 4
    publication = publish(room.denial, room.editor)
    assert publication.content["rating"]["label"] == "Misleading"


def test_the_verdict_follows_the_number(room):
    """A reviewer's own words with a number give way to the scale's word for it."""
    claim = make_claim(author=room.researcher, article=room.accusation.article, exact="July")
    approve(claim, author=room.researcher, reviewer=room.reviewer, value=3, label="Unproven")
    reviews, _ = export()
    by_id = {r["isBasedOn"].rsplit("/", 1)[-1]: r for r in reviews.values()}
    assert by_id[str(claim.pk)]["reviewRating"]["alternateName"] == "Mixed"


def test_first_appearance_is_the_earliest_article_of_the_desk(room):
    earlier = ArticleFactory(
        title="Rama: Iran was behind the attack",
        url="https://earlier.example/rama",
        published=dt.date(2022, 9, 6),
    )
    again = make_claim(
        author=room.researcher,
        article=earlier,
        exact="the Iranian state was behind the July cyberattacks",
        statement=room.accusation.statement,
        claimant=room.accusation.claimant,
    )
    approve(again, author=room.researcher, reviewer=room.reviewer)
    # The same words elsewhere are not taken for the same claim until the desk says so.
    own = export_by_claim()[room.accusation.pk]["itemReviewed"]["firstAppearance"]["url"]
    assert own == room.accusation.article.url
    ClaimRelation.objects.create(
        from_claim=again,
        to_claim=room.accusation,
        kind=RelationKind.REPEATS,
        created_by=room.researcher,
    )
    review = export_by_claim()[room.accusation.pk]
    assert review["itemReviewed"]["firstAppearance"]["url"] == "https://earlier.example/rama"
    # A claim that repeats another counts whatever its words.
    later_words = make_claim(
        author=room.researcher,
        article=ArticleFactory(url="https://first.example/", published=dt.date(2022, 9, 1)),
        statement="Tehran did not do it.",
        exact="Tehran rejected the accusation as baseless",
        claimant=room.denial.claimant,
    )
    approve(later_words, author=room.researcher, reviewer=room.reviewer)
    ClaimRelation.objects.create(
        from_claim=room.denial,
        to_claim=later_words,
        kind=RelationKind.REPEATS,
        created_by=room.researcher,
    )
    reviews, _ = export()
    first = reviews[room.denial.statement]["itemReviewed"]["firstAppearance"]
    assert first["url"] == "https://first.example/"


def test_a_long_summary_is_exported_with_a_warning(room):
    long = "The Iranian state carried out the July and September 2022 cyberattacks on Albania."
    claim = make_claim(
        author=room.researcher, article=room.accusation.article, exact="July", statement=long
    )
    approve(claim, author=room.researcher, reviewer=room.reviewer)
    reviews, err = export()
    assert long in reviews
    assert f"warning: claim {claim.pk}: claimReviewed has {len(long)} characters" in err
