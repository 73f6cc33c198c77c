"""What a user may do, derived from the model permissions their groups carry.

Roles are the groups `researcher`, `reviewer` and `editor` (see the data migration
`annotations/migrations/0002_roles.py`); code asks for capabilities, not group names.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

RESEARCHER, REVIEWER, EDITOR = "researcher", "reviewer", "editor"
ROLES = (RESEARCHER, REVIEWER, EDITOR)

User = AbstractBaseUser | AnonymousUser


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


def can_add_source(user: User) -> bool:
    return user.is_authenticated and user.has_perm("articles.add_source")


def can_import_articles(user: User) -> bool:
    return user.is_authenticated and user.has_perm("articles.add_article")


def can_revise_articles(user: User) -> bool:
    return user.is_authenticated and user.has_perm("articles.change_article")
