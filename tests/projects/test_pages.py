from django.urls import reverse

from projects.current import SESSION_KEY
from projects.models import Membership
from tests.factories import UserFactory
from tests.projects.conftest import member


def test_my_projects_lists_only_mine(client, main, balkans):
    only_main = UserFactory(username="only-main")
    member(main, only_main, "researcher")
    client.force_login(only_main)
    html = client.get(reverse("project_list")).content.decode()
    assert "Main desk" in html and "Balkans" not in html


def test_a_user_in_no_project_sees_a_message(client, outsider):
    client.force_login(outsider)
    response = client.get(reverse("project_list"))
    assert response.status_code == 200
    assert 'data-testid="no-projects"' in response.content.decode()


def test_another_projects_page_is_not_found(client, main, balkans):
    only_main = UserFactory(username="only-main")
    member(main, only_main, "researcher")
    client.force_login(only_main)
    assert client.get(reverse("project_detail", args=["balkans"])).status_code == 404
    assert client.get(reverse("project_settings", args=["balkans"])).status_code == 404


def test_a_manager_adds_a_member_and_changes_roles(client, main, manager):
    UserFactory(username="newbie")
    client.force_login(manager)
    page = client.get(reverse("project_detail", args=["main"])).content.decode()
    assert 'data-testid="add-member"' in page and "csrfmiddlewaretoken" in page
    url = reverse("project_member_set", args=["main"])
    response = client.post(url, {"username": "newbie", "roles": ["researcher"]})
    assert response.status_code == 302
    assert Membership.objects.get(project=main, user__username="newbie").roles == ["researcher"]
    client.post(url, {"username": "newbie", "roles": ["reviewer", "editor"]})
    assert Membership.objects.get(project=main, user__username="newbie").roles == [
        "reviewer",
        "editor",
    ]
    assert main.events.filter(subject="newbie").count() == 2


def test_refusals_are_form_errors(client, main, manager):
    client.force_login(manager)
    url = reverse("project_member_set", args=["main"])
    response = client.post(url, {"username": "ghost", "roles": ["researcher"]})
    assert response.status_code == 400
    assert response.context["member_form"].errors["username"]
    response = client.post(url, {"username": "mona", "roles": ["reviewer"]})
    assert response.status_code == 400
    assert "manager" in str(response.context["member_form"].errors["roles"])


def test_a_manager_removes_a_member(client, main, manager, rita):
    client.force_login(manager)
    membership = Membership.objects.get(project=main, user=rita)
    response = client.post(reverse("project_member_remove", args=["main", membership.pk]))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_a_non_manager_cannot_change_members_or_settings(client, main, rita):
    client.force_login(rita)
    page = client.get(reverse("project_detail", args=["main"])).content.decode()
    assert 'data-testid="add-member"' not in page
    UserFactory(username="newbie")
    response = client.post(
        reverse("project_member_set", args=["main"]), {"username": "newbie", "roles": ["editor"]}
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user__username="newbie").exists()
    assert client.get(reverse("project_settings", args=["main"])).status_code == 403


def test_a_manager_changes_the_settings(client, main, manager):
    client.force_login(manager)
    response = client.post(
        reverse("project_settings", args=["main"]),
        {
            "name": "Main desk",
            "description": "",
            "guidelines": "Quote *exactly*.",
            "required_approvals": 2,
        },
    )
    assert response.status_code == 302
    main.refresh_from_db()
    assert main.required_approvals == 2 and main.guidelines == "Quote *exactly*."


def test_guidelines_are_rendered_without_scripts_or_javascript_links(client, main, rita):
    main.guidelines = (
        "**Bold**\n\n<script>alert('x')</script>\n\n[click](javascript:alert(1)) "
        '<a href="javascript:alert(2)">raw</a> [ok](https://example.org/)'
    )
    main.save()
    client.force_login(rita)
    html = client.get(reverse("project_detail", args=["main"])).content.decode()
    guidelines = html[html.index('data-testid="guidelines"') :]
    assert "<strong>Bold</strong>" in guidelines
    assert "<script>" not in guidelines and "alert('x')" not in guidelines
    assert "javascript:" not in guidelines
    assert 'href="https://example.org/"' in guidelines


def test_the_switcher_shows_my_projects_and_remembers_the_choice(client, main, balkans, manager):
    client.force_login(manager)
    html = client.get(reverse("article_list") + "?project=balkans").content.decode()
    switcher = html[html.index('data-testid="project-switcher"') :]
    switcher = switcher[: switcher.index("</form>")]
    assert '<option value="balkans" selected>Balkans</option>' in switcher
    assert '<option value="main">Main desk</option>' in switcher
    assert client.session[SESSION_KEY] == balkans.pk
    html = client.get(reverse("project_list")).content.decode()
    assert '<option value="balkans" selected>' in html
    assert "?project=balkans" in html


def test_a_project_slug_the_user_is_not_in_is_ignored(client, main, balkans):
    only_main = UserFactory(username="only-main")
    member(main, only_main, "researcher")
    client.force_login(only_main)
    html = client.get(reverse("article_list") + "?project=balkans").content.decode()
    assert "Balkans" not in html
    assert SESSION_KEY not in client.session
