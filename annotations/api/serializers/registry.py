"""The registry: sources and actors, as answers and as input."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from annotations.api.serializers.fields import (
    ActorRefSerializer,
    InputSerializer,
    ScopedPrimaryKeyField,
)
from annotations.models import Actor, ActorKind
from articles.models import SourceKind
from claimdesk import limits


class SourceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=SourceKind.choices)
    url = serializers.CharField()
    publisher = serializers.CharField()
    notes = serializers.CharField()
    created = serializers.DateTimeField()
    modified = serializers.DateTimeField()


class SourceUpdateInputSerializer(InputSerializer):
    """Every field optional."""

    name = serializers.CharField(max_length=limits.NAME, required=False)
    kind = serializers.ChoiceField(choices=SourceKind.choices, required=False)
    url = serializers.URLField(max_length=1000, required=False, allow_blank=True)
    publisher = serializers.CharField(max_length=limits.NAME, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=limits.DESCRIPTION, required=False, allow_blank=True)


class SourceInputSerializer(InputSerializer):
    name = serializers.CharField(max_length=limits.NAME)
    kind = serializers.ChoiceField(choices=SourceKind.choices)
    url = serializers.URLField(max_length=1000, required=False, allow_blank=True, default="")
    publisher = serializers.CharField(
        max_length=limits.NAME, required=False, allow_blank=True, default=""
    )
    notes = serializers.CharField(
        max_length=limits.DESCRIPTION, required=False, allow_blank=True, default=""
    )


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


# Aliases and Wikidata ids are checked by the actor services, which normalise them first
# (`q222` is stored as `Q222`), so that the pages and the API accept and refuse alike.


class ActorInputSerializer(InputSerializer):
    name = serializers.CharField(max_length=limits.NAME)
    kind = serializers.ChoiceField(choices=ActorKind.choices)
    aliases = serializers.ListField(
        child=serializers.CharField(), max_length=limits.ALIASES, required=False, default=list
    )
    wikidata_id = serializers.CharField(
        max_length=limits.WIKIDATA_INPUT, required=False, allow_blank=True, default=""
    )
    parent = ScopedPrimaryKeyField(
        queryset=Actor.objects.all(), required=False, allow_null=True, default=None
    )
    description = serializers.CharField(
        max_length=limits.DESCRIPTION, required=False, allow_blank=True, default=""
    )


class ActorUpdateInputSerializer(InputSerializer):
    """Every field optional; `aliases`, when given, replaces the list."""

    name = serializers.CharField(max_length=limits.NAME, required=False)
    kind = serializers.ChoiceField(choices=ActorKind.choices, required=False)
    aliases = serializers.ListField(
        child=serializers.CharField(), max_length=limits.ALIASES, required=False
    )
    wikidata_id = serializers.CharField(
        max_length=limits.WIKIDATA_INPUT, required=False, allow_blank=True
    )
    parent = ScopedPrimaryKeyField(queryset=Actor.objects.all(), required=False, allow_null=True)
    description = serializers.CharField(
        max_length=limits.DESCRIPTION, required=False, allow_blank=True
    )


class ActorMergeInputSerializer(InputSerializer):
    into = ScopedPrimaryKeyField(
        queryset=Actor.objects.all(), help_text="The actor that survives the merge."
    )
