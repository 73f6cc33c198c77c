"""Publishing: an approved, rated claim's review goes public, or is withdrawn.

Both are editorial acts of the claim's desk: its editors and managers publish, never a
claim's own author (four-eyes holds here as in review). Each service locks the claim
row, checks the client's `version` (409 `stale_version`), checks its rule beside it
(`check_publish`, `check_unpublish`; `can_*` for the pages), and writes an audited
`ClaimEvent` (`published`, `unpublished`) in the same transaction. Publishing does not
change the claim, so its version stays.

A substantive edit of a published claim sends it back to review (the workflow does
that); its public page then says "under review" (`Publication.review_round` is no
longer the claim's round) and shows what was published until an editor publishes the
re-approved claim again.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from annotations.models import Claim, ClaimStatus, Decision, Review
from annotations.services.claims import lock_claim
from annotations.services.events import record_event
from claimdesk import characters, limits
from claimdesk.checks import may
from claimdesk.errors import InvalidInput, InvalidTransition, NotAllowed
from projects import access
from projects.roles import ProjectRole
from publishing.content import public_content
from publishing.desks import desk_settings
from publishing.events import PublishingEventKind
from publishing.models import Publication, PublicationState

PUBLISHED, UNPUBLISHED = PublishingEventKind.PUBLISHED, PublishingEventKind.UNPUBLISHED
EXPLANATION = 5_000  # characters of a public explanation
REASON = 2_000  # characters of a reason for a withdrawal
PUBLISHING_ROLES = (ProjectRole.EDITOR, ProjectRole.MANAGER)


class SelfPublication(NotAllowed, code="self_publication", status=403):
    """You cannot publish a claim you wrote: another editor of the desk publishes it."""


def public_path(claim_id: int) -> str:
    return reverse("public_review", args=[claim_id])


def can_publish_in(user, project_id: int) -> bool:
    """Editors and managers of the desk publish its reviews and withdraw them."""
    return access.holds(user, project_id, *PUBLISHING_ROLES)


def check_publish(*, user, claim: Claim) -> None:
    """Raise, in this order: NotAllowed for anyone but the desk's editors and managers,
    SelfPublication for the claim's author (superusers included), InvalidTransition
    unless the claim is approved."""
    if not can_publish_in(user, claim.project_id):
        raise NotAllowed("Only editors and managers of the claim's project can publish it.")
    if claim.author_id == user.pk:
        raise SelfPublication()
    if claim.status != ClaimStatus.APPROVED:
        raise InvalidTransition("Only an approved claim can be published.")


def can_publish(user, claim: Claim) -> bool:
    return may(check_publish, user=user, claim=claim)


def check_unpublish(*, user, claim: Claim, publication: Publication | None = None) -> None:
    """Raise NotAllowed for anyone but the desk's editors and managers (the author who is
    one may withdraw: withdrawing needs no second pair of eyes), InvalidTransition unless
    the review is public now."""
    if not can_publish_in(user, claim.project_id):
        raise NotAllowed("Only editors and managers of the claim's project can withdraw it.")
    if publication is None:
        publication = Publication.objects.filter(claim_id=claim.pk).first()
    if publication is None or publication.state != PublicationState.PUBLISHED:
        raise InvalidTransition("Only a published claim can be withdrawn.")


def can_unpublish(user, claim: Claim, publication: Publication | None = None) -> bool:
    return may(check_unpublish, user=user, claim=claim, publication=publication)


def _required_text(value: str | None, *, field: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput.for_field("This field is required.", field=field, code="required")
    characters.check_characters(**{field: value})
    limits.check_lengths(**{field: (value, limit)})
    return value


def current_rating(claim: Claim) -> Review:
    """The last rated approval of the claim's current review round; InvalidTransition
    when there is none (only a rated claim has a verdict to publish)."""
    rated = (
        Review.objects.of_current_round(claim.review_round)
        .filter(claim_id=claim.pk, decision=Decision.APPROVE)
        .filter(Q(rating_value__isnull=False) | ~Q(rating_label=""))
        .order_by("created", "id")
        .last()
    )
    if rated is None:
        raise InvalidTransition("Only a claim approved with a rating can be published.")
    return rated


@transaction.atomic
def claim_publish(*, user, claim_id: int, version: int, explanation: str) -> Publication:
    """Publish the claim's review with a public `explanation` of its rating (again, after
    a withdrawal or a new round of review: the public content is read afresh).

    Raises StaleVersion, the refusals of `check_publish`, InvalidTransition for a claim
    without a rating, InvalidInput for a missing or over-long explanation."""
    claim = lock_claim(claim_id, version=version)
    check_publish(user=user, claim=claim)
    explanation = _required_text(explanation, field="explanation", limit=EXPLANATION)
    rated = current_rating(claim)
    desk = desk_settings(claim.project_id)
    content = public_content(
        claim, rating_value=rated.rating_value, rating_label=rated.rating_label, desk=desk
    )
    now = timezone.now()
    publication = Publication.objects.select_for_update().filter(claim_id=claim.pk).first()
    fields = {
        "project_id": claim.project_id,
        "state": PublicationState.PUBLISHED,
        "review_round": claim.review_round,
        "claim_version": claim.version,
        "explanation": explanation,
        "withdrawn_reason": "",
        "withdrawn_at": None,
        "content": content,
        "published_by": user,
        "published_at": now,
    }
    if publication is None:
        publication = Publication(claim=claim, first_published=now, **fields)
    else:
        for key, value in fields.items():
            setattr(publication, key, value)
    publication.full_clean(exclude=["claim", "project", "published_by"])
    publication.save()
    record_event(
        claim=claim,
        kind=PUBLISHED,
        user=user,
        from_status=claim.status,
        data={
            "url": public_path(claim.pk),
            "explanation": explanation,
            "rating": content["rating"],
        },
    )
    return publication


@transaction.atomic
def claim_unpublish(*, user, claim_id: int, version: int, reason: str) -> Publication:
    """Withdraw a published review: its page stays and says it was withdrawn, when and
    why; the index, the feeds' reviews and the public container leave it out.

    Raises StaleVersion, the refusals of `check_unpublish`, InvalidInput for a missing
    or over-long reason."""
    claim = lock_claim(claim_id, version=version)
    publication = Publication.objects.select_for_update().filter(claim_id=claim.pk).first()
    check_unpublish(user=user, claim=claim, publication=publication)
    reason = _required_text(reason, field="reason", limit=REASON)
    publication.state = PublicationState.WITHDRAWN
    publication.withdrawn_reason = reason
    publication.withdrawn_at = timezone.now()
    publication.save()
    record_event(
        claim=claim,
        kind=UNPUBLISHED,
        user=user,
        from_status=claim.status,
        data={"url": public_path(claim.pk), "reason": reason},
    )
    return publication
