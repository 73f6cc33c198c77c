"""Model pieces both apps share."""

from __future__ import annotations

from django.db import models


class AppendOnly(models.Model):
    """A record of what happened (an audit event): written once, never updated, never
    deleted through the ORM. Database triggers add the same guarantee where they exist."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise RuntimeError(f"{self._meta.verbose_name_plural.capitalize()} are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError(f"{self._meta.verbose_name_plural.capitalize()} are append-only.")
