"""The claim presenter: what the API answers is what the schema's `Claim` describes, what
each viewer may read of the note, and the batch's constant cost."""

from __future__ import annotations

from types import SimpleNamespace

import jsonschema
import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse

from annotations import workflow
from annotations.claim_presenter import (
    ClaimBatch,
    RecordBuilder,
    api_rows,
    may_read_note,
    present_claims,
    reader_rows,
    record_rows,
)
from annotations.exports.records import Links
from annotations.isotext import iso
from annotations.models import Claim
from annotations.roles import can_review
from annotations.selectors import claims_visible_to, with_details
from annotations.services.claims import workflow_participant
from publishing.models import Publication

pytestmark = pytest.mark.django_db

VIEWERS = ["researcher", "other_researcher", "reviewer", "reader", "superuser"]


def _expected(claim: Claim, user) -> dict:
    """A claim as the API documents it, read off the model instance: an oracle that
    shares no code with the presenter."""
    may_read = user.is_authenticated and (claim.author_id == user.pk or can_review(user))
    actions = (
        [
            a.value
            for a in workflow.allowed_actions(
                claim.status, workflow_participant(user=user, claim=claim)
            )
        ]
        if user.is_authenticated
        else []
    )
    return {
        "id": claim.pk,
        "status": claim.status,
        "version": claim.version,
        "review_round": claim.review_round,
        "anchor_state": claim.anchor_state,
        "article": claim.article_id,
        "project": claim.project_id,
        "revision": claim.revision.number,
        "start": claim.start,
        "end": claim.end,
        "exact": claim.exact,
        "prefix": claim.prefix,
        "suffix": claim.suffix,
        **{
            name: None
            if (span := claim.marked_span(name)) is None
            else dict(zip(("start", "end", "exact"), span, strict=True))
            for name in Claim.MARKED_SPANS
        },
        "statement": claim.statement,
        "claimant": {"id": claim.claimant_id, "name": claim.claimant.name},
        "actors": [
            {"actor": {"id": link.actor_id, "name": link.actor.name}, "role": link.role}
            for link in claim.actor_links.all()
        ],
        "sources": [
            {
                "source": {"id": link.source_id, "name": link.source.name, "url": link.source.url},
                "locator": link.locator,
                "note": link.note,
            }
            for link in claim.source_links.all()
        ],
        "certainty": claim.certainty,
        "note": claim.note if may_read else "",
        "author": {"id": claim.author_id, "username": claim.author.get_username()},
        "created": iso(claim.created),
        "modified": iso(claim.modified),
        "submitted_at": iso(claim.submitted_at),
        "reviewed_at": iso(claim.reviewed_at),
        "reviews": [
            {
                "id": review.pk,
                "reviewer": {"id": review.reviewer_id, "username": review.reviewer.get_username()},
                "claim_version": review.claim_version,
                "review_round": review.review_round,
                "decision": review.decision,
                "reason": review.reason,
                "comment": review.comment,
                "rating_value": review.rating_value,
                "rating_label": review.rating_label,
                "created": iso(review.created),
            }
            for review in claim.reviews.order_by("created", "id")
        ],
        "allowed_actions": actions,
        "published_url": (
            reverse("public_review", args=[claim.pk])
            if Publication.objects.filter(claim=claim, state="published").exists()
            else None
        ),
        "relations": _relations(claim, user),
    }


def _relations(claim: Claim, user) -> list[dict]:
    """The claim's relations both ways, to claims `user` can see, oldest first."""
    visible = set(claims_visible_to(user).values_list("pk", flat=True))
    relations = sorted([*claim.relations_out.all(), *claim.relations_in.all()], key=lambda r: r.pk)
    out = []
    for relation in relations:
        outgoing = relation.from_claim_id == claim.pk
        other = relation.to_claim if outgoing else relation.from_claim
        if other.pk in visible:
            out.append(
                {
                    "id": relation.pk,
                    "kind": relation.kind,
                    "direction": "outgoing" if outgoing else "incoming",
                    "from_claim": relation.from_claim_id,
                    "to_claim": relation.to_claim_id,
                    "other_claim": {"id": other.pk, "statement": other.statement},
                }
            )
    return out


@pytest.mark.parametrize("viewer", VIEWERS)
def test_presenter_matches_the_model_for_every_claim_and_viewer(world, desk, viewer):
    """Drafts, submitted, approved, rejected and changes-requested claims, with and
    without actors, sources, reviews, ratings and notes, as their author, a reviewer, a
    reader in no role and a superuser see them."""
    user = world.users[viewer]
    claims = claims_visible_to(user).order_by("id")
    Claim.objects.filter(pk=desk.claims["approved"].pk).update(note="Check the FBI's role.")
    expected = [_expected(claim, user) for claim in with_details(claims)]
    found = present_claims(api_rows(claims), user=user)
    assert [c["id"] for c in found] == [c["id"] for c in expected]
    assert len(found) >= 5
    for got, want in zip(found, expected, strict=True):
        assert got == want, got["id"]


