"""The cue and source mention of a claim: checked by one service rule, recorded in the
audit trail, substantive for the workflow, carried along when the text is revised."""

import pytest

from annotations.models import AnchorState, Claim, ClaimEvent, ClaimStatus, EventKind
from annotations.services.claims import MarkedSpan, claim_update
from annotations.services.revisions import article_revise, claim_reattach
from claimdesk.errors import AnchorMismatch, InvalidInput
from tests.annotations.revisions.conftest import approve
from tests.factories import ARTICLE_TEXT, ActorFactory, make_claim

CUE, SOURCE = "said", "Edi Rama"


def span_of(text: str, words: str, exact: str | None = "same") -> MarkedSpan:
    start = text.index(words)
    return MarkedSpan(start, start + len(words), words if exact == "same" else exact)


def with_triple(claim, *, user, cue=CUE, source=SOURCE):
    text = claim.revision.text
    return claim_update(
        user=user,
        claim_id=claim.pk,
        version=claim.version,
        cue=span_of(text, cue),
        source_mention=span_of(text, source),
    )


def test_cue_and_source_mention_are_kept_and_recorded_in_the_edit_event(researcher, draft_claim):
    claim = with_triple(draft_claim, user=researcher)

    text = claim.revision.text
    assert claim.marked_span("cue") == (text.index(CUE), text.index(CUE) + 4, CUE)
    assert claim.source_mention_exact == SOURCE
    event = ClaimEvent.objects.filter(claim_id=claim.pk, kind=EventKind.EDITED).get()
    assert event.changes["cue"] == [None, [text.index(CUE), text.index(CUE) + 4, CUE]]
    assert event.changes["source_mention"][0] is None


def test_offsets_alone_take_the_words_from_the_text(researcher, draft_claim):
    text = draft_claim.revision.text
    claim = claim_update(
        user=researcher,
        claim_id=draft_claim.pk,
        version=draft_claim.version,
        cue=span_of(text, CUE, exact=None),
    )
    assert claim.cue_exact == CUE


@pytest.mark.parametrize(
    ("span", "field", "error"),
    [
        (lambda t: MarkedSpan(t.index(CUE), t.index(CUE) + 4, "says"), "cue.exact", AnchorMismatch),
        (lambda t: MarkedSpan(len(t), len(t) + 3, "abc"), "cue.start", AnchorMismatch),
        (lambda t: MarkedSpan(5, 5, ""), "cue.end", AnchorMismatch),
        (lambda t: MarkedSpan(0, len(t) + 1, None), "cue.end", AnchorMismatch),
    ],
)
def test_a_cue_that_does_not_match_the_text_is_refused_naming_the_field(
    researcher, draft_claim, span, field, error
):
    with pytest.raises(error) as caught:
        claim_update(
            user=researcher,
            claim_id=draft_claim.pk,
            version=draft_claim.version,
            cue=span(draft_claim.revision.text),
        )
    assert caught.value.field == field
    assert Claim.objects.get(pk=draft_claim.pk).cue_start is None


def test_a_source_mention_splitting_a_character_is_refused(researcher):
    from tests.factories import ArticleFactory

    article = ArticleFactory(text="👩‍👩‍👧 Rama said the state was behind it.")
    claim = make_claim(author=researcher, article=article, exact="the state was behind it")
    with pytest.raises(InvalidInput) as caught:
        claim_update(
            user=researcher,
            claim_id=claim.pk,
            version=claim.version,
            source_mention=MarkedSpan(1, 3, None),
        )
    assert caught.value.field == "source_mention.start"


def test_clearing_the_cue_of_an_approved_claim_sends_it_back_to_review(
    researcher, reviewer, article
):
    claim = with_triple(make_claim(author=researcher, article=article), user=researcher)
    claim = approve(claim, author=researcher, reviewer=reviewer)
    assert claim.status == ClaimStatus.APPROVED

    claim = claim_update(user=researcher, claim_id=claim.pk, version=claim.version, cue=None)

    assert claim.status == ClaimStatus.SUBMITTED
    assert claim.cue_start is None and claim.cue_exact == ""
    event = ClaimEvent.objects.filter(claim_id=claim.pk, kind=EventKind.EDITED).last()
    assert event.changes["cue"][1] is None


def test_an_edit_leaving_the_spans_out_keeps_them(researcher, draft_claim):
    claim = with_triple(draft_claim, user=researcher)
    claim = claim_update(
        user=researcher, claim_id=claim.pk, version=claim.version, statement="Changed."
    )
    assert claim.cue_exact == CUE and claim.source_mention_exact == SOURCE


