"""The read side of the W3C Web Annotation Protocol.

`GET /api/v1/annotations/` is an LDP BasicContainer and AnnotationCollection of the
verified claims (approved, unless a `status` filter says otherwise; any claim filter
applies). By default the answer embeds the first page with full annotations; a client
that sends `Prefer: return=representation;include="http://www.w3.org/ns/ldp#PreferMinimalContainer"`
gets only `total`, `first` and `last`, and `...oa#PreferContainedIRIs` gets pages of
annotation IRIs (`iris=1` in the page IRIs). Pages are `?page=N` from 1.

`GET /api/v1/projects/{id}/annotations/` is the same container for one project's claims,
with its own IRI; a project the user is not a member of answers 404.

`GET /api/v1/annotations/{id}` is one claim you can see as an Annotation.

Answers are `application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"` (or
`application/json` when asked for), with `ETag` (and 304 on `If-None-Match`), `Link`
(`rel="type"`, and `ldp#constrainedBy` on the container), `Allow`, `Vary` and, on the
container, `Content-Location`. `If-None-Match` is compared weakly and `*` matches any
answer (RFC 9110), and each representation (JSON-LD, JSON) has its own ETag. Reads carry
CORS headers (`Access-Control-Allow-Origin: *`, the protocol's headers exposed), and a
preflight `OPTIONS` is answered without login: no credentials go with a `*` origin, so
a page elsewhere reads only what an anonymous client may.

Published reviews are public (`publishing.protocol`): a desk's container answers anyone
who is not its member with the desk's published reviews, and an annotation anyone who
may not read its claim with the claim's published review. Members keep the container
of everything they may read.
"""

from __future__ import annotations

import hashlib
import re
from contextlib import contextmanager
from dataclasses import dataclass

import orjson
from django.db import connections, transaction
from django.db.models import Count, Max
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import get_conditional_response, patch_vary_headers
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.permissions import AllowAny

from annotations.api import schema
from annotations.api.renderers import JsonLdRenderer, JSONRenderer
from annotations.api.views.base import ApiView, ClaimFilterBackend
from annotations.claim_counts import approved_total
from annotations.exports import webannotation
from annotations.exports.formats import collection_label, container_query
from annotations.exports.records import Links, export_claims_queryset, iter_records
from annotations.isotext import iso
from annotations.models import Claim
from annotations.params import MAX_NUMBER, WholeNumberSerializerField
from annotations.selectors import claims_visible_to
from claimdesk.replica import lag_tolerant
from projects import access
from projects.models import Project
from publishing import protocol as public_protocol
from publishing import selectors as public_selectors
from publishing.views import review_url

CORS_EXPOSED = "ETag, Link, Allow, Vary, Content-Location, Preference-Applied"
# Who asks changes the answer of the containers that serve the public too.
PUBLIC_VARY = ("Accept", "Prefer", "Authorization", "Cookie")
PREFER_MINIMAL = "http://www.w3.org/ns/ldp#PreferMinimalContainer"
PREFER_IRIS = "http://www.w3.org/ns/oa#PreferContainedIRIs"
PREFER_DESCRIPTIONS = "http://www.w3.org/ns/oa#PreferContainedDescriptions"
_INCLUDE = re.compile(r'include\s*=\s*"([^"]*)"', re.IGNORECASE)


def preferences(header: str) -> set[str]:
    """The IRIs of `include="..."` in a `Prefer` header."""
    found: set[str] = set()
    for match in _INCLUDE.finditer(header or ""):
        found.update(match.group(1).split())
    return found


class ContainerQuerySerializer(serializers.Serializer):
    page = WholeNumberSerializerField(min_value=1, max_value=MAX_NUMBER, required=False)
    iris = serializers.ChoiceField(choices=["0", "1"], required=False)


