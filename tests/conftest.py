"""Fixtures shared by the whole suite: one user per role, and a claim in each status."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from annotations.roles import sync_role_groups
from tests.browser_support import browser, login, page  # noqa: F401  (fixtures)
from tests.factories import ArticleFactory, UserFactory, make_claim

# Hashing passwords properly is most of the cost of creating users; tests do not need it.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

REPO = Path(__file__).resolve().parent.parent
CONFORMANCE = REPO.parent / "shared" / "conformance"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Create the test database as usual; before it is dropped, end the sessions that
    threads of race, fault and live-server tests may have left open, which would
    otherwise make PostgreSQL refuse to drop it."""
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            # A fault test may have ended this very session: start a fresh one to ask.
            connection.close()
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.fixture(autouse=True)
def _role_groups(request):
    """Bring back the role groups after a transactional test flushed the database."""
    if not (
        DATABASE_FIXTURES & set(request.fixturenames)
        or request.node.get_closest_marker("django_db")
    ):
        return
    request.getfixturevalue(
        "transactional_db"
        if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames
        else "db"
    )
    from django.contrib.auth.models import Group

    if Group.objects.count() < 3:
        sync_role_groups()


@pytest.fixture(autouse=True)
def _replica_only_when_asked(request):
    """Keep every read on the primary unless the test lets the database `replica`.

    The replica alias is a test mirror: a second connection, outside the transaction in
    which a test and its module's fixtures make their rows, so it sees none of them, and
    Django refuses queries to an alias the test did not list. A test that reads through
    the replica says so with `django_db(transaction=True, databases=["default",
    "replica"])`; for the others the router is removed for the test, in every thread.
    """
    if "replica" not in settings.DATABASES:
        yield
        return
    marker = request.node.get_closest_marker("django_db")
    databases = marker.kwargs.get("databases") if marker else None
    if databases == "__all__" or (databases and "replica" in databases):
        yield
        return
    with override_settings(DATABASE_ROUTERS=[]):
        yield


@pytest.fixture
def conformance_dir() -> Path:
    if not CONFORMANCE.is_dir():
        pytest.fail(
            f"the shared conformance material is missing beside the repository: {CONFORMANCE}"
        )
    return CONFORMANCE


@pytest.fixture
def researcher(db):
    return UserFactory(username="rita", roles=["researcher"])


@pytest.fixture
def other_researcher(db):
    return UserFactory(username="oscar", roles=["researcher"])


@pytest.fixture
def reviewer(db):
    return UserFactory(username="vera", roles=["reviewer"])


@pytest.fixture
def second_reviewer(db):
    return UserFactory(username="victor", roles=["reviewer"])


@pytest.fixture
def editor(db):
    return UserFactory(username="edith", roles=["editor"])


@pytest.fixture
def superuser(db):
    user = UserFactory(username="root")
    user.is_superuser = True
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def reader(db):
    """A member of Main desk who reads its work and acts on none of it: a manager only
    (managers look after the members, not the claims)."""
    return UserFactory(username="nora", roles=["manager"])


@pytest.fixture
def outsider(db):
    """Logged in, in no project."""
    return UserFactory(username="olga")


@pytest.fixture
def article(db):
    return ArticleFactory()


@pytest.fixture
def draft_claim(researcher, article):
    return make_claim(author=researcher, article=article)


@pytest.fixture
def submitted_claim(researcher, article):
    from annotations.services.claims import claim_submit

    claim = make_claim(author=researcher, article=article)
    return claim_submit(user=researcher, claim_id=claim.pk, version=claim.version)
