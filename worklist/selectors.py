"""Reads of "My work": a user's claims by where they stand, what they decided, and their
notifications. Every count stops at `COUNT_LIMIT` (shown "1,000+") and every list shows
its newest `SHOWN` rows, each read through an index that starts with the user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from annotations.models import Claim, ClaimStatus, Decision, Review
from annotations.selectors.claims import QUEUE_COUNT_LIMIT, claims_visible_to
from claimdesk import counting
from projects import access
from worklist.models import Notification

COUNT_LIMIT = QUEUE_COUNT_LIMIT
SHOWN = 20
RECENT = dt.timedelta(days=30)


def count_label(count: int) -> str:
    return counting.count_label(count, COUNT_LIMIT)


def bounded_count(queryset: QuerySet) -> int:
    return counting.bounded_count(queryset.order_by(), COUNT_LIMIT)


@dataclass
class Section:
    key: str
    title: str
    rows: list
    count: int

    @property
    def count_label(self) -> str:
        return count_label(self.count)


def notifications_of(user) -> QuerySet[Notification]:
    """`user`'s notifications about claims of the desks they still belong to."""
    notices = Notification.objects.filter(recipient=user)
    if not user.is_superuser:
        notices = notices.filter(claim__project_id__in=sorted(access.project_ids(user)))
    return notices


def unread_count(user) -> int:
    return bounded_count(notifications_of(user).filter(read_at__isnull=True))


def _mine(user, status: str) -> QuerySet[Claim]:
    return claims_visible_to(user).filter(author=user, status=status)


def my_work(user) -> list[Section]:
    """The sections of "My work", each with its rows and a bounded count."""
    now = timezone.now()
    requests = Prefetch(
        "reviews",
        queryset=Review.objects.filter(decision=Decision.REQUEST_CHANGES)
        .select_related("reviewer")
        .order_by("-created", "-id"),
        to_attr="change_requests",
    )

    def section(key, title, queryset, order, *, prefetch=None):
        listed = (
            queryset.select_related("article", "claimant")
            .defer("article__text", "article__raw")
            .order_by(*order)
        )
        if prefetch is not None:
            listed = listed.prefetch_related(prefetch)
        return Section(key, title, list(listed[:SHOWN]), bounded_count(queryset))

    sent_back = section(
        "sent_back",
        "Sent back to me",
        _mine(user, ClaimStatus.CHANGES_REQUESTED),
        ("-reviewed_at", "-pk"),
        prefetch=requests,
    )
    for claim in sent_back.rows:
        claim.change_request = claim.change_requests[0] if claim.change_requests else None
    decided = claims_visible_to(user).filter(
        author=user,
        status__in=[ClaimStatus.APPROVED, ClaimStatus.REJECTED],
        reviewed_at__gte=now - RECENT,
    )
    sections = [
        sent_back,
        section("drafts", "My drafts", _mine(user, ClaimStatus.DRAFT), ("-modified", "-pk")),
        section(
            "waiting",
            "Waiting for review",
            _mine(user, ClaimStatus.SUBMITTED),
            ("-submitted_at", "-pk"),
        ),
        section("decided", "Decided in the last 30 days", decided, ("-reviewed_at", "-pk")),
    ]
    return sections


def my_decisions(user) -> Section:
    """The reviewer's own decisions, newest first, on claims they may still read."""
    reviews = Review.objects.filter(reviewer=user)
    if not user.is_superuser:
        reviews = reviews.filter(claim__project_id__in=sorted(access.project_ids(user)))
    listed = (
        reviews.select_related("claim", "claim__article")
        .defer("claim__article__text", "claim__article__raw")
        .order_by("-created", "-id")
    )
    return Section("reviewed", "What I decided", list(listed[:SHOWN]), bounded_count(reviews))


def recent_notifications(user, *, limit: int = SHOWN) -> list[Notification]:
    return list(
        notifications_of(user)
        .select_related("claim", "review", "sender", "relation")
        .order_by("-created", "-id")[:limit]
    )
