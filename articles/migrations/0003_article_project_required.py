import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("articles", "0002_article_project")]

    operations = [
        migrations.AlterField(
            model_name="article",
            name="project",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="articles",
                to="projects.project",
            ),
        ),
    ]
