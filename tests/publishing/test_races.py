"""Publishing at the same moment as something else: the claim row's lock decides.

Needs PostgreSQL: real row locks and concurrent transactions from two threads.
"""

from __future__ import annotations

import pytest
from django.db import connection

from annotations.models import Claim
from annotations.roles import sync_role_groups
from annotations.services.claims import claim_update
from claimdesk.errors import StaleVersion
from publishing import selectors
from publishing.models import Publication
from publishing.services import claim_publish
from tests.annotations.workflow.test_concurrency import race
from tests.publishing.helpers import EXPLANATION, newsroom

ROUNDS = 5


@pytest.fixture(autouse=True)
def _postgres_only(request):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks and truly concurrent transactions")


@pytest.fixture
def people(transactional_db):
    sync_role_groups()
    return newsroom()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_an_edit_and_a_publication_at_once_never_publish_the_edit(people):
    claim = people.accusation
    original = claim.statement
    outcomes = race(
        lambda: claim_publish(
            user=people.editor, claim_id=claim.pk, version=claim.version, explanation=EXPLANATION
        ),
        lambda: claim_update(
            user=people.researcher,
            claim_id=claim.pk,
            version=claim.version,
            statement="Edited while an editor published.",
        ),
    )
    published, edited = outcomes
    assert isinstance(edited, Claim), outcomes
    if isinstance(published, Publication):
        shown = selectors.public_review(claim.pk)
        assert shown.content["statement"] == original
        assert shown.under_review
    else:
        assert isinstance(published, StaleVersion), outcomes
        assert not Publication.objects.exists()
    assert selectors.current_review(claim.pk) is None


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_editors_publishing_at_once_make_one_publication(people):
    claim = people.accusation
    for _ in range(ROUNDS):
        outcomes = race(
            lambda: claim_publish(
                user=people.editor, claim_id=claim.pk, version=claim.version, explanation="A."
            ),
            lambda: claim_publish(
                user=people.manager, claim_id=claim.pk, version=claim.version, explanation="B."
            ),
        )
        assert all(isinstance(outcome, Publication) for outcome in outcomes), outcomes
        assert Publication.objects.filter(claim=claim).count() == 1
