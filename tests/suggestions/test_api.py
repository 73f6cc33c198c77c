"""The suggestions API: an article's suggestions, dismissing one, claim creation that
accepts one, a project's counts and jobs; scoped, in the JSON error shape, in the
schema, and in a constant number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from annotations.models import ActorRole, Certainty, Claim
from annotations.suggesting import Span, SuggestedActor, Suggestion
from projects.models import Project
from suggestions.models import SuggestionOutcome
from tests.factories import ActorFactory, ArticleFactory, UserFactory
from tests.suggestions.helpers import ACCUSATION, DENIAL, store, suggestion_for

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def stored(article, actors):
    text = article.revisions.get().text
    return store(
        article,
        [
            suggestion_for(
                text,
                ACCUSATION,
                claimant=actors["rama"],
                cue="said",
                source="Edi Rama",
                actors=[(actors["iran"], ActorRole.ACCUSED)],
            ),
            suggestion_for(
                text,
                DENIAL,
                claimant=None,
                claimant_text="Tehran officials",
                certainty=Certainty.DENIED,
            ),
        ],
    )


def url(article) -> str:
    return f"/api/v1/articles/{article.pk}/suggestions/"


def test_the_list_gives_each_suggestion_with_its_spans_and_resolution(
    article, stored, researcher, actors
):
    response = client_for(researcher).get(url(article))

    assert response.status_code == 200
    body = response.json()
    assert body["article"] == article.pk and body["revision"] == 1 and body["count"] == 2
    first, second = body["results"]
    assert first["key"] == stored[0].key
    assert first["content"][0]["exact"] == ACCUSATION
    assert first["cue"]["exact"] == "said" and first["source"]["exact"] == "Edi Rama"
    assert first["claimant"] == {"id": actors["rama"].pk, "name": "Edi Rama"}
    iran = {"id": actors["iran"].pk, "name": "Iran"}
    assert first["actors"] == [{"actor": iran, "role": "accused"}]
    assert first["certainty"] == "asserted" and first["confidence"] == 0.9
    assert first["statement"].startswith("An investigation had shown")
    assert second["claimant"] is None and second["claimant_text"] == "Tehran officials"
    assert second["certainty"] == "denied" and second["cue"] is None
    # Listing them counts them as shown.
    assert SuggestionOutcome.objects.filter(shown_at__isnull=False).count() == 2


def test_a_dismissed_suggestion_is_left_out_unless_included(article, stored, researcher):
    client = client_for(researcher)
    response = client.post(f"{url(article)}{stored[1].key}/dismiss/")
    assert response.status_code == 200
    assert response.json()["dismissed"] is True and response.json()["dismissed_by"] == "rita"

    assert [s["key"] for s in client.get(url(article)).json()["results"]] == [stored[0].key]
    listed = client.get(url(article), {"include": "dismissed"}).json()["results"]
    assert [(s["key"], s["dismissed"]) for s in listed] == [
        (stored[0].key, False),
        (stored[1].key, True),
    ]


def test_a_bad_include_is_a_field_error(article, stored, researcher):
    response = client_for(researcher).get(url(article), {"include": "everything"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response.json()["errors"][0]["field"] == "include"


def test_dismissing_an_unknown_key_is_404(article, stored, researcher):
    response = client_for(researcher).post(f"{url(article)}{'0' * 32}/dismiss/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_another_projects_article_is_404_and_a_reviewer_is_refused(article, stored, researcher):
    elsewhere = Project.objects.create(name="Elsewhere", slug="elsewhere")
    other_article = ArticleFactory(project=elsewhere)
    client = client_for(researcher)
    assert client.get(url(other_article)).status_code == 404
    assert client.post(f"{url(other_article)}{stored[0].key}/dismiss/").status_code == 404

    reviewer = UserFactory(username="vera", roles=["reviewer"])
    response = client_for(reviewer).get(url(article))
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert APIClient().get(url(article)).status_code == 401


def test_creating_a_claim_with_a_suggestion_accepts_it(article, stored, researcher, actors):
    row = stored[0]
    body = {
        "article": article.pk,
        "start": row.start,
        "end": row.end,
        "exact": ACCUSATION,
        "statement": "The Iranian state was behind the July cyberattacks.",
        "claimant": actors["rama"].pk,
        "certainty": "alleged",
        "actors": [{"actor": actors["iran"].pk, "role": "accused"}],
        "suggestion": row.key,
    }
    text = article.revisions.get().text
    for name, field in (("cue", "cue"), ("source_mention", "source")):
        if row.data.get(field):
            start, end = row.data[field][:2]
            body[name] = {"start": start, "end": end, "exact": text[start:end]}
    client = client_for(researcher)
    response = client.post("/api/v1/claims/", body, format="json")

    assert response.status_code == 201, response.content
    outcome = SuggestionOutcome.objects.get(key=row.key)
    assert outcome.claim_id == response.json()["id"]
    assert outcome.accepted_as_suggested is False and outcome.edited_fields == ["certainty"]

    again = client.post("/api/v1/claims/", body, format="json")
    assert again.status_code == 409
    assert again.json()["errors"][0] == {
        "field": "suggestion",
        "code": "already_accepted",
        "detail": "This suggestion was already accepted.",
    }
    assert Claim.objects.count() == 1


def test_a_malformed_suggestion_key_is_refused_before_anything_is_saved(
    article, stored, researcher, actors
):
    body = {
        "article": article.pk,
        "start": stored[0].start,
        "end": stored[0].end,
        "exact": ACCUSATION,
        "statement": "S.",
        "claimant": actors["rama"].pk,
        "certainty": "asserted",
        "suggestion": "not a key!",
    }
    response = client_for(researcher).post("/api/v1/claims/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "suggestion"
    assert not Claim.objects.exists()


def test_project_counts_are_for_its_managers_and_editors(article, stored, researcher):
    client_for(researcher).get(url(article))
    manager = UserFactory(username="nora", roles=["manager"])
    response = client_for(manager).get(f"/api/v1/projects/{article.project_id}/suggestions/")
    assert response.status_code == 200
    assert response.json()["counts"] == {
        "shown": 2,
        "accepted_as_suggested": 0,
        "accepted_after_edits": 0,
        "dismissed": 0,
    }
    refused = client_for(researcher).get(f"/api/v1/projects/{article.project_id}/suggestions/")
    assert refused.status_code == 403
    outsider = UserFactory(username="olga")
    assert (
        client_for(outsider).get(f"/api/v1/projects/{article.project_id}/suggestions/").status_code
        == 404
    )


def test_the_schema_describes_the_suggestion_endpoints(researcher):
    schema = client_for(researcher).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    assert "get" in paths["/api/v1/articles/{id}/suggestions/"]
    assert "post" in paths["/api/v1/articles/{id}/suggestions/{key}/dismiss/"]
    assert "post" in paths["/api/v1/projects/{id}/suggestion-jobs/"]
    assert "get" in paths["/api/v1/jobs/{id}/"]
    claim_input = schema["components"]["schemas"]["ClaimCreateInputRequest"]["properties"]
    assert "suggestion" in claim_input


def _many(article, n: int):
    """`n` suggestions on the article's first `n` words, each naming its own claimant and
    accused (every name is read)."""
    text = article.revisions.get().text
    suggestions, at = [], 0
    for word in text.split(" ")[:n]:
        start = text.index(word, at)
        at = start + len(word)
        claimant, accused = ActorFactory(), ActorFactory()
        suggestions.append(
            Suggestion(
                content=(Span(start, at),),
                cue=None,
                source=None,
                claimant_id=claimant.pk,
                claimant_text=claimant.name,
                certainty="asserted",
                actors=(SuggestedActor(accused.pk, "accused"),),
                confidence=0.5,
            )
        )
    return store(article, suggestions)


def test_the_list_takes_as_many_queries_when_the_suggestions_double(article, actors, researcher):
    client = client_for(researcher)

    def queries(n: int) -> int:
        _many(article, n)
        client.get(url(article))  # the first listing also records them as shown
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url(article))
        assert response.status_code == 200 and response.json()["count"] == n
        return len(captured)

    assert queries(5) == queries(10)
