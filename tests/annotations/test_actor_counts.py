"""The kept counts of claims by actor, role, project and status, the accusation pairs and
the involvements equal a fresh count after any sequence of changes, by every path that
changes claims or their links: creation, edits of the claimant and the actors, the
workflow, deletion, the re-anchoring's bulk update, an article moved to another desk, a
merge of actors, bulk updates and deletes straight on the tables. On both databases;
the triggers exist after every migration; `rebuild_claim_counts` counts afresh."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations import actor_counts
from annotations.claim_counts import fresh_counts, kept_counts
from annotations.models import (
    ActorClaimCount,
    ActorInvolvement,
    ActorRole,
    Claim,
    ClaimActor,
    ClaimStatus,
)
from annotations.services.actors import actor_merge
from annotations.services.claims import ActorLink, claim_delete
from articles.models import Article
from projects.models import Project
from projects.services import article_move
from tests.annotations.workflow.steps import decide, edit, revise, submit
from tests.factories import ActorFactory, ArticleFactory, UserFactory, main_desk, make_claim
from tests.projects.conftest import member

pytestmark = pytest.mark.django_db


def assert_counts_fresh(context=None) -> None:
    """The actor counts and the projects' counts (moved by the same statements) both
    equal a fresh count."""
    kept, fresh = actor_counts.kept(), actor_counts.fresh()
    for part in ("counts", "pairs", "involved"):
        assert kept[part] == fresh[part], (part, context)
    assert kept_counts() == fresh_counts(), ("projects", context)


def test_the_triggers_exist_after_every_migration():
    installed = actor_counts.installed_triggers(connection)
    assert installed == set(actor_counts.TRIGGER_NAMES[connection.vendor])


STEPS = (
    "create",
    "create_twice_named",
    "submit",
    "approve",
    "reject",
    "request_changes",
    "edit_actors",
    "edit_claimant",
    "delete",
    "revise",
    "move",
    "merge",
    "bulk_status",
    "bulk_claimant",
    "bulk_link_role",
    "bulk_delete",
    "bulk_many",
    "bulk_move_many",
)


def _world():
    writer = UserFactory(username="actor-count-writer")
    reviewer = UserFactory(username="actor-count-reviewer")
    manager = UserFactory(username="actor-count-manager", is_superuser=True)
    desks = [main_desk(), Project.objects.create(name="Partner desk", slug="partner")]
    for desk in desks:
        member(desk, writer, "researcher")
        member(desk, reviewer, "reviewer")
        member(desk, manager, "manager", "editor")
    actors = [ActorFactory(name=f"Actor {i}") for i in range(4)]
    return writer, reviewer, manager, desks, actors


def _step(world, step: str, pick: int) -> None:
    """Take one step on the `pick`-th claim (by id) where it applies; a step that does
    not apply to that claim's status does nothing."""
    writer, reviewer, manager, desks, actors = world
    actors[:] = [actor for actor in actors if type(actor).objects.filter(pk=actor.pk).exists()]
    while len(actors) < 3:
        actors.append(ActorFactory(name=f"Actor {len(actors)} {pick}"))
    one, two, three = actors[pick % len(actors)], actors[(pick + 1) % len(actors)], actors[-1]
    claims = list(Claim.objects.order_by("pk"))
    claim = claims[pick % len(claims)] if claims else None
    if step.startswith("create") or claim is None:
        named = [(two, ActorRole.ACCUSED), (three, ActorRole.TARGET)]
        if step == "create_twice_named":
            # The claimant accused too, and one actor in two roles.
            named = [(one, ActorRole.ACCUSED), (two, ActorRole.DENIER), (two, ActorRole.ACCUSED)]
        make_claim(
            author=writer,
            article=ArticleFactory(project=desks[pick % 2]),
            claimant=one,
            actors=named,
        )
        return
    status = claim.status
    editable = status in (ClaimStatus.DRAFT, ClaimStatus.CHANGES_REQUESTED, ClaimStatus.APPROVED)
    if step == "submit" and status == ClaimStatus.DRAFT:
        submit(writer, claim)
    elif step in ("approve", "reject", "request_changes") and status == ClaimStatus.SUBMITTED:
        decide(reviewer, claim, step)
    elif step == "edit_actors" and editable:
        edit(
            writer,
            claim,
            actors=[
                ActorLink(actor_id=one.pk, role=ActorRole.ACCUSED),
                ActorLink(actor_id=three.pk, role=ActorRole.MENTIONED),
            ],
        )
    elif step == "edit_claimant" and editable:
        edit(writer, claim, claimant_id=two.pk)
    elif step == "delete" and status in (ClaimStatus.DRAFT, ClaimStatus.CHANGES_REQUESTED):
        claim_delete(user=writer, claim_id=claim.pk)
    elif step == "revise":
        revise(manager, claim, lambda text: text.replace(claim.exact, "a different sentence"))
    elif step == "move":
        other = desks[1] if claim.project_id == desks[0].pk else desks[0]
        article_move(user=manager, article_id=claim.article_id, to_project_id=other.pk)
    elif step == "merge" and one.pk != two.pk:
        actor_merge(user=manager, actor_id=one.pk, into_id=two.pk)
    elif step == "bulk_status":
        Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.REJECTED)
    elif step == "bulk_claimant":
        Claim.objects.filter(pk=claim.pk).update(claimant=three)
    elif step == "bulk_link_role":
        # Every link of one actor of the claim to an actor it does not link, at once:
        # PostgreSQL fires the row triggers after the whole statement, SQLite row by row.
        linked = list(ClaimActor.objects.filter(claim=claim).values_list("actor_id", flat=True))
        spare = [actor for actor in actors if actor.pk not in linked]
        if linked and spare:
            moved = max(set(linked), key=linked.count)
            ClaimActor.objects.filter(claim=claim, actor_id=moved).update(actor=spare[0])
    elif step == "bulk_many":
        # One statement changing many claims at once, in status and claimant, some of
        # them already so: PostgreSQL counts the statement's moves together.
        Claim.objects.filter(pk__gte=claim.pk).update(status=ClaimStatus.APPROVED, claimant=one)
    elif step == "bulk_move_many":
        # Every article of the claim's desk and their claims to the other desk, a
        # statement each (what a move of many articles does).
        other = desks[1] if claim.project_id == desks[0].pk else desks[0]
        articles = list(
            Claim.objects.filter(project_id=claim.project_id).values_list("article_id", flat=True)
        )
        Article.objects.filter(pk__in=articles).update(project=other)
        Claim.objects.filter(article_id__in=articles).update(project_id=other.pk)
    elif step == "bulk_delete":
        ClaimActor.objects.filter(claim=claim).delete()
        Claim.objects.filter(pk=claim.pk, status=ClaimStatus.DRAFT).delete()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(STEPS), st.integers(min_value=0, max_value=9)),
        min_size=1,
        max_size=14,
    )
)
def test_kept_actor_counts_equal_a_fresh_count_after_any_sequence_of_changes(db, steps):
    with transaction.atomic():
        Claim.objects.all().delete()
        world = _world()
        for step, pick in steps:
            _step(world, step, pick)
            assert_counts_fresh((step, pick))
        assert kept_counts() == fresh_counts()
        transaction.set_rollback(True)


