"""Fields and helpers every API serializer shares: the base of every input serializer,
bounded ids and lists, ids resolved through scoped querysets, and the short references
answers nest."""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from annotations.params import WholeNumberSerializerField, from_form_or_query
from annotations.selectors.articles import articles_visible_to
from articles.models import Article
from claimdesk import characters

# Ids and offsets are bounded so that absurd numbers are a 400, not a database error.
MAX_ID = 2**53
MAX_OFFSET = 2**31 - 1


UNKNOWN_FIELD = "unknown_field"


class InputSerializer(serializers.Serializer):
    """The base of every input serializer: a key it does not declare is refused (400,
    code `unknown_field`, the key named as the field) instead of ignored, so that a
    misspelt `statment` or a field the endpoint does not change is not taken for a
    success that changed nothing. Unknown keys are reported with the other field
    errors. Read-only fields count as unknown: they cannot be written."""

    def to_internal_value(self, data):
        unknown = self._unknown_keys(data)
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if unknown and isinstance(exc.detail, dict):
                exc.detail.update(unknown)
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value

    def _unknown_keys(self, data) -> dict:
        if not isinstance(data, Mapping):
            return {}  # not an object: DRF's own error says so
        writable = {name for name, field in self.fields.items() if not field.read_only}
        return {
            characters.printable(str(key)): [
                serializers.ErrorDetail("This field is not known here.", code=UNKNOWN_FIELD)
            ]
            for key in data
            if key not in writable
        }


class WholeNumberField(WholeNumberSerializerField):
    """A whole number in an input: a JSON integer, never `1.5`, `"12"` or `true` (see
    `annotations.params.WholeNumberSerializerField`, which the query strings use too)."""


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A related id resolved through a scoped queryset; out-of-range ids are unknown.

    In JSON an id is a JSON integer: DRF's own field takes `"12"`, and `1.5` as 1. In a
    form-encoded body the id is text, and is read as `annotations.params` reads ids."""

    def to_internal_value(self, data):
        text = data.strip() if isinstance(data, str) and from_form_or_query(self) else None
        if text is not None and text.isascii() and text.isdigit() and len(text) <= 20:
            data = int(text)
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 1 <= data <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class VisibleArticleField(ScopedPrimaryKeyField):
    """An article id among the articles the requesting user may read: another project's
    article is "does not exist", exactly like an id that was never used."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Article.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Article.objects.none()
        return articles_visible_to(request.user)


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
