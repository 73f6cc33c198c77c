"""Reads of suggestions: an article's, as a researcher works through them, and the
counts of a project."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q

from articles.models import Article, ArticleRevision
from suggestions.compute import claimed_passages, fresh_suggestions
from suggestions.models import Job, JobKind, StoredSuggestion, SuggestionOutcome


@dataclass
class ArticleSuggestionList:
    """The suggestions to show, and the keys of those among them that were dismissed."""

    rows: list[StoredSuggestion]
    dismissed: set[str] = field(default_factory=set)


def _overlaps(row: StoredSuggestion, claimed: list[tuple[int, int]]) -> bool:
    return any(
        start < end_c and start_c < end
        for start, end in row.data["content"]
        for start_c, end_c in claimed
    )


def article_suggestions(
    *, article: Article, revision: ArticleRevision, include_dismissed: bool = False
) -> ArticleSuggestionList:
    """The suggestions of the article's current `revision`, in text order.

    Recomputes them first when they are stale (`fresh_suggestions`). Left out: those
    accepted (they are claims now), those overlapping a claim made since they were
    computed, and, unless `include_dismissed`, those dismissed. A fixed number of
    queries whatever the number of suggestions.
    """
    fresh_suggestions(article, revision)
    rows = list(
        StoredSuggestion.objects.filter(article_id=article.pk, revision_id=revision.pk).order_by(
            "start", "end", "key"
        )
    )
    if not rows:
        return ArticleSuggestionList(rows=[])
    outcomes = {
        key: (dismissed_at, accepted_at)
        for key, dismissed_at, accepted_at in SuggestionOutcome.objects.filter(
            article_id=article.pk
        ).values_list("key", "dismissed_at", "accepted_at")
    }
    claimed = [(span.start, span.end) for span in claimed_passages(article.pk, revision.pk)]
    listed, dismissed = [], set()
    for row in rows:
        dismissed_at, accepted_at = outcomes.get(row.key, (None, None))
        if accepted_at is not None or _overlaps(row, claimed):
            continue
        if dismissed_at is not None:
            if not include_dismissed:
                continue
            dismissed.add(row.key)
        listed.append(row)
    return ArticleSuggestionList(rows=listed, dismissed=dismissed)


COUNT_NAMES = ("shown", "accepted_as_suggested", "accepted_after_edits", "dismissed")


def project_counts(project_id: int) -> dict[str, int]:
    """How useful the suggestions are to the desk, in one query: how many were shown to
    a researcher, accepted as they were, accepted after edits, and dismissed."""
    # The aggregates are named apart from the model's fields (`accepted_as_suggested`).
    counts = SuggestionOutcome.objects.filter(project_id=project_id).aggregate(
        n_shown=Count("pk", filter=Q(shown_at__isnull=False)),
        n_accepted_as_suggested=Count(
            "pk", filter=Q(accepted_at__isnull=False, accepted_as_suggested=True)
        ),
        n_accepted_after_edits=Count(
            "pk", filter=Q(accepted_at__isnull=False, accepted_as_suggested=False)
        ),
        n_dismissed=Count("pk", filter=Q(dismissed_at__isnull=False)),
    )
    return {name: counts[f"n_{name}"] or 0 for name in COUNT_NAMES}


def latest_project_job(project_id: int) -> Job | None:
    """The project's most recent whole-project job, if any."""
    return Job.objects.filter(project_id=project_id, kind=JobKind.PROJECT).first()
