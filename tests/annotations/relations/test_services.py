"""The relation services against the database (both of them): add, remove, the refusals
(itself, twice, another project, a claim the user cannot see, someone else's claim), an
approved claim back to review, and the audit events with the relations before and after."""

import pytest

from annotations.models import Claim, ClaimEvent, ClaimRelation, EventKind
from annotations.services.claims import claim_submit, claim_update
from annotations.services.relations import (
    RelationLink,
    can_relate_claim,
    relation_add,
    relation_remove,
)
from annotations.services.reviews import review_decide
from claimdesk.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound, StaleVersion
from projects import access
from projects.models import Membership, Project
from tests.factories import ArticleFactory, make_claim

pytestmark = pytest.mark.django_db

DENIAL = "Tehran rejected the accusation as baseless"


@pytest.fixture
def accusation(researcher, article):
    return make_claim(author=researcher, article=article)


@pytest.fixture
def denial(researcher, article):
    return make_claim(
        author=researcher,
        article=article,
        exact=DENIAL,
        statement="Iran denies that it attacked Albania.",
        certainty="denied",
    )


def approve(claim, author, reviewer) -> Claim:
    claim = claim_submit(user=author, claim_id=claim.pk, version=claim.version)
    return review_decide(
        user=reviewer, claim_id=claim.pk, version=claim.version, decision="approve"
    )


def state(claim):
    claim = Claim.objects.get(pk=claim.pk)
    return (
        claim.status,
        claim.version,
        ClaimRelation.objects.count(),
        ClaimEvent.objects.filter(claim_id=claim.pk).count(),
    )


def test_the_author_records_that_a_denial_denies_an_accusation(researcher, accusation, denial):
    relation = relation_add(
        user=researcher, claim_id=denial.pk, kind="denies", to_claim_id=accusation.pk
    )

    assert (relation.from_claim_id, relation.kind, relation.to_claim_id) == (
        denial.pk,
        "denies",
        accusation.pk,
    )
    assert relation.created_by == researcher
    denial.refresh_from_db()
    assert (denial.status, denial.version) == ("draft", 2)
    event = ClaimEvent.objects.filter(claim_id=denial.pk).latest("id")
    assert event.kind == EventKind.RELATED
    assert event.changes == {"relations": [[], [["denies", accusation.pk]]]}
    assert event.data["to_claim"] == accusation.pk
    assert event.actor == researcher


def test_removing_a_relation_writes_an_unrelated_event(researcher, accusation, denial):
    relation = relation_add(
        user=researcher, claim_id=denial.pk, kind="denies", to_claim_id=accusation.pk
    )

    claim = relation_remove(user=researcher, claim_id=denial.pk, relation_id=relation.pk)

    assert not ClaimRelation.objects.exists()
    assert claim.version == 3
    event = ClaimEvent.objects.filter(claim_id=denial.pk).latest("id")
    assert event.kind == EventKind.UNRELATED
    assert event.changes == {"relations": [[["denies", accusation.pk]], []]}


def test_a_claim_cannot_relate_to_itself(researcher, denial):
    before = state(denial)
    with pytest.raises(InvalidInput) as caught:
        relation_add(user=researcher, claim_id=denial.pk, kind="denies", to_claim_id=denial.pk)
    assert caught.value.errors[0]["code"] == "self_relation"
    assert state(denial) == before


def test_the_same_relation_is_recorded_once(researcher, accusation, denial):
    relation_add(user=researcher, claim_id=denial.pk, kind="denies", to_claim_id=accusation.pk)
    before = state(denial)
    with pytest.raises(InvalidInput) as caught:
        relation_add(user=researcher, claim_id=denial.pk, kind="denies", to_claim_id=accusation.pk)
    assert (caught.value.field, caught.value.errors[0]["code"]) == ("to_claim", "duplicate")
    assert state(denial) == before
    # Another kind between the same claims is another relation.
    relation_add(user=researcher, claim_id=denial.pk, kind="contradicts", to_claim_id=accusation.pk)
    assert ClaimRelation.objects.count() == 2


def test_an_unknown_kind_is_refused(researcher, accusation, denial):
    with pytest.raises(InvalidInput) as caught:
        relation_add(user=researcher, claim_id=denial.pk, kind="refutes", to_claim_id=accusation.pk)
    assert caught.value.field == "kind"


