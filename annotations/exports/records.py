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

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from itertools import groupby, islice
from operator import itemgetter
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet
from django.urls import NoReverseMatch, reverse

from annotations.batches import AmongIds, BatchQuery
from annotations.idurls import IdUrl
from annotations.isotext import IsoDate, IsoDateTime
from annotations.models import (
    Claim,
    ClaimActor,
    ClaimSource,
    Decision,
    Review,
    in_current_round,
)
from annotations.selectors import verified_claims

CHUNK_SIZE = 500


def export_claims_queryset(*, user, filters: Mapping | None = None) -> QuerySet[Claim]:
    """The claims an export of `user` holds, in a stable order (oldest first).

    Raises InvalidInput (naming the field) for a bad filter value.
    """
    return verified_claims(user=user, filters=filters).order_by("id")


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

    @cached_property
    def _claim_page(self) -> IdUrl | None:
        """The claim page's address (see `IdUrl`): an export writes thousands of them.
        None on a site without claim pages."""
        try:
            return IdUrl("claim_detail")
        except NoReverseMatch:
            return None

    def claim_page(self, claim_id: int) -> str:
        """The claim's page on this site (its annotation IRI if there are no pages)."""
        page = self._claim_page
        if page is None:
            return self.annotation(claim_id)
        return self.base_url + page(claim_id)


# --------------------------------------------------------------------------- reading

# Exports read plain rows, not model instances: several times faster, and nothing (such
# as prefetch caches that point back at their claim) keeps a chunk alive once it is
# written. Timestamps and dates come as ISO text (see `IsoDateTime`): no converter runs
# on a claim row.


def _username(prefix: str) -> str:
    return f"{prefix}__{get_user_model().USERNAME_FIELD}"


def _claim_columns() -> tuple:
    """The columns of a claim row, in the order `_ChunkRecords.record` unpacks them."""
    return (
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
        IsoDateTime("created"),
        IsoDateTime("modified"),
        IsoDateTime("submitted_at"),
        IsoDateTime("reviewed_at"),
        "article_id",
        "article__title",
        "article__url",
        "article__outlet__name",
        IsoDate("article__published"),
        "article__language",
        "revision_id",
        "revision__number",
        IsoDateTime("revision__created"),
        "claimant_id",
        "claimant__name",
        "claimant__kind",
        "claimant__wikidata_id",
        "author_id",
        _username("author"),
        "author__first_name",
        "author__last_name",
    )


class _Grouped:
    """Dicts of a chunk's claims: one list for the whole chunk, and the span of each
    claim in it. A list per claim, alive for the whole chunk, would be walked by the
    cycle collector again and again (dicts of plain values are not tracked)."""

    __slots__ = ("items", "spans")

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self.spans: dict[int, tuple[int, int]] = {}

    def add(self, claim_id: int, items: list[dict[str, Any]]) -> None:
        start = len(self.items)
        self.items += items
        self.spans[claim_id] = (start, start + len(items))

    def of(self, claim_id: int) -> list[dict[str, Any]]:
        span = self.spans.get(claim_id)
        return self.items[span[0] : span[1]] if span else []


_claim_of = itemgetter(0)


def _in_current_round() -> ExpressionWrapper:
    """Whether a review was given in its claim's current review round, as a column."""
    return ExpressionWrapper(in_current_round(), output_field=BooleanField())


# What a record may link to, each read by one query a chunk. The reviews give the rating
# too; "rating" alone reads the rated approvals of the current round only.
LINKS = ("actors", "sources", "reviews")
RATING = "rating"


