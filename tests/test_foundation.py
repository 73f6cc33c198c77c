"""The foundation's guarantees: database constraints, PROTECT, roles, settings, demo data."""

import importlib
import os
import subprocess
import sys

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import ProtectedError

from annotations.models import Actor, ActorAlias, Claim, ClaimActor, ClaimEvent, Review
from annotations.roles import ROLE_PERMISSIONS, grant_roles, sync_role_groups
from articles.models import Article, ArticleRevision, Source
from tests.conftest import REPO
from tests.factories import make_claim


def _raw_claim(claim, **changes):
    """Copy an existing claim's row with some fields changed, straight to the database."""
    fields = {
        f.attname: getattr(claim, f.attname)
        for f in Claim._meta.concrete_fields
        if not f.primary_key
    }
    fields.update(changes)
    return Claim.objects.bulk_create([Claim(**fields)])


@pytest.mark.parametrize(
    "changes",
    [{"start": -1, "end": 5}, {"start": 10, "end": 10}, {"start": 12, "end": 3}],
    ids=["negative-start", "empty-span", "start-after-end"],
)
def test_database_rejects_bad_offsets(draft_claim, changes):
    with pytest.raises(IntegrityError), transaction.atomic():
        _raw_claim(draft_claim, **changes)


def test_database_rejects_unknown_status(draft_claim):
    with pytest.raises(IntegrityError), transaction.atomic():
        _raw_claim(draft_claim, status="published")


def test_article_with_claims_cannot_be_deleted(draft_claim):
    with pytest.raises(ProtectedError):
        draft_claim.article.delete()
    assert Article.objects.filter(pk=draft_claim.article_id).exists()


def test_revision_with_claims_cannot_be_deleted(draft_claim):
    with pytest.raises(ProtectedError):
        draft_claim.revision.delete()


def test_claimant_actor_cannot_be_deleted(draft_claim):
    with pytest.raises(ProtectedError):
        draft_claim.claimant.delete()
    assert Actor.objects.filter(pk=draft_claim.claimant_id).exists()


def test_source_cited_by_a_claim_cannot_be_deleted(researcher, article):
    source = Source.objects.create(name="Investigation report", kind="investigation")
    make_claim(author=researcher, article=article, sources=[(source, "p. 2")])
    with pytest.raises(ProtectedError):
        source.delete()


def test_source_url_unique_when_set(db):
    Source.objects.create(name="A", url="")
    Source.objects.create(name="B", url="")
    Source.objects.create(name="C", url="https://example.org/a")
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(name="D", url="https://example.org/a")


def test_events_are_append_only(draft_claim):
    event = ClaimEvent.objects.get(claim=draft_claim)
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


@pytest.mark.parametrize(
    ("role", "granted", "refused"),
    [
        (
            "researcher",
            ["annotations.add_claim", "annotations.add_actor"],
            ["annotations.review_claim", "annotations.merge_actor"],
        ),
        (
            "reviewer",
            ["annotations.review_claim", "annotations.view_claim"],
            ["annotations.add_claim", "annotations.change_actor"],
        ),
        (
            "editor",
            ["annotations.merge_actor", "annotations.change_actor", "articles.change_source"],
            ["annotations.add_claim", "annotations.review_claim"],
        ),
    ],
)
def test_roles_exist_with_their_permissions(db, role, granted, refused):
    from tests.factories import UserFactory

    group = Group.objects.get(name=role)
    assert group.permissions.exists()
    user = UserFactory(username=f"someone-{role}", roles=[role])
    for perm in granted:
        assert user.has_perm(perm), perm
    for perm in refused:
        assert not user.has_perm(perm), perm


def test_test_users_get_their_roles_even_after_a_flush(db):
    """A transactional test empties every table, the role groups the migration made
    included; users built after it must still get their roles, and a role that does
    not exist is refused rather than silently left out."""
    from tests.factories import UserFactory

    Group.objects.all().delete()
    user = UserFactory(username="after-flush", roles=["reviewer"])
    assert user.has_perm("annotations.review_claim")
    with pytest.raises(ValueError, match="no such role: nope"):
        UserFactory(username="nobody", roles=["nope"])


