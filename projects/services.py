"""Every change of a project, its members and where an article belongs.

Each service is keyword-only, runs in one transaction, writes a ProjectEvent, and has
its "may I?" function beside it, which pages use to offer or hide the action.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from claimdesk.errors import InvalidInput, LastManager, NotAllowed
from projects import access
from projects.models import Membership, Project, ProjectEvent, ProjectEventKind
from projects.roles import ROLE_FIELDS, ProjectRole

SETTINGS_FIELDS = ("name", "description", "guidelines", "required_approvals")


def _record(*, project: Project, kind: str, user, subject: str = "", before=None, after=None):
    ProjectEvent.objects.create(
        project=project,
        kind=kind,
        actor=user if user is not None and user.is_authenticated else None,
        subject=subject,
        before=before or {},
        after=after or {},
    )


def _full_clean(instance, **kwargs) -> None:
    try:
        instance.full_clean(**kwargs)
    except ValidationError as exc:
        errors = [
            {"field": field, "code": "invalid", "detail": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
        first = errors[0]
        raise InvalidInput(f"{first['field']}: {first['detail']}", errors=errors) from None


def _is_manager(user, project: Project) -> bool:
    return access.has_role(user, project.pk, ProjectRole.MANAGER)


# Create -------------------------------------------------------------------------------


def may_create_project(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and (user.is_superuser or user.has_perm("projects.add_project"))
    )


@transaction.atomic
def project_create(
    *,
    user,
    name: str,
    slug: str,
    description: str = "",
    guidelines: str = "",
    required_approvals: int | None = None,
) -> Project:
    """Create a project; its creator becomes its manager. Raises NotAllowed, InvalidInput."""
    if not may_create_project(user):
        raise NotAllowed("You cannot create projects.")
    project = Project(
        name=name.strip(), slug=slug.strip(), description=description, guidelines=guidelines
    )
    if required_approvals is not None:
        project.required_approvals = required_approvals
    _full_clean(project)
    project.save()
    Membership.objects.create(user=user, project=project, is_manager=True)
    access.forget(user)
    _record(
        project=project,
        kind=ProjectEventKind.CREATED,
        user=user,
        after={
            **{field: getattr(project, field) for field in SETTINGS_FIELDS},
            "slug": project.slug,
        },
    )
    _record(
        project=project,
        kind=ProjectEventKind.MEMBER_ADDED,
        user=user,
        subject=user.get_username(),
        after={"roles": [ProjectRole.MANAGER]},
    )
    return project


# Settings -----------------------------------------------------------------------------


def may_update_project(user, project: Project) -> bool:
    return _is_manager(user, project)


@transaction.atomic
def project_update(*, user, project: Project, **changes) -> Project:
    """Change a project's name, description, guidelines or required approvals (managers).

    Locks the project row. Raises NotAllowed, InvalidInput (also for an unknown field).
    """
    if not may_update_project(user, project):
        raise NotAllowed("Only the project's managers can change its settings.")
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        field = sorted(unknown)[0]
        raise InvalidInput(f"{field} cannot be changed here.", field=field)
    project = Project.objects.select_for_update().get(pk=project.pk)
    before = {field: getattr(project, field) for field in changes}
    for field, value in changes.items():
        setattr(project, field, value.strip() if field == "name" else value)
    _full_clean(project)
    changed = {field for field in changes if getattr(project, field) != before[field]}
    if changed:
        project.save()
        _record(
            project=project,
            kind=ProjectEventKind.SETTINGS_CHANGED,
            user=user,
            before={field: before[field] for field in sorted(changed)},
            after={field: getattr(project, field) for field in sorted(changed)},
        )
    return project


# Members ------------------------------------------------------------------------------


def may_manage_members(user, project: Project) -> bool:
    return _is_manager(user, project)


def _clean_roles(roles: Iterable[str]) -> list[str]:
    roles = list(dict.fromkeys(roles))
    unknown = [role for role in roles if role not in ROLE_FIELDS]
    if unknown:
        raise InvalidInput(f"No such role: {unknown[0]}.", field="roles")
    if not roles:
        raise InvalidInput("A member needs at least one role.", field="roles")
    return [role for role in ROLE_FIELDS if role in roles]


def _other_managers(project: Project, membership: Membership) -> bool:
    return (
        Membership.objects.select_for_update()
        .filter(project=project, is_manager=True)
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def membership_set(*, user, project: Project, username: str, roles: Iterable[str]) -> Membership:
    """Add `username` to the project with exactly `roles`, or change their roles (managers).

    Raises NotAllowed, InvalidInput on `username` (unknown user) or `roles` (empty or
    unknown), LastManager when this would leave the project without a manager.
    """
    if not may_manage_members(user, project):
        raise NotAllowed("Only the project's managers can change its members.")
    roles = _clean_roles(roles)
    member = get_user_model().objects.filter(username=(username or "").strip()).first()
    if member is None:
        raise InvalidInput(f"There is no user called {username!r}.", field="username")
    membership = Membership.objects.select_for_update().filter(project=project, user=member).first()
    if membership is None:
        membership, before = Membership(project=project, user=member), []
    else:
        before = membership.roles
        if before == roles:
            return membership
        demoted = ProjectRole.MANAGER in before and ProjectRole.MANAGER not in roles
        if demoted and not _other_managers(project, membership):
            raise LastManager(field="roles")
    membership.set_roles(roles)
    membership.save()
    _record(
        project=project,
        kind=ProjectEventKind.ROLES_CHANGED if before else ProjectEventKind.MEMBER_ADDED,
        user=user,
        subject=member.get_username(),
        before={"roles": before} if before else {},
        after={"roles": roles},
    )
    access.forget(member)
    if member.pk == getattr(user, "pk", None):
        access.forget(user)
    return membership


@transaction.atomic
def membership_remove(*, user, membership: Membership) -> None:
    """Remove a member from the project (managers). Raises NotAllowed, LastManager."""
    project = membership.project
    if not may_manage_members(user, project):
        raise NotAllowed("Only the project's managers can change its members.")
    membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    if membership.is_manager and not _other_managers(project, membership):
        raise LastManager()
    before = membership.roles
    membership.delete()
    _record(
        project=project,
        kind=ProjectEventKind.MEMBER_REMOVED,
        user=user,
        subject=membership.user.get_username(),
        before={"roles": before},
    )
    access.forget(membership.user)
    if membership.user_id == getattr(user, "pk", None):
        access.forget(user)


# Articles -----------------------------------------------------------------------------


def may_move_article(user, from_project_id: int, to_project_id: int) -> bool:
    return access.has_role(user, from_project_id, ProjectRole.MANAGER) and access.has_role(
        user, to_project_id, ProjectRole.MANAGER
    )


@transaction.atomic
def article_move(*, user, article_id: int, to_project_id: int):
    """Move an article, with its claims, to another project (a manager of both).

    The article row is locked; every claim's denormalised `project` is updated in the
    same transaction. Audited in both projects. The models are looked up through the
    app registry because `projects` does not import the apps that build on it.

    Raises InvalidInput on `project` (unknown project, or the article is already there)
    and NotAllowed. An article the user cannot see in its project is "not found".
    """
    article_model = apps.get_model("articles", "Article")
    claim_model = apps.get_model("annotations", "Claim")
    article = article_model.objects.select_for_update().filter(pk=article_id).first()
    if article is None or not access.is_member(user, article.project_id):
        raise InvalidInput("No such article.", field="article")
    target = Project.objects.filter(pk=to_project_id).first()
    if target is None or not access.is_member(user, target.pk):
        raise InvalidInput("No such project.", field="project")
    if target.pk == article.project_id:
        raise InvalidInput("The article is already in this project.", field="project")
    if not may_move_article(user, article.project_id, target.pk):
        raise NotAllowed("Only a manager of both projects can move an article.")
    source = article.project
    article_model.objects.filter(pk=article.pk).update(project=target)
    claims = claim_model.objects.filter(article_id=article.pk).update(project=target)
    for project, kind in (
        (source, ProjectEventKind.ARTICLE_MOVED_OUT),
        (target, ProjectEventKind.ARTICLE_MOVED_IN),
    ):
        _record(
            project=project,
            kind=kind,
            user=user,
            subject=str(article.pk),
            before={"project": source.slug},
            after={"project": target.slug, "claims": claims},
        )
    article.project = target
    return article
