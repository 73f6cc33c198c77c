"""Pagination: page numbers by default, cursors for claims; page sizes are bounded.

A search (`q`) is counted as the search page counts it: up to `COUNT_LIMIT` matches.
An exact count would read every match (9,000 of the large benchmark desk's 10,000
articles hold "investigation": 86 ms for the count alone, against 2 ms for the page).
Beyond the limit the answer says `"count_capped": true`, `count` is the limit and the
pages stop there, as a search engine's do; narrow the search, or export, for more.
"""

from django.core.paginator import Paginator
from rest_framework import pagination
from rest_framework.response import Response

from search.selectors import COUNT_LIMIT, SearchPaginator


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    search_param = "q"

    def searching(self, request, view) -> bool:
        """Whether the list searches: its filters take `q` and `q` holds a word (a list
        that ignores `q`, such as a claim's events, counts exactly whatever it is sent)."""
        filterset = getattr(view, "filterset_class", None)
        if filterset is None or self.search_param not in filterset.base_filters:
            return False
        return bool(str(request.query_params.get(self.search_param, "")).strip())

    def paginate_queryset(self, queryset, request, view=None):
        capped = self.searching(request, view)
        self.django_paginator_class = SearchPaginator if capped else Paginator
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "count_capped": getattr(self.page.paginator, "capped", False),
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count_capped"] = {
            "type": "boolean",
            "description": (
                f"True when a search (`q`) matched more than {COUNT_LIMIT:,}: `count` "
                "is then that limit and the pages stop there."
            ),
        }
        schema["required"] = [*schema.get("required", []), "count_capped"]
        return schema


class ClaimCursorPagination(pagination.CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = ("-created", "-id")
