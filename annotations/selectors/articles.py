"""Articles: the list with its claim counts, and anchor-state counts, as a user sees them.

The article list page and `GET /api/v1/articles/` both read `article_list` and
`claim_counts`; the revision pages and the API's revise answer read
`anchor_state_counts`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from django.db.models import Count, OuterRef, QuerySet, Subquery

from annotations.filters import ArticleFilter
from annotations.models import AnchorState, Claim
from annotations.selectors.claims import claims_visible_to
from annotations.selectors.filtering import filtered
from articles.models import Article, ArticleRevision


def article_list(*, filters: Mapping | None = None) -> QuerySet[Article]:
    """Articles newest first, without their texts, filtered by `ArticleFilter` (`q`,
    `outlet`, `language`), each with `revision_number`: its current revision's number.
    Raises InvalidInput naming the field on a bad value."""
    latest = (
        ArticleRevision.objects.filter(article=OuterRef("pk")).order_by("-number").values("number")
    )
    articles = (
        Article.objects.select_related("outlet")
        .defer("text", "raw")
        .annotate(revision_number=Subquery(latest[:1]))
    )
    return filtered(ArticleFilter, articles, filters)


def claim_counts(user, article_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Claims `user` can see (drafts: the user's own), per article and status, in one
    query. Articles without claims are left out."""
    rows = (
        claims_visible_to(user)
        .filter(article_id__in=list(article_ids))
        .order_by()
        .values_list("article_id", "status")
        .annotate(n=Count("id"))
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for article_id, status, n in rows:
        counts[article_id][status] = n
    return dict(counts)


def anchor_state_counts(article: Article, *, user=None) -> dict[str, int]:
    """The article's claims per anchor state (every state, zeros too): those `user` can
    see, or all of them without a user (what a revision did to the article)."""
    claims = Claim.objects.all() if user is None else claims_visible_to(user)
    found = dict(
        claims.filter(article=article)
        .values_list("anchor_state")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {state: found.get(state, 0) for state in AnchorState.values}
