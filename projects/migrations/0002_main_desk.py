"""Main desk: the project that holds everything written before projects existed.

Every member of the global role groups becomes a member of Main desk with the same
role(s); users in no group get no membership. Set-based: one insert of memberships,
whatever the number of users.
"""

from django.conf import settings
from django.db import migrations

MAIN_SLUG = "main"
MAIN_NAME = "Main desk"
GROUP_ROLES = ("researcher", "reviewer", "editor")


def create_main_desk(apps, schema_editor):
    project_model = apps.get_model("projects", "Project")
    membership_model = apps.get_model("projects", "Membership")
    user_model = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    main, _ = project_model.objects.get_or_create(
        slug=MAIN_SLUG,
        defaults={"name": MAIN_NAME, "required_approvals": settings.REQUIRED_APPROVALS},
    )
    roles_by_user: dict[int, set[str]] = {}
    pairs = user_model.groups.through.objects.filter(group__name__in=GROUP_ROLES).values_list(
        "user_id", "group__name"
    )
    for user_id, role in pairs.iterator(chunk_size=5000):
        roles_by_user.setdefault(user_id, set()).add(role)
    membership_model.objects.bulk_create(
        [
            membership_model(
                project=main,
                user_id=user_id,
                **{f"is_{role}": role in roles for role in GROUP_ROLES},
            )
            for user_id, roles in roles_by_user.items()
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )


def remove_main_desk(apps, schema_editor):
    project_model = apps.get_model("projects", "Project")
    project = project_model.objects.filter(slug=MAIN_SLUG).first()
    if project is not None:
        project.memberships.all().delete()
        project.events.all().delete()
        project.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0001_projects_memberships_events"),
        # The role groups and their members come from here.
        ("annotations", "0002_roles"),
    ]

    operations = [migrations.RunPython(create_main_desk, remove_main_desk)]
