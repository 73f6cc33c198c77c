"""Reads of the public side. Nothing here asks who is reading: everything it returns is
public, and only `Publication` rows (with their frozen content) and the claim's status
and review round (for "under review") are read."""

from __future__ import annotations

from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet

from annotations.models import ClaimStatus
from projects.models import Project
from publishing.models import Publication, PublicationState

# A published review whose claim went back to review (a substantive edit, a fuzzy
# re-anchoring) or was approved again in a new round that nobody has published yet.
_UNDER_REVIEW = ExpressionWrapper(
    ~Q(claim__status=ClaimStatus.APPROVED, claim__review_round=F("review_round")),
    output_field=BooleanField(),
)

PUBLIC_FIELDS = (
    "id",
    "claim_id",
    "project_id",
    "state",
    "explanation",
    "withdrawn_reason",
    "content",
    "first_published",
    "published_at",
    "withdrawn_at",
    "modified",
)


def publications() -> QuerySet[Publication]:
    """Every publication with `under_review`, reading only the public columns."""
    return Publication.objects.only(*PUBLIC_FIELDS).annotate(under_review=_UNDER_REVIEW)


def public_review(claim_id: int) -> Publication | None:
    """The publication of a claim, in any state (a withdrawn page says so)."""
    return publications().filter(claim_id=claim_id).first()


def public_desk(slug: str) -> Project | None:
    """A desk that has published at least once (withdrawn reviews count: their pages
    stay); any other desk is not public, whether it exists or not."""
    return (
        Project.objects.filter(slug=slug, publications__isnull=False)
        .only("id", "slug", "name")
        .distinct()
        .first()
    )


def desk_reviews(project_id: int, *, current_only: bool = False) -> QuerySet[Publication]:
    """The desk's published reviews, newest first; `current_only` leaves out those under
    review again."""
    reviews = publications().filter(project_id=project_id, state=PublicationState.PUBLISHED)
    if current_only:
        reviews = reviews.filter(under_review=False)
    return reviews.order_by("-published_at", "-id")


def desk_feed_entries(project_id: int) -> QuerySet[Publication]:
    """What a desk's feeds list: every publication of the desk, withdrawn ones too (a
    feed says a review was withdrawn), newest change first."""
    return publications().filter(project_id=project_id).order_by("-modified", "-id")


def current_review(claim_id: int) -> Publication | None:
    """The claim's review if it is public now: published, and not under review again."""
    return (
        publications()
        .filter(claim_id=claim_id, state=PublicationState.PUBLISHED, under_review=False)
        .first()
    )
