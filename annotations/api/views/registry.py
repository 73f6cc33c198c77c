"""Sources and actors: lists with search, creation, actor edits and merges."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from annotations.api import schema
from annotations.api.serializers.registry import (
    ActorInputSerializer,
    ActorMergeInputSerializer,
    ActorSerializer,
    ActorUpdateInputSerializer,
    SourceInputSerializer,
    SourceSerializer,
    SourceUpdateInputSerializer,
)
from annotations.api.views.base import ApiView, SchemaOnlyFilterBackend
from annotations.filters import ActorFilter, SourceFilter
from annotations.idempotency import idempotent
from annotations.models import Actor
from annotations.selectors.actors import actor_list, actors_with_aliases
from annotations.selectors.sources import source_list
from annotations.services import actors as registry_services
from articles import sources
from articles.models import Source
from claimdesk.replica import lag_tolerant


def _actors() -> QuerySet[Actor]:
    return actors_with_aliases()


# --------------------------------------------------------------------------- sources


class SourceListView(ApiView):
    """Sources: outlets, official statements, reports, sanctions notices, posts."""

    capabilities = {"POST": sources.can_add_source}
    filter_backends = [SchemaOnlyFilterBackend]
    filterset_class = SourceFilter
    queryset = Source.objects.all()

    @extend_schema(
        operation_id="sources_list",
        tags=["sources"],
        responses={200: SourceSerializer(many=True), **schema.errors(400, 404)},
    )
    @lag_tolerant
    def get(self, request):
        page = self.paginate_queryset(source_list(filters=request.query_params))
        return self.get_paginated_response(SourceSerializer(page, many=True).data)

    @extend_schema(
        operation_id="sources_create",
        tags=["sources"],
        request=SourceInputSerializer,
        responses={201: SourceSerializer, **schema.errors(400, 403, 409, 413, 415)},
    )
    @idempotent(resource="v1:source-detail")
    def post(self, request):
        data = self.validated_input(SourceInputSerializer)
        source = sources.source_create(user=request.user, **data)
        return Response(SourceSerializer(source).data, status=status.HTTP_201_CREATED)


class SourceDetailView(ApiView):
    capabilities = {"PATCH": sources.can_change_source}
    queryset = Source.objects.all()

    @extend_schema(
        operation_id="sources_retrieve",
        tags=["sources"],
        responses={200: SourceSerializer, **schema.errors(404)},
    )
    def get(self, request, pk: int):
        return Response(SourceSerializer(self.get_object()).data)

    @extend_schema(
        operation_id="sources_partial_update",
        tags=["sources"],
        request=SourceUpdateInputSerializer,
        responses={200: SourceSerializer, **schema.errors(400, 403, 404, 413, 415)},
    )
    def patch(self, request, pk: int):
        source = self.get_object()
        data = self.validated_input(SourceUpdateInputSerializer)
        source = sources.source_update(user=request.user, source_id=source.pk, **data)
        return Response(SourceSerializer(source).data)


# --------------------------------------------------------------------------- actors


class ActorListView(ApiView):
    """Actors. `q` matches names and aliases, ignoring case and accents."""

    capabilities = {"POST": registry_services.can_create_actor}
    filter_backends = [SchemaOnlyFilterBackend]
    filterset_class = ActorFilter

    def get_queryset(self):
        return _actors()

    @extend_schema(
        operation_id="actors_list",
        tags=["actors"],
        responses={200: ActorSerializer(many=True), **schema.errors(400, 404)},
    )
    @lag_tolerant
    def get(self, request):
        page = self.paginate_queryset(actor_list(filters=request.query_params))
        return self.get_paginated_response(ActorSerializer(page, many=True).data)

    @extend_schema(
        operation_id="actors_create",
        tags=["actors"],
        request=ActorInputSerializer,
        responses={201: ActorSerializer, **schema.errors(400, 403, 409, 413, 415)},
    )
    @idempotent(resource="v1:actor-detail")
    def post(self, request):
        data = self.validated_input(ActorInputSerializer)
        fields = dict(data)
        parent = fields.pop("parent")
        actor = registry_services.actor_create(
            user=request.user, parent_id=parent.pk if parent else None, **fields
        )
        return Response(
            ActorSerializer(_actors().get(pk=actor.pk)).data, status=status.HTTP_201_CREATED
        )


class ActorDetailView(ApiView):
    capabilities = {"PATCH": registry_services.can_update_actor}

    def get_queryset(self):
        return _actors()

    @extend_schema(
        operation_id="actors_retrieve",
        tags=["actors"],
        responses={200: ActorSerializer, **schema.errors(404)},
    )
    def get(self, request, pk: int):
        return Response(ActorSerializer(self.get_object()).data)

    @extend_schema(
        operation_id="actors_partial_update",
        tags=["actors"],
        request=ActorUpdateInputSerializer,
        responses={200: ActorSerializer, **schema.errors(400, 403, 404, 413, 415)},
    )
    def patch(self, request, pk: int):
        actor = self.get_object()
        data = self.validated_input(ActorUpdateInputSerializer)
        fields = dict(data)
        if "parent" in fields:
            parent = fields.pop("parent")
            fields["parent_id"] = parent.pk if parent else None
        registry_services.actor_update(user=request.user, actor_id=actor.pk, **fields)
        return Response(ActorSerializer(_actors().get(pk=actor.pk)).data)


class ActorMergeView(ApiView):
    """Merge this actor into `into`: every link moves to `into`, and this actor's name
    becomes one of its aliases. Answers with the surviving actor."""

    capabilities = {"POST": registry_services.can_merge_actor}

    def get_queryset(self):
        return _actors()

    @extend_schema(
        operation_id="actors_merge",
        tags=["actors"],
        request=ActorMergeInputSerializer,
        responses={200: ActorSerializer, **schema.errors(400, 403, 404, 409, 413, 415)},
    )
    @idempotent(resource="v1:actor-detail")
    def post(self, request, pk: int):
        actor = self.get_object()
        data = self.validated_input(ActorMergeInputSerializer)
        survivor = registry_services.actor_merge(
            user=request.user, actor_id=actor.pk, into_id=data["into"].pk
        )
        return Response(ActorSerializer(_actors().get(pk=survivor.pk)).data)
