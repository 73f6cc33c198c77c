"""Articles and their revisions, as answers and as input."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from annotations.api.serializers.fields import (
    MAX_OFFSET,
    InputSerializer,
    ScopedPrimaryKeyField,
    SourceRefSerializer,
    UserRefSerializer,
    WholeNumberField,
)
from annotations.models import ClaimStatus
from articles.models import Source


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


class ArticleInputSerializer(InputSerializer):
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
    project = WholeNumberField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The project's id; required when you may add articles to several.",
    )


class ArticleReviseInputSerializer(InputSerializer):
    text = serializers.CharField(trim_whitespace=False)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    revision = WholeNumberField(
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
