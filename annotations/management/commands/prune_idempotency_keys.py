"""Forget idempotency keys older than 24 hours.

Each user's old keys are also deleted whenever they record a new one; this deletes those
of users who stopped writing. Run it daily (cron, a systemd timer): a key past its 24
hours can no longer be replayed anyway.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from annotations import idempotency


class Command(BaseCommand):
    help = "Delete idempotency keys older than 24 hours."

    def handle(self, *args, **options):
        deleted = idempotency.prune()
        self.stdout.write(f"{deleted} idempotency keys deleted.")
