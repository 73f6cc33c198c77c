"""Texts: where they come from (Source), the article, and its immutable revisions.

`articles` knows texts only; everything about claims lives in `annotations`.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class SourceKind(models.TextChoices):
    OUTLET = "outlet", "News outlet"
    OFFICIAL_STATEMENT = "official_statement", "Official statement"
    INVESTIGATION = "investigation", "Investigation report"
    SANCTIONS_NOTICE = "sanctions_notice", "Sanctions notice"
    SOCIAL_MEDIA = "social_media", "Social-media post"
    DOCUMENT = "document", "Document"
    OTHER = "other", "Other"


class Source(models.Model):
    """Where information comes from: an outlet, a statement, a report, a post."""

    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=32, choices=SourceKind.choices, default=SourceKind.OTHER)
    url = models.URLField(max_length=1000, blank=True, default="")
    publisher = models.CharField(max_length=300, blank=True, default="")
    notes = models.TextField(blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"], condition=~Q(url=""), name="source_url_unique_when_set"
            ),
        ]
        indexes = [models.Index(fields=["name"], name="source_name_idx")]

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    """A text to annotate. `text` is the current (normalised) text; `raw` is what was imported."""

    title = models.CharField(max_length=500)
    byline = models.CharField(max_length=300, blank=True, default="")
    url = models.URLField(max_length=1000, blank=True, default="")
    outlet = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="articles"
    )
    published = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=16, default="en")
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="articles"
    )
    text = models.TextField()
    raw = models.TextField(blank=True, default="")
    text_sha256 = models.CharField(max_length=64, editable=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles_created",
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            # Per project: two desks may each work on the same story.
            models.UniqueConstraint(
                fields=["project", "url"],
                condition=~Q(url=""),
                name="article_url_unique_in_project",
            ),
        ]
        indexes = [
            models.Index(fields=["title"], name="article_title_idx"),
            models.Index(fields=["published"], name="article_published_idx"),
            models.Index(fields=["-created"], name="article_created_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.text_sha256 = text_sha256(self.text)
        super().save(*args, **kwargs)

    @property
    def current_revision(self) -> "ArticleRevision | None":
        return self.revisions.order_by("-number").first()


class ArticleRevision(models.Model):
    """One immutable state of an article's text. Claims anchor to a revision."""

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    sha256 = models.CharField(max_length=64, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="article_revisions",
    )
    created = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=500, blank=True, default="")
    cleaning_report = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["article_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="revision_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} r{self.number}"

    def save(self, *args, **kwargs):
        self.sha256 = text_sha256(self.text)
        super().save(*args, **kwargs)