# -- the schema -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def claim_schema(tmp_path_factory, django_db_setup, django_db_blocker) -> dict:
    """The schema's `Claim` as JSON Schema: OpenAPI's `nullable` as a null type, and no
    property beyond those documented (so a field added on one side only fails)."""
    target = tmp_path_factory.mktemp("schema") / "schema.yaml"
    with django_db_blocker.unblock():
        call_command("spectacular", "--file", str(target))
    components = yaml.safe_load(target.read_text(encoding="utf-8"))["components"]

    def strict(node):
        if isinstance(node, list):
            return [strict(item) for item in node]
        if not isinstance(node, dict):
            return node
        node = {key: strict(value) for key, value in node.items()}
        if node.pop("nullable", False):
            node = {"anyOf": [node, {"type": "null"}]}
        elif "properties" in node:
            node["additionalProperties"] = False
        return node

    return {"$ref": "#/components/schemas/Claim", "components": strict(components)}


@pytest.mark.parametrize("viewer", VIEWERS)
def test_presenter_output_validates_against_the_schema_claim(world, desk, viewer, claim_schema):
    user = world.users[viewer]
    claims = claims_visible_to(user).order_by("id")
    found = present_claims(api_rows(claims), user=user)
    assert found
    for claim in found:
        jsonschema.validate(claim, claim_schema)


def test_a_field_the_schema_does_not_document_fails_validation(world, desk, claim_schema):
    user = world.users["reviewer"]
    claim = present_claims(api_rows(claims_visible_to(user).order_by("id")), user=user)[0]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**claim, "undocumented": 1}, claim_schema)
    without_note = {key: value for key, value in claim.items() if key != "note"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(without_note, claim_schema)


# -- the note and the actions -----------------------------------------------------------


def test_presenter_shows_each_viewer_their_own_actions_and_the_note(world, desk):
    approved = desk.claims["approved"]
    Claim.objects.filter(pk=approved.pk).update(note="Private to author and reviewers.")
    draft = desk.claims["draft"]
    rows = api_rows(Claim.objects.filter(pk__in=[approved.pk, draft.pk]).order_by("id"))

    as_author = {c["id"]: c for c in present_claims(rows, user=world.users["researcher"])}
    assert as_author[approved.pk]["note"] == "Private to author and reviewers."
    assert "edit" in as_author[draft.pk]["allowed_actions"]
    as_reader = {c["id"]: c for c in present_claims(rows, user=world.users["reader"])}
    assert as_reader[approved.pk]["note"] == ""
    assert as_reader[draft.pk]["allowed_actions"] == []


@pytest.mark.parametrize(
    ("viewer", "reads"),
    [
        ("researcher", True),  # the author
        ("reviewer", True),
        ("other_researcher", False),
        ("reader", False),
    ],
)
def test_only_the_author_and_reviewers_may_read_the_note(world, desk, viewer, reads):
    claim = desk.claims["approved"]
    assert (
        may_read_note(world.users[viewer], author_id=claim.author_id, project_id=claim.project_id)
        is reads
    )


def test_an_anonymous_visitor_may_not_read_the_note(desk):
    anonymous = SimpleNamespace(pk=None, is_authenticated=False)
    assert may_read_note(anonymous, author_id=None, project_id=desk.article.project_id) is False


def test_presenting_no_rows_costs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert present_claims([], user=SimpleNamespace(pk=1, is_authenticated=True)) == []
        assert ClaimBatch([]).actors == {}


def test_a_batch_reads_its_links_with_one_query_each(desk, django_assert_num_queries):
    ids = list(Claim.objects.values_list("pk", flat=True))
    with django_assert_num_queries(4):
        batch = ClaimBatch(ids)
    assert batch.actors and batch.sources and batch.reviews
    with django_assert_num_queries(1):
        ClaimBatch(ids, read=("actors",))


def test_a_batch_refuses_links_it_does_not_know():
    with pytest.raises(ValueError, match="no such links"):
        ClaimBatch([1], read=("authors",))


def test_one_claim_answers_404_to_whoever_cannot_see_it(desk, as_user, other_researcher):
    draft = desk.claims["draft"]
    response = as_user(other_researcher).get(reverse("v1:claim-detail", args=[draft.pk]))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_api_the_exports_and_the_reader_show_the_same_actors_in_the_same_order(world, desk):
    """One batch read serves all three: the API's links, the records' and the reader's."""
    user = world.users["reviewer"]
    claims = claims_visible_to(user).order_by("id")
    api = {
        c["id"]: [(a["actor"]["name"], a["role"]) for a in c["actors"]]
        for c in present_claims(api_rows(claims), user=user)
    }
    assert any(api.values())
    rows = list(record_rows(claims))
    build = RecordBuilder(
        ClaimBatch([row[0] for row in rows]), Links("https://desk.example")
    ).record
    records = {r["id"]: [(a["name"], a["role"]) for a in r["actors"]] for r in map(build, rows)}
    reader = {
        row.pk: list(zip(row.actors[::2], row.actors[1::2], strict=True))
        for row in reader_rows(claims)
    }
    assert api == records == reader
