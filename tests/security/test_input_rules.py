"""Bad input is refused at every door with a JSON error naming the field and a stable
code, or a form error, and nothing is written: characters no text may hold, keys an
endpoint does not know, whole numbers that are not JSON integers, and a database
integrity error a service let through."""

from __future__ import annotations

import json

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import ApiToken
from annotations.models import Actor, Claim, Review
from annotations.services.actors import actor_create
from annotations.services.claims import claim_submit
from articles.models import Article, Source
from claimdesk.errors import InvalidInput
from tests.factories import ARTICLE_TEXT, ActorFactory, ArticleFactory, SourceFactory, make_claim

pytestmark = pytest.mark.django_db

QUOTE = "the Iranian state was behind the July cyberattacks"
START = ARTICLE_TEXT.index(QUOTE)
NUL, SURROGATE = "\x00", "\ud800"
CODES = {NUL: "null_characters_not_allowed", SURROGATE: "surrogate_characters_not_allowed"}
CHARACTERS = pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "surrogate"])


def send(client, method: str, url: str, body):
    # json.dumps writes a lone surrogate as the escape `\ud800`, as a client's JSON would.
    return client.generic(method, url, json.dumps(body), content_type="application/json")


def refused(response, status: int = 400) -> set[tuple[str | None, str]]:
    """The (field, code) pairs of a JSON refusal, after checking its shape."""
    assert response.status_code == status, (response.status_code, response.content[:300])
    body = response.json()
    assert set(body) >= {"code", "detail", "errors"} and body["detail"], body
    return {(error["field"], error["code"]) for error in body["errors"]}


def form_refused(response) -> set[tuple[str | None, str]]:
    assert response.status_code == 200, response.status_code
    return {
        (None if field == "__all__" else field, error.code)
        for field, errors in response.context["form"].errors.as_data().items()
        for error in errors
    }


@pytest.fixture
def api(researcher):
    client = APIClient()
    client.force_authenticate(researcher)
    return client


@pytest.fixture
def editing(editor):
    client = APIClient()
    client.force_authenticate(editor)
    return client


def claim_body(on_article, by_claimant, **changes):
    return {
        "article": on_article.pk,
        "start": START,
        "end": START + len(QUOTE),
        "exact": QUOTE,
        "statement": "Iran did it.",
        "claimant": by_claimant.pk,
        "certainty": "asserted",
        **changes,
    }


# -- characters ----------------------------------------------------------------------------


@CHARACTERS
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"statement": "Iran{bad} did it."}, "statement"),
        ({"note": "a{bad}"}, "note"),
        ({"sources": [{"source": "SOURCE", "locator": "p.{bad}"}]}, "sources.0.locator"),
    ],
    ids=["statement", "note", "locator"],
)
def test_api_refuses_a_claim_text_holding_a_refused_character(api, bad, changes, field):
    article, claimant, source = ArticleFactory(), ActorFactory(), SourceFactory()
    changes = json.loads(json.dumps(changes).replace("{bad}", json.dumps(bad)[1:-1]))
    changes = json.loads(json.dumps(changes).replace('"SOURCE"', str(source.pk)))
    response = send(api, "POST", reverse("v1:claim-list"), claim_body(article, claimant, **changes))
    assert (field, CODES[bad]) in refused(response)
    assert not Claim.objects.exists()


@CHARACTERS
@pytest.mark.parametrize(
    ("endpoint", "body", "field"),
    [
        ("v1:actor-list", {"name": "Ira{bad}n", "kind": "state"}, "name"),
        ("v1:actor-list", {"name": "Iran", "kind": "state", "aliases": ["T{bad}"]}, "aliases.0"),
        ("v1:actor-list", {"name": "Iran", "kind": "state", "description": "{bad}"}, "description"),
        ("v1:source-list", {"name": "S", "kind": "outlet", "publisher": "{bad}"}, "publisher"),
        ("v1:article-list", {"title": "T{bad}", "text": "Text."}, "title"),
        ("v1:article-list", {"title": "T", "text": "Te{bad}xt."}, "text"),
        ("v1:article-list", {"title": "T", "text": "Text.", "byline": "{bad}"}, "byline"),
    ],
)
def test_api_refuses_registry_and_article_text_holding_a_refused_character(
    editing, bad, endpoint, body, field
):
    body = {
        key: [v.replace("{bad}", bad) for v in value]
        if isinstance(value, list)
        else value.replace("{bad}", bad)
        for key, value in body.items()
    }
    response = send(editing, "POST", reverse(endpoint), body)
    assert (field, CODES[bad]) in refused(response)
    assert not Actor.objects.exists() and not Source.objects.exists()
    assert not Article.objects.exists()