class AnnotationProtocolView(ApiView):
    renderer_classes = [JsonLdRenderer, JSONRenderer]
    link_types: tuple[str, ...] = (webannotation.LDP_RESOURCE,)
    constrained_by = False
    vary = ("Accept",)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        links = [f'<{iri}>; rel="type"' for iri in self.link_types]
        if self.constrained_by:
            links.append(
                f"<{webannotation.PROTOCOL_CONSTRAINTS}>; "
                'rel="http://www.w3.org/ns/ldp#constrainedBy"'
            )
        response["Link"] = ", ".join(links)
        patch_vary_headers(response, self.vary)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = CORS_EXPOSED
        return response

    def options(self, request, *args, **kwargs):
        """A CORS preflight: the methods and request headers a reader may use."""
        response = HttpResponse(b"", content_type="text/plain")
        response["Allow"] = response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response["Access-Control-Allow-Headers"] = "Accept, Prefer, If-None-Match"
        response["Access-Control-Max-Age"] = "86400"
        return response

    def jsonld(self, request, data: dict, *, content_location: str | None = None) -> HttpResponse:
        """The answer with its ETag (of the bytes and the media type, so that the JSON-LD
        and the JSON representations differ); 304 when the client already has it."""
        body = orjson.dumps(data)
        renderer = getattr(request, "accepted_renderer", None)
        content_type = (
            "application/json"
            if renderer is not None and renderer.format == "json"
            else webannotation.MEDIA_TYPE
        )
        digest = hashlib.sha256(content_type.encode() + b"\n" + body).hexdigest()[:40]
        etag = f'"{digest}"'
        response = get_conditional_response(request, etag=etag)
        if response is None or response.status_code != HttpResponseNotModified.status_code:
            response = HttpResponse(body, content_type=content_type)
        response["ETag"] = etag
        if content_location:
            response["Content-Location"] = content_location
        return response


_JSONLD_HEADERS = [
    OpenApiParameter(
        "If-None-Match",
        str,
        OpenApiParameter.HEADER,
        description="An ETag you hold: 304 when it still matches.",
    ),
]


_CONTAINER_PARAMETERS = [
    OpenApiParameter("page", int, description="A page of the container, from 1."),
    OpenApiParameter(
        "iris", str, enum=["0", "1"], description="1: pages list annotation IRIs only."
    ),
    OpenApiParameter(
        "Prefer",
        str,
        OpenApiParameter.HEADER,
        description='return=representation;include="http://www.w3.org/ns/ldp#'
        'PreferMinimalContainer" (no embedded page) or "http://www.w3.org/ns/oa#'
        'PreferContainedIRIs" (IRIs only).',
    ),
    *_JSONLD_HEADERS,
]
_CONTAINER_RESPONSES = {
    200: OpenApiResponse(
        response=schema.CONTAINER_RESPONSE_SCHEMA,
        description="The AnnotationCollection, or one AnnotationPage with `page`.",
    ),
    304: OpenApiResponse(description="Not modified."),
    **schema.errors(400, 404, 406),
}


@dataclass(frozen=True)
class ContainerAsked:
    """What a container request asks for: a page (or the collection), IRIs or
    descriptions, and the `Prefer` header's preferences."""

    number: int | None
    iris: bool
    include: frozenset[str]

    @classmethod
    def read(cls, request) -> ContainerAsked:
        params = ContainerQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        include = frozenset(preferences(request.headers.get("Prefer", "")))
        if "iris" in params.validated_data:
            iris = params.validated_data["iris"] == "1"
        else:
            iris = PREFER_IRIS in include and PREFER_DESCRIPTIONS not in include
        return cls(number=params.validated_data.get("page"), iris=iris, include=include)


