"""Remove the plain-text tokens of `rest_framework.authtoken`, which this app replaces.

Those keys were stored in clear; leaving the table behind would keep every old key
readable in the database. Its migration records and content types go with it, so the
app could be installed again cleanly. Nothing is restored on the way back: the old keys
are gone, and clients ask for new tokens.
"""

from django.db import migrations

OLD_TABLES = ("authtoken_token",)


def drop_plain_tokens(apps, schema_editor):
    connection = schema_editor.connection
    existing = set(connection.introspection.table_names())
    for table in OLD_TABLES:
        if table in existing:
            schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(table)}")
    from django.db.migrations.recorder import MigrationRecorder

    MigrationRecorder(connection).migration_qs.filter(app="authtoken").delete()
    apps.get_model("contenttypes", "ContentType").objects.filter(app_label="authtoken").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_api_tokens"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(drop_plain_tokens, migrations.RunPython.noop)]
