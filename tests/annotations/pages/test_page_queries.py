"""The pages the benchmark measures besides the reader and the lists, each reading the
same number of queries when the desk's claims double: the export page (empty, counting
JSON Lines, ClaimReview, and filtered), the desk's project page and the project list, a
claim's page, an article's revisions, and a review decision from the queue as its
script sends it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.services.claims import claim_submit
from annotations.services.reviews import review_decide
from tests.factories import main_desk, make_claim

pytestmark = pytest.mark.django_db


def grow(researcher, reviewer, article, iran, n: int) -> list:
    """`n` claims naming Iran: approved and rated, approved unrated, awaiting review."""
    made = []
    for number in range(n):
        claim = make_claim(author=researcher, article=article, actors=[(iran, "accused")])
        claim = claim_submit(user=researcher, claim_id=claim.pk, version=claim.version)
        if number % 3 != 2:
            claim = review_decide(
                user=reviewer,
                claim_id=claim.pk,
                version=claim.version,
                decision="approve",
                rating_value=2 if number % 3 == 0 else None,
                rating_label="Mostly false" if number % 3 == 0 else "",
            )
        made.append(claim)
    return made


def queries(client, method: str, path: str, **kwargs) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(path, **kwargs)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured)


@pytest.mark.parametrize(
    "path",
    [
        "/export/",
        "/export/?format=jsonl",
        "/export/?format=claimreview",
        "/export/?format=csv&status=submitted&actor={iran}",
        "/projects/{desk}/",
        "/projects/",
        "/claims/{claim}/",
        "/articles/{article}/revisions/",
    ],
)
def test_a_page_reads_the_same_queries_when_the_claims_double(
    client, researcher, reviewer, article, iran, path
):
    first = grow(researcher, reviewer, article, iran, 3)[0]
    url = path.format(iran=iran.pk, desk=main_desk().slug, claim=first.pk, article=article.pk)
    client.force_login(researcher)
    client.get(url)  # warm: the session, the registry's version
    few = queries(client, "get", url)
    grow(researcher, reviewer, article, iran, 6)
    assert queries(client, "get", url) == few


def test_a_review_decision_reads_the_same_queries_when_the_queue_doubles(
    client, researcher, reviewer, article, iran
):
    def waiting(n):
        made = []
        for _ in range(n):
            claim = make_claim(author=researcher, article=article, actors=[(iran, "accused")])
            made.append(claim_submit(user=researcher, claim_id=claim.pk, version=claim.version))
        return made

    client.force_login(reviewer)
    queue = waiting(4)

    def decide(claim) -> int:
        return queries(
            client,
            "post",
            reverse("review_decide", args=[claim.pk]),
            data={"version": claim.version, "decision": "request_changes", "comment": "Why?"},
            HTTP_ACCEPT="application/json",
        )

    decide(queue[0])  # warm
    few = decide(queue[1])
    queue += waiting(8)
    assert decide(queue[2]) == few
