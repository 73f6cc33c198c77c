"""A claim turned into data for the outside world: the API, the exports and the reader.

Two steps, as for any batch: `ClaimBatch` reads what the claims of a batch link to (their
actors, sources and reviews) with one query each, whatever the number of claims; then
one function per item turns a claim row and the batch into data: `present_claim` for
the API, `claim_record` for the exports (every export format builds from records),
`reader_row` for the reader's claim list. A new field of a claim is read and shown
here.

A claim's relations to other claims are read both ways (the claims it denies and the
claims that deny it), each with the other claim's statement and status; the API shows
those to claims the viewer can see (`Viewer.sees`), the exports those to claims that
are not drafts (a draft is private to its author).

Who may read a claim's private note is decided by `may_read_note` alone: the claim's
author and the reviewers; everyone else gets no note.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, router
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet

from annotations import workflow
from annotations.batches import AmongIds, BatchQuery
from annotations.idurls import IdUrl
from annotations.isotext import IsoDate, IsoDateTime
from annotations.models import (
    Claim,
    ClaimActor,
    ClaimRelation,
    ClaimSource,
    ClaimStatus,
    Decision,
    Review,
    in_current_round,
)
from annotations.roles import can_review

PRIVATE_NOTE = "(private note)"


def _username(prefix: str) -> str:
    return f"{prefix}__{get_user_model().USERNAME_FIELD}"


# ----------------------------------------------------------------------- the note


def may_read_note(user, *, author_id: int | None, project_id: int) -> bool:
    """A claim's note is for its author and the reviewers of its project, not for every
    reader."""
    return user.is_authenticated and (author_id == user.pk or can_review(user, project_id))


def hide_note_from(events, *, user, claim) -> list:
    """The claim's events as this user may read them: the note's values masked unless
    `may_read_note`. The events are changed in memory only (they are never saved)."""
    events = list(events)
    if may_read_note(user, author_id=claim.author_id, project_id=claim.project_id):
        return events
    for event in events:
        if "note" in event.changes:
            event.changes = {**event.changes, "note": [PRIVATE_NOTE, PRIVATE_NOTE]}
        snapshot = event.data.get("snapshot") if isinstance(event.data, dict) else None
        if isinstance(snapshot, dict) and "note" in snapshot:
            event.data = {**event.data, "snapshot": {**snapshot, "note": PRIVATE_NOTE}}
    return events


class Viewer:
    """Who an answer is for: the note, and the allowed actions (the same for every claim
    of a status and project the viewer did or did not write), asked once per kind of
    claim."""

    def __init__(self, user) -> None:
        self.user = user
        self.user_id = user.pk
        self._notes: dict[tuple[int | None, int], bool] = {}
        self._actions: dict[tuple[str, bool, int], list[str]] = {}

    def note(self, author_id: int | None, project_id: int, note: str) -> str:
        key = (author_id, project_id)
        if key not in self._notes:
            self._notes[key] = may_read_note(self.user, author_id=author_id, project_id=project_id)
        return note if self._notes[key] else ""

    def allowed_actions(self, status: str, author_id: int, project_id: int) -> list[str]:
        key = (status, author_id == self.user_id, project_id)
        if key not in self._actions:
            actor = workflow.Participant(
                is_author=key[1],
                can_review=self.user.is_authenticated and can_review(self.user, project_id),
            )
            self._actions[key] = [a.value for a in workflow.allowed_actions(status, actor)]
        return list(self._actions[key])

    def sees(self, relation: Relation, project_id: int) -> bool:
        """Whether the viewer may see the other claim of a relation of a claim they see
        (of `project_id`): a claim of the same project that is no draft, or their own
        draft (every draft, for a superuser), as `claims_visible_to` says."""
        if relation.other_project_id != project_id:
            return False
        return (
            relation.other_status != ClaimStatus.DRAFT
            or relation.other_author_id == self.user_id
            or self.user.is_superuser
        )


# ----------------------------------------------------------------------- the batch

# What a batch may read, each with one query. "rating" alone reads the rated approvals
# of the current round only (the reviews give the rating too).
LINKS = ("actors", "sources", "reviews", "relations")
RATING = "rating"

# A review counts in its claim's current review round when their round numbers agree
# (`Review.objects.of_current_round`, the one rule of what a round holds).
_CURRENT_ROUND = in_current_round()


@functools.cache
def _link_queries(using: str) -> dict[str, BatchQuery]:
    """The queries of a batch's links, compiled once a process (see `BatchQuery`).

    Earns its place: on the small desk (SQLite, same machine, same hour), plain
    `claim_id__in` queries compiled per batch took the webannotation export from 0.82x
    to 0.44x of the floor (target 0.50x) and ClaimReview from 1.39x to 0.88x."""

    def of_batch(model) -> QuerySet:
        return model.objects.using(using).filter(AmongIds(F("claim_id")))

    return {
        "actors": BatchQuery(
            of_batch(ClaimActor)
            .order_by("claim_id", "id")
            .values_list(
                "claim_id", "role", "actor_id", "actor__name", "actor__kind", "actor__wikidata_id"
            )
        ),
        "sources": BatchQuery(
            of_batch(ClaimSource)
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
        ),
        "reviews": BatchQuery(
            of_batch(Review)
            .order_by("claim_id", "created", "id")
            .values_list(
                "claim_id",
                ExpressionWrapper(_CURRENT_ROUND, output_field=BooleanField()),
                "id",
                "reviewer_id",
                _username("reviewer"),
                "decision",
                "reason",
                "comment",
                "rating_value",
                "rating_label",
                "claim_version",
                "review_round",
                IsoDateTime("created"),
            )
        ),
        # Both directions at once: a relation of two claims of one batch is read once and
        # shown on both.
        "relations": BatchQuery(
            ClaimRelation.objects.using(using)
            .filter(AmongIds(F("from_claim_id")) | AmongIds(F("to_claim_id")))
            .order_by("id")
            .values_list(
                "id",
                "kind",
                "from_claim_id",
                "to_claim_id",
                "from_claim__statement",
                "from_claim__status",
                "from_claim__author_id",
                "from_claim__project_id",
                "from_claim__article_id",
                "to_claim__statement",
                "to_claim__status",
                "to_claim__author_id",
                "to_claim__project_id",
                "to_claim__article_id",
            )
        ),
        RATING: BatchQuery(
            of_batch(Review)
            .filter(_CURRENT_ROUND, decision=Decision.APPROVE)
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
        ),
    }


class Actor(NamedTuple):
    role: str
    id: int
    name: str
    kind: str
    wikidata_id: str


class Source(NamedTuple):
    locator: str
    note: str
    id: int
    name: str
    kind: str
    url: str


class ReviewRow(NamedTuple):
    current: bool  # of the claim's current review round
    id: int
    reviewer_id: int
    reviewer: str  # the reviewer's username
    decision: str
    reason: str
    comment: str
    rating_value: int | None
    rating_label: str
    claim_version: int
    review_round: int
    created: str  # ISO 8601


# Each kind as the claim it starts from says it, and as the other claim says it.
RELATION_PHRASES = {
    "denies": ("Denies", "Denied by"),
    "contradicts": ("Contradicts", "Contradicted by"),
    "supports": ("Supports", "Supported by"),
    "repeats": ("Repeats", "Repeated by"),
}


class Relation(NamedTuple):
    """A relation as one of its two claims sees it: `outgoing` when that claim is the
    one it starts from (it denies the other), else incoming (the other denies it)."""

    id: int
    kind: str
    outgoing: bool
    from_claim_id: int
    to_claim_id: int
    other_id: int
    other_statement: str
    other_status: str
    other_author_id: int
    other_project_id: int
    other_article_id: int

    @property
    def direction(self) -> str:
        return "outgoing" if self.outgoing else "incoming"

    @property
    def other_status_label(self) -> str:
        return ClaimStatus(self.other_status).label

    @property
    def phrase(self) -> str:
        """How a page says it of this claim: "Denies" or "Denied by"."""
        return RELATION_PHRASES[self.kind][0 if self.outgoing else 1]


def _relations(rows: Iterable[tuple], ids: Collection[int]) -> dict[int, list[Relation]]:
    """The relations of each claim of `ids`, oldest first, from rows of the batch query."""
    wanted = set(ids)
    out: dict[int, list[Relation]] = {}
    for relation_id, kind, from_id, to_id, *ends in rows:
        from_end, to_end = ends[:5], ends[5:]
        if from_id in wanted:
            out.setdefault(from_id, []).append(
                Relation(relation_id, kind, True, from_id, to_id, to_id, *to_end)
            )
        if to_id in wanted:
            out.setdefault(to_id, []).append(
                Relation(relation_id, kind, False, from_id, to_id, from_id, *from_end)
            )
    return out


def _rating(reviewer, comment, value, label, created) -> dict[str, Any]:
    """A claim's rating, from the approval that gave it."""
    return {
        "value": value,
        "label": label,
        "explanation": comment,
        "reviewer": reviewer,
        "created": created,
    }


