"""`claim_reattach`: putting an orphaned or fuzzy claim back on a passage by hand."""

import pytest

from annotations.models import AnchorState, Claim, ClaimEvent, ClaimStatus, EventKind
from annotations.services.reviews import review_decide
from annotations.services.revisions import article_revise, claim_reattach
from claimdesk.errors import AnchorMismatch, InvalidTransition, NotAllowed, StaleVersion
from tests.annotations.revisions.conftest import PASSAGE

NEW_TEXT = (
    "Albania's prime minister said Iranian state hackers carried out the July attacks.\n\n"
    "Tehran rejected the accusation as baseless and said Iran had never attacked Albania."
)
NEW_PASSAGE = "Iranian state hackers carried out the July attacks"


def orphan(claim, user):
    article_revise(user=user, article_id=claim.article_id, text=NEW_TEXT)
    claim = Claim.objects.get(pk=claim.pk)
    assert claim.anchor_state == AnchorState.ORPHANED
    return claim


def reattach(claim, user, passage=NEW_PASSAGE, **overrides):
    start = NEW_TEXT.index(passage)
    arguments = {
        "user": user,
        "claim_id": claim.pk,
        "version": claim.version,
        "start": start,
        "end": start + len(passage),
        "exact": passage,
    }
    arguments.update(overrides)
    return claim_reattach(**arguments)


def test_author_reattaches_orphaned_claim_which_becomes_anchored(researcher, draft_claim):
    claim = orphan(draft_claim, researcher)

    claim = reattach(claim, researcher)

    assert claim.anchor_state == AnchorState.ANCHORED
    assert claim.exact == NEW_PASSAGE
    assert claim.revision.number == 2
    assert claim.revision.text[claim.start : claim.end] == NEW_PASSAGE
    assert claim.prefix == NEW_TEXT[: claim.start][-32:]
    assert claim.version == draft_claim.version + 2
    event = ClaimEvent.objects.filter(claim_id=claim.pk).latest("id")
    assert event.kind == EventKind.REATTACHED
    assert event.actor == researcher
    assert event.data["from"]["exact"] == PASSAGE and event.data["from"]["revision"] == 1
    assert event.data["to"]["exact"] == NEW_PASSAGE and event.data["to"]["revision"] == 2
    assert event.changes["anchor_state"] == ["orphaned", "anchored"]


def test_approved_claim_reattached_to_other_words_goes_back_to_review(
    researcher, reviewer, approved_claim
):
    claim = orphan(approved_claim, researcher)
    assert claim.status == ClaimStatus.APPROVED

    claim = reattach(claim, researcher)

    assert claim.status == ClaimStatus.SUBMITTED
    assert claim.submitted_at > approved_claim.submitted_at
    event = ClaimEvent.objects.filter(claim_id=claim.pk).latest("id")
    assert (event.from_status, event.to_status) == ("approved", "submitted")


def test_confirming_a_fuzzy_passage_keeps_a_reapproved_claim_approved(
    researcher, reviewer, approved_claim, text_of
):
    article_revise(
        user=researcher,
        article_id=approved_claim.article_id,
        text=text_of().replace("behind the July", "behind the June"),
    )
    claim = Claim.objects.get(pk=approved_claim.pk)
    assert (claim.anchor_state, claim.status) == (AnchorState.FUZZY, ClaimStatus.SUBMITTED)
    claim = review_decide(
        user=reviewer, claim_id=claim.pk, version=claim.version, decision="approve"
    )

    claim = claim_reattach(
        user=researcher,
        claim_id=claim.pk,
        version=claim.version,
        start=claim.start,
        end=claim.end,
        exact=claim.exact,
    )

    assert (claim.anchor_state, claim.status) == (AnchorState.ANCHORED, ClaimStatus.APPROVED)


def test_editor_reattaches_someone_elses_claim(researcher, editor, submitted_claim):
    claim = reattach(orphan(submitted_claim, researcher), editor)
    assert claim.anchor_state == AnchorState.ANCHORED


@pytest.mark.parametrize("role", ["other_researcher", "reviewer", "reader"])
def test_others_cannot_reattach(request, role, researcher, submitted_claim):
    claim = orphan(submitted_claim, researcher)
    with pytest.raises(NotAllowed):
        reattach(claim, request.getfixturevalue(role))
    assert Claim.objects.get(pk=claim.pk).anchor_state == AnchorState.ORPHANED


def test_someone_elses_draft_is_not_found_even_by_an_editor(researcher, editor, draft_claim):
    claim = orphan(draft_claim, researcher)
    with pytest.raises(Claim.DoesNotExist):
        reattach(claim, editor)


def test_stale_version_changes_nothing(researcher, draft_claim):
    claim = orphan(draft_claim, researcher)
    with pytest.raises(StaleVersion):
        reattach(claim, researcher, version=claim.version - 1)
    assert Claim.objects.get(pk=claim.pk).anchor_state == AnchorState.ORPHANED


def test_selection_that_does_not_match_the_text_is_refused(researcher, draft_claim):
    claim = orphan(draft_claim, researcher)
    with pytest.raises(AnchorMismatch):
        reattach(claim, researcher, exact="something else entirely, of the same length!!")
    assert Claim.objects.get(pk=claim.pk).anchor_state == AnchorState.ORPHANED


def test_anchored_claim_is_not_reattached(researcher, draft_claim):
    with pytest.raises(InvalidTransition):
        claim_reattach(
            user=researcher,
            claim_id=draft_claim.pk,
            version=draft_claim.version,
            start=draft_claim.start,
            end=draft_claim.end,
            exact=draft_claim.exact,
        )


def test_fuzzy_claim_can_be_reattached(researcher, draft_claim, text_of):
    article_revise(
        user=researcher,
        article_id=draft_claim.article_id,
        text=text_of().replace("behind the July", "behind the June"),
    )
    claim = Claim.objects.get(pk=draft_claim.pk)
    assert claim.anchor_state == AnchorState.FUZZY
    text = text_of()
    passage = "the Iranian state was behind the June cyberattacks on government services"
    start = text.index(passage)
    claim = claim_reattach(
        user=researcher,
        claim_id=claim.pk,
        version=claim.version,
        start=start,
        end=start + len(passage),
        exact=passage,
    )
    assert (claim.anchor_state, claim.exact) == (AnchorState.ANCHORED, passage)
