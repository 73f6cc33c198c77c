"""Every "may I?" answer equals what its service does.

For each role and each claim status, the check a page asks before showing a button is
compared with the service itself: the check says yes exactly when the service does not
refuse with NotAllowed, SelfReview or InvalidTransition. A service that succeeds is
rolled back, so every cell starts from the same claim.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from annotations.models import ActorKind, ClaimStatus
from annotations.services import actors as actor_services
from annotations.services.claims import (
    can_create_claim,
    can_delete_claim,
    can_edit_claim,
    can_submit_claim,
    claim_create,
    claim_delete,
    claim_submit,
    claim_update,
)
from annotations.services.reviews import can_decide, review_decide
from annotations.services.revisions import article_revise, can_revise_article
from articles import sources
from claimdesk.errors import InvalidTransition, NotAllowed, SelfReview
from tests.factories import ActorFactory, ArticleFactory, SourceFactory, UserFactory, make_claim

pytestmark = pytest.mark.django_db

ROLES = ["author", "other_researcher", "reviewer", "editor", "superuser", "reader"]
STATUSES = [s.value for s in ClaimStatus]


class RolledBack(Exception):
    """Raised inside a savepoint to undo a service call that succeeded."""


def service_allows(call) -> bool:
    try:
        with transaction.atomic():
            call()
            raise RolledBack
    except RolledBack:
        return True
    except (NotAllowed, SelfReview, InvalidTransition):
        return False


@pytest.fixture
def people(db):
    superuser = UserFactory(username="root", roles=["researcher"])
    superuser.is_superuser = True
    superuser.save()
    return {
        "author": UserFactory(username="alma", roles=["researcher", "reviewer"]),
        "other_researcher": UserFactory(username="oscar", roles=["researcher"]),
        "reviewer": UserFactory(username="vera", roles=["reviewer"]),
        "editor": UserFactory(username="edith", roles=["editor"]),
        "superuser": superuser,
        "reader": UserFactory(username="nora"),
    }


def claim_in(status: str, author, reviewer):
    claim = make_claim(author=author)
    if status == ClaimStatus.DRAFT:
        return claim
    claim = claim_submit(user=author, claim_id=claim.pk, version=claim.version)
    decisions = {
        ClaimStatus.APPROVED: {"decision": "approve"},
        ClaimStatus.REJECTED: {
            "decision": "reject",
            "reason": "unsupported",
            "comment": "Not what the source says.",
        },
        ClaimStatus.CHANGES_REQUESTED: {"decision": "request_changes", "comment": "Cite it."},
    }
    if status in decisions:
        claim = review_decide(
            user=reviewer, claim_id=claim.pk, version=claim.version, **decisions[status]
        )
    assert claim.status == status
    return claim


def _edit(user, claim):
    return lambda: claim_update(
        user=user, claim_id=claim.pk, version=claim.version, statement="Said otherwise."
    )


def _submit(user, claim):
    return lambda: claim_submit(user=user, claim_id=claim.pk, version=claim.version)


def _delete(user, claim):
    return lambda: claim_delete(user=user, claim_id=claim.pk, version=claim.version)


def _decide(user, claim):
    return lambda: review_decide(
        user=user, claim_id=claim.pk, version=claim.version, decision="approve"
    )


CLAIM_ACTIONS = {
    "edit": (can_edit_claim, _edit),
    "submit": (can_submit_claim, _submit),
    "delete": (can_delete_claim, _delete),
    "decide": (can_decide, _decide),
}


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", list(CLAIM_ACTIONS))
def test_claim_checks_answer_as_the_services_act(people, reviewer, status, action):
    claim = claim_in(status, people["author"], reviewer)
    check, service = CLAIM_ACTIONS[action]
    table = {}
    for role in ROLES:
        user = people[role]
        claim.refresh_from_db()
        table[role] = (check(user, claim), service_allows(service(user, claim)))
    mismatches = {role: cell for role, cell in table.items() if cell[0] != cell[1]}
    assert not mismatches, f"{action} on a {status} claim: (check, service) {mismatches}"


@pytest.mark.parametrize(
    ("status", "action", "role", "allowed"),
    [
        ("draft", "edit", "author", True),
        ("draft", "submit", "other_researcher", False),
        ("submitted", "decide", "author", False),  # four eyes, even for a reviewer
        ("submitted", "decide", "reviewer", True),
        ("submitted", "edit", "author", False),
        ("approved", "edit", "author", True),  # and it goes back to review
        ("rejected", "delete", "author", False),
    ],
)
def test_some_cells_of_the_table(people, reviewer, status, action, role, allowed):
    claim = claim_in(status, people["author"], reviewer)
    assert CLAIM_ACTIONS[action][0](people[role], claim) is allowed


@pytest.mark.parametrize("role", ROLES)
def test_create_claim_check_answers_as_the_service_acts(people, role):
    article, claimant = ArticleFactory(), ActorFactory()
    text = article.current_revision.text
    exact = "Tehran rejected"
    user = people[role]
    allowed = service_allows(
        lambda: claim_create(
            user=user,
            article=article,
            start=text.index(exact),
            end=text.index(exact) + len(exact),
            exact=exact,
            statement="Iran denies it.",
            claimant_id=claimant.pk,
        )
    )
    assert can_create_claim(user, article) is allowed


REGISTRY = {
    "create_actor": (
        actor_services.can_create_actor,
        lambda user, ids: actor_services.actor_create(
            user=user, name="FBI", kind=ActorKind.ORGANISATION
        ),
    ),
    "update_actor": (
        actor_services.can_update_actor,
        lambda user, ids: actor_services.actor_update(
            user=user, actor_id=ids["actor"], description="Changed."
        ),
    ),
    "merge_actor": (
        actor_services.can_merge_actor,
        lambda user, ids: actor_services.actor_merge(
            user=user, actor_id=ids["actor"], into_id=ids["other"]
        ),
    ),
    "create_source": (
        sources.can_add_source,
        lambda user, ids: sources.source_create(user=user, name="Mandiant", kind="other"),
    ),
    "update_source": (
        sources.can_change_source,
        lambda user, ids: sources.source_update(
            user=user, source_id=ids["source"], notes="Changed."
        ),
    ),
    "revise_article": (
        can_revise_article,
        lambda user, ids: article_revise(
            user=user, article_id=ids["article"], text="Another text altogether."
        ),
    ),
}


@pytest.mark.parametrize("action", list(REGISTRY))
def test_registry_and_article_checks_answer_as_the_services_act(people, action):
    ids = {
        "article": ArticleFactory().pk,
        "actor": ActorFactory().pk,
        "other": ActorFactory().pk,
        "source": SourceFactory().pk,
    }
    check, service = REGISTRY[action]
    for role in ROLES:
        user = people[role]
        assert check(user) is service_allows(lambda user=user: service(user, ids)), role