def test_both_claims_belong_to_the_same_project(researcher, denial):
    other_desk = Project.objects.create(name="Other desk", slug="other-desk")
    Membership.objects.create(user=researcher, project=other_desk, is_researcher=True)
    access.forget(researcher)
    elsewhere = make_claim(author=researcher, article=ArticleFactory(project=other_desk))
    before = state(denial)

    with pytest.raises(InvalidInput) as caught:
        relation_add(user=researcher, claim_id=denial.pk, kind="denies", to_claim_id=elsewhere.pk)

    assert (caught.value.field, caught.value.errors[0]["code"]) == ("to_claim", "other_project")
    assert state(denial) == before


def test_a_claim_the_user_cannot_see_is_not_found(researcher, other_researcher, denial, article):
    # Another researcher's draft is private to them; another desk's claim is out of sight.
    hidden_draft = make_claim(author=other_researcher, article=article)
    other_desk = Project.objects.create(name="Other desk", slug="other-desk")
    Membership.objects.create(user=other_researcher, project=other_desk, is_researcher=True)
    access.forget(other_researcher)
    elsewhere = make_claim(author=other_researcher, article=ArticleFactory(project=other_desk))
    elsewhere = claim_submit(user=other_researcher, claim_id=elsewhere.pk, version=1)

    for invisible in (hidden_draft, elsewhere):
        with pytest.raises(NotFound) as caught:
            relation_add(
                user=researcher, claim_id=denial.pk, kind="denies", to_claim_id=invisible.pk
            )
        assert caught.value.field == "to_claim"
        assert caught.value.status == 404
    with pytest.raises(NotFound):
        relation_add(user=researcher, claim_id=denial.pk, kind="denies", to_claim_id=2**40)
    assert not ClaimRelation.objects.exists()


def test_only_the_author_relates_their_claim(other_researcher, researcher, accusation, denial):
    denial = claim_submit(user=researcher, claim_id=denial.pk, version=denial.version)
    assert not can_relate_claim(other_researcher, denial)
    with pytest.raises(NotAllowed):
        relation_add(
            user=other_researcher, claim_id=denial.pk, kind="denies", to_claim_id=accusation.pk
        )
    # Someone else's draft is not even there for them.
    with pytest.raises(NotFound):
        relation_add(
            user=other_researcher, claim_id=accusation.pk, kind="denies", to_claim_id=denial.pk
        )


def test_a_submitted_claim_is_not_related_while_under_review(researcher, accusation, denial):
    denial = claim_submit(user=researcher, claim_id=denial.pk, version=denial.version)
    assert not can_relate_claim(researcher, denial)
    with pytest.raises(InvalidTransition):
        relation_add(user=researcher, claim_id=denial.pk, kind="denies", to_claim_id=accusation.pk)


def test_a_stale_version_changes_nothing(researcher, accusation, denial):
    before = state(denial)
    with pytest.raises(StaleVersion):
        relation_add(
            user=researcher,
            claim_id=denial.pk,
            kind="denies",
            to_claim_id=accusation.pk,
            version=denial.version + 1,
        )
    assert state(denial) == before


def test_relating_an_approved_claim_sends_it_back_to_review(
    researcher, reviewer, accusation, denial
):
    denial = approve(denial, researcher, reviewer)
    assert denial.status == "approved"
    round_before = denial.review_round

    relation_add(user=researcher, claim_id=denial.pk, kind="denies", to_claim_id=accusation.pk)

    denial.refresh_from_db()
    assert denial.status == "submitted"
    assert denial.review_round == round_before + 1
    event = ClaimEvent.objects.filter(claim_id=denial.pk).latest("id")
    assert (event.kind, event.from_status, event.to_status) == ("related", "approved", "submitted")
    assert event.data["resubmitted_for_review"] is True


def test_unrelating_an_approved_claim_sends_it_back_to_review(
    researcher, reviewer, accusation, denial
):
    relation = relation_add(
        user=researcher, claim_id=denial.pk, kind="denies", to_claim_id=accusation.pk
    )
    denial = approve(Claim.objects.get(pk=denial.pk), researcher, reviewer)

    relation_remove(user=researcher, claim_id=denial.pk, relation_id=relation.pk)

    denial.refresh_from_db()
    assert denial.status == "submitted"


def test_a_relation_of_another_claim_is_not_removed_through_this_one(
    researcher, accusation, denial
):
    relation = relation_add(
        user=researcher, claim_id=denial.pk, kind="denies", to_claim_id=accusation.pk
    )
    with pytest.raises(NotFound):
        relation_remove(user=researcher, claim_id=accusation.pk, relation_id=relation.pk)
    assert ClaimRelation.objects.count() == 1


