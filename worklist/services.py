"""Writing notifications and marking them read.

`notify_review` is called by `annotations.services.reviews.review_decide` inside its
transaction: the notice exists exactly when the decision does.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from worklist.models import Notification, NotificationKind

# "claim 12", "claim #12", "#12" or a link to /claims/12/ in a review's comment.
MENTION = re.compile(r"(?:\bclaims?\s*#?|#|/claims/)(\d{1,18})\b", re.IGNORECASE)
MENTIONS_NOTIFIED = 20  # per review: a comment is not a mailing list


def mentioned_claim_ids(comment: str) -> list[int]:
    seen: list[int] = []
    for match in MENTION.finditer(comment or ""):
        number = int(match.group(1))
        if number not in seen:
            seen.append(number)
    return seen[:MENTIONS_NOTIFIED]


def notify_review(*, review, claim) -> None:
    """Tell the claim's author about the decision, and the authors of the claims of the
    same desk that the comment names, except the reviewer themselves."""
    from annotations.models import Claim

    notices = []
    if claim.author_id != review.reviewer_id:
        notices.append(
            Notification(
                recipient_id=claim.author_id,
                kind=NotificationKind.DECISION,
                claim=claim,
                review=review,
                sender_id=review.reviewer_id,
            )
        )
    mentioned = mentioned_claim_ids(review.comment)
    if mentioned:
        named = (
            Claim.objects.filter(pk__in=mentioned, project_id=claim.project_id)
            .exclude(pk=claim.pk)
            .exclude(author_id=review.reviewer_id)
            .only("pk", "author_id")
        )
        notices += [
            Notification(
                recipient_id=other.author_id,
                kind=NotificationKind.MENTION,
                claim=other,
                review=review,
                sender_id=review.reviewer_id,
            )
            for other in named
        ]
    Notification.objects.bulk_create(notices)


def notify_relation(*, relation, user) -> None:
    """Tell the authors of both related claims, except `user` who related them. To be
    called by the service that makes a relation, in its transaction."""
    from annotations.models import Claim

    authors = dict(
        Claim.objects.filter(pk__in=[relation.from_claim_id, relation.to_claim_id]).values_list(
            "pk", "author_id"
        )
    )
    Notification.objects.bulk_create(
        Notification(
            recipient_id=author_id,
            kind=NotificationKind.RELATION,
            claim_id=claim_id,
            relation=relation,
            sender=user,
        )
        for claim_id, author_id in sorted(authors.items())
        if author_id != user.pk
    )


@transaction.atomic
def notification_mark_read(*, user, notification_id: int) -> None:
    """Mark one of `user`'s notifications read; another's is not found (404)."""
    updated = Notification.objects.filter(
        pk=notification_id, recipient=user, read_at__isnull=True
    ).update(read_at=timezone.now())
    if not updated and not Notification.objects.filter(pk=notification_id, recipient=user).exists():
        raise Http404("No such notification.")


@transaction.atomic
def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
