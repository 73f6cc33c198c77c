"""Claims: the documented shape of an answer, and the input of create and update."""

from __future__ import annotations

from rest_framework import serializers

from annotations import workflow
from annotations.api.serializers.fields import (
    MAX_ID,
    MAX_OFFSET,
    ActorRefSerializer,
    BoundedListField,
    InputSerializer,
    ScopedPrimaryKeyField,
    SourceRefSerializer,
    UserRefSerializer,
    VisibleArticleField,
    WholeNumberField,
    resolve_ids,
)
from annotations.api.serializers.relations import ClaimRelationSerializer
from annotations.api.serializers.reviews import ReviewSerializer
from annotations.models import Actor, ActorRole, AnchorState, Certainty, ClaimStatus
from articles.models import Source
from claimdesk import limits


class ClaimActorSerializer(serializers.Serializer):
    actor = ActorRefSerializer()
    role = serializers.ChoiceField(choices=ActorRole.choices)


class ClaimSourceSerializer(serializers.Serializer):
    source = SourceRefSerializer()
    locator = serializers.CharField()
    note = serializers.CharField()


class MarkedSpanSerializer(serializers.Serializer):
    """A cue or source mention: code points into the claim's revision, as the passage."""

    start = serializers.IntegerField()
    end = serializers.IntegerField()
    exact = serializers.CharField()


ACTIONS = [a.value for a in workflow.Action if a is not workflow.Action.FUZZY_REANCHOR]


class ClaimSerializer(serializers.Serializer):
    """What a claim looks like in every answer: the OpenAPI schema's `Claim`. Answers are
    built by `annotations.claim_presenter.present_claim`, never by this serializer; a
    test validates the presenter's output against this schema component."""

    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ClaimStatus.choices)
    version = serializers.IntegerField(help_text="Send it back with every change.")
    review_round = serializers.IntegerField(
        help_text="0 before the first submission, then one more at each submission and each "
        "change of what is under review; only the approvals of this round count."
    )
    anchor_state = serializers.ChoiceField(choices=AnchorState.choices)
    article = serializers.IntegerField()
    project = serializers.IntegerField(help_text="The project's id (the article's project).")
    revision = serializers.IntegerField(help_text="Number of the revision the offsets count in.")
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    exact = serializers.CharField()
    prefix = serializers.CharField()
    suffix = serializers.CharField()
    cue = MarkedSpanSerializer(
        allow_null=True,
        help_text='The reporting word or phrase ("said", "rejected"), or null.',
    )
    source_mention = MarkedSpanSerializer(
        allow_null=True, help_text="Where the text names the claimant, or null."
    )
    statement = serializers.CharField()
    claimant = ActorRefSerializer()
    actors = ClaimActorSerializer(many=True)
    sources = ClaimSourceSerializer(many=True)
    certainty = serializers.ChoiceField(choices=Certainty.choices)
    note = serializers.CharField(help_text="For the author and the reviewers only; empty else.")
    author = UserRefSerializer()
    created = serializers.DateTimeField()
    modified = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    reviewed_at = serializers.DateTimeField(allow_null=True)
    reviews = ReviewSerializer(many=True)
    allowed_actions = serializers.ListField(child=serializers.ChoiceField(choices=ACTIONS))
    published_url = serializers.CharField(
        allow_null=True,
        help_text="The public page of the claim's review while it is published (absolute "
        "under `SITE_URL` when set, else a path on this site); null otherwise.",
    )
    relations = ClaimRelationSerializer(
        many=True,
        help_text="Relations to claims you can see, both ways: those this claim starts "
        "(`outgoing`: it denies the other) and those that point to it (`incoming`).",
    )


class ActorLinkInputSerializer(InputSerializer):
    actor = WholeNumberField(min_value=1, max_value=MAX_ID)
    role = serializers.ChoiceField(choices=ActorRole.choices)


class SourceLinkInputSerializer(InputSerializer):
    source = WholeNumberField(min_value=1, max_value=MAX_ID)
    locator = serializers.CharField(
        max_length=limits.LOCATOR, required=False, allow_blank=True, default=""
    )
    note = serializers.CharField(
        max_length=limits.SOURCE_LINK_NOTE, required=False, allow_blank=True, default=""
    )


class MarkedSpanInputSerializer(InputSerializer):
    """A cue or source mention as a client sends it. `exact` must be the revision's text
    at these offsets (else 400 `anchor_mismatch` naming `cue.exact`); the span may lie
    outside the passage."""

    start = WholeNumberField(min_value=0, max_value=MAX_OFFSET)
    end = WholeNumberField(min_value=1, max_value=MAX_OFFSET)
    exact = serializers.CharField(max_length=20000, trim_whitespace=False)


