"""The role groups for tests that run in a transactional database.

A transactional test ends by flushing every table, and the groups come from a data
migration, so the next transactional test starts without them. Permissions and content
types come back with `post_migrate`; this brings back the groups and what they may do.
"""

import importlib

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

ROLES = importlib.import_module("annotations.migrations.0002_roles").ROLES


def ensure_role_groups() -> None:
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    for role, permissions in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = Q(pk__in=[])
        for app_label, codename in permissions:
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(wanted))
