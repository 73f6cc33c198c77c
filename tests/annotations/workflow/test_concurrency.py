"""Two reviewers deciding the same claim at the same moment: exactly one wins.

Needs PostgreSQL: real row locks and concurrent transactions from two threads, each with
its own connection. SQLite serialises writers and is covered by the conditional update
(see the stale-version tests of the services).
"""

import threading

import pytest
from django.db import connection

from annotations.models import Claim, ClaimEvent, EventKind, Review
from annotations.roles import sync_role_groups
from annotations.services.claims import claim_submit
from annotations.services.reviews import review_decide
from claimdesk.errors import StaleVersion
from tests.factories import make_claim, require_approvals

ROUNDS = 20
DECISION_KINDS = {
    EventKind.APPROVED,
    EventKind.APPROVAL_RECORDED,
    EventKind.REJECTED,
    EventKind.CHANGES_REQUESTED,
}


@pytest.fixture(autouse=True)
def _postgres_only(request):
    if request.node.get_closest_marker("postgres_only") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks and truly concurrent transactions")


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    sync_role_groups()


def race(*calls):
    """Run each call in its own thread, released together by a barrier; return what each
    returned or raised. Every thread closes its own database connection at its end."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except Exception as exc:  # the outcome under test, whatever it is
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return outcomes


def decision_events(claim_id):
    return ClaimEvent.objects.filter(claim_id=claim_id, kind__in=DECISION_KINDS)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_deciding_at_once_exactly_one_wins(
    researcher, reviewer, second_reviewer, article
):
    pairs = [
        (
            ("approve", {}),
            ("reject", {"reason": "unsupported", "comment": "Not what the source says."}),
        ),
        (("approve", {}), ("approve", {})),
        (("request_changes", {"comment": "Which minister?"}), ("approve", {})),
        (
            ("reject", {"reason": "duplicate", "comment": "Not what the source says."}),
            ("request_changes", {"comment": "Source?"}),
        ),
    ]
    for round_number in range(ROUNDS):
        claim = make_claim(author=researcher, article=article)
        claim = claim_submit(user=researcher, claim_id=claim.pk, version=claim.version)
        (first, first_extra), (second, second_extra) = pairs[round_number % len(pairs)]

        outcomes = race(
            lambda c=claim, d=first, e=first_extra: review_decide(
                user=reviewer, claim_id=c.pk, version=c.version, decision=d, **e
            ),
            lambda c=claim, d=second, e=second_extra: review_decide(
                user=second_reviewer, claim_id=c.pk, version=c.version, decision=d, **e
            ),
        )

        won = [outcome for outcome in outcomes if isinstance(outcome, Claim)]
        lost = [outcome for outcome in outcomes if isinstance(outcome, StaleVersion)]
        assert (len(won), len(lost)) == (1, 1), f"round {round_number}: {outcomes!r}"
        assert lost[0].code == "stale_version"

        claim.refresh_from_db()
        assert claim.version == 3
        assert claim.status == won[0].status
        reviews = list(Review.objects.filter(claim=claim))
        assert len(reviews) == 1
        assert reviews[0].claim_version == 2
        trail = list(ClaimEvent.objects.filter(claim_id=claim.pk).order_by("id"))
        assert [event.kind for event in trail][:2] == ["created", "submitted"]
        assert len(trail) == 3, f"round {round_number}: lost or doubled events"
        assert trail[2].version == 3
        assert trail[2].actor_id == reviews[0].reviewer_id


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_double_submitted_approval_is_recorded_once(settings, researcher, reviewer, article):
    """The same reviewer's form sent twice at once (a double click): one approval, even
    when a second approval is still needed and the claim stays in review."""
    require_approvals(settings, 2)
    for round_number in range(ROUNDS):
        claim = make_claim(author=researcher, article=article)
        claim = claim_submit(user=researcher, claim_id=claim.pk, version=claim.version)
        approve = lambda c=claim: review_decide(  # noqa: E731
            user=reviewer, claim_id=c.pk, version=c.version, decision="approve"
        )

        outcomes = race(approve, approve)

        assert sorted(type(outcome).__name__ for outcome in outcomes) == [
            "Claim",
            "StaleVersion",
        ], f"round {round_number}: {outcomes!r}"
        claim.refresh_from_db()
        assert (claim.status, claim.version) == ("submitted", 3)
        assert Review.objects.filter(claim=claim).count() == 1
        assert list(decision_events(claim.pk).values_list("kind", flat=True)) == [
            EventKind.APPROVAL_RECORDED
        ]
