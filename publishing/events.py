"""The claim events publishing writes into a claim's audit trail (`ClaimEvent.kind`).

They are not among `annotations.models.EventKind`, whose choices the annotations app's
migrations record: the audit trail stores any kind, and the API documents both sets
(`annotations.api.serializers.reviews.EVENT_KINDS`).
"""

from django.db import models


class PublishingEventKind(models.TextChoices):
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"
