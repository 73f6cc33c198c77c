"""Reviews, versions acted on, and the audit trail's events."""

from __future__ import annotations

from rest_framework import serializers

from annotations.api.serializers.fields import (
    MAX_OFFSET,
    InputSerializer,
    UserRefSerializer,
    WholeNumberField,
)
from annotations.models import Decision, EventKind, RejectReason
from claimdesk import limits
from publishing.events import PublishingEventKind

# Every kind of event an audit trail holds: the workflow's and publishing's.
EVENT_KINDS = [*EventKind.choices, *PublishingEventKind.choices]


class ReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reviewer = UserRefSerializer()
    claim_version = serializers.IntegerField()
    review_round = serializers.IntegerField(
        help_text="The claim's review round the decision was made in."
    )
    decision = serializers.ChoiceField(choices=Decision.choices)
    reason = serializers.CharField()
    comment = serializers.CharField()
    rating_value = serializers.IntegerField(allow_null=True)
    rating_label = serializers.CharField()
    created = serializers.DateTimeField()


class VersionInputSerializer(InputSerializer):
    version = WholeNumberField(
        min_value=1, max_value=MAX_OFFSET, help_text="The version you are acting on."
    )


class OptionalVersionInputSerializer(InputSerializer):
    version = WholeNumberField(
        min_value=1,
        max_value=MAX_OFFSET,
        required=False,
        help_text="When given, the claim must still be at this version.",
    )


class ReviewInputSerializer(InputSerializer):
    version = WholeNumberField(min_value=1, max_value=MAX_OFFSET)
    decision = serializers.ChoiceField(choices=Decision.choices)
    reason = serializers.ChoiceField(
        choices=RejectReason.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required with `reject`, refused otherwise.",
    )
    comment = serializers.CharField(
        max_length=limits.REVIEW_COMMENT,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required with `request_changes`.",
    )
    rating_value = WholeNumberField(
        min_value=1, max_value=5, required=False, allow_null=True, default=None
    )
    rating_label = serializers.CharField(
        max_length=limits.RATING_LABEL, required=False, allow_blank=True, default=""
    )
    quote_checked = serializers.BooleanField(required=False, default=True)
    claimant_checked = serializers.BooleanField(required=False, default=True)
    sources_checked = serializers.BooleanField(required=False, default=True)


class ClaimEventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=EVENT_KINDS)
    actor = UserRefSerializer(allow_null=True)
    created = serializers.DateTimeField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    version = serializers.IntegerField()
    changes = serializers.JSONField(help_text="Each changed field: [before, after].")
    data = serializers.JSONField()
