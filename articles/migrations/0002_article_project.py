"""Every existing article belongs to Main desk: one UPDATE, whatever the number of rows.

The column becomes required in the next migration, so that on PostgreSQL the update and
the ALTER TABLE run in separate transactions.
"""

import django.db.models.deletion
from django.db import migrations, models


def into_main_desk(apps, schema_editor):
    main = apps.get_model("projects", "Project").objects.get(slug="main")
    apps.get_model("articles", "Article").objects.filter(project__isnull=True).update(
        project=main
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_sources_articles_revisions"),
        ("projects", "0002_main_desk"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="project",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="articles",
                to="projects.project",
            ),
        ),
        migrations.RunPython(into_main_desk, migrations.RunPython.noop),
    ]
