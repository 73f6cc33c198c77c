"""The reader sends its claim list's first claims with the page and the rest on request,
so that an article with a thousand claims is readable as soon as its text is."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import Project
from tests.factories import ArticleFactory, UserFactory, make_claim
from tests.projects.conftest import member

PASSAGES = [
    "Edi Rama said on Wednesday",
    "an investigation had shown",
    "the July cyberattacks",
    "Tehran rejected the accusation",
    "Washington announced sanctions",
]


@pytest.fixture
def article(researcher):
    article = ArticleFactory()
    for exact in PASSAGES:
        make_claim(author=researcher, article=article, exact=exact, statement=f"About {exact}.")
    return article


@pytest.fixture
def first_two(monkeypatch):
    monkeypatch.setattr("annotations.views.articles.CLAIMS_LISTED_FIRST", 2)


def listed_numbers(html: str) -> list[str]:
    return re.findall(r'<a class="claim-num [^"]*"[^>]*>(\d+)</a>', html)


def fragment_url(article, start: int) -> str:
    return f"{reverse('article_claim_list', args=[article.pk])}?from={start}"


def test_the_page_lists_the_first_claims_and_says_where_the_rest_are(
    client, researcher, article, first_two
):
    client.force_login(researcher)
    html = client.get(reverse("article_reader", args=[article.pk])).content.decode()
    assert listed_numbers(html) == ["1", "2"]
    assert 'data-testid="claim-count">5<' in html
    assert f'data-url="{fragment_url(article, 2)}"' in html
    assert "Show the other 3 claims" in html
    # Every passage is still drawn in the text, whatever the list holds.
    assert len(set(re.findall(r'id="passage-(\d+)"', html))) == 5


def test_the_rest_of_the_list_continues_the_numbering(client, researcher, article, first_two):
    client.force_login(researcher)
    response = client.get(fragment_url(article, 2))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    html = response.content.decode()
    assert listed_numbers(html) == ["3", "4", "5"]
    assert "About Tehran rejected the accusation." in html
    assert "claim-list-more" not in html


@pytest.mark.parametrize("query", ["?claims=all", "?claim={pk}"])
def test_a_link_to_one_claim_or_to_the_whole_list_gets_every_claim(
    client, researcher, article, first_two, query
):
    last = article.claims.order_by("-start").first()
    client.force_login(researcher)
    url = reverse("article_reader", args=[article.pk]) + query.format(pk=last.pk)
    html = client.get(url).content.decode()
    assert listed_numbers(html) == ["1", "2", "3", "4", "5"]
    assert "claim-list-more" not in html


def test_a_short_list_comes_whole_with_the_page(client, researcher, article):
    client.force_login(researcher)
    html = client.get(reverse("article_reader", args=[article.pk])).content.decode()
    assert listed_numbers(html) == ["1", "2", "3", "4", "5"]
    assert "claim-list-more" not in html


def test_another_desks_article_is_not_found_and_a_bad_start_is_refused(client, researcher, article):
    elsewhere = Project.objects.create(name="Balkans", slug="balkans")
    outsider = UserFactory(username="balkan")
    member(elsewhere, outsider, "researcher")
    client.force_login(outsider)
    assert client.get(fragment_url(article, 0)).status_code == 404
    client.force_login(researcher)
    response = client.get(f"{reverse('article_claim_list', args=[article.pk])}?from=abc")
    assert response.status_code == 400


def test_the_rest_of_the_list_costs_the_same_queries_when_claims_double(client, researcher):
    def queries(n: int) -> int:
        article = ArticleFactory()
        for exact in PASSAGES[:n]:
            make_claim(author=researcher, article=article, exact=exact)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(fragment_url(article, 0)).status_code == 200
        return len(captured)

    client.force_login(researcher)
    client.get(reverse("article_list"))  # the session and the user, read once
    assert queries(2) == queries(4)
