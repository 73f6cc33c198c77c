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
from projects import access


def articles_visible_to(user) -> QuerySet[Article]:
    """The articles of the projects `user` belongs to (superusers: every article).

    Every read of an article by id starts here, so an article of another project is
    "not found", never "forbidden"."""
    if not user.is_authenticated:
        return Article.objects.none()
    if user.is_superuser:
        return Article.objects.all()
    return Article.objects.filter(project_id__in=sorted(access.project_ids(user)))


def revisions_visible_to(user) -> QuerySet[ArticleRevision]:
    """The revisions of the articles `user` may read."""
    if not user.is_authenticated:
        return ArticleRevision.objects.none()
    if user.is_superuser:
        return ArticleRevision.objects.all()
    return ArticleRevision.objects.filter(article__project_id__in=sorted(access.project_ids(user)))


def article_list(*, user, filters: Mapping | None = None) -> QuerySet[Article]:
    """The articles `user` may read, newest first, without their texts, filtered by
    `ArticleFilter` (`q`, `outlet`, `language`, `project`), each with `revision_number`:
    its current revision's number. Raises InvalidInput naming the field on a bad value."""
    latest = (
        ArticleRevision.objects.filter(article=OuterRef("pk")).order_by("-number").values("number")
    )
    articles = (
        articles_visible_to(user)
        .select_related("outlet", "project")
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
