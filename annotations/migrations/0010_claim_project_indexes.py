import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("annotations", "0009_claim_project")]

    operations = [
        migrations.AlterField(
            model_name="claim",
            name="project",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="claims",
                to="projects.project",
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                fields=["project", "status", "id"], name="claim_project_status_id_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                fields=["project", "status", "submitted_at"], name="claim_project_submitted_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                fields=["project", "status", "modified"], name="claim_project_modified_idx"
            ),
        ),
    ]