def test_a_claim_naming_an_actor_twice_counts_once_for_it(db):
    writer, reviewer, _, (main, _), (iran, rama, *_) = _world()
    claim = make_claim(
        author=writer,
        article=ArticleFactory(project=main),
        claimant=iran,
        actors=[(iran, ActorRole.ACCUSED), (iran, ActorRole.DENIER), (rama, ActorRole.ACCUSED)],
    )
    rows = ActorClaimCount.objects.filter(actor=iran, project=main, status=ClaimStatus.DRAFT)
    counts = {row.role: row.claims for row in rows}
    assert counts == {"involved": 1, "linked": 1, "claimant": 1, "accused": 1, "denier": 1}
    submit(writer, claim)
    decide(reviewer, claim, "approve")
    rows = ActorClaimCount.objects.filter(actor=iran, project=main, claims__gt=0)
    assert {(row.role, row.status) for row in rows} == {
        (role, ClaimStatus.APPROVED)
        for role in ("involved", "linked", "claimant", "accused", "denier")
    }
    assert ActorInvolvement.objects.get(claim=claim, actor=iran).links == 2
    assert_counts_fresh()


def test_a_merge_moves_the_counts_to_the_survivor(db):
    writer, _, manager, (main, _), (iran, tehran, rama, _) = _world()
    make_claim(
        author=writer,
        article=ArticleFactory(project=main),
        claimant=rama,
        actors=[(iran, ActorRole.ACCUSED), (tehran, ActorRole.ACCUSED)],
    )
    make_claim(
        author=writer,
        article=ArticleFactory(project=main),
        claimant=tehran,
        actors=[(rama, ActorRole.ACCUSED)],
    )
    actor_merge(user=manager, actor_id=tehran.pk, into_id=iran.pk)
    involved = ActorClaimCount.objects.get(actor=iran, role="involved", status="draft")
    assert involved.claims == 2
    assert_counts_fresh()


def test_rebuild_counts_afresh(db):
    writer, _, _, (main, _), (iran, rama, *_) = _world()
    make_claim(
        author=writer,
        article=ArticleFactory(project=main),
        claimant=rama,
        actors=[(iran, ActorRole.ACCUSED)],
    )
    ActorClaimCount.objects.update(claims=99)
    ActorInvolvement.objects.all().delete()
    call_command("rebuild_claim_counts", verbosity=0)
    assert_counts_fresh()
    assert kept_counts() == fresh_counts()


@pytest.mark.django_db(transaction=True)
def test_the_migration_counts_the_claims_already_there_then_keeps_counting():
    from django.db.migrations.executor import MigrationExecutor

    writer, _, _, (main, partner), (iran, rama, *_) = _world()

    def migrate(targets):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)

    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        migrate([("annotations", "0016_claim_cue_source_mention")])
        assert actor_counts.installed_triggers(connection) == set()
        for project in (main, partner, partner):
            make_claim(
                author=writer,
                article=ArticleFactory(project=project),
                claimant=rama,
                actors=[(iran, ActorRole.ACCUSED)],
            )
    finally:
        migrate(leaves)
    assert_counts_fresh()
    accused = ActorClaimCount.objects.get(actor=iran, role="accused", project=partner)
    assert accused.claims == 2
    make_claim(
        author=writer,
        article=ArticleFactory(project=partner),
        claimant=rama,
        actors=[(iran, ActorRole.ACCUSED)],
    )
    accused.refresh_from_db()
    assert accused.claims == 3


@pytest.mark.django_db(transaction=True)
def test_a_bulk_load_is_counted_at_its_end_and_then_kept():
    writer, _, _, (main, _), (iran, rama, *_) = _world()
    with actor_counts.counted_afterwards(connection):
        assert actor_counts.installed_triggers(connection) == set()
        make_claim(
            author=writer,
            article=ArticleFactory(project=main),
            claimant=rama,
            actors=[(iran, ActorRole.ACCUSED)],
        )
    assert actor_counts.installed_triggers(connection) == set(
        actor_counts.TRIGGER_NAMES[connection.vendor]
    )
    assert_counts_fresh()
    assert ActorClaimCount.objects.get(actor=iran, role="accused", status="draft").claims == 1
