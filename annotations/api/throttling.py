"""Throttles. Counters live in Django's default cache (the database cache, or Redis when
`REDIS_URL` is set), which every worker process shares."""

import hashlib

from rest_framework.throttling import SimpleRateThrottle


class TokenAddressThrottle(SimpleRateThrottle):
    """Token requests per client address (rate `token`)."""

    scope = "token"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenUsernameThrottle(SimpleRateThrottle):
    """Token requests per username tried (rate `token`), whatever the address."""

    scope = "token"
    cache_format = "throttle_%(scope)s_user_%(ident)s"

    def get_cache_key(self, request, view):
        username = request.data.get("username") if hasattr(request.data, "get") else None
        if not isinstance(username, str) or not username:
            return None
        # Hashed: usernames may hold characters a cache key may not.
        ident = hashlib.sha256(username.casefold().encode("utf-8")).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": ident}
