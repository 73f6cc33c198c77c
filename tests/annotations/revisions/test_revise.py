"""`article_revise`: a new text makes a revision and re-anchors every claim of the article."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.models import AnchorState, Claim, ClaimEvent, ClaimStatus, EventKind
from annotations.services.claims import claim_submit
from annotations.services.reviews import review_decide
from annotations.services.revisions import article_revise
from articles.models import ArticleRevision
from claimdesk.errors import InvalidInput, NotAllowed, StaleVersion
from tests.annotations.revisions.conftest import PASSAGE, code_word
from tests.factories import ArticleFactory, make_claim


def reanchored_events(claim):
    return ClaimEvent.objects.filter(claim_id=claim.pk, kind=EventKind.REANCHORED).order_by("id")


def test_insertion_before_passage_moves_claim_to_the_right_offsets(
    researcher, draft_claim, text_of
):
    old_text = text_of()
    inserted = "Updated on Thursday with the government's statement.\n\n"

    result = article_revise(
        user=researcher, article_id=draft_claim.article_id, text=inserted + old_text
    )

    claim = Claim.objects.get(pk=draft_claim.pk)
    assert result.changed and result.revision.number == 2
    assert claim.anchor_state == AnchorState.MOVED
    assert (claim.start, claim.end) == (
        draft_claim.start + len(inserted),
        draft_claim.end + len(inserted),
    )
    assert result.revision.text[claim.start : claim.end] == PASSAGE == claim.exact
    assert claim.revision_id == result.revision.pk
    assert claim.version == draft_claim.version + 1
    assert result.counts == {"anchored": 0, "moved": 1, "fuzzy": 0, "orphaned": 0}
    (event,) = reanchored_events(claim)
    assert event.actor == researcher
    assert event.version == claim.version
    assert event.data["from"]["start"] == draft_claim.start
    assert event.data["to"]["start"] == claim.start
    assert event.data["from"]["revision"] == 1 and event.data["to"]["revision"] == 2
    assert event.changes["anchor_state"] == ["anchored", "moved"]


def test_edit_after_passage_keeps_claim_anchored(researcher, draft_claim, text_of):
    result = article_revise(
        user=researcher, article_id=draft_claim.article_id, text=text_of() + "\n\nA late addition."
    )
    claim = Claim.objects.get(pk=draft_claim.pk)
    assert claim.anchor_state == AnchorState.ANCHORED
    assert (claim.start, claim.end, claim.revision_id) == (
        draft_claim.start,
        draft_claim.end,
        result.revision.pk,
    )


def test_changed_word_inside_passage_makes_claim_fuzzy_and_approved_claim_back_to_submitted(
    researcher, approved_claim, text_of
):
    assert approved_claim.status == ClaimStatus.APPROVED
    submitted_before = approved_claim.submitted_at

    result = article_revise(
        user=researcher,
        article_id=approved_claim.article_id,
        text=text_of().replace("behind the July", "behind the June"),
    )

    claim = Claim.objects.get(pk=approved_claim.pk)
    assert claim.anchor_state == AnchorState.FUZZY
    assert claim.exact == "the Iranian state was behind the June cyberattacks"
    assert result.revision.text[claim.start : claim.end] == claim.exact
    assert claim.status == ClaimStatus.SUBMITTED
    assert claim.submitted_at > submitted_before
    assert result.resubmitted == 1
    (event,) = reanchored_events(claim)
    assert (event.from_status, event.to_status) == (ClaimStatus.APPROVED, ClaimStatus.SUBMITTED)
    assert event.changes["status"] == ["approved", "submitted"]
    assert event.data["from"]["exact"] == PASSAGE
    assert event.data["resubmitted_for_review"] is True


def test_fuzzy_submitted_claim_stays_submitted_in_a_new_review_round(
    researcher, submitted_claim, text_of
):
    article_revise(
        user=researcher,
        article_id=submitted_claim.article_id,
        text=text_of().replace("behind the July", "behind the June"),
    )
    claim = Claim.objects.get(pk=submitted_claim.pk)
    assert (claim.anchor_state, claim.status) == (AnchorState.FUZZY, ClaimStatus.SUBMITTED)
    # Approvals given to the old quote must not count: the round starts again.
    assert claim.submitted_at > submitted_claim.submitted_at


def test_deleted_passage_orphans_claim_which_keeps_quote_offsets_and_revision(
    researcher, draft_claim, text_of
):
    paragraphs = text_of().split("\n\n")
    result = article_revise(
        user=researcher, article_id=draft_claim.article_id, text="\n\n".join(paragraphs[1:])
    )

    claim = Claim.objects.get(pk=draft_claim.pk)
    assert claim.anchor_state == AnchorState.ORPHANED
    assert (claim.exact, claim.start, claim.end) == (PASSAGE, draft_claim.start, draft_claim.end)
    assert (claim.prefix, claim.suffix) == (draft_claim.prefix, draft_claim.suffix)
    # An orphan stays on the last revision it was found in, where its offsets still hold.
    assert claim.revision_id == draft_claim.revision_id
    assert claim.revision.text[claim.start : claim.end] == claim.exact
    assert claim.version == draft_claim.version + 1
    assert result.counts["orphaned"] == 1
    (event,) = reanchored_events(claim)
    assert event.changes == {"anchor_state": ["anchored", "orphaned"]}
    assert event.data["to"]["revision"] == 1


def test_orphan_found_again_in_a_later_revision_comes_back(researcher, draft_claim, text_of):
    original = text_of()
    article_revise(
        user=researcher,
        article_id=draft_claim.article_id,
        text="\n\n".join(original.split("\n\n")[1:]),
    )
    result = article_revise(user=researcher, article_id=draft_claim.article_id, text=original)

    claim = Claim.objects.get(pk=draft_claim.pk)
    assert claim.anchor_state in {AnchorState.ANCHORED, AnchorState.MOVED}
    assert claim.revision_id == result.revision.pk
    assert (claim.start, claim.end) == (draft_claim.start, draft_claim.end)
    assert reanchored_events(claim).count() == 2


def test_every_claim_is_reanchored_whatever_its_status(
    researcher, reviewer, article, draft_claim, submitted_claim, text_of
):
    rejected = make_claim(
        author=researcher, article=article, exact="Tehran rejected the accusation"
    )
    rejected = claim_submit(user=researcher, claim_id=rejected.pk, version=rejected.version)
    review_decide(
        user=reviewer,
        claim_id=rejected.pk,
        version=rejected.version,
        decision="reject",
        reason="misattributed",
        comment="Someone else said it.",
    )

    result = article_revise(
        user=researcher, article_id=article.pk, text="Breaking.\n\n" + text_of()
    )

    assert result.touched == 3
    for claim in (draft_claim, submitted_claim, rejected):
        assert reanchored_events(claim).count() == 1
    assert set(Claim.objects.filter(article=article).values_list("anchor_state", flat=True)) == {
        AnchorState.MOVED
    }


def test_unchanged_text_makes_no_revision_and_touches_no_claim(researcher, draft_claim, text_of):
    # Windows line ends and stray spaces normalise to the very same text.
    messy = text_of().replace("\n", "\r\n").replace("Tehran rejected", "Tehran  rejected")

    result = article_revise(user=researcher, article_id=draft_claim.article_id, text=messy)

    assert not result.changed and result.revision.number == 1
    assert result.counts["anchored"] == 1
    assert ArticleRevision.objects.filter(article_id=draft_claim.article_id).count() == 1
    assert not reanchored_events(draft_claim).exists()
    assert Claim.objects.get(pk=draft_claim.pk).version == draft_claim.version


def test_new_text_is_stored_normalised(researcher, article, text_of):
    result = article_revise(
        user=researcher,
        article_id=article.pk,
        text="Caf\u0065\u0301 opens.\r\n\r\n\r\nSecond\u00a0one. ",
    )
    assert result.revision.text == "Café opens.\n\nSecond one."
    assert text_of() == result.revision.text
    article.refresh_from_db()
    assert article.text_sha256 == result.revision.sha256


@pytest.mark.parametrize("text", ["   \n\n ", "A NUL \x00 here."], ids=["empty", "nul"])
def test_unusable_text_is_refused_as_a_field_error(researcher, article, text):
    with pytest.raises(InvalidInput) as caught:
        article_revise(user=researcher, article_id=article.pk, text=text)
    assert caught.value.field == "text"
    assert article.revisions.count() == 1


def test_over_long_text_is_refused(researcher, article, settings):
    settings.MAX_ARTICLE_LENGTH = 100
    with pytest.raises(InvalidInput) as caught:
        article_revise(user=researcher, article_id=article.pk, text="word " * 50)
    assert caught.value.field == "text"
    assert "100" in caught.value.detail


@pytest.mark.parametrize("role", ["reviewer", "reader"])
def test_only_researchers_and_editors_revise(request, role, article):
    user = request.getfixturevalue(role)
    with pytest.raises(NotAllowed):
        article_revise(user=user, article_id=article.pk, text="Another text.")
    assert article.revisions.count() == 1


def test_editor_revises(editor, draft_claim, text_of):
    result = article_revise(
        user=editor, article_id=draft_claim.article_id, text=text_of() + " Yes."
    )
    assert result.changed and result.revision.author == editor


def test_stale_base_revision_changes_nothing(researcher, draft_claim, text_of):
    article_revise(user=researcher, article_id=draft_claim.article_id, text=text_of() + " One.")
    with pytest.raises(StaleVersion) as caught:
        article_revise(
            user=researcher,
            article_id=draft_claim.article_id,
            text="Someone else's text.",
            expected_revision=1,
        )
    assert caught.value.field == "revision"
    assert ArticleRevision.objects.filter(article_id=draft_claim.article_id).count() == 2
    assert "Someone else" not in text_of()


def test_note_is_kept_on_the_revision(researcher, article, text_of):
    result = article_revise(
        user=researcher, article_id=article.pk, text=text_of() + " Fixed.", note="Typo in the lede"
    )
    assert result.revision.note == "Typo in the lede"
    assert result.revision.author == researcher


def _article_with_claims(author, count):
    names = [code_word(i) for i in range(count)]
    sentences = [
        f"Sentence {i} reports that official {name} spoke." for i, name in enumerate(names)
    ]
    article = ArticleFactory(text="\n\n".join(sentences))
    for name in names:
        make_claim(author=author, article=article, exact=f"official {name} spoke")
    return article


def test_reanchoring_costs_the_same_queries_for_n_and_2n_claims(researcher):
    counts = []
    for size in (6, 12):
        article = _article_with_claims(researcher, size)
        paragraphs = article.text.split("\n\n")
        # Moved (all), one changed word, one passage gone: every path of the re-anchoring.
        paragraphs[1] = paragraphs[1].replace("spoke", "spoke out")
        del paragraphs[2]
        text = "A new first paragraph.\n\n" + "\n\n".join(paragraphs)
        with CaptureQueriesContext(connection) as queries:
            result = article_revise(user=researcher, article_id=article.pk, text=text)
        assert result.touched == size
        assert result.counts["orphaned"] >= 1
        counts.append(len(queries))
    assert counts[0] == counts[1]
