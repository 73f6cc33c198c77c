"""One plain dict per claim, read in chunks: the common ground of every export format.

`export_claims_queryset` starts from `verified_claims` (approved claims by default, any
claim filter applied). `iter_records` reads any claim queryset with one query (a
server-side cursor on PostgreSQL, `QuerySet.iterator`) and, per chunk of claims, one
query each for their actors, sources and reviews, so memory stays bounded whatever the
size and the number of queries does not grow with the claims of a chunk.

A record (the JSON Lines export writes it as is):

    id, url                   the claim, and its W3C annotation IRI
    status, version
    article                   {id, title, url, api_url, outlet, published, language}
    revision                  {number, url, created}: the text the offsets count in
    anchor                    {start, end, exact, prefix, suffix, state}
    statement, certainty
    claimant                  {id, name, kind, wikidata_id, url}
    actors                    [{id, name, kind, wikidata_id, url, role}]
    sources                   [{id, name, kind, url, api_url, locator, note}]
    author                    {username, name}
    created, modified, submitted_at, reviewed_at      ISO 8601, UTC
    reviews                   [{reviewer, decision, reason, comment, rating_value,
                                rating_label, claim_version, created}]
    rating                    {value, label, explanation, reviewer, created} or null:
                              the last rated approval of the current review round
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from itertools import islice
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse

from annotations.models import Claim, ClaimActor, ClaimSource, Decision, Review
from annotations.selectors import verified_claims

CHUNK_SIZE = 500


def export_claims_queryset(*, user, filters: Mapping | None = None) -> QuerySet[Claim]:
    """The claims an export of `user` holds, in a stable order (oldest first).

    Raises InvalidInput (naming the field) for a bad filter value.
    """
    return verified_claims(user=user, filters=filters).order_by("id")


def iso(value: dt.datetime | dt.date | None) -> str | None:
    """ISO 8601; datetimes in UTC with a `Z`."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is not dt.UTC:  # the database hands back UTC already
            value = value.astimezone(dt.UTC)
        return value.isoformat()[:-6] + "Z"
    return value.isoformat()


@dataclass(frozen=True)
class Links:
    """Absolute URLs of the API resources an export points to.

    `base_url` is the site root without a trailing slash ("https://claims.example.org").
    """

    base_url: str

    @classmethod
    def from_request(cls, request) -> Links:
        return cls(base_url=request.build_absolute_uri("/").rstrip("/"))

    @cached_property
    def _prefixes(self) -> dict[str, str]:
        return {
            name: self.base_url + reverse(f"v1:{name}")
            for name in ("annotation-list", "actor-list", "source-list", "article-list")
        }

    @property
    def annotations(self) -> str:
        return self._prefixes["annotation-list"]

    def annotation(self, claim_id: int) -> str:
        return f"{self._prefixes['annotation-list']}{claim_id}"

    def actor(self, actor_id: int) -> str:
        return f"{self._prefixes['actor-list']}{actor_id}/"

    def source(self, source_id: int) -> str:
        return f"{self._prefixes['source-list']}{source_id}/"

    def article(self, article_id: int) -> str:
        return f"{self._prefixes['article-list']}{article_id}/"

    def revision(self, article_id: int, number: int) -> str:
        return f"{self._prefixes['article-list']}{article_id}/revisions/{number}/"

    @property
    def site(self) -> str:
        return self.base_url + "/"

    def claim_page(self, claim_id: int) -> str:
        """The claim's page on this site (its annotation IRI if there are no pages)."""
        try:
            return self.base_url + reverse("claim_detail", kwargs={"claim_id": claim_id})
        except NoReverseMatch:
            return self.annotation(claim_id)


# --------------------------------------------------------------------------- reading

