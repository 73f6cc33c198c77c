"""Which tokens a user still holds."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.keys import password_fingerprint
from accounts.models import ApiToken


def tokens_of(user) -> QuerySet[ApiToken]:
    """The user's tokens that still open the API or have only expired: not revoked, made
    under the current password. Expired ones stay listed (so that their owner sees why a
    client stopped working) until revoked."""
    return ApiToken.objects.filter(
        user=user,
        revoked__isnull=True,
        password_fingerprint=password_fingerprint(user.password),
    )
