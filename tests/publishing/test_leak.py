"""Nothing private reaches the public: every private field of the demo holds a marker,
and no public page, feed or anonymous annotation answer contains one.

Private are: the claims' notes, the notes of their sources, review comments and
reviewers' own rating words (the published verdict is the desk's scale), the registry's
notes and descriptions, the desks' descriptions and guidelines, the articles' raw
imports and bylines, revision notes, everything about the desk's people (names,
e-mails), and whatever is not published: the statements of drafts and of claims
submitted, rejected or sent back.
"""

from __future__ import annotations

import io
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from annotations.models import Actor, Claim, ClaimSource, ClaimStatus, Review
from annotations.services.reviews import review_decide
from articles.models import Article, ArticleRevision, Source
from projects.models import Project
from publishing.services import claim_publish

pytestmark = pytest.mark.django_db

MARKER = "ZQXLEAK"


def _fill_private_fields() -> None:
    Claim.objects.update(note=f"{MARKER}-claim-note")
    ClaimSource.objects.update(note=f"{MARKER}-link-note")
    Review.objects.update(comment=f"{MARKER}-review-comment")
    Review.objects.exclude(rating_label="").update(rating_label=f"{MARKER}-rating-label")
    Source.objects.update(notes=f"{MARKER}-source-notes")
    Actor.objects.update(description=f"{MARKER}-actor-description")
    Project.objects.update(
        description=f"{MARKER}-desk-description", guidelines=f"{MARKER}-guidelines"
    )
    Article.objects.update(raw=f"{MARKER}-raw", byline=f"{MARKER}-byline")
    ArticleRevision.objects.update(note=f"{MARKER}-revision-note")
    for user in get_user_model().objects.all():
        user.first_name = f"{MARKER}-first"
        user.last_name = f"{MARKER}-last"
        user.email = f"{MARKER.lower()}-{user.pk}@example.org"
        user.save()
    unpublished = Claim.objects.exclude(status=ClaimStatus.APPROVED)
    for claim in unpublished:
        Claim.objects.filter(pk=claim.pk).update(statement=f"{MARKER}-unpublished-{claim.pk}")


def _demo_published():
    """The demo, its denial approved with a rating, every approved rated claim of Main
    desk published by its editor (edith), then the markers written."""
    call_command("seed_demo", stdout=io.StringIO())
    User = get_user_model()
    denial = Claim.objects.get(exact="Tehran rejected the accusation")
    review_decide(
        user=User.objects.get(username="victor"),
        claim_id=denial.pk,
        version=denial.version,
        decision="approve",
        rating_value=2,
        rating_label="Contradicted by the investigation",
        comment="Private: the spokesman's exact words are not on record.",
    )
    _fill_private_fields()
    edith = User.objects.get(username="edith")
    published = []
    main = Project.objects.get(slug="main")
    for claim in Claim.objects.filter(project=main, status=ClaimStatus.APPROVED):
        if not claim.reviews.exclude(rating_value=None).exists():
            continue
        claim_publish(user=edith, claim_id=claim.pk, version=claim.version, explanation="Checked.")
        published.append(claim)
    assert len(published) >= 2
    return main, published


def _public_answers(client, main, published) -> dict[str, str]:
    answers = {}
    urls = [
        reverse("public_desk", args=[main.slug]),
        reverse("public_feed_jsonld", args=[main.slug]),
        reverse("public_feed_atom", args=[main.slug]),
        reverse("v1:project-annotation-list", args=[main.pk]),
        reverse("v1:project-annotation-list", args=[main.pk]) + "?page=1",
        reverse("v1:project-annotation-list", args=[main.pk]) + "?iris=1",
    ]
    for claim in published:
        urls += [
            reverse("public_review", args=[claim.pk]),
            reverse("v1:annotation-detail", args=[claim.pk]),
        ]
    for claim in Claim.objects.all():  # what is not published answers nothing
        urls.append(reverse("public_review", args=[claim.pk]))
        urls.append(reverse("v1:annotation-detail", args=[claim.pk]))
    for project in Project.objects.all():
        urls.append(reverse("v1:project-annotation-list", args=[project.pk]))
        urls.append(reverse("public_desk", args=[project.slug]))
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 401, 404), url
        answers[url] = response.content.decode() + json.dumps(dict(response.headers))
    return answers


def test_no_marker_reaches_a_public_answer(anon):
    main, published = _demo_published()
    answers = _public_answers(anon, main, published)
    # The public pages did show the published reviews...
    page = answers[reverse("public_review", args=[published[0].pk])]
    assert published[0].statement in page
    # ...and nothing private.
    leaks = {
        url: re.findall(rf"{MARKER}[\w-]*", text, re.IGNORECASE) for url, text in answers.items()
    }
    assert {url: found for url, found in leaks.items() if found} == {}
    # Nor the names of the desk's people.
    for text in answers.values():
        for username in ("rita", "oscar", "vera", "victor", "edith", "bora", "admin"):
            assert f'"{username}"' not in text and f">{username}<" not in text
