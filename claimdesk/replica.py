"""Reads that may lag: the primary by default, a read replica only where a view says so.

With `DATABASE_REPLICA_URL` set, settings add a `replica` database alias, this module's
router and its middleware; without it none of them is installed and every query goes to
the primary, as before.

A replica applies the primary's changes a moment late, so sending it a read is a promise
that the answer may be a little old. Nothing makes that promise implicitly: the router
sends a read to the replica only inside `reads_from_replica()` (or a view or command
decorated with `@lag_tolerant`), and even there the read stays on the primary when

- the unit of work (a request, a command run) has written: a model saved, deleted or
  its many-to-many links changed, or the request is not a GET, HEAD or OPTIONS (services
  also write with conditional `update()`s, which send no signal, and only ever run in
  such requests);
- the request carries the short-lived cookie set after a write (`STICKY_COOKIE`), so the
  page loaded right after a POST, which may be answered by another app host, shows the
  write ("read your writes");
- a transaction is open on the primary (what is read there may be written back);
- the model says who is asking or what they may do now (users, groups, sessions, API
  tokens, the database cache: `PRIMARY_ONLY_APPS`), so that a revoked token or a
  deactivated user is refused at once.

Writes and migrations always go to the primary.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import StreamingHttpResponse

PRIMARY = DEFAULT_DB_ALIAS
REPLICA = "replica"

# Set after a write; while a client holds it, its reads stay on the primary. A few
# seconds covers a healthy replica's lag many times over.
STICKY_COOKIE = "claimdesk_primary"
STICKY_SECONDS = 5

# Identity and permission data, and the cache table when the cache is the database's:
# always read where it was last written.
PRIMARY_ONLY_APPS = frozenset({"auth", "sessions", "accounts", "contenttypes", "django_cache"})

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class UnitOfWork:
    """What a request or a command run has done so far that keeps its reads on the
    primary: `pinned` when it came in so (a write method, the sticky cookie), `wrote`
    when a write was seen during it."""

    pinned: bool = False
    wrote: bool = False

    @property
    def on_primary(self) -> bool:
        return self.pinned or self.wrote


_unit: ContextVar[UnitOfWork | None] = ContextVar("claimdesk_unit_of_work", default=None)
_lag_tolerant: ContextVar[bool] = ContextVar("claimdesk_lag_tolerant", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.settings


def reads_may_lag() -> bool:
    """Whether a read here may be answered by the replica (see the module's rules)."""
    if not _lag_tolerant.get():
        return False
    unit = _unit.get()
    if unit is not None and unit.on_primary:
        return False
    return not connections[PRIMARY].in_atomic_block


@contextmanager
def unit_of_work(*, pinned: bool = False) -> Iterator[UnitOfWork]:
    """A fresh record of writes for one request or command run; the middleware opens
    one per request, since a server thread serves many requests one after another."""
    unit = UnitOfWork(pinned=pinned)
    token = _unit.set(unit)
    try:
        yield unit
    finally:
        _unit.reset(token)


@contextmanager
def _within(unit: UnitOfWork):
    unit_token = _unit.set(unit)
    lag_token = _lag_tolerant.set(True)
    try:
        yield
    finally:
        _lag_tolerant.reset(lag_token)
        _unit.reset(unit_token)


@contextmanager
def reads_from_replica() -> Iterator[UnitOfWork]:
    """Let the reads of this block go to the replica, unless the unit of work around it
    has written. Outside a request the block is its own unit of work."""
    unit = _unit.get() or UnitOfWork()
    with _within(unit):
        yield unit


def _lagging_chunks(chunks: Iterable, unit: UnitOfWork) -> Iterator:
    """A streamed answer's chunks, each read from the replica: the body is produced
    after the view (and the middleware) returned, so the block is entered again for
    every chunk, with the request's own record of writes."""
    iterator = iter(chunks)
    while True:
        with _within(unit):
            try:
                chunk = next(iterator)
            except StopIteration:
                return
        yield chunk


def lag_tolerant(func: Callable) -> Callable:
    """Mark a view (function or method) or a command's `handle` whose reads may be a
    moment behind the primary: lists, searches, exports, annotation containers.

    Authentication, permissions and throttles run before a DRF view's method, so they
    keep reading the primary. A streamed answer keeps reading the replica while it
    streams.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with reads_from_replica() as unit:
            result = func(*args, **kwargs)
        if isinstance(result, StreamingHttpResponse):
            result.streaming_content = _lagging_chunks(result.streaming_content, unit)
        return result

    return wrapper


def record_write(sender, **kwargs) -> None:
    """Signal receiver: a model write in this unit of work keeps its later reads on the
    primary. Writes of `PRIMARY_ONLY_APPS` (a login's `last_login`, a session) do not
    count: those models are never read from the replica."""
    if kwargs.get("action", "post_").startswith("pre_"):
        return
    if sender._meta.app_label in PRIMARY_ONLY_APPS:
        return
    unit = _unit.get()
    if unit is not None:
        unit.wrote = True


post_save.connect(record_write, dispatch_uid="claimdesk.replica.post_save")
post_delete.connect(record_write, dispatch_uid="claimdesk.replica.post_delete")
m2m_changed.connect(record_write, dispatch_uid="claimdesk.replica.m2m_changed")


class PrimaryReplicaRouter:
    """Reads go to the primary unless `reads_may_lag()`; writes and migrations always
    go to the primary. A related object follows the database its instance came from,
    so one page never mixes the two."""

    def db_for_read(self, model, **hints):
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return PRIMARY
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return instance._state.db
        if reads_may_lag() and replica_configured():
            return REPLICA
        return PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


class ReadYourWritesMiddleware:
    """Opens a unit of work per request and marks the client after a write.

    A request that is not GET, HEAD or OPTIONS, or that carries `STICKY_COOKIE`, reads
    the primary throughout. After a write (a successful write request, or a write seen
    during any request) the answer sets the cookie for `STICKY_SECONDS`: the next page,
    whichever app host serves it, reads the primary too. Clients that keep no cookies
    (most API token clients) read lists up to the replica's lag behind their own
    writes; single objects always come from the primary.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        unsafe = request.method not in SAFE_METHODS
        with unit_of_work(pinned=unsafe or STICKY_COOKIE in request.COOKIES) as unit:
            response = self.get_response(request)
        if unit.wrote or (unsafe and response.status_code < 400):
            response.set_cookie(
                STICKY_COOKIE,
                "1",
                max_age=STICKY_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
