"""In-app notifications: what happened to a user's claims while they were away.

Written by the review service in the decision's own transaction (a decision and its
notice are one change), read on "My work" and counted in the navigation. E-mail is
sent as before, after commit.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class NotificationKind(models.TextChoices):
    DECISION = "decision", "A decision on your claim"
    MENTION = "mention", "Your claim was named in a review"
    RELATION = "relation", "Another claim was related to yours"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    claim = models.ForeignKey("annotations.Claim", on_delete=models.CASCADE, related_name="+")
    review = models.ForeignKey(
        "annotations.Review", on_delete=models.CASCADE, related_name="+", null=True
    )
    relation = models.ForeignKey(
        "annotations.ClaimRelation", on_delete=models.CASCADE, related_name="+", null=True
    )
    # Who did what the notice tells of (the reviewer, the one who related the claims).
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+", null=True
    )
    created = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [
            # A user's notices newest first.
            models.Index(fields=["recipient", "created", "id"], name="notification_recipient_idx"),
            # The unread count in every page's navigation reads only unread rows.
            models.Index(
                fields=["recipient", "id"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on claim {self.claim_id} for {self.recipient_id}"
