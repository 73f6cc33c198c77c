"""The article list under a search (`q`): counted up to the search's limit, said so in
`count_capped`, the pages stopping there; without `q`, the exact count."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import Article
from search.selectors import SearchPaginator
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_matches(researcher):
    for number in range(5):
        ArticleFactory(title=f"Zephyrine report {number}")
    ArticleFactory(title="Weather")


def test_a_search_past_the_limit_is_capped_and_says_so(
    as_user, researcher, five_matches, monkeypatch
):
    monkeypatch.setattr(SearchPaginator, "limit", 3)
    client = as_user(researcher)
    body = client.get(reverse("v1:article-list"), {"q": "zephyrine", "page_size": 2}).json()
    assert body["count"] == 3 and body["count_capped"] is True
    assert len(body["results"]) == 2 and body["next"]
    last = client.get(body["next"]).json()
    assert len(last["results"]) == 1 and last["next"] is None
    past = client.get(reverse("v1:article-list"), {"q": "zephyrine", "page_size": 2, "page": 3})
    assert past.status_code == 404


def test_under_the_limit_the_count_is_exact(as_user, researcher, five_matches):
    client = as_user(researcher)
    body = client.get(reverse("v1:article-list"), {"q": "zephyrine"}).json()
    assert body["count"] == 5 and body["count_capped"] is False
    everything = client.get(reverse("v1:article-list")).json()
    assert everything["count"] == Article.objects.count() > 5
    assert everything["count_capped"] is False


def test_a_list_that_does_not_search_ignores_q(as_user, researcher, monkeypatch):
    """`q` caps the count of the lists that search with it, not of the others."""
    from annotations.services.claims import claim_submit
    from tests.factories import make_claim

    monkeypatch.setattr(SearchPaginator, "limit", 1)
    claim = make_claim(author=researcher)
    claim_submit(user=researcher, claim_id=claim.pk, version=claim.version)
    body = as_user(researcher).get(reverse("v1:claim-events", args=[claim.pk]), {"q": "x"}).json()
    assert body["count"] == 2 and body["count_capped"] is False
