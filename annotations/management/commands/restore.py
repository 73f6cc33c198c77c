"""`python manage.py restore FILE`: load a backup made by `manage.py backup`.

Restore into an empty database: create it, run `python manage.py migrate`, then
`python manage.py restore FILE`. The command refuses a database that already holds
articles, sources, actors, claims or audit events, so a restore never mixes two
histories or overwrites newer work; to replace what a database holds, empty it first
with `python manage.py flush`.

Everything loads in one transaction (`loaddata`): a restore that fails part-way leaves
the database as it was. Rows keep the ids they had; users and groups are matched by
name; the id sequences are moved past the restored ids. Claim events are inserted
with raw saves, which the append-only guards allow (they refuse updates and deletes).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from annotations.management.commands.backup import add_backup_arguments, check_backup_name
from annotations.models import Actor, Claim, ClaimEvent
from articles.models import Article, Source

MUST_BE_EMPTY = [Article, Source, Actor, Claim, ClaimEvent]


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into an empty, migrated database."

    def add_arguments(self, parser):
        add_backup_arguments(parser, file_help="The backup file (.json, or .json.gz …).")

    def handle(self, *args, file: str, database: str, verbosity: int = 1, **options):
        path = check_backup_name(file)
        if not path.is_file():
            raise CommandError(f"No backup file at {path}.")
        occupied = [
            str(model._meta.verbose_name_plural)
            for model in MUST_BE_EMPTY
            if model._default_manager.using(database).exists()
        ]
        if occupied:
            raise CommandError(
                "The database is not empty (it holds "
                + ", ".join(occupied)
                + "). Restore into a new database, or empty this one with "
                "`manage.py flush` first."
            )
        with transaction.atomic(using=database):
            call_command("loaddata", str(path.resolve()), database=database, verbosity=0)
        if verbosity:
            counts = {
                "users": get_user_model()._default_manager.using(database).count(),
                "articles": Article._default_manager.using(database).count(),
                "claims": Claim._default_manager.using(database).count(),
                "events": ClaimEvent._default_manager.using(database).count(),
            }
            summary = ", ".join(f"{n} {label}" for label, n in counts.items())
            self.stdout.write(self.style.SUCCESS(f"Restored {path}: {summary}."))
