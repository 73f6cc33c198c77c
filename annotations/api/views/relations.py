"""A claim's relations to other claims: list, add, read one, remove.

The claim is looked up through `claims_visible_to` (404 otherwise); a relation is the
claim's when it starts or ends there, and is shown only when the viewer can see the
other claim too. Adding and removing go through `annotations.services.relations`: the
rules of editing the claim the relation starts from (author only, not while under
review; an approved claim goes back to review), 404 for another claim the caller cannot
see, 400 for the claim itself (`self_relation`), another project's claim
(`other_project`) or a relation already there (`duplicate`).
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from annotations.api import schema
from annotations.api.serializers.relations import (
    ClaimRelationSerializer,
    RelationInputSerializer,
)
from annotations.api.views.base import ApiView
from annotations.api.views.claims import ClaimObjectMixin
from annotations.claim_presenter import ClaimBatch, Viewer, present_relation
from annotations.idempotency import idempotent
from annotations.params import MAX_NUMBER, number_param
from annotations.services.relations import relation_add, relation_remove


def relations_of(request, claim) -> list[dict]:
    """The claim's relations both ways, oldest first, as the caller may see them."""
    batch = ClaimBatch([claim.pk], using=claim._state.db or "default", read=("relations",))
    viewer = Viewer(request.user)
    return [
        present_relation(relation)
        for relation in batch.relations.get(claim.pk, ())
        if viewer.sees(relation, claim.project_id)
    ]


def _one(request, claim, relation_id: int) -> dict:
    for relation in relations_of(request, claim):
        if relation["id"] == relation_id:
            return relation
    raise Http404


class ClaimRelationListView(ClaimObjectMixin, ApiView):
    """The claim's relations: those it starts (`outgoing`) and those that point to it
    (`incoming`)."""

    @extend_schema(
        operation_id="claims_relations_list",
        tags=["claims"],
        responses={200: ClaimRelationSerializer(many=True), **schema.errors(404)},
    )
    def get(self, request, pk: int):
        claim = self.get_object()
        page = self.paginate_queryset(relations_of(request, claim))
        return self.get_paginated_response(page)

    @extend_schema(
        operation_id="claims_relations_create",
        tags=["claims"],
        request=RelationInputSerializer,
        responses={
            201: ClaimRelationSerializer,
            **schema.errors(400, 403, 404, 409, 413, 415),
        },
    )
    @idempotent(resource="v1:claim-relation-detail", new_id="relation_id")
    def post(self, request, pk: int):
        claim = self.get_object()
        data = self.validated_input(RelationInputSerializer)
        relation = relation_add(
            user=request.user,
            claim_id=claim.pk,
            kind=data["kind"],
            to_claim_id=data["to_claim"],
            version=data.get("version"),
        )
        return Response(_one(request, claim, relation.pk), status=status.HTTP_201_CREATED)


class ClaimRelationDetailView(ClaimObjectMixin, ApiView):
    """One relation of the claim. Only a relation that starts from the claim is removed
    through it, by the claim's author, as an edit of the claim."""

    @extend_schema(
        operation_id="claims_relations_retrieve",
        tags=["claims"],
        responses={200: ClaimRelationSerializer, **schema.errors(404)},
    )
    def get(self, request, pk: int, relation_id: int):
        return Response(_one(request, self.get_object(), relation_id))

    @extend_schema(
        operation_id="claims_relations_destroy",
        tags=["claims"],
        parameters=[
            OpenApiParameter(
                "version",
                int,
                description="When given, the claim must still be at this version.",
            )
        ],
        responses={204: None, **schema.errors(400, 403, 404, 409)},
    )
    def delete(self, request, pk: int, relation_id: int):
        claim = self.get_object()
        version = number_param(request.query_params, "version", maximum=MAX_NUMBER)
        relation_remove(
            user=request.user, claim_id=claim.pk, relation_id=relation_id, version=version
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
