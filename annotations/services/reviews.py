"""Review decisions: four-eyes, the project's required approvals, and the author told
after commit."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from annotations import workflow
from annotations.models import Claim, Decision, EventKind, RejectReason, Review
from annotations.notifications import notify_author_of_decision
from annotations.roles import can_review
from annotations.services.claims import lock_claim, save_transition, workflow_participant
from annotations.services.events import record_event
from claimdesk import characters, limits
from claimdesk.errors import InvalidInput, InvalidTransition, StaleVersion
from projects.models import Project
from worklist.services import notify_review

DECISION_EVENTS = {
    Decision.APPROVE: EventKind.APPROVED,
    Decision.REJECT: EventKind.REJECTED,
    Decision.REQUEST_CHANGES: EventKind.CHANGES_REQUESTED,
}

RATING_LABEL_MAX_LENGTH = Review._meta.get_field("rating_label").max_length


def approvers_this_round(claim: Claim) -> set[int]:
    """Ids of the distinct reviewers who approved the claim in its current review round.

    `claim` is read as locked: its round number is taken as it is, without a join."""
    reviews = Review.objects.of_current_round(claim.review_round).filter(
        claim=claim, decision=Decision.APPROVE
    )
    return set(reviews.values_list("reviewer_id", flat=True))


def approval_counts(claims: Iterable[Claim]) -> dict[int, int]:
    """`len(approvers_this_round(claim))` for many claims in one query."""
    rows = (
        Review.objects.of_current_round()
        .filter(claim__in=list(claims), decision=Decision.APPROVE)
        .values("claim_id")
        .annotate(approvers=Count("reviewer_id", distinct=True))
    )
    return {row["claim_id"]: row["approvers"] for row in rows}


def _checked(value: bool | None, *, decision: str) -> bool:
    # An approval asserts all three checks, so a caller that does not state them (the
    # API, the demo data) approves with them; other decisions record only what was ticked.
    if value is None:
        return decision == Decision.APPROVE
    return bool(value)


def _clean_decision_input(
    *,
    decision: str,
    reason: str,
    comment: str,
    rating_value: int | None,
    rating_label: str,
    checks: tuple[bool, bool, bool],
) -> None:
    if decision not in Decision.values:
        raise InvalidInput(f"Unknown decision {decision!r}.", field="decision")
    if decision == Decision.REJECT and reason not in RejectReason.values:
        raise InvalidInput("Say why the claim is rejected.", field="reason")
    if decision != Decision.REJECT and reason:
        raise InvalidInput("A reason goes with a rejection only.", field="reason")
    if decision == Decision.REQUEST_CHANGES and not comment.strip():
        raise InvalidInput("Say what should change.", field="comment")
    # The author reads the comment, not the reason code: "unsupported" alone does not
    # say what is missing.
    if decision == Decision.REJECT and not comment.strip():
        raise InvalidInput("Tell the author why, in a comment.", field="comment")
    characters.check_characters(comment=comment, rating_label=rating_label)
    limits.check_lengths(comment=(comment, limits.REVIEW_COMMENT))
    if decision == Decision.APPROVE and not all(checks):
        raise InvalidInput(
            "Confirm the quote, the claimant and the sources before approving.",
            field="checks",
        )
    if rating_value is not None and (
        isinstance(rating_value, bool)
        or not isinstance(rating_value, int)
        or not 1 <= rating_value <= 5
    ):
        raise InvalidInput("A rating is a whole number from 1 to 5.", field="rating_value")
    if rating_label and rating_value is None:
        raise InvalidInput("A rating label goes with a rating value.", field="rating_label")
    if len(rating_label) > RATING_LABEL_MAX_LENGTH:
        raise InvalidInput(
            f"A rating label has at most {RATING_LABEL_MAX_LENGTH} characters.",
            field="rating_label",
        )


def required_approvals(project_id: int) -> int:
    """How many distinct reviewers must approve a claim of the project in one round (the
    project's setting, which starts as the site's `REQUIRED_APPROVALS`)."""
    return Project.objects.values_list("required_approvals", flat=True).get(pk=project_id)


def check_decide(*, user, claim: Claim | None = None) -> None:
    """Raise what `review_decide` raises first, whatever the input: SelfReview for the
    claim's author (superusers included), NotAllowed for users who may not review.
    Without a claim, only whether the user reviews at all."""
    if claim is None:
        actor = workflow.Participant(is_author=False, can_review=can_review(user))
    else:
        actor = workflow_participant(user=user, claim=claim)
    workflow.check_allowed(workflow.Action.APPROVE, actor)


def can_decide(user, claim: Claim) -> bool:
    """May `user` decide on `claim` now: a reviewer who did not write it, while it waits
    for review (the workflow's table, as `review_decide` applies it)."""
    allowed = workflow.allowed_actions(claim.status, workflow_participant(user=user, claim=claim))
    return bool(workflow.REVIEW_ACTIONS.intersection(allowed))


@transaction.atomic
def review_decide(
    *,
    user,
    claim_id: int,
    version: int,
    decision: str,
    reason: str = "",
    comment: str = "",
    rating_value: int | None = None,
    rating_label: str = "",
    quote_checked: bool | None = None,
    claimant_checked: bool | None = None,
    sources_checked: bool | None = None,
) -> Claim:
    """Record one reviewer's decision on the version of the claim the reviewer saw.

    Locks the claim row, then refuses, in this order: the author (`SelfReview`,
    superusers included), users who may not review (`NotAllowed`), a stale `version`
    (`StaleVersion`: someone decided first, or the claim changed since), bad input
    (`InvalidInput`), and a claim not awaiting review or already approved by this
    reviewer in this round (`InvalidTransition`). Nothing is written when any of these
    is raised; a lost race that slips past the lock (SQLite) is a `StaleVersion` from
    the conditional update.

    `approve` needs the quote, the claimant and the sources confirmed (unstated checks
    count as confirmed for an approval); the claim becomes `approved` once
    its project's `required_approvals` distinct reviewers approved it in the current
    round, and stays
    `submitted` (with a new version) before that. `reject` needs a reason and
    a comment, `request_changes` a comment. Every decision writes a `Review` and a `ClaimEvent` and
    bumps the version; the author is emailed after the transaction commits.
    """
    checks = (
        _checked(quote_checked, decision=decision),
        _checked(claimant_checked, decision=decision),
        _checked(sources_checked, decision=decision),
    )
    comment = (comment or "").strip()
    rating_label = (rating_label or "").strip()
    reason = reason or ""

    claim = lock_claim(claim_id, version=None)
    participant = workflow_participant(user=user, claim=claim)
    # Who may decide is checked before the version: whatever version they send, the
    # author hears "not yours to review" and a non-reviewer "not allowed".
    if decision in Decision.values:
        workflow.check_allowed(decision, participant)
    if claim.version != version:
        raise StaleVersion(
            f"The claim is at version {claim.version}, not {version}; reload and try again.",
            field="version",
        )
    _clean_decision_input(
        decision=decision,
        reason=reason,
        comment=comment,
        rating_value=rating_value,
        rating_label=rating_label,
        checks=checks,
    )
    target = workflow.next_status(claim.status, decision, participant)
    if decision == Decision.APPROVE:
        approvers = approvers_this_round(claim)
        if user.pk in approvers:
            raise InvalidTransition("You have already approved this claim.")
        target = workflow.approval_outcome(
            approvals=len(approvers) + 1, required=required_approvals(claim.project_id)
        )

    from_status = claim.status
    # The conditional update comes first: a lost race raises here, before anything is
    # written, even where row locks do nothing (SQLite).
    claim = save_transition(
        claim, expected_version=version, status=target, reviewed_at=timezone.now()
    )
    review = Review.objects.create(
        claim=claim,
        claim_version=version,
        review_round=claim.review_round,
        reviewer=user,
        decision=decision,
        reason=reason if decision == Decision.REJECT else "",
        comment=comment,
        rating_value=rating_value,
        rating_label=rating_label,
        quote_checked=checks[0],
        claimant_checked=checks[1],
        sources_checked=checks[2],
    )
    kind = DECISION_EVENTS[Decision(decision)]
    if decision == Decision.APPROVE and target != workflow.Status.APPROVED:
        kind = EventKind.APPROVAL_RECORDED
    record_event(
        claim=claim,
        kind=kind,
        user=user,
        from_status=from_status,
        to_status=target,
        data={
            "review": review.pk,
            "decision": decision,
            "reason": review.reason,
            "comment": comment,
            "rating_value": rating_value,
            "rating_label": rating_label,
            "checks": {
                "quote": checks[0],
                "claimant": checks[1],
                "sources": checks[2],
            },
            "reviewed_version": version,
        },
    )
    # In-app notices are data of the decision: written in its transaction.
    notify_review(review=review, claim=claim)
    claim_pk, review_pk = claim.pk, review.pk
    # robust: a mail failure after commit must not turn a recorded decision into an error.
    transaction.on_commit(lambda: notify_author_of_decision(claim_pk, review_pk), robust=True)
    return claim
