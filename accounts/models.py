"""API tokens: named, expiring, revocable, and stored only as a digest."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.keys import PREFIX_LENGTH


class ApiToken(models.Model):
    """One credential of one user for the API.

    The key itself is never stored: `prefix` finds the row and `digest` (SHA-256 of the
    key) proves it. `password_fingerprint` is what the user's password hash was when
    the token was made; a token whose user's hash has changed since is refused, and so
    is a token of an inactive user. A revoked token keeps its row (with `revoked` set),
    so that using it again is answered as revoked rather than unknown.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=PREFIX_LENGTH, unique=True, editable=False)
    digest = models.CharField(max_length=64, editable=False)
    password_fingerprint = models.CharField(max_length=64, editable=False)
    created = models.DateTimeField(default=timezone.now, editable=False)
    last_used = models.DateTimeField(null=True, blank=True, editable=False)
    expires = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = "API token"
        indexes = [models.Index(fields=["user", "revoked"], name="apitoken_user_revoked")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires__isnull=True)
                | models.Q(expires__gt=models.F("created")),
                name="apitoken_expires_after_created",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_expired(self, now=None) -> bool:
        return self.expires is not None and self.expires <= (now or timezone.now())
