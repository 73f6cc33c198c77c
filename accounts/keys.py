"""The shape of an API key, and the digests stored in its place.

A key is `<prefix>.<secret>`: a 12-hex-digit public prefix that finds the token's row,
and 256 random bits. Only the SHA-256 of the whole key is stored. A fast hash is enough
here, unlike for passwords: nobody can guess 256 random bits, however fast each try,
and a fast hash keeps every authenticated request cheap.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

PREFIX_LENGTH = 12
SEPARATOR = "."


def new_key() -> tuple[str, str]:
    """A fresh (prefix, key)."""
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    return prefix, f"{prefix}{SEPARATOR}{secrets.token_urlsafe(32)}"


def prefix_of(key: str) -> str | None:
    """The prefix a key claims, or None when the key has not the shape of one."""
    prefix, separator, secret = key.partition(SEPARATOR)
    if not separator or len(prefix) != PREFIX_LENGTH or not secret:
        return None
    return prefix


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def digest_matches(key: str, digest: str) -> bool:
    """Compared in constant time, so timing tells nothing about the stored digest."""
    return hmac.compare_digest(key_digest(key), digest)


def password_fingerprint(password_hash: str) -> str:
    """What a token remembers of its user's password hash when it is made.

    Any change of the hash (a new password, an unusable one) changes the fingerprint,
    however the hash was written, so no path of changing a password can leave a token
    working.
    """
    return hashlib.sha256(f"api-token:{password_hash}".encode()).hexdigest()
