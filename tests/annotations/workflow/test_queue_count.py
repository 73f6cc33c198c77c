"""The review queue is counted up to a limit: past it the pages say "N+" and hold the
oldest claims, so neither the badge nor the queue reads the whole backlog."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.selectors import claims as selectors
from annotations.services.claims import claim_submit
from annotations.views import reviews as review_views
from tests.factories import make_claim


@pytest.fixture
def limit_of_two(monkeypatch):
    monkeypatch.setattr(selectors, "QUEUE_COUNT_LIMIT", 2)
    monkeypatch.setattr(review_views, "QUEUE_COUNT_LIMIT", 2)


def _waiting(researcher, article, count):
    claims = []
    for _ in range(count):
        claim = make_claim(author=researcher, article=article)
        claims.append(claim_submit(user=researcher, claim_id=claim.pk, version=claim.version))
    return claims


def test_past_the_limit_the_count_says_more(client, limit_of_two, researcher, reviewer, article):
    _waiting(researcher, article, 4)
    assert selectors.review_queue_count(reviewer) == 3  # the limit and one more
    client.force_login(reviewer)
    response = client.get(reverse("review_queue"))
    assert response.context["nav"]["queue_count"] == "2+"
    html = response.content.decode()
    assert "<span data-queue-total>2+</span>" in html and "counted up to 2" in html
    # The pages hold the oldest claims up to the limit and one more.
    assert response.context["page_obj"].paginator.count == 3


def test_within_the_limit_the_count_is_exact(client, limit_of_two, researcher, reviewer, article):
    _waiting(researcher, article, 2)
    client.force_login(reviewer)
    response = client.get(reverse("review_queue"))
    assert response.context["nav"]["queue_count"] == "2"
    assert "counted up to" not in response.content.decode()


def test_counting_the_queue_costs_the_same_whatever_its_length(researcher, reviewer, article):
    def counted():
        with CaptureQueriesContext(connection) as captured:
            selectors.review_queue_count(reviewer)
        return len(captured)

    _waiting(researcher, article, 2)
    counted()  # a request reads the reviewer's memberships once, first
    few = counted()
    _waiting(researcher, article, 4)
    assert counted() == few
