"""A partner's path over real HTTP against `live_server`: get a token, page through
verified claims, download an export."""

from __future__ import annotations

import csv
import http.client
import io
import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from annotations.services.claims import claim_submit
from annotations.services.reviews import review_decide
from tests.factories import ActorFactory, ArticleFactory, UserFactory, make_claim

# The flush after each test takes the role groups; tests/conftest.py brings them back.
pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery"


@pytest.fixture
def approved(transactional_db):
    author = UserFactory(username="live-researcher", roles=["researcher"])
    reviewer = UserFactory(username="live-reviewer", roles=["reviewer"])
    UserFactory(username="partner", roles=["manager"])
    claims = []
    for _ in range(3):
        claim = make_claim(author=author, article=ArticleFactory(), claimant=ActorFactory())
        claim = claim_submit(user=author, claim_id=claim.pk, version=claim.version)
        claims.append(
            review_decide(
                user=reviewer,
                claim_id=claim.pk,
                version=claim.version,
                decision="approve",
                rating_value=4,
                rating_label="Mostly true",
            )
        )
    make_claim(author=author)  # a draft, never shown to the partner
    return claims


def request(live_server, path, *, token=None, data=None, headers=None):
    url = live_server.url + path
    body = json.dumps(data).encode() if data is not None else None
    all_headers = {"Accept": "application/json", **(headers or {})}
    if body is not None:
        all_headers["Content-Type"] = "application/json"
    if token:
        all_headers["Authorization"] = f"Token {token}"
    return urllib.request.urlopen(
        urllib.request.Request(url, data=body, headers=all_headers), timeout=30
    )


def get_token(live_server) -> str:
    with request(
        live_server, "/api/v1/auth/token/", data={"username": "partner", "password": PASSWORD}
    ) as response:
        assert response.status == 200
        return json.load(response)["token"]


def test_partner_gets_a_token_and_pages_through_verified_claims(live_server, approved):
    token = get_token(live_server)
    seen, path = [], "/api/v1/claims/?status=approved&page_size=2"
    while path:
        with request(live_server, path, token=token) as response:
            assert response.status == 200
            page = json.load(response)
        seen += [claim["id"] for claim in page["results"]]
        path = (
            page["next"]
            and urllib.parse.urlsplit(page["next"])._replace(scheme="", netloc="").geturl()
        )
    assert sorted(seen) == sorted(claim.pk for claim in approved)


def test_without_a_token_the_answer_is_401(live_server, approved):
    with pytest.raises(urllib.error.HTTPError) as error:
        request(live_server, "/api/v1/claims/")
    assert error.value.code == 401
    assert error.value.headers["WWW-Authenticate"] == "Token"
    assert json.load(error.value)["code"] == "not_authenticated"


def test_export_downloads_over_http(live_server, approved):
    token = get_token(live_server)
    host, port = urllib.parse.urlsplit(live_server.url).netloc.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request(
            "GET",
            "/api/v1/export/claims/?format=csv",
            headers={"Authorization": f"Token {token}"},
        )
        response = connection.getresponse()
        assert response.status == 200
        assert response.getheader("Content-Type") == "text/csv; charset=utf-8"
        assert response.getheader("Content-Length") is None  # streamed
        body = b""
        while piece := response.read(1024):
            body += piece
    finally:
        connection.close()
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    assert sorted(int(row["id"]) for row in rows) == sorted(claim.pk for claim in approved)
    assert {row["rating_label"] for row in rows} == {"Mostly true"}


def test_annotation_container_over_http(live_server, approved):
    token = get_token(live_server)
    with request(
        live_server,
        "/api/v1/annotations/",
        token=token,
        headers={"Accept": 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'},
    ) as response:
        assert response.headers["Content-Type"].startswith("application/ld+json")
        assert "BasicContainer" in response.headers["Link"]
        assert response.headers["ETag"]
        body = json.load(response)
    assert body["total"] == 3
    assert response.headers["Content-Location"] == body["id"]
