"""`python manage.py import_annotations --format brat DIR --user NAME [--project SLUG]`.

Each `<name>.txt` + `<name>.ann` of the folder becomes an article and its draft claims,
authored by `--user` (a researcher of the project), as `annotations.brat_import` says:
every file is read and checked first, then everything is written in one transaction, so
a failure leaves nothing behind. Errors name the file and the line; the command then
exits with status 1. A progress bar and a summary go to standard error; standard output
carries one line per article created, `id<TAB>name`.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from annotations.brat_import import (
    PLACEHOLDER_CLAIMANT,
    BratImportError,
    import_folder,
    read_folder,
)
from annotations.management.progress import CommandStream
from claimdesk.errors import DomainError
from projects.models import Project


class Command(BaseCommand):
    help = (
        "Import a folder of brat standoff files (<name>.txt + <name>.ann) as articles and "
        "draft claims; nothing is imported when any file is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help="The folder of .txt and .ann files.")
        parser.add_argument("--format", required=True, choices=["brat"])
        parser.add_argument(
            "--user",
            required=True,
            help="The researcher who authors the draft claims (and imports the articles).",
        )
        parser.add_argument(
            "--project",
            metavar="SLUG",
            help="Project the articles go into; may be left out when the user imports "
            "into one project only.",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"--user: there is no user {options['user']!r}.")
        project = None
        if options["project"]:
            project = Project.objects.filter(slug=options["project"]).first()
            if project is None:
                raise CommandError(f"--project: there is no project {options['project']!r}.")
        directory = Path(options["directory"])
        try:
            files = len(read_folder(directory))  # the errors of every file, before any write
            with tqdm(
                total=files,
                unit="file",
                file=CommandStream(self.stderr),
                disable=options["no_progress"],
                desc="import brat",
            ) as bar:
                summary = import_folder(
                    user=user, directory=directory, project=project, progress=bar.update
                )
        except BratImportError as exc:
            for error in exc.errors:
                self.stderr.write(error)
            raise CommandError(
                f"{len(exc.errors)} problem(s) found; nothing was imported."
            ) from exc
        except DomainError as exc:
            raise CommandError(f"{exc.detail} Nothing was imported.") from exc
        for article_id, name in summary.articles:
            self.stdout.write(f"{article_id}\t{name}")
        self.stderr.write(
            f"{summary.files} files: {len(summary.articles)} articles and {summary.claims} "
            f"draft claims imported ({summary.discontinuous} with a discontinuous content), "
            f"{len(summary.actors_created)} actors created, {summary.placeholders} claims "
            f"given the placeholder claimant {PLACEHOLDER_CLAIMANT!r}."
        )