class ClaimBatch:
    """The links of a batch of claims, read with one query each (none for an empty
    batch): `actors`, `sources`, `reviews` and `relations` (both ways) by claim id (oldest
    first), and `ratings`, the last rated approval of each claim's current review round.
    `read` names what to read (`LINKS` by default, or `RATING` for the rating alone); what
    is not read is empty."""

    __slots__ = ("actors", "ratings", "relations", "reviews", "sources")

    def __init__(
        self, claim_ids: Collection[int], *, using: str = DEFAULT_DB_ALIAS, read=LINKS
    ) -> None:
        if unknown := set(read) - {*LINKS, RATING}:
            raise ValueError(f"no such links: {', '.join(sorted(unknown))}")
        self.actors: dict[int, list[Actor]] = {}
        self.sources: dict[int, list[Source]] = {}
        self.reviews: dict[int, list[ReviewRow]] = {}
        self.ratings: dict[int, dict[str, Any]] = {}
        self.relations: dict[int, list[Relation]] = {}
        if not claim_ids:
            return
        queries = _link_queries(using)
        ids = list(claim_ids)
        if "actors" in read:
            for claim_id, *actor in queries["actors"].rows(ids):
                self.actors.setdefault(claim_id, []).append(Actor(*actor))
        if "sources" in read:
            for claim_id, *source in queries["sources"].rows(ids):
                self.sources.setdefault(claim_id, []).append(Source(*source))
        if "reviews" in read:
            approve = Decision.APPROVE
            for claim_id, *values in queries["reviews"].rows(ids):
                review = ReviewRow(*values)
                self.reviews.setdefault(claim_id, []).append(review)
                # Oldest first: the last rated approval of the round wins.
                rated = review.rating_value is not None or review.rating_label
                if review.current and review.decision == approve and rated:
                    self.ratings[claim_id] = _rating(
                        review.reviewer,
                        review.comment,
                        review.rating_value,
                        review.rating_label,
                        review.created,
                    )
        elif RATING in read:
            for claim_id, *rating in queries[RATING].rows(ids):
                self.ratings[claim_id] = _rating(*rating)
        if "relations" in read:
            self.relations = _relations(queries["relations"].rows(ids), ids)


