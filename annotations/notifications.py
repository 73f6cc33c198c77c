"""Emails to claim authors.

Called only from `transaction.on_commit` by the services, never from signals: a decision
that is rolled back sends nothing.
"""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.text import Truncator

from annotations.models import Claim, Review

logger = logging.getLogger(__name__)

SUBJECT_STATEMENT_CHARS = 60


def _one_line(text: str) -> str:
    # Mail headers must not hold line breaks; statements may.
    return " ".join(text.split())


# What happened, as the author reads it in a list of mails (not the reviewer's button).
SUBJECTS = {
    "approve": "Approved",
    "reject": "Rejected",
    "request_changes": "Changes requested",
}


def notify_author_of_decision(claim_id: int, review_id: int) -> None:
    """Tell the claim's author what a reviewer decided. Does nothing when the author has
    no email address or the claim has gone since (a deleted draft)."""
    claim = Claim.objects.select_related("author", "article").filter(pk=claim_id).first()
    review = Review.objects.select_related("reviewer").filter(pk=review_id).first()
    if claim is None or review is None:
        logger.info("No email for review %s: the claim or the review is gone.", review_id)
        return
    if not claim.author.email:
        return
    statement = Truncator(_one_line(claim.statement)).chars(SUBJECT_STATEMENT_CHARS)
    subject = f"[Claimdesk] {SUBJECTS.get(review.decision, review.decision)}: {statement}"
    send_mail(
        subject=subject,
        message=render_to_string(
            "annotations/email/decision.txt", {"claim": claim, "review": review}
        ),
        from_email=None,
        recipient_list=[claim.author.email],
    )
