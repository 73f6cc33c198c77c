"""How far a request's write got, so that a lost database is answered truthfully.

A write and the read of its answer run in one transaction (`saving`). While that
transaction has not begun to commit, a lost connection rolls it back: the answer may say
nothing was saved. Once the commit has begun, the write may be in the database whatever
happens next (the commit's acknowledgement can be lost with the connection), so the
answer must say the outcome is unknown and how to find it out (`config.security`).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction

PENDING, COMMITTING, COMMITTED = "pending", "committing", "committed"


@dataclass
class WriteOutcome:
    """`pending` until the transaction begins to commit, `committing` while it commits,
    `committed` after. `key` (an idempotency key) and `location` (the URL of what the write
    made or changed) are the ways a client can find out what became of it."""

    phase: str = PENDING
    key: str | None = None
    location: str = ""

    @property
    def may_be_saved(self) -> bool:
        return self.phase != PENDING


def outcome_of(request) -> WriteOutcome | None:
    """The outcome `saving` recorded on this request (a Django or a DRF request)."""
    return getattr(getattr(request, "_request", request), "write_outcome", None)


def follow(request) -> WriteOutcome:
    """Follow this request's write from now on: until `saving` begins to commit, a lost
    database is answered "nothing was saved" (checks of permissions read, never write)."""
    django_request = getattr(request, "_request", request)
    outcome = getattr(django_request, "write_outcome", None)
    if outcome is None:
        outcome = django_request.write_outcome = WriteOutcome()
    return outcome


@contextmanager
def saving(request, *, key: str | None = None):
    """One transaction for a write and the read of its answer (and its idempotency key).

    The caller does the work and builds the answer inside the block, so that the answer
    is what this transaction wrote and nothing after the commit needs the database."""
    outcome = follow(request)
    outcome.key = key
    with transaction.atomic():
        yield outcome
        outcome.phase = COMMITTING
    outcome.phase = COMMITTED
