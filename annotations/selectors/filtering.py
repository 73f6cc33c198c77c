"""Applying a shared FilterSet outside DRF, refusing bad values instead of dropping them."""

from __future__ import annotations

from collections.abc import Mapping
from types import SimpleNamespace

import django_filters
from django.db.models import QuerySet

from annotations.params import InvalidParameter


def filtered(
    filterset_class: type[django_filters.FilterSet],
    queryset: QuerySet,
    filters: Mapping | None,
    *,
    user=None,
) -> QuerySet:
    """Apply `filterset_class`, raising InvalidParameter (an InvalidInput naming the
    field: a 400 for the API and the pages alike) on any bad value.

    Outside DRF's filter backend a FilterSet silently drops invalid values; we refuse them.
    Parameters that are not filters (`page`, `page_size`, `format`…) are not looked at.
    `user`, when given, is who asks (a filter may depend on it: the claims' `q` searches
    the notes that user may read).
    """
    if not filters or not any(name in filters for name in filterset_class.base_filters):
        return queryset
    request = SimpleNamespace(user=user) if user is not None else None
    filterset = filterset_class(data=filters, queryset=queryset, request=request)
    if not filterset.is_valid():
        errors = [
            {"field": field, "code": "invalid", "detail": " ".join(str(m) for m in messages)}
            for field, messages in filterset.errors.items()
        ]
        raise InvalidParameter(errors[0]["detail"], field=errors[0]["field"], errors=errors)
    return filterset.qs