@CHARACTERS
def test_api_refuses_a_review_comment_holding_a_refused_character(reviewer, researcher, bad):
    claim = make_claim(author=researcher)
    claim = claim_submit(user=researcher, claim_id=claim.pk, version=claim.version)
    client = APIClient()
    client.force_authenticate(reviewer)
    response = send(
        client,
        "POST",
        reverse("v1:claim-review", args=[claim.pk]),
        {"version": claim.version, "decision": "request_changes", "comment": f"Fix{bad}"},
    )
    assert ("comment", CODES[bad]) in refused(response)
    assert not Review.objects.exists()


@CHARACTERS
def test_the_services_refuse_a_refused_character_whichever_door_calls_them(editor, bad):
    """The admin and the commands call the services with what they read: the services
    check, with the same code."""
    with pytest.raises(InvalidInput) as caught:
        actor_create(user=editor, name="Iran", kind="state", aliases=["Teh" + bad + "ran"])
    assert caught.value.errors == [
        {"field": "aliases", "code": CODES[bad], "detail": caught.value.errors[0]["detail"]}
    ]
    assert not Actor.objects.exists()


def test_the_claim_page_refuses_a_nul_in_a_typed_actor_name(researcher):
    """The rows of further actors and sources are read by hand, past the form fields: a
    NUL there is refused before a name is looked up (PostgreSQL cannot compare it)."""
    article, claimant = ArticleFactory(), ActorFactory()
    page = Client()
    page.force_login(researcher)
    data = {
        "revision": article.current_revision.pk,
        "start": START,
        "end": START + len(QUOTE),
        "exact": QUOTE,
        "statement": "Iran did it.",
        "claimant": claimant.pk,
        "certainty": "asserted",
        "actor_label": "Ir\x00an",
        "role": "accused",
        "source_label": "Reuters",
        "locator": "p.\x00",
        "intent": "save",
    }
    response = page.post(reverse("claim_create", args=[article.pk]), data)
    errors = form_refused(response)
    assert ("actors", CODES[NUL]) in errors
    assert ("sources", CODES[NUL]) in errors
    assert not Claim.objects.exists()


def test_the_source_page_refuses_a_nul_in_a_name(editor):
    page = Client()
    page.force_login(editor)
    response = page.post(reverse("source_create"), {"name": "Reu\x00ters", "kind": "outlet"})
    assert ("name", CODES[NUL]) in form_refused(response)
    assert not Source.objects.exists()


@pytest.mark.parametrize("url", ["/api/v1/claims/?q=a%00b", "/sources/?q%00=x"])
def test_a_query_string_holding_a_nul_is_refused_naming_the_parameter(superuser, url):
    client = Client()
    client.force_login(superuser)
    response = client.get(url, HTTP_ACCEPT="application/json")
    assert refused(response) == {("q", CODES[NUL])}


# -- unknown fields ------------------------------------------------------------------------


def test_an_unknown_field_in_a_new_claim_is_refused_and_nothing_is_made(api):
    article, claimant = ArticleFactory(), ActorFactory()
    body = claim_body(article, claimant, statment="Misspelt.", colour="red")
    response = send(api, "POST", reverse("v1:claim-list"), body)
    assert refused(response) == {("statment", "unknown_field"), ("colour", "unknown_field")}
    assert not Claim.objects.exists()


def test_an_unknown_field_is_reported_with_the_other_field_errors(api):
    article, claimant = ArticleFactory(), ActorFactory()
    body = claim_body(article, claimant, certainty="certain", colour="red")
    response = send(api, "POST", reverse("v1:claim-list"), body)
    assert refused(response) == {("certainty", "invalid_choice"), ("colour", "unknown_field")}


def test_an_unknown_field_in_a_patch_changes_nothing(api, researcher):
    claim = make_claim(author=researcher)
    body = {"version": claim.version, "statement": "New words.", "status": "approved"}
    response = send(api, "PATCH", reverse("v1:claim-detail", args=[claim.pk]), body)
    assert refused(response) == {("status", "unknown_field")}
    claim.refresh_from_db()
    assert claim.statement != "New words." and claim.version == 1


def test_an_unknown_field_in_a_link_is_named_with_its_place(api):
    article, claimant = ArticleFactory(), ActorFactory()
    link = {"actor": claimant.pk, "role": "accused", "weight": 3}
    body = claim_body(article, claimant, actors=[link])
    response = send(api, "POST", reverse("v1:claim-list"), body)
    assert refused(response) == {("actors.0.weight", "unknown_field")}


