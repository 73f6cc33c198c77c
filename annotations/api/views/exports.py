"""`GET /api/v1/export/claims/?format=…`: verified claims in an open format, streamed."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers

from annotations.api import schema
from annotations.api.renderers import JSONRenderer
from annotations.api.views.base import ApiView, ClaimFilterBackend
from annotations.exports import claimreview, csv_format, webannotation
from annotations.exports.formats import FORMATS, Export
from annotations.exports.records import Links
from annotations.models import Claim
from claimdesk.replica import lag_tolerant


class ExportQuerySerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=sorted(FORMATS))


_DESCRIPTION = f"""Approved claims by default (a `status` filter widens or narrows that;
`claimreview` holds approved claims with a rating only), with every claim filter,
streamed: the answer starts at once and memory stays constant whatever its size.

- `jsonl` ({FORMATS["jsonl"].content_type}): one JSON record a line with `id`, `url`,
  `status`, `version`, `article`, `revision`, `anchor`, `statement`, `certainty`,
  `claimant`, `actors` (with `role`), `sources` (with `locator`, `note`), `author`,
  `created`, `modified`, `submitted_at`, `reviewed_at`, `reviews`, `rating`.
- `csv` ({FORMATS["csv"].content_type}): one row a claim; columns
  {", ".join(f"`{c}`" for c in csv_format.COLUMNS)}. Lists are joined by ` | `; text
  that a spreadsheet would read as a formula is prefixed with `'`.
- `webannotation` ({FORMATS["webannotation"].content_type}): a JSON-LD array holding
  the AnnotationCollection and every AnnotationPage of `/api/v1/annotations/` with the
  same filters (W3C Web Annotation Data Model).
- `claimreview` ({FORMATS["claimreview"].content_type}): a schema.org `DataFeed` of
  `ClaimReview`s.
"""


class ClaimExportView(ApiView):
    filter_backends = [ClaimFilterBackend]
    queryset = Claim.objects.none()  # for the schema; reads go through the export selector

    def perform_content_negotiation(self, request, force=False):
        # `format` names the export, not a DRF renderer; errors answer in JSON.
        renderer = JSONRenderer()
        return renderer, renderer.media_type

    @extend_schema(
        operation_id="export_claims",
        tags=["export"],
        description=_DESCRIPTION,
        filters=True,
        parameters=[
            OpenApiParameter(
                "format", str, enum=sorted(FORMATS), required=True, description="The format."
            )
        ],
        # JSON-LD first: tools that read only the first media type of an answer get a
        # schema that fits both JSON-LD formats.
        responses={
            (200, claimreview.CONTENT_TYPE): OpenApiResponse(
                response={"oneOf": [{"type": "array"}, {"type": "object"}]},
                description="`claimreview`: a schema.org DataFeed of ClaimReviews (an object);"
                " `webannotation` is also JSON-LD (an array, see its own media type).",
            ),
            (200, webannotation.MEDIA_TYPE): OpenApiResponse(
                response={"type": "array", "items": {"type": "object"}},
                description="`webannotation`: the AnnotationCollection, then its pages.",
            ),
            (200, "application/jsonl"): OpenApiResponse(
                response=OpenApiTypes.STR, description="`jsonl`: JSON Lines."
            ),
            (200, "text/csv"): OpenApiResponse(response=OpenApiTypes.STR, description="`csv`."),
            **schema.errors(400),
        },
    )
    @lag_tolerant
    def get(self, request):
        params = ExportQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        fmt = FORMATS[params.validated_data["format"]]
        export = Export.prepare(
            format_name=fmt.name,
            user=request.user,
            links=Links.from_request(request),
            filters=request.query_params,
        )
        total = export.count() if fmt.name == "webannotation" else None
        response = StreamingHttpResponse(export.stream(total=total), content_type=fmt.content_type)
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        response["Content-Disposition"] = (
            f'attachment; filename="claimdesk-{fmt.name}-{stamp}.{fmt.extension}"'
        )
        return response
