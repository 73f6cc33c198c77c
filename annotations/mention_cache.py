"""The mention index of the registry, one per process, rebuilt when the registry changes.

`mention_index()` returns the `MentionIndex` of every actor's name and alias. Whether the
registry changed since the index was built is decided by a key read on every call:
- a version number in the shared cache (`django.core.cache`), bumped by
  `registry_changed`, which the actor services run through `transaction.on_commit`, so
  every worker process notices a change made by any other;
- a fingerprint of the tables (number of actors and aliases, latest actor change,
  highest alias id), so changes made around the services (the admin, a data migration)
  are noticed too.
Reading the key costs one cache read and two aggregate queries; a rebuild reads every
name and alias once. Invalidation is therefore never explicit for readers: a writer
either calls `registry_changed` after commit or is caught by the fingerprint, and
`forget_mention_index` only serves tests that start from an empty registry.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable

from django.core.cache import cache
from django.db.models import Count, Max

from annotations.mentions import MentionIndex
from annotations.models import Actor, ActorAlias

REGISTRY_VERSION_KEY = "claimdesk:registry:version"


_index_lock = threading.Lock()
_cached_index: tuple[tuple, MentionIndex] | None = None


def registry_changed() -> None:
    """Tell every process that actors or aliases changed. Call it after commit."""
    cache.add(REGISTRY_VERSION_KEY, 0, timeout=None)
    try:
        cache.incr(REGISTRY_VERSION_KEY)
    except ValueError:
        # Evicted between `add` and `incr`: starting again from 1 still differs from
        # whatever a process holds, because the fingerprint is part of the key too.
        cache.set(REGISTRY_VERSION_KEY, 1, timeout=None)


def _registry_key() -> tuple:
    actors = Actor.objects.aggregate(count=Count("pk"), modified=Max("modified"))
    aliases = ActorAlias.objects.aggregate(count=Count("pk"), last=Max("pk"))
    return (
        cache.get(REGISTRY_VERSION_KEY, 0),
        actors["count"],
        actors["modified"],
        aliases["count"],
        aliases["last"],
    )


def registry_version() -> str:
    """A short name of the registry as it is now (the key `mention_index` checks): two
    equal names mean the same actors, names and aliases. Stored suggestions keep it to
    know when the registry they were computed with has changed."""
    return hashlib.sha256(repr(_registry_key()).encode()).hexdigest()[:32]


def _index_entries() -> Iterable[tuple[int, str]]:
    # Actors before aliases, each by id: an ambiguous name lists the actor that first
    # had it as a name before those that have it as an alias.
    yield from Actor.objects.order_by("pk").values_list("pk", "name").iterator(chunk_size=5000)
    yield from (
        ActorAlias.objects.order_by("pk").values_list("actor_id", "name").iterator(chunk_size=5000)
    )


def mention_index() -> MentionIndex:
    """The mention index of the registry as it is now, built at most once per change.

    Safe to call from several threads; the index itself is read-only.
    """
    global _cached_index
    # The key is read before the names: a change that lands in between is then seen
    # by the next call, never hidden under a key that already includes it.
    key = _registry_key()
    cached = _cached_index
    if cached is not None and cached[0] == key:
        return cached[1]
    with _index_lock:
        cached = _cached_index
        if cached is not None and cached[0] == key:
            return cached[1]
        index = MentionIndex.build(_index_entries())
        _cached_index = (key, index)
        return index


def forget_mention_index() -> None:
    """Drop this process's index (tests start from a clean registry)."""
    global _cached_index
    with _index_lock:
        _cached_index = None
