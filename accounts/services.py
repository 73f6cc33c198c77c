"""Changes of API tokens: made, revoked one by one, revoked all at once.

Revoking all of a user's tokens is called by logout (when `API_TOKENS_END_AT_LOGOUT`
says so) and by the admin's deactivation of a user. A password change needs no call:
tokens remember the password hash they were made under (`accounts.keys`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.keys import key_digest, new_key, password_fingerprint
from accounts.models import ApiToken
from claimdesk import characters

MAX_DAYS = 3650
DEFAULT_NAME = "API token"


@transaction.atomic
def token_create(
    *, user, name: str = "", expires_in_days: int | None = None
) -> tuple[ApiToken, str]:
    """A new token for `user` and its key, which is returned here and never again.

    Without `expires_in_days` the token lives `API_TOKEN_DAYS` days (0: no expiry).
    """
    days = settings.API_TOKEN_DAYS if expires_in_days is None else expires_in_days
    now = timezone.now()
    prefix, key = new_key()
    while ApiToken.objects.filter(prefix=prefix).exists():  # 1 in 2**48: cheap to be sure
        prefix, key = new_key()
    token = ApiToken(
        user=user,
        name=name.strip() or DEFAULT_NAME,
        prefix=prefix,
        digest=key_digest(key),
        password_fingerprint=password_fingerprint(user.password),
        created=now,
        expires=now + dt.timedelta(days=days) if days else None,
    )
    characters.check_characters(name=token.name)
    token.full_clean()
    token.save()
    return token, key


@transaction.atomic
def token_revoke(*, token: ApiToken) -> None:
    """Revoke one token (revoking a revoked token changes nothing)."""
    ApiToken.objects.filter(pk=token.pk, revoked__isnull=True).update(revoked=timezone.now())


@transaction.atomic
def tokens_revoke_all(*, user) -> int:
    """Revoke every token of `user`; the number revoked."""
    return ApiToken.objects.filter(user=user, revoked__isnull=True).update(revoked=timezone.now())
