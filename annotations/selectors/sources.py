"""Source search: the one query behind the source list page, the API and the pickers."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from articles.models import Source


def source_search(query: str = "", *, kind: str = "") -> QuerySet[Source]:
    queryset = Source.objects.all()
    if kind:
        queryset = queryset.filter(kind=kind)
    query = query.strip()
    if query:
        queryset = queryset.filter(
            Q(name__icontains=query) | Q(publisher__icontains=query) | Q(url__icontains=query)
        )
    return queryset
