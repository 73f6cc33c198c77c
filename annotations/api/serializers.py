"""Explicit input and output serializers of the API.

Input serializers parse and check shapes, and resolve related ids through scoped
querysets (an unknown id is a 400 naming the field); they never create or change
anything. Output serializers shape answers. The rules live in the services.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from annotations import workflow
from annotations.models import (
    Actor,
    ActorKind,
    ActorRole,
    AnchorState,
    Certainty,
    ClaimStatus,
    Decision,
    EventKind,
    RejectReason,
    wikidata_id_validator,
)
from annotations.roles import can_read_note
from annotations.services.claims import workflow_actor
from articles.models import Article, Source, SourceKind

# Ids and offsets are bounded so that absurd numbers are a 400, not a database error.
MAX_ID = 2**53
MAX_OFFSET = 2**31 - 1


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A related id resolved through a scoped queryset; out-of-range ids are unknown."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or (isinstance(data, int) and not 1 <= data <= MAX_ID):
            self.fail("does_not_exist", pk_value=data)
        if isinstance(data, str) and data.isdigit() and int(data) > MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class BoundedListField(serializers.ListField):
    """A list whose length is checked before its items (each may cost work to check)."""

    def __init__(self, *args, max_items_setting: str | None = None, **kwargs):
        self.max_items_setting = max_items_setting
        super().__init__(*args, **kwargs)

    def to_internal_value(self, data):
        limit = getattr(settings, self.max_items_setting) if self.max_items_setting else None
        if limit is not None and isinstance(data, list) and len(data) > limit:
            raise serializers.ValidationError(
                _("Ensure this field has no more than {limit} elements.").format(limit=limit),
                code="max_length",
            )
        return super().to_internal_value(data)


def resolve_ids(items: list[dict], *, key: str, queryset, list_name: str) -> None:
    """Check in one query that every `item[key]` id exists in `queryset`.

    Raises a ValidationError shaped like DRF's list errors, so the field is named
    `<list_name>.<index>.<key>`.
    """
    ids = {item[key] for item in items}
    if not ids:
        return
    found = set(queryset.filter(pk__in=ids).values_list("pk", flat=True))
    if found == ids:
        return
    errors = [
        {} if item[key] in found else {key: [f'Invalid pk "{item[key]}" - object does not exist.']}
        for item in items
    ]
    raise serializers.ValidationError({list_name: errors}, code="does_not_exist")


# --------------------------------------------------------------------------- references


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()


class ActorRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SourceRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    url = serializers.CharField()


# --------------------------------------------------------------------------- auth


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)

    def validate(self, attrs):
        user = authenticate(
            request=self.context.get("request"),
            username=attrs["username"],
            password=attrs["password"],
        )
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                _("Unable to log in with the credentials provided."), code="authorization"
            )
        attrs["user"] = user
        return attrs


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text='Send it as "Authorization: Token <token>".')


# --------------------------------------------------------------------------- sources


class SourceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=SourceKind.choices)
    url = serializers.CharField()
    publisher = serializers.CharField()
    notes = serializers.CharField()
    created = serializers.DateTimeField()
    modified = serializers.DateTimeField()


class SourceUpdateInputSerializer(serializers.Serializer):
    """Every field optional."""

    name = serializers.CharField(max_length=300, required=False)
    kind = serializers.ChoiceField(choices=SourceKind.choices, required=False)
    url = serializers.URLField(max_length=1000, required=False, allow_blank=True)
    publisher = serializers.CharField(max_length=300, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=10000, required=False, allow_blank=True)


class SourceInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(choices=SourceKind.choices)
    url = serializers.URLField(max_length=1000, required=False, allow_blank=True, default="")
    publisher = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    notes = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")


# --------------------------------------------------------------------------- actors


class ActorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=ActorKind.choices)
    description = serializers.CharField()
    wikidata_id = serializers.CharField()
    parent = ActorRefSerializer(allow_null=True)
    aliases = serializers.SerializerMethodField()
    created = serializers.DateTimeField()
    modified = serializers.DateTimeField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_aliases(self, actor) -> list[str]:
        return [alias.name for alias in actor.aliases.all()]


class ActorInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(choices=ActorKind.choices)
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=300), max_length=100, required=False, default=list
    )
    wikidata_id = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        default="",
        validators=[wikidata_id_validator],
    )
    parent = ScopedPrimaryKeyField(
        queryset=Actor.objects.all(), required=False, allow_null=True, default=None
    )
    description = serializers.CharField(
        max_length=10000, required=False, allow_blank=True, default=""
    )


class ActorUpdateInputSerializer(serializers.Serializer):
    """Every field optional; `aliases`, when given, replaces the list."""

    name = serializers.CharField(max_length=300, required=False)
    kind = serializers.ChoiceField(choices=ActorKind.choices, required=False)
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=300), max_length=100, required=False
    )
    wikidata_id = serializers.CharField(
        max_length=20, required=False, allow_blank=True, validators=[wikidata_id_validator]
    )
    parent = ScopedPrimaryKeyField(queryset=Actor.objects.all(), required=False, allow_null=True)
    description = serializers.CharField(max_length=10000, required=False, allow_blank=True)


class ActorMergeInputSerializer(serializers.Serializer):
    into = ScopedPrimaryKeyField(
        queryset=Actor.objects.all(), help_text="The actor that survives the merge."
    )


# --------------------------------------------------------------------------- articles


class ClaimCountsSerializer(serializers.Serializer):
    """Claims of the article you can see, by status."""

    draft = serializers.IntegerField()
    submitted = serializers.IntegerField()
    changes_requested = serializers.IntegerField()
    approved = serializers.IntegerField()
    rejected = serializers.IntegerField()


class ArticleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    byline = serializers.CharField()
    url = serializers.CharField()
    outlet = SourceRefSerializer(allow_null=True)
    published = serializers.DateField(allow_null=True)
    language = serializers.CharField()
    project = serializers.IntegerField(source="project_id", help_text="The project's id.")
    revision = serializers.IntegerField(
        source="revision_number", allow_null=True, help_text="Number of the current revision."
    )
    claim_counts = serializers.SerializerMethodField()
    created = serializers.DateTimeField()
    modified = serializers.DateTimeField()

    @extend_schema_field(ClaimCountsSerializer)
    def get_claim_counts(self, article) -> dict[str, int]:
        counts = self.context.get("claim_counts", {}).get(article.pk, {})
        return {status: counts.get(status, 0) for status in ClaimStatus.values}


class ArticleDetailSerializer(ArticleSerializer):
    text = serializers.CharField(
        help_text="The current text; claim offsets count code points in it."
    )


class ArticleInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=500)
    text = serializers.CharField(
        trim_whitespace=False, help_text="Normalised on the way in (NFC, `\\n`, paragraphs)."
    )
    url = serializers.URLField(max_length=1000, required=False, allow_blank=True, default="")
    outlet = ScopedPrimaryKeyField(
        queryset=Source.objects.all(), required=False, allow_null=True, default=None
    )
    byline = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    published = serializers.DateField(required=False, allow_null=True, default=None)
    language = serializers.CharField(max_length=16, required=False, default="en")
    project = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The project's id; required when you may add articles to several.",
    )


class ArticleReviseInputSerializer(serializers.Serializer):
    text = serializers.CharField(trim_whitespace=False)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    revision = serializers.IntegerField(
        min_value=0,
        max_value=MAX_OFFSET,
        required=False,
        allow_null=True,
        default=None,
        help_text="The revision number your text is based on: 409 `stale_version` if the "
        "article has moved on since.",
    )


class RevisionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    sha256 = serializers.CharField()
    author = UserRefSerializer(allow_null=True)
    created = serializers.DateTimeField()
    note = serializers.CharField()


class RevisionDetailSerializer(RevisionSerializer):
    text = serializers.CharField()
    cleaning_report = serializers.JSONField(help_text="What cleaning removed on import.")


class AnchorCountsSerializer(serializers.Serializer):
    """The article's claims by anchor state after re-anchoring."""

    anchored = serializers.IntegerField()
    moved = serializers.IntegerField()
    fuzzy = serializers.IntegerField()
    orphaned = serializers.IntegerField()


