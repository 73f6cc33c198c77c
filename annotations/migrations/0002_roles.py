"""The three roles as groups with their model permissions.

researcher: annotate (claims and their links, new actors and sources from the claim
form, import and revise articles). reviewer: review claims. editor: manage actors and
sources, merge actors, revise articles. Everyone logged in reads.
"""

from django.db import migrations

VIEW_ALL = [
    ("articles", "view_source"),
    ("articles", "view_article"),
    ("articles", "view_articlerevision"),
    ("annotations", "view_actor"),
    ("annotations", "view_actoralias"),
    ("annotations", "view_claim"),
    ("annotations", "view_claimactor"),
    ("annotations", "view_claimsource"),
    ("annotations", "view_claimrelation"),
    ("annotations", "view_review"),
    ("annotations", "view_claimevent"),
]

ROLES = {
    "researcher": VIEW_ALL
    + [
        ("annotations", "add_claim"),
        ("annotations", "change_claim"),
        ("annotations", "delete_claim"),
        ("annotations", "add_claimactor"),
        ("annotations", "change_claimactor"),
        ("annotations", "delete_claimactor"),
        ("annotations", "add_claimsource"),
        ("annotations", "change_claimsource"),
        ("annotations", "delete_claimsource"),
        ("annotations", "add_claimrelation"),
        ("annotations", "add_actor"),
        ("annotations", "add_actoralias"),
        ("articles", "add_source"),
        ("articles", "add_article"),
        ("articles", "change_article"),
    ],
    "reviewer": VIEW_ALL
    + [
        ("annotations", "review_claim"),
        ("annotations", "add_review"),
    ],
    "editor": VIEW_ALL
    + [
        ("annotations", "add_actor"),
        ("annotations", "change_actor"),
        ("annotations", "merge_actor"),
        ("annotations", "add_actoralias"),
        ("annotations", "change_actoralias"),
        ("annotations", "delete_actoralias"),
        ("articles", "add_source"),
        ("articles", "change_source"),
        ("articles", "add_article"),
        ("articles", "change_article"),
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after migrations; make sure they exist now.
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in perms
        ]
        group.permissions.set(wanted)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0001_actors_claims_reviews_events"),
        ("articles", "0001_sources_articles_revisions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