# ----------------------------------------------------------------------- the API

# What the API's representation reads of the claim row and the rows it joins.
API_FIELDS = (
    "id",
    "status",
    "version",
    "review_round",
    "anchor_state",
    "article_id",
    "project_id",
    "revision__number",
    "start",
    "end",
    "exact",
    "prefix",
    "suffix",
    *Claim.MARKED_SPAN_FIELDS,
    "statement",
    "claimant_id",
    "claimant__name",
    "certainty",
    "note",
    "author_id",
    "created",  # as a datetime too: cursor pagination reads its position off the rows
    "publication__state",  # one join, no query: a published claim names its public page
)
TIMESTAMPS = ("created", "modified", "submitted_at", "reviewed_at")


def api_rows(queryset: QuerySet[Claim]) -> QuerySet[Claim]:
    """The queryset's claims as the rows `present_claims` reads (dicts), in the
    queryset's order. Paginators may slice it and read `created` and `id` off the rows."""
    texts = {f"{name}_text": IsoDateTime(name) for name in TIMESTAMPS}
    return (
        queryset.select_related(None)
        .prefetch_related(None)
        .values(*API_FIELDS, _username("author"), **texts)
    )


def marked_span(start: int | None, end: int | None, exact: str) -> dict[str, Any] | None:
    """A cue or source mention as the API and the exports give it: `{start, end, exact}`
    (code points into the claim's revision), or None when the claim has none."""
    if start is None:
        return None
    return {"start": start, "end": end, "exact": exact}


def _marked_spans(row: dict[str, Any]) -> dict[str, Any]:
    return {
        name: marked_span(row[f"{name}_start"], row[f"{name}_end"], row[f"{name}_exact"])
        for name in Claim.MARKED_SPANS
    }


