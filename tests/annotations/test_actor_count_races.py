"""Writers naming the same actors in opposite orders at the same moment: both succeed,
neither waits for the other in a circle, and the kept actor counts stay exact.

Needs PostgreSQL: real row locks and concurrent transactions from two threads. The
claim services lock the actors a claim names in id order before writing, and a claim's
insertion takes its desk's `ProjectClaimCount` row; the actor counts' triggers also take
that row first, for the paths that bypass the services (bulk updates, merges), so two
transactions changing the counts of actors X and Y never hold one and wait for the other."""

from __future__ import annotations

import pytest
from django.db import connection

from annotations import actor_counts
from annotations.models import ActorRole
from annotations.roles import sync_role_groups
from annotations.services.claims import ActorLink
from tests.annotations.workflow.steps import edit
from tests.annotations.workflow.test_concurrency import race
from tests.factories import ActorFactory, ArticleFactory, UserFactory, main_desk, make_claim
from tests.projects.conftest import member

ROUNDS = 8

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks and truly concurrent transactions")
    sync_role_groups()


def _counts_are_fresh():
    kept, fresh = actor_counts.kept(), actor_counts.fresh()
    assert kept == {part: fresh[part] for part in kept}


def test_claims_naming_two_actors_in_opposite_orders_are_written_at_once():
    desk = main_desk()
    writers = [UserFactory(username=f"race-writer-{i}") for i in range(2)]
    for writer in writers:
        member(desk, writer, "researcher")
    rama, iran = ActorFactory(name="Edi Rama"), ActorFactory(name="Iran")
    articles = [ArticleFactory(project=desk) for _ in writers]
    for _ in range(ROUNDS):
        outcomes = race(
            lambda: make_claim(
                author=writers[0],
                article=articles[0],
                claimant=rama,
                actors=[(iran, ActorRole.ACCUSED), (rama, ActorRole.TARGET)],
            ),
            lambda: make_claim(
                author=writers[1],
                article=articles[1],
                claimant=iran,
                actors=[(rama, ActorRole.ACCUSED), (iran, ActorRole.DENIER)],
            ),
        )
        assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    _counts_are_fresh()


def test_drafts_relinked_in_opposite_orders_at_once_both_succeed():
    desk = main_desk()
    writers = [UserFactory(username=f"race-editor-{i}") for i in range(2)]
    for writer in writers:
        member(desk, writer, "researcher")
    one, two = ActorFactory(name="One"), ActorFactory(name="Two")
    drafts = [
        make_claim(author=writer, article=ArticleFactory(project=desk), claimant=one)
        for writer in writers
    ]
    orders = [(one, two), (two, one)]
    for round_ in range(ROUNDS):
        outcomes = race(
            *(
                lambda writer=writer, draft=draft, order=order, step=1 - 2 * (round_ % 2): edit(
                    writer,
                    draft,
                    actors=[
                        ActorLink(actor_id=actor.pk, role=role)
                        for actor, role in zip(
                            order[::step],
                            (ActorRole.ACCUSED, ActorRole.TARGET),
                            strict=True,
                        )
                    ],
                )
                for writer, draft, order in zip(writers, drafts, orders, strict=True)
            )
        )
        assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    _counts_are_fresh()