def container_answer(
    view, request, asked: ContainerAsked, container, links: Links, *, total, modified, label, items
) -> HttpResponse:
    """The Web Annotation Protocol's answer for a container holding `total` annotations:
    the page asked for, or the collection with its first page embedded (unless the
    client prefers a minimal container). `items(number, page_size)` reads one page; the
    members' containers and a desk's public one answer through this one function."""
    page_size = webannotation.PAGE_SIZE
    if asked.number is not None:
        if asked.number > container.page_count(total, page_size):
            raise NotFound("No such page.")
        head = webannotation.page(
            container, links, number=asked.number, total=total, page_size=page_size, label=label
        )
        head["items"] = items(asked.number, page_size)
        return view.jsonld(request, head, content_location=head["id"])
    first = None
    if total and PREFER_MINIMAL not in asked.include:
        first = webannotation.page(
            container,
            links,
            number=1,
            total=total,
            page_size=page_size,
            label=label,
            embedded=True,
        )
        first["items"] = items(1, page_size)
    data = webannotation.collection(
        container,
        links,
        total=total,
        page_size=page_size,
        label=label,
        modified=iso(modified),
        first=first,
    )
    response = view.jsonld(request, data, content_location=data["id"])
    if asked.include:
        response["Preference-Applied"] = "return=representation"
    return response


class AnnotationContainerView(AnnotationProtocolView):
    link_types = (webannotation.LDP_BASIC_CONTAINER,)
    constrained_by = True
    vary = ("Accept", "Prefer")
    filter_backends = [ClaimFilterBackend]
    queryset = Claim.objects.none()  # for the schema; reads go through the export selector

    @extend_schema(
        operation_id="annotations_container",
        tags=["annotations"],
        filters=True,
        parameters=_CONTAINER_PARAMETERS,
        responses=_CONTAINER_RESPONSES,
    )
    @lag_tolerant
    def get(self, request):
        return self.container(request)

    def claims(self, request):
        """The claims the container holds: those the exports of the user hold."""
        return export_claims_queryset(user=request.user, filters=request.query_params)

    def container_iri(self, links: Links) -> str:
        return links.annotations

    def label(self, request) -> str:
        return collection_label(request.query_params)

    def counted_projects(self, request) -> frozenset[int] | None:
        """The projects whose approved claims the unfiltered container holds (None:
        every project)."""
        return access.readable_project_ids(request.user)

    def totals(self, request, claims) -> tuple[int, object]:
        """(how many claims the container holds, when the latest changed). Unfiltered,
        the count is the projects' kept counts and the date the newest of one index, so
        a page costs the same at any size; a filtered container counts what it holds."""
        if container_query(request.query_params):
            stats = claims.order_by().aggregate(total=Count("pk"), modified=Max("modified"))
            return stats["total"], stats["modified"]
        total = approved_total(self.counted_projects(request))
        modified = claims.order_by("-modified").values_list("modified", flat=True).first()
        return total, modified

    def container(self, request) -> HttpResponse:
        """The collection, or one of its pages, of the claims `claims` holds."""
        asked = ContainerAsked.read(request)
        links = Links.from_request(request)
        claims = self.claims(request)
        container = webannotation.Container(
            links,
            container_query(request.query_params),
            iris=asked.iris,
            base=self.container_iri(links),
        )
        with one_snapshot(claims.db):
            total, modified = self.totals(request, claims)
            return container_answer(
                self,
                request,
                asked,
                container,
                links,
                total=total,
                modified=modified,
                label=self.label(request),
                items=lambda number, size: self._items(
                    claims, links, number, size, total=total, iris=asked.iris
                ),
            )

    def _items(
        self, claims, links: Links, number: int, page_size: int, *, total: int, iris: bool
    ) -> list:
        """The page's annotations (or their IRIs).

        The page's ids come first, on their own: with the joins a record needs, the
        OFFSET of a deep page made the database join every claim it skipped (a second
        for the last page of 275,000 claims on PostgreSQL, against 0.15 s for the ids).
        """
        ids = page_ids(claims, number=number, page_size=page_size, total=total)
        if iris:
            return [links.annotation(pk) for pk in ids]
        if not ids:
            return []
        page = iter_records(claims.filter(pk__in=ids), links)
        return [webannotation.annotation(record, links) for record in page]


