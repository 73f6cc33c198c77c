"""`manage.py backup FILE --project SLUG`: one desk's rows, with the users and the shared
registry they point to, restorable on their own into an empty database.

Outside the test's transaction, as an operator runs the commands (see the full backup's
test in tests/security/test_faults.py).
"""

from __future__ import annotations

import gzip
import json
from collections import defaultdict

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from annotations import actor_counts
from annotations.models import (
    Actor,
    ActorAlias,
    Claim,
    ClaimActor,
    ClaimEvent,
    ClaimRelation,
    ClaimSource,
    RelationKind,
    Review,
)
from annotations.project_backup import UnscopedModel, project_scope
from annotations.services import claims as claim_services
from annotations.services.reviews import review_decide
from articles.models import Article, ArticleRevision, Source
from projects.models import Membership, Project, ProjectEvent
from publishing.models import DeskPublishing, Publication
from publishing.services import claim_publish
from suggestions.models import SuggestionOutcome
from tests.factories import ActorFactory, make_claim
from tests.security.world import ensure_roles


def serialized(queryset) -> list[dict]:
    return serializers.serialize(
        "python",
        queryset.order_by("pk"),
        use_natural_foreign_keys=True,
        use_natural_primary_keys=True,
    )


def desk_rows(project: Project, *, gone: list[int]) -> dict[str, list[dict]]:
    """Every row a backup of `project` must hold, read independently of the command:
    `gone` are the ids of the desk's deleted drafts, whose events stay."""
    claims = Claim.objects.filter(project=project)
    events = ClaimEvent.objects.filter(claim_id__in=[*claims.values_list("pk", flat=True), *gone])
    users = {
        *Membership.objects.filter(project=project).values_list("user_id", flat=True),
        *ProjectEvent.objects.filter(project=project).values_list("actor_id", flat=True),
        *Article.objects.filter(project=project).values_list("created_by_id", flat=True),
        *ArticleRevision.objects.filter(article__project=project).values_list(
            "author_id", flat=True
        ),
        *claims.values_list("author_id", flat=True),
        *Review.objects.filter(claim__project=project).values_list("reviewer_id", flat=True),
        *events.values_list("actor_id", flat=True),
        *ClaimRelation.objects.filter(from_claim__project=project).values_list(
            "created_by_id", flat=True
        ),
        *Publication.objects.filter(claim__project=project).values_list(
            "published_by_id", flat=True
        ),
        *SuggestionOutcome.objects.filter(project=project).values_list(
            "dismissed_by_id", flat=True
        ),
        *SuggestionOutcome.objects.filter(project=project).values_list("accepted_by_id", flat=True),
    }
    querysets = {
        "auth.Group": Group.objects.all(),
        "auth.User": get_user_model().objects.filter(pk__in=users - {None}),
        "projects.Project": Project.objects.filter(pk=project.pk),
        "projects.Membership": Membership.objects.filter(project=project),
        "projects.ProjectEvent": ProjectEvent.objects.filter(project=project),
        "articles.Source": Source.objects.all(),
        "articles.Article": Article.objects.filter(project=project),
        "articles.ArticleRevision": ArticleRevision.objects.filter(article__project=project),
        "annotations.Actor": Actor.objects.all(),
        "annotations.ActorAlias": ActorAlias.objects.all(),
        "annotations.Claim": claims,
        "annotations.ClaimActor": ClaimActor.objects.filter(claim__project=project),
        "annotations.ClaimSource": ClaimSource.objects.filter(claim__project=project),
        "annotations.ClaimRelation": ClaimRelation.objects.filter(
            from_claim__project=project, to_claim__project=project
        ),
        "annotations.Review": Review.objects.filter(claim__project=project),
        "annotations.ClaimEvent": events,
        "publishing.Publication": Publication.objects.filter(claim__project=project),
        "publishing.DeskPublishing": DeskPublishing.objects.filter(project=project),
        "suggestions.SuggestionOutcome": SuggestionOutcome.objects.filter(project=project),
    }
    return {label: serialized(queryset) for label, queryset in querysets.items()}


def delete_a_draft(author, article) -> int:
    claim = make_claim(author=author, article=article, exact="Albania")
    claim_services.claim_delete(user=author, claim_id=claim.pk, version=claim.version)
    return claim.pk


