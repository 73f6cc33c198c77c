"""Suggestions as stored: computed once per article revision, read by the reader and the
API; what researchers did with each (shown, dismissed, accepted); and the jobs that
compute them.

A suggestion is named by `Suggestion.key(text)` (its content's offsets and words), so a
dismissal or an acceptance holds for as long as the same words stand at the same place:
recomputing the same text finds the same keys, and a revision that moves or changes the
passage brings the suggestion back as a new one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ArticleSuggestions(models.Model):
    """What the stored suggestions of an article were computed from: the revision and the
    actor registry's version (`annotations.mention_cache.registry_version`). Either one
    changing makes them stale; readers then recompute (see `suggestions.compute`)."""

    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    revision = models.ForeignKey(
        "articles.ArticleRevision", on_delete=models.CASCADE, related_name="+"
    )
    registry = models.CharField(max_length=64)
    computed = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "article suggestions"

    def __str__(self) -> str:
        return f"Suggestions of article {self.article_id} ({self.count})"


class StoredSuggestion(models.Model):
    """One suggestion of one revision; `data` holds the engine's spans and resolution."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey(
        "articles.ArticleRevision", on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=64)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    confidence = models.FloatField()
    data = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["revision", "key"], name="suggestion_unique_key"),
            models.CheckConstraint(condition=Q(start__lt=models.F("end")), name="suggestion_span"),
        ]
        indexes = [models.Index(fields=["article", "start"], name="suggestion_article_start")]

    def __str__(self) -> str:
        return f"Suggestion {self.key} of article {self.article_id}"


class SuggestionOutcome(models.Model):
    """What became of one suggestion in one article: when it was first shown, whether it
    was dismissed (by whom, when) or accepted (the claim, and whether it was saved as it
    was suggested). Counted per project (`suggestions.selectors.project_counts`)."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    shown_at = models.DateTimeField(null=True, blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A deleted draft keeps its acceptance counted.
    claim = models.ForeignKey(
        "annotations.Claim", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_as_suggested = models.BooleanField(null=True, blank=True)
    # The fields a researcher changed before saving (empty when accepted as it was).
    edited_fields = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "key"], name="suggestion_outcome_unique"),
        ]
        indexes = [models.Index(fields=["project"], name="suggestion_outcome_project")]

    def __str__(self) -> str:
        return f"Outcome of suggestion {self.key} of article {self.article_id}"


class JobKind(models.TextChoices):
    ARTICLE = "article_suggestions", "Suggestions of one article"
    PROJECT = "project_suggestions", "Suggestions of a whole project"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class Job(models.Model):
    """A piece of background work and its progress (`done` of `total` articles).

    Workers of any machine update it with conditional `F()` updates, so several chunks of
    one job can run at once; the page and the command read it to show progress."""

    kind = models.CharField(max_length=32, choices=JobKind.choices)
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["project", "-created"], name="job_project_created")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, self.done * 100 // self.total)

    @property
    def finished_state(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
