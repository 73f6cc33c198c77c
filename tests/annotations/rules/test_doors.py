"""The page and the API refuse the same bad input with the same code at the same field.

Each case is sent through both doors: the page form (a classic POST, or the review
queue's fetch) and the API. A door's answer is reduced to the (field, code) pairs it
reports, so the test says nothing about wording, only about what was refused and why.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from annotations.models import Actor, Claim, ClaimEvent, ClaimStatus
from annotations.services.claims import claim_submit
from annotations.services.revisions import article_revise
from claimdesk import limits
from tests.factories import ActorFactory, ArticleFactory, make_claim

pytestmark = pytest.mark.django_db

QUOTE = "Tehran rejected the accusation"
DOORS = ["page", "api"]


@dataclass
class Claimed:
    """What a door needs to create a claim: the article, the revision the passage was
    selected in, and where the passage is in that revision's text."""

    article: object
    revision: object
    start: int
    claimant: Actor


def _selection(article, revision=None) -> Claimed:
    revision = revision or article.current_revision
    return Claimed(article, revision, revision.text.index(QUOTE), ActorFactory())


def page_errors(response) -> set[tuple[str | None, str]]:
    """(field, code) of every error the page's form shows; a hidden field's error says
    which field it concerns in its params."""
    assert response.status_code == 200, response.status_code
    pairs = set()
    for field, errors in response.context["form"].errors.as_data().items():
        for error in errors:
            name = (error.params or {}).get("field", field)
            pairs.add((None if name == "__all__" else name, error.code))
    return pairs


def json_errors(response) -> set[tuple[str | None, str]]:
    body = response.json()
    assert set(body) >= {"code", "detail", "errors"}, body
    return {(error["field"], error["code"]) for error in body["errors"]}


def create_claim(door: str, client, claimed: Claimed, **fields):
    """Post a new claim through `door`; `fields` override the defaults."""
    data = {
        "revision": claimed.revision,
        "start": claimed.start,
        "end": claimed.start + len(QUOTE),
        "exact": QUOTE,
        "statement": "Iran denies the attack.",
        "certainty": "denied",
        "note": "",
        **fields,
    }
    revision = data.pop("revision")
    if door == "page":
        data.update(revision=revision.pk, claimant=claimed.claimant.pk)
        data.setdefault("intent", "submit" if data.pop("submit", False) else "save")
        return client.post(reverse("claim_create", args=[claimed.article.pk]), data)
    data.update(article=claimed.article.pk, revision=revision.number, claimant=claimed.claimant.pk)
    return client.post(reverse("v1:claim-list"), data, format="json")


def refusal(door: str, response) -> set[tuple[str | None, str]]:
    return page_errors(response) if door == "page" else json_errors(response)


@pytest.fixture
def client_for(client):
    """A logged-in client of the door: Django's test client for pages, DRF's for the API."""

    def login(door: str, user):
        chosen = client if door == "page" else APIClient()
        chosen.force_login(user)
        return chosen

    return login


# -- the revision rule ---------------------------------------------------------------------


@pytest.mark.parametrize("door", DOORS)
def test_claim_on_an_old_revision_is_refused_as_stale(door, client_for, researcher, editor):
    article = ArticleFactory()
    old = article.current_revision
    article_revise(
        user=editor, article_id=article.pk, text="A new first paragraph.\n\n" + article.text
    )
    response = create_claim(door, client_for(door, researcher), _selection(article, old))
    assert refusal(door, response) == {("revision", "stale_revision")}
    if door == "api":
        assert response.status_code == 409
        assert response.json()["code"] == "stale_revision"
    assert not Claim.objects.exists()


@pytest.mark.parametrize("door", DOORS)
def test_revision_of_another_article_is_refused(door, client_for, researcher, editor):
    article, other = ArticleFactory(), ArticleFactory()
    article_revise(user=editor, article_id=other.pk, text="Other words.\n\n" + other.text)
    foreign = other.current_revision  # number 2: the article itself has only number 1
    claimed = _selection(article)
    response = create_claim(door, client_for(door, researcher), claimed, revision=foreign)
    assert refusal(door, response) == {("revision", "does_not_exist")}
    if door == "api":
        assert response.status_code == 400
    assert not Claim.objects.exists()


