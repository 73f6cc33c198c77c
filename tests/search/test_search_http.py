"""Searching through the API over real HTTP, with a token: `q` on the claim and article
lists, an alias, a phrase, a query that is no valid syntax anywhere."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest

from tests.factories import ActorFactory, ArticleFactory, UserFactory, make_claim

# The flush after each test takes the role groups; tests/conftest.py brings them back.
pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery"
BODY = (
    "Nasser Kanaani, speaking for the foreign ministry, rejected the accusation.\n\n"
    "Edi Rama said an investigation had shown the Iranian state was behind the cyberattacks."
)


def get(live_server, path, params, token):
    url = f"{live_server.url}{path}?{urllib.parse.urlencode(params)}"
    headers = {"Accept": "application/json", "Authorization": f"Token {token}"}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as r:
        assert r.status == 200
        return [row["id"] for row in json.load(r)["results"]]


def test_q_searches_over_http(live_server):
    writer = UserFactory(username="http-writer", roles=["researcher"])
    iran = ActorFactory(name="Iran", kind="state", aliases=["Tehran"])
    article = ArticleFactory(title="Albania cuts ties", text=BODY)
    ArticleFactory(title="Weather", text="Rain all week.")
    claim = make_claim(
        author=writer,
        article=article,
        exact="rejected the accusation",
        statement="The foreign ministry denies it.",
        claimant=iran,
    )
    body = json.dumps({"username": "http-writer", "password": PASSWORD}).encode()
    request = urllib.request.Request(
        live_server.url + "/api/v1/auth/token/",
        data=body,
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        token = json.load(response)["token"]

    assert get(live_server, "/api/v1/articles/", {"q": "Kanaani"}, token) == [article.pk]
    assert get(live_server, "/api/v1/claims/", {"q": "Tehran"}, token) == [claim.pk]
    assert get(live_server, "/api/v1/claims/", {"q": '"rejected the accusation"'}, token) == [
        claim.pk
    ]
    assert get(live_server, "/api/v1/claims/", {"q": 'NOT ("'}, token) == []
