"""A new article goes into a project: the one named, or the only one the user may use."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from articles.models import Article
from articles.services import article_create
from claimdesk.errors import InvalidInput
from projects.models import Membership, Project
from tests.factories import UserFactory
from tests.projects.conftest import member


def test_the_only_project_is_the_default(main, researcher):
    article = article_create(user=researcher, title="One desk", text="A text.")
    assert article.project == main


def test_several_projects_need_a_choice(main, balkans, researcher):
    member(balkans, researcher, "editor")
    with pytest.raises(InvalidInput) as caught:
        article_create(user=researcher, title="Two desks", text="A text.")
    assert caught.value.errors[0]["field"] == "project"
    article = article_create(user=researcher, title="Two desks", text="A text.", project=balkans)
    assert article.project == balkans


def test_a_project_without_the_role_is_refused(main, balkans, researcher):
    member(balkans, researcher, "reviewer")
    with pytest.raises(InvalidInput):
        article_create(user=researcher, title="Not here", text="A text.", project=balkans.pk)
    assert not Article.objects.exists()


def test_a_user_in_no_project_is_told_so(db):
    # A researcher by the site's groups, but a member of no project.
    user = UserFactory(roles=["researcher"])
    Membership.objects.filter(user=user).delete()
    with pytest.raises(PermissionDenied, match="Only researchers and editors"):
        article_create(user=user, title="Nowhere", text="A text.")


def test_the_import_command_takes_a_project(main, balkans, tmp_path):
    path = tmp_path / "one.txt"
    path.write_text("A headline\n\nThe text of the article.", encoding="utf-8")
    with pytest.raises(CommandError, match="--project"):
        call_command("import_articles", str(path), verbosity=0)
    call_command("import_articles", str(path), "--project", "balkans", verbosity=0)
    assert Article.objects.get().project == balkans
    with pytest.raises(CommandError, match="no project"):
        call_command("import_articles", str(path), "--project", "nope", verbosity=0)


def test_the_demo_has_two_desks_with_one_user_in_both(db, capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "bora" in out and "balkans" in out
    main, balkans = Project.objects.get(slug="main"), Project.objects.get(slug="balkans")
    roles = {
        (m.project.slug, m.user.username): m.roles
        for m in Membership.objects.select_related("project", "user")
    }
    assert roles[("main", "oscar")] != roles[("balkans", "oscar")]
    main_members = {name for slug, name in roles if slug == "main"}
    balkans_members = {name for slug, name in roles if slug == "balkans"}
    assert main_members != balkans_members and main_members & balkans_members == {"oscar", "rita"}
    assert "admin" not in main_members | balkans_members
    assert Article.objects.filter(project=balkans).exists()
    assert Article.objects.filter(project=main).exists()
    for article in Article.objects.all():
        assert set(article.claims.values_list("project_id", flat=True)) <= {article.project_id}
