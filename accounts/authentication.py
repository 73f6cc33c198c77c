"""`Authorization: Token <key>` for the API, against hashed, expiring, revocable tokens.

A refused token answers 401 in the API's error contract, with a code that says why:
`authentication_failed` (no such token), `token_expired`, `token_revoked` (revoked by
hand, by logout, by a password change since it was made, or its user is inactive).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from rest_framework import authentication, exceptions

from accounts.keys import digest_matches, password_fingerprint, prefix_of
from accounts.models import ApiToken

# `last_used` is written at most once a minute per token, so that reads stay reads.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


class TokenRefused(exceptions.AuthenticationFailed):
    pass


def _refuse(detail: str, code: str) -> TokenRefused:
    return TokenRefused(detail, code=code)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        words = authentication.get_authorization_header(request).split()
        if not words or words[0].lower() != self.keyword.lower().encode():
            return None
        if len(words) != 2:
            raise _refuse(
                "Invalid token header: send `Authorization: Token <key>`.", "authentication_failed"
            )
        try:
            key = words[1].decode("ascii")
        except UnicodeDecodeError:
            raise _refuse("Invalid token.", "authentication_failed") from None
        token = check_key(key)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return self.keyword


def check_key(key: str, *, now: dt.datetime | None = None) -> ApiToken:
    """The token `key` opens, its `last_used` brought up to date; `TokenRefused` else."""
    now = now or timezone.now()
    prefix = prefix_of(key)
    token = (
        ApiToken.objects.select_related("user").filter(prefix=prefix).first() if prefix else None
    )
    if token is None or not digest_matches(key, token.digest):
        raise _refuse("Invalid token.", "authentication_failed")
    if token.revoked is not None:
        raise _refuse("This token was revoked.", "token_revoked")
    if not token.user.is_active:
        raise _refuse("This token's user is deactivated.", "token_revoked")
    if token.password_fingerprint != password_fingerprint(token.user.password):
        raise _refuse(
            "This token was revoked: its user's password changed after it was made.",
            "token_revoked",
        )
    if token.is_expired(now):
        raise _refuse("This token has expired; ask for a new one.", "token_expired")
    if token.last_used is None or now - token.last_used >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        token.last_used = now
    return token
