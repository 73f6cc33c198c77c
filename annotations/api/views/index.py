"""`GET /api/v1/`: the index of the API's endpoints, read from the URL configuration, so
that an endpoint added anywhere is listed without anyone remembering to."""

from __future__ import annotations

from django.urls import get_resolver
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from annotations.api import schema
from annotations.api.views.base import ApiView


def _endpoints(request) -> dict[str, str]:
    prefix, resolver = get_resolver().namespace_dict["v1"]
    base = request.build_absolute_uri("/" + prefix)
    found = {}
    for pattern in resolver.url_patterns:
        if pattern.name and pattern.name != "api-root":
            route = str(pattern.pattern)
            found[pattern.name] = base + route.replace("<int:", "{").replace(">", "}")
    return found


class ApiRootView(ApiView):
    @extend_schema(
        operation_id="api_root",
        tags=["index"],
        description="Every endpoint of version 1 by name, with its URL ({id} where an id "
        "goes), and where the schema and the interactive documentation are.",
        responses={
            200: inline_serializer(
                "ApiIndex",
                {
                    "endpoints": serializers.DictField(child=serializers.CharField()),
                    "schema": serializers.CharField(),
                    "docs": serializers.CharField(),
                },
            ),
            **schema.errors(),
        },
    )
    def get(self, request):
        return Response(
            {
                "endpoints": _endpoints(request),
                "schema": request.build_absolute_uri("/api/schema/"),
                "docs": request.build_absolute_uri("/api/docs/"),
            }
        )
