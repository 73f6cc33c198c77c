"""Desks: a project, who works in it with which roles, and the audit of its changes.

`projects` imports neither `articles` nor `annotations`; they build on it.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from claimdesk.models import AppendOnly
from projects.roles import ROLE_FIELDS


def default_required_approvals() -> int:
    return settings.REQUIRED_APPROVALS


class Project(models.Model):
    """A desk: its own members, articles and claims, guidelines and settings."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.TextField(blank=True, default="")
    guidelines = models.TextField(blank=True, default="", help_text="Markdown.")
    required_approvals = models.PositiveSmallIntegerField(
        default=default_required_approvals, validators=[MinValueValidator(1)]
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(required_approvals__gte=1), name="project_required_approvals_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's roles in one project; at least one role, one row per user and project."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_memberships"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    is_researcher = models.BooleanField(default=False)
    is_reviewer = models.BooleanField(default=False)
    is_editor = models.BooleanField(default=False)
    is_manager = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["project_id", "user__username", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "project"], name="membership_unique"),
            models.CheckConstraint(
                condition=Q(is_researcher=True)
                | Q(is_reviewer=True)
                | Q(is_editor=True)
                | Q(is_manager=True),
                name="membership_has_a_role",
            ),
        ]
        # "The projects where this user holds role R": user first, then the role.
        indexes = [
            models.Index(fields=["user", field], name=f"membership_user_{field[3:]}_idx")
            for field in ROLE_FIELDS.values()
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.project_id}"

    @property
    def roles(self) -> list[str]:
        return [role for role, field in ROLE_FIELDS.items() if getattr(self, field)]

    def set_roles(self, roles) -> None:
        for role, field in ROLE_FIELDS.items():
            setattr(self, field, role in roles)


class ProjectEventKind(models.TextChoices):
    CREATED = "created", "Project created"
    SETTINGS_CHANGED = "settings_changed", "Settings changed"
    MEMBER_ADDED = "member_added", "Member added"
    ROLES_CHANGED = "roles_changed", "Roles changed"
    MEMBER_REMOVED = "member_removed", "Member removed"
    ARTICLE_MOVED_IN = "article_moved_in", "Article moved in"
    ARTICLE_MOVED_OUT = "article_moved_out", "Article moved out"


class ProjectEvent(AppendOnly):
    """Append-only audit of a project's changes. Never updated, never deleted.

    `before` and `after` hold what changed (settings, a member's roles, an article's
    project); `subject` names who or what the change was about (a username, an article id).
    """

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=24, choices=ProjectEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="project_events",
    )
    subject = models.CharField(max_length=200, blank=True, default="")
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project_id", "id"]
        indexes = [models.Index(fields=["project", "id"], name="projectevent_project_idx")]

    def __str__(self) -> str:
        return f"{self.kind} project {self.project_id}"