class ArticleRevisedSerializer(ArticleDetailSerializer):
    """The article after a new text: `revision` is the new revision's number."""

    counts = AnchorCountsSerializer()


# --------------------------------------------------------------------------- claims


class ClaimActorSerializer(serializers.Serializer):
    actor = ActorRefSerializer()
    role = serializers.ChoiceField(choices=ActorRole.choices)


class ClaimSourceSerializer(serializers.Serializer):
    source = SourceRefSerializer()
    locator = serializers.CharField()
    note = serializers.CharField()


class ReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reviewer = UserRefSerializer()
    claim_version = serializers.IntegerField()
    decision = serializers.ChoiceField(choices=Decision.choices)
    reason = serializers.CharField()
    comment = serializers.CharField()
    rating_value = serializers.IntegerField(allow_null=True)
    rating_label = serializers.CharField()
    created = serializers.DateTimeField()


ACTIONS = [a.value for a in workflow.Action if a is not workflow.Action.FUZZY_REANCHOR]


class ClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ClaimStatus.choices)
    version = serializers.IntegerField(help_text="Send it back with every change.")
    anchor_state = serializers.ChoiceField(choices=AnchorState.choices)
    article = serializers.IntegerField(source="article_id")
    revision = serializers.IntegerField(
        source="revision.number", help_text="Number of the revision the offsets count in."
    )
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    exact = serializers.CharField()
    prefix = serializers.CharField()
    suffix = serializers.CharField()
    statement = serializers.CharField()
    claimant = ActorRefSerializer()
    actors = ClaimActorSerializer(source="actor_links.all", many=True)
    sources = ClaimSourceSerializer(source="source_links.all", many=True)
    certainty = serializers.ChoiceField(choices=Certainty.choices)
    note = serializers.SerializerMethodField()
    author = UserRefSerializer()
    created = serializers.DateTimeField()
    modified = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    reviewed_at = serializers.DateTimeField(allow_null=True)
    reviews = ReviewSerializer(source="reviews.all", many=True)
    allowed_actions = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_note(self, claim) -> str:
        """The note, for the author and the reviewers only."""
        request = self.context.get("request")
        return claim.note if request is not None and can_read_note(request.user, claim) else ""

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=ACTIONS)))
    def get_allowed_actions(self, claim) -> list[str]:
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            return []
        actor = workflow_actor(user=request.user, claim=claim)
        return [action.value for action in workflow.allowed_actions(claim.status, actor)]


