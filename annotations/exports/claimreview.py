"""schema.org ClaimReview (JSON-LD) for approved claims that carry a rating.

One `ClaimReview` per claim, following Google's fact-check profile:

- required: `claimReviewed` (the statement), `reviewRating` (a `Rating` with
  `alternateName`, the verdict shown to readers), `url` (the claim's page on this
  site); `isBasedOn` is the claim's W3C annotation IRI;
- recommended, emitted when we have the data: `author` (the publishing organisation,
  `name` and `url`), `datePublished` (when the claim was approved), `itemReviewed` (a
  `Claim` with its `author`, the claimant, `datePublished`, the article's publication
  date, and `appearance`, the annotated article), `reviewRating.ratingValue` with
  `worstRating` 1 and `bestRating` 5, `reviewRating.name`, `ratingExplanation` (the
  reviewer's comment).

The numeric scale (`RATING_SCALE`) is 1 = False, 2 = Mostly false, 3 = Mixed,
4 = Mostly true, 5 = True. A reviewer's own `rating_label` ("Unproven") is the verdict
when given; otherwise the label of the scale.

The claim's project (desk) is left out, unlike in the other formats: a ClaimReview
speaks for the publisher (`author`) to fact-check readers and aggregators, the desk is
how the newsroom divides its work, and schema.org has no property those readers take
for it. An export of one project is still only that project's claims.

The export is a schema.org `DataFeed` whose `dataFeedElement`s are `DataFeedItem`s, each
holding one complete ClaimReview (with its own `@context`), the shape the DataCommons
fact-check feed uses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson
from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

from annotations.exports.records import Links
from annotations.models import ActorKind, Claim, ClaimStatus, Decision, Review

SCHEMA_CONTEXT = "https://schema.org"
CONTENT_TYPE = "application/ld+json"
EXTENSION = "jsonld"
WORST_RATING, BEST_RATING = 1, 5
RATING_SCALE = {1: "False", 2: "Mostly false", 3: "Mixed", 4: "Mostly true", 5: "True"}
WIKIDATA_PAGE = "https://www.wikidata.org/wiki/"
# Items written a piece (some hundred kilobytes): far fewer writes than one an item.
ITEMS_A_PIECE = 100


@dataclass(frozen=True)
class Publisher:
    """Who publishes the fact checks: the `author` of every ClaimReview."""

    name: str
    url: str

    @classmethod
    def default(cls, links: Links) -> Publisher:
        """`settings.CLAIMREVIEW_PUBLISHER` ({"name", "url"}) when set, else this site."""
        configured = getattr(settings, "CLAIMREVIEW_PUBLISHER", None) or {}
        return cls(
            name=configured.get("name") or "Claimdesk", url=configured.get("url") or links.site
        )


def rated_claims(queryset: QuerySet[Claim]) -> QuerySet[Claim]:
    """Only approved claims whose current review round has a rated approval."""
    rated = (
        Review.objects.of_current_round(OuterRef("review_round"))
        .filter(claim=OuterRef("pk"), decision=Decision.APPROVE)
        .filter(Q(rating_value__isnull=False) | ~Q(rating_label=""))
    )
    return queryset.filter(Exists(rated), status=ClaimStatus.APPROVED)


def _date(value: str | None) -> str | None:
    return value[:10] if value else None


def _claimant(actor: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "@type": "Person" if actor["kind"] == ActorKind.PERSON else "Organization",
        "name": actor["name"],
    }
    if actor["wikidata_id"]:
        out["sameAs"] = WIKIDATA_PAGE + actor["wikidata_id"]
    return out


def _appearance(article: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": "CreativeWork", "headline": article["title"]}
    if article["url"]:
        out["url"] = article["url"]
    if article["published"]:
        out["datePublished"] = article["published"]
    if article["outlet"]:
        out["publisher"] = {"@type": "Organization", "name": article["outlet"]}
    return out


def rating(record: dict[str, Any]) -> dict[str, Any]:
    """The `Rating` of a record that has one (see `records`: the last rated approval of the
    current review round)."""
    rated = record["rating"]
    value = rated["value"]
    label = rated["label"] or RATING_SCALE.get(value, "")
    out: dict[str, Any] = {"@type": "Rating", "alternateName": label, "name": label}
    if value is not None:
        out.update(ratingValue=value, worstRating=WORST_RATING, bestRating=BEST_RATING)
    if rated["explanation"]:
        out["ratingExplanation"] = rated["explanation"]
    return out


def claim_review(record: dict[str, Any], publisher: Publisher, links: Links) -> dict[str, Any]:
    """One ClaimReview for a rated, approved claim record."""
    article = record["article"]
    item: dict[str, Any] = {
        "@type": "Claim",
        "author": _claimant(record["claimant"]),
        "text": record["anchor"]["exact"],
        "appearance": [_appearance(article)],
    }
    if article["published"]:
        item["datePublished"] = article["published"]
    review: dict[str, Any] = {
        "@context": SCHEMA_CONTEXT,
        "@type": "ClaimReview",
        "url": links.claim_page(record["id"]),
        "isBasedOn": record["url"],
        "claimReviewed": record["statement"],
        "reviewRating": rating(record),
        "author": {"@type": "Organization", "name": publisher.name, "url": publisher.url},
        "itemReviewed": item,
    }
    published = _date(record["reviewed_at"] or record["rating"]["created"])
    if published:
        review["datePublished"] = published
    review["dateModified"] = record["modified"]
    return review


def stream(
    records: Iterable[dict[str, Any]],
    *,
    publisher: Publisher,
    links: Links,
    name: str = "Claimdesk fact checks",
) -> Iterator[bytes]:
    """A DataFeed of ClaimReviews, `ITEMS_A_PIECE` of them a piece."""
    head = {
        "@context": SCHEMA_CONTEXT,
        "@type": "DataFeed",
        "name": name,
        "dateModified": dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z"),
    }
    yield orjson.dumps(head)[:-1] + b',"dataFeedElement":['
    items: list[bytes] = []
    separator = b""
    for record in records:
        if record["rating"] is None:
            continue
        item = {
            "@type": "DataFeedItem",
            "dateCreated": record["created"],
            "dateModified": record["modified"],
            "item": claim_review(record, publisher, links),
        }
        items.append(orjson.dumps(item))
        if len(items) == ITEMS_A_PIECE:
            yield separator + b",\n".join(items)
            items.clear()
            separator = b",\n"
    if items:
        yield separator + b",\n".join(items)
    yield b"]}\n"
