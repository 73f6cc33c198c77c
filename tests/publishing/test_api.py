"""`POST /api/v1/claims/{id}/publish/` and `…/unpublish/` over HTTP."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotations.models import ClaimEvent
from publishing.models import Publication
from tests.publishing.helpers import EXPLANATION

pytestmark = pytest.mark.django_db


def publish_url(claim) -> str:
    return reverse("v1:claim-publish", args=[claim.pk])


def unpublish_url(claim) -> str:
    return reverse("v1:claim-unpublish", args=[claim.pk])


def test_an_editor_publishes_and_the_answer_is_the_whole_claim(room, as_user):
    client = as_user(room.editor)
    claim = room.accusation
    response = client.post(
        publish_url(claim), {"version": claim.version, "explanation": EXPLANATION}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == claim.pk
    assert body["version"] == claim.version
    assert body["status"] == "approved"
    assert body["published_url"] == reverse("public_review", args=[claim.pk])
    assert client.get(reverse("v1:claim-detail", args=[claim.pk])).json()["published_url"]
    assert as_user(room.researcher).get(body["published_url"]).status_code == 200
    kinds = [
        e["kind"] for e in client.get(reverse("v1:claim-events", args=[claim.pk])).json()["results"]
    ]
    assert kinds[-1] == "published"


def test_site_url_makes_published_url_absolute(room, as_user, settings):
    settings.SITE_URL = "https://factcheck.example.org"
    claim = room.accusation
    body = (
        as_user(room.editor)
        .post(publish_url(claim), {"version": claim.version, "explanation": EXPLANATION})
        .json()
    )
    assert body["published_url"] == "https://factcheck.example.org" + reverse(
        "public_review", args=[claim.pk]
    )


def test_unpublish_answers_the_claim_without_a_published_url(room, as_user):
    client = as_user(room.manager)
    claim = room.accusation
    client.post(publish_url(claim), {"version": claim.version, "explanation": EXPLANATION})
    response = client.post(unpublish_url(claim), {"version": claim.version, "reason": "Wrong."})
    assert response.status_code == 200, response.content
    assert response.json()["published_url"] is None
    assert ClaimEvent.objects.filter(claim_id=claim.pk, kind="unpublished").count() == 1


@pytest.mark.parametrize(
    ("who", "payload", "status", "code", "field"),
    [
        ("researcher", {"explanation": EXPLANATION}, 403, "permission_denied", None),
        ("reviewer", {"explanation": EXPLANATION}, 403, "permission_denied", None),
        ("editor", {}, 400, "invalid", "explanation"),
        ("editor", {"explanation": ""}, 400, "invalid", "explanation"),
        ("editor", {"explanation": "x", "note": "y"}, 400, "invalid", "note"),
        ("editor", {"explanation": "x", "version": 99}, 409, "stale_version", "version"),
    ],
)
def test_publish_refusals(room, as_user, who, payload, status, code, field):
    claim = room.accusation
    data = {"version": claim.version, **payload}
    response = as_user(getattr(room, who)).post(publish_url(claim), data)
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    if field:
        assert field in [e["field"] for e in body["errors"]]
    assert not Publication.objects.exists()


def test_the_author_who_edits_is_refused_by_four_eyes(room, as_user):
    from projects import access
    from projects.models import Membership

    Membership.objects.filter(user=room.researcher).update(is_editor=True)
    access.forget(room.researcher)
    claim = room.accusation
    response = as_user(room.researcher).post(
        publish_url(claim), {"version": claim.version, "explanation": EXPLANATION}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "self_publication"


def test_unpublishing_what_is_not_published_is_a_conflict(room, as_user):
    claim = room.accusation
    response = as_user(room.editor).post(
        unpublish_url(claim), {"version": claim.version, "reason": "Why."}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


def test_anonymous_and_other_desks_cannot_publish(room, anon, as_user):
    claim = room.accusation
    data = {"version": claim.version, "explanation": EXPLANATION}
    assert anon.post(publish_url(claim), data).status_code == 401
    from tests.factories import UserFactory

    stranger = UserFactory(username="olga")
    assert as_user(stranger).post(publish_url(claim), data).status_code == 404


def test_an_idempotency_key_publishes_once(room, as_user):
    client = as_user(room.editor)
    claim = room.accusation
    data = {"version": claim.version, "explanation": EXPLANATION}
    first = client.post(publish_url(claim), data, HTTP_IDEMPOTENCY_KEY="publish-1")
    again = client.post(publish_url(claim), data, HTTP_IDEMPOTENCY_KEY="publish-1")
    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert ClaimEvent.objects.filter(claim_id=claim.pk, kind="published").count() == 1
