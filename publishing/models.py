"""Published claim reviews: what a desk has let out of the building, and how.

A `Publication` is the public side of one approved, rated claim. What the public pages,
feeds and the anonymous annotation container show is frozen in `content` when an editor
publishes (see `publishing.content`): an edit of the claim afterwards never reaches the
public before it is reviewed and published again, and nothing private (notes, review
comments, drafts, the desk's people) is ever read by a public page.

`DeskPublishing` holds a desk's publishing settings: the publisher named in its
ClaimReviews, the address template of its own CMS pages, and its rating scale.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q

from annotations.models import Claim


class PublicationState(models.TextChoices):
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Publication(models.Model):
    """One claim review on the public pages. Withdrawn, it stays (the page says so)."""

    claim = models.OneToOneField(Claim, on_delete=models.PROTECT, related_name="publication")
    # The desk that published it: its index, feeds and container list it.
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="publications"
    )
    state = models.CharField(max_length=16, choices=PublicationState.choices)
    # The review round that was published: a later round (a substantive edit sent the
    # claim back to review) puts the public page "under review" until published again.
    review_round = models.PositiveIntegerField()
    claim_version = models.PositiveIntegerField()
    explanation = models.TextField(help_text="The public explanation of the rating.")
    withdrawn_reason = models.TextField(blank=True, default="")
    content = models.JSONField(help_text="What the public pages show, frozen when published.")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    first_published = models.DateTimeField()
    published_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=PublicationState.values), name="publication_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(state="published") | Q(withdrawn_at__isnull=False),
                name="publication_withdrawn_has_date",
            ),
        ]
        indexes = [
            # A desk's index and feeds: its publications newest first.
            models.Index(
                fields=["project", "state", "-published_at", "-id"],
                name="publication_desk_newest_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.state} claim {self.claim_id}"


class DeskPublishing(models.Model):
    """A desk's publishing settings; a desk without a row uses the site's defaults."""

    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, related_name="publishing"
    )
    publisher_name = models.CharField(
        max_length=300, blank=True, default="", help_text="Default: CLAIMREVIEW_PUBLISHER."
    )
    publisher_url = models.CharField(
        max_length=500,
        blank=True,
        default="",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="Default: CLAIMREVIEW_PUBLISHER.",
    )
    url_template = models.CharField(
        max_length=500,
        blank=True,
        default="",
        help_text="The desk's own page of a review, e.g. "
        "https://factcheck.example.org/claims/{id}/ ({id}: the claim's id, {project}: the "
        "desk's slug). Empty: Claimdesk's public page.",
    )
    rating_labels = models.JSONField(
        default=list,
        blank=True,
        help_text="Five labels, for ratings 1 to 5. Empty: the site's scale.",
    )

    class Meta:
        verbose_name = "desk publishing settings"
        verbose_name_plural = "desk publishing settings"

    def __str__(self) -> str:
        return f"Publishing of {self.project}"

    def clean(self) -> None:
        errors = {}
        labels = self.rating_labels
        if labels and (
            not isinstance(labels, list)
            or len(labels) != 5
            or not all(isinstance(label, str) and label.strip() for label in labels)
        ):
            errors["rating_labels"] = "Give five labels, for ratings 1 to 5, or none."
        if self.url_template and (
            "{id}" not in self.url_template
            or not self.url_template.startswith(("https://", "http://"))
        ):
            errors["url_template"] = "An absolute address holding {id} (the claim's id)."
        if errors:
            raise ValidationError(errors)
