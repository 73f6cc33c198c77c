"""schema.org ClaimReview (JSON-LD) for approved claims that carry a rating.

One `ClaimReview` per claim, following Google's fact-check profile:

- required: `claimReviewed` (the statement), `reviewRating` (a `Rating` with
  `alternateName`, the verdict shown to readers), `url`: where the fact check is read,
  the desk's own page when its publishing settings give a URL template, else the
  public page of a published review, else (not published) the claim's page on this
  site, which needs a login; `isBasedOn` is the claim's W3C annotation IRI;
- recommended, emitted when we have the data: `author` (the publishing organisation,
  `name` and `url`), `datePublished` (when the claim was approved), `itemReviewed` (a
  `Claim` with its `author`, the claimant with its Wikidata page as `sameAs`,
  `datePublished`, the article's publication date, `appearance`, the annotated article,
  and `firstAppearance`, the earliest article of the desk where the claim was found, see
  `publishing.appearances`), `reviewRating.ratingValue` with `worstRating` 1 and
  `bestRating` 5, `reviewRating.name`, `ratingExplanation` (the reviewer's comment).

The numeric scale is the desk's (`publishing.desks`; the site's `RATING_SCALE` unless a
desk sets its own five labels): 1 = False, 2 = Mostly false, 3 = Mixed, 4 = Mostly
true, 5 = True. A rating with a number is worded by the scale, so that the verdict and
the number never disagree; a reviewer's own `rating_label` is the verdict only of a
rating without a number. The publisher (`author`) is the desk's when it names one, else
`CLAIMREVIEW_PUBLISHER`, else this site. A `claimReviewed` over 75 characters (Google's
advice) is exported as it is and reported to `warn`.

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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

import orjson
from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

from annotations.exports.records import Links
from annotations.models import ActorKind, Claim, ClaimStatus, Decision, Review
from publishing.desks import SITE_SCALE, DeskSettings
from publishing.exporting import ExportDesks, PieceFacts, piece_facts

SCHEMA_CONTEXT = "https://schema.org"
CONTENT_TYPE = "application/ld+json"
EXTENSION = "jsonld"
WORST_RATING, BEST_RATING = 1, 5
RATING_SCALE = SITE_SCALE
CLAIM_REVIEWED_ADVISED = 75
WIKIDATA_PAGE = "https://www.wikidata.org/wiki/"
# Items written a piece (some hundred kilobytes): far fewer writes than one an item.
ITEMS_A_PIECE = 100
# Claims whose publications and first appearances are read together: as many as the
# records read at a time (`records.CHUNK_SIZE`).
FACTS_A_PIECE = 500


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


def rating(record: dict[str, Any], desk: DeskSettings | None = None) -> dict[str, Any]:
    """The `Rating` of a record that has one (see `records`: the last rated approval of the
    current review round), worded by the desk's scale (the site's by default)."""
    rated = record["rating"]
    value = rated["value"]
    scale = desk.scale if desk is not None else RATING_SCALE
    label = scale.get(value) or rated["label"] if value is not None else rated["label"]
    out: dict[str, Any] = {"@type": "Rating", "alternateName": label, "name": label}
    if value is not None:
        out.update(ratingValue=value, worstRating=WORST_RATING, bestRating=BEST_RATING)
    if rated["explanation"]:
        out["ratingExplanation"] = rated["explanation"]
    return out


def claim_review(
    record: dict[str, Any],
    publisher: Publisher,
    links: Links,
    *,
    desk: DeskSettings | None = None,
    facts: PieceFacts | None = None,
) -> dict[str, Any]:
    """One ClaimReview for a rated, approved claim record. `desk` words the rating and
    may name the publisher and the review's address; `facts` (of the record's piece)
    give its public page and first appearance."""
    article = record["article"]
    claim_id = record["id"]
    public_path = facts.public_paths.get(claim_id) if facts is not None else None
    url = links.base_url + public_path if public_path else None
    if desk is not None:
        url = desk.review_url(claim_id=claim_id, slug=record.get("project") or "", public_url=url)
        if desk.own_publisher_name or desk.own_publisher_url:
            publisher = Publisher(
                name=desk.own_publisher_name or publisher.name,
                url=desk.own_publisher_url or publisher.url,
            )
    item: dict[str, Any] = {
        "@type": "Claim",
        "author": _claimant(record["claimant"]),
        "text": record["anchor"]["exact"],
        "appearance": [_appearance(article)],
    }
    if article["published"]:
        item["datePublished"] = article["published"]
    first = facts.first_appearances.get(claim_id) if facts is not None else None
    if first is not None:
        item["firstAppearance"] = _appearance(first)
    review: dict[str, Any] = {
        "@context": SCHEMA_CONTEXT,
        "@type": "ClaimReview",
        "url": url or links.claim_page(claim_id),
        "isBasedOn": record["url"],
        "claimReviewed": record["statement"],
        "reviewRating": rating(record, desk),
        "author": {"@type": "Organization", "name": publisher.name, "url": publisher.url},
        "itemReviewed": item,
    }
    published = _date(record["reviewed_at"] or record["rating"]["created"])
    if published:
        review["datePublished"] = published
    review["dateModified"] = record["modified"]
    return review


def _pieces(records: Iterator[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], PieceFacts]]:
    """Each record with the publishing facts of its `FACTS_A_PIECE` (four queries)."""
    while chunk := list(islice(records, FACTS_A_PIECE)):
        facts = piece_facts(
            [record["id"] for record in chunk],
            {record["id"]: record["article"] for record in chunk},
        )
        for record in chunk:
            yield record, facts


def stream(
    records: Iterable[dict[str, Any]],
    *,
    publisher: Publisher,
    links: Links,
    name: str = "Claimdesk fact checks",
    warn: Callable[[str], None] | None = None,
) -> Iterator[bytes]:
    """A DataFeed of ClaimReviews, `ITEMS_A_PIECE` of them a piece. `warn` is told of
    every `claimReviewed` longer than Google advises."""
    head = {
        "@context": SCHEMA_CONTEXT,
        "@type": "DataFeed",
        "name": name,
        "dateModified": dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z"),
    }
    yield orjson.dumps(head)[:-1] + b',"dataFeedElement":['
    desks = ExportDesks()
    separator = b""
    rated = (record for record in records if record["rating"] is not None)
    pieces = _pieces(rated)
    while piece := list(islice(pieces, ITEMS_A_PIECE)):
        items = []
        for record, facts in piece:
            if warn is not None and len(record["statement"]) > CLAIM_REVIEWED_ADVISED:
                warn(
                    f"claim {record['id']}: claimReviewed has {len(record['statement'])} "
                    f"characters; Google advises at most {CLAIM_REVIEWED_ADVISED}."
                )
            item = {
                "@type": "DataFeedItem",
                "dateCreated": record["created"],
                "dateModified": record["modified"],
                "item": claim_review(
                    record, publisher, links, desk=desks(record.get("project")), facts=facts
                ),
            }
            items.append(orjson.dumps(item))
        yield separator + b",\n".join(items)
        separator = b",\n"
    yield b"]}\n"
