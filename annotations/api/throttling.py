"""Throttles. Counters live in Django's default cache (the database cache, or Redis when
`REDIS_URL` is set), which every worker process shares."""

import hashlib

from django.db import OperationalError
from rest_framework import throttling
from rest_framework.throttling import SimpleRateThrottle

from annotations.auth import client_address


class TrustedAddress:
    """Identify anonymous clients by the address the server trusts (`client_address`),
    never by DRF's default reading of X-Forwarded-For, which a client can forge to get
    a fresh allowance on every request."""

    def get_ident(self, request) -> str:
        return client_address(request)


class WindowCounting:
    """Counts requests in fixed windows of the rate's period, one cache counter each.

    DRF's own throttles keep the time of every request of the last period in one cache
    entry and rewrite it on every request: at the API's rate (thousands a minute) each
    request would read, unpickle, pickle and write back a list of thousands of floats.
    A counter costs one increment whatever the rate. As with most API rate limits, a
    client may spend one window's allowance at its end and the next one's at the start.
    """

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends = (window + 1) * self.duration
        self.key = f"{key}_{window}"
        return self._count() <= self.num_requests

    def _count(self) -> int:
        """This request's number in its window."""
        try:
            return self.cache.incr(self.key)
        except ValueError:  # the window's first request
            # Kept a second past the window, so that it never ends before its window.
            if self.cache.add(self.key, 1, self.duration + 1):
                return 1
            try:
                return self.cache.incr(self.key)  # another worker began it meanwhile
            except ValueError:
                # Neither there nor added: the database cache answers a lost connection
                # to `add` with False. Say so as the lost connection it is (a 503 that
                # says nothing was saved), not as a crash.
                raise OperationalError("the request count could not be kept") from None

    def wait(self) -> float:
        return max(self.window_ends - self.now, 0.0)


class UserRateThrottle(TrustedAddress, WindowCounting, throttling.UserRateThrottle):
    """API requests per user (rate `user`); anonymous requests per address."""


class AnonRateThrottle(TrustedAddress, WindowCounting, throttling.AnonRateThrottle):
    """API requests of anonymous clients per address (rate `anon`)."""


class TokenAddressThrottle(TrustedAddress, SimpleRateThrottle):
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
