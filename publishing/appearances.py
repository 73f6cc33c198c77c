"""Where a claim first appeared: the earliest article of its desk that carries it.

A claim is "found" again in another article when a researcher annotated it there too
and said so: a claim of the desk that `repeats` it (either way round). Drafts and
rejected claims do not count. The earliest is the one whose article was published
first (an article without a date counts from when it was added), the claim's own
article included.

Matching claims by their words instead (the same claimant and statement) read every
claim of the chunk's claimants, a share of the desk that grows with it, for each piece
of an export: the relation is the desk's own record and is read through its indexes.

Two queries at most for any number of claims (one when none is tied to another), so
that the export asks once a piece.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from annotations.models import Claim, ClaimRelation, ClaimStatus, RelationKind

_ARTICLE = (
    "id",
    "project_id",
    "status",
    "article_id",
    "article__title",
    "article__url",
    "article__published",
    "article__created",
    "article__outlet__name",
)


def _article(row: dict[str, Any]) -> dict[str, Any]:
    published = row["article__published"]
    return {
        "title": row["article__title"],
        "url": row["article__url"] or None,
        "published": published.isoformat() if published else None,
        "outlet": row["article__outlet__name"],
    }


def _when(row: dict[str, Any]) -> tuple:
    published, created = row["article__published"], row["article__created"]
    return (published.isoformat() if published else created.date().isoformat(), row["id"])


def first_appearances(
    claim_ids: Collection[int], own: dict[int, dict[str, Any]] | None = None
) -> dict[int, dict[str, Any]]:
    """claim id -> the first article it appeared in ({title, url, published, outlet}).

    `own` may give each claim's own article as an export record holds it: a claim that
    no `repeats` relation ties to another then costs no query beyond the relations'."""
    if not claim_ids:
        return {}
    related: dict[int, set[int]] = {pk: set() for pk in claim_ids}
    repeats = ClaimRelation.objects.filter(kind=RelationKind.REPEATS)
    ids = sorted(related)
    # Each way through its own index (an OR of the two lists read the whole table).
    pairs = repeats.filter(from_claim_id__in=ids).values_list("from_claim_id", "to_claim_id")
    pairs = pairs.union(
        repeats.filter(to_claim_id__in=ids).values_list("from_claim_id", "to_claim_id"),
        all=True,
    )
    for left, right in pairs:
        for one, other in ((left, right), (right, left)):
            if one in related:
                related[one].add(other)
    out = {}
    if own is not None:
        for pk in claim_ids:
            if not related[pk]:
                article = own[pk]
                out[pk] = {
                    "title": article["title"],
                    "url": article["url"] or None,
                    "published": article["published"],
                    "outlet": article["outlet"],
                }
    rest = [pk for pk in claim_ids if pk not in out]
    if not rest:
        return out
    rows = {
        row["id"]: row
        for row in Claim.objects.filter(
            pk__in={*rest, *(other for pk in rest for other in related[pk])}
        ).values(*_ARTICLE)
    }
    counted = {
        pk
        for pk, row in rows.items()
        if pk in rest or row["status"] not in (ClaimStatus.DRAFT, ClaimStatus.REJECTED)
    }
    for pk in rest:
        row = rows[pk]
        candidates = [row] + [
            rows[other]
            for other in related[pk]
            if other in counted and rows[other]["project_id"] == row["project_id"]
        ]
        out[pk] = _article(min(candidates, key=_when))
    return out
