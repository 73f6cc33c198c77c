"""Projects and their members. A project the caller is not a member of answers 404."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from annotations.api import schema
from annotations.api.views.base import ApiView
from projects import access, services
from projects.models import Membership, Project
from projects.serializers import (
    MembershipInputSerializer,
    MembershipSerializer,
    ProjectInputSerializer,
    ProjectSerializer,
)


def _project(request, pk: int) -> Project:
    if not access.is_member(request.user, pk):
        raise Http404
    return Project.objects.get(pk=pk)


class ProjectListView(ApiView):
    """The caller's projects with their roles; creating one makes the caller its manager."""

    capabilities = {"POST": services.may_create_project}

    def get_queryset(self):
        return access.projects_for(self.request.user)

    @extend_schema(
        operation_id="projects_list",
        tags=["projects"],
        responses={200: ProjectSerializer(many=True), **schema.errors(404)},
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        serializer = ProjectSerializer(page, many=True, context={"request": request})
        return self.get_paginated_response(serializer.data)

    @extend_schema(
        operation_id="projects_create",
        tags=["projects"],
        request=ProjectInputSerializer,
        responses={201: ProjectSerializer, **schema.errors(400, 403, 413, 415)},
    )
    def post(self, request):
        data = self.validated_input(ProjectInputSerializer)
        project = services.project_create(user=request.user, **data)
        return Response(
            ProjectSerializer(project, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class ProjectDetailView(ApiView):
    queryset = Project.objects.none()  # for the schema; `_project` scopes the lookup

    @extend_schema(
        operation_id="projects_retrieve",
        tags=["projects"],
        responses={200: ProjectSerializer, **schema.errors(404)},
    )
    def get(self, request, pk: int):
        project = _project(request, pk)
        return Response(ProjectSerializer(project, context={"request": request}).data)


class ProjectMemberListView(ApiView):
    """The members of a project (visible to its members); POST adds a member or sets a
    member's roles to exactly the given list (managers)."""

    queryset = Membership.objects.none()  # for the schema; `_project` scopes the lookup

    @extend_schema(
        operation_id="project_members_list",
        tags=["projects"],
        responses={200: MembershipSerializer(many=True), **schema.errors(404)},
    )
    def get(self, request, pk: int):
        project = _project(request, pk)
        memberships = project.memberships.select_related("user").order_by("user__username", "id")
        page = self.paginate_queryset(memberships)
        return self.get_paginated_response(MembershipSerializer(page, many=True).data)

    @extend_schema(
        operation_id="project_members_set",
        tags=["projects"],
        request=MembershipInputSerializer,
        responses={200: MembershipSerializer, **schema.errors(400, 403, 404, 409, 413, 415)},
    )
    def post(self, request, pk: int):
        project = _project(request, pk)
        data = self.validated_input(MembershipInputSerializer)
        membership = services.membership_set(user=request.user, project=project, **data)
        return Response(MembershipSerializer(membership).data)


class ProjectMemberDetailView(ApiView):
    """One membership, addressed by its id (as listed by the members endpoint)."""

    queryset = Membership.objects.none()  # for the schema; `_project` scopes the lookup

    @extend_schema(
        operation_id="project_members_destroy",
        tags=["projects"],
        responses={204: None, **schema.errors(403, 404, 409)},
    )
    def delete(self, request, pk: int, membership_id: int):
        project = _project(request, pk)
        membership = Membership.objects.filter(pk=membership_id, project=project).first()
        if membership is None:
            raise Http404
        services.membership_remove(user=request.user, membership=membership)
        return Response(status=status.HTTP_204_NO_CONTENT)
