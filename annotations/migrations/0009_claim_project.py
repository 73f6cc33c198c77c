"""Each claim carries its article's project, set in one UPDATE with a subquery (no row
by row work, whatever the number of claims). Required and indexed in the next migration,
so that on PostgreSQL the update and the ALTER TABLE run in separate transactions.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_article_project(apps, schema_editor):
    article_model = apps.get_model("articles", "Article")
    apps.get_model("annotations", "Claim").objects.update(
        project_id=Subquery(
            article_model.objects.filter(pk=OuterRef("article_id")).values("project_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0008_refold_actor_names"),
        ("articles", "0003_article_project_required"),
        ("projects", "0002_main_desk"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="project",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="claims",
                to="projects.project",
            ),
        ),
        migrations.RunPython(copy_article_project, migrations.RunPython.noop),
    ]
