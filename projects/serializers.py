"""The API's shapes of a project and a membership (input and output apart)."""

from __future__ import annotations

from rest_framework import serializers

from projects import access
from projects.models import Membership, Project
from projects.roles import ROLES, ProjectRole


class ProjectSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField(help_text="Your roles in this project.")

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "slug",
            "description",
            "guidelines",
            "required_approvals",
            "roles",
            "created",
            "modified",
        ]

    def get_roles(self, project) -> list[str]:
        held = access.roles_in(self.context["request"].user, project.pk)
        return [role for role in ROLES if role in held]


class ProjectInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    slug = serializers.SlugField(max_length=60)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    guidelines = serializers.CharField(required=False, allow_blank=True, default="")
    required_approvals = serializers.IntegerField(required=False, min_value=1, max_value=32767)


class MembershipSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    roles = serializers.ListField(child=serializers.ChoiceField(choices=ProjectRole.choices))

    class Meta:
        model = Membership
        fields = ["id", "username", "roles", "created", "modified"]


class MembershipInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=ProjectRole.choices), allow_empty=True
    )
