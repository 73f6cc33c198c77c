"""Fixtures of the API and export tests.

The running example (users of every role and the Albanian cyberattack desk, see
`tests/annotations/exports/builders.py`) is built once per test module inside a
transaction that is rolled back when the module ends, the way Django's
`TestCase.setUpTestData` works: every test still runs in its own savepoint, so what a
test changes is undone before the next one. The role fixtures (`researcher`,
`reviewer`, …) hand out those users, so a test costs no user creation.

Modules whose tests need real commits (`live_server`) must not use these fixtures.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings
from rest_framework.test import APIClient

from tests.annotations.exports.builders import Desk, build_desk
from tests.factories import UserFactory

# The real hasher costs a noticeable time a user; the tests log in often.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    users: dict
    desk: Desk


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        block = transaction.atomic()
        block.__enter__()
        try:
            users = {
                "researcher": UserFactory(username="rita", roles=["researcher"]),
                "other_researcher": UserFactory(username="oscar", roles=["researcher"]),
                "reviewer": UserFactory(username="vera", roles=["reviewer"]),
                "second_reviewer": UserFactory(username="victor", roles=["reviewer"]),
                "editor": UserFactory(username="edith", roles=["editor"]),
                "reader": UserFactory(username="nora", roles=["manager"]),
                "outsider": UserFactory(username="olga"),
                "superuser": UserFactory(username="root"),
            }
            users["superuser"].is_superuser = users["superuser"].is_staff = True
            users["superuser"].save()
            desk = build_desk(
                **{
                    role: users[role]
                    for role in (
                        "researcher",
                        "other_researcher",
                        "reviewer",
                        "second_reviewer",
                        "editor",
                    )
                }
            )
        except BaseException:
            transaction.set_rollback(True)
            block.__exit__(None, None, None)
            raise
    yield World(users=users, desk=desk)
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        block.__exit__(None, None, None)


@pytest.fixture
def desk(world, db) -> Desk:
    return world.desk


@pytest.fixture
def researcher(world, db):
    return world.users["researcher"]


@pytest.fixture
def other_researcher(world, db):
    return world.users["other_researcher"]


@pytest.fixture
def reviewer(world, db):
    return world.users["reviewer"]


@pytest.fixture
def second_reviewer(world, db):
    return world.users["second_reviewer"]


@pytest.fixture
def editor(world, db):
    return world.users["editor"]


@pytest.fixture
def reader(world, db):
    """A member of the desk's project who acts on nothing there: a manager only."""
    return world.users["reader"]


@pytest.fixture
def outsider(world, db):
    """Logged in, in no project."""
    return world.users["outsider"]


@pytest.fixture
def superuser(world, db):
    return world.users["superuser"]


@pytest.fixture(autouse=True)
def empty_cache(request):
    """Throttle counters live in the shared cache: start each test from zero."""
    names = set(request.fixturenames)
    if {"transactional_db", "live_server"} & names:
        request.getfixturevalue("transactional_db")
    elif "db" in names or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
    else:
        yield
        return
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def anon() -> APIClient:
    return APIClient()


@pytest.fixture
def as_user():
    """as_user(user) -> an APIClient authenticated as that user (no CSRF checks)."""

    def make(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make
