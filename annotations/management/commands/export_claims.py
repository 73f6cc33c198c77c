"""`python manage.py export_claims --format jsonl|csv|webannotation|claimreview|brat`.

Approved claims by default, with the filters of the claim list, of every project unless
`--project SLUG` names one (the operator's command reads every desk; each record names
its claim's project); written to `--output`
(through a temporary file, so a failed export leaves no half file) or to stdout, with a
progress bar on stderr. The same code as `GET /api/v1/export/claims/` writes it.
`--format brat --output DIR` writes a folder instead (see
`annotations.exports.brat_folder`).
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict
from tqdm import tqdm

from annotations.exports.brat_folder import export_brat
from annotations.exports.claimreview import Publisher
from annotations.exports.formats import FORMATS, Export
from annotations.exports.records import CHUNK_SIZE, Links
from annotations.management.progress import CommandStream
from claimdesk.errors import InvalidInput
from claimdesk.replica import lag_tolerant
from projects.models import Project


class SystemReader:
    """Whom the export reads as without `--user`: it sees every claim, and the command
    leaves drafts out (they are private to their authors)."""

    pk = None
    is_authenticated = True
    is_superuser = True
    is_active = True


# option -> claim filter name; options given several times keep every value.
FILTER_OPTIONS = {
    "status": "status",
    "article": "article",
    "actor": "actor",
    "claimant": "claimant",
    "role": "role",
    "source": "source",
    "certainty": "certainty",
    "anchor_state": "anchor_state",
    "created_after": "created_after",
    "created_before": "created_before",
    "reviewed_after": "reviewed_after",
    "q": "q",
}
MULTIPLE = {"status", "certainty", "anchor_state"}
# A folder of files rather than one stream: written by `annotations.exports.brat_folder`.
BRAT = "brat"


class Command(BaseCommand):
    help = (
        "Export verified claims as JSON Lines, CSV, W3C Web Annotation, ClaimReview or a "
        "folder of brat standoff files."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=sorted([*FORMATS, BRAT]))
        parser.add_argument(
            "--output",
            "-o",
            help="File to write (default: stdout); for brat, the folder to write the "
            "article-<id>.txt and .ann files into (required).",
        )
        parser.add_argument(
            "--base-url",
            default=None,
            help="Site address for the IRIs in the export, e.g. https://claims.example.org "
            "(default: settings.SITE_URL, else http://localhost:8000).",
        )
        parser.add_argument(
            "--user", help="Export what this user can see (default: every non-draft claim)."
        )
        parser.add_argument("--publisher-name", help="ClaimReview author (publisher) name.")
        parser.add_argument("--publisher-url", help="ClaimReview author (publisher) URL.")
        parser.add_argument(
            "--project",
            metavar="SLUG",
            help="Export only this project's claims (default: every project; each record "
            "names its claim's project).",
        )
        parser.add_argument("--chunk-size", type=int, default=CHUNK_SIZE)
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")
        group = parser.add_argument_group("filters (as in the claim list)")
        for option in FILTER_OPTIONS:
            flag = "--" + option.replace("_", "-")
            if option in MULTIPLE:
                group.add_argument(flag, dest=option, action="append", default=None)
            else:
                group.add_argument(flag, dest=option, default=None)

    @lag_tolerant
    def handle(self, *args, **options):
        filters = QueryDict(mutable=True)
        for option, name in FILTER_OPTIONS.items():
            value = options.get(option)
            if value is None:
                continue
            filters.setlist(name, value if isinstance(value, list) else [value])
        base_url = (
            options["base_url"] or getattr(settings, "SITE_URL", "") or "http://localhost:8000"
        ).rstrip("/")
        links = Links(base_url=base_url)
        publisher = None
        if options["publisher_name"] or options["publisher_url"]:
            default = Publisher.default(links)
            publisher = Publisher(
                name=options["publisher_name"] or default.name,
                url=options["publisher_url"] or default.url,
            )
        if options["chunk_size"] < 1:
            raise CommandError("--chunk-size must be 1 or more.")
        project = self._project(options["project"])
        brat = options["format"] == BRAT
        if brat and not options["output"]:
            raise CommandError("--output: name the folder to write the brat files into.")
        try:
            export = Export.prepare(
                # brat reads the claims as the JSON Lines records, then writes them its way.
                format_name="jsonl" if brat else options["format"],
                user=self._reader(options["user"]),
                links=links,
                filters=filters,
                chunk_size=options["chunk_size"],
                publisher=publisher,
                without_drafts=not options["user"],
                project=project,
            )
            total = export.count()
        except InvalidInput as exc:
            field = f"--{exc.field.replace('_', '-')}: " if exc.field else ""
            raise CommandError(f"{field}{exc.detail}") from exc

        def progress(records):
            return tqdm(
                records,
                total=total,
                unit="claim",
                file=CommandStream(self.stderr),
                disable=options["no_progress"],
                desc=f"export {options['format']}",
            )

        if brat:
            self._write_brat(Path(options["output"]), export, total, options)
            return

        def warn(message: str) -> None:
            if options["verbosity"] > 0:
                self.stderr.write(f"warning: {message}")

        chunks = export.stream(total=total, wrap=progress, warn=warn)
        if options["output"]:
            self._write_file(Path(options["output"]), chunks)
            if options["verbosity"] > 0:
                self.stderr.write(f"{total} claims written to {options['output']}.")
        else:
            for chunk in chunks:
                self.stdout.write(chunk.decode("utf-8"), ending="")

    def _write_brat(self, directory: Path, export: Export, total: int, options) -> None:
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"--output: {directory} is a file, not a folder.")
        with tqdm(
            total=total,
            unit="claim",
            file=CommandStream(self.stderr),
            disable=options["no_progress"],
            desc="export brat",
        ) as bar:
            summary = export_brat(export.queryset, directory, export.links, progress=bar.update)
        if options["verbosity"] > 0:
            self.stderr.write(
                f"{summary.claims} claims of {summary.articles} articles written to {directory}"
                + (
                    f"; {summary.skipped} left out (orphaned: not in their article's current text)."
                    if summary.skipped
                    else "."
                )
            )

    def _reader(self, username: str | None):
        if not username:
            return SystemReader()
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"--user: there is no user {username!r}.")
        return user

    def _project(self, slug: str | None) -> Project | None:
        if slug is None:
            return None
        project = Project.objects.filter(slug=slug).first()
        if project is None:
            known = ", ".join(Project.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(
                f"--project: there is no project {slug!r}"
                + (f" (projects: {known})." if known else " (there are no projects).")
            )
        return project

    def _write_file(self, path: Path, chunks) -> None:
        partial = path.with_name(path.name + ".partial")
        try:
            with partial.open("wb") as out:
                for chunk in chunks:
                    out.write(chunk)
            os.replace(partial, path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
