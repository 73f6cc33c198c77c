"""From the schema before projects, with data, to Main desk: every article and claim
lands there, and every member of a role group keeps the same roles in it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("annotations", "0008_refold_actor_names"),
    ("articles", "0001_sources_articles_revisions"),
    ("projects", None),
]


def _latest(executor) -> list[tuple[str, str]]:
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_main_desk_holds_everything_and_every_group_member():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = MigrationExecutor(connection).loader.project_state(BEFORE[:2]).apps
    user_model = old.get_model("auth", "User")
    group = {g.name: g for g in old.get_model("auth", "Group").objects.all()}
    people = {
        "mig-rita": ["researcher"],
        "mig-vera": ["reviewer"],
        "mig-both": ["researcher", "editor"],
        "mig-all": ["researcher", "reviewer", "editor"],
        "mig-none": [],
    }
    for username, roles in people.items():
        user = user_model.objects.create(username=username)
        user.groups.set([group[role] for role in roles])
    author = user_model.objects.get(username="mig-rita")
    article_model = old.get_model("articles", "Article")
    revision_model = old.get_model("articles", "ArticleRevision")
    claim_model = old.get_model("annotations", "Claim")
    actor = old.get_model("annotations", "Actor").objects.create(name="Iran", kind="state")
    for number in range(3):
        text = f"Tehran denied it, number {number}."
        article = article_model.objects.create(
            title=f"Old {number}", text=text, text_sha256=f"{number:064d}"
        )
        revision = revision_model.objects.create(
            article=article, number=1, text=text, sha256=f"{number:064d}"
        )
        for _ in range(2):
            claim_model.objects.create(
                article=article,
                revision=revision,
                start=0,
                end=6,
                exact="Tehran",
                statement="Tehran denied it.",
                claimant=actor,
                author=author,
            )

    executor = MigrationExecutor(connection)
    executor.migrate(_latest(executor))

    from annotations.models import Claim
    from articles.models import Article
    from projects.models import Membership, Project

    main = Project.objects.get(slug="main")
    assert main.name == "Main desk"
    assert Article.objects.count() == 3
    assert set(Article.objects.values_list("project_id", flat=True)) == {main.pk}
    assert Claim.objects.count() == 6
    assert set(Claim.objects.values_list("project_id", flat=True)) == {main.pk}
    from django.contrib.auth import get_user_model

    from annotations.roles import can_annotate, can_manage_registry, can_review

    for username, roles in people.items():
        membership = Membership.objects.filter(user__username=username, project=main).first()
        if roles:
            assert membership is not None and sorted(membership.roles) == sorted(roles), username
        else:
            assert membership is None
        # What each could do before, they can do in Main desk now.
        user = get_user_model().objects.get(username=username)
        assert can_annotate(user, main.pk) is ("researcher" in roles), username
        assert can_review(user, main.pk) is ("reviewer" in roles), username
        assert can_manage_registry(user) is ("editor" in roles), username