def test_revising_the_text_moves_the_cue_and_source_mention_with_the_passage(
    researcher, draft_claim
):
    claim = with_triple(draft_claim, user=researcher)
    inserted = "Updated on Thursday.\n\n"

    article_revise(user=researcher, article_id=claim.article_id, text=inserted + ARTICLE_TEXT)

    claim = Claim.objects.get(pk=claim.pk)
    text = claim.revision.text
    assert claim.anchor_state == AnchorState.MOVED
    assert text[claim.cue_start : claim.cue_end] == CUE == claim.cue_exact
    assert claim.cue_start == draft_claim.revision.text.index(CUE) + len(inserted)
    assert text[claim.source_mention_start : claim.source_mention_end] == SOURCE
    event = ClaimEvent.objects.filter(claim_id=claim.pk, kind=EventKind.REANCHORED).get()
    assert event.changes["cue"][1] == [claim.cue_start, claim.cue_end, CUE]
    assert "dropped" not in event.data


def test_a_cue_that_is_gone_from_the_new_text_is_dropped_and_the_event_says_so(
    researcher, draft_claim
):
    claim = with_triple(draft_claim, user=researcher, source="Albania's prime minister Edi Rama")
    new_text = ARTICLE_TEXT.replace(
        "Albania's prime minister Edi Rama said on Wednesday",
        "On Wednesday it emerged",
    )

    article_revise(user=researcher, article_id=claim.article_id, text=new_text)

    claim = Claim.objects.get(pk=claim.pk)
    assert claim.anchor_state in {AnchorState.MOVED, AnchorState.ANCHORED}
    assert claim.source_mention_start is None and claim.source_mention_exact == ""
    event = ClaimEvent.objects.filter(claim_id=claim.pk, kind=EventKind.REANCHORED).get()
    assert "source_mention" in event.data["dropped"]
    assert event.changes["source_mention"][1] is None


def test_an_orphaned_claim_keeps_its_spans_on_its_old_revision(researcher, draft_claim):
    claim = with_triple(draft_claim, user=researcher)
    old_revision = claim.revision_id

    article_revise(
        user=researcher, article_id=claim.article_id, text="Something else entirely.\n\nNew."
    )

    claim = Claim.objects.get(pk=claim.pk)
    assert claim.anchor_state == AnchorState.ORPHANED
    assert claim.revision_id == old_revision
    assert claim.cue_exact == CUE
    assert claim.revision.text[claim.cue_start : claim.cue_end] == CUE


def test_reattaching_an_orphan_carries_its_spans_to_the_current_text(researcher, draft_claim):
    claim = with_triple(draft_claim, user=researcher)
    article_revise(
        user=researcher,
        article_id=claim.article_id,
        text="Edi Rama said Iran attacked.\n\nOther words.",
    )
    claim = Claim.objects.get(pk=claim.pk)
    assert claim.anchor_state == AnchorState.ORPHANED

    claim = claim_reattach(
        user=researcher,
        claim_id=claim.pk,
        version=claim.version,
        start=14,
        end=27,
        exact="Iran attacked",
    )

    text = claim.revision.text
    assert text[claim.cue_start : claim.cue_end] == CUE
    assert text[claim.source_mention_start : claim.source_mention_end] == SOURCE


def test_a_claim_created_with_its_triple(researcher, article):
    from annotations.services.claims import claim_create

    text = article.revisions.get().text
    passage = "the Iranian state was behind the July cyberattacks"
    claim = claim_create(
        user=researcher,
        article=article,
        start=text.index(passage),
        end=text.index(passage) + len(passage),
        exact=passage,
        statement="Iran did it.",
        claimant_id=ActorFactory().pk,
        cue=span_of(text, CUE),
        source_mention=span_of(text, SOURCE),
    )
    event = ClaimEvent.objects.get(claim_id=claim.pk, kind=EventKind.CREATED)
    assert event.changes["cue"] == [None, [text.index(CUE), text.index(CUE) + 4, CUE]]
    assert claim.source_mention_exact == SOURCE


def test_reattaching_drops_a_span_the_current_text_lost(researcher, draft_claim):
    claim = with_triple(draft_claim, user=researcher)
    article_revise(
        user=researcher, article_id=claim.article_id, text="Officials said Iran attacked.\n\nMore."
    )
    claim = Claim.objects.get(pk=claim.pk)
    assert claim.anchor_state == AnchorState.ORPHANED

    claim = claim_reattach(
        user=researcher,
        claim_id=claim.pk,
        version=claim.version,
        start=15,
        end=28,
        exact="Iran attacked",
    )

    assert claim.cue_exact == CUE and claim.source_mention_start is None
    event = ClaimEvent.objects.filter(claim_id=claim.pk, kind=EventKind.REATTACHED).get()
    assert event.data["dropped"] == ["source_mention"]
    assert event.changes["source_mention"][1] is None
