"""The review round, and the one step that starts a new one.

A claim's `review_round` is 0 until its first submission and grows by one each time a
round starts; every `Review` keeps the round it was given in. Only the reviews of the
claim's current round (`Review.objects.of_current_round()`) count: towards
`REQUIRED_APPROVALS`, for keeping a claim out of its approvers' queue, for the rating
the exports give. Earlier reviews stay on record.

Which changes start a round is the workflow's rule (`workflow.starts_review_round`):
any change of the words or substance under review, and every entry into `submitted`.
Every path that may start one (submission, resubmission after changes were requested, a
substantive edit of an approved claim, a fuzzy re-anchoring, a re-attachment to other
words) asks that rule, then writes the fields of `review_round_start` in the same
conditional UPDATE as the change itself: a round never starts without its change, nor the change
without its round.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F
from django.utils import timezone


def review_round_start(*, at: dt.datetime | None = None) -> dict[str, Any]:
    """The fields that start a new review round: the next round number, and
    `submitted_at` (`at`, or now). They fit `save_transition` and `QuerySet.update` alike;
    callers ask `workflow.starts_review_round` first."""
    return {"review_round": F("review_round") + 1, "submitted_at": at or timezone.now()}
