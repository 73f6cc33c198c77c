"""schema.org ClaimReview of a published review, from its frozen public content.

The public page embeds it, the JSON-LD feed lists it, and its `url` is the page that
carries it (Google reads the markup only from the page it names). Types and properties
are schema.org's (release 30.0), each where its domain allows it:

    ClaimReview  url, claimReviewed, datePublished, dateModified, author (Organization),
                 reviewRating (Rating), itemReviewed (Claim)
    Rating       ratingValue, worstRating, bestRating, alternateName, name,
                 ratingExplanation (the editor's public explanation)
    Claim        text, author (Person or Organization, `sameAs` its Wikidata page),
                 datePublished, appearance and firstAppearance (CreativeWork: headline,
                 url, datePublished, publisher)
"""

from __future__ import annotations

from typing import Any

import orjson
from django.utils.safestring import SafeString, mark_safe

from publishing.desks import BEST_RATING, WORST_RATING

SCHEMA_CONTEXT = "https://schema.org"
WIKIDATA_PAGE = "https://www.wikidata.org/wiki/"
PERSON_KINDS = frozenset({"person"})
# Google shows claimReviewed on one line of a phone: longer summaries wrap or are cut.
CLAIM_REVIEWED_ADVISED = 75


def claimant(actor: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "@type": "Person" if actor["kind"] in PERSON_KINDS else "Organization",
        "name": actor["name"],
    }
    if actor.get("wikidata_id"):
        out["sameAs"] = WIKIDATA_PAGE + actor["wikidata_id"]
    return out


def creative_work(article: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": "CreativeWork", "headline": article["title"]}
    if article.get("url"):
        out["url"] = article["url"]
    if article.get("published"):
        out["datePublished"] = article["published"]
    if article.get("outlet"):
        out["publisher"] = {"@type": "Organization", "name": article["outlet"]}
    return out


def rating(value: int | None, label: str, explanation: str) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": "Rating", "alternateName": label, "name": label}
    if value is not None:
        out.update(ratingValue=value, worstRating=WORST_RATING, bestRating=BEST_RATING)
    if explanation:
        out["ratingExplanation"] = explanation
    return out


def claim_review(
    content: dict[str, Any],
    *,
    url: str,
    explanation: str,
    published: str,
    modified: str,
    publisher_url: str,
) -> dict[str, Any]:
    """The ClaimReview of published `content` (see `publishing.content`) read at `url`."""
    article = content["article"]
    item: dict[str, Any] = {
        "@type": "Claim",
        "text": content["statement"],
        "author": claimant(content["claimant"]),
        "appearance": [creative_work(article)],
    }
    if article.get("published"):
        item["datePublished"] = article["published"]
    if content.get("first_appearance"):
        item["firstAppearance"] = creative_work(content["first_appearance"])
    publisher = content["publisher"]
    return {
        "@context": SCHEMA_CONTEXT,
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": content["statement"],
        "datePublished": published,
        "dateModified": modified,
        "author": {
            "@type": "Organization",
            "name": publisher["name"],
            "url": publisher["url"] or publisher_url,
        },
        "reviewRating": rating(content["rating"]["value"], content["rating"]["label"], explanation),
        "itemReviewed": item,
    }


def script_json(data: Any) -> SafeString:
    """JSON for a `<script type="application/ld+json">` element: `<`, `>` and `&` are
    written as escapes, so no text of the data can close the element."""
    text = orjson.dumps(data).decode()
    for char, escape in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(char, escape)
    return mark_safe(text)  # escaped above
