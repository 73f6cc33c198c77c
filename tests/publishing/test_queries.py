"""No N+1 on the public side: pages, feeds and the public container answer in the same
number of queries when a desk's published reviews double."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_claim
from tests.publishing.helpers import approve, publish

pytestmark = pytest.mark.django_db

QUOTES = [
    "Albania's prime minister",
    "Edi Rama said on Wednesday",
    "an investigation had shown",
    "government services",
    "Tehran rejected",
    "baseless",
    "never attacked Albania",
    "Washington announced sanctions",
]


def add_published(room, quotes):
    for quote in quotes:
        claim = make_claim(
            author=room.researcher,
            article=room.accusation.article,
            exact=quote,
            statement=f"Claim about {quote}.",
        )
        approve(claim, author=room.researcher, reviewer=room.reviewer)
        publish(claim, room.editor)


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


def test_public_answers_cost_the_same_for_twice_the_reviews(room, anon):
    urls = [
        reverse("public_desk", args=["main"]),
        reverse("public_feed_jsonld", args=["main"]),
        reverse("public_feed_atom", args=["main"]),
        reverse("v1:project-annotation-list", args=[room.accusation.project_id]),
    ]
    add_published(room, QUOTES[:4])
    before = [count(anon, url) for url in urls]
    add_published(room, QUOTES[4:])
    after = [count(anon, url) for url in urls]
    assert after == before