def _marked_span_input(what: str) -> MarkedSpanInputSerializer:
    return MarkedSpanInputSerializer(
        required=False,
        allow_null=True,
        help_text=f"{what} as a span of the claim's revision (offsets in `offset_unit`); "
        "null clears it, leaving it out keeps it.",
    )


OFFSET_UNITS = ["codepoint", "utf16"]


class _ClaimFieldsMixin(InputSerializer):
    offset_unit = serializers.ChoiceField(
        choices=OFFSET_UNITS,
        required=False,
        default="codepoint",
        help_text="What `start` and `end` count: Unicode code points (the default, as the "
        "W3C TextPositionSelector and every answer) or UTF-16 code units (what JavaScript "
        "reports); UTF-16 offsets are converted on the way in.",
    )

    def validate(self, attrs):
        if attrs.get("actors"):
            resolve_ids(
                attrs["actors"], key="actor", queryset=Actor.objects.all(), list_name="actors"
            )
        if attrs.get("sources"):
            resolve_ids(
                attrs["sources"], key="source", queryset=Source.objects.all(), list_name="sources"
            )
        start, end = attrs.get("start"), attrs.get("end")
        if start is not None and end is not None and start >= end:
            raise serializers.ValidationError(
                {"end": ["The end must come after the start."]}, code="invalid"
            )
        return attrs


class ClaimCreateInputSerializer(_ClaimFieldsMixin):
    article = VisibleArticleField()
    revision = WholeNumberField(
        min_value=1,
        max_value=MAX_OFFSET,
        required=False,
        help_text="Number of the revision the offsets count in (default: the current one).",
    )
    start = WholeNumberField(min_value=0, max_value=MAX_OFFSET)
    end = WholeNumberField(min_value=1, max_value=MAX_OFFSET)
    exact = serializers.CharField(max_length=20000, trim_whitespace=False)
    statement = serializers.CharField(max_length=limits.STATEMENT)
    claimant = ScopedPrimaryKeyField(queryset=Actor.objects.all())
    certainty = serializers.ChoiceField(choices=Certainty.choices)
    actors = BoundedListField(
        child=ActorLinkInputSerializer(),
        required=False,
        default=list,
        max_items_setting="MAX_LINKS_PER_CLAIM",
    )
    sources = BoundedListField(
        child=SourceLinkInputSerializer(),
        required=False,
        default=list,
        max_items_setting="MAX_LINKS_PER_CLAIM",
    )
    note = serializers.CharField(
        max_length=limits.CLAIM_NOTE, required=False, allow_blank=True, default=""
    )
    cue = _marked_span_input("The reporting word or phrase")
    source_mention = _marked_span_input("Where the text names the claimant")
    submit = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Send the new claim to review at once (one step: both happen or neither).",
    )
    suggestion = serializers.RegexField(
        r"^[0-9a-f]{1,64}$",
        required=False,
        help_text="The `key` of the suggestion this claim accepts (see "
        "`GET /api/v1/articles/{id}/suggestions/`): it is counted as accepted, as it was or "
        "after edits.",
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        number = attrs.get("revision")
        if number is not None:
            revision = attrs["article"].revisions.filter(number=number).first()
            if revision is None:
                raise serializers.ValidationError(
                    {"revision": ["The article has no revision with this number."]},
                    code="does_not_exist",
                )
            attrs["revision"] = revision
        return attrs


class ClaimUpdateInputSerializer(_ClaimFieldsMixin):
    """`version` is required; every other field is optional. `actors` and `sources`,
    when given, replace the lists."""

    version = WholeNumberField(min_value=1, max_value=MAX_OFFSET)
    start = WholeNumberField(min_value=0, max_value=MAX_OFFSET, required=False)
    end = WholeNumberField(min_value=1, max_value=MAX_OFFSET, required=False)
    exact = serializers.CharField(max_length=20000, trim_whitespace=False, required=False)
    statement = serializers.CharField(max_length=limits.STATEMENT, required=False)
    claimant = ScopedPrimaryKeyField(queryset=Actor.objects.all(), required=False)
    certainty = serializers.ChoiceField(choices=Certainty.choices, required=False)
    actors = BoundedListField(
        child=ActorLinkInputSerializer(), required=False, max_items_setting="MAX_LINKS_PER_CLAIM"
    )
    sources = BoundedListField(
        child=SourceLinkInputSerializer(), required=False, max_items_setting="MAX_LINKS_PER_CLAIM"
    )
    note = serializers.CharField(max_length=limits.CLAIM_NOTE, required=False, allow_blank=True)
    cue = _marked_span_input("The reporting word or phrase")
    source_mention = _marked_span_input("Where the text names the claimant")
