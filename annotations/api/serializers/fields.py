"""Fields and helpers every API serializer shares: bounded ids and lists, ids resolved
through scoped querysets, and the short references answers nest."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from annotations.selectors.articles import articles_visible_to
from articles.models import Article

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
