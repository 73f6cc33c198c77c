"""Limits with clear answers: sizes are bounded (413, or 400 naming the field), and bad
input is a 400 that names the field, never a 500."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from annotations.models import Actor, Claim
from tests.factories import ARTICLE_TEXT, ActorFactory, ArticleFactory, SourceFactory

QUOTE = "the Iranian state was behind the July cyberattacks"
START = ARTICLE_TEXT.index(QUOTE)
HUGE = 10**30


@pytest.fixture
def api(researcher):
    client = APIClient()
    client.force_authenticate(researcher)
    return client


@pytest.fixture
def page(researcher):
    client = Client()
    client.force_login(researcher)
    return client


def send(client, method: str, url: str, body) -> object:
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.generic(method, url, data, content_type="application/json")


def assert_names_field(response, field: str | None, code: str | None = None):
    assert response.status_code == 400, (response.status_code, response.content[:300])
    body = response.json()
    assert body["code"] == (code or "invalid") or code is None, body
    if field is not None:
        fields = [error["field"] for error in body["errors"]]
        assert any(f == field or (f or "").startswith(field + ".") for f in fields), body
        assert body["detail"], body


# -- request bodies ------------------------------------------------------------------------


def test_api_body_above_the_limit_is_413_json(api, settings, quiet_request_log):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = send(api, "POST", reverse("v1:source-list"), {"name": "x" * 20_000})
    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "too_large"
    assert body["limit"] == 10_000 and body["detail"]


def test_page_body_above_the_limit_is_a_clean_413_page(page, settings, quiet_request_log):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = page.post(reverse("source_create"), {"name": "x" * 20_000, "kind": "outlet"})
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert b"Too large" in response.content
    assert "Content-Security-Policy" in response


def test_a_script_asking_for_json_gets_json(reviewer, submitted_claim, settings, quiet_request_log):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    page = Client()
    page.force_login(reviewer)
    response = page.post(
        reverse("review_decide", args=[submitted_claim.pk]),
        {"comment": "x" * 20_000},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_many_form_fields_under_the_byte_limit_are_refused_too(page, settings, quiet_request_log):
    # Field bytes counted while parsing a multipart body (no Content-Length shortcut).
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    settings.MAX_UPLOAD_SIZE = 1_000_000
    upload = SimpleUploadedFile("a.txt", b"Title\n\nText.", content_type="text/plain")
    response = page.post(reverse("article_import"), {"text": "y" * 20_000, "upload": upload})
    assert response.status_code == 413


def test_an_upload_above_the_limit_is_413(page, settings, quiet_request_log):
    settings.MAX_UPLOAD_SIZE = 50_000
    upload = SimpleUploadedFile("big.txt", b"word " * 20_000, content_type="text/plain")
    response = page.post(reverse("article_import"), {"upload": upload})
    assert response.status_code == 413
    assert b"An upload may hold at most" in response.content


def test_an_upload_under_the_limit_is_read(page):
    upload = SimpleUploadedFile("small.txt", b"A headline\n\nSome text.", content_type="text/plain")
    response = page.post(reverse("article_import"), {"upload": upload})
    assert response.status_code == 200


# -- sizes of what is stored ---------------------------------------------------------------


def test_an_article_longer_than_the_limit_is_refused_with_the_field(api, page, settings):
    settings.MAX_ARTICLE_LENGTH = 1_000
    response = send(api, "POST", reverse("v1:article-list"), {"title": "T", "text": "w " * 800})
    assert_names_field(response, "text")
    article = ArticleFactory()
    response = send(
        api, "PATCH", reverse("v1:article-detail", args=[article.pk]), {"text": "w " * 800}
    )
    assert_names_field(response, "text")
    response = page.post(
        reverse("article_import"), {"title": "T", "text": "w " * 800, "intent": "preview"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors.get("text")


def test_too_many_actors_or_sources_on_a_claim_are_refused(api, settings):
    settings.MAX_LINKS_PER_CLAIM = 3
    article, claimant = ArticleFactory(), ActorFactory()
    actors = [{"actor": ActorFactory().pk, "role": "mentioned"} for _ in range(4)]
    sources = [{"source": SourceFactory().pk} for _ in range(4)]
    base = {
        "article": article.pk,
        "start": START,
        "end": START + len(QUOTE),
        "exact": QUOTE,
        "statement": "S",
        "claimant": claimant.pk,
        "certainty": "asserted",
    }
    assert_names_field(
        send(api, "POST", reverse("v1:claim-list"), {**base, "actors": actors}), "actors"
    )
    assert_names_field(
        send(api, "POST", reverse("v1:claim-list"), {**base, "sources": sources}), "sources"
    )
    assert not Claim.objects.exists()


def test_too_many_actors_on_the_claim_form_are_refused(page, settings):
    settings.MAX_LINKS_PER_CLAIM = 3
    article, claimant = ArticleFactory(), ActorFactory()
    extra = [ActorFactory() for _ in range(4)]
    response = page.post(
        reverse("claim_create", args=[article.pk]),
        {
            "revision": article.revisions.get().pk,
            "start": START,
            "end": START + len(QUOTE),
            "exact": QUOTE,
            "statement": "S",
            "claimant": claimant.pk,
            "certainty": "asserted",
            "actor": [a.pk for a in extra],
            "actor_label": [a.name for a in extra],
            "role": ["mentioned"] * 4,
        },
    )
    assert response.status_code == 200
    assert not Claim.objects.exists()


@pytest.mark.parametrize("size", ["1000000", str(HUGE), "-5", "0", "abc"])
def test_page_sizes_are_capped(api, size):
    Actor.objects.bulk_create(
        Actor(name=f"Actor {n:03}", folded=f"actor {n:03}") for n in range(230)
    )
    response = api.get(reverse("v1:actor-list"), {"page_size": size})
    assert response.status_code == 200
    assert 0 < len(response.json()["results"]) <= 200


def test_claim_page_sizes_are_capped(api, researcher):
    from tests.factories import make_claim

    claim = make_claim(author=researcher)
    fields = {
        f.attname: getattr(claim, f.attname)
        for f in Claim._meta.concrete_fields
        if not f.primary_key
    }
    Claim.objects.bulk_create(Claim(**fields) for _ in range(210))
    response = api.get(reverse("v1:claim-list"), {"page_size": HUGE})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 200


# -- bad input: a 400 that names the field -------------------------------------------------


def _claim_body(on_article, by_claimant, **changes):
    article, claimant = on_article, by_claimant
    body = {
        "article": article.pk,
        "start": START,
        "end": START + len(QUOTE),
        "exact": QUOTE,
        "statement": "Iran did it.",
        "claimant": claimant.pk,
        "certainty": "asserted",
    }
    body.update(changes)
    return body


CLAIM_CASES = {
    "wrong-type-start": ({"start": "abc"}, "start"),
    "float-start": ({"start": 1.5}, "start"),
    "huge-start": ({"start": HUGE}, "start"),
    "huge-end": ({"end": HUGE}, "end"),
    "negative-start": ({"start": -1}, "start"),
    "start-beyond-text": ({"start": 100_000, "end": 100_005}, "start"),
    "end-beyond-text": ({"end": 100_000}, "end"),
    "quote-mismatch": ({"exact": "something else entirely"}, "exact"),
    "nul-in-statement": ({"statement": "Iran\x00 did it"}, "statement"),
    "nul-in-exact": ({"exact": QUOTE[:-1] + "\x00"}, "exact"),
    "nul-in-note": ({"note": "\x00"}, "note"),
    "huge-claimant": ({"claimant": HUGE}, "claimant"),
    "string-claimant": ({"claimant": "Iran"}, "claimant"),
    "unknown-article": ({"article": 2**40}, "article"),
    "bad-certainty": ({"certainty": "certain"}, "certainty"),
    "actors-not-a-list": ({"actors": "Iran"}, "actors"),
    "actor-id-wrong-type": ({"actors": [{"actor": "x", "role": "accused"}]}, "actors"),
    "actor-id-huge": ({"actors": [{"actor": HUGE, "role": "accused"}]}, "actors"),
    "actor-role-unknown": ({"actors": [{"actor": "CLAIMANT", "role": "villain"}]}, "actors"),
    "source-locator-nul": ({"sources": [{"source": "SOURCE", "locator": "\x00"}]}, "sources"),
    "statement-too-long": ({"statement": "s" * 50_000}, "statement"),
}


def fill(value, ids: dict):
    """The case with its placeholders replaced by the ids of objects made for it."""
    if isinstance(value, dict):
        return {key: fill(item, ids) for key, item in value.items()}
    if isinstance(value, list):
        return [fill(item, ids) for item in value]
    return ids.get(value, value) if isinstance(value, str) else value


@pytest.mark.parametrize("case", CLAIM_CASES, ids=list(CLAIM_CASES))
def test_bad_claim_input_is_400_naming_the_field(api, case):
    article, claimant, source = ArticleFactory(), ActorFactory(), SourceFactory()
    changes, field = CLAIM_CASES[case]
    changes = fill(changes, {"CLAIMANT": claimant.pk, "SOURCE": source.pk})
    response = send(
        api, "POST", reverse("v1:claim-list"), _claim_body(article, claimant, **changes)
    )
    assert_names_field(response, field, code=None)
    assert not Claim.objects.exists()


MALFORMED_BODIES = {
    "truncated": '{"article": 1,',
    "not-an-object": "[1, 2, 3]",
    "a-string": '"claim"',
    "nan": '{"start": NaN}',
    "huge-literal": '{"start": ' + "9" * 5000 + "}",
    "deeply-nested": "[" * 100_000 + "]" * 100_000,
    "deeply-nested-objects": '{"a":' * 100_000 + "1" + "}" * 100_000,
    "bad-utf8": b'{"statement": "\xff\xfe"}',
}


@pytest.mark.parametrize("body", MALFORMED_BODIES, ids=list(MALFORMED_BODIES))
@pytest.mark.parametrize("endpoint", ["v1:claim-list", "v1:actor-list", "v1:article-list"])
def test_a_malformed_body_is_400(api, endpoint, body):
    response = send(api, "POST", reverse(endpoint), MALFORMED_BODIES[body])
    assert response.status_code == 400, response.content[:300]
    assert response.json()["code"] in ("parse_error", "invalid")


OTHER_CASES = [
    ("POST", "v1:actor-list", {"name": "Ira\x00n", "kind": "state"}, "name"),
    ("POST", "v1:actor-list", {"name": "Iran", "kind": "state", "aliases": ["\x00"]}, "aliases"),
    ("POST", "v1:actor-list", {"name": "Iran", "kind": "state", "aliases": "Tehran"}, "aliases"),
    (
        "POST",
        "v1:actor-list",
        {"name": "Iran", "kind": "state", "wikidata_id": "X1"},
        "wikidata_id",
    ),
    ("POST", "v1:actor-list", {"name": "Iran", "kind": "state", "parent": HUGE}, "parent"),
    ("POST", "v1:actor-list", {"name": "x" * 1000, "kind": "state"}, "name"),
    (
        "POST",
        "v1:source-list",
        {"name": "S", "kind": "outlet", "url": "javascript:alert(1)"},
        "url",
    ),
    ("POST", "v1:source-list", {"name": "S\x00", "kind": "outlet"}, "name"),
    ("POST", "v1:source-list", {"name": "S", "kind": "outlet", "notes": "\x00"}, "notes"),
    ("POST", "v1:article-list", {"title": "T\x00", "text": "Text."}, "title"),
    ("POST", "v1:article-list", {"title": "T", "text": "Te\x00xt."}, "text"),
    ("POST", "v1:article-list", {"title": "T", "text": "Text.", "url": "javascript:x"}, "url"),
    (
        "POST",
        "v1:article-list",
        {"title": "T", "text": "Text.", "published": "2022-13-45"},
        "published",
    ),
    ("POST", "v1:article-list", {"title": "T", "text": "Text.", "outlet": HUGE}, "outlet"),
]


@pytest.mark.parametrize(("method", "endpoint", "body", "field"), OTHER_CASES)
def test_bad_registry_and_article_input_is_400_naming_the_field(api, method, endpoint, body, field):
    response = send(api, method, reverse(endpoint), body)
    assert_names_field(response, field, code=None)


def test_bad_input_on_object_endpoints_is_400_naming_the_field(api, researcher, editor):
    from tests.factories import make_claim

    claim = make_claim(author=researcher)
    article = claim.article
    actor = ActorFactory()
    cases = [
        ("PATCH", reverse("v1:claim-detail", args=[claim.pk]), {"version": HUGE}, "version"),
        ("PATCH", reverse("v1:claim-detail", args=[claim.pk]), {"version": "one"}, "version"),
        (
            "PATCH",
            reverse("v1:claim-detail", args=[claim.pk]),
            {"version": 1, "start": -4},
            "start",
        ),
        ("POST", reverse("v1:claim-submit", args=[claim.pk]), {}, "version"),
        ("POST", reverse("v1:claim-submit", args=[claim.pk]), {"version": -1}, "version"),
        ("PATCH", reverse("v1:article-detail", args=[article.pk]), {"text": "\x00"}, "text"),
        (
            "PATCH",
            reverse("v1:article-detail", args=[article.pk]),
            {"text": "x", "revision": HUGE},
            "revision",
        ),
    ]
    for method, url, body, field in cases:
        assert_names_field(send(api, method, url, body), field, code=None)
    editing = APIClient()
    editing.force_authenticate(editor)
    for into in (HUGE, "Iran", -1):
        response = send(editing, "POST", reverse("v1:actor-merge", args=[actor.pk]), {"into": into})
        assert_names_field(response, "into", code=None)


def test_bad_review_input_is_400_naming_the_field(reviewer, submitted_claim):
    client = APIClient()
    client.force_authenticate(reviewer)
    url = reverse("v1:claim-review", args=[submitted_claim.pk])
    version = submitted_claim.version
    cases = [
        ({"version": version, "decision": "maybe"}, "decision"),
        ({"version": version, "decision": "approve", "rating_value": HUGE}, "rating_value"),
        (
            {"version": version, "decision": "reject", "reason": "other", "comment": "\x00"},
            "comment",
        ),
        ({"version": version, "decision": "reject"}, "reason"),
    ]
    for body, field in cases:
        assert_names_field(send(client, "POST", url, body), field, code=None)


# -- query strings: never a 500 ------------------------------------------------------------

QUERIES = [
    "/api/v1/claims/?q=%00",
    "/api/v1/claims/?status=%00",
    "/api/v1/claims/?actor=99999999999999999999999",
    "/api/v1/claims/?created_after=99999-99-99",
    "/api/v1/claims/?created_after=1636-08-18T17:06:46%2B17:18",
    "/api/v1/claims/?created_after=0001-01-01T00:00:00%2B01:00",
    "/api/v1/claims/?created_before=9999-12-31T23:59:59-01:00",
    "/api/v1/export/claims/?format=jsonl&reviewed_after=0001-01-01T00:00:00%2B05:00",
    "/api/v1/claims/?cursor=%00",
    "/api/v1/actors/?q=%00",
    "/api/v1/sources/?q=%00",
    "/api/v1/articles/?q=%00",
    "/api/v1/actors/?page=99999999999999999999",
    "/api/v1/claims/99999999999999999999999/",
    "/api/v1/annotations/?page=99999999999999999999",
    "/api/v1/export/claims/?format=csv&q=%00",
    "/api/v1/export/claims/?format=%00",
    "/?q=%00",
    "/?outlet=99999999999999999999999",
    "/?page=99999999999999999999999",
    "/actors/?q=%00",
    "/sources/?q=%00",
    "/claims/99999999999999999999999/",
    "/claims/orphaned/?article=99999999999999999999999",
    "/articles/ARTICLE/revisions/diff/?from=99999999999999999999999",
    "/articles/ARTICLE/revisions/diff/?to=%00",
    "/review/?focus=99999999999999999999999&page=%00",
    "/actors/suggest/?q=%00",
    "/actors/suggest/?article=ARTICLE&start=-1",
    "/actors/suggest/?article=ARTICLE&start=" + "9" * 5000,
    "/actors/ACTOR/merge/?into=99999999999999999999999",
]


@pytest.mark.parametrize("url", QUERIES)
def test_odd_query_strings_never_answer_500(superuser, url, quiet_request_log):
    article, actor = ArticleFactory(), ActorFactory()
    url = url.replace("ARTICLE", str(article.pk)).replace("ACTOR", str(actor.pk))
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    response = client.get(url)
    assert response.status_code < 500, response.status_code


@pytest.mark.parametrize("url", ["/api/v1/claims/?q=%00", "/?q=a%00b", "/sources/?q=%00"])
def test_a_nul_in_the_query_string_is_400_naming_the_parameter(superuser, url, quiet_request_log):
    client = Client()
    client.force_login(superuser)
    response = client.get(url, HTTP_ACCEPT="application/json")
    assert_names_field(response, "q", code=None)
    page = client.get(url.replace("q=", "outlet=1&q="))
    assert page.status_code == 400


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x"])
def test_script_urls_are_refused_by_the_page_forms(page, url):
    from articles.models import Source

    response = page.post(reverse("source_create"), {"name": "S", "kind": "outlet", "url": url})
    assert response.status_code == 200
    assert not Source.objects.filter(name="S").exists()
    response = page.post(
        reverse("article_import"), {"title": "T", "text": "Text.", "url": url, "intent": "preview"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors.get("url")
