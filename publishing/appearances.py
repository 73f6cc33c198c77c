"""Where a claim first appeared: the earliest article of its desk that carries it.

A claim is "found" again in another article when a researcher annotated it there too:
a claim that `repeats` it (either way round), or a claim of the same desk with the same
claimant and the same statement. Drafts and rejected claims do not count. The earliest
is the one whose article was published first (an article without a date counts from
when it was added), the claim's own article included.

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
    # The same words by the same claimant in the same desk, narrowed by each column and
    # matched exactly below: a plain query however many claims are asked about.
    same = Q(pk__in={pk for ids in related.values() for pk in ids}) | Q(
        project_id__in={row["project_id"] for row in own.values()},
        claimant_id__in={row["claimant_id"] for row in own.values()},
        statement__in={row["statement"] for row in own.values()},
    )
    found = (
        Claim.objects.filter(same)
        .exclude(status__in=[ClaimStatus.DRAFT, ClaimStatus.REJECTED])
        .values(*_ARTICLE)
    )
    by_words: dict[tuple, list[dict[str, Any]]] = {}
    by_id: dict[int, dict[str, Any]] = {}
    for row in found:
        by_id[row["id"]] = row
        key = (row["project_id"], row["claimant_id"], row["statement"])
        by_words.setdefault(key, []).append(row)
    out = {}
    for pk, row in own.items():
        key = (row["project_id"], row["claimant_id"], row["statement"])
        candidates = [row, *by_words.get(key, ())]
        candidates += [
            by_id[other]
            for other in related[pk]
            if other in by_id and by_id[other]["project_id"] == row["project_id"]
        ]
        out[pk] = _article(min(candidates, key=_when))
    return out
