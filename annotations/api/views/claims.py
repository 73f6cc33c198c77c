"""Claims: list and create, read, edit, delete, submit, review, and the audit trail.

Every claim is looked up through `claims_visible_to`: a draft of someone else answers
404. Changes go through `annotations.services.claims` and `.reviews`, which lock the
row, check the `version` (409 `stale_version`) and the workflow (409
`invalid_transition`, 403 `self_review` or `permission_denied`).
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from annotations.anchoring.selection import utf16_to_codepoint
from annotations.api import schema
from annotations.api.pagination import ClaimCursorPagination
from annotations.api.serializers.claims import (
    ClaimCreateInputSerializer,
    ClaimSerializer,
    ClaimUpdateInputSerializer,
)
from annotations.api.serializers.reviews import (
    ClaimEventSerializer,
    ReviewInputSerializer,
    VersionInputSerializer,
)
from annotations.api.views.base import ApiView, ClaimFilterBackend
from annotations.claim_presenter import api_rows, hide_note_from, present_claims, present_one
from annotations.idempotency import idempotent
from annotations.models import Claim, ClaimEvent
from annotations.params import MAX_NUMBER, number_param
from annotations.selectors import claim_list, claims_visible_to
from annotations.services.claims import (
    ActorLink,
    MarkedSpan,
    SourceLink,
    can_create_claim,
    claim_create,
    claim_delete,
    claim_submit,
    claim_update,
)
from annotations.services.reviews import check_decide, review_decide
from claimdesk.errors import AnchorMismatch
from claimdesk.replica import lag_tolerant
from suggestions.services import claim_create_from_suggestion


def _claim_out(request, claim_id: int) -> dict:
    """The claim as the caller now sees it (404 when they cannot see it)."""
    try:
        return present_one(claims_visible_to(request.user), user=request.user, claim_id=claim_id)
    except Claim.DoesNotExist:
        raise Http404 from None


def _code_points(data: dict, text_of) -> dict:
    """`start`/`end` in code points: UTF-16 offsets are converted against the revision
    text (`text_of()`); an offset that cannot be converted is an `anchor_mismatch`."""
    if data.pop("offset_unit", "codepoint") != "utf16":
        return data
    spans = [name for name in Claim.MARKED_SPANS if data.get(name)]
    if data.get("start") is None and data.get("end") is None and not spans:
        return data
    text = text_of()
    places = [(data, key, key) for key in ("start", "end")]
    for name in spans:
        data[name] = dict(data[name])
        places += [(data[name], key, f"{name}.{key}") for key in ("start", "end")]
    for holder, key, field in places:
        if holder.get(key) is not None:
            try:
                holder[key] = utf16_to_codepoint(text, holder[key])
            except ValueError as exc:
                raise AnchorMismatch(str(exc), field=field) from exc
    return data


def _service_arguments(data: dict) -> dict:
    """Service arguments from validated claim input."""
    out = {}
    for key, value in data.items():
        if key == "actors":
            out["actors"] = [ActorLink(actor_id=a["actor"], role=a["role"]) for a in value]
        elif key == "sources":
            out["sources"] = [
                SourceLink(source_id=s["source"], locator=s["locator"], note=s["note"])
                for s in value
            ]
        elif key == "claimant":
            out["claimant_id"] = value.pk
        elif key in Claim.MARKED_SPANS:
            out[key] = None if value is None else MarkedSpan(**value)
        else:
            out[key] = value
    return out


class ClaimObjectMixin:
    """Claims the caller can see; anything else is 404."""

    def get_queryset(self):
        if self.is_schema_view():
            return Claim.objects.none()
        return claims_visible_to(self.request.user)


CLAIM_ERRORS = schema.errors(400, 403, 404, 409)
CLAIM_WRITE_ERRORS = schema.errors(400, 403, 404, 409, 413, 415)


class ClaimListView(ApiView):
    """Claims you can see (drafts only your own), newest first, with cursor pagination."""

    capabilities = {"POST": can_create_claim}
    pagination_class = ClaimCursorPagination
    filter_backends = [ClaimFilterBackend]
    queryset = Claim.objects.none()  # for the schema; reads go through `claim_list`

    @extend_schema(
        operation_id="claims_list",
        tags=["claims"],
        responses={200: ClaimSerializer(many=True), **schema.errors(400, 404)},
    )
    @lag_tolerant
    def get(self, request):
        claims = claim_list(user=request.user, filters=request.query_params)
        page = self.paginate_queryset(api_rows(claims))
        return self.get_paginated_response(present_claims(page, user=request.user))

    @extend_schema(
        operation_id="claims_create",
        tags=["claims"],
        request=ClaimCreateInputSerializer,
        responses={201: ClaimSerializer, **schema.errors(400, 403, 409, 413, 415)},
    )
    @idempotent(resource="v1:claim-detail")
    def post(self, request):
        data = self.validated_input(ClaimCreateInputSerializer)
        fields = dict(data)

        def revision_text():
            # UTF-16 offsets count in the text the client saw; the service checks that
            # this is the current revision.
            revision = fields.get("revision") or fields["article"].current_revision
            return revision.text if revision is not None else ""

        suggestion = fields.pop("suggestion", None)
        arguments = _service_arguments(_code_points(fields, revision_text))
        if suggestion:
            claim = claim_create_from_suggestion(
                user=request.user, suggestion=suggestion, **arguments
            )
        else:
            claim = claim_create(user=request.user, **arguments)
        return Response(_claim_out(request, claim.pk), status=status.HTTP_201_CREATED)


class ClaimDetailView(ClaimObjectMixin, ApiView):
    """One claim. Only its author edits or deletes it, and only while it is a draft or
    its changes were requested (an edit of an approved claim sends it back to review)."""

    @extend_schema(
        operation_id="claims_retrieve",
        tags=["claims"],
        responses={200: ClaimSerializer, **schema.errors(404)},
    )
    def get(self, request, pk: int):
        return Response(_claim_out(request, pk))

    @extend_schema(
        operation_id="claims_partial_update",
        tags=["claims"],
        request=ClaimUpdateInputSerializer,
        responses={200: ClaimSerializer, **CLAIM_WRITE_ERRORS},
    )
    def patch(self, request, pk: int):
        claim = self.get_object()
        data = self.validated_input(ClaimUpdateInputSerializer)
        fields = _code_points(dict(data), lambda: claim.revision.text)
        claim_update(user=request.user, claim_id=claim.pk, **_service_arguments(fields))
        return Response(_claim_out(request, claim.pk))

    @extend_schema(
        operation_id="claims_destroy",
        tags=["claims"],
        parameters=[
            OpenApiParameter(
                "version",
                int,
                description="When given, the claim must still be at this version.",
            )
        ],
        responses={204: None, **CLAIM_ERRORS},
    )
    def delete(self, request, pk: int):
        claim = self.get_object()
        version = number_param(request.query_params, "version", maximum=MAX_NUMBER)
        claim_delete(user=request.user, claim_id=claim.pk, version=version)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ClaimSubmitView(ClaimObjectMixin, ApiView):
    """Send a draft (or a claim whose changes were requested) to review. Author only."""

    @extend_schema(
        operation_id="claims_submit",
        tags=["claims"],
        request=VersionInputSerializer,
        responses={200: ClaimSerializer, **CLAIM_WRITE_ERRORS},
    )
    @idempotent(resource="v1:claim-detail")
    def post(self, request, pk: int):
        claim = self.get_object()
        data = self.validated_input(VersionInputSerializer)
        claim_submit(user=request.user, claim_id=claim.pk, version=data["version"])
        return Response(_claim_out(request, claim.pk))


class ClaimReviewView(ClaimObjectMixin, ApiView):
    """A reviewer's decision on the version they saw. Nobody reviews their own claim
    (403 `self_review`); a reject needs a `reason`, a change request a `comment`."""

    @extend_schema(
        operation_id="claims_review",
        tags=["claims"],
        request=ReviewInputSerializer,
        responses={200: ClaimSerializer, **CLAIM_WRITE_ERRORS},
    )
    @idempotent(resource="v1:claim-detail")
    def post(self, request, pk: int):
        claim = self.get_object()
        check_decide(user=request.user, claim=claim)
        data = self.validated_input(ReviewInputSerializer)
        review_decide(user=request.user, claim_id=claim.pk, **data)
        return Response(_claim_out(request, claim.pk))


class ClaimEventListView(ClaimObjectMixin, ApiView):
    """The claim's audit trail, oldest first."""

    @extend_schema(
        operation_id="claims_events_list",
        tags=["claims"],
        responses={200: ClaimEventSerializer(many=True), **schema.errors(404)},
    )
    def get(self, request, pk: int):
        claim = self.get_object()
        events = ClaimEvent.objects.filter(claim_id=claim.pk).select_related("actor").order_by("id")
        page = hide_note_from(self.paginate_queryset(events), user=request.user, claim=claim)
        return self.get_paginated_response(ClaimEventSerializer(page, many=True).data)
