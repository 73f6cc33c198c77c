"""Records as the exports read them: the current review round, the links a format reads,
and the pieces each format builds from a record."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import orjson
import pytest
from django.db import connection
from django.db.models import F
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, reverse

from annotations.exports import csv_format, webannotation
from annotations.exports.claimreview import rated_claims
from annotations.exports.records import RATING, Links, iter_records
from annotations.isotext import iso
from annotations.models import Claim, Review
from tests.annotations.exports.builders import bulk_approved

pytestmark = pytest.mark.django_db

SITE = Links(base_url="http://testserver")

# --------------------------------------------------------------------------- rating


def rated_claim(desk, researcher, reviewer) -> Claim:
    [pk] = bulk_approved(
        1,
        article=desk.article,
        author=researcher,
        reviewer=reviewer,
        claimant=desk.rama,
        rating=(4, "Mostly true"),
    )
    return Claim.objects.get(pk=pk)


SECOND = dt.datetime(2022, 9, 7, 10, 0, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("claim_round", "review_round", "current"),
    [
        (1, 1, True),
        (2, 1, False),
        (2, 2, True),
        (3, 1, False),
        (0, 0, True),  # never submitted: nothing to tell apart
    ],
    ids=str,
)
@pytest.mark.parametrize("read", [None, (RATING,)], ids=["with reviews", "rating alone"])
def test_rating_counts_from_the_current_review_round_only(
    desk, researcher, reviewer, claim_round, review_round, current, read
):
    claim = rated_claim(desk, researcher, reviewer)
    Claim.objects.filter(pk=claim.pk).update(review_round=claim_round)
    Review.objects.filter(claim=claim).update(review_round=review_round, created=SECOND)
    options = {"read": read} if read else {}
    [record] = iter_records(Claim.objects.filter(pk=claim.pk), SITE, **options)
    assert (record["rating"] is not None) is current
    # The feed's filter agrees.
    assert rated_claims(Claim.objects.filter(pk=claim.pk)).exists() is current
    if current:
        assert record["rating"] == {
            "value": 4,
            "label": "Mostly true",
            "explanation": "Checked against the report.",
            "reviewer": reviewer.username,
            "created": iso(SECOND),
        }


def test_last_rated_approval_of_the_round_is_the_rating(desk, researcher, reviewer, editor):
    claim = rated_claim(desk, researcher, reviewer)
    first = Review.objects.get(claim=claim)
    Review.objects.create(
        claim=claim,
        claim_version=3,
        review_round=1,
        reviewer=editor,
        decision="approve",
        rating_value=2,
        rating_label="",
        comment="Second look.",
    )
    Review.objects.filter(pk=first.pk).update(created=first.created - dt.timedelta(minutes=1))
    [record] = iter_records(Claim.objects.filter(pk=claim.pk), SITE)
    assert record["rating"]["value"] == 2
    assert record["rating"]["explanation"] == "Second look."
    assert [r["reviewer"] for r in record["reviews"]] == [reviewer.username, editor.username]


# --------------------------------------------------------------------------- reading


def test_records_read_the_links_of_each_chunk_with_one_query_each(desk, researcher, reviewer):
    bulk_approved(
        3,
        article=desk.article,
        author=researcher,
        reviewer=reviewer,
        claimant=desk.rama,
        actors=[(desk.iran, "accused")],
        sources=[(desk.report, "annex")],
    )
    claims = Claim.objects.filter(status="approved").order_by("id")
    with CaptureQueriesContext(connection) as queries:
        records = list(iter_records(claims, SITE, chunk_size=2))
    assert len(records) == 5
    assert len(queries) == 1 + 3 * 4  # the claims, then three chunks of four links
    assert all(r["actors"] and r["sources"] and r["reviews"] for r in records)


def test_records_read_only_the_links_asked_for(desk):
    claims = Claim.objects.filter(status="approved").order_by("id")
    everything = list(iter_records(claims, SITE))
    with CaptureQueriesContext(connection) as queries:
        records = list(iter_records(claims, SITE, read=("reviews",)))
    assert len(queries) == 1 + 1
    assert [r["actors"] for r in records] == [[], []]
    assert [r["sources"] for r in records] == [[], []]
    assert [r["reviews"] for r in records] == [r["reviews"] for r in everything]
    assert [r["rating"] for r in records] == [r["rating"] for r in everything]


def test_reading_the_rating_alone_gives_the_rating_the_reviews_give(
    desk, researcher, reviewer, editor
):
    claim = rated_claim(desk, researcher, reviewer)
    Review.objects.create(
        claim=claim,
        claim_version=3,
        review_round=1,
        reviewer=editor,
        decision="approve",
        rating_value=None,
        rating_label="",
        comment="Fine, but no verdict.",
    )
    stale = desk["approved"]
    Claim.objects.filter(pk=stale.pk).update(review_round=F("review_round") + 1)
    claims = Claim.objects.filter(status="approved").order_by("id")
    everything = list(iter_records(claims, SITE))
    with CaptureQueriesContext(connection) as queries:
        records = list(iter_records(claims, SITE, read=(RATING,)))
    assert len(queries) == 1 + 1
    assert [r["rating"] for r in records] == [r["rating"] for r in everything]
    assert [r["rating"] is not None for r in records] == [False, False, True]
    assert all(r["reviews"] == [] for r in records)


def test_unknown_links_are_refused():
    with pytest.raises(ValueError, match="no such links: voters"):
        list(iter_records(Claim.objects.all(), SITE, read=("voters",)))


def test_claim_page_is_the_reversed_url_for_any_claim():
    for claim_id in (1, 7, 10, 918273645, 123456789012):
        assert SITE.claim_page(claim_id) == "http://testserver" + reverse(
            "claim_detail", kwargs={"claim_id": claim_id}
        )


# A site that serves the API without the pages.
urlpatterns = [path("api/", include("annotations.api.urls"))]


@override_settings(ROOT_URLCONF=__name__)
def test_without_claim_pages_a_claims_page_is_its_annotation():
    site = Links(base_url="https://claims.example.org")
    assert site.claim_page(42) == site.annotation(42)
    assert site.claim_page(42) == "https://claims.example.org/api/v1/annotations/42"


# --------------------------------------------------------------------------- formats


def test_csv_row_puts_every_value_in_its_column(desk):
    claims = Claim.objects.filter(pk=desk.claims["approved"].pk)
    [record] = iter_records(claims, SITE)
    article, anchor = record["article"], record["anchor"]
    text = b"".join(csv_format.stream([record])).decode("utf-8")
    header, cells = csv.reader(io.StringIO(text))
    assert tuple(header) == csv_format.COLUMNS
    assert dict(zip(header, cells, strict=True)) == {
        "id": str(record["id"]),
        "url": record["url"],
        "status": "approved",
        "version": str(record["version"]),
        "certainty": "asserted",
        "statement": record["statement"],
        "claimant_id": str(desk.rama.pk),
        "claimant": "Edi Rama",
        "claimant_wikidata_id": "Q167446",
        "accused": "Iran",
        "target": "Albania",
        "supporter": "",
        "denier": "",
        "mentioned": "",
        "sources": (
            "Foreign Policy <https://fp.example/> [paragraph 1] | Joint investigation report"
        ),
        "article_id": str(desk.article.pk),
        "article_title": "Albania cuts ties with Iran over cyberattacks",
        "article_url": "https://news.example/albania-iran",
        "outlet": "Foreign Policy",
        "published": "2022-09-07",
        "language": article["language"],
        "revision": "1",
        "start": str(anchor["start"]),
        "end": str(anchor["end"]),
        "exact": anchor["exact"],
        "prefix": anchor["prefix"],
        "suffix": anchor["suffix"],
        "anchor_state": anchor["state"],
        "author": "rita",
        "created": record["created"],
        "modified": record["modified"],
        "submitted_at": record["submitted_at"],
        "reviewed_at": record["reviewed_at"],
        "approvals": "vera",
        "rating_value": "2",
        "rating_label": "Unproven",
        "project": "main",
        "relations": "",
        **dict.fromkeys(Claim.MARKED_SPAN_FIELDS, ""),
    }


def test_csv_names_of_several_actors_in_a_role_are_joined_in_order():
    def actor(name: str, role: str) -> dict:
        return {"name": name, "role": role}

    record = {
        "id": 1,
        "url": "u",
        "status": "approved",
        "version": 1,
        "certainty": "asserted",
        "statement": "s",
        "claimant": {"id": 1, "name": "c", "wikidata_id": None},
        "actors": [actor("Iran", "accused"), actor("", "accused"), actor("=cmd", "accused")],
        "sources": [],
        "article": dict.fromkeys(("id", "title", "url", "outlet", "published", "language")),
        "revision": {"number": 1},
        "anchor": dict.fromkeys(("start", "end", "exact", "prefix", "suffix", "state")),
        "author": {"username": "rita"},
        "created": None,
        "modified": None,
        "submitted_at": None,
        "reviewed_at": None,
        "reviews": [],
        "rating": None,
        "project": "main",
    }

    def cells() -> dict:
        return dict(zip(csv_format.COLUMNS, csv_format.row(record), strict=True))

    assert cells()["accused"] == "Iran |  | =cmd"
    assert cells()["target"] is None  # an empty cell
    record["actors"] = [actor("=cmd", "denier"), actor("Iran", "denier")]
    assert cells()["denier"] == "'=cmd | Iran"


def test_exported_annotations_are_the_annotations_of_the_records(desk):
    claims = Claim.objects.filter(status="approved").order_by("id")
    records = list(iter_records(claims, SITE))
    container = webannotation.Container(SITE)
    body = b"".join(
        webannotation.stream_export(
            records, SITE, container=container, total=len(records), label="Claims"
        )
    )
    [_, page] = json.loads(body)
    assert page["items"] == [
        json.loads(orjson.dumps(webannotation.annotation(r, SITE))) for r in records
    ]
