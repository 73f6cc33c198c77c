"""`POST /api/v1/claims/{id}/publish/` and `…/unpublish/`: the services, over HTTP.

Each looks the claim up among those the caller can see (404 otherwise, as every claim
endpoint), asks the service's own check before reading the body (403
`permission_denied` or `self_publication`, 409 `invalid_transition`), then calls the
service, which checks the `version` (409 `stale_version`), and answers the whole claim
with its `published_url`. Both take an `Idempotency-Key`.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from annotations.api import schema
from annotations.api.serializers.claims import ClaimSerializer
from annotations.api.serializers.fields import MAX_OFFSET, InputSerializer, WholeNumberField
from annotations.api.views.base import ApiView
from annotations.api.views.claims import ClaimObjectMixin, _claim_out
from annotations.idempotency import idempotent
from publishing.services import (
    EXPLANATION,
    REASON,
    check_publish,
    check_unpublish,
    claim_publish,
    claim_unpublish,
)


class PublishInputSerializer(InputSerializer):
    version = WholeNumberField(
        min_value=1, max_value=MAX_OFFSET, help_text="The version you are acting on."
    )
    explanation = serializers.CharField(
        max_length=EXPLANATION,
        help_text="The public explanation of the rating, shown on the public page and as "
        "`ratingExplanation` in the ClaimReview.",
    )


class UnpublishInputSerializer(InputSerializer):
    version = WholeNumberField(
        min_value=1, max_value=MAX_OFFSET, help_text="The version you are acting on."
    )
    reason = serializers.CharField(
        max_length=REASON, help_text="Why it is withdrawn; the public page says so."
    )


ERRORS = schema.errors(400, 403, 404, 409, 413, 415)


class ClaimPublishView(ClaimObjectMixin, ApiView):
    """Publish an approved, rated claim's review (editors and managers of its project who
    did not write it)."""

    @extend_schema(
        operation_id="claims_publish",
        tags=["claims"],
        request=PublishInputSerializer,
        responses={200: ClaimSerializer, **ERRORS},
    )
    @idempotent(resource="v1:claim-detail")
    def post(self, request, pk: int):
        claim = self.get_object()
        check_publish(user=request.user, claim=claim)
        data = self.validated_input(PublishInputSerializer)
        claim_publish(user=request.user, claim_id=claim.pk, **data)
        return Response(_claim_out(request, claim.pk))


class ClaimUnpublishView(ClaimObjectMixin, ApiView):
    """Withdraw a published review with a reason (editors and managers of its project)."""

    @extend_schema(
        operation_id="claims_unpublish",
        tags=["claims"],
        request=UnpublishInputSerializer,
        responses={200: ClaimSerializer, **ERRORS},
    )
    @idempotent(resource="v1:claim-detail")
    def post(self, request, pk: int):
        claim = self.get_object()
        check_unpublish(user=request.user, claim=claim)
        data = self.validated_input(UnpublishInputSerializer)
        claim_unpublish(user=request.user, claim_id=claim.pk, **data)
        return Response(_claim_out(request, claim.pk))
