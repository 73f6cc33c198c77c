"""Every project service with its "may I?" check: a table of who may do what, and the
service agrees with the check."""

import pytest
from django.contrib.auth.models import Permission
from django.db.models import F

from annotations.models import Claim
from claimdesk.errors import InvalidInput, LastManager, NotAllowed
from projects import access, services
from projects.models import Membership, ProjectEvent, ProjectEventKind
from tests.factories import ArticleFactory, UserFactory, make_claim
from tests.projects.conftest import member

# role in Main desk (None: no membership; "superuser") -> may change settings and members
TABLE = {
    "researcher": False,
    "reviewer": False,
    "editor": False,
    "manager": True,
    None: False,
    "superuser": True,
}


def _user(main, role):
    if role == "superuser":
        return UserFactory(username="root-s", is_superuser=True)
    user = UserFactory(username=f"u-{role}")
    if role is not None:
        member(main, user, role)
    return user


@pytest.mark.parametrize(("role", "allowed"), TABLE.items())
def test_settings_check_and_service_agree(main, role, allowed):
    user = _user(main, role)
    assert services.may_update_project(user, main) is allowed
    if allowed:
        project = services.project_update(user=user, project=main, guidelines="Be exact.")
        assert project.guidelines == "Be exact."
        event = ProjectEvent.objects.get(project=main, kind=ProjectEventKind.SETTINGS_CHANGED)
        assert event.before == {"guidelines": ""} and event.after == {"guidelines": "Be exact."}
        assert event.actor == user
    else:
        with pytest.raises(NotAllowed):
            services.project_update(user=user, project=main, guidelines="Be exact.")
        assert not ProjectEvent.objects.filter(kind=ProjectEventKind.SETTINGS_CHANGED).exists()


@pytest.mark.parametrize(("role", "allowed"), TABLE.items())
def test_membership_check_and_services_agree(main, role, allowed):
    user = _user(main, role)
    newcomer = UserFactory(username="newcomer")
    assert services.may_manage_members(user, main) is allowed
    if allowed:
        membership = services.membership_set(
            user=user, project=main, username="newcomer", roles=["reviewer"]
        )
        assert membership.roles == ["reviewer"]
        services.membership_remove(user=user, membership=membership)
        assert not Membership.objects.filter(user=newcomer).exists()
    else:
        with pytest.raises(NotAllowed):
            services.membership_set(
                user=user, project=main, username="newcomer", roles=["reviewer"]
            )
        target = member(main, newcomer, "reviewer")
        with pytest.raises(NotAllowed):
            services.membership_remove(user=user, membership=target)
        assert Membership.objects.filter(pk=target.pk).exists()


@pytest.mark.parametrize(
    ("kind", "allowed"),
    [("plain", False), ("with_permission", True), ("superuser", True)],
)
def test_creating_a_project_needs_the_permission(db, kind, allowed):
    user = UserFactory(username=f"creator-{kind}", is_superuser=kind == "superuser")
    if kind == "with_permission":
        user.user_permissions.add(Permission.objects.get(codename="add_project"))
        user = type(user).objects.get(pk=user.pk)
    assert services.may_create_project(user) is allowed
    if not allowed:
        with pytest.raises(NotAllowed):
            services.project_create(user=user, name="Desk", slug="desk")
        return
    project = services.project_create(user=user, name="Desk", slug="desk", guidelines="# G")
    assert Membership.objects.get(project=project, user=user).roles == ["manager"]
    assert list(project.events.values_list("kind", flat=True)) == ["created", "member_added"]


def test_a_slug_is_unique(manager, main):
    manager.is_superuser = True
    with pytest.raises(InvalidInput) as caught:
        services.project_create(user=manager, name="Again", slug="main")
    assert caught.value.errors[0]["field"] == "slug"


def test_membership_set_adds_then_changes_roles_with_events(main, manager):
    UserFactory(username="ana")
    services.membership_set(user=manager, project=main, username="ana", roles=["researcher"])
    services.membership_set(
        user=manager, project=main, username="ana", roles=["editor", "researcher"]
    )
    services.membership_set(
        user=manager, project=main, username="ana", roles=["researcher", "editor"]
    )
    events = list(main.events.filter(subject="ana").values_list("kind", "before", "after"))
    assert events == [
        ("member_added", {}, {"roles": ["researcher"]}),
        ("roles_changed", {"roles": ["researcher"]}, {"roles": ["researcher", "editor"]}),
    ]


