"""The article list: search, outlet filter, claim counts by status, pagination."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.services.claims import claim_submit
from tests.factories import ArticleFactory, SourceFactory, make_claim

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("article_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["researcher", "reviewer", "editor", "reader"])
def test_every_logged_in_role_reads_the_list(client, request, role):
    ArticleFactory(title="Albania cuts ties with Iran")
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("article_list"))
    assert response.status_code == 200
    assert "Albania cuts ties with Iran" in response.content.decode()


def test_search_matches_titles(client, researcher):
    ArticleFactory(title="Albania cuts ties with Iran")
    ArticleFactory(title="Weather in Tirana")
    client.force_login(researcher)
    response = client.get(reverse("article_list"), {"q": "ties"})
    page = response.content.decode()
    assert "Albania cuts ties with Iran" in page
    assert "Weather in Tirana" not in page


def test_outlet_filter_keeps_that_outlets_articles(client, researcher):
    outlet = SourceFactory(name="Foreign Policy")
    ArticleFactory(title="From the outlet", outlet=outlet)
    ArticleFactory(title="From elsewhere")
    client.force_login(researcher)
    response = client.get(reverse("article_list"), {"outlet": outlet.pk})
    page = response.content.decode()
    assert "From the outlet" in page
    assert "From elsewhere" not in page
    assert response.context["outlet"] == outlet


def test_counts_by_status_leave_out_other_peoples_drafts(
    client, researcher, other_researcher, article
):
    make_claim(author=researcher, article=article)
    theirs = make_claim(author=other_researcher, article=article, exact="Tehran rejected")
    make_claim(author=other_researcher, article=article, exact="Washington announced")
    claim_submit(user=other_researcher, claim_id=theirs.pk, version=theirs.version)
    client.force_login(researcher)
    response = client.get(reverse("article_list"))
    (row,) = response.context["rows"]
    counts = {status: count for status, _, count in row["counts"]}
    assert counts["draft"] == 1  # mine; Oscar's remaining draft is private
    assert counts["submitted"] == 1
    assert row["total"] == 2


def test_list_is_paginated(client, researcher):
    for number in range(30):
        ArticleFactory(title=f"Story {number:02d}")
    client.force_login(researcher)
    first = client.get(reverse("article_list"))
    second = client.get(reverse("article_list"), {"page": 2})
    assert len(first.context["rows"]) == 25
    assert len(second.context["rows"]) == 5
    assert 'rel="next"' in first.content.decode()


def test_pagination_keeps_the_filters(client, researcher):
    for number in range(30):
        ArticleFactory(title=f"Story {number:02d}")
    client.force_login(researcher)
    response = client.get(reverse("article_list"), {"q": "Story"})
    assert "q=Story&amp;page=2" in response.content.decode()


def test_query_count_stays_the_same_when_claims_double(
    client, researcher, django_assert_num_queries, rama
):
    articles = [ArticleFactory() for _ in range(3)]

    def add_claims():
        for article in articles:
            make_claim(author=researcher, article=article, claimant=rama)
            make_claim(author=researcher, article=article, claimant=rama, exact="Tehran")

    add_claims()
    client.force_login(researcher)
    url = reverse("article_list")
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    add_claims()
    with django_assert_num_queries(len(before.captured_queries)):
        response = client.get(url)
    assert sum(row["total"] for row in response.context["rows"]) == 12


@pytest.mark.parametrize("outlet", ["99999999999999999999999", "abc", "-1", "٣"])
def test_an_impossible_outlet_is_refused_naming_the_field(client, researcher, outlet):
    ArticleFactory(title="Any article")
    client.force_login(researcher)
    response = client.get(reverse("article_list"), {"outlet": outlet})
    assert response.status_code == 400
    assert "Any article" not in response.content.decode()
    assert "outlet" in response.content.decode()


def test_the_page_and_the_api_list_the_same_articles_with_the_same_counts(
    client, researcher, other_researcher, article
):
    from rest_framework.test import APIClient

    outlet = SourceFactory(name="Foreign Policy")
    ArticleFactory(title="Albania cuts ties with Iran", outlet=outlet)
    make_claim(author=researcher, article=article)
    theirs = make_claim(author=other_researcher, article=article, exact="Tehran rejected")
    claim_submit(user=other_researcher, claim_id=theirs.pk, version=theirs.version)
    make_claim(author=other_researcher, article=article, exact="Washington announced")
    client.force_login(researcher)
    api = APIClient()
    api.force_authenticate(researcher)

    for params in ({}, {"q": "ties"}, {"outlet": outlet.pk}):
        rows = client.get(reverse("article_list"), params).context["rows"]
        results = api.get(reverse("v1:article-list"), params).json()["results"]
        assert [row["article"].pk for row in rows] == [a["id"] for a in results]
        for row, answer in zip(rows, results, strict=True):
            page_counts = {status: count for status, _, count in row["counts"]}
            assert page_counts == answer["claim_counts"]
    assert results[0]["claim_counts"]["draft"] == 0
    everything = client.get(reverse("article_list")).context["rows"]
    assert {status: n for status, _, n in everything[-1]["counts"]}["draft"] == 1


def test_a_search_past_the_limit_is_counted_up_to_it_and_says_so(client, researcher, monkeypatch):
    """The page counts a search's matches as the API does: up to the search's limit."""
    from search.selectors import SearchPaginator

    for number in range(4):
        ArticleFactory(title=f"Zephyrine report {number}")
    client.force_login(researcher)
    monkeypatch.setattr(SearchPaginator, "limit", 3)
    page = client.get(reverse("article_list"), {"q": "zephyrine"})
    count = page.content.decode().split('data-testid="article-count">')[1].split("</p>")[0]
    assert count.startswith("3+ articles matching")
    assert "add a word to narrow the search" in count
    monkeypatch.setattr(SearchPaginator, "limit", 10)
    page = client.get(reverse("article_list"), {"q": "zephyrine"})
    count = page.content.decode().split('data-testid="article-count">')[1].split("</p>")[0]
    assert count.startswith("4 articles matching") and "narrow" not in count
