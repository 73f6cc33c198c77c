"""Changes to suggestions: shown, dismissed, accepted (a claim made from one).

Accepting is creating a claim that names the suggestion: `claim_create_from_suggestion`
calls `annotations.services.claims.claim_create` and records, in the same transaction,
that the suggestion was accepted and whether the claim was saved as it was suggested.
Both the API (`suggestion` on `POST /api/v1/claims/`) and the reader's form (a hidden
`suggestion` field) call it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from annotations.models import Claim
from annotations.services.claims import check_create_claim
from annotations.services.claims import claim_create as annotations_claim_create
from articles.models import Article
from claimdesk.checks import may
from claimdesk.errors import Conflict, InvalidInput, InvalidTransition, NotFound
from suggestions.compute import fresh_suggestions
from suggestions.models import StoredSuggestion, SuggestionOutcome


def check_use_suggestions(*, user, article: Article | None = None) -> None:
    """Suggestions are for those who may create claims in the article's project: raise
    NotAllowed otherwise (the same rule as `claim_create`)."""
    check_create_claim(user=user, article=article)


def can_use_suggestions(user, article: Article | None = None) -> bool:
    return may(check_use_suggestions, user=user, article=article)


def suggestions_shown(*, article: Article, keys: Iterable[str]) -> None:
    """Count these suggestions of the article as shown (once each, the first time)."""
    keys = list(keys)
    if not keys:
        return
    now = timezone.now()
    SuggestionOutcome.objects.bulk_create(
        [
            SuggestionOutcome(project_id=article.project_id, article=article, key=key, shown_at=now)
            for key in keys
        ],
        ignore_conflicts=True,
    )
    SuggestionOutcome.objects.filter(article=article, key__in=keys, shown_at=None).update(
        shown_at=now
    )


def _current_suggestion(article: Article, key: str) -> StoredSuggestion | None:
    revision = article.current_revision
    if revision is None:
        return None
    fresh_suggestions(article, revision)
    return StoredSuggestion.objects.filter(
        article_id=article.pk, revision_id=revision.pk, key=key
    ).first()


def _locked_outcome(article: Article, key: str) -> SuggestionOutcome:
    SuggestionOutcome.objects.get_or_create(
        article=article, key=key, defaults={"project_id": article.project_id}
    )
    return SuggestionOutcome.objects.select_for_update().get(article=article, key=key)


@transaction.atomic
def suggestion_dismiss(*, user, article: Article, key: str) -> SuggestionOutcome:
    """Hide a suggestion of the article for everyone, remembering who did it and when.

    Raises NotAllowed (not a researcher of the project), NotFound (no such suggestion on
    the current text) and InvalidTransition (it was accepted: it is a claim now).
    Dismissing twice keeps the first dismissal.
    """
    check_use_suggestions(user=user, article=article)
    if _current_suggestion(article, key) is None:
        raise NotFound("No such suggestion in the article's current text.")
    outcome = _locked_outcome(article, key)
    if outcome.accepted_at is not None:
        raise InvalidTransition("This suggestion was accepted: it is a claim now.")
    if outcome.dismissed_at is None:
        outcome.dismissed_at = timezone.now()
        outcome.dismissed_by = user
        outcome.shown_at = outcome.shown_at or outcome.dismissed_at
        outcome.save(update_fields=["dismissed_at", "dismissed_by", "shown_at"])
    return outcome


def _pair(value) -> tuple[int, int] | None:
    return (value[0], value[1]) if value else None


def _claim_span(claim: Claim, name: str) -> tuple[int, int] | bool | None:
    """The claim's `cue`/`source_mention` span, or False when claims have no such field."""
    if not hasattr(claim, f"{name}_start"):
        return False
    start, end = getattr(claim, f"{name}_start"), getattr(claim, f"{name}_end")
    return (start, end) if start is not None and end is not None else None


def edited_fields(claim: Claim, suggested: StoredSuggestion, actors) -> list[str]:
    """The fields in which the saved claim differs from the suggestion: its passage,
    claimant, certainty, actors in roles, cue and source mention. The statement is not
    compared: the engine suggests none, the form only drafts one to rewrite."""
    data = suggested.data
    changed = []
    if (claim.start, claim.end) != (suggested.start, suggested.end):
        changed.append("passage")
    if claim.claimant_id != data.get("claimant_id"):
        changed.append("claimant")
    if claim.certainty != data.get("certainty"):
        changed.append("certainty")
    saved_actors = {(link.actor_id, link.role) for link in actors}
    if saved_actors != {(actor_id, role) for actor_id, role in data.get("actors", ())}:
        changed.append("actors")
    for name, field in (("cue", "cue"), ("source_mention", "source")):
        span = _claim_span(claim, name)
        if span is not False and span != _pair(data.get(field)):
            changed.append(name)
    return changed


@transaction.atomic
def claim_create_from_suggestion(
    *, user, article: Article, suggestion: str, **claim_arguments: Any
) -> Claim:
    """Create a claim (as `claim_create` does, with the same arguments and errors) that
    accepts the suggestion named `suggestion`, and count it: accepted as it was, or after
    edits (`edited_fields`).

    Raises, besides `claim_create`'s errors, InvalidInput on `suggestion` (code
    `does_not_exist`: no such suggestion on the current text) and Conflict on
    `suggestion` (code `already_accepted`).
    """
    check_use_suggestions(user=user, article=article)
    suggested = _current_suggestion(article, suggestion)
    if suggested is None:
        raise InvalidInput.for_field(
            "No such suggestion in the article's current text (it may have been computed "
            "again since the page was loaded).",
            field="suggestion",
            code="does_not_exist",
        )
    outcome = _locked_outcome(article, suggestion)
    if outcome.accepted_at is not None:
        detail = "This suggestion was already accepted."
        raise Conflict(
            detail,
            field="suggestion",
            errors=[{"field": "suggestion", "code": "already_accepted", "detail": detail}],
        )
    claim = annotations_claim_create(user=user, article=article, **claim_arguments)
    changed = edited_fields(claim, suggested, claim.actor_links.all())
    now = timezone.now()
    outcome.accepted_at = now
    outcome.accepted_by = user
    outcome.claim = claim
    outcome.accepted_as_suggested = not changed
    outcome.edited_fields = changed
    outcome.shown_at = outcome.shown_at or now
    outcome.dismissed_at = None
    outcome.dismissed_by = None
    outcome.save()
    return claim
