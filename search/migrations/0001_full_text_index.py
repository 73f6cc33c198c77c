"""The full-text index of articles, claims, actors and aliases (see `search.index`)."""

from django.db import migrations

from search.index import INDEXED, create_sql, drop_sql


def create(apps, schema_editor):
    for indexed in INDEXED:
        for statement in create_sql(schema_editor.connection.vendor, indexed):
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    for indexed in INDEXED:
        for statement in drop_sql(schema_editor.connection.vendor, indexed):
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0014_project_claim_counts"),
        ("articles", "0004_url_unique_per_project"),
    ]

    operations = [migrations.RunPython(create, drop)]
