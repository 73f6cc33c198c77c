"""Where a claim first appeared: the earliest article of its desk that carries it.

A claim is "found" again in another article when a researcher annotated it there too
and said so: a claim of the desk that `repeats` it (either way round). Drafts and
rejected claims do not count. The earliest is the one whose article was published
first (an article without a date counts from when it was added), the claim's own
article included.

Matching claims by their words instead (the same claimant and statement) read every
claim of the chunk's claimants, a share of the desk that grows with it, for each piece
of an export: the relation is the desk's own record and is read through its indexes.

Three queries for any number of claims, so that the export asks once a piece.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import Q

from annotations.models import Claim, ClaimRelation, ClaimStatus, RelationKind

_ARTICLE = (
    "id",
    "project_id",
    "claimant_id",
    "statement",
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


def first_appearances(claim_ids: Collection[int]) -> dict[int, dict[str, Any]]:
    """claim id -> the first article it appeared in ({title, url, published, outlet})."""
    if not claim_ids:
        return {}
    own = {row["id"]: row for row in Claim.objects.filter(pk__in=claim_ids).values(*_ARTICLE)}
    related: dict[int, set[int]] = {pk: set() for pk in own}
    pairs = ClaimRelation.objects.filter(kind=RelationKind.REPEATS).filter(
        Q(from_claim_id__in=own) | Q(to_claim_id__in=own)
    )
    for left, right in pairs.values_list("from_claim_id", "to_claim_id"):
        for one, other in ((left, right), (right, left)):
            if one in related:
                related[one].add(other)
    repeated = {pk for ids in related.values() for pk in ids}
    found = (
        Claim.objects.filter(pk__in=repeated)
        .exclude(status__in=[ClaimStatus.DRAFT, ClaimStatus.REJECTED])
        .values(*_ARTICLE)
    )
    by_id = {row["id"]: row for row in found}
    out = {}
    for pk, row in own.items():
        candidates = [row]
        candidates += [
            by_id[other]
            for other in related[pk]
            if other in by_id and by_id[other]["project_id"] == row["project_id"]
        ]
        out[pk] = _article(min(candidates, key=_when))
    return out
