import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from projects.models import Membership, Project, ProjectEvent
from tests.factories import UserFactory
from tests.projects.conftest import member


@pytest.fixture(autouse=True)
def _fresh_throttles(db):
    cache.clear()


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_list_holds_my_projects_with_my_roles(rita, main, balkans, outsider):
    body = client_for(rita).get(reverse("v1:project-list")).json()
    roles = {item["slug"]: item["roles"] for item in body["results"]}
    assert roles == {"main": ["researcher"], "balkans": ["reviewer", "editor"]}
    empty = client_for(outsider).get(reverse("v1:project-list")).json()
    assert empty["results"] == []


def test_another_projects_id_is_not_found(main, balkans):
    only_main = UserFactory(username="only-main")
    member(main, only_main, "researcher")
    client = client_for(only_main)
    assert client.get(reverse("v1:project-detail", args=[main.pk])).status_code == 200
    for name in ("v1:project-detail", "v1:project-member-list"):
        response = client.get(reverse(name, args=[balkans.pk]))
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    response = client.post(
        reverse("v1:project-member-list", args=[balkans.pk]),
        {"username": "only-main", "roles": ["manager"]},
        format="json",
    )
    assert response.status_code == 404
    assert not Membership.objects.filter(project=balkans, user=only_main).exists()


def test_creating_needs_the_permission_and_makes_a_manager(rita, root):
    data = {"name": "Investigations", "slug": "investigations", "guidelines": "# Rules"}
    refused = client_for(rita).post(reverse("v1:project-list"), data, format="json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    created = client_for(root).post(reverse("v1:project-list"), data, format="json")
    assert created.status_code == 201
    body = created.json()
    assert body["slug"] == "investigations" and body["required_approvals"] >= 1
    assert Membership.objects.get(project_id=body["id"], user=root).roles == ["manager"]


def test_a_duplicate_slug_is_a_field_error(root, main):
    response = client_for(root).post(
        reverse("v1:project-list"), {"name": "Main", "slug": "main"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "slug"


def test_members_see_the_members_and_managers_change_them(main, manager, rita):
    url = reverse("v1:project-member-list", args=[main.pk])
    listed = client_for(rita).get(url).json()["results"]
    assert {(m["username"], tuple(m["roles"])) for m in listed} == {
        ("mona", ("manager",)),
        ("rita-p", ("researcher",)),
    }
    refused = client_for(rita).post(
        url, {"username": "rita-p", "roles": ["manager"]}, format="json"
    )
    assert refused.status_code == 403
    UserFactory(username="newbie")
    added = client_for(manager).post(
        url, {"username": "newbie", "roles": ["reviewer", "researcher"]}, format="json"
    )
    assert added.status_code == 200
    assert added.json()["username"] == "newbie"
    assert added.json()["roles"] == ["researcher", "reviewer"]
    assert ProjectEvent.objects.filter(project=main, kind="member_added", subject="newbie")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"username": "ghost", "roles": ["reviewer"]}, "username"),
        ({"username": "mona", "roles": []}, "roles"),
        ({"username": "mona", "roles": ["boss"]}, "roles"),
    ],
)
def test_bad_member_input_names_the_field(main, manager, payload, field):
    response = client_for(manager).post(
        reverse("v1:project-member-list", args=[main.pk]), payload, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"][0]["field"].split(".")[0] == field


def test_the_last_manager_cannot_step_down(main, manager):
    response = client_for(manager).post(
        reverse("v1:project-member-list", args=[main.pk]),
        {"username": "mona", "roles": ["reviewer"]},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "last_manager"
    own = Membership.objects.get(project=main, user=manager)
    response = client_for(manager).delete(
        reverse("v1:project-member-detail", args=[main.pk, own.pk])
    )
    assert response.status_code == 409
    assert Membership.objects.get(pk=own.pk).is_manager


def test_deleting_a_membership(main, balkans, manager, rita):
    membership = Membership.objects.get(project=main, user=rita)
    other_project = Membership.objects.get(project=balkans, user=rita)
    client = client_for(manager)
    # A membership of another project through this project's URL: not found.
    wrong = client.delete(reverse("v1:project-member-detail", args=[main.pk, other_project.pk]))
    assert wrong.status_code == 404
    response = client.delete(reverse("v1:project-member-detail", args=[main.pk, membership.pk]))
    assert response.status_code == 204
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert main.events.filter(kind="member_removed", subject="rita-p").exists()


def test_article_create_asks_for_a_project_when_there_are_several(rita, main, balkans):
    rita.groups.add(Group.objects.get(name="researcher"))
    client = client_for(type(rita).objects.get(pk=rita.pk))
    data = {"title": "Two desks", "text": "A text for a desk."}
    response = client.post(reverse("v1:article-list"), data, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "project"
    response = client.post(
        reverse("v1:article-list"), {**data, "project": balkans.pk}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["project"] == balkans.pk


def test_project_list_queries_do_not_grow_with_memberships(main, balkans):
    user = UserFactory(username="many")
    member(main, user, "researcher")
    member(balkans, user, "reviewer")

    def count() -> int:
        client = client_for(type(user).objects.get(pk=user.pk))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("v1:project-list")).status_code == 200
        return len(queries)

    before = count()
    for number in range(2):
        project = Project.objects.create(name=f"More {number}", slug=f"more-{number}")
        member(project, user, "editor")
    assert count() == before
