import pytest
from django.db import IntegrityError, transaction

from projects import access
from projects.models import Membership, Project, ProjectEvent
from projects.roles import ROLE_FIELDS, ROLES
from tests.factories import UserFactory
from tests.projects.conftest import member


def test_a_membership_needs_a_role(main):
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(project=main, user=user)


def test_one_membership_per_user_and_project(main):
    user = UserFactory()
    member(main, user, "researcher")
    with pytest.raises(IntegrityError), transaction.atomic():
        member(main, user, "reviewer")


def test_required_approvals_is_positive_in_the_database(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.create(name="Zero", slug="zero", required_approvals=0)


def test_required_approvals_defaults_to_the_setting(db, settings):
    settings.REQUIRED_APPROVALS = 3
    assert Project.objects.create(name="Three", slug="three").required_approvals == 3


def test_every_role_has_its_field():
    assert ROLES == ("researcher", "reviewer", "editor", "manager")
    assert all(hasattr(Membership, field) for field in ROLE_FIELDS.values())


def test_project_events_are_append_only(main):
    event = ProjectEvent.objects.create(project=main, kind="created")
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


def test_access_answers_from_the_memberships(main, balkans, manager, outsider):
    rita = UserFactory(username="rita-a")
    member(main, rita, "researcher", "editor")
    assert access.project_ids(rita) == {main.pk}
    assert access.project_ids(rita, "editor") == {main.pk}
    assert access.project_ids(rita, "reviewer") == frozenset()
    assert access.roles_in(rita, main.pk) == {"researcher", "editor"}
    assert access.roles_in(rita, balkans.pk) == set()
    assert access.has_role(rita, main.pk, "researcher")
    assert not access.has_role(rita, balkans.pk, "researcher")
    assert list(access.projects_for(rita)) == [main]
    assert access.project_ids(manager, "reviewer") == {balkans.pk}
    assert access.project_ids(outsider) == frozenset()
    assert list(access.projects_for(outsider)) == []


def test_superusers_are_in_every_project_with_every_role(main, balkans, root):
    assert access.project_ids(root) == {main.pk, balkans.pk}
    assert access.roles_in(root, balkans.pk) == set(ROLES)
    assert access.has_role(root, main.pk, "manager")


def test_anonymous_users_are_in_no_project(main):
    from django.contrib.auth.models import AnonymousUser

    assert access.project_ids(AnonymousUser()) == frozenset()
    assert not access.has_role(None, main.pk, "researcher")


def test_access_asks_the_database_once_per_user_object(
    main, balkans, manager, django_assert_num_queries
):
    with django_assert_num_queries(1):
        access.project_ids(manager)
        access.has_role(manager, main.pk, "manager")
        access.roles_in(manager, balkans.pk)
        access.project_ids(manager, "reviewer")


def test_an_unknown_role_is_a_programming_error(manager):
    with pytest.raises(ValueError):
        access.project_ids(manager, "boss")
