"""Pages of the articles app: importing a text.

The import page previews before it saves: the first post cleans the pasted or uploaded
text and shows what cleaning removes; saving posts the same fields again, with the
fingerprint of what was previewed.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods

from articles.cleaning import REMOVAL_KINDS
from articles.forms import ImportForm, fingerprint, form_data
from articles.importers import (
    DEFAULT_LANGUAGE,
    ArticleInput,
    ImportFailure,
    read_path,
    split_headline,
)
from articles.models import Article, Source, SourceKind
from articles.services import (
    DuplicateArticle,
    ImportPlan,
    article_import,
    article_import_plan,
    check_import_article,
)
from claimdesk.errors import DomainError
from projects.access import importable_project_ids
from projects.current import current_project
from projects.models import Project

REMOVAL_LABELS = {
    "ad_marker": "ad marker",
    "boilerplate": "boilerplate",
    "duplicate": "repeated",
}
# Where a service's field error shows up in the form.
FORM_FIELDS = {"outlet_name": "outlet", "raw": "upload"}
OUTLET_SUGGESTIONS = 500


class UploadError(Exception):
    pass


def article_page_url(article: Article) -> str:
    """Where an article is read: the reader when the project has one, else its revisions."""
    for name in ("article_reader", "article_revisions"):
        try:
            return reverse(name, args=[article.pk])
        except NoReverseMatch:
            continue
    return "/"


@login_required
@require_http_methods(["GET", "POST"])
def article_import_view(request: HttpRequest) -> HttpResponse:
    check_import_article(user=request.user)
    if request.method == "GET":
        return _render(request, ImportForm())

    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, form)
    fields = form.article_fields()
    upload = form.cleaned_data.get("upload")
    if upload:
        try:
            item = _read_upload(upload)
        except UploadError as exc:
            form.add_error("upload", str(exc))
            return _render(request, form)
        fields = _merge_upload(fields, item)
        # Show what the file held in the form, as the user will save it.
        form = ImportForm(data=form_data(fields))
        form.is_valid()
        fields = form.article_fields()
    elif not fields["title"] and not form.wants_save():
        fields, form = _propose_title(fields, form)

    try:
        plan = article_import_plan(project=_import_project(request), **fields)
    except (ValidationError, DuplicateArticle) as exc:
        return _render_refusal(request, form, exc)
    previewed = fingerprint(fields)
    if form.wants_save() and not upload:
        if form.cleaned_data.get("previewed") == previewed:
            try:
                article = article_import(
                    user=request.user,
                    note="Imported on the import page",
                    project=_import_project(request),
                    **fields,
                )
            except (ValidationError, DuplicateArticle) as exc:
                return _render_refusal(request, form, exc)
            except DomainError as exc:
                form.add_error(None, exc.detail)
                return _render(request, form, plan=plan, previewed=previewed)
            messages.success(request, f"Imported “{article.title}”.")
            return redirect(article_page_url(article))
        messages.info(request, "The text changed since the preview: check it, then save.")
    return _render(request, form, plan=plan, previewed=previewed)


def _propose_title(fields: dict, form: ImportForm) -> tuple[dict, ImportForm]:
    """A pasted text whose first line looks like a headline: that line is proposed as the
    title (and leaves the text), as a plain-text file's import does. The form shows it,
    to be kept or changed before saving."""
    headline, rest = split_headline(fields["text"])
    if not headline:
        return fields, form
    fields = {**fields, "title": headline, "text": rest.lstrip("\n")}
    proposed = ImportForm(data=form_data(fields))
    proposed.is_valid()
    return proposed.article_fields(), proposed


def _import_project(request: HttpRequest) -> int | None:
    """The current project when the user may import into it; otherwise None, which the
    service resolves to the user's only such project (or refuses)."""
    project = current_project(request)
    if project is not None and project.pk in importable_project_ids(request.user):
        return project.pk
    return None


def _import_project_shown(request: HttpRequest) -> Project | None:
    """The project the page imports into, named on the page: the current one, else the
    user's only project to import into; None when the user must switch first."""
    chosen = _import_project(request)
    if chosen is not None:
        return current_project(request)
    allowed = importable_project_ids(request.user)
    return Project.objects.get(pk=next(iter(allowed))) if len(allowed) == 1 else None


def _render(
    request: HttpRequest,
    form: ImportForm,
    *,
    plan: ImportPlan | None = None,
    previewed: str = "",
    duplicate: Article | None = None,
) -> HttpResponse:
    outlets = (
        Source.objects.filter(kind=SourceKind.OUTLET)
        .order_by("name")
        .values_list("name", flat=True)[:OUTLET_SUGGESTIONS]
    )
    context = {
        "form": form,
        "plan": plan,
        "previewed": previewed,
        "duplicate": duplicate,
        "duplicate_url": article_page_url(duplicate) if duplicate else "",
        "outlets": outlets,
        "import_project": _import_project_shown(request),
    }
    if plan is not None:
        context.update(_preview_context(plan))
    return render(request, "articles/import.html", context)


def _render_refusal(
    request: HttpRequest, form: ImportForm, exc: ValidationError | DuplicateArticle
) -> HttpResponse:
    if isinstance(exc, DuplicateArticle):
        form.add_error(
            None,
            f"This article is already here: “{exc.existing.title}” "
            f"(article {exc.existing.pk}, same {exc.why}).",
        )
        return _render(request, form, duplicate=exc.existing)
    for field, errors in exc.message_dict.items():
        name = FORM_FIELDS.get(field, field)
        form.add_error(name if name in form.fields else None, errors)
    return _render(request, form)


def _preview_context(plan: ImportPlan) -> dict:
    report = plan.report
    segments = [
        {"text": text, "kind": kind, "label": REMOVAL_LABELS.get(kind, kind) if kind else ""}
        for text, kind in plan.cleaning.segments()
    ]
    counts = [
        {"kind": kind, "label": REMOVAL_LABELS[kind], "count": report["counts"].get(kind, 0)}
        for kind in REMOVAL_KINDS
    ]
    return {
        "segments": segments,
        "removal_counts": counts,
        "removed_total": len(report["removed"]),
        "report": report,
    }


def _read_upload(upload) -> ArticleInput:
    """The one article an uploaded file holds, read as `import_articles` reads files."""
    suffix = Path(upload.name).suffix.lower()
    fallback_title = re.sub(r"[_-]+", " ", Path(upload.name).stem).strip() or upload.name
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        items = list(read_path(path, title=fallback_title))
    failures = [item for item in items if isinstance(item, ImportFailure)]
    if failures:
        raise UploadError(f"The file cannot be imported: {failures[0].reason}.")
    if len(items) != 1:
        raise UploadError(
            f"The file holds {len(items)} articles; this page imports one at a time. "
            "Import the file with the import_articles command."
        )
    return items[0]


def _merge_upload(fields: dict, item: ArticleInput) -> dict:
    """What the file says, except where the user typed a value of their own."""
    return {
        "title": fields["title"] or item.title,
        "text": item.text,
        "raw": item.raw,
        "url": fields["url"] or item.url,
        "outlet_name": fields["outlet_name"] or item.outlet,
        "byline": fields["byline"] or item.byline,
        "published": fields["published"] or item.published,
        "language": item.language if fields["language"] == DEFAULT_LANGUAGE else fields["language"],
    }