# Exports read plain values, not model instances: several times faster, and nothing
# (such as prefetch caches that point back at their claim) keeps a chunk alive once it
# is written.
CLAIM_COLUMNS = (
    "id",
    "status",
    "version",
    "start",
    "end",
    "exact",
    "prefix",
    "suffix",
    "anchor_state",
    "statement",
    "certainty",
    "created",
    "modified",
    "submitted_at",
    "reviewed_at",
    "article_id",
    "article__title",
    "article__url",
    "article__outlet__name",
    "article__published",
    "article__language",
    "revision__number",
    "revision__created",
    "claimant_id",
    "claimant__name",
    "claimant__kind",
    "claimant__wikidata_id",
    "author__first_name",
    "author__last_name",
)


def _username(prefix: str) -> str:
    return f"{prefix}__{get_user_model().USERNAME_FIELD}"


def _of_claims(model, claim_ids: list[int]):
    """`model` rows of these claims. A chunk read in id order usually spans a dense id
    range: a range condition then costs far less than hundreds of parameters, and rows of
    claims outside the chunk are left out by the caller."""
    low, high = min(claim_ids), max(claim_ids)
    if high - low < 2 * len(claim_ids):
        return model.objects.filter(claim_id__gte=low, claim_id__lte=high)
    return model.objects.filter(claim_id__in=claim_ids)


def _links_of(claim_ids: list[int], links: Links) -> tuple[dict, dict, dict]:
    """Actors, sources and reviews of a chunk of claims, keyed by claim id: three
    queries. The same actor in the same role (or source at the same place) is described
    once for the whole chunk. May hold ids of claims outside the chunk, never read."""
    described: dict[tuple, dict[str, Any]] = {}
    actors: dict[int, list] = defaultdict(list)
    for claim_id, role, actor_id, name, kind, wikidata_id in (
        _of_claims(ClaimActor, claim_ids)
        .order_by("claim_id", "id")
        .values_list(
            "claim_id", "role", "actor_id", "actor__name", "actor__kind", "actor__wikidata_id"
        )
    ):
        key = ("actor", actor_id, role)
        if key not in described:
            described[key] = {**_actor(actor_id, name, kind, wikidata_id, links), "role": role}
        actors[claim_id].append(described[key])
    sources: dict[int, list] = defaultdict(list)
    for claim_id, locator, note, source_id, name, kind, url in (
        _of_claims(ClaimSource, claim_ids)
        .order_by("claim_id", "id")
        .values_list(
            "claim_id",
            "locator",
            "note",
            "source_id",
            "source__name",
            "source__kind",
            "source__url",
        )
    ):
        key = ("source", source_id, locator, note)
        if key not in described:
            described[key] = {
                "id": source_id,
                "name": name,
                "kind": kind,
                "url": url or None,
                "api_url": links.source(source_id),
                "locator": locator,
                "note": note,
            }
        sources[claim_id].append(described[key])
    reviews: dict[int, list] = defaultdict(list)
    for claim_id, *review in (
        _of_claims(Review, claim_ids)
        .order_by("claim_id", "created", "id")
        .values_list(
            "claim_id",
            _username("reviewer"),
            "decision",
            "reason",
            "comment",
            "rating_value",
            "rating_label",
            "claim_version",
            "created",
        )
    ):
        reviews[claim_id].append(review)
    return actors, sources, reviews


def _actor(actor_id, name, kind, wikidata_id, links: Links) -> dict[str, Any]:
    return {
        "id": actor_id,
        "name": name,
        "kind": kind,
        "wikidata_id": wikidata_id or None,
        "url": links.actor(actor_id),
    }


def current_rating(reviews: list, submitted_at: dt.datetime | None) -> dict | None:
    """The last approval of the current review round that carries a rating, if any.

    `reviews` are rows as `_links_of` reads them, oldest first.
    """
    rated = None
    for reviewer, decision, _, comment, value, label, _, created in reviews:
        if submitted_at is not None and created < submitted_at:
            continue
        if decision == Decision.APPROVE and (value is not None or label):
            rated = {
                "value": value,
                "label": label,
                "explanation": comment,
                "reviewer": reviewer,
                "created": iso(created),
            }
    return rated


