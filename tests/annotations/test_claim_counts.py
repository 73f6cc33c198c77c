"""The kept counts of claims by project and status equal a fresh count after any sequence
of changes, by every path that changes claims: the services, the re-anchoring's bulk
update, an article moved to another desk, a bulk update and delete straight on the
table. On both databases; the triggers exist after every migration."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from annotations.claim_counts import (
    TRIGGER_NAMES,
    approved_total,
    fresh_counts,
    installed_triggers,
    kept_counts,
)
from annotations.models import Claim, ClaimStatus, ProjectClaimCount
from annotations.services.claims import claim_delete
from projects.models import Project
from projects.services import article_move
from tests.annotations.workflow.steps import decide, edit, revise, submit
from tests.factories import ArticleFactory, UserFactory, main_desk, make_claim
from tests.projects.conftest import member

pytestmark = pytest.mark.django_db


def test_the_triggers_exist_after_every_migration():
    assert installed_triggers(connection) == set(TRIGGER_NAMES[connection.vendor])


STEPS = (
    "create",
    "submit",
    "approve",
    "reject",
    "request_changes",
    "edit",
    "delete",
    "revise",
    "move",
    "bulk_status",
    "bulk_delete",
)


def _step(world, step: str, pick: int) -> None:
    """Take one step on the `pick`-th claim (by id) where it applies; a step that does
    not apply to that claim's status does nothing."""
    writer, reviewer, manager, desks = world
    claims = list(Claim.objects.order_by("pk"))
    claim = claims[pick % len(claims)] if claims else None
    if step == "create" or claim is None:
        article = ArticleFactory(project=desks[pick % 2])
        make_claim(author=writer, article=article)
        return
    status = claim.status
    if step == "submit" and status == ClaimStatus.DRAFT:
        submit(writer, claim)
    elif step in ("approve", "reject", "request_changes") and status == ClaimStatus.SUBMITTED:
        decide(reviewer, claim, step)
    elif step == "edit" and status in (ClaimStatus.CHANGES_REQUESTED, ClaimStatus.APPROVED):
        edit(writer, claim, statement=f"{claim.statement} Edited.")
    elif step == "delete" and status in (ClaimStatus.DRAFT, ClaimStatus.CHANGES_REQUESTED):
        claim_delete(user=writer, claim_id=claim.pk)
    elif step == "revise":
        # Cut the passage out: the claim and its article's others are re-anchored in bulk
        # (orphaned or fuzzy), which sends approved ones back to review.
        revise(manager, claim, lambda text: text.replace(claim.exact, "a different sentence"))
    elif step == "move":
        other = desks[1] if claim.project_id == desks[0].pk else desks[0]
        article_move(user=manager, article_id=claim.article_id, to_project_id=other.pk)
    elif step == "bulk_status":
        Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.REJECTED)
    elif step == "bulk_delete" and status == ClaimStatus.DRAFT:
        Claim.objects.filter(pk=claim.pk).delete()


def _world():
    writer = UserFactory(username="count-writer")
    reviewer = UserFactory(username="count-reviewer")
    manager = UserFactory(username="count-manager")
    desks = [main_desk(), Project.objects.create(name="Partner desk", slug="partner")]
    for desk in desks:
        member(desk, writer, "researcher")
        member(desk, reviewer, "reviewer")
        member(desk, manager, "manager", "editor")
    return writer, reviewer, manager, desks


@settings(
    max_examples=20,
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
def test_kept_counts_equal_a_fresh_count_after_any_sequence_of_changes(db, steps):
    with transaction.atomic():
        Claim.objects.all().delete()
        world = _world()
        for step, pick in steps:
            _step(world, step, pick)
            assert kept_counts() == fresh_counts(), (step, pick)
        transaction.set_rollback(True)


def test_every_status_is_counted_in_its_project(db):
    writer, reviewer, _, (main, partner) = _world()
    approved = submit(writer, make_claim(author=writer, article=ArticleFactory(project=main)))
    decide(reviewer, approved, "approve")
    make_claim(author=writer, article=ArticleFactory(project=partner))
    counts = kept_counts([main.pk, partner.pk])
    assert counts[main.pk][ClaimStatus.APPROVED] == 1
    assert counts[partner.pk][ClaimStatus.DRAFT] == 1
    assert approved_total([main.pk]) == 1
    assert approved_total([partner.pk]) == 0
    assert approved_total([]) == 0


def test_the_container_total_comes_from_the_kept_counts(db):
    writer, reviewer, _, (main, _) = _world()
    for _ in range(2):
        claim = submit(writer, make_claim(author=writer, article=ArticleFactory(project=main)))
        decide(reviewer, claim, "approve")
    client = APIClient()
    client.force_authenticate(reviewer)
    url = reverse("v1:project-annotation-list", args=[main.pk])
    assert client.get(url, HTTP_ACCEPT="application/ld+json").json()["total"] == 2
    # The count is read, not made: a count kept wrong would show here.
    ProjectClaimCount.objects.filter(project=main).update(approved=7)
    unfiltered = client.get(url, HTTP_ACCEPT="application/ld+json").json()
    assert unfiltered["total"] == 7
    filtered = client.get(url + "?status=approved", HTTP_ACCEPT="application/ld+json").json()
    assert filtered["total"] == 2  # a filtered container counts what it holds


def _migrate(targets):
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_the_migration_counts_the_claims_already_there_then_keeps_counting():
    from django.db.migrations.executor import MigrationExecutor

    writer, _, _, (main, partner) = _world()
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    # Claims written before the counts existed: made with today's schema (later
    # migrations added columns that `make_claim` fills), then the schema goes back to
    # before the counts, which forgets them.
    for project in (main, partner, partner):
        make_claim(author=writer, article=ArticleFactory(project=project))
    try:
        _migrate([("annotations", "0013_claim_article_created_idx")])
        assert installed_triggers(connection) == set()
    finally:
        _migrate(leaves)
    assert kept_counts() == fresh_counts()
    assert kept_counts()[partner.pk][ClaimStatus.DRAFT] == 2
    submit(writer, Claim.objects.filter(project=main).first())
    assert kept_counts()[main.pk][ClaimStatus.SUBMITTED] == 1
