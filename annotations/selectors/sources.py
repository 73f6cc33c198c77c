"""Source search: the one query behind the source list page, the API and the pickers."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import QuerySet

from annotations.filters import SourceFilter
from annotations.selectors.filtering import filtered
from articles.models import Source


def source_list(*, filters: Mapping | None = None) -> QuerySet[Source]:
    """Sources filtered by `SourceFilter` (`q` in the name, publisher or URL; `kind`), by
    name. Raises InvalidInput naming the field on a bad value."""
    return filtered(SourceFilter, Source.objects.all(), filters)
