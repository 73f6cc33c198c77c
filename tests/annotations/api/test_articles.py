"""Articles and revisions through the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import Article
from tests.annotations.exports.builders import ACCUSATION
from tests.factories import ARTICLE_TEXT, ArticleFactory

pytestmark = pytest.mark.django_db


def error_fields(response) -> list[str]:
    return [error["field"] for error in response.json()["errors"]]


def article_url(article, name="article-detail") -> str:
    return reverse(f"v1:{name}", args=[article.pk])


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "article-list"),
        ("post", "article-list"),
        ("get", "article-detail"),
        ("patch", "article-detail"),
        ("get", "article-revision-list"),
    ],
)
def test_anonymous_is_asked_to_authenticate(desk, anon, method, name):
    args = [] if name == "article-list" else [desk.article.pk]
    assert getattr(anon, method)(reverse(f"v1:{name}", args=args), {}).status_code == 401


@pytest.mark.parametrize("who", ["researcher", "reviewer", "editor", "reader"])
def test_everyone_logged_in_reads_articles(desk, as_user, request, who):
    response = as_user(request.getfixturevalue(who)).get(reverse("v1:article-list"))
    assert response.status_code == 200
    item = response.json()["results"][0]
    assert item["title"] == "Albania cuts ties with Iran over cyberattacks"
    assert item["outlet"] == {
        "id": desk.outlet.pk,
        "name": "Foreign Policy",
        "url": "https://fp.example/",
    }
    assert item["revision"] == 1
    assert "text" not in item


def test_claim_counts_count_only_what_the_user_can_see(desk, as_user, researcher, reviewer):
    mine = as_user(researcher).get(reverse("v1:article-list")).json()["results"][0]
    assert mine["claim_counts"] == {
        "draft": 1,
        "submitted": 1,
        "changes_requested": 1,
        "approved": 2,
        "rejected": 1,
    }
    theirs = as_user(reviewer).get(article_url(desk.article)).json()
    assert theirs["claim_counts"]["draft"] == 0
    assert theirs["claim_counts"]["approved"] == 2


def test_article_search_and_outlet_filter(desk, as_user, reader):
    # The full-text search reads bodies too: this one names no Albania anywhere.
    ArticleFactory(title="Unrelated story about weather", text="Rain all week.")
    client = as_user(reader)
    titles = [
        a["title"] for a in client.get(reverse("v1:article-list") + "?q=ALBANIA").json()["results"]
    ]
    assert titles == ["Albania cuts ties with Iran over cyberattacks"]
    by_outlet = client.get(reverse("v1:article-list"), {"outlet": desk.outlet.pk}).json()["results"]
    assert [a["id"] for a in by_outlet] == [desk.article.pk]
    response = client.get(reverse("v1:article-list"), {"outlet": 2**40})
    assert response.status_code == 400
    assert error_fields(response) == ["outlet"]


def test_article_detail_has_the_text(desk, as_user, reader):
    body = as_user(reader).get(article_url(desk.article)).json()
    assert ACCUSATION in body["text"]
    assert body["published"] == "2022-09-07"


def test_unknown_article_is_not_found(as_user, reader):
    assert as_user(reader).get(reverse("v1:article-detail", args=[2**40])).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"), [("researcher", 201), ("editor", 201), ("reviewer", 403), ("reader", 403)]
)
def test_researchers_and_editors_create_articles(desk, as_user, request, who, status):
    response = as_user(request.getfixturevalue(who)).post(
        reverse("v1:article-list"),
        {
            "title": "Tehran denies role in Albania hack",
            "text": "Tehran denied it.\r\n\r\n\r\nIt said so twice.  ",
            "url": "https://news.example/denial",
            "outlet": desk.outlet.pk,
            "published": "2022-09-08",
            "byline": "A. Reporter",
        },
    )
    assert response.status_code == status
    if status == 201:
        body = response.json()
        assert body["text"] == "Tehran denied it.\n\nIt said so twice."
        assert body["revision"] == 1
        assert Article.objects.get(pk=body["id"]).raw.startswith("Tehran denied it.\r\n")


def test_duplicate_article_is_a_conflict(desk, as_user, researcher):
    response = as_user(researcher).post(
        reverse("v1:article-list"),
        {"title": "Again", "text": "Different text.", "url": "https://news.example/albania-iran"},
    )
    assert response.status_code == 409
    assert response.json()["code"] == "duplicate_article"
    assert error_fields(response) == ["url"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"text": "Some text."}, "title"),
        ({"title": "T", "text": "   "}, "text"),
        ({"title": "T", "text": "x", "outlet": 2**40}, "outlet"),
        ({"title": "T", "text": "x", "published": "yesterday"}, "published"),
        ({"title": "T", "text": "x", "url": "javascript:alert(1)"}, "url"),
    ],
)
def test_bad_article_input_names_the_field(as_user, researcher, payload, field):
    response = as_user(researcher).post(reverse("v1:article-list"), payload)
    assert response.status_code == 400, response.json()
    assert field in error_fields(response)


def test_new_text_makes_a_revision_and_reports_anchor_states(desk, as_user, researcher):
    text = ARTICLE_TEXT.replace("Edi Rama said", "Edi Rama told parliament") + "\n\nUpdate."
    response = as_user(researcher).patch(
        article_url(desk.article), {"text": text, "note": "Correction", "revision": 1}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["revision"] == 2
    assert body["text"] == text
    assert body["counts"] == {"anchored": 0, "moved": 7, "fuzzy": 0, "orphaned": 0}
    revisions = as_user(researcher).get(article_url(desk.article, "article-revision-list")).json()
    assert [r["number"] for r in revisions["results"]] == [1, 2]
    assert revisions["results"][1]["note"] == "Correction"
    assert revisions["results"][1]["author"]["username"] == "rita"


def test_text_based_on_an_old_revision_is_a_conflict(desk, as_user, researcher):
    response = as_user(researcher).patch(article_url(desk.article), {"text": "New.", "revision": 7})
    assert response.status_code == 409
    assert response.json()["code"] == "stale_version"


@pytest.mark.parametrize("who", ["reviewer", "reader"])
def test_only_researchers_and_editors_revise(desk, as_user, request, who):
    response = as_user(request.getfixturevalue(who)).patch(
        article_url(desk.article), {"text": "New."}
    )
    assert response.status_code == 403


def test_revision_with_its_text(desk, as_user, reader):
    response = as_user(reader).get(reverse("v1:article-revision-detail", args=[desk.article.pk, 1]))
    assert response.status_code == 200
    assert ACCUSATION in response.json()["text"]
    assert response.json()["number"] == 1
    missing = reverse("v1:article-revision-detail", args=[desk.article.pk, 9])
    assert as_user(reader).get(missing).status_code == 404


def test_revisions_of_an_unknown_article_are_not_found(as_user, reader):
    response = as_user(reader).get(reverse("v1:article-revision-list", args=[2**40]))
    assert response.status_code == 404


def test_anonymous_cannot_read_a_revision(desk, anon):
    url = reverse("v1:article-revision-detail", args=[desk.article.pk, 1])
    assert anon.get(url).status_code == 401
