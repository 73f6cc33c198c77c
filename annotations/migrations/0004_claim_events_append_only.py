"""The audit trail is append-only in the database too, not only in `ClaimEvent.save()`.

`QuerySet.update()` and `QuerySet.delete()` (and raw SQL) never call the model's
methods, so a trigger refuses them:

- PostgreSQL: a row trigger refuses every UPDATE and DELETE of a claim event.
  TRUNCATE (used by `manage.py flush` and by the test suite between transactional
  tests) fires no row trigger and stays possible for the table's owner: it is an
  administrator's act, like dropping the trigger.
- SQLite: a trigger refuses every UPDATE. DELETE is left to the model, because
  Django's `flush` on SQLite deletes row by row and a DELETE trigger would stop it;
  SQLite is the development database.

INSERT is untouched, so restoring a backup (`loaddata`) works.
"""

from django.db import migrations

FUNCTION = "claimdesk_claimevent_append_only"
TRIGGER = "claimevent_append_only"
SQLITE_TRIGGER = "claimevent_no_update"


def _table(apps):
    return apps.get_model("annotations", "ClaimEvent")._meta.db_table


def create_guard(apps, schema_editor):
    connection = schema_editor.connection
    table = schema_editor.quote_name(_table(apps))
    if connection.vendor == "postgresql":
        schema_editor.execute(
            f"""
            CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'Claim events are append-only: % refused', TG_OP
                    USING ERRCODE = 'restrict_violation';
            END;
            $$
            """,
            params=None,  # no placeholders: the `%` above belongs to PL/pgSQL
        )
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}")
        schema_editor.execute(
            f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
        )
    elif connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE TRIGGER IF NOT EXISTS {SQLITE_TRIGGER} BEFORE UPDATE ON {table} "
            "BEGIN SELECT RAISE(ABORT, 'Claim events are append-only: UPDATE refused'); END"
        )


def drop_guard(apps, schema_editor):
    connection = schema_editor.connection
    table = schema_editor.quote_name(_table(apps))
    if connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
    elif connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {SQLITE_TRIGGER}")


class Migration(migrations.Migration):
    dependencies = [("annotations", "0003_cache_table")]

    operations = [migrations.RunPython(create_guard, drop_guard)]