@pytest.fixture
def two_desks(transactional_db):
    """The demo's two desks, plus what a desk's backup must sort out: a review in
    Balkans, relations within Balkans and across the desks, and a deleted draft in each
    desk."""
    ensure_roles()
    call_command("seed_demo", verbosity=0)
    main, balkans = Project.objects.get(slug="main"), Project.objects.get(slug="balkans")
    oscar = get_user_model().objects.get(username="oscar")
    submitted = Claim.objects.get(project=balkans, status="submitted")
    review_decide(
        user=get_user_model().objects.get(username="bora"),
        claim_id=submitted.pk,
        version=submitted.version,
        decision="approve",
        rating_value=3,
    )
    # Published by the superuser (a member of every desk), with the desk's own settings.
    claim_publish(
        user=get_user_model().objects.get(username="admin"),
        claim_id=submitted.pk,
        version=submitted.version + 1,
        explanation="Checked against the sources.",
    )
    DeskPublishing.objects.create(project=balkans, publisher_name="Balkans Check")
    first, second = Claim.objects.filter(project=balkans).order_by("pk")[:2]
    elsewhere = Claim.objects.filter(project=main).first()
    ClaimRelation.objects.create(
        from_claim=second, to_claim=first, kind=RelationKind.SUPPORTS, created_by=oscar
    )
    ClaimRelation.objects.create(
        from_claim=first, to_claim=elsewhere, kind=RelationKind.REPEATS, created_by=oscar
    )
    # What researchers did with suggestions: a dismissal in each desk, an acceptance in
    # Balkans (by a member of Balkans whom nothing else of the desk names).
    for project, key in ((main, "a" * 32), (balkans, "b" * 32)):
        SuggestionOutcome.objects.create(
            project=project,
            article=Article.objects.filter(project=project).first(),
            key=key,
            shown_at=timezone.now(),
            dismissed_at=timezone.now(),
            dismissed_by=oscar,
        )
    SuggestionOutcome.objects.create(
        project=balkans,
        article=first.article,
        key="c" * 32,
        shown_at=timezone.now(),
        accepted_at=timezone.now(),
        accepted_by=oscar,
        claim=first,
        accepted_as_suggested=False,
        edited_fields=["claimant"],
    )
    gone = delete_a_draft(oscar, Article.objects.filter(project=balkans).first())
    delete_a_draft(oscar, Article.objects.filter(project=main).first())
    return main, balkans, [gone]


def read_backup(path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as file:
        return json.load(file)


def test_a_project_backup_holds_that_project_only(two_desks, tmp_path):
    main, balkans, gone = two_desks
    backup = tmp_path / "balkans.json.gz"
    call_command("backup", str(backup), "--project", "balkans", verbosity=0)
    objects = read_backup(backup)
    by_model: dict[str, list[dict]] = defaultdict(list)
    for obj in objects:
        by_model.setdefault(obj["model"], []).append(obj)

    assert [p["fields"]["slug"] for p in by_model["projects.project"]] == ["balkans"]
    for label in ("projects.membership", "projects.projectevent", "articles.article"):
        assert {o["fields"]["project"] for o in by_model[label]} == {balkans.pk}, label
    claims = {o["pk"] for o in by_model["annotations.claim"]}
    assert claims == set(Claim.objects.filter(project=balkans).values_list("pk", flat=True))
    assert {o["fields"]["project"] for o in by_model["annotations.claim"]} == {balkans.pk}
    for label in ("annotations.claimactor", "annotations.claimsource", "annotations.review"):
        assert by_model[label], label
        assert {o["fields"]["claim"] for o in by_model[label]} <= claims, label
    [relation] = by_model["annotations.claimrelation"]  # the one across desks is left out
    assert {relation["fields"]["from_claim"], relation["fields"]["to_claim"]} <= claims
    events = {o["fields"]["claim"] for o in by_model["annotations.claimevent"]}
    assert events == claims | set(gone)  # the desk's deleted draft, not the other's
    usernames = {o["fields"]["username"] for o in by_model["auth.user"]}
    assert {"oscar", "bora"} <= usernames
    assert "victor" not in usernames  # a reviewer of Main desk only
    # The kept counts are left out: the triggers count the claims again as they load.
    for label in (
        "annotations.projectclaimcount",
        "annotations.actorclaimcount",
        "annotations.accusationcount",
        "annotations.actorinvolvement",
    ):
        assert label not in by_model, label
    # The whole shared registry.
    assert len(by_model["annotations.actor"]) == Actor.objects.count()
    assert len(by_model["articles.source"]) == Source.objects.count()
    # Nothing else of Main desk, by its article ids.
    main_articles = set(Article.objects.filter(project=main).values_list("pk", flat=True))
    revisions = {o["fields"]["article"] for o in by_model["articles.articlerevision"]}
    assert revisions and not revisions & main_articles


def test_a_project_backup_restores_into_an_empty_database(two_desks, tmp_path):
    _, balkans, gone = two_desks
    before = desk_rows(balkans, gone=gone)
    assert all(before.values()), [label for label, rows in before.items() if not rows]
    backup = tmp_path / "balkans.json.gz"
    call_command("backup", str(backup), "--project", "balkans", verbosity=0)

    call_command("flush", interactive=False, verbosity=0)
    assert not Project.objects.exists() and not Claim.objects.exists()
    call_command("restore", str(backup), verbosity=0)

    restored = Project.objects.get()
    assert restored.slug == "balkans"
    assert desk_rows(restored, gone=gone) == before
    kept = actor_counts.kept()
    assert kept["counts"] and kept == actor_counts.fresh()
    # A restored desk is a working desk: a member writes a new claim in it.
    oscar = get_user_model().objects.get(username="oscar")
    fresh = make_claim(
        author=oscar,
        article=Article.objects.first(),
        exact="Albania",
        claimant=ActorFactory(),
    )
    assert fresh.project == restored


def test_unknown_project_is_refused_and_writes_nothing(db, tmp_path):
    backup = tmp_path / "nowhere.json"
    with pytest.raises(CommandError, match="--project: there is no project 'nowhere'"):
        call_command("backup", str(backup), "--project", "nowhere", verbosity=0)
    assert list(tmp_path.iterdir()) == []


def test_a_model_the_scope_does_not_know_is_refused(db):
    scope = project_scope(Project.objects.create(name="X", slug="x"), "default")
    with pytest.raises(UnscopedModel, match=r"auth\.Permission"):
        scope(Permission)