def present_claim(row: dict[str, Any], batch: ClaimBatch, viewer: Viewer) -> dict[str, Any]:
    """One claim as the API answers it (the shape `ClaimSerializer` documents)."""
    claim_id, author_id, status = row["id"], row["author_id"], row["status"]
    return {
        "id": claim_id,
        "status": status,
        "version": row["version"],
        "review_round": row["review_round"],
        "anchor_state": row["anchor_state"],
        "article": row["article_id"],
        "project": row["project_id"],
        "revision": row["revision__number"],
        "start": row["start"],
        "end": row["end"],
        "exact": row["exact"],
        "prefix": row["prefix"],
        "suffix": row["suffix"],
        **_marked_spans(row),
        "statement": row["statement"],
        "claimant": {"id": row["claimant_id"], "name": row["claimant__name"]},
        "actors": [
            {"actor": {"id": a.id, "name": a.name}, "role": a.role}
            for a in batch.actors.get(claim_id, ())
        ],
        "sources": [
            {
                "source": {"id": s.id, "name": s.name, "url": s.url},
                "locator": s.locator,
                "note": s.note,
            }
            for s in batch.sources.get(claim_id, ())
        ],
        "certainty": row["certainty"],
        "note": viewer.note(author_id, row["project_id"], row["note"]),
        "author": {"id": author_id, "username": row[_username("author")]},
        "created": row["created_text"],
        "modified": row["modified_text"],
        "submitted_at": row["submitted_at_text"],
        "reviewed_at": row["reviewed_at_text"],
        "reviews": [
            {
                "id": r.id,
                "reviewer": {"id": r.reviewer_id, "username": r.reviewer},
                "claim_version": r.claim_version,
                "review_round": r.review_round,
                "decision": r.decision,
                "reason": r.reason,
                "comment": r.comment,
                "rating_value": r.rating_value,
                "rating_label": r.rating_label,
                "created": r.created,
            }
            for r in batch.reviews.get(claim_id, ())
        ],
        "allowed_actions": viewer.allowed_actions(status, author_id, row["project_id"]),
        "published_url": published_url(claim_id)
        if row["publication__state"] == "published"
        else None,
        "relations": [
            present_relation(r)
            for r in batch.relations.get(claim_id, ())
            if viewer.sees(r, row["project_id"])
        ],
    }


def present_relation(r: Relation) -> dict[str, Any]:
    """One relation as the API shows it on either of its claims (`ClaimRelationSerializer`)."""
    return {
        "id": r.id,
        "kind": r.kind,
        "direction": r.direction,
        "from_claim": r.from_claim_id,
        "to_claim": r.to_claim_id,
        "other_claim": {"id": r.other_id, "statement": r.other_statement},
    }


@functools.cache
def _public_page() -> IdUrl:
    return IdUrl("public_review")


def published_url(claim_id: int) -> str:
    """The public page of a published claim's review (`publishing`): absolute under
    `SITE_URL` when it is set, else the page's path on this site."""
    return (settings.SITE_URL or "").rstrip("/") + _public_page()(claim_id)


def present_claims(
    rows: Iterable[dict[str, Any]], *, user, using: str | None = None
) -> list[dict[str, Any]]:
    """The API's representation of each row (as `api_rows` reads them), in order, as
    `user` sees it: four queries for the links of all the rows, none when empty.
    The links are read from `using`, by default where claims are read here, so that a
    list read from the replica takes its links from the same copy."""
    rows = list(rows)
    if not rows:
        return []
    batch = ClaimBatch([row["id"] for row in rows], using=using or router.db_for_read(Claim))
    viewer = Viewer(user)
    return [present_claim(row, batch, viewer) for row in rows]


def present_one(queryset: QuerySet[Claim], *, user, claim_id: int) -> dict[str, Any]:
    """One claim of `queryset` as `user` sees it; raises Claim.DoesNotExist."""
    rows = list(api_rows(queryset.filter(pk=claim_id)))
    if not rows:
        raise Claim.DoesNotExist
    return present_claims(rows, user=user, using=queryset.db)[0]


# ----------------------------------------------------------------------- the exports

_DRAFT = ClaimStatus.DRAFT.value

# The columns of a claim row of the exports, in the order `RecordBuilder.record` reads them.
RECORD_COLUMNS = (
    "id",
    "status",
    "version",
    *Claim.ANCHOR_FIELDS,
    *Claim.MARKED_SPAN_FIELDS,
    "statement",
    "certainty",
    *map(IsoDateTime, Claim.TIMESTAMP_FIELDS),
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
    "author__USERNAME",
    "author__first_name",
    "author__last_name",
)


