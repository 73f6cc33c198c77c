"""On PostgreSQL, claims moved to another status, project or claimant are counted once a
statement (transition tables) instead of row by row: the triggers are made again from
`annotations.claim_counts` and `annotations.actor_counts`. SQLite keeps its row
triggers. The counts themselves do not change."""

from django.db import migrations

from annotations import actor_counts, claim_counts


def count_moves_per_statement(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for module in (claim_counts, actor_counts):
        create, drop = module.trigger_sql("postgresql")
        for statement in [*drop, *create]:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("annotations", "0018_claim_page_orders")]

    operations = [
        # Going back leaves the statement triggers, which count the same.
        migrations.RunPython(count_moves_per_statement, migrations.RunPython.noop),
    ]