class _ChunkRecords:
    """Builds the records of one chunk; what several claims share (article, revision,
    claimant, author) is described once per chunk."""

    def __init__(self, chunk: list[dict[str, Any]], links: Links, username_key: str) -> None:
        self.links = links
        self.username_key = username_key
        self.actors, self.sources, self.reviews = _links_of([row["id"] for row in chunk], links)
        self.shared: dict[tuple, dict[str, Any]] = {}

    def _once(self, key: tuple, build) -> dict[str, Any]:
        value = self.shared.get(key)
        if value is None:
            value = self.shared[key] = build()
        return value

    def record(self, row: dict[str, Any]) -> dict[str, Any]:
        links = self.links
        claim_id, article_id = row["id"], row["article_id"]
        number = row["revision__number"]
        review_rows = self.reviews.get(claim_id, ())
        username = row[self.username_key]
        return {
            "id": claim_id,
            "url": links.annotation(claim_id),
            "status": row["status"],
            "version": row["version"],
            "article": self._once(
                ("article", article_id),
                lambda: {
                    "id": article_id,
                    "title": row["article__title"],
                    "url": row["article__url"] or None,
                    "api_url": links.article(article_id),
                    "outlet": row["article__outlet__name"],
                    "published": iso(row["article__published"]),
                    "language": row["article__language"],
                },
            ),
            "revision": self._once(
                ("revision", article_id, number),
                lambda: {
                    "number": number,
                    "url": links.revision(article_id, number),
                    "created": iso(row["revision__created"]),
                },
            ),
            "anchor": {
                "start": row["start"],
                "end": row["end"],
                "exact": row["exact"],
                "prefix": row["prefix"],
                "suffix": row["suffix"],
                "state": row["anchor_state"],
            },
            "statement": row["statement"],
            "certainty": row["certainty"],
            "claimant": self._once(
                ("claimant", row["claimant_id"]),
                lambda: _actor(
                    row["claimant_id"],
                    row["claimant__name"],
                    row["claimant__kind"],
                    row["claimant__wikidata_id"],
                    links,
                ),
            ),
            "actors": self.actors.get(claim_id, []),
            "sources": self.sources.get(claim_id, []),
            "author": self._once(
                ("author", username),
                lambda: {
                    "username": username,
                    "name": f"{row['author__first_name']} {row['author__last_name']}".strip()
                    or username,
                },
            ),
            "created": iso(row["created"]),
            "modified": iso(row["modified"]),
            "submitted_at": iso(row["submitted_at"]),
            "reviewed_at": iso(row["reviewed_at"]),
            "reviews": [
                {
                    "reviewer": reviewer,
                    "decision": decision,
                    "reason": reason,
                    "comment": comment,
                    "rating_value": rating_value,
                    "rating_label": rating_label,
                    "claim_version": claim_version,
                    "created": iso(created),
                }
                for (
                    reviewer,
                    decision,
                    reason,
                    comment,
                    rating_value,
                    rating_label,
                    claim_version,
                    created,
                ) in review_rows
            ],
            "rating": current_rating(review_rows, row["submitted_at"]),
        }


def iter_records(
    queryset: QuerySet[Claim], links: Links, *, chunk_size: int = CHUNK_SIZE
) -> Iterator[dict[str, Any]]:
    """Records of the queryset's claims, in its order.

    Reads the claims with one query (a server-side cursor on PostgreSQL) and, for every
    `chunk_size` of them, their actors, sources and reviews with three more; memory
    holds one chunk at a time. Records of a chunk share the dicts that describe the same
    article, actor or source: treat records as read-only.
    """
    username_key = _username("author")
    rows = (
        queryset.select_related(None)
        .prefetch_related(None)
        .values(*CLAIM_COLUMNS, username_key)
        .iterator(chunk_size=chunk_size)
    )
    while chunk := list(islice(rows, chunk_size)):
        builder = _ChunkRecords(chunk, links, username_key)
        for row in chunk:
            yield builder.record(row)
