"""Reads: what a user may see, shaped for the page or endpoint that shows it.

Every read of claims starts from `claims_visible_to`: a user reads the claims of the
projects they belong to (superusers: of every project), and drafts are private to their
author.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from annotations.filters import ClaimFilter
from annotations.models import (
    Claim,
    ClaimActor,
    ClaimSource,
    ClaimStatus,
    Decision,
    Review,
)
from annotations.selectors.filtering import filtered
from claimdesk.counting import bounded_count, count_label
from projects import access
from projects.roles import ProjectRole


def claims_visible_to(user, *, status: str | None = None) -> QuerySet[Claim]:
    """The claims `user` may read; with `status`, only those in that status.

    Asking for a status other than draft needs no test of the author: the query is then
    a plain `status = …` that the (status, …) indexes answer alone, which counting and
    paging the approved claims of a large desk depend on.
    """
    if not user.is_authenticated:
        return Claim.objects.none()
    claims = Claim.objects.all() if status is None else Claim.objects.filter(status=status)
    if not user.is_superuser:
        claims = claims.filter(project_id__in=sorted(access.project_ids(user)))
    if user.is_superuser or (status is not None and status != ClaimStatus.DRAFT):
        return claims
    return claims.filter(~Q(status=ClaimStatus.DRAFT) | Q(author=user))


def with_details(queryset: QuerySet[Claim]) -> QuerySet[Claim]:
    """Everything a claim's full representation reads, in a fixed number of queries."""
    return queryset.select_related("claimant", "author", "article", "revision").prefetch_related(
        Prefetch("actor_links", queryset=ClaimActor.objects.select_related("actor")),
        Prefetch("source_links", queryset=ClaimSource.objects.select_related("source")),
        Prefetch("reviews", queryset=Review.objects.select_related("reviewer")),
    )


def apply_claim_filters(
    queryset: QuerySet[Claim], filters: Mapping | None, *, user=None
) -> QuerySet[Claim]:
    """Apply ClaimFilter, raising InvalidInput (with the field) on any bad value."""
    return filtered(ClaimFilter, queryset, filters, user=user)


def claim_list(*, user, filters: Mapping | None = None) -> QuerySet[Claim]:
    return with_details(apply_claim_filters(claims_visible_to(user), filters, user=user))


def verified_claims(*, user, filters: Mapping | None = None) -> QuerySet[Claim]:
    """Approved claims by default; a `status` filter widens or narrows that."""
    status = None if filters and filters.get("status") else ClaimStatus.APPROVED
    queryset = claims_visible_to(user, status=status)
    return with_details(apply_claim_filters(queryset, filters))


# The queue is counted up to this many claims and shown as "more than" beyond: a count
# of every claim waiting would grow with the backlog, and a reviewer works from the
# oldest claim on.
QUEUE_COUNT_LIMIT = 1000


def review_queue(reviewer, *, project_id: int | None = None) -> QuerySet[Claim]:
    """Submitted claims of the projects where `reviewer` reviews (of `project_id` only,
    when given) that they did not write and have not approved this round, oldest
    submission first."""
    reviewing = access.project_ids(reviewer, ProjectRole.REVIEWER)
    if project_id is not None:
        reviewing = reviewing & {project_id}
    # Asked per claim through the (claim, version, reviewer) index, so the queue's cost
    # follows the claims read, not the reviewer's whole history of reviews (which a
    # hashed "not in" over all their approvals read on every page and every count).
    approved_this_round = (
        Review.objects.of_current_round(OuterRef("review_round"))
        .filter(claim=OuterRef("pk"), reviewer=reviewer, decision=Decision.APPROVE)
        .values("pk")
    )
    return (
        Claim.objects.filter(status=ClaimStatus.SUBMITTED, project_id__in=sorted(reviewing))
        .exclude(author=reviewer)
        .exclude(Exists(approved_this_round))
        .order_by("submitted_at", "id")
    )


def review_queue_count(reviewer, *, project_id: int | None = None) -> int:
    """How many claims wait for `reviewer`, counted up to `QUEUE_COUNT_LIMIT` + 1 (see
    `queue_count_label`): the count stops there instead of reading the whole backlog."""
    return bounded_count(
        review_queue(reviewer, project_id=project_id).order_by(), QUEUE_COUNT_LIMIT
    )


def queue_count_label(count: int) -> str:
    """A queue count as the pages show it: "1,000+" once past the counted limit."""
    return count_label(count, QUEUE_COUNT_LIMIT)