def test_an_unknown_username_is_invalid_on_username(main, manager):
    with pytest.raises(InvalidInput) as caught:
        services.membership_set(user=manager, project=main, username="ghost", roles=["reviewer"])
    assert caught.value.errors[0]["field"] == "username"


@pytest.mark.parametrize("roles", [[], ["boss"]])
def test_roles_must_be_known_and_not_empty(main, manager, roles):
    UserFactory(username="ana")
    with pytest.raises(InvalidInput) as caught:
        services.membership_set(user=manager, project=main, username="ana", roles=roles)
    assert caught.value.errors[0]["field"] == "roles"


def test_the_last_manager_stays(main, manager):
    own = Membership.objects.get(project=main, user=manager)
    with pytest.raises(LastManager):
        services.membership_set(user=manager, project=main, username="mona", roles=["reviewer"])
    with pytest.raises(LastManager):
        services.membership_remove(user=manager, membership=own)
    assert Membership.objects.get(pk=own.pk).is_manager
    other = UserFactory(username="second")
    services.membership_set(user=manager, project=main, username="second", roles=["manager"])
    services.membership_remove(user=manager, membership=own)
    assert access.roles_in(other, main.pk) == {"manager"}
    assert main.events.filter(kind="member_removed", subject="mona").exists()


def test_removing_a_member_forgets_their_cached_roles(main, manager):
    ana = UserFactory(username="ana")
    membership = member(main, ana, "researcher")
    assert access.is_member(ana, main.pk)
    services.membership_remove(user=manager, membership=membership)
    # The service cleared the cache of the user object it held, not of this one.
    access.forget(ana)
    assert not access.is_member(ana, main.pk)


# -- moving an article ------------------------------------------------------------------


@pytest.fixture
def article_with_claims(main, researcher):
    article = ArticleFactory(project=main)
    make_claim(author=researcher, article=article)
    make_claim(author=researcher, article=article, exact="Tehran rejected the accusation")
    return article


def _claims_follow_their_articles() -> bool:
    return not Claim.objects.exclude(project_id=F("article__project_id")).exists()


def test_claims_take_their_articles_project_at_creation(article_with_claims, main):
    assert set(article_with_claims.claims.values_list("project_id", flat=True)) == {main.pk}
    assert _claims_follow_their_articles()


def test_a_manager_of_both_moves_an_article_with_its_claims(
    article_with_claims, main, balkans, manager
):
    assert services.may_move_article(manager, main.pk, balkans.pk)
    services.article_move(user=manager, article_id=article_with_claims.pk, to_project_id=balkans.pk)
    article_with_claims.refresh_from_db()
    assert article_with_claims.project == balkans
    assert set(article_with_claims.claims.values_list("project_id", flat=True)) == {balkans.pk}
    assert _claims_follow_their_articles()
    subject = str(article_with_claims.pk)
    out = main.events.get(kind=ProjectEventKind.ARTICLE_MOVED_OUT, subject=subject)
    into = balkans.events.get(kind=ProjectEventKind.ARTICLE_MOVED_IN, subject=subject)
    assert out.after == into.after == {"project": "balkans", "claims": 2}
    assert out.actor == into.actor == manager


def test_a_manager_of_one_project_only_cannot_move(article_with_claims, main, balkans):
    half = UserFactory(username="half")
    member(main, half, "manager")
    member(balkans, half, "researcher")
    assert not services.may_move_article(half, main.pk, balkans.pk)
    with pytest.raises(NotAllowed):
        services.article_move(
            user=half, article_id=article_with_claims.pk, to_project_id=balkans.pk
        )
    article_with_claims.refresh_from_db()
    assert article_with_claims.project == main
    assert set(article_with_claims.claims.values_list("project_id", flat=True)) == {main.pk}
    assert not ProjectEvent.objects.filter(kind__startswith="article_moved").exists()


def test_a_project_the_mover_cannot_see_is_invalid(article_with_claims, balkans):
    stranger = UserFactory(username="stranger")
    member(balkans, stranger, "manager")
    with pytest.raises(InvalidInput) as caught:
        services.article_move(
            user=stranger, article_id=article_with_claims.pk, to_project_id=balkans.pk
        )
    assert caught.value.errors[0]["field"] == "article"
