"""The roles, the permissions of both apps each one carries, and what a user may do.

Roles are the groups `researcher`, `reviewer` and `editor`. `ROLE_PERMISSIONS` says what
each may do, in the permissions of both apps; the data migration
`annotations/migrations/0002_roles.py` made the groups with a frozen copy of it, and a
test keeps the two equal. Code asks for capabilities (`can_annotate`, ...), not group
names; users get a role through `grant_roles`.
"""

from collections.abc import Iterable

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission
from django.db.models import Q

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


def can_annotate(user: User) -> bool:
    return user.is_authenticated and user.has_perm("annotations.add_claim")


def can_review(user: User) -> bool:
    return user.is_authenticated and user.has_perm("annotations.review_claim")


def can_manage_registry(user: User) -> bool:
    """Editors: change actors and sources."""
    return user.is_authenticated and user.has_perm("annotations.change_actor")


def can_merge_actors(user: User) -> bool:
    return user.is_authenticated and user.has_perm("annotations.merge_actor")


def can_add_actor(user: User) -> bool:
    return user.is_authenticated and user.has_perm("annotations.add_actor")


def can_revise_articles(user: User) -> bool:
    return user.is_authenticated and user.has_perm("articles.change_article")
