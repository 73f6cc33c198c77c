"""The relations of a claim through the API, over HTTP as a client sends them: add one
(201 with its id), list them both ways, remove one, the claim's `relations`, the
`related_to` filter, the refusals with their codes, idempotent adds, and a claim list
whose queries do not grow with its relations."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.models import ClaimEvent, ClaimRelation, ClaimStatus
from tests.annotations.exports.builders import DENIAL, bulk_approved
from tests.factories import make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def denial(desk, researcher):
    """A draft of the denial: its author may still relate it."""
    return make_claim(
        author=researcher,
        article=desk.article,
        exact=DENIAL,
        statement="Iran denies carrying out the cyberattacks on Albania.",
        claimant=desk.iran,
        certainty="denied",
    )


@pytest.fixture
def accusation(desk):
    return desk.claims["approved"]


def relations_url(claim_id: int) -> str:
    return reverse("v1:claim-relations", args=[claim_id])


def add(client, claim, to_claim, kind="denies", **extra):
    return client.post(
        relations_url(claim.pk), {"kind": kind, "to_claim": to_claim.pk, **extra}, format="json"
    )


def error(response) -> tuple[int, str, str | None]:
    body = response.json()
    first = body["errors"][0] if body["errors"] else {"field": None}
    return response.status_code, body["code"], first["field"]


def test_a_researcher_records_that_the_denial_denies_the_accusation(
    as_user, researcher, reviewer, denial, accusation
):
    client = as_user(researcher)

    response = add(client, denial, accusation)

    assert response.status_code == 201, response.content
    body = response.json()
    relation = ClaimRelation.objects.get()
    assert body == {
        "id": relation.pk,
        "kind": "denies",
        "direction": "outgoing",
        "from_claim": denial.pk,
        "to_claim": accusation.pk,
        "other_claim": {"id": accusation.pk, "statement": accusation.statement},
    }
    assert response["Location"].endswith(
        reverse("v1:claim-relation-detail", args=[denial.pk, relation.pk])
    )
    # Both claims show it, each from its own side.
    mine = client.get(reverse("v1:claim-detail", args=[denial.pk])).json()
    assert [(r["id"], r["direction"]) for r in mine["relations"]] == [(relation.pk, "outgoing")]
    assert mine["version"] == denial.version + 1
    theirs = client.get(reverse("v1:claim-detail", args=[accusation.pk])).json()
    assert theirs["relations"] == [
        {
            "id": relation.pk,
            "kind": "denies",
            "direction": "incoming",
            "from_claim": denial.pk,
            "to_claim": accusation.pk,
            "other_claim": {"id": denial.pk, "statement": denial.statement},
        }
    ]
    events = client.get(reverse("v1:claim-events", args=[denial.pk])).json()["results"]
    assert events[-1]["kind"] == "related"
    assert events[-1]["changes"] == {"relations": [[], [["denies", accusation.pk]]]}


def test_a_draft_at_the_other_end_stays_hidden_from_others(
    as_user, researcher, reviewer, denial, accusation
):
    add(as_user(researcher), denial, accusation)
    # The denial is rita's draft: vera sees the accusation without the relation.
    shown = as_user(reviewer).get(reverse("v1:claim-detail", args=[accusation.pk])).json()
    assert shown["relations"] == []
    assert as_user(reviewer).get(relations_url(accusation.pk)).json()["results"] == []


def test_the_relations_list_shows_both_directions(as_user, researcher, denial, accusation, desk):
    client = as_user(researcher)
    add(client, denial, accusation)
    add(client, denial, desk.claims["sanctions"], kind="supports")

    body = client.get(relations_url(denial.pk)).json()
    assert [(r["kind"], r["direction"], r["to_claim"]) for r in body["results"]] == [
        ("denies", "outgoing", accusation.pk),
        ("supports", "outgoing", desk.claims["sanctions"].pk),
    ]
    body = client.get(relations_url(accusation.pk)).json()
    assert [(r["direction"], r["from_claim"]) for r in body["results"]] == [("incoming", denial.pk)]


def test_removing_a_relation_answers_204_and_writes_the_event(
    as_user, researcher, denial, accusation
):
    client = as_user(researcher)
    relation_id = add(client, denial, accusation).json()["id"]
    url = reverse("v1:claim-relation-detail", args=[denial.pk, relation_id])
    assert client.get(url).json()["id"] == relation_id

    response = client.delete(url)

    assert response.status_code == 204
    assert not ClaimRelation.objects.exists()
    assert ClaimEvent.objects.filter(claim_id=denial.pk).latest("id").kind == "unrelated"
    assert client.get(url).status_code == 404
    assert error(client.delete(url))[:2] == (404, "not_found")


def test_a_relation_is_removed_only_through_the_claim_it_starts_from(
    as_user, researcher, denial, accusation
):
    client = as_user(researcher)
    relation_id = add(client, denial, accusation).json()["id"]
    url = reverse("v1:claim-relation-detail", args=[accusation.pk, relation_id])
    assert client.get(url).status_code == 200  # shown on both claims
    # The accusation is approved and rita's: removing through it is not its relation.
    assert error(client.delete(url)) == (404, "not_found", "relation")
    assert ClaimRelation.objects.count() == 1


def test_refusals_answer_with_their_codes(
    as_user, researcher, other_researcher, denial, accusation, desk
):
    client = as_user(researcher)
    assert error(add(client, denial, denial)) == (400, "invalid", "to_claim")
    assert add(client, denial, denial).json()["errors"][0]["code"] == "self_relation"
    assert add(client, denial, accusation).status_code == 201
    response = add(client, denial, accusation)
    assert error(response) == (400, "invalid", "to_claim")
    assert response.json()["errors"][0]["code"] == "duplicate"
    assert error(add(client, denial, accusation, kind="refutes"))[::2] == (400, "kind")
    response = add(client, denial, accusation, kind="supports", colour="red")
    assert error(response)[0] == 400
    assert response.json()["errors"][0]["code"] == "unknown_field"
    response = client.post(
        relations_url(denial.pk), {"kind": "denies", "to_claim": "12"}, format="json"
    )
    assert error(response)[::2] == (400, "to_claim")
    # Someone else's draft is a claim rita cannot see.
    assert error(add(client, denial, desk.claims["other_draft"])) == (404, "not_found", "to_claim")
    response = client.post(
        relations_url(denial.pk), {"kind": "denies", "to_claim": 2**40}, format="json"
    )
    assert error(response) == (404, "not_found", "to_claim")
    # Oscar may not relate rita's approved claim, nor see her draft.
    assert error(add(as_user(other_researcher), accusation, desk.claims["sanctions"]))[:2] == (
        403,
        "permission_denied",
    )
    assert add(as_user(other_researcher), denial, accusation).status_code == 404
    # A claim under review is not edited, nor related.
    submitted = desk.claims["submitted"]
    assert error(add(client, submitted, accusation))[:2] == (409, "invalid_transition")
    # A stale version changes nothing.
    response = add(client, denial, desk.claims["sanctions"], version=1)
    assert error(response) == (409, "stale_version", "version")
    assert ClaimRelation.objects.count() == 1


def test_relating_an_approved_claim_sends_it_back_to_review(as_user, researcher, accusation, desk):
    client = as_user(researcher)
    response = add(client, accusation, desk.claims["sanctions"], kind="supports")
    assert response.status_code == 201
    shown = client.get(reverse("v1:claim-detail", args=[accusation.pk])).json()
    assert shown["status"] == ClaimStatus.SUBMITTED


def test_an_add_sent_twice_with_one_key_is_made_once(as_user, researcher, denial, accusation):
    client = as_user(researcher)
    headers = {"HTTP_IDEMPOTENCY_KEY": "relate-denial-1"}
    first = client.post(
        relations_url(denial.pk),
        {"kind": "denies", "to_claim": accusation.pk},
        format="json",
        **headers,
    )
    again = client.post(
        relations_url(denial.pk),
        {"kind": "denies", "to_claim": accusation.pk},
        format="json",
        **headers,
    )
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert ClaimRelation.objects.count() == 1


def test_the_claim_list_filters_by_related_claim(as_user, researcher, denial, accusation, desk):
    client = as_user(researcher)
    add(client, denial, accusation)
    add(client, accusation, desk.claims["sanctions"], kind="supports")

    def ids(related_to) -> set[int]:
        response = client.get(reverse("v1:claim-list") + f"?related_to={related_to}")
        assert response.status_code == 200, response.content
        return {claim["id"] for claim in response.json()["results"]}

    assert ids(accusation.pk) == {denial.pk, desk.claims["sanctions"].pk}
    assert ids(denial.pk) == {accusation.pk}
    assert ids(desk.claims["submitted"].pk) == set()
    response = client.get(reverse("v1:claim-list") + "?related_to=twelve")
    assert error(response) == (400, "invalid", "related_to")


def test_the_claim_list_queries_stay_the_same_when_relations_double(
    as_user, researcher, reviewer, desk, accusation
):
    bulk_approved(
        6,
        article=desk.article,
        author=researcher,
        reviewer=reviewer,
        claimant=desk.rama,
        actors=[(desk.iran, "accused")],
    )
    claims = list(desk.article.claims.filter(status="approved").exclude(pk=accusation.pk))
    client = as_user(researcher)
    url = reverse("v1:claim-list") + "?page_size=100"

    def relate(kind: str) -> None:
        ClaimRelation.objects.bulk_create(
            ClaimRelation(from_claim=claim, to_claim=accusation, kind=kind, created_by=researcher)
            for claim in claims
        )

    def count() -> tuple[int, int]:
        client.get(url)  # warm the throttle's cache row
        with CaptureQueriesContext(connection) as captured:
            body = client.get(url).json()
        return len(captured), sum(len(claim["relations"]) for claim in body["results"])

    relate("supports")
    few, shown_few = count()
    relate("repeats")
    many, shown_many = count()
    assert shown_many == 2 * shown_few > 0
    assert many == few


def test_the_schema_documents_the_relations(as_user, researcher):
    schema = as_user(researcher).get(reverse("api-schema") + "?format=json").json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/claims/{id}/relations/"])
    assert {"get", "delete"} <= set(paths["/api/v1/claims/{id}/relations/{relation_id}/"])
    names = {p["name"] for p in paths["/api/v1/claims/"]["get"]["parameters"]}
    assert "related_to" in names
    assert "relations" in schema["components"]["schemas"]["Claim"]["properties"]
