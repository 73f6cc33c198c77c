"""Logging in, with failed attempts throttled per username and per client address.

Every password check goes through `ThrottledModelBackend`: the login page, the admin's
login and the API's token endpoint alike. Each failure is counted twice in the shared
cache (the database cache, or Redis), once for the username tried and once for the
client address, in a fixed window of `LOGIN_FAILURE_WINDOW` seconds that starts at the
first failure. Past `LOGIN_FAILURES_PER_USERNAME` or `LOGIN_FAILURES_PER_ADDRESS`
failures the backend refuses without checking the password, and the login page says
so with a 429. A successful login clears the username's count, not the address's: an
attacker who owns one account cannot reset their address's count by logging in.
The counters are read and written without a lock; concurrent failures may be
undercounted by a few, which a limit of this kind tolerates.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.http import HttpRequest, HttpResponse

THROTTLED_MESSAGE = (
    "Too many failed attempts to log in. Wait {minutes} minute{plural} and try again; "
    "the password was not checked."
)


def _digest(value: str) -> str:
    # Hashed: usernames and addresses may hold characters a cache key may not.
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def client_address(request: HttpRequest | None) -> str:
    """The address the request came from, as far as the server can trust it.

    With `TRUSTED_PROXIES = 0` that is REMOTE_ADDR: a client-sent X-Forwarded-For is
    ignored, because anyone can send one. Behind N trusted proxies each appends the
    address it received from, so the client is the N-th address from the right of
    X-Forwarded-For (entries further left were sent by the client and prove nothing).
    The API's throttles and the login guard both count this address.
    """
    if request is None:
        return ""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if not forwarded:
        return remote
    return forwarded[-min(proxies, len(forwarded))]


@dataclass(frozen=True)
class Counter:
    key: str
    limit: int


class LoginThrottle:
    """The failure counters of one login attempt: its username and its address."""

    def __init__(self, *, username: str | None, address: str) -> None:
        self.window = settings.LOGIN_FAILURE_WINDOW
        self.counters: list[Counter] = []
        if username:
            self.username_counter = Counter(
                f"login-failures:user:{_digest(username.casefold())}",
                settings.LOGIN_FAILURES_PER_USERNAME,
            )
            self.counters.append(self.username_counter)
        else:
            self.username_counter = None
        if address:
            self.counters.append(
                Counter(
                    f"login-failures:addr:{_digest(address)}", settings.LOGIN_FAILURES_PER_ADDRESS
                )
            )

    @classmethod
    def for_request(cls, request: HttpRequest | None, username: str | None) -> LoginThrottle:
        return cls(username=username, address=client_address(request))

    def _read(self, counter: Counter, now: float) -> tuple[int, float]:
        """(failures, window start) of a counter, (0, now) once its window is over."""
        value = cache.get(counter.key)
        if not value:
            return 0, now
        count, started = value
        if now - started >= self.window:
            return 0, now
        return count, started

    def retry_after(self) -> int:
        """Seconds until a refused attempt may be made again; 0 when not refused."""
        now = time.time()
        waits = []
        for counter in self.counters:
            count, started = self._read(counter, now)
            if count >= counter.limit:
                waits.append(math.ceil(started + self.window - now))
        return max(waits, default=0)

    def blocked(self) -> bool:
        return self.retry_after() > 0

    def record_failure(self) -> None:
        now = time.time()
        for counter in self.counters:
            count, started = self._read(counter, now)
            remaining = max(math.ceil(started + self.window - now), 1)
            cache.set(counter.key, (count + 1, started), timeout=remaining)

    def clear_username(self) -> None:
        if self.username_counter is not None:
            cache.delete(self.username_counter.key)


class ThrottledModelBackend(ModelBackend):
    """Django's model backend behind the login throttle.

    A refused attempt raises PermissionDenied, which makes `authenticate()` give up
    at once (and send `user_login_failed`) without checking the password.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        throttle = LoginThrottle.for_request(request, str(username))
        if throttle.blocked():
            raise PermissionDenied("Too many failed attempts to log in.")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            throttle.record_failure()
        else:
            throttle.clear_username()
        return user


class LoginForm(AuthenticationForm):
    """The login form: a refused attempt is a clear error, not "wrong password"."""

    def clean(self):
        username = self.cleaned_data.get("username")
        throttle = LoginThrottle.for_request(self.request, username)
        wait = throttle.retry_after()
        if wait:
            self.retry_after = wait
            minutes = max(math.ceil(wait / 60), 1)
            raise forms.ValidationError(
                THROTTLED_MESSAGE.format(minutes=minutes, plural="" if minutes == 1 else "s"),
                code="throttled",
            )
        return super().clean()


class LoginView(auth_views.LoginView):
    """Django's login page with `LoginForm`; a refused attempt answers 429."""

    form_class = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form: LoginForm) -> HttpResponse:
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, "throttled"):
            response.status_code = 429
            response["Retry-After"] = str(getattr(form, "retry_after", 60))
        return response