@pytest.mark.parametrize(
    ("endpoint", "body", "field"),
    [
        ("v1:actor-list", {"name": "Iran", "kind": "state", "alias": ["Tehran"]}, "alias"),
        ("v1:source-list", {"name": "S", "kind": "outlet", "id": 7}, "id"),
        ("v1:article-list", {"title": "T", "text": "Text.", "outlet_name": "X"}, "outlet_name"),
        ("v1:actor-list", {"name": "Iran", "kind": "state", "a\ud800": 1}, "a\\ud800"),
    ],
)
def test_an_unknown_field_is_refused_on_every_input(editing, endpoint, body, field):
    response = send(editing, "POST", reverse(endpoint), body)
    assert refused(response) == {(field, "unknown_field")}
    assert not Actor.objects.exists() and not Source.objects.exists()
    assert not Article.objects.exists()


def test_an_unknown_field_in_a_token_request_is_refused(researcher):
    body = {"username": researcher.username, "password": "x", "expires": 3}
    response = send(APIClient(), "POST", reverse("v1:auth-token"), body)
    assert ("expires", "unknown_field") in refused(response)
    assert not ApiToken.objects.exists()


# -- whole numbers -------------------------------------------------------------------------

NOT_WHOLE_NUMBERS = [1.5, 1.0, "1.0", "1", "12", True, "one", None, [1]]


@pytest.mark.parametrize("value", NOT_WHOLE_NUMBERS, ids=repr)
def test_a_version_that_is_not_a_json_integer_is_refused(api, researcher, value):
    claim = make_claim(author=researcher)
    body = {"version": value, "statement": "New words."}
    response = send(api, "PATCH", reverse("v1:claim-detail", args=[claim.pk]), body)
    assert {field for field, _ in refused(response)} == {"version"}
    claim.refresh_from_db()
    assert claim.statement != "New words."


@pytest.mark.parametrize("value", [1.5, "12", True, "1.0"], ids=repr)
@pytest.mark.parametrize("field", ["start", "end", "article", "claimant"])
def test_offsets_and_ids_that_are_not_json_integers_are_refused(api, field, value):
    article, claimant = ArticleFactory(), ActorFactory()
    response = send(
        api, "POST", reverse("v1:claim-list"), claim_body(article, claimant, **{field: value})
    )
    assert field in {name for name, _ in refused(response)}
    assert not Claim.objects.exists()


@pytest.mark.parametrize("value", [4.0, "4", True], ids=repr)
def test_a_rating_that_is_not_a_json_integer_is_refused(reviewer, submitted_claim, value):
    client = APIClient()
    client.force_authenticate(reviewer)
    body = {"version": submitted_claim.version, "decision": "approve", "rating_value": value}
    response = send(client, "POST", reverse("v1:claim-review", args=[submitted_claim.pk]), body)
    assert refused(response) == {("rating_value", "invalid")}
    assert not Review.objects.exists()


def test_a_form_encoded_body_still_gives_numbers_as_text(api, researcher):
    """Where every value is text (a form-encoded body), a version is read as the query
    strings read numbers: digits only."""
    claim = make_claim(author=researcher)
    url = reverse("v1:claim-submit", args=[claim.pk])
    assert refused(api.post(url, {"version": "1.0"}, format="multipart")) == {
        ("version", "invalid")
    }
    assert api.post(url, {"version": str(claim.version)}, format="multipart").status_code == 200


# -- integrity errors ----------------------------------------------------------------------


def _losing_a_race(**fields):
    """A service that wrote a row, then lost a race on a unique column."""
    with transaction.atomic():
        Source.objects.create(name="Half-written", kind="outlet")
        raise IntegrityError('duplicate key value violates unique constraint "x"')


def test_an_integrity_error_is_a_409_conflict_in_the_api(editing, monkeypatch, caplog):
    monkeypatch.setattr("articles.sources.source_create", _losing_a_race)
    response = send(editing, "POST", reverse("v1:source-list"), {"name": "S", "kind": "outlet"})
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert refused(response, status=409) == set()
    assert not Source.objects.exists()
    assert "Integrity error" in caplog.text


def test_an_integrity_error_is_a_409_page_not_a_500(editor, monkeypatch, caplog):
    monkeypatch.setattr("annotations.views.registry.source_create", _losing_a_race)
    page = Client(raise_request_exception=False)
    page.force_login(editor)
    response = page.post(reverse("source_create"), {"name": "S", "kind": "outlet"})
    assert response.status_code == 409
    assert b'data-code="conflict"' in response.content
    assert not Source.objects.exists()
