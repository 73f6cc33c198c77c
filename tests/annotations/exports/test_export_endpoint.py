"""GET /api/v1/export/claims/ in every format: content, filters, visibility, queries."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.exports import csv_format, webannotation
from tests.annotations.exports.builders import bulk_approved
from tests.annotations.exports.claimreview_check import (
    check_claim_review,
    errors,
    find_claim_reviews,
)
from tests.annotations.exports.conformance import expand, validate_webanno

pytestmark = pytest.mark.django_db

FORMATS = ["jsonl", "csv", "webannotation", "claimreview"]


def export(client, fmt: str, query: str = ""):
    response = client.get(reverse("v1:export-claims") + f"?format={fmt}&{query}")
    assert response.status_code == 200, response.content[:300]
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content)


def jsonl_records(body: bytes) -> list[dict]:
    return [json.loads(line) for line in body.decode("utf-8").splitlines()]


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_needs_a_login(anon, desk, fmt):
    assert anon.get(reverse("v1:export-claims") + f"?format={fmt}").status_code == 401


def test_export_needs_a_known_format(as_user, reader, desk):
    for query in ("", "?format=xml"):
        response = as_user(reader).get(reverse("v1:export-claims") + query)
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "format"


@pytest.mark.parametrize(
    ("fmt", "content_type", "extension"),
    [
        ("jsonl", "application/jsonl; charset=utf-8", ".jsonl"),
        ("csv", "text/csv; charset=utf-8", ".csv"),
        ("webannotation", webannotation.MEDIA_TYPE, ".jsonld"),
        ("claimreview", "application/ld+json", ".jsonld"),
    ],
)
def test_export_is_a_streamed_download(as_user, reader, desk, fmt, content_type, extension):
    response = as_user(reader).get(reverse("v1:export-claims") + f"?format={fmt}")
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith('attachment; filename="claimdesk-')
    assert response["Content-Disposition"].endswith(f'{extension}"')


# --------------------------------------------------------------------------- jsonl


def test_jsonl_holds_the_approved_claims_with_everything(as_user, reader, desk):
    records = jsonl_records(export(as_user(reader), "jsonl"))
    assert [r["id"] for r in records] == [desk.claims["approved"].pk, desk.claims["sanctions"].pk]
    record = records[0]
    assert record["url"].endswith(f"/api/v1/annotations/{record['id']}")
    assert record["status"] == "approved"
    assert record["article"]["title"] == "Albania cuts ties with Iran over cyberattacks"
    assert record["article"]["outlet"] == "Foreign Policy"
    assert record["revision"]["number"] == 1
    assert record["anchor"]["exact"] == "the Iranian state was behind the July cyberattacks"
    assert record["claimant"]["name"] == "Edi Rama"
    assert record["claimant"]["wikidata_id"] == "Q167446"
    assert {(a["name"], a["role"]) for a in record["actors"]} == {
        ("Iran", "accused"),
        ("Albania", "target"),
    }
    assert record["sources"][0]["locator"] == "paragraph 1"
    assert record["certainty"] == "asserted"
    assert record["reviews"][0]["reviewer"] == "vera"
    assert record["rating"]["label"] == "Unproven"
    assert record["author"]["username"] == "rita"


def test_status_filter_widens_the_export_but_never_to_others_drafts(as_user, researcher, desk):
    records = jsonl_records(export(as_user(researcher), "jsonl", "status=draft&status=submitted"))
    ids = {r["id"] for r in records}
    assert ids == {desk.claims["draft"].pk, desk.claims["submitted"].pk}


def test_export_applies_the_claim_filters(as_user, reader, desk):
    records = jsonl_records(export(as_user(reader), "jsonl", f"claimant={desk.united_states.pk}"))
    assert [r["id"] for r in records] == [desk.claims["sanctions"].pk]
    assert export(as_user(reader), "jsonl", "q=no-such-words") == b""


# --------------------------------------------------------------------------- csv


def test_csv_has_the_documented_columns_and_neutralises_formulas(
    as_user, reader, researcher, reviewer, desk
):
    bulk_approved(
        1,
        article=desk.article,
        author=researcher,
        reviewer=reviewer,
        claimant=desk.rama,
        actors=[(desk.iran, "accused"), (desk.united_states, "supporter")],
        statement='=HYPERLINK("http://evil.example","click")',
    )
    rows = list(csv.reader(io.StringIO(export(as_user(reader), "csv").decode("utf-8"))))
    assert tuple(rows[0]) == csv_format.COLUMNS
    by_id = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    approved = by_id[str(desk.claims["approved"].pk)]
    assert approved["claimant"] == "Edi Rama"
    assert approved["accused"] == "Iran"
    assert approved["target"] == "Albania"
    assert approved["sources"] == (
        "Foreign Policy <https://fp.example/> [paragraph 1] | Joint investigation report"
    )
    assert approved["approvals"] == "vera"
    assert approved["rating_label"] == "Unproven"
    injected = next(row for row in by_id.values() if "HYPERLINK" in row["statement"])
    assert injected["statement"].startswith("'=HYPERLINK")
    assert injected["supporter"] == "United States"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+33 6", "'+33 6"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rCR", "'\rCR"),
        ("Tehran said", "Tehran said"),
        ("", ""),
        (None, None),
        (42, 42),
    ],
)
def test_csv_cells_that_look_like_formulas_are_prefixed(value, expected):
    assert csv_format.safe_cells([value]) == [expected]


# --------------------------------------------------------------------------- webannotation


def test_webannotation_export_is_the_collection_and_its_pages(
    as_user, reader, researcher, reviewer, desk, monkeypatch, conformance_dir, tmp_path
):
    monkeypatch.setattr(webannotation, "PAGE_SIZE", 2)
    bulk_approved(
        1,
        article=desk.article,
        author=researcher,
        reviewer=reviewer,
        claimant=desk.rama,
        sources=[(desk.report, "annex")],
    )
    body = export(as_user(reader), "webannotation")
    document = json.loads(body)
    collection, *pages = document
    assert collection["type"] == ["BasicContainer", "AnnotationCollection"]
    assert collection["total"] == 3
    assert collection["first"] == pages[0]["id"]
    assert collection["last"] == pages[-1]["id"]
    assert [len(page["items"]) for page in pages] == [2, 1]
    assert pages[0]["next"] == pages[1]["id"]
    assert pages[1]["prev"] == pages[0]["id"]
    assert all(page["partOf"]["id"] == collection["id"] for page in pages)
    # The ids are the live container's: following them gives the same pages.
    client = as_user(reader)
    live = json.loads(client.get(pages[1]["id"]).content)
    assert [item["id"] for item in live["items"]] == [item["id"] for item in pages[1]["items"]]
    validate_webanno(conformance_dir, tmp_path, body)
    expanded = expand(conformance_dir, document)
    assert len(expanded) == 1 + 2  # the collection and its pages, holding the annotations
    items = expanded[1]["http://www.w3.org/ns/activitystreams#items"][0]["@list"]
    assert items[0]["@type"] == ["http://www.w3.org/ns/oa#Annotation"]


def test_empty_webannotation_export_is_a_valid_empty_collection(
    as_user, reader, desk, conformance_dir, tmp_path
):
    body = export(as_user(reader), "webannotation", "q=no-such-words")
    document = json.loads(body)
    assert len(document) == 1
    assert document[0]["total"] == 0
    validate_webanno(conformance_dir, tmp_path, body)


# --------------------------------------------------------------------------- claimreview


def test_claimreview_export_holds_rated_approved_claims(as_user, reader, desk):
    feed = json.loads(export(as_user(reader), "claimreview"))
    assert feed["@type"] == "DataFeed"
    reviews = list(find_claim_reviews(feed))
    # The sanctions claim is approved but carries no rating.
    assert len(reviews) == 1
    review, context = reviews[0]
    assert errors(check_claim_review(review, context=context)) == []
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == desk.claims["approved"].statement
    claim_id = desk.claims["approved"].pk
    assert review["url"] == "http://testserver" + reverse(
        "claim_detail", kwargs={"claim_id": claim_id}
    )
    assert review["isBasedOn"] == f"http://testserver/api/v1/annotations/{claim_id}"
    rating = review["reviewRating"]
    # The verdict is the scale's word for the number (the reviewer wrote "Unproven"),
    # so that the two never disagree.
    assert rating == {
        "@type": "Rating",
        "alternateName": "Mostly false",
        "name": "Mostly false",
        "ratingValue": 2,
        "worstRating": 1,
        "bestRating": 5,
        "ratingExplanation": "Only the prime minister's word so far.",
    }
    assert review["author"]["@type"] == "Organization"
    assert review["author"]["name"] and review["author"]["url"]
    assert review["datePublished"]
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {
        "@type": "Person",
        "name": "Edi Rama",
        "sameAs": "https://www.wikidata.org/wiki/Q167446",
    }
    assert item["datePublished"] == "2022-09-07"
    assert item["appearance"][0]["url"] == "https://news.example/albania-iran"


def test_claimreview_without_a_label_uses_the_scale(
    as_user, reader, researcher, reviewer, desk, settings
):
    settings.CLAIMREVIEW_PUBLISHER = {"name": "Desk Albania", "url": "https://desk.example/"}
    bulk_approved(
        1,
        article=desk.article,
        author=researcher,
        reviewer=reviewer,
        claimant=desk.iran,
        rating=(1, ""),
    )
    feed = json.loads(export(as_user(reader), "claimreview", f"claimant={desk.iran.pk}"))
    [(review, _)] = find_claim_reviews(feed)
    assert review["reviewRating"]["alternateName"] == "False"
    assert review["reviewRating"]["ratingValue"] == 1
    assert review["itemReviewed"]["author"]["@type"] == "Organization"
    assert review["author"] == {
        "@type": "Organization",
        "name": "Desk Albania",
        "url": "https://desk.example/",
    }


def test_claimreview_never_holds_unapproved_claims(as_user, researcher, desk):
    feed = json.loads(export(as_user(researcher), "claimreview", "status=submitted"))
    assert feed["dataFeedElement"] == []


# --------------------------------------------------------------------------- queries


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_queries_do_not_grow_with_the_claims(
    as_user, reader, researcher, reviewer, desk, fmt
):
    client = as_user(reader)

    def grow():
        bulk_approved(
            15,
            article=desk.article,
            author=researcher,
            reviewer=reviewer,
            claimant=desk.rama,
            actors=[(desk.iran, "accused"), (desk.albania, "target")],
            sources=[(desk.outlet, "p. 1"), (desk.report, "")],
        )

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            export(client, fmt)
        return len(captured)

    grow()
    few = count()
    grow()
    assert count() == few
