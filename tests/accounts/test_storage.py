"""Tokens outside the API: not in backups, and DRF's old plain-text table removed."""

from __future__ import annotations

import gzip
import importlib

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from accounts.services import token_create

pytestmark = pytest.mark.django_db


def test_a_backup_holds_no_token(tmp_path, researcher):
    token, key = token_create(user=researcher, name="kept out")
    backup = tmp_path / "claimdesk.json.gz"
    call_command("backup", str(backup), verbosity=0)
    with gzip.open(backup, "rt") as file:
        text = file.read()
    assert '"rita"' in text  # the user is there
    for absent in (key, token.digest, token.prefix, "accounts.apitoken"):
        assert absent not in text


# Outside a transaction: SQLite's schema editor refuses to run inside one.
@pytest.mark.django_db(transaction=True)
def test_the_upgrade_drops_the_plain_text_tokens_of_the_old_table():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY)")
        cursor.execute("INSERT INTO authtoken_token VALUES ('0123456789abcdef0123')")
    MigrationRecorder(connection).record_applied("authtoken", "0001_initial")
    content_types = apps.get_model("contenttypes", "ContentType")
    content_types.objects.create(app_label="authtoken", model="token")

    migration = importlib.import_module("accounts.migrations.0002_drop_plain_tokens")
    with connection.schema_editor() as editor:
        migration.drop_plain_tokens(apps, editor)

    assert "authtoken_token" not in connection.introspection.table_names()
    assert not MigrationRecorder(connection).migration_qs.filter(app="authtoken").exists()
    assert not content_types.objects.filter(app_label="authtoken").exists()


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_step_is_harmless_on_a_new_database():
    migration = importlib.import_module("accounts.migrations.0002_drop_plain_tokens")
    with connection.schema_editor() as editor:
        migration.drop_plain_tokens(apps, editor)
    assert "accounts_apitoken" in connection.introspection.table_names()