def _groups_as_permissions() -> dict[str, set[str]]:
    return {
        group.name: {
            f"{permission.content_type.app_label}.{permission.codename}"
            for permission in group.permissions.select_related("content_type")
        }
        for group in Group.objects.filter(name__in=ROLE_PERMISSIONS)
    }


def test_the_roles_migration_makes_exactly_the_groups_of_the_roles_module(db):
    """The migration keeps its own frozen copy of the map; running it must give each
    group exactly the permissions `ROLE_PERMISSIONS` says, no more and no fewer."""
    migration = importlib.import_module("annotations.migrations.0002_roles")
    state = MigrationExecutor(connection).loader.project_state(("annotations", "0002_roles"))
    Group.objects.all().delete()

    migration.create_roles(state.apps, None)

    assert _groups_as_permissions() == {
        role: set(permissions) for role, permissions in ROLE_PERMISSIONS.items()
    }


def test_syncing_the_role_groups_restores_exactly_their_permissions(db):
    Group.objects.get(name="reviewer").delete()
    researcher = Group.objects.get(name="researcher")
    researcher.permissions.add(Permission.objects.get(codename="merge_actor"))
    researcher.permissions.remove(Permission.objects.get(codename="add_claim"))

    sync_role_groups()

    assert _groups_as_permissions() == {
        role: set(permissions) for role, permissions in ROLE_PERMISSIONS.items()
    }


def test_a_name_that_is_no_role_is_refused_even_if_such_a_group_exists(db):
    from tests.factories import UserFactory

    Group.objects.create(name="admins")
    user = UserFactory(username="someone")
    with pytest.raises(ValueError, match="no such role: admins"):
        grant_roles(user, ["admins"])
    assert not user.groups.exists()


def _settings_process(env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_settings_refuse_to_start_without_secret_key_when_debug_is_off():
    result = _settings_process({"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_settings_start_with_a_secret_key():
    result = _settings_process({"DEBUG": "0", "SECRET_KEY": "x" * 50})
    assert result.returncode == 0, result.stderr


def test_check_deploy_is_clean_with_production_settings():
    # The browser tests allow sync ORM calls next to Playwright's loop in this process;
    # a deployment must not inherit that.
    harness = {"DEBUG", "SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in harness}
    env.update(
        SECRET_KEY="p" * 20 + "roduction-key-" + "k" * 30, ALLOWED_HOSTS="claims.example.org"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


DEMO_MODELS = [
    Article,
    ArticleRevision,
    Source,
    Actor,
    ActorAlias,
    Claim,
    ClaimActor,
    Review,
    ClaimEvent,
]


def _counts():
    from django.contrib.auth import get_user_model

    counts = {model.__name__: model.objects.count() for model in DEMO_MODELS}
    counts["User"] = get_user_model().objects.count()
    return counts


def test_seed_demo_twice_gives_the_same_counts(db, capsys):
    call_command("seed_demo")
    first = _counts()
    out = capsys.readouterr().out
    assert "researcher" in out and "reviewer" in out and "editor" in out
    call_command("seed_demo")
    assert _counts() == first
    assert set(Claim.objects.values_list("status", flat=True)) == {
        "draft",
        "submitted",
        "changes_requested",
        "approved",
        "rejected",
    }
    assert first["Review"] > 0 and first["ClaimEvent"] > first["Claim"]


def test_seed_demo_models_the_running_example(db):
    call_command("seed_demo")
    iran = Actor.objects.get(name="Iran")
    assert {"Tehran", "the Iranian state"} <= set(iran.aliases.values_list("name", flat=True))
    ministry = Actor.objects.get(name="Ministry of Intelligence of Iran")
    assert ministry.parent == iran
    denial = Claim.objects.filter(claimant=iran, certainty="denied").first()
    assert denial is not None
    assert (
        ClaimActor.objects.filter(claim=denial, role="denier").exists() or denial.claimant == iran
    )
    for claim in Claim.objects.all():
        assert claim.revision.text[claim.start : claim.end] == claim.exact