class ActorLinkInputSerializer(serializers.Serializer):
    actor = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    role = serializers.ChoiceField(choices=ActorRole.choices)


class SourceLinkInputSerializer(serializers.Serializer):
    source = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    locator = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


OFFSET_UNITS = ["codepoint", "utf16"]


class _ClaimFieldsMixin(serializers.Serializer):
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
    article = ScopedPrimaryKeyField(queryset=Article.objects.all())
    revision = serializers.IntegerField(
        min_value=1,
        max_value=MAX_OFFSET,
        required=False,
        help_text="Number of the revision the offsets count in (default: the current one).",
    )
    start = serializers.IntegerField(min_value=0, max_value=MAX_OFFSET)
    end = serializers.IntegerField(min_value=1, max_value=MAX_OFFSET)
    exact = serializers.CharField(max_length=20000, trim_whitespace=False)
    statement = serializers.CharField(max_length=4000)
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
    note = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")

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

    version = serializers.IntegerField(min_value=1, max_value=MAX_OFFSET)
    start = serializers.IntegerField(min_value=0, max_value=MAX_OFFSET, required=False)
    end = serializers.IntegerField(min_value=1, max_value=MAX_OFFSET, required=False)
    exact = serializers.CharField(max_length=20000, trim_whitespace=False, required=False)
    statement = serializers.CharField(max_length=4000, required=False)
    claimant = ScopedPrimaryKeyField(queryset=Actor.objects.all(), required=False)
    certainty = serializers.ChoiceField(choices=Certainty.choices, required=False)
    actors = BoundedListField(
        child=ActorLinkInputSerializer(), required=False, max_items_setting="MAX_LINKS_PER_CLAIM"
    )
    sources = BoundedListField(
        child=SourceLinkInputSerializer(), required=False, max_items_setting="MAX_LINKS_PER_CLAIM"
    )
    note = serializers.CharField(max_length=10000, required=False, allow_blank=True)


class VersionInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, max_value=MAX_OFFSET, help_text="The version you are acting on."
    )


class OptionalVersionInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1,
        max_value=MAX_OFFSET,
        required=False,
        help_text="When given, the claim must still be at this version.",
    )


class ReviewInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=MAX_OFFSET)
    decision = serializers.ChoiceField(choices=Decision.choices)
    reason = serializers.ChoiceField(
        choices=RejectReason.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required with `reject`, refused otherwise.",
    )
    comment = serializers.CharField(
        max_length=10000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required with `request_changes`.",
    )
    rating_value = serializers.IntegerField(
        min_value=1, max_value=5, required=False, allow_null=True, default=None
    )
    rating_label = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    quote_checked = serializers.BooleanField(required=False, default=True)
    claimant_checked = serializers.BooleanField(required=False, default=True)
    sources_checked = serializers.BooleanField(required=False, default=True)


class ClaimEventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=EventKind.choices)
    actor = UserRefSerializer(allow_null=True)
    created = serializers.DateTimeField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    version = serializers.IntegerField()
    changes = serializers.JSONField(help_text="Each changed field: [before, after].")
    data = serializers.JSONField()
