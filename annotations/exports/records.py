"""One plain dict per claim, read in chunks: the common ground of every export format.

The records are the claim presenter's (`annotations.claim_presenter`): this module reads
the claims chunk by chunk and gives the presenter each chunk.

`export_claims_queryset` starts from `verified_claims` (approved claims by default, any
claim filter applied). `iter_records` reads any claim queryset with one query (a
server-side cursor on PostgreSQL, `QuerySet.iterator`) and, per chunk of claims, one
query each for their actors, sources, reviews and relations, so memory stays bounded whatever the
size and the number of queries does not grow with the claims of a chunk.

A record (the JSON Lines export writes it as is):

    id, url                   the claim, and its W3C annotation IRI
    status, version
    article                   {id, title, url, api_url, outlet, published, language}
    revision                  {number, url, created}: the text the offsets count in
    anchor                    {start, end, exact, prefix, suffix, state}
    cue, source_mention       {start, end, exact} or null: the reporting words and where
                              the claimant is named, spans of the same revision
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
    project                   the slug of the project (desk) the claim belongs to, so
                              that an export of several desks still says whose each is
    relations                 [{id, kind, direction, claim: {id, url}}]: the claims this
                              one denies, contradicts, supports or repeats (`outgoing`)
                              and those that do so to it (`incoming`); none to a draft
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from itertools import islice
from typing import Any

from django.db.models import F, QuerySet
from django.urls import NoReverseMatch, reverse

from annotations.claim_presenter import LINKS, RATING, ClaimBatch, RecordBuilder, record_rows
from annotations.idurls import IdUrl
from annotations.models import (
    Claim,
)
from annotations.selectors import verified_claims

__all__ = ["LINKS", "RATING", "Links", "export_claims_queryset", "iter_records"]

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

    def project_annotations(self, project_id: int) -> str:
        """The annotation container of one project. Its annotations keep their one IRI
        under `annotations`: a claim is the same resource whichever container lists it."""
        return self.base_url + reverse("v1:project-annotation-list", kwargs={"pk": project_id})

    def actor(self, actor_id: int) -> str:
        return f"{self._prefixes['actor-list']}{actor_id}/"

    def source(self, source_id: int) -> str:
        return f"{self._prefixes['source-list']}{source_id}/"

    def article(self, article_id: int) -> str:
        return f"{self._prefixes['article-list']}{article_id}/"

    def relation(self, claim_id: int, relation_id: int) -> str:
        """A relation of a claim to another, as the API serves it."""
        return self.base_url + reverse(
            "v1:claim-relation-detail", kwargs={"pk": claim_id, "relation_id": relation_id}
        )

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
    # Plain rows, not model instances: several times faster, and nothing (such as
    # prefetch caches that point back at their claim) keeps a chunk alive once written.
    # The project's slug comes last in the same row (an annotation after `values_list`
    # is appended to it): naming the desk costs a join, not a query.
    rows = (
        record_rows(queryset)
        .annotate(project_slug=F("project__slug"))
        .iterator(chunk_size=chunk_size)
    )
    while chunk := list(islice(rows, chunk_size)):
        batch = ClaimBatch([row[0] for row in chunk], using=queryset.db, read=read)
        record = RecordBuilder(batch, links).record
        for row in chunk:
            out = record(row[:-1])
            out["project"] = row[-1]
            yield out
