"""Building suggestions for tests: stored as the engine's would be (same keys, same
data), marked fresh, so a test of what people do with them does not depend on what
the engine finds in a text."""

from __future__ import annotations

from django.utils import timezone

from annotations.mention_cache import registry_version
from annotations.suggesting import Span, SuggestedActor, Suggestion
from suggestions.compute import suggestion_data
from suggestions.models import ArticleSuggestions, StoredSuggestion

# Two passages of the factories' article the tests suggest.
ACCUSATION = "an investigation had shown the Iranian state was behind the July cyberattacks"
DENIAL = "Iran had never attacked Albania"


def suggestion_for(
    text: str,
    exact: str,
    *,
    claimant=None,
    claimant_text: str = "",
    certainty: str = "asserted",
    actors=(),
    cue: str | None = None,
    source: str | None = None,
    confidence: float = 0.9,
) -> Suggestion:
    start = text.index(exact)

    def span(words):
        if words is None:
            return None
        at = text.index(words)
        return Span(at, at + len(words))

    return Suggestion(
        content=(Span(start, start + len(exact)),),
        cue=span(cue),
        source=span(source),
        claimant_id=claimant.pk if claimant else None,
        claimant_text=claimant_text or (claimant.name if claimant else ""),
        certainty=certainty,
        actors=tuple(SuggestedActor(actor.pk, role) for actor, role in actors),
        confidence=confidence,
    )


def store(article, suggestions: list[Suggestion]) -> list[StoredSuggestion]:
    """Store `suggestions` as the article's current ones, fresh for the registry now."""
    revision = article.revisions.order_by("-number").first()
    StoredSuggestion.objects.filter(article=article).delete()
    rows = StoredSuggestion.objects.bulk_create(
        StoredSuggestion(
            article=article,
            revision=revision,
            key=s.key(revision.text),
            start=s.start,
            end=s.end,
            confidence=s.confidence,
            data=suggestion_data(s),
        )
        for s in suggestions
    )
    ArticleSuggestions.objects.update_or_create(
        article=article,
        defaults={
            "revision": revision,
            "registry": registry_version(),
            "computed": timezone.now(),
            "count": len(rows),
        },
    )
    return rows
