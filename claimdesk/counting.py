"""Counts that stop at a limit, and how the pages show them.

A count of every match reads every match: on a desk of 500,000 claims that is the cost
the pages must not grow with. A list, a queue or a search is counted up to its limit
and one more, which says whether the limit was passed, and shown as "1,000+" beyond.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property


def bounded_count(queryset: QuerySet, limit: int) -> int:
    """How many rows `queryset` holds, up to `limit` + 1: reads at most that many ids,
    in the queryset's own order (unordered, `order_by()` first)."""
    return queryset.values("pk")[: limit + 1].count()


def count_label(count: int, limit: int) -> str:
    """A bounded count as the pages show it: "1,000+" once past `limit`."""
    return f"{limit:,}+" if count > limit else f"{count:,}"


class CappedPaginator(Paginator):
    """Pages whose `count` stops at `limit` (one row more is read to know): the pages end
    there, and `capped` says the matches went on. For searches, whose every match a
    count would read; `capped_paginator(limit)` makes one with its own limit."""

    limit = 1000

    @cached_property
    def counted(self) -> int:
        return bounded_count(self.object_list.order_by(), self.limit)

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.limit)

    @property
    def capped(self) -> bool:
        return self.counted > self.limit

    @property
    def count_label(self) -> str:
        return count_label(self.counted, self.limit)
