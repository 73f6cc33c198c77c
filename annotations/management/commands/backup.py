"""`python manage.py backup FILE`: everything Claimdesk holds, as one JSON file.

What it keeps: users and groups (with their permissions), and every row of `articles`
and `annotations` (sources, articles and their revisions, actors and aliases, claims
with their links, reviews, relations and the whole audit trail). Users and groups are
written with their natural keys (username, group name), so a restore matches them by
name; every other row keeps its id. It leaves out what `migrate` recreates (content
types, permissions), what is only transient (sessions, the cache, the admin's log) and
API tokens, which are credentials: after a restore, clients ask for new ones; nor the
idempotency keys of the last day's writes.

The file is Django's fixture format, so `loaddata` reads it (`manage.py restore` does),
with one difference from `dumpdata`: times keep their microseconds, where `dumpdata`
cuts them to milliseconds, so that a restored audit trail is the one that was saved.

The rows are read in one read-only transaction (REPEATABLE READ on PostgreSQL), so a
backup taken while people work is a consistent snapshot. The file is written beside
FILE first and renamed into place, so a failed backup never leaves a truncated file.
A name ending in `.gz`, `.bz2`, `.xz` or `.lzma` is compressed.

`--project SLUG` writes one project's rows only, with the users and the shared registry
they point to (see `annotations.project_backup`), so that it restores on its own into an
empty database and holds nothing of another project.

The file holds password hashes and unpublished work: keep it as carefully as the
database. Restore it with `python manage.py restore FILE` (see that command).
"""

from __future__ import annotations

import bz2
import datetime as dt
import gzip
import lzma
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Model, QuerySet

from annotations.project_backup import project_scope
from projects.models import Project

BACKUP_APPS = ["auth", "projects", "articles", "annotations", "publishing", "suggestions"]
# Rows of those apps a backup leaves out: a day's record of retried writes, which a
# restored database does not need (a client retrying across a restore writes anew); the
# kept claim counts (per project, per actor, the accusation pairs and the involvements
# they are kept from), which the database's triggers make again as the claims and their
# links load; and the computed suggestions with the jobs that computed them, which the
# next read of an article computes again. What researchers did with the suggestions
# (shown, dismissed, accepted) is kept.
TRANSIENT_MODELS = {
    "annotations.IdempotencyKey",
    "annotations.ProjectClaimCount",
    "annotations.ActorClaimCount",
    "annotations.AccusationCount",
    "annotations.ActorInvolvement",
    "suggestions.ArticleSuggestions",
    "suggestions.StoredSuggestion",
    "suggestions.Job",
}
AUTH_MODELS = {"group", "user"}
SUFFIXES = (".json", ".json.gz", ".json.bz2", ".json.xz", ".json.lzma")
OPENERS = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open, ".lzma": lzma.open}


def add_backup_arguments(parser, *, file_help: str) -> None:
    """The arguments backup and restore share: the file, and the database to use."""
    parser.add_argument("file", help=file_help)
    parser.add_argument("--database", default=DEFAULT_DB_ALIAS)


def check_backup_name(path: str) -> Path:
    if not path.endswith(SUFFIXES):
        raise CommandError(f"The backup file's name must end with one of: {', '.join(SUFFIXES)}.")
    return Path(path)


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep every microsecond."""

    def default(self, o):
        if isinstance(o, dt.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, dt.time):
            return o.isoformat()
        return super().default(o)


def backup_models() -> list:
    """The models a backup holds, each after the models its natural keys point to."""
    app_list = {}
    for label in BACKUP_APPS:
        config = apps.get_app_config(label)
        models = [
            model
            for model in config.get_models()
            if model._meta.managed
            and not model._meta.proxy
            and (label != "auth" or model._meta.model_name in AUTH_MODELS)
            and model._meta.label not in TRANSIENT_MODELS
        ]
        app_list[config] = models
    return serializers.sort_dependencies(app_list.items(), allow_cycles=True)


def rows(models, database: str, scope: Callable[[type[Model]], QuerySet] | None = None) -> Iterator:
    """Every row of the models, or the rows `scope` gives for each model."""
    for model in models:
        queryset = scope(model) if scope else model._base_manager.using(database)
        yield from queryset.order_by(model._meta.pk.name).iterator(chunk_size=2000)


def _open(path: Path):
    opener = OPENERS.get(path.suffix)
    if opener is None:
        return path.open("w", encoding="utf-8")
    return opener(path, "wt", encoding="utf-8")


class Command(BaseCommand):
    help = "Write a consistent JSON backup of users, groups, articles and annotations to FILE."

    def add_arguments(self, parser):
        add_backup_arguments(parser, file_help="Where to write the backup (.json, or .json.gz …).")
        parser.add_argument(
            "--project",
            metavar="SLUG",
            help="Back up this project only, with the users and the shared actors and "
            "sources it points to (default: everything).",
        )

    def handle(
        self,
        *args,
        file: str,
        database: str,
        project: str | None = None,
        verbosity: int = 1,
        **options,
    ):
        target = check_backup_name(file)
        if not target.parent.exists():
            raise CommandError(f"The folder {target.parent} does not exist.")
        scope = None
        if project is not None:
            desk = Project._base_manager.using(database).filter(slug=project).first()
            if desk is None:
                raise CommandError(f"--project: there is no project {project!r}.")
            scope = project_scope(desk, database)
            for model in backup_models():
                scope(model)  # a model it cannot scope fails here, before any file is made
        # Same suffixes, so that the temporary file is compressed alike.
        partial = target.with_name(f".partial-{os.getpid()}-{target.name}")
        connection = connections[database]
        # Only a transaction's first statement may set its isolation level: called
        # inside a transaction already, the command reads that transaction's snapshot.
        snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
        try:
            with transaction.atomic(using=database), _open(partial) as stream:
                if snapshot:
                    with connection.cursor() as cursor:
                        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                serializers.serialize(
                    "json",
                    rows(backup_models(), database, scope),
                    stream=stream,
                    indent=None,
                    use_natural_foreign_keys=True,
                    use_natural_primary_keys=True,
                    cls=ExactJSONEncoder,
                )
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
        if verbosity:
            of = f" of project {project}" if project is not None else ""
            self.stdout.write(self.style.SUCCESS(f"Backup{of} written to {target}."))