def test_an_edit_changes_words_and_relations_and_sends_back_to_review_once(
    researcher, reviewer, accusation, denial
):
    denial = approve(denial, researcher, reviewer)
    round_before = denial.review_round

    claim = claim_update(
        user=researcher,
        claim_id=denial.pk,
        version=denial.version,
        statement="Iran denies any part in the attacks.",
        relations=[RelationLink("denies", accusation.pk)],
    )

    assert claim.status == "submitted"
    assert claim.review_round == round_before + 1
    kinds = list(
        ClaimEvent.objects.filter(claim_id=denial.pk).order_by("-id").values_list("kind", flat=True)
    )[:2]
    assert kinds == ["related", "edited"]


def test_an_edit_replaces_the_relations(researcher, accusation, denial):
    relation_add(user=researcher, claim_id=denial.pk, kind="denies", to_claim_id=accusation.pk)
    denial.refresh_from_db()

    claim_update(
        user=researcher,
        claim_id=denial.pk,
        version=denial.version,
        relations=[RelationLink("contradicts", accusation.pk)],
    )

    assert list(ClaimRelation.objects.values_list("kind", flat=True)) == ["contradicts"]
    kinds = list(
        ClaimEvent.objects.filter(claim_id=denial.pk).order_by("-id").values_list("kind", flat=True)
    )[:2]
    assert kinds == ["related", "unrelated"]
    # Saving the same relations again changes nothing.
    denial.refresh_from_db()
    same = claim_update(
        user=researcher,
        claim_id=denial.pk,
        version=denial.version,
        relations=[RelationLink("contradicts", accusation.pk)],
    )
    assert same.version == denial.version


def test_an_edit_refuses_a_row_naming_the_row(researcher, denial):
    with pytest.raises(InvalidInput) as caught:
        claim_update(
            user=researcher,
            claim_id=denial.pk,
            version=denial.version,
            relations=[RelationLink("denies", denial.pk)],
        )
    assert caught.value.field == "relations.0.to_claim"


def test_a_new_claim_is_created_with_its_relations(researcher, accusation, article):
    from annotations.services.claims import claim_create

    text = article.current_revision.text
    start = text.index(DENIAL)
    claim = claim_create(
        user=researcher,
        article=article,
        start=start,
        end=start + len(DENIAL),
        exact=DENIAL,
        statement="Iran denies it.",
        claimant_id=accusation.claimant_id,
        relations=[RelationLink("denies", accusation.pk)],
        submit=True,
    )

    assert claim.status == "submitted"
    assert ClaimRelation.objects.get().from_claim_id == claim.pk
    kinds = list(
        ClaimEvent.objects.filter(claim_id=claim.pk).order_by("id").values_list("kind", flat=True)
    )
    assert kinds == ["created", "related", "submitted"]


def test_a_claim_relates_to_a_bounded_number_of_claims(settings, researcher, article, denial):
    settings.MAX_LINKS_PER_CLAIM = 2
    others = [make_claim(author=researcher, article=article) for _ in range(3)]
    for other in others[:2]:
        relation_add(user=researcher, claim_id=denial.pk, kind="denies", to_claim_id=other.pk)
    with pytest.raises(InvalidInput) as caught:
        relation_add(user=researcher, claim_id=denial.pk, kind="denies", to_claim_id=others[2].pk)
    assert caught.value.errors[0]["code"] == "max_items"
    denial.refresh_from_db()
    with pytest.raises(InvalidInput):
        claim_update(
            user=researcher,
            claim_id=denial.pk,
            version=denial.version,
            relations=[RelationLink("supports", other.pk) for other in others],
        )


def test_the_other_claims_author_is_notified_and_the_one_who_relates_is_not(
    researcher, other_researcher, article, denial
):
    from worklist.models import Notification, NotificationKind

    theirs = make_claim(author=other_researcher, article=article)
    theirs = claim_submit(user=other_researcher, claim_id=theirs.pk, version=theirs.version)
    relation = relation_add(
        user=researcher, claim_id=denial.pk, kind="denies", to_claim_id=theirs.pk
    )
    notices = Notification.objects.filter(kind=NotificationKind.RELATION)
    assert [(n.recipient_id, n.claim_id, n.relation_id, n.sender_id) for n in notices] == [
        (other_researcher.pk, theirs.pk, relation.pk, researcher.pk)
    ]
