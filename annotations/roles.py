"""The roles and what a user may do.

What a user may do in a project comes from their membership there (`projects.access`):
researcher, reviewer, editor, manager. Code asks for capabilities (`can_annotate(user,
project_id)`, ...), never for role names.

The global groups `researcher`, `reviewer` and `editor` remain for two things only: the
`editor` group makes a site-wide editor, who alone merges actors (a merge rewrites every
desk's claims), and the groups carry the Django model permissions the admin shows to
staff users. `ROLE_PERMISSIONS` says what each group carries; the data migration
`annotations/migrations/0002_roles.py` made them with a frozen copy of it, and a test
keeps the two equal. Users get a group through `grant_roles`.
"""

from collections.abc import Iterable

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission
from django.db.models import Q

from projects import access
from projects.roles import IMPORTING_ROLES, ProjectRole

RESEARCHER, REVIEWER, EDITOR = "researcher", "reviewer", "editor"
ROLES = (RESEARCHER, REVIEWER, EDITOR)

# Everyone in a role reads everything.
_VIEW_ALL = frozenset(
    {
        "articles.view_source",
        "articles.view_article",
        "articles.view_articlerevision",
        "annotations.view_actor",
        "annotations.view_actoralias",
        "annotations.view_claim",
        "annotations.view_claimactor",
        "annotations.view_claimsource",
        "annotations.view_claimrelation",
        "annotations.view_review",
        "annotations.view_claimevent",
    }
)

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    # Annotate: claims and their links, new actors and sources from the claim form,
    # import and revise articles.
    RESEARCHER: _VIEW_ALL
    | {
        "annotations.add_claim",
        "annotations.change_claim",
        "annotations.delete_claim",
        "annotations.add_claimactor",
        "annotations.change_claimactor",
        "annotations.delete_claimactor",
        "annotations.add_claimsource",
        "annotations.change_claimsource",
        "annotations.delete_claimsource",
        "annotations.add_claimrelation",
        "annotations.add_actor",
        "annotations.add_actoralias",
        "articles.add_source",
        "articles.add_article",
        "articles.change_article",
    },
    # Review claims.
    REVIEWER: _VIEW_ALL | {"annotations.review_claim", "annotations.add_review"},
    # Manage actors and sources, merge actors, import and revise articles.
    EDITOR: _VIEW_ALL
    | {
        "annotations.add_actor",
        "annotations.change_actor",
        "annotations.merge_actor",
        "annotations.add_actoralias",
        "annotations.change_actoralias",
        "annotations.delete_actoralias",
        "articles.add_source",
        "articles.change_source",
        "articles.add_article",
        "articles.change_article",
    },
}
"""Role name -> the permissions (`app_label.codename`) its group carries, exactly."""

User = AbstractBaseUser | AnonymousUser


def _known(roles: Iterable[str]) -> list[str]:
    roles = sorted(set(roles))
    unknown = [name for name in roles if name not in ROLE_PERMISSIONS]
    if unknown:
        raise ValueError(f"no such role: {', '.join(unknown)}")
    return roles


def sync_role_groups(roles: Iterable[str] = ROLES) -> list[Group]:
    """Make the groups of `roles` exist and carry exactly `ROLE_PERMISSIONS`.

    The migration made them; this brings them back where a database was emptied since (a
    test's flush) and is how a demo or test user gets a role (`grant_roles`). Raises
    ValueError for a name that is no role, LookupError for a permission that does not
    exist.
    """
    roles = _known(roles)
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    groups = []
    for name in roles:
        wanted = ROLE_PERMISSIONS[name]
        query = Q(pk__in=[])
        for permission in wanted:
            app_label, codename = permission.split(".")
            query |= Q(content_type__app_label=app_label, codename=codename)
        permissions = list(Permission.objects.filter(query))
        if len(permissions) != len(wanted):
            raise LookupError(f"the role {name} names a permission that does not exist")
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)
        groups.append(group)
    return groups


def grant_roles(user: AbstractBaseUser, roles: Iterable[str]) -> None:
    """Put `user` in the groups of `roles`, bringing back any group a flush removed.

    Raises ValueError for a name that is no role.
    """
    roles = _known(roles)
    groups = list(Group.objects.filter(name__in=roles))
    if len(groups) < len(roles):
        groups = sync_role_groups(roles)
    user.groups.add(*groups)


def can_annotate(user: User, project_id: int | None = None) -> bool:
    """Researchers of the project write claims in it."""
    return access.holds(user, project_id, ProjectRole.RESEARCHER)


def can_review(user: User, project_id: int | None = None) -> bool:
    """Reviewers of the project decide on its claims (never on their own)."""
    return access.holds(user, project_id, ProjectRole.REVIEWER)


def can_manage_registry(user: User) -> bool:
    """Editors of any project change actors and sources: the registry is shared by the
    whole site (Iran is Iran for every desk)."""
    return access.holds(user, None, ProjectRole.EDITOR)


def can_look_after_claims(user: User, project_id: int) -> bool:
    """Editors of the project look after everyone's claims there (re-attaching them)."""
    return access.holds(user, project_id, ProjectRole.EDITOR)


def can_merge_actors(user: User) -> bool:
    """Merging rewrites every desk's claims, so it stays with site-wide editors: the
    global `editor` group (or a superuser), not an editor of one project."""
    return user.is_authenticated and user.has_perm("annotations.merge_actor")


def can_add_actor(user: User) -> bool:
    """Researchers (from the claim form) and editors of any project."""
    return access.holds(user, None, *IMPORTING_ROLES)


def can_revise_articles(user: User, project_id: int | None = None) -> bool:
    """Researchers and editors of the article's project change its text."""
    return access.holds(user, project_id, *IMPORTING_ROLES)
