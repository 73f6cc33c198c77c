"""Computing an article's suggestions with the engine and storing them per revision.

The engine (`annotations.suggesting.suggest`) is pure and fast (tens of milliseconds an
article); what is slow is doing it for every article on every view. So suggestions are
computed when a text arrives or changes (a job, see `suggestions.jobs`), for a whole
project on demand, and stored with what they were computed from: the revision and the
actor registry's version. A reader finding them stale (a new revision whose job has not
run yet, or an actor added since) recomputes that one article on the spot
(`fresh_suggestions`), so what it shows always fits the current text and registry.

Passages that are already claims on the current revision are excluded, as the engine's
`exclude` asks.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from annotations import suggesting
from annotations.mention_cache import mention_index, registry_version
from annotations.mentions import MentionIndex
from annotations.models import Actor, Claim
from annotations.suggesting import Span, Suggestion
from articles.models import Article, ArticleRevision
from suggestions.models import ArticleSuggestions, StoredSuggestion

# Actor kinds of the registry, kept with the mention index they were read for.
_kinds_seen: tuple[MentionIndex | None, dict[int, str]] = (None, {})


def actor_kinds(index: MentionIndex) -> dict[int, str]:
    """Every actor's kind (a pronoun resolves to a compatible actor only), read once per
    registry change, like the mention index."""
    global _kinds_seen
    seen_index, kinds = _kinds_seen
    if seen_index is not index:
        kinds = dict(Actor.objects.values_list("id", "kind").iterator(chunk_size=5000))
        _kinds_seen = (index, kinds)
    return kinds


def _span(span: Span | None) -> list[int] | None:
    return [span.start, span.end] if span is not None else None


def suggestion_data(suggestion: Suggestion) -> dict[str, Any]:
    """The engine's suggestion as stored (`StoredSuggestion.data`)."""
    return {
        "content": [[span.start, span.end] for span in suggestion.content],
        "cue": _span(suggestion.cue),
        "source": _span(suggestion.source),
        "claimant_id": suggestion.claimant_id,
        "claimant_text": suggestion.claimant_text,
        "certainty": suggestion.certainty,
        "actors": [[actor.actor_id, actor.role] for actor in suggestion.actors],
    }


def claimed_passages(article_id: int, revision_id: int) -> tuple[Span, ...]:
    """The passages of the article's claims on this revision: no suggestion inside."""
    rows = Claim.objects.filter(article_id=article_id, revision_id=revision_id).values_list(
        "start", "end"
    )
    return tuple(Span(start, end) for start, end in rows)


def engine_suggestions(text: str, *, exclude: tuple[Span, ...] = ()) -> list[Suggestion]:
    """The engine's suggestions for `text` with the registry as it is now."""
    index = mention_index()
    return list(suggesting.suggest(text, index, kinds=actor_kinds(index), exclude=exclude))


def _is_fresh(state: ArticleSuggestions | None, revision: ArticleRevision, registry: str) -> bool:
    return state is not None and state.revision_id == revision.pk and state.registry == registry


@transaction.atomic
def suggestions_refresh(*, article_id: int, force: bool = False) -> ArticleSuggestions | None:
    """Compute and store the suggestions of the article's current revision.

    Locks the article row (as `article_revise` does, so a revision and a computation
    never interleave); does nothing when the stored ones are fresh, unless `force`.
    Returns the article's state, or None when the article is gone or has no text.
    """
    article = Article.objects.select_for_update().filter(pk=article_id).only("pk").first()
    if article is None:
        return None
    revision = article.current_revision
    if revision is None:
        return None
    registry = registry_version()
    state = ArticleSuggestions.objects.filter(article_id=article_id).first()
    if not force and _is_fresh(state, revision, registry):
        return state
    found = engine_suggestions(revision.text, exclude=claimed_passages(article_id, revision.pk))
    rows: dict[str, StoredSuggestion] = {}
    for suggestion in found:
        key = suggestion.key(revision.text)
        if key in rows:
            continue
        rows[key] = StoredSuggestion(
            article_id=article_id,
            revision=revision,
            key=key,
            start=suggestion.start,
            end=suggestion.end,
            confidence=float(suggestion.confidence),
            data=suggestion_data(suggestion),
        )
    StoredSuggestion.objects.filter(article_id=article_id).delete()
    StoredSuggestion.objects.bulk_create(rows.values())
    state, _ = ArticleSuggestions.objects.update_or_create(
        article_id=article_id,
        defaults={
            "revision": revision,
            "registry": registry,
            "computed": timezone.now(),
            "count": len(rows),
        },
    )
    return state


def fresh_suggestions(article: Article, revision: ArticleRevision) -> None:
    """Make sure the stored suggestions fit `revision` (the current one) and the registry
    as it is now, computing them here if not. Costs a few queries when they do."""
    state = ArticleSuggestions.objects.filter(article_id=article.pk).first()
    if not _is_fresh(state, revision, registry_version()):
        suggestions_refresh(article_id=article.pk)
