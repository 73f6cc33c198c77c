"""Relations in the exports: each record names the claims this one relates to, both
ways, with their id and address; the CSV says it in one cell; the W3C export writes a
linking annotation per relation that passes the W3C validator; and an export's queries
do not grow when relations double."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.models import ClaimRelation
from annotations.services.relations import relation_add
from tests.annotations.exports.builders import bulk_approved
from tests.annotations.exports.conformance import validate_webanno

pytestmark = pytest.mark.django_db


def export(client, fmt: str, query: str = "") -> bytes:
    response = client.get(reverse("v1:export-claims") + f"?format={fmt}&{query}")
    assert response.status_code == 200, response.content[:500]
    return b"".join(response.streaming_content)


@pytest.fixture
def related(desk, researcher):
    """Rita's accusation supports oscar's approved sanctions claim (relating it sends
    her approved claim back to review), and her draft denies the sanctions claim (a
    draft: no export names it)."""
    accusation, sanctions = desk.claims["approved"], desk.claims["sanctions"]
    relation = relation_add(
        user=researcher, claim_id=accusation.pk, kind="supports", to_claim_id=sanctions.pk
    )
    relation_add(
        user=researcher, claim_id=desk.claims["draft"].pk, kind="denies", to_claim_id=sanctions.pk
    )
    return accusation, sanctions, relation


def test_jsonl_records_carry_the_relations_both_ways(as_user, reader, desk, related):
    accusation, sanctions, relation = related
    lines = export(as_user(reader), "jsonl", "status=approved&status=submitted").splitlines()
    records = {record["id"]: record for record in map(json.loads, lines)}

    assert records[accusation.pk]["relations"] == [
        {
            "id": relation.pk,
            "kind": "supports",
            "direction": "outgoing",
            "claim": {
                "id": sanctions.pk,
                "url": "http://testserver" + reverse("v1:annotation-detail", args=[sanctions.pk]),
            },
        }
    ]
    # The draft's relation is not there: a draft is private to its author.
    assert [r["claim"]["id"] for r in records[sanctions.pk]["relations"]] == [accusation.pk]
    assert records[sanctions.pk]["relations"][0]["direction"] == "incoming"


def test_csv_names_the_related_claims(as_user, reader, desk, related):
    accusation, sanctions, _relation = related
    text = export(as_user(reader), "csv", "status=approved&status=submitted").decode("utf-8")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(text))}
    url = "http://testserver" + reverse("v1:annotation-detail", args=[sanctions.pk])
    assert rows[str(accusation.pk)]["relations"] == f"supports claim {sanctions.pk} <{url}>"
    assert rows[str(sanctions.pk)]["relations"].startswith(f"claim {accusation.pk} supports this")


def test_webannotation_export_links_the_claims_and_validates(
    as_user, reader, desk, related, conformance_dir, tmp_path
):
    accusation, sanctions, relation = related
    body = export(as_user(reader), "webannotation", "status=approved&status=submitted")
    document = json.loads(body)
    collection, *rest = document
    pages = [node for node in rest if node["type"] == "AnnotationPage"]
    linking = [node for node in rest if node["type"] == "Annotation"]

    assert collection["total"] == sum(len(page["items"]) for page in pages)
    assert len(linking) == 1
    [link] = linking
    annotation_url = "http://testserver" + reverse("v1:annotation-detail", args=[0])[:-1]
    assert link["motivation"] == "linking"
    assert link["target"] == [f"{annotation_url}{accusation.pk}", f"{annotation_url}{sanctions.pk}"]
    assert link["body"]["value"] == "supports"
    assert link["id"].endswith(
        reverse("v1:claim-relation-detail", args=[accusation.pk, relation.pk])
    )
    validate_webanno(conformance_dir, tmp_path, body)


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "webannotation"])
def test_export_queries_do_not_grow_when_relations_double(
    as_user, reader, researcher, reviewer, desk, fmt
):
    bulk_approved(6, article=desk.article, author=researcher, reviewer=reviewer, claimant=desk.rama)
    target = desk.claims["sanctions"]
    claims = list(desk.article.claims.filter(status="approved").exclude(pk=target.pk))
    client = as_user(reader)

    def relate(kind: str) -> None:
        ClaimRelation.objects.bulk_create(
            ClaimRelation(from_claim=claim, to_claim=target, kind=kind, created_by=researcher)
            for claim in claims
        )

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            body = export(client, fmt)
        return len(captured), body.count(b"supports") + body.count(b"repeats")

    count()  # a user's first request makes their throttle counter; later ones update it
    relate("supports")
    few, shown_few = count()
    relate("repeats")
    many, shown_many = count()
    assert shown_many > shown_few > 0
    assert many == few
