"""The JSON the pages fetch answers errors as the API does: `{code, detail, errors[]}`.

Every page endpoint a script fetches (the actor suggestions of the claim form, the review
queue's decisions) is asked to refuse something; its body must have the contract's keys,
a stable code, the HTTP status of the error, and field errors that name the field.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.exceptions import ValidationError as DrfValidationError

from annotations.error_contract import error_body
from annotations.services.claims import claim_submit
from claimdesk.errors import InvalidInput, SelfReview, StaleRevision
from projects.models import Membership
from tests.factories import make_claim

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def contract(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["errors"], list)
    for error in body["errors"]:
        assert set(error) == {"field", "code", "detail"}
    return body


# -- the one function ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exc", "status", "code", "errors"),
    [
        (SelfReview(), 403, "self_review", []),
        (
            StaleRevision(field="revision"),
            409,
            "stale_revision",
            [("revision", "stale_revision")],
        ),
        (InvalidInput("Too long.", field="note"), 400, "invalid", [("note", "invalid")]),
        (
            ValidationError({"text": ValidationError("Empty.", code="required")}),
            400,
            "invalid",
            [("text", "required")],
        ),
        (
            DrfValidationError({"actors": [{}, {"role": ["Bad."]}]}),
            400,
            "invalid",
            [("actors.1.role", "invalid")],
        ),
    ],
)
def test_error_body_renders_each_kind_of_refusal(exc, status, code, errors):
    body, got_status = error_body(exc)
    assert got_status == status
    assert body["code"] == code
    assert [(e["field"], e["code"]) for e in body["errors"]] == errors


def test_error_body_leaves_other_exceptions_alone():
    assert error_body(RuntimeError("boom")) is None


# -- actor suggestions -----------------------------------------------------------------------


def suggest(client, **params):
    return client.get(reverse("actor_suggest"), params)


def test_suggestions_refuse_anonymous_users_in_json(client, article):
    contract(suggest(client, article=article.pk), 401, "not_authenticated")


@pytest.mark.parametrize(
    ("params", "field"),
    [({"start": "x"}, "start"), ({"end": "-"}, "end"), ({"limit": "many"}, "limit")],
)
def test_suggestions_name_the_bad_parameter(client, researcher, article, params, field):
    client.force_login(researcher)
    body = contract(suggest(client, article=article.pk, **params), 400, "invalid")
    assert [(e["field"], e["code"]) for e in body["errors"]] == [(field, "invalid")]


def test_suggestions_range_outside_the_text_names_end(client, researcher, article):
    client.force_login(researcher)
    body = contract(suggest(client, article=article.pk, start=0, end=10**6), 400, "invalid")
    assert body["errors"][0]["field"] == "end"


def test_suggestions_for_an_unknown_article_are_a_json_404(client, researcher):
    client.force_login(researcher)
    contract(suggest(client, article=10**9), 404, "not_found")


# -- review decisions ------------------------------------------------------------------------


@pytest.fixture
def waiting(researcher):
    claim = make_claim(author=researcher)
    return claim_submit(user=researcher, claim_id=claim.pk, version=claim.version)


def decide(client, claim, **data):
    return client.post(reverse("review_decide", args=[claim.pk]), data, **JSON)


def test_decide_refuses_a_non_reviewer_in_json(client, other_researcher, waiting):
    client.force_login(other_researcher)
    body = contract(
        decide(client, waiting, version=waiting.version, decision="approve"),
        403,
        "permission_denied",
    )
    assert body["errors"] == []


def test_decide_refuses_the_author_as_self_review(client, researcher, waiting):
    Membership.objects.filter(user=researcher).update(is_reviewer=True)
    client.force_login(researcher)
    contract(
        decide(client, waiting, version=waiting.version, decision="approve"), 403, "self_review"
    )


def test_decide_stale_version_is_a_409_with_the_fresh_item(client, reviewer, waiting):
    client.force_login(reviewer)
    body = contract(
        decide(client, waiting, version=waiting.version + 5, decision="approve"),
        409,
        "stale_version",
    )
    assert body["errors"] == [
        {"field": "version", "code": "stale_version", "detail": body["errors"][0]["detail"]}
    ]
    assert "item_html" in body and "queue_count" in body


def test_decide_bad_input_names_the_field_and_keeps_the_code(client, reviewer, waiting):
    client.force_login(reviewer)
    body = contract(
        decide(client, waiting, version=waiting.version, decision="reject"), 400, "invalid"
    )
    assert ("reason", "invalid") in {(e["field"], e["code"]) for e in body["errors"]}
    assert "item_html" in body


def test_decide_form_error_keeps_the_form_code(client, reviewer, waiting):
    client.force_login(reviewer)
    body = contract(
        decide(client, waiting, version=waiting.version, decision="maybe"), 400, "invalid"
    )
    assert {(e["field"], e["code"]) for e in body["errors"]} == {("decision", "invalid_choice")}