def record_rows(queryset: QuerySet[Claim]) -> QuerySet:
    """The queryset's claims as the tuples `RecordBuilder.record` reads, in its order."""
    columns = [_username("author") if c == "author__USERNAME" else c for c in RECORD_COLUMNS]
    return queryset.select_related(None).prefetch_related(None).values_list(*columns)


class RecordBuilder:
    """Builds the export records of one batch of claim rows (see `annotations.exports.
    records` for the record's fields). `links` makes the addresses; what several claims
    share (article, revision, claimant, author) is described once per batch, so records
    share those dicts: treat them as read-only."""

    def __init__(self, batch: ClaimBatch, links) -> None:
        self.batch = batch
        self.links = links
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
            cue_start,
            cue_end,
            cue_exact,
            source_start,
            source_end,
            source_exact,
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
        links, batch = self.links, self.batch
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
            "cue": marked_span(cue_start, cue_end, cue_exact),
            "source_mention": marked_span(source_start, source_end, source_exact),
            "statement": statement,
            "certainty": certainty,
            "claimant": claimant,
            "actors": [
                {
                    "id": a.id,
                    "name": a.name,
                    "kind": a.kind,
                    "wikidata_id": a.wikidata_id or None,
                    "url": links.actor(a.id),
                    "role": a.role,
                }
                for a in batch.actors.get(claim_id, ())
            ],
            "sources": [
                {
                    "id": s.id,
                    "name": s.name,
                    "kind": s.kind,
                    "url": s.url or None,
                    "api_url": links.source(s.id),
                    "locator": s.locator,
                    "note": s.note,
                }
                for s in batch.sources.get(claim_id, ())
            ],
            "author": author,
            "created": created,
            "modified": modified,
            "submitted_at": submitted_at,
            "reviewed_at": reviewed_at,
            "reviews": [
                {
                    "reviewer": r.reviewer,
                    "decision": r.decision,
                    "reason": r.reason,
                    "comment": r.comment,
                    "rating_value": r.rating_value,
                    "rating_label": r.rating_label,
                    "claim_version": r.claim_version,
                    "created": r.created,
                }
                for r in batch.reviews.get(claim_id, ())
            ],
            "rating": batch.ratings.get(claim_id),
            # Drafts are private to their author: an export names no relation to one.
            "relations": [
                {
                    "id": r.id,
                    "kind": r.kind,
                    "direction": r.direction,
                    "claim": {"id": r.other_id, "url": links.annotation(r.other_id)},
                }
                for r in batch.relations.get(claim_id, ())
                if r.other_status != _DRAFT
            ],
        }


# ----------------------------------------------------------------------- the reader


class ReaderRow(NamedTuple):
    """A claim as the reader lists it, read as plain values (`annotations.reader_html`
    reads the same attributes from a `Claim`). The cue and source mention come in the
    same row: marking them costs the reader no query."""

    pk: int
    project_id: int
    revision_id: int
    start: int
    end: int
    exact: str
    anchor_state: str
    status: str
    certainty: str
    statement: str
    cue_start: int | None
    cue_end: int | None
    cue_exact: str
    source_mention_start: int | None
    source_mention_end: int | None
    source_mention_exact: str
    claimant_name: str
    author_id: int
    author_name: str
    # Actor name, role, name, role... in the order they were added.
    actors: tuple[str, ...]

    def marked_span(self, name: str) -> tuple[int, int, str] | None:
        """As `Claim.marked_span`."""
        start = getattr(self, f"{name}_start")
        if start is None:
            return None
        return start, getattr(self, f"{name}_end"), getattr(self, f"{name}_exact")


def reader_rows(claims: QuerySet[Claim]) -> list[ReaderRow]:
    """The claims (as the reader may show them) in text order, with their actors: the
    claims with one query, their actors with one more."""
    columns = (
        *ReaderRow._fields[: ReaderRow._fields.index("claimant_name")],
        "claimant__name",
        "author_id",
        _username("author"),
    )
    rows = list(claims.order_by("start", "-end", "id").values_list(*columns))
    batch = ClaimBatch([row[0] for row in rows], using=claims.db, read=("actors",))
    return [
        ReaderRow(*row, tuple(v for a in batch.actors.get(row[0], ()) for v in (a.name, a.role)))
        for row in rows
    ]