@pytest.mark.parametrize("door", DOORS)
def test_claim_on_the_current_revision_is_made_there(door, client_for, researcher, editor):
    article = ArticleFactory()
    article_revise(user=editor, article_id=article.pk, text="New words.\n\n" + article.text)
    response = create_claim(door, client_for(door, researcher), _selection(article))
    assert response.status_code in (201, 302)
    assert Claim.objects.get().revision == article.current_revision


# -- field limits ----------------------------------------------------------------------------


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize(
    ("field", "limit"), [("statement", limits.STATEMENT), ("note", limits.CLAIM_NOTE)]
)
def test_over_long_claim_text_is_refused_alike(door, field, limit, client_for, researcher):
    claimed = _selection(ArticleFactory())
    client = client_for(door, researcher)
    response = create_claim(door, client, claimed, **{field: "x" * (limit + 1)})
    assert refusal(door, response) == {(field, "max_length")}
    assert not Claim.objects.exists()
    # One character less is taken at both doors: the limit is the same number.
    response = create_claim(door, client, claimed, **{field: "x" * limit})
    assert response.status_code in (201, 302)


def test_statement_limit_is_the_larger_of_the_old_ones():
    assert limits.STATEMENT == 5_000


@pytest.mark.parametrize("door", DOORS)
def test_over_long_review_comment_is_refused_alike(door, client_for, researcher, reviewer):
    claim = make_claim(author=researcher)
    claim = claim_submit(user=researcher, claim_id=claim.pk, version=claim.version)
    data = {
        "version": claim.version,
        "decision": "request_changes",
        "comment": "x" * (limits.REVIEW_COMMENT + 1),
    }
    client = client_for(door, reviewer)
    if door == "page":
        response = client.post(
            reverse("review_decide", args=[claim.pk]), data, HTTP_ACCEPT="application/json"
        )
    else:
        response = client.post(reverse("v1:claim-review", args=[claim.pk]), data, format="json")
    assert response.status_code == 400
    assert json_errors(response) == {("comment", "max_length")}
    assert response.json()["code"] == "invalid"
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


def create_actor(door: str, client, **fields):
    data = {"name": "Islamic Republic of Iran", "kind": "state", **fields}
    if door == "page":
        if isinstance(data.get("aliases"), list):
            data["aliases"] = "\n".join(data["aliases"])
        return client.post(reverse("actor_create"), data)
    return client.post(reverse("v1:actor-list"), data, format="json")


@pytest.mark.parametrize("door", DOORS)
def test_over_long_alias_is_refused_alike(door, client_for, editor):
    response = create_actor(
        door, client_for(door, editor), aliases=["Tehran", "x" * (limits.NAME + 1)]
    )
    assert refusal(door, response) == {("aliases", "invalid")}
    assert not Actor.objects.filter(name="Islamic Republic of Iran").exists()


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("typed", ["q222", " Q222 ", "https://www.wikidata.org/wiki/q222"])
def test_wikidata_id_is_stored_upper_case_at_every_door(door, typed, client_for, editor):
    response = create_actor(door, client_for(door, editor), wikidata_id=typed)
    assert response.status_code in (201, 302), response.content[:500]
    assert Actor.objects.get(name="Islamic Republic of Iran").wikidata_id == "Q222"


@pytest.mark.parametrize("door", DOORS)
def test_malformed_wikidata_id_is_refused_alike(door, client_for, editor):
    response = create_actor(door, client_for(door, editor), wikidata_id="q22x")
    assert refusal(door, response) == {("wikidata_id", "wikidata_id")}


# -- create and submit -----------------------------------------------------------------------


@pytest.mark.parametrize("door", DOORS)
def test_create_and_submit_is_one_step_at_both_doors(door, client_for, researcher):
    response = create_claim(
        door, client_for(door, researcher), _selection(ArticleFactory()), submit=True
    )
    assert response.status_code in (201, 302)
    claim = Claim.objects.get()
    assert claim.status == ClaimStatus.SUBMITTED
    assert claim.submitted_at is not None
    assert list(ClaimEvent.objects.filter(claim_id=claim.pk).values_list("kind", flat=True)) == [
        "created",
        "submitted",
    ]
    if door == "api":
        assert response.json()["status"] == "submitted"


@pytest.mark.parametrize("door", DOORS)
def test_without_submit_both_doors_save_a_draft(door, client_for, researcher):
    create_claim(door, client_for(door, researcher), _selection(ArticleFactory()))
    assert Claim.objects.get().status == ClaimStatus.DRAFT