class _ChunkLinks:
    """Reads the links (`LINKS`, or some of them, or `RATING`) of chunk after chunk:
    one query a chunk for each, built once."""

    def __init__(self, links: Links, using: str, read: Collection[str] = LINKS) -> None:
        if unknown := set(read) - {*LINKS, RATING}:
            raise ValueError(f"no such links: {', '.join(sorted(unknown))}")
        self.links = links
        self.actors = self.sources = self.reviews = self.ratings = None

        def of_chunk(model) -> QuerySet:
            return model.objects.using(using).filter(AmongIds(F("claim_id")))

        if "actors" in read:
            self.actors = BatchQuery(
                of_chunk(ClaimActor)
                .order_by("claim_id", "id")
                .values_list(
                    "claim_id",
                    "role",
                    "actor_id",
                    "actor__name",
                    "actor__kind",
                    "actor__wikidata_id",
                )
            )
        if "sources" in read:
            self.sources = BatchQuery(
                of_chunk(ClaimSource)
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
            )
        if "reviews" in read:
            self.reviews = BatchQuery(
                of_chunk(Review)
                .order_by("claim_id", "created", "id")
                .values_list(
                    "claim_id",
                    _in_current_round(),
                    _username("reviewer"),
                    "decision",
                    "reason",
                    "comment",
                    "rating_value",
                    "rating_label",
                    "claim_version",
                    IsoDateTime("created"),
                )
            )
        elif RATING in read:
            self.ratings = BatchQuery(
                of_chunk(Review)
                .of_current_round()
                .filter(decision=Decision.APPROVE)
                .filter(Q(rating_value__isnull=False) | ~Q(rating_label=""))
                .order_by("claim_id", "created", "id")
                .values_list(
                    "claim_id",
                    _username("reviewer"),
                    "comment",
                    "rating_value",
                    "rating_label",
                    IsoDateTime("created"),
                )
            )

    def of(self, claim_ids: list[int]) -> tuple[_Grouped, _Grouped, _Grouped, dict]:
        """Actors, sources and reviews of these claims, and their ratings (the last
        approval of the current review round that carries a rating) by claim id."""
        actors, sources, reviews = _Grouped(), _Grouped(), _Grouped()
        ratings: dict[int, dict[str, Any]] = {}
        if self.actors is not None:
            actor_url = self.links.actor
            for claim_id, rows in groupby(self.actors.rows(claim_ids), _claim_of):
                actors.add(
                    claim_id,
                    [
                        {
                            "id": actor_id,
                            "name": name,
                            "kind": kind,
                            "wikidata_id": wikidata_id or None,
                            "url": actor_url(actor_id),
                            "role": role,
                        }
                        for _, role, actor_id, name, kind, wikidata_id in rows
                    ],
                )
        if self.sources is not None:
            source_url = self.links.source
            for claim_id, rows in groupby(self.sources.rows(claim_ids), _claim_of):
                sources.add(
                    claim_id,
                    [
                        {
                            "id": source_id,
                            "name": name,
                            "kind": kind,
                            "url": url or None,
                            "api_url": source_url(source_id),
                            "locator": locator,
                            "note": note,
                        }
                        for _, locator, note, source_id, name, kind, url in rows
                    ],
                )
        if self.reviews is not None:
            approve = Decision.APPROVE
            for claim_id, rows in groupby(self.reviews.rows(claim_ids), _claim_of):
                described = []
                for (
                    _,
                    current,
                    reviewer,
                    decision,
                    reason,
                    comment,
                    value,
                    label,
                    version,
                    created,
                ) in rows:
                    described.append(
                        {
                            "reviewer": reviewer,
                            "decision": decision,
                            "reason": reason,
                            "comment": comment,
                            "rating_value": value,
                            "rating_label": label,
                            "claim_version": version,
                            "created": created,
                        }
                    )
                    # Oldest first: the last rated approval of the round wins.
                    if current and decision == approve and (value is not None or label):
                        ratings[claim_id] = _rating(reviewer, comment, value, label, created)
                reviews.add(claim_id, described)
        elif self.ratings is not None:
            # Oldest first, rated approvals of the round only: the last one wins.
            for claim_id, *review in self.ratings.rows(claim_ids):
                ratings[claim_id] = _rating(*review)
        return actors, sources, reviews, ratings


def _rating(reviewer, comment, value, label, created) -> dict[str, Any]:
    """A record's `rating`, from the approval that gave it."""
    return {
        "value": value,
        "label": label,
        "explanation": comment,
        "reviewer": reviewer,
        "created": created,
    }


