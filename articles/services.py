"""Article services: create an article with its first revision.

Changing the text of an article that may have claims is `annotations.services.revisions.
article_revise`, because it re-anchors claims; `articles` knows nothing of claims.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from articles.models import Article, ArticleRevision, Source, text_sha256


class DuplicateArticle(Exception):
    """The article is already here (same url or same cleaned text)."""

    code = "duplicate_article"

    def __init__(self, existing: Article, why: str) -> None:
        self.existing = existing
        self.why = why
        super().__init__(f"Already imported as article {existing.pk} (same {why}).")


def find_duplicate(*, url: str, text: str) -> tuple[Article, str] | None:
    if url:
        existing = Article.objects.filter(url=url).first()
        if existing:
            return existing, "url"
    existing = Article.objects.filter(text_sha256=text_sha256(text)).first()
    if existing:
        return existing, "text"
    return None


def check_article_text(text: str) -> None:
    if not text.strip():
        raise ValidationError({"text": "The article has no text."}, code="required")
    if "\x00" in text:
        raise ValidationError({"text": "The text contains a NUL character."}, code="null_character")
    if len(text) > settings.MAX_ARTICLE_LENGTH:
        raise ValidationError(
            {"text": f"The text is longer than {settings.MAX_ARTICLE_LENGTH} characters."},
            code="max_length",
        )


@transaction.atomic
def article_create(
    *,
    user,
    title: str,
    text: str,
    raw: str = "",
    url: str = "",
    outlet: Source | None = None,
    byline: str = "",
    published: dt.date | None = None,
    language: str = "en",
    note: str = "",
    cleaning_report: dict | None = None,
) -> Article:
    """Create an article and its revision 1. The text must already be normalised.

    Raises DuplicateArticle when the url or the text is already here, ValidationError
    for bad fields.
    """
    check_article_text(text)
    duplicate = find_duplicate(url=url, text=text)
    if duplicate:
        raise DuplicateArticle(*duplicate)
    author = user if user is not None and user.is_authenticated else None
    article = Article(
        title=title.strip(),
        text=text,
        raw=raw or text,
        url=url,
        outlet=outlet,
        byline=byline,
        published=published,
        language=language or "en",
        created_by=author,
    )
    article.full_clean()
    article.save()
    ArticleRevision.objects.create(
        article=article,
        number=1,
        text=text,
        author=author,
        note=note or "First version",
        cleaning_report=cleaning_report or {},
    )
    return article
