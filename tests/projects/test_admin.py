"""The admin writes through the project services: audited, and the same rules."""

from django.urls import reverse

from projects.models import Membership, Project, ProjectEvent
from tests.factories import UserFactory


def _form(project: Project, rows: list[dict]) -> dict:
    data = {
        "name": project.name,
        "description": project.description,
        "guidelines": "Quote exactly.",
        "required_approvals": project.required_approvals,
        "memberships-TOTAL_FORMS": len(rows),
        "memberships-INITIAL_FORMS": sum(1 for row in rows if row.get("id")),
        "memberships-MIN_NUM_FORMS": 0,
        "memberships-MAX_NUM_FORMS": 1000,
        "events-TOTAL_FORMS": 0,
        "events-INITIAL_FORMS": 0,
        "events-MIN_NUM_FORMS": 0,
        "events-MAX_NUM_FORMS": 1000,
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"memberships-{index}-{key}"] = value
        data[f"memberships-{index}-project"] = project.pk
    return data


def test_the_admin_adds_a_member_and_changes_settings_through_the_services(client, main, root):
    newbie = UserFactory(username="newbie")
    client.force_login(root)
    url = reverse("admin:projects_project_change", args=[main.pk])
    response = client.post(url, _form(main, [{"user": newbie.pk, "is_reviewer": "on"}]))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Membership.objects.get(project=main, user=newbie).roles == ["reviewer"]
    kinds = set(ProjectEvent.objects.filter(project=main).values_list("kind", flat=True))
    assert {"member_added", "settings_changed"} <= kinds
    assert ProjectEvent.objects.get(project=main, kind="member_added").actor == root


def test_the_admin_creates_a_project_with_its_creator_as_manager(client, root):
    client.force_login(root)
    response = client.post(
        reverse("admin:projects_project_add"),
        {**_form(Project(name="Desk", required_approvals=1), []), "slug": "desk"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    project = Project.objects.get(slug="desk")
    assert Membership.objects.get(project=project, user=root).roles == ["manager"]
    assert project.events.filter(kind="created").exists()