class _ChunkRecords:
    """Builds the records of one chunk; what several claims share (article, revision,
    claimant, author) is described once per chunk."""

    def __init__(self, chunk: list[tuple], links: Links, chunk_links: _ChunkLinks) -> None:
        self.links = links
        self.actors, self.sources, self.reviews, self.ratings = chunk_links.of(
            [row[0] for row in chunk]
        )
        self.articles: dict[int, dict[str, Any]] = {}
        self.revisions: dict[int, dict[str, Any]] = {}
        self.claimants: dict[int, dict[str, Any]] = {}
        self.authors: dict[int, dict[str, Any]] = {}

    def record(self, row: tuple) -> dict[str, Any]:
        (
            claim_id,
            status,
            version,
            start,
            end,
            exact,
            prefix,
            suffix,
            anchor_state,
            statement,
            certainty,
            created,
            modified,
            submitted_at,
            reviewed_at,
            article_id,
            title,
            article_url,
            outlet,
            published,
            language,
            revision_id,
            number,
            revised,
            claimant_id,
            claimant_name,
            claimant_kind,
            claimant_wikidata_id,
            author_id,
            username,
            first_name,
            last_name,
        ) = row
        links = self.links
        article = self.articles.get(article_id)
        if article is None:
            article = self.articles[article_id] = {
                "id": article_id,
                "title": title,
                "url": article_url or None,
                "api_url": links.article(article_id),
                "outlet": outlet,
                "published": published,
                "language": language,
            }
        revision = self.revisions.get(revision_id)
        if revision is None:
            revision = self.revisions[revision_id] = {
                "number": number,
                "url": links.revision(article_id, number),
                "created": revised,
            }
        claimant = self.claimants.get(claimant_id)
        if claimant is None:
            claimant = self.claimants[claimant_id] = {
                "id": claimant_id,
                "name": claimant_name,
                "kind": claimant_kind,
                "wikidata_id": claimant_wikidata_id or None,
                "url": links.actor(claimant_id),
            }
        author = self.authors.get(author_id)
        if author is None:
            author = self.authors[author_id] = {
                "username": username,
                "name": f"{first_name} {last_name}".strip() or username,
            }
        return {
            "id": claim_id,
            "url": links.annotation(claim_id),
            "status": status,
            "version": version,
            "article": article,
            "revision": revision,
            "anchor": {
                "start": start,
                "end": end,
                "exact": exact,
                "prefix": prefix,
                "suffix": suffix,
                "state": anchor_state,
            },
            "statement": statement,
            "certainty": certainty,
            "claimant": claimant,
            "actors": self.actors.of(claim_id),
            "sources": self.sources.of(claim_id),
            "author": author,
            "created": created,
            "modified": modified,
            "submitted_at": submitted_at,
            "reviewed_at": reviewed_at,
            "reviews": self.reviews.of(claim_id),
            "rating": self.ratings.get(claim_id),
        }


def iter_records(
    queryset: QuerySet[Claim],
    links: Links,
    *,
    chunk_size: int = CHUNK_SIZE,
    read: Collection[str] = LINKS,
) -> Iterator[dict[str, Any]]:
    """Records of the queryset's claims, in its order.

    Reads the claims with one query (a server-side cursor on PostgreSQL) and, for every
    `chunk_size` of them, their actors, sources and reviews with one query each; memory
    holds one chunk at a time. `read` names the links to read (`LINKS` by default):
    those left out are empty lists, for a format that does not show them; `RATING`
    instead of the reviews reads the rating alone. Records of a chunk share the dicts
    that describe the same article, revision, claimant or author: treat records as
    read-only.
    """
    rows = (
        queryset.select_related(None)
        .prefetch_related(None)
        .values_list(*_claim_columns())
        .iterator(chunk_size=chunk_size)
    )
    chunk_links = _ChunkLinks(links, queryset.db, read)
    while chunk := list(islice(rows, chunk_size)):
        record = _ChunkRecords(chunk, links, chunk_links).record
        for row in chunk:
            yield record(row)
