"""Claims as the API answers them, built for a whole page at once.

`ClaimSerializer` says what a claim looks like (the OpenAPI schema is generated from
it); `claim_representations` builds exactly that from plain rows. A DRF serializer
resolves every field of every nested object through its own machinery, which made a page
of 100 claims cost more than ten times its queries; here one query reads the page's
claims (with article revision, claimant and author joined) and one query each reads the
actors, sources and reviews of the whole page, whatever its size. The tests compare
both for claims of every shape, so the schema stays true.

Answers depend on who asks: the private `note` is shown to the claim's author and to
reviewers only, and `allowed_actions` are the caller's.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS
from django.db.models import F, QuerySet

from annotations import workflow
from annotations.batches import AmongIds, BatchQuery
from annotations.isotext import IsoDateTime
from annotations.models import Claim, ClaimActor, ClaimSource, Review
from annotations.roles import can_review

# What a claim's representation reads of the claim row and the rows it joins.
CLAIM_FIELDS = (
    "id",
    "status",
    "version",
    "review_round",
    "anchor_state",
    "article_id",
    "revision__number",
    "start",
    "end",
    "exact",
    "prefix",
    "suffix",
    "statement",
    "claimant_id",
    "claimant__name",
    "certainty",
    "note",
    "author_id",
    "created",  # as a datetime too: cursor pagination reads its position off the rows
)
# Timestamps as the database writes them in ISO text (see `annotations.isotext`).
TIMESTAMPS = ("created", "modified", "submitted_at", "reviewed_at")


def claim_rows(queryset: QuerySet[Claim]) -> QuerySet[Claim]:
    """The queryset's claims as the rows `claim_representations` reads (dicts), in the
    queryset's order. Paginators may slice it and read `created` and `id` off the rows."""
    username = f"author__{get_user_model().USERNAME_FIELD}"
    texts = {f"{name}_text": IsoDateTime(name) for name in TIMESTAMPS}
    return (
        queryset.select_related(None)
        .prefetch_related(None)
        .values(*CLAIM_FIELDS, username, **texts)
    )


@functools.cache
def _link_queries(using: str) -> tuple[BatchQuery, BatchQuery, BatchQuery]:
    """The queries of a page's actors, sources and reviews, compiled once a process."""

    def of_claims(model):
        return model.objects.using(using).filter(AmongIds(F("claim_id")))

    username = f"reviewer__{get_user_model().USERNAME_FIELD}"
    return (
        BatchQuery(
            of_claims(ClaimActor)
            .order_by("claim_id", "id")
            .values_list("claim_id", "role", "actor_id", "actor__name")
        ),
        BatchQuery(
            of_claims(ClaimSource)
            .order_by("claim_id", "id")
            .values_list("claim_id", "locator", "note", "source_id", "source__name", "source__url")
        ),
        BatchQuery(
            of_claims(Review)
            .order_by("claim_id", "created", "id")
            .values_list(
                "claim_id",
                "id",
                "reviewer_id",
                username,
                "claim_version",
                "review_round",
                "decision",
                "reason",
                "comment",
                "rating_value",
                "rating_label",
                IsoDateTime("created"),
            )
        ),
    )


def _links(claim_ids: Sequence[int], using: str) -> tuple[dict, dict, dict]:
    """Actors, sources and reviews of these claims, keyed by claim id: three queries."""
    actor_query, source_query, review_query = _link_queries(using)
    actors: dict[int, list] = defaultdict(list)
    for claim_id, role, actor_id, name in actor_query.rows(claim_ids):
        actors[claim_id].append({"actor": {"id": actor_id, "name": name}, "role": role})
    sources: dict[int, list] = defaultdict(list)
    for claim_id, locator, note, source_id, name, url in source_query.rows(claim_ids):
        sources[claim_id].append(
            {
                "source": {"id": source_id, "name": name, "url": url},
                "locator": locator,
                "note": note,
            }
        )
    reviews: dict[int, list] = defaultdict(list)
    for row in review_query.rows(claim_ids):
        claim_id, review_id, reviewer_id, reviewer, version, review_round, *decision, created = row
        reviews[claim_id].append(
            {
                "id": review_id,
                "reviewer": {"id": reviewer_id, "username": reviewer},
                "claim_version": version,
                "review_round": review_round,
                "decision": decision[0],
                "reason": decision[1],
                "comment": decision[2],
                "rating_value": decision[3],
                "rating_label": decision[4],
                "created": created,
            }
        )
    return actors, sources, reviews


class _Caller:
    """What an answer shows depends on who asks: the note, and the allowed actions (the
    same for every claim of a status the caller did or did not write)."""

    def __init__(self, user) -> None:
        self.user_id = user.pk
        self.reviewer = user.is_authenticated and can_review(user)
        self._actions: dict[tuple[str, bool], list[str]] = {}

    def sees_note(self, author_id: int) -> bool:
        return self.reviewer or author_id == self.user_id

    def allowed_actions(self, status: str, author_id: int) -> list[str]:
        key = (status, author_id == self.user_id)
        if key not in self._actions:
            participant = workflow.Participant(is_author=key[1], can_review=self.reviewer)
            self._actions[key] = [a.value for a in workflow.allowed_actions(status, participant)]
        return list(self._actions[key])


def claim_representations(
    rows: Iterable[dict[str, Any]], *, user, using: str = DEFAULT_DB_ALIAS
) -> list[dict[str, Any]]:
    """The API's representation of each claim row (as `claim_rows` reads them), in order,
    as `user` sees it. Three queries for the links of all the rows, none when empty."""
    rows = list(rows)
    if not rows:
        return []
    actors, sources, reviews = _links([row["id"] for row in rows], using)
    caller = _Caller(user)
    username = f"author__{get_user_model().USERNAME_FIELD}"
    out = []
    for row in rows:
        claim_id, author_id, status = row["id"], row["author_id"], row["status"]
        out.append(
            {
                "id": claim_id,
                "status": status,
                "version": row["version"],
                "review_round": row["review_round"],
                "anchor_state": row["anchor_state"],
                "article": row["article_id"],
                "revision": row["revision__number"],
                "start": row["start"],
                "end": row["end"],
                "exact": row["exact"],
                "prefix": row["prefix"],
                "suffix": row["suffix"],
                "statement": row["statement"],
                "claimant": {"id": row["claimant_id"], "name": row["claimant__name"]},
                "actors": actors.get(claim_id, []),
                "sources": sources.get(claim_id, []),
                "certainty": row["certainty"],
                "note": row["note"] if caller.sees_note(author_id) else "",
                "author": {"id": author_id, "username": row[username]},
                "created": row["created_text"],
                "modified": row["modified_text"],
                "submitted_at": row["submitted_at_text"],
                "reviewed_at": row["reviewed_at_text"],
                "reviews": reviews.get(claim_id, []),
                "allowed_actions": caller.allowed_actions(status, author_id),
            }
        )
    return out


def claim_representation(queryset: QuerySet[Claim], *, user, claim_id: int) -> dict[str, Any]:
    """One claim of `queryset` as `user` sees it; raises Claim.DoesNotExist."""
    rows = list(claim_rows(queryset.filter(pk=claim_id)))
    if not rows:
        raise Claim.DoesNotExist
    return claim_representations(rows, user=user, using=queryset.db)[0]
