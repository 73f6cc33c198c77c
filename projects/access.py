"""Who is a member of which project, with which roles: the one place that answers.

Every question reads one cached map per user object, `{project_id: frozenset(roles)}`,
built by a single query the first time it is asked during a request (the user object
lives as long as the request). Services that change memberships call `forget(user)` on
the user objects they hold.

Superusers count as members of every project with every role. They still never review
their own claims: the workflow's four-eyes rule does not ask this module.
"""

from __future__ import annotations

from django.db.models import QuerySet

from claimdesk.errors import InvalidInput
from projects.models import Membership, Project
from projects.roles import IMPORTING_ROLES, ROLE_FIELDS, ROLES

_CACHE = "_project_roles_cache"


def _roles_by_project(user) -> dict[int, frozenset[str]]:
    cached = getattr(user, _CACHE, None)
    if cached is not None:
        return cached
    if user is None or not user.is_authenticated or not user.is_active:
        result: dict[int, frozenset[str]] = {}
    elif user.is_superuser:
        every = frozenset(ROLES)
        result = {pk: every for pk in Project.objects.values_list("pk", flat=True)}
    else:
        rows = Membership.objects.filter(user=user).values_list("project_id", *ROLE_FIELDS.values())
        result = {
            row[0]: frozenset(role for role, held in zip(ROLES, row[1:], strict=True) if held)
            for row in rows
        }
    if user is not None and user.is_authenticated:
        setattr(user, _CACHE, result)
    return result


def forget(user) -> None:
    """Drop the cached answers for this user object (after its memberships changed)."""
    if user is not None and hasattr(user, _CACHE):
        delattr(user, _CACHE)


def project_ids(user, role: str | None = None) -> frozenset[int]:
    """Ids of the projects the user belongs to, or in which they hold `role`."""
    if role is not None and role not in ROLE_FIELDS:
        raise ValueError(f"no such role: {role}")
    roles = _roles_by_project(user)
    return frozenset(pk for pk, held in roles.items() if role is None or role in held)


def readable_project_ids(user) -> frozenset[int] | None:
    """The projects whose work `user` reads: those they belong to, or None for a
    superuser, who reads every project's (what `claims_visible_to` scopes by)."""
    return None if user.is_superuser else project_ids(user)


def roles_in(user, project_id: int) -> set[str]:
    return set(_roles_by_project(user).get(project_id, ()))


def has_role(user, project_id: int, role: str) -> bool:
    return role in _roles_by_project(user).get(project_id, ())


def is_member(user, project_id: int) -> bool:
    return project_id in _roles_by_project(user)


def holds(user, project_id: int | None, *roles: str) -> bool:
    """Whether `user` holds one of `roles` in the project, or in any project when
    `project_id` is None (a question asked before any object is chosen)."""
    if user is None or not user.is_authenticated:
        return False
    held = _roles_by_project(user)
    if project_id is None:
        return any(not held_here.isdisjoint(roles) for held_here in held.values())
    return not held.get(project_id, frozenset()).isdisjoint(roles)


def projects_for(user, role: str | None = None) -> QuerySet[Project]:
    """The user's projects (with `role` when given), ordered by name."""
    return Project.objects.filter(pk__in=project_ids(user, role))


def importable_project_ids(user) -> frozenset[int]:
    """Projects the user may put articles into; `None` (a command run by the operator)
    may use any project."""
    if user is None:
        return frozenset(Project.objects.values_list("pk", flat=True))
    ids: frozenset[int] = frozenset()
    for role in IMPORTING_ROLES:
        ids |= project_ids(user, role)
    return ids


def project_for_new_article(user, project: Project | int | None = None) -> Project:
    """The project a new article goes into.

    `project` (an instance or an id) must be one the user may import into; without it,
    the only such project. Raises InvalidInput on `project` when it is not theirs, or
    when there is no choice to default to (none, or several).
    """
    allowed = importable_project_ids(user)
    if project is None:
        if len(allowed) != 1:
            raise InvalidInput(
                "Choose the project to add the article to."
                if allowed
                else "You are not a researcher or editor in any project.",
                field="project",
            )
        return Project.objects.get(pk=next(iter(allowed)))
    project_id = project.pk if isinstance(project, Project) else project
    if project_id not in allowed:
        raise InvalidInput("You cannot add articles to this project.", field="project")
    return project if isinstance(project, Project) else Project.objects.get(pk=project_id)
