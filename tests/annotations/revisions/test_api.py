"""Re-anchoring through `PATCH /api/v1/articles/{id}/`, which calls `article_revise`."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from annotations.models import AnchorState, ClaimStatus


@pytest.fixture
def api():
    def as_user(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return as_user


def patch(client, article, text, **extra):
    return client.patch(
        reverse("v1:article-detail", args=[article.pk]), {"text": text, **extra}, format="json"
    )


def claim_of(client, claim):
    response = client.get(reverse("v1:claim-detail", args=[claim.pk]))
    assert response.status_code == 200
    return response.json()


def test_patch_with_an_insertion_moves_the_claim(api, researcher, submitted_claim):
    client = api(researcher)
    article = submitted_claim.article

    response = patch(client, article, "Update: more below.\n\n" + article.text, revision=1)

    assert response.status_code == 200
    assert response.json()["counts"] == {"anchored": 0, "moved": 1, "fuzzy": 0, "orphaned": 0}
    claim = claim_of(client, submitted_claim)
    assert claim["anchor_state"] == AnchorState.MOVED
    assert claim["start"] == submitted_claim.start + len("Update: more below.\n\n")
    assert claim["version"] == submitted_claim.version + 1


def test_patch_with_a_changed_word_sends_the_approved_claim_back(api, researcher, approved_claim):
    client = api(researcher)
    article = approved_claim.article

    response = patch(client, article, article.text.replace("July", "June"))

    assert response.json()["counts"]["fuzzy"] == 1
    claim = claim_of(client, approved_claim)
    assert (claim["anchor_state"], claim["status"]) == (AnchorState.FUZZY, ClaimStatus.SUBMITTED)


def test_patch_deleting_the_passage_orphans_the_claim_which_stays_in_the_audit(
    api, researcher, submitted_claim
):
    client = api(researcher)
    article = submitted_claim.article

    response = patch(client, article, "\n\n".join(article.text.split("\n\n")[1:]))

    assert response.json()["counts"]["orphaned"] == 1
    claim = claim_of(client, submitted_claim)
    assert claim["anchor_state"] == AnchorState.ORPHANED
    assert claim["exact"] == submitted_claim.exact
    events = client.get(reverse("v1:claim-events", args=[submitted_claim.pk])).json()["results"]
    reanchored = [event for event in events if event["kind"] == "reanchored"]
    assert len(reanchored) == 1
    assert reanchored[0]["data"]["from"]["exact"] == submitted_claim.exact
    assert reanchored[0]["changes"]["anchor_state"] == ["anchored", "orphaned"]


def test_patch_on_a_stale_revision_is_a_conflict(api, researcher, article):
    client = api(researcher)
    patch(client, article, article.text + " First.", revision=1)
    response = patch(client, article, article.text + " Second.", revision=1)
    assert response.status_code == 409
    assert response.json()["code"] == "stale_version"


def test_patch_with_an_empty_text_names_the_field(api, researcher, article):
    response = patch(api(researcher), article, "   ")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "text"
