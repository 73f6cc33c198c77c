"""Review rounds: every path that changes the words or substance under review starts a
new round, and only the approvals of the claim's current round count, wherever approvals
are counted (the decision, the queue, its page, the exports)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from annotations.exports.claimreview import rated_claims
from annotations.exports.records import Links, iter_records
from annotations.models import AnchorState, Claim, ClaimStatus, Review
from annotations.selectors import review_queue
from annotations.services.reviews import approval_counts, approvers_this_round
from projects import access
from tests.annotations.workflow.steps import decide, edit, fresh, reattach, revise, submit
from tests.factories import make_claim, require_approvals

pytestmark = pytest.mark.django_db

# A text in which the passage is gone, and the words a claim is re-attached to.
NEW_TEXT = (
    "Albania's prime minister said Iranian state hackers carried out the July attacks.\n\n"
    "Tehran rejected the accusation as baseless and said Iran had never attacked Albania."
)
OTHER_WORDS = "Iranian state hackers carried out the July attacks"
# How a revision moves the passage, and the anchor state each leaves the claim in.
REVISIONS = {
    "exact": (lambda text: text + "\n\nA late addition.", AnchorState.ANCHORED),
    "moved": (lambda text: "A new first paragraph.\n\n" + text, AnchorState.MOVED),
    "fuzzy": (lambda text: text.replace("behind the July", "behind the June"), AnchorState.FUZZY),
}


def approvals(claim) -> int:
    claim = fresh(claim)
    counted = approval_counts([claim]).get(claim.pk, 0)
    assert counted == len(approvers_this_round(claim))  # both counts agree
    return counted


def assert_a_new_round(claim, before, *, approver, other) -> None:
    """`claim` is under review in the round after `before`'s: the approval `approver`
    gave before no longer counts, and `approver` may approve again."""
    assert claim.status == ClaimStatus.SUBMITTED
    assert claim.review_round == before.review_round + 1
    assert claim.submitted_at > before.submitted_at
    assert approvals(claim) == 0
    assert claim in review_queue(approver)  # shown again to who approved before
    claim = decide(other, claim)
    assert claim.status == ClaimStatus.SUBMITTED, "an approval of the earlier round counted"
    assert decide(approver, claim).status == ClaimStatus.APPROVED


def rounds_of_reviews(claim) -> list[tuple[str, int]]:
    return list(
        Review.objects.filter(claim_id=claim.pk)
        .order_by("id")
        .values_list("reviewer__username", "review_round")
    )


@pytest.fixture
def two_approvals(settings):
    require_approvals(settings, 2)


@pytest.fixture
def half_approved(two_approvals, researcher, reviewer, article):
    """Submitted, with the first of two required approvals."""
    claim = submit(researcher, make_claim(author=researcher, article=article))
    claim = decide(reviewer, claim)
    assert (claim.status, claim.review_round, approvals(claim)) == (ClaimStatus.SUBMITTED, 1, 1)
    return claim


@pytest.fixture
def fully_approved(half_approved, second_reviewer):
    claim = decide(second_reviewer, half_approved)
    assert (claim.status, claim.review_round, approvals(claim)) == (ClaimStatus.APPROVED, 1, 2)
    return claim


# --- where rounds start -----------------------------------------------------------------


def test_a_draft_is_in_round_zero_and_its_submission_starts_round_one(researcher, draft_claim):
    assert (draft_claim.review_round, draft_claim.submitted_at) == (0, None)

    claim = submit(researcher, draft_claim)

    assert claim.review_round == 1
    assert claim.submitted_at is not None


def test_every_decision_is_recorded_in_the_round_it_was_made(
    researcher, reviewer, second_reviewer, submitted_claim
):
    decide(second_reviewer, submitted_claim, "request_changes")
    claim = edit(researcher, submitted_claim, statement="Reworded.")
    assert claim.review_round == 1  # editing while changes are requested starts nothing
    claim = submit(researcher, claim)
    decide(reviewer, claim, "reject")

    assert fresh(claim).review_round == 2
    assert rounds_of_reviews(claim) == [
        (second_reviewer.username, 1),
        (reviewer.username, 2),
    ]


def test_resubmission_after_changes_requested_needs_all_approvals_again(
    half_approved, researcher, reviewer, second_reviewer
):
    decide(second_reviewer, half_approved, "request_changes")
    edit(researcher, half_approved, statement="Reworded.")

    claim = submit(researcher, half_approved)

    assert_a_new_round(claim, half_approved, approver=reviewer, other=second_reviewer)
    assert rounds_of_reviews(claim) == [
        (reviewer.username, 1),
        (second_reviewer.username, 1),
        (second_reviewer.username, 2),
        (reviewer.username, 2),  # the same reviewer approved again, in the new round
    ]
    assert rounds_of_reviews(claim) == [
        (reviewer.username, 1),
        (second_reviewer.username, 1),
        (second_reviewer.username, 2),
        (reviewer.username, 2),
    ]


def test_substantive_edit_of_an_approved_claim_starts_a_new_round(
    fully_approved, researcher, reviewer, second_reviewer
):
    claim = edit(researcher, fully_approved, certainty="alleged")

    assert claim in review_queue(second_reviewer)
    assert_a_new_round(claim, fully_approved, approver=reviewer, other=second_reviewer)


def test_note_only_edit_of_an_approved_claim_stays_in_its_round(fully_approved, researcher):
    claim = edit(researcher, fully_approved, note="Hm.")
    assert (claim.status, claim.review_round, approvals(claim)) == (ClaimStatus.APPROVED, 1, 2)
    assert claim.submitted_at == fully_approved.submitted_at


# --- re-anchoring -----------------------------------------------------------------------


@pytest.mark.parametrize("change", ["exact", "moved"])
def test_reanchoring_on_the_same_words_keeps_the_round_and_its_approvals(
    half_approved, researcher, reviewer, second_reviewer, change
):
    revision, state = REVISIONS[change]

    claim = revise(researcher, half_approved, revision)

    assert claim.anchor_state == state
    assert (claim.review_round, claim.submitted_at) == (1, half_approved.submitted_at)
    assert approvals(claim) == 1
    assert claim not in review_queue(reviewer)
    assert decide(second_reviewer, claim).status == ClaimStatus.APPROVED


@pytest.mark.parametrize("change", ["exact", "moved"])
def test_reanchoring_an_approved_claim_on_the_same_words_keeps_it_approved(
    fully_approved, researcher, change
):
    revision, state = REVISIONS[change]

    claim = revise(researcher, fully_approved, revision)

    assert (claim.anchor_state, claim.status) == (state, ClaimStatus.APPROVED)
    assert (claim.review_round, approvals(claim)) == (1, 2)


def test_fuzzy_reanchoring_of_a_claim_under_review_starts_a_new_round(
    half_approved, researcher, reviewer, second_reviewer
):
    claim = revise(researcher, half_approved, REVISIONS["fuzzy"][0])

    assert claim.anchor_state == AnchorState.FUZZY
    assert_a_new_round(claim, half_approved, approver=reviewer, other=second_reviewer)


def test_fuzzy_reanchoring_of_an_approved_claim_sends_it_to_a_new_round(
    fully_approved, researcher, reviewer, second_reviewer
):
    claim = revise(researcher, fully_approved, REVISIONS["fuzzy"][0])

    assert (claim.anchor_state, claim.status) == (AnchorState.FUZZY, ClaimStatus.SUBMITTED)
    assert (claim.review_round, approvals(claim)) == (2, 0)
    assert claim in review_queue(reviewer) and claim in review_queue(second_reviewer)


def test_reanchoring_starts_no_round_for_drafts_and_rejected_claims(researcher, reviewer, article):
    draft = make_claim(author=researcher, article=article)
    rejected = submit(researcher, make_claim(author=researcher, article=article))
    rejected = decide(reviewer, rejected, "reject")

    revise(researcher, draft, REVISIONS["fuzzy"][0])

    draft, after = fresh(draft), fresh(rejected)
    assert (draft.anchor_state, draft.status, draft.review_round) == (
        AnchorState.FUZZY,
        ClaimStatus.DRAFT,
        0,
    )
    assert (after.anchor_state, after.status, after.review_round) == (
        AnchorState.FUZZY,
        ClaimStatus.REJECTED,
        1,
    )
    assert after.submitted_at == rejected.submitted_at


# --- re-attaching -----------------------------------------------------------------------


def test_reattaching_a_claim_under_review_to_other_words_starts_a_new_round(
    half_approved, researcher, reviewer, second_reviewer
):
    claim = revise(researcher, half_approved, lambda text: NEW_TEXT)
    assert (claim.anchor_state, claim.review_round, approvals(claim)) == (
        AnchorState.ORPHANED,
        1,
        1,
    )

    claim = reattach(researcher, claim, OTHER_WORDS)

    assert (claim.anchor_state, claim.exact) == (AnchorState.ANCHORED, OTHER_WORDS)
    assert_a_new_round(claim, half_approved, approver=reviewer, other=second_reviewer)


def test_reattaching_an_approved_claim_to_other_words_starts_a_new_round(
    fully_approved, researcher, reviewer
):
    claim = revise(researcher, fully_approved, lambda text: NEW_TEXT)

    claim = reattach(researcher, claim, OTHER_WORDS)

    assert (claim.status, claim.review_round, approvals(claim)) == (ClaimStatus.SUBMITTED, 2, 0)
    assert claim in review_queue(reviewer)


def test_confirming_the_fuzzy_words_keeps_the_round(
    half_approved, researcher, reviewer, second_reviewer
):
    claim = revise(researcher, half_approved, REVISIONS["fuzzy"][0])
    claim = decide(second_reviewer, claim)  # the first approval of round 2

    claim = reattach(researcher, claim, claim.exact)

    assert (claim.anchor_state, claim.review_round, approvals(claim)) == (
        AnchorState.ANCHORED,
        2,
        1,
    )
    assert decide(reviewer, claim).status == ClaimStatus.APPROVED


def test_reattaching_a_draft_starts_no_round(researcher, draft_claim):
    claim = revise(researcher, draft_claim, lambda text: NEW_TEXT)

    claim = reattach(researcher, claim, OTHER_WORDS)

    assert (claim.status, claim.review_round, claim.submitted_at) == (ClaimStatus.DRAFT, 0, None)


# --- the readers of the round -----------------------------------------------------------


def test_the_queue_page_counts_the_approvals_of_the_current_round(
    client, half_approved, researcher, reviewer, second_reviewer
):
    client.force_login(second_reviewer)
    assert "1 of 2 approvals" in client.get(reverse("review_queue")).content.decode()

    revise(researcher, half_approved, REVISIONS["fuzzy"][0])

    assert "0 of 2 approvals" in client.get(reverse("review_queue")).content.decode()
    client.force_login(reviewer)
    assert "0 of 2 approvals" in client.get(reverse("review_queue")).content.decode()


def test_the_rating_of_an_earlier_round_is_not_exported(
    researcher, reviewer, second_reviewer, submitted_claim
):
    claim = decide(reviewer, submitted_claim, rating_value=4, rating_label="Mostly true")
    assert rated_claims(Claim.objects.filter(pk=claim.pk)).exists()
    claim = edit(researcher, claim, certainty="alleged")
    claim = decide(second_reviewer, claim)  # approved again, without a rating

    assert (claim.status, claim.review_round) == (ClaimStatus.APPROVED, 2)
    [record] = iter_records(Claim.objects.filter(pk=claim.pk), Links(base_url="http://x"))
    assert record["rating"] is None
    assert len(record["reviews"]) == 2  # the earlier review stays on record
    assert not rated_claims(Claim.objects.filter(pk=claim.pk)).exists()


def test_counting_approvals_and_the_queue_take_one_query_whatever_the_rounds(
    two_approvals, researcher, reviewer, second_reviewer, article
):
    def build(count):
        claims = []
        for _ in range(count):
            claim = submit(researcher, make_claim(author=researcher, article=article))
            claim = decide(reviewer, claim, "request_changes")
            claim = edit(researcher, claim, statement="Again.")
            claims.append(decide(reviewer, submit(researcher, claim)))
        return claims

    access.project_ids(second_reviewer)  # a request reads the memberships once, first

    def queries(claims):
        with CaptureQueriesContext(connection) as captured:
            counts = approval_counts(claims)
            queue = list(review_queue(second_reviewer))
        assert set(counts.values()) == {1}
        assert {claim.pk for claim in claims} <= {claim.pk for claim in queue}
        return len(captured)

    few = queries(build(2))
    assert queries(build(2) + build(2)) == few == 2


def test_the_api_gives_the_round_of_the_claim_and_of_each_review(
    researcher, reviewer, second_reviewer, submitted_claim
):
    decide(reviewer, submitted_claim, "request_changes")
    edit(researcher, submitted_claim, statement="Reworded.")
    claim = submit(researcher, submitted_claim)
    api = APIClient()
    api.force_authenticate(second_reviewer)

    response = api.post(
        reverse("v1:claim-review", args=[claim.pk]),
        {"version": claim.version, "decision": "approve"},
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["review_round"]) == ("approved", 2)
    assert [(r["decision"], r["review_round"]) for r in body["reviews"]] == [
        ("request_changes", 1),
        ("approve", 2),
    ]
    listed = api.get(reverse("v1:claim-list")).json()
    assert [c["review_round"] for c in listed["results"] if c["id"] == claim.pk] == [2]
