"""Two desks: Main desk (from the migration) and Balkans, with members in each role."""

import pytest

from projects.models import Membership, Project
from tests.factories import UserFactory, main_desk


def member(project: Project, user, *roles: str) -> Membership:
    return Membership.objects.create(
        project=project, user=user, **{f"is_{role}": True for role in roles}
    )


@pytest.fixture
def main(db):
    return main_desk()


@pytest.fixture
def balkans(db):
    return Project.objects.create(name="Balkans", slug="balkans")


@pytest.fixture
def manager(main, balkans):
    """Manages both desks."""
    user = UserFactory(username="mona")
    member(main, user, "manager")
    member(balkans, user, "manager", "reviewer")
    return user


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def outsider(db):
    """Logged in, in no project."""
    return UserFactory(username="nobody")


@pytest.fixture
def rita(main, balkans):
    """A researcher in Main desk, a reviewer and editor in Balkans."""
    user = UserFactory(username="rita-p")
    member(main, user, "researcher")
    member(balkans, user, "reviewer", "editor")
    return user
