"""Reads about relations between claims: the claims a relation may point to (the claim
form's picker, likely ones first), a claim's relations for its page, and the relations
of a page of claims (the review queue, the reader).

Candidates are searched the way people remember a claim: by words of its statement or
quote, or by who makes it or is named in it, names and aliases folded as the registry
folds them (`annotations.filters.name_or_alias_matches`), so "Tehran" finds the claims
Iran makes or is accused in.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from django.db.models import (
    Case,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Left

from annotations.claim_presenter import ClaimBatch, Relation, Viewer
from annotations.filters import name_or_alias_matches
from annotations.models import Actor, Certainty, Claim, ClaimActor
from annotations.selectors.claims import claims_visible_to
from annotations.text import fold

CANDIDATES = 20

# What answers what: a denial answers an assertion, and the other way round.
_DENYING = frozenset({Certainty.DENIED})


def opposite_certainties(certainty: str) -> list[str]:
    """The certainties that oppose `certainty` ("denied" opposes what is asserted,
    alleged or confirmed, and the other way round); none for an unknown one."""
    if certainty in _DENYING:
        return [Certainty.ASSERTED, Certainty.ALLEGED, Certainty.CONFIRMED]
    if certainty in Certainty.values:
        return [Certainty.DENIED]
    return []


def relation_candidates(
    *,
    user,
    project_id: int,
    query: str = "",
    article_id: int | None = None,
    exclude_claim_id: int | None = None,
    actor_ids: Collection[int] = (),
    certainty: str = "",
    limit: int = CANDIDATES,
) -> list[dict]:
    """Claims of the project `user` can see that a relation could point to, the likely
    ones first: of the same article (+4), naming one of `actor_ids` as claimant or in
    any role (+2), of the opposite certainty (+1); then newest first.

    With `query`, only claims whose statement or quote holds it, or whose claimant or
    actors have a name or alias with a word starting with it. Three queries.
    """
    claims = claims_visible_to(user).filter(project_id=project_id)
    if exclude_claim_id is not None:
        claims = claims.exclude(pk=exclude_claim_id)
    query = query.strip()
    if query:
        folded = fold(query)
        named = Actor.objects.filter(name_or_alias_matches(folded)).values("pk") if folded else []
        found = Q(statement__icontains=query) | Q(exact__icontains=query)
        if folded:
            found |= Q(claimant__in=named) | Exists(
                ClaimActor.objects.filter(claim=OuterRef("pk"), actor__in=named)
            )
        claims = claims.filter(found)
    actor_ids = sorted(set(actor_ids))
    score = Value(0)
    if article_id is not None:
        score = score + Case(When(article_id=article_id, then=Value(4)), default=Value(0))
    if actor_ids:
        shares = Q(claimant_id__in=actor_ids) | Exists(
            ClaimActor.objects.filter(claim=OuterRef("pk"), actor_id__in=actor_ids)
        )
        score = score + Case(When(shares, then=Value(2)), default=Value(0))
    opposite = opposite_certainties(certainty)
    if opposite:
        score = score + Case(When(certainty__in=opposite, then=Value(1)), default=Value(0))
    rows = list(
        claims.annotate(likely=ExpressionWrapper(score, output_field=IntegerField()))
        .order_by("-likely", "-created", "-id")
        .values(
            "pk",
            "likely",
            "statement",
            "status",
            "certainty",
            "article_id",
            "claimant__name",
            article_title=Left("article__title", 120),
        )[:limit]
    )
    reasons = _reasons(rows, article_id=article_id, actor_ids=actor_ids, opposite=opposite)
    return [
        {
            "id": row["pk"],
            "name": row["statement"],
            "kind": row["claimant__name"],
            "status": row["status"],
            "certainty": row["certainty"],
            "article": row["article_id"],
            "article_title": row["article_title"],
            "reasons": reasons[row["pk"]],
        }
        for row in rows
    ]


def _reasons(rows, *, article_id, actor_ids, opposite) -> dict[int, list[str]]:
    """Why each candidate is offered first, in words: one query for the shared actors."""
    shared: set[int] = set()
    if actor_ids and rows:
        ids = [row["pk"] for row in rows]
        shared = set(
            Claim.objects.filter(pk__in=ids)
            .filter(
                Q(claimant_id__in=actor_ids)
                | Exists(ClaimActor.objects.filter(claim=OuterRef("pk"), actor_id__in=actor_ids))
            )
            .values_list("pk", flat=True)
        )
    out = {}
    for row in rows:
        words = []
        if article_id is not None and row["article_id"] == article_id:
            words.append("same article")
        if row["pk"] in shared:
            words.append("shared actors")
        if row["certainty"] in opposite:
            words.append("opposite certainty")
        out[row["pk"]] = words
    return out


def relations_by_claim(claims: Iterable[Claim], *, user, using: str = "default") -> dict:
    """The relations of each of `claims` (rows with `pk` and `project_id`), both ways,
    to claims `user` can see: `{claim_id: [Relation]}`, one query whatever the number
    of claims (the presenter's batch)."""
    projects = {claim.pk: claim.project_id for claim in claims}
    batch = ClaimBatch(list(projects), using=using, read=("relations",))
    viewer = Viewer(user)
    return {
        claim_id: [r for r in relations if viewer.sees(r, projects[claim_id])]
        for claim_id, relations in batch.relations.items()
    }


__all__ = ["Relation", "opposite_certainties", "relation_candidates", "relations_by_claim"]
