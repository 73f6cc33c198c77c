"""`python manage.py import_articles PATH...`: import text, HTML, JSON Lines and CSV files.

Files and folders (walked recursively) are read by `articles.importers`; every article
goes through `articles.services.article_import` in its own transaction, so an interrupted
run leaves only whole articles behind. A file or record that cannot be read is reported
and skipped; the rest still imports. The command prints the id of each article it
creates, then a summary, and exits with status 1 when anything failed.

Standard output carries one line per article created, `id<TAB>origin`, so that scripts can
pick the ids; the progress bar and the summary go to standard error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.importers import FORMATS, ArticleInput, ImportFailure, iter_files, read_path
from articles.models import text_sha256
from articles.services import DuplicateArticle, article_import, article_import_plan
from claimdesk.errors import InvalidInput
from projects.access import project_for_new_article
from projects.models import Project


@dataclass
class Summary:
    imported: list[tuple[str, int]] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)


def _validation_reason(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)


class Command(BaseCommand):
    help = (
        "Import articles from text, HTML, JSON Lines or CSV files, and folders of them. "
        "Prints the id of each article created and a summary; exits with status 1 when a "
        "file or record failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="Files or folders.")
        parser.add_argument(
            "--format",
            choices=("auto", *FORMATS),
            default="auto",
            help="Format of every file; 'auto' (the default) tells it from each file.",
        )
        parser.add_argument(
            "--source",
            metavar="NAME",
            default="",
            help="Outlet of every imported article (created when missing); without it, "
            "the outlet a record or page names, if any.",
        )
        parser.add_argument(
            "--title",
            default=None,
            help="Title of a text or HTML file that has no headline or title of its own "
            "(the file name otherwise).",
        )
        parser.add_argument(
            "--project",
            metavar="SLUG",
            default="",
            help="Project the articles go into; may be left out when there is only one.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read, clean and check everything, report what would be imported, write nothing.",
        )

    def handle(self, *args, **options):
        dry_run = options["dry_run"]
        project = self._project(options["project"])
        files = list(iter_files(options["paths"]))
        summary = Summary()
        # In a dry run nothing is written, so duplicates within the run are tracked here.
        seen_urls: set[str] = set()
        seen_texts: set[str] = set()
        stdout = getattr(self.stdout, "_out", self.stdout)
        progress = tqdm(
            files,
            desc="Importing" if not dry_run else "Checking",
            unit="file",
            file=getattr(self.stderr, "_out", self.stderr),
            # None: shown on a terminal only, so logs and pipes get no bar.
            disable=True if options["verbosity"] == 0 else None,
        )
        try:
            for path in progress:
                for item in read_path(path, fmt=options["format"], title=options["title"]):
                    if isinstance(item, ImportFailure):
                        summary.failures.append((item.origin, item.reason))
                        continue
                    line = self._import_one(
                        item,
                        outlet=options["source"] or item.outlet,
                        project=project,
                        dry_run=dry_run,
                        summary=summary,
                        seen=(seen_urls, seen_texts),
                    )
                    if line:
                        progress.write(line, file=stdout)
        except KeyboardInterrupt:
            progress.close()
            self._print_summary(summary, dry_run=dry_run)
            raise CommandError("Interrupted; the articles listed above were imported.") from None
        progress.close()
        self._print_summary(summary, dry_run=dry_run)
        if summary.failures:
            raise CommandError(
                f"{len(summary.failures)} file(s) or record(s) could not be imported."
            )

    def _project(self, slug: str) -> Project:
        if slug:
            project = Project.objects.filter(slug=slug).first()
            if project is None:
                raise CommandError(f"There is no project {slug!r}.")
            return project
        try:
            return project_for_new_article(None)
        except InvalidInput:
            raise CommandError("Name the project to import into with --project SLUG.") from None

    def _import_one(
        self,
        item: ArticleInput,
        *,
        project: Project,
        outlet: str,
        dry_run: bool,
        summary: Summary,
        seen: tuple[set[str], set[str]],
    ) -> str:
        fields = {
            "title": item.title,
            "text": item.text,
            "raw": item.raw,
            "url": item.url,
            "outlet_name": outlet,
            "byline": item.byline,
            "published": item.published,
            "language": item.language,
        }
        try:
            if dry_run:
                plan = article_import_plan(project=project, **fields)
                seen_urls, seen_texts = seen
                digest = text_sha256(plan.text)
                if (plan.url and plan.url in seen_urls) or digest in seen_texts:
                    summary.duplicates.append((item.origin, "an earlier file of this run"))
                    return ""
                seen_texts.add(digest)
                if plan.url:
                    seen_urls.add(plan.url)
                summary.imported.append((item.origin, 0))
                return f"(dry run)\t{item.origin}"
            article = article_import(
                user=None, note=f"Imported from {item.origin}", project=project, **fields
            )
        except DuplicateArticle as exc:
            summary.duplicates.append((item.origin, f"article {exc.existing.pk} (same {exc.why})"))
            return ""
        except ValidationError as exc:
            summary.failures.append((item.origin, _validation_reason(exc)))
            return ""
        summary.imported.append((item.origin, article.pk))
        return f"{article.pk}\t{item.origin}"

    def _print_summary(self, summary: Summary, *, dry_run: bool) -> None:
        out = self.stderr
        verb = "would be imported" if dry_run else "imported"
        out.write(
            f"{len(summary.imported)} {verb}, {len(summary.duplicates)} skipped as duplicate, "
            f"{len(summary.failures)} failed" + (" (dry run: nothing written)" if dry_run else "")
        )
        for origin, existing in summary.duplicates:
            out.write(f"  duplicate: {origin}: already imported as {existing}")
        for origin, reason in summary.failures:
            out.write(f"  failed: {origin}: {reason}")