@contextmanager
def one_snapshot(using: str):
    """The container's count and its page read from one snapshot of the database: a page
    in the second half is placed from the end by the count (`page_ids`), so a claim
    approved between the two reads would otherwise shift it. PostgreSQL's repeatable
    read gives the snapshot (when no transaction is open yet); SQLite's transaction
    does."""
    connection = connections[using]
    fresh = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if fresh and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def page_ids(claims, *, number: int, page_size: int, total: int) -> list[int]:
    """The ids of page `number` of `claims` (ordered by id) holding `total` claims. A page
    in the second half is read from the end, in reverse: the database skips the rows
    after it instead of those before, so the last page costs what the first does (the
    last of 275,000 claims took twice as long as the first, skipping them all); only
    the pages in the middle skip more."""
    start = (number - 1) * page_size
    if start * 2 < total:
        return list(claims.values_list("pk", flat=True)[start : start + page_size])
    size = min(page_size, total - start)
    if size <= 0:
        return []
    from_end = total - start - size
    ids = list(claims.reverse().values_list("pk", flat=True)[from_end : from_end + size])
    return ids[::-1]


class ProjectAnnotationContainerView(AnnotationContainerView):
    """The container of one project's claims: the same protocol as the site's, with its
    own IRI (`/api/v1/projects/{id}/annotations/`) and page IRIs under it. A project the
    user is not a member of answers 404, as if it did not exist, so that its existence
    is not disclosed."""

    project: Project
    permission_classes = [AllowAny]  # the public reads the published reviews
    vary = PUBLIC_VARY

    @extend_schema(
        operation_id="project_annotations_container",
        tags=["annotations"],
        filters=True,
        parameters=[
            OpenApiParameter("id", int, OpenApiParameter.PATH, description="The project's id."),
            *_CONTAINER_PARAMETERS,
        ],
        responses=_CONTAINER_RESPONSES,
    )
    @lag_tolerant
    def get(self, request, pk: int):
        project = Project.objects.filter(pk=pk).first()
        if project is not None and access.is_member(request.user, pk):
            self.project = project
            return self.container(request)
        if project is not None and public_selectors.public_desk(project.slug) is not None:
            links = Links.from_request(request)
            response = public_protocol.public_container(
                self, request, project, links, lambda pk: review_url(request, pk)
            )
            response["Cache-Control"] = "public, max-age=60"
            return response
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        raise NotFound()

    def claims(self, request):
        return super().claims(request).filter(project=self.project)

    def container_iri(self, links: Links) -> str:
        return links.project_annotations(self.project.pk)

    def counted_projects(self, request) -> frozenset[int]:
        return frozenset({self.project.pk})

    def label(self, request) -> str:
        return collection_label(request.query_params, project=self.project)


class AnnotationView(AnnotationProtocolView):
    """One claim you can see as a W3C Annotation; a published review for anyone else."""

    permission_classes = [AllowAny]  # the public reads the published reviews
    vary = PUBLIC_VARY

    @extend_schema(
        operation_id="annotations_retrieve",
        tags=["annotations"],
        parameters=_JSONLD_HEADERS,
        responses={
            200: OpenApiResponse(response=schema.ANNOTATION_SCHEMA, description="The annotation."),
            304: OpenApiResponse(description="Not modified."),
            **schema.errors(404, 406),
        },
    )
    def get(self, request, pk: int):
        links = Links.from_request(request)
        record = None
        if request.user.is_authenticated:
            claims = claims_visible_to(request.user).filter(pk=pk)
            record = next(iter_records(claims, links), None)
        if record is not None:
            return self.jsonld(request, webannotation.annotation(record, links))
        published = public_selectors.current_review(pk)
        if published is not None:
            data = public_protocol.public_annotation(
                published, links, page_url=review_url(request, pk)
            )
            response = self.jsonld(request, data)
            response["Cache-Control"] = "public, max-age=60"
            return response
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        raise NotFound()

    def get_queryset(self):
        return Claim.objects.none()
