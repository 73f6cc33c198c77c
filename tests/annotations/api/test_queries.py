"""No N+1: every list answers in the same number of queries when its rows double."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.models import Actor, ActorAlias, ClaimEvent
from articles.models import Source
from tests.annotations.exports.builders import bulk_approved
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200, response.content[:500]
    return len(captured)


def add_claims(desk, researcher, reviewer, n):
    bulk_approved(
        n,
        article=desk.article,
        author=researcher,
        reviewer=reviewer,
        claimant=desk.rama,
        actors=[(desk.iran, "accused"), (desk.albania, "target")],
        sources=[(desk.outlet, "p. 1"), (desk.report, "")],
    )


def add_actors(desk, researcher, reviewer, n):
    actors = Actor.objects.bulk_create(
        Actor(name=f"Hacker group {i}", folded=f"hacker group {i}", kind="group", parent=desk.iran)
        for i in range(n)
    )
    ActorAlias.objects.bulk_create(
        ActorAlias(actor=actor, name=f"HG{actor.pk}", folded=f"hg{actor.pk}") for actor in actors
    )


def add_sources(desk, researcher, reviewer, n):
    Source.objects.bulk_create(Source(name=f"Report {i}", kind="document") for i in range(n))


def add_articles(desk, researcher, reviewer, n):
    for _ in range(n):
        article = ArticleFactory(outlet=desk.outlet)
        bulk_approved(1, article=article, author=researcher, reviewer=reviewer, claimant=desk.rama)


def add_events(desk, researcher, reviewer, n):
    claim = desk.claims["approved"]
    ClaimEvent.objects.bulk_create(
        ClaimEvent(claim_id=claim.pk, kind="edited", actor=researcher, version=3) for _ in range(n)
    )


LISTS = [
    ("claims", lambda d: reverse("v1:claim-list") + "?page_size=200", add_claims),
    (
        "claims-filtered",
        lambda d: reverse("v1:claim-list") + f"?actor={d.iran.pk}&q=Iranian",
        add_claims,
    ),
    ("actors", lambda d: reverse("v1:actor-list") + "?page_size=200", add_actors),
    ("actors-search", lambda d: reverse("v1:actor-list") + "?q=hacker", add_actors),
    ("sources", lambda d: reverse("v1:source-list") + "?page_size=200", add_sources),
    ("articles", lambda d: reverse("v1:article-list") + "?page_size=200", add_articles),
    (
        "events",
        lambda d: reverse("v1:claim-events", args=[d.claims["approved"].pk]) + "?page_size=200",
        add_events,
    ),
    ("annotations", lambda d: reverse("v1:annotation-list"), add_claims),
]


@pytest.mark.parametrize(("name", "url", "grow"), LISTS, ids=[name for name, _, _ in LISTS])
def test_list_queries_stay_the_same_when_rows_double(
    desk, as_user, researcher, reviewer, name, url, grow
):
    client = as_user(researcher)
    grow(desk, researcher, reviewer, 8)
    few = count(client, url(desk))
    grow(desk, researcher, reviewer, 8)
    many = count(client, url(desk))
    assert many == few, f"{name}: {few} queries for N rows, {many} for 2N"


def test_claim_list_query_budget(desk, as_user, researcher, reviewer, django_assert_num_queries):
    """The list reads the page, then actors, sources, reviews and relations of the whole
    page at once (plus the user's permissions and the throttle's cache row)."""
    add_claims(desk, researcher, reviewer, 20)
    client = as_user(researcher)
    client.get(reverse("v1:claim-list"))  # warm the throttle's cache row
    baseline = count(client, reverse("v1:claim-list"))
    with django_assert_num_queries(baseline):
        client.get(reverse("v1:claim-list") + "?page_size=100")
    assert baseline <= 11
