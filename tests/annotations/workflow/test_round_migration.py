"""The migration that numbers the review rounds of existing claims and reviews.

Histories are made through the services (which number the rounds as they go), and some
rows are written without them (no trail, as imports and old fixtures left them); the
schema is then taken back to before the rounds and forward again, and the migration
must find the numbers the services gave, or what `submitted_at` said before.
"""

import datetime as dt
import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from annotations.models import Certainty, Claim, ClaimStatus, Decision, Review
from tests.annotations.workflow.steps import decide, edit, reattach, revise, submit
from tests.factories import ActorFactory, make_claim, require_approvals

FILL = importlib.import_module("annotations.migrations.0007_fill_review_rounds")
BEFORE_ROUNDS = [("annotations", "0005_claim_status_indexes")]

SECOND = dt.datetime(2022, 9, 7, 10, 0, 0, tzinfo=dt.UTC)
HALF = SECOND.replace(microsecond=500000)
# (submitted_at, review created, whether the review is of the current round), as the
# exports compared them before rounds were numbered.
BY_SUBMISSION_TIME = [
    (HALF, SECOND, False),
    (SECOND, HALF, True),
    (SECOND, SECOND - dt.timedelta(microseconds=1), False),
    (HALF - dt.timedelta(microseconds=1), HALF, True),
    (HALF, HALF, True),
    (None, SECOND, True),
]


def resubmitted(researcher, reviewer, claim, times):
    for number in range(times):
        decide(reviewer, claim, "request_changes")
        edit(researcher, claim, statement=f"Take {number}.")
        claim = submit(researcher, claim)
    return claim


def histories(researcher, reviewer, second_reviewer, article):
    """Claims with several rounds each, made through the services."""
    new = lambda: make_claim(author=researcher, article=article)  # noqa: E731
    make_claim(author=researcher, article=article)  # a draft: round 0
    resubmitted(researcher, reviewer, submit(researcher, new()), 3)  # in round 4
    approved = decide(second_reviewer, decide(reviewer, submit(researcher, new())))
    approved = edit(researcher, approved, certainty="alleged")
    decide(second_reviewer, decide(reviewer, approved))  # approved again, in round 2
    # Claims under review with an approval, then a fuzzy re-anchoring (and, for one of
    # them, a re-attachment to other words): rounds that no status change shows.
    under_review = decide(reviewer, submit(researcher, new()))
    moved_on = decide(reviewer, submit(researcher, new()))
    revise(researcher, under_review, lambda text: text.replace("behind the July", "behind June"))
    decide(second_reviewer, under_review)
    decide(second_reviewer, reattach(researcher, moved_on, "Iranian state was behind June"))


def without_trail(researcher, reviewer, article, submitted_at, reviewed):
    """A claim and a review written without the services: no events to go by."""
    revision = article.revisions.order_by("-number").first()
    claim = Claim.objects.create(
        article=article,
        project_id=article.project_id,
        revision=revision,
        start=0,
        end=7,
        exact=revision.text[:7],
        statement="Imported.",
        claimant=ActorFactory(),
        certainty=Certainty.ASSERTED,
        status=ClaimStatus.APPROVED if submitted_at else ClaimStatus.DRAFT,
        author=researcher,
        submitted_at=submitted_at,
    )
    review = Review.objects.create(
        claim=claim, claim_version=1, reviewer=reviewer, decision=Decision.APPROVE
    )
    Review.objects.filter(pk=review.pk).update(created=reviewed)
    return claim, review


def migrate(executor, targets):
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_the_migration_finds_the_rounds_of_existing_claims_and_reviews(
    monkeypatch, settings, researcher, reviewer, second_reviewer, article
):
    require_approvals(settings, 2)
    histories(researcher, reviewer, second_reviewer, article)
    numbered = dict(Claim.objects.values_list("pk", "review_round"))
    reviews = dict(Review.objects.values_list("pk", "review_round"))
    # The fuzzy re-anchoring took every claim under review or approved to a new round.
    assert sorted(numbered.values()) == [0, 2, 3, 3, 5]
    assert set(reviews.values()) == {1, 2, 3}
    untraced = [
        without_trail(researcher, reviewer, article, submitted_at, reviewed)
        for submitted_at, reviewed, _ in BY_SUBMISSION_TIME
    ]
    # Batches of two claims, updates of two ids: a few batches, some rounds split.
    monkeypatch.setattr(FILL, "BATCH_SIZE", 2)
    monkeypatch.setattr(FILL, "IDS_PER_UPDATE", 2)

    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        migrate(executor, BEFORE_ROUNDS)
        migrate(executor, leaves)
    finally:
        migrate(MigrationExecutor(connection), leaves)

    found = dict(Claim.objects.values_list("pk", "review_round"))
    assert {pk: found[pk] for pk in numbered} == numbered
    found_reviews = dict(Review.objects.values_list("pk", "review_round"))
    assert {pk: found_reviews[pk] for pk in reviews} == reviews
    for (claim, review), (submitted_at, _, current) in zip(
        untraced, BY_SUBMISSION_TIME, strict=True
    ):
        claim.refresh_from_db()
        review.refresh_from_db()
        assert claim.review_round == (1 if submitted_at else 0)
        assert (review.review_round == claim.review_round) is current, (submitted_at, current)


def test_a_round_begins_at_each_entry_into_review_and_each_change_of_words_under_review():
    at = [timezone.now() + dt.timedelta(minutes=minute) for minute in range(8)]
    words = lambda before, after: {"from": {"exact": before}, "to": {"exact": after}}  # noqa: E731
    events = [
        ("created", "", "draft", at[0], {}),
        ("submitted", "draft", "submitted", at[1], {}),
        ("approval_recorded", "submitted", "submitted", at[2], {"review": 11}),
        ("reanchored", "submitted", "submitted", at[3], words("a", "a")),  # same words
        ("reattached", "submitted", "submitted", at[4], words("a", "b")),
        ("approved", "submitted", "approved", at[5], {"review": 12}),
        ("reanchored", "approved", "submitted", at[6], words("b", "c")),
    ]
    # Review 13 has no event: the round begun last before it was made is its round.
    reviews = [(11, at[2]), (12, at[5]), (13, at[7])]

    assert FILL.rounds_of_claim(at[1], events, reviews) == (3, {11: 1, 12: 2, 13: 3})
