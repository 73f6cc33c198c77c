"""Article services: create an article with its first revision, import a text.

Changing the text of an article that may have claims is `annotations.services.revisions.
article_revise`, because it re-anchors claims; `articles` knows nothing of claims.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from articles import text_listeners
from articles.cleaning import CleanResult, clean_field, clean_text, normalise_text
from articles.models import Article, ArticleRevision, Source, SourceKind, text_sha256
from claimdesk import characters
from projects.access import importable_project_ids, project_for_new_article
from projects.models import Project


class DuplicateArticle(Exception):
    """The article is already here (same url or same cleaned text)."""

    code = "duplicate_article"

    def __init__(self, existing: Article, why: str) -> None:
        self.existing = existing
        self.why = why
        super().__init__(f"Already imported as article {existing.pk} (same {why}).")


def find_duplicate(
    *, url: str, text: str, project: Project | int | None
) -> tuple[Article, str] | None:
    """The article of `project` with the same url or the same text, and which matched.

    Duplicates are looked for within one project: two desks may each work on the same
    story, and an answer naming another desk's article would tell one desk what the
    other holds. Without a project (a preview before one is chosen) nothing is looked
    for."""
    if project is None:
        return None
    in_project = Article.objects.filter(project=project)
    if url:
        existing = in_project.filter(url=url).first()
        if existing:
            return existing, "url"
    existing = in_project.filter(text_sha256=text_sha256(text)).first()
    if existing:
        return existing, "text"
    return None


def check_article_text(text: str) -> None:
    if not text.strip():
        raise ValidationError({"text": "The article has no text."}, code="required")
    errors = characters.field_errors(text=text)
    if errors:
        raise characters.as_validation_error(errors)
    if len(text) > settings.MAX_ARTICLE_LENGTH:
        raise ValidationError(
            {"text": f"The text is longer than {settings.MAX_ARTICLE_LENGTH} characters."},
            code="max_length",
        )


def check_import_article(*, user) -> None:
    """Raise PermissionDenied unless `user` may add articles (researchers and editors).
    No user is a command acting for the site."""
    if user is None:
        return
    if not (user.is_authenticated and importable_project_ids(user)):
        raise PermissionDenied("Only researchers and editors import articles.")


def can_import_article(user) -> bool:
    """Whether a page offers the import, by the rule `article_create` applies."""
    try:
        check_import_article(user=user)
    except PermissionDenied:
        return False
    return True


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
    project: Project | int | None = None,
) -> Article:
    """Create an article and its revision 1 in `project`.

    The text is stored normalised (NFC, `\n` line ends, paragraphs one blank line
    apart), whichever door it came through; `raw` defaults to the text as it arrived.
    Without `project`, the article goes into the only project the user may import into
    (see `project_for_new_article`). Raises PermissionDenied (see
    `check_import_article`), InvalidInput on `project`, DuplicateArticle when the url or
    the text is already here, ValidationError for bad fields.
    """
    check_import_article(user=user)
    errors = characters.field_errors(
        title=title, text=raw or text, url=url, byline=byline, language=language, note=note
    )
    if errors:
        raise characters.as_validation_error(errors)
    project = project_for_new_article(user, project)
    raw = raw or text
    text = normalise_text(text)
    check_article_text(text)
    duplicate = find_duplicate(url=url, text=text, project=project)
    if duplicate:
        raise DuplicateArticle(*duplicate)
    author = user if user is not None and user.is_authenticated else None
    article = Article(
        title=title.strip(),
        text=text,
        raw=raw,
        url=url,
        outlet=outlet,
        byline=byline,
        published=published,
        language=language or "en",
        created_by=author,
        project=project,
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
    text_listeners.new_text(article.pk)
    return article


@dataclass(frozen=True)
class ImportPlan:
    """What importing a text would create, worked out without writing anything.

    `cleaning` holds the cleaned text, the report of what cleaning removed and the
    normalised input the report's offsets point into.
    """

    title: str
    raw: str
    url: str
    outlet_name: str
    byline: str
    published: dt.date | None
    language: str
    cleaning: CleanResult

    @property
    def text(self) -> str:
        return self.cleaning.text

    @property
    def report(self) -> dict:
        return self.cleaning.report


def article_import_plan(
    *,
    title: str,
    text: str,
    raw: str = "",
    url: str = "",
    outlet_name: str = "",
    byline: str = "",
    published: dt.date | None = None,
    language: str = "en",
    project: Project | int | None = None,
) -> ImportPlan:
    """Clean an incoming text and check it could be imported; writes nothing.

    `text` is the article text as it arrived (scraped, pasted, extracted from a page);
    `raw` is what was read, kept for provenance (the text itself when not given).

    Raises ValidationError with field errors (empty title, a text that is empty once
    cleaned, too long or holds NUL, a bad url) and DuplicateArticle when an article with
    the same url or the same cleaned text exists in `project`.
    """
    # Refused before cleaning: ftfy would silently drop or mend the characters.
    errors = characters.field_errors(
        title=title, text=raw or text, url=url, outlet=outlet_name, byline=byline, language=language
    )
    if errors:
        raise characters.as_validation_error(errors)
    cleaning = clean_text(text)
    plan = ImportPlan(
        title=clean_field(title),
        raw=raw or text,
        url=url.strip(),
        outlet_name=clean_field(outlet_name),
        byline=clean_field(byline),
        published=published,
        language=(language or "en").strip().lower(),
        cleaning=cleaning,
    )
    errors: dict[str, list[str]] = {}
    if not plan.title:
        errors["title"] = ["The article needs a title."]
    try:
        check_article_text(plan.text)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    candidate = Article(
        title=plan.title or "-",
        text=plan.text or "-",
        url=plan.url,
        byline=plan.byline,
        published=plan.published,
        language=plan.language,
    )
    try:
        candidate.clean_fields(exclude=["text_sha256", "outlet", "created_by", "raw", "project"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if len(plan.outlet_name) > Source._meta.get_field("name").max_length:
        errors["outlet"] = ["The outlet's name is too long."]
    if errors:
        raise ValidationError(errors)
    duplicate = find_duplicate(url=plan.url, text=plan.text, project=project)
    if duplicate:
        raise DuplicateArticle(*duplicate)
    return plan


def outlet_for_name(name: str) -> Source | None:
    """The outlet called `name` (case-insensitive), created as an outlet when missing.

    An outlet of that name is preferred over another kind of source of that name.
    Returns None for a blank name. Call inside the importing transaction, so that an
    import that fails creates no outlet.
    """
    name = clean_field(name)
    if not name:
        return None
    same_name = Source.objects.filter(name__iexact=name)
    existing = same_name.filter(kind=SourceKind.OUTLET).order_by("id").first()
    if existing is None:
        existing = same_name.order_by("id").first()
    if existing is not None:
        return existing
    outlet = Source(name=name, kind=SourceKind.OUTLET)
    outlet.full_clean()
    outlet.save()
    return outlet


@transaction.atomic
def article_import(
    *,
    user,
    title: str,
    text: str,
    raw: str = "",
    url: str = "",
    outlet_name: str = "",
    byline: str = "",
    published: dt.date | None = None,
    language: str = "en",
    note: str = "",
    project: Project | int | None = None,
) -> Article:
    """Clean an incoming text and create the article with revision 1 in `project`
    (defaulting as `article_create` does).

    The article keeps `raw` (or the text as it arrived) for provenance; revision 1
    carries the cleaning report. The outlet is looked up by name and created when
    missing. One transaction: an import that fails leaves neither article nor outlet.

    Raises ValidationError (field errors, see `article_import_plan`) and DuplicateArticle
    (same url or same cleaned text), also when a concurrent import of the same url
    commits first.
    """
    check_import_article(user=user)
    project = project_for_new_article(user, project)
    plan = article_import_plan(
        project=project,
        title=title,
        text=text,
        raw=raw,
        url=url,
        outlet_name=outlet_name,
        byline=byline,
        published=published,
        language=language,
    )
    try:
        with transaction.atomic():
            return article_create(
                user=user,
                title=plan.title,
                text=plan.text,
                raw=plan.raw,
                url=plan.url,
                outlet=outlet_for_name(plan.outlet_name),
                byline=plan.byline,
                published=plan.published,
                language=plan.language,
                note=note or "Imported",
                cleaning_report=plan.report,
                project=project,
            )
    except IntegrityError:
        # The url is unique: a concurrent import of the same page won the race.
        duplicate = find_duplicate(url=plan.url, text=plan.text, project=project)
        if duplicate:
            raise DuplicateArticle(*duplicate) from None
        raise
