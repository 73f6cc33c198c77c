"""The workflow services against the database: every transition, the event it writes,
four-eyes, REQUIRED_APPROVALS, re-review after an edit, stale versions, and the author's
email after commit."""

import pytest
from django.db import transaction

from annotations.models import Claim, ClaimEvent, EventKind, Review
from annotations.selectors import review_queue
from annotations.services.claims import (
    ActorLink,
    SourceLink,
    claim_delete,
    claim_submit,
    claim_update,
)
from annotations.services.reviews import review_decide
from claimdesk.errors import (
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    SelfReview,
    StaleVersion,
)
from tests.factories import ActorFactory, SourceFactory, UserFactory, make_claim, require_approvals

pytestmark = pytest.mark.django_db

DECISION_INPUT = {
    "approve": {},
    "reject": {"reason": "misattributed", "comment": "Not what the source says."},
    "request_changes": {"comment": "Name the ministry that said it."},
}


def decide(user, claim, decision, **extra):
    return review_decide(
        user=user,
        claim_id=claim.pk,
        version=claim.version,
        decision=decision,
        **{**DECISION_INPUT[decision], **extra},
    )


def events(claim):
    return list(ClaimEvent.objects.filter(claim_id=claim.pk).order_by("id"))


def last_event(claim):
    return ClaimEvent.objects.filter(claim_id=claim.pk).latest("id")


def state(claim):
    """Everything a refused request must leave unchanged."""
    claim = Claim.objects.get(pk=claim.pk)
    return (
        claim.status,
        claim.version,
        claim.statement,
        claim.submitted_at,
        claim.reviewed_at,
        Review.objects.filter(claim=claim).count(),
        ClaimEvent.objects.filter(claim_id=claim.pk).count(),
    )


@pytest.fixture
def author_reviewer(db):
    """Both researcher and reviewer: may review, never their own claims."""
    return UserFactory(username="ruth", roles=["researcher", "reviewer"])


# --- submit -----------------------------------------------------------------------------


def test_author_submits_a_draft(researcher, draft_claim):
    claim = claim_submit(user=researcher, claim_id=draft_claim.pk, version=1)

    assert (claim.status, claim.version) == ("submitted", 2)
    assert claim.submitted_at is not None
    event = last_event(claim)
    assert (event.kind, event.actor, event.from_status, event.to_status, event.version) == (
        EventKind.SUBMITTED,
        researcher,
        "draft",
        "submitted",
        2,
    )


def test_only_the_author_submits(other_researcher, reviewer, editor, superuser, draft_claim):
    before = state(draft_claim)
    for user in (other_researcher, reviewer, editor, superuser):
        with pytest.raises(NotAllowed):
            claim_submit(user=user, claim_id=draft_claim.pk, version=1)
    assert state(draft_claim) == before


def test_submitting_twice_is_an_invalid_transition(researcher, submitted_claim):
    with pytest.raises(InvalidTransition):
        claim_submit(user=researcher, claim_id=submitted_claim.pk, version=2)


def test_submit_with_a_stale_version_changes_nothing(researcher, draft_claim):
    before = state(draft_claim)
    with pytest.raises(StaleVersion) as caught:
        claim_submit(user=researcher, claim_id=draft_claim.pk, version=7)
    assert caught.value.code == "stale_version"
    assert state(draft_claim) == before


# --- decisions --------------------------------------------------------------------------


def test_reviewer_approves_a_submitted_claim(reviewer, submitted_claim):
    claim = decide(reviewer, submitted_claim, "approve", rating_value=3, rating_label="Unproven")

    assert (claim.status, claim.version) == ("approved", 3)
    assert claim.reviewed_at is not None
    review = Review.objects.get(claim=claim)
    assert (review.reviewer, review.decision, review.claim_version) == (reviewer, "approve", 2)
    assert (review.quote_checked, review.claimant_checked, review.sources_checked) == (
        True,
        True,
        True,
    )
    assert (review.rating_value, review.rating_label) == (3, "Unproven")
    event = last_event(claim)
    assert (event.kind, event.actor, event.from_status, event.to_status, event.version) == (
        EventKind.APPROVED,
        reviewer,
        "submitted",
        "approved",
        3,
    )
    assert event.data["review"] == review.pk
    assert event.data["reviewed_version"] == 2
    assert event.data["rating_value"] == 3
    assert event.data["checks"] == {"quote": True, "claimant": True, "sources": True}


def test_reviewer_rejects_with_a_reason(reviewer, submitted_claim):
    claim = decide(reviewer, submitted_claim, "reject", comment="Rama did not say this.")

    assert (claim.status, claim.version) == ("rejected", 3)
    review = Review.objects.get(claim=claim)
    assert (review.decision, review.reason, review.comment) == (
        "reject",
        "misattributed",
        "Rama did not say this.",
    )
    event = last_event(claim)
    assert (event.kind, event.from_status, event.to_status, event.version) == (
        EventKind.REJECTED,
        "submitted",
        "rejected",
        3,
    )
    assert event.data["reason"] == "misattributed"


def test_reviewer_requests_changes_with_a_comment(reviewer, submitted_claim):
    claim = decide(reviewer, submitted_claim, "request_changes")

    assert (claim.status, claim.version) == ("changes_requested", 3)
    event = last_event(claim)
    assert (event.kind, event.from_status, event.to_status) == (
        EventKind.CHANGES_REQUESTED,
        "submitted",
        "changes_requested",
    )
    assert event.data["comment"] == "Name the ministry that said it."


@pytest.mark.parametrize(
    ("decision", "extra", "field"),
    [
        ("reject", {"reason": ""}, "reason"),
        ("reject", {"reason": "because"}, "reason"),
        ("request_changes", {"comment": "   "}, "comment"),
        ("approve", {"reason": "duplicate"}, "reason"),
        ("approve", {"quote_checked": False}, "checks"),
        ("approve", {"claimant_checked": False}, "checks"),
        ("approve", {"sources_checked": False}, "checks"),
        ("approve", {"rating_value": 6}, "rating_value"),
        ("approve", {"rating_value": 0}, "rating_value"),
        ("approve", {"rating_label": "Unproven"}, "rating_label"),
        ("approve", {"rating_value": 2, "rating_label": "x" * 101}, "rating_label"),
    ],
)
def test_bad_decision_input_is_refused_and_changes_nothing(
    reviewer, submitted_claim, decision, extra, field
):
    before = state(submitted_claim)
    with pytest.raises(InvalidInput) as caught:
        decide(reviewer, submitted_claim, decision, **extra)
    assert caught.value.field == field
    assert state(submitted_claim) == before


def test_unknown_decision_is_refused(reviewer, submitted_claim):
    with pytest.raises(InvalidInput):
        review_decide(user=reviewer, claim_id=submitted_claim.pk, version=2, decision="maybe")


def test_a_rejection_records_only_the_checks_ticked(reviewer, submitted_claim):
    decide(reviewer, submitted_claim, "reject", quote_checked=True)
    review = Review.objects.get(claim=submitted_claim)
    assert (review.quote_checked, review.claimant_checked, review.sources_checked) == (
        True,
        False,
        False,
    )


@pytest.mark.parametrize("decision", ["approve", "reject", "request_changes"])
@pytest.mark.parametrize("status", ["draft", "approved", "rejected", "changes_requested"])
def test_only_submitted_claims_are_decided(
    researcher, reviewer, second_reviewer, draft_claim, status, decision
):
    claim = draft_claim
    if status != "draft":
        claim = claim_submit(user=researcher, claim_id=claim.pk, version=claim.version)
        to = {"approved": "approve", "rejected": "reject", "changes_requested": "request_changes"}
        claim = decide(second_reviewer, claim, to[status])
    before = state(claim)
    with pytest.raises(InvalidTransition) as caught:
        decide(reviewer, claim, decision)
    assert caught.value.code == "invalid_transition"
    assert state(claim) == before


@pytest.mark.parametrize("decision", ["approve", "reject", "request_changes"])
def test_stale_version_changes_nothing(reviewer, submitted_claim, decision):
    before = state(submitted_claim)
    with pytest.raises(StaleVersion) as caught:
        review_decide(
            user=reviewer,
            claim_id=submitted_claim.pk,
            version=submitted_claim.version - 1,
            decision=decision,
            **DECISION_INPUT[decision],
        )
    assert (caught.value.code, caught.value.status) == ("stale_version", 409)
    assert state(submitted_claim) == before
    assert not Review.objects.filter(claim=submitted_claim).exists()


def test_the_second_decision_from_the_same_version_is_stale(
    reviewer, second_reviewer, submitted_claim
):
    decide(reviewer, submitted_claim, "approve")
    after_first = state(submitted_claim)
    with pytest.raises(StaleVersion):
        decide(second_reviewer, submitted_claim, "reject")  # still holds version 2
    assert state(submitted_claim) == after_first
    assert Review.objects.filter(claim=submitted_claim).count() == 1


# --- four-eyes and roles ----------------------------------------------------------------


@pytest.mark.parametrize("decision", ["approve", "reject", "request_changes"])
def test_author_who_reviews_cannot_decide_on_own_claim(author_reviewer, article, decision):
    claim = make_claim(author=author_reviewer, article=article)
    claim = claim_submit(user=author_reviewer, claim_id=claim.pk, version=claim.version)
    before = state(claim)
    with pytest.raises(SelfReview) as caught:
        decide(author_reviewer, claim, decision)
    assert (caught.value.code, caught.value.status) == ("self_review", 403)
    assert state(claim) == before


def test_superuser_cannot_approve_own_claim(superuser, article):
    claim = make_claim(author=superuser, article=article)
    claim = claim_submit(user=superuser, claim_id=claim.pk, version=claim.version)
    before = state(claim)
    with pytest.raises(SelfReview):
        decide(superuser, claim, "approve")
    assert state(claim) == before


def test_self_review_is_refused_whatever_version_is_sent(author_reviewer, article):
    claim = make_claim(author=author_reviewer, article=article)
    claim = claim_submit(user=author_reviewer, claim_id=claim.pk, version=claim.version)
    with pytest.raises(SelfReview):
        review_decide(user=author_reviewer, claim_id=claim.pk, version=99, decision="approve")


def test_superuser_approves_someone_elses_claim(superuser, submitted_claim):
    assert decide(superuser, submitted_claim, "approve").status == "approved"


def test_author_who_reviews_decides_on_other_peoples_claims(author_reviewer, submitted_claim):
    assert decide(author_reviewer, submitted_claim, "approve").status == "approved"


@pytest.mark.parametrize("role", ["other_researcher", "editor", "reader"])
@pytest.mark.parametrize("decision", ["approve", "reject", "request_changes"])
def test_users_who_may_not_review_cannot_decide(request, submitted_claim, role, decision):
    user = request.getfixturevalue(role)
    before = state(submitted_claim)
    with pytest.raises(NotAllowed) as caught:
        decide(user, submitted_claim, decision)
    assert caught.value.status == 403
    assert state(submitted_claim) == before


# --- REQUIRED_APPROVALS -----------------------------------------------------------------


def test_two_required_approvals_need_two_distinct_reviewers(
    settings, reviewer, second_reviewer, submitted_claim, mailoutbox
):
    require_approvals(settings, 2)

    claim = decide(reviewer, submitted_claim, "approve")
    assert (claim.status, claim.version) == ("submitted", 3)
    event = last_event(claim)
    assert (event.kind, event.from_status, event.to_status) == (
        EventKind.APPROVAL_RECORDED,
        "submitted",
        "submitted",
    )
    assert claim not in review_queue(reviewer)
    assert claim in review_queue(second_reviewer)

    with pytest.raises(InvalidTransition):
        decide(reviewer, claim, "approve")  # the same reviewer, current version
    assert Claim.objects.get(pk=claim.pk).status == "submitted"

    claim = decide(second_reviewer, claim, "approve")
    assert (claim.status, claim.version) == ("approved", 4)
    assert last_event(claim).kind == EventKind.APPROVED
    assert Review.objects.filter(claim=claim, decision="approve").count() == 2


def test_approvals_of_an_earlier_round_do_not_count(
    settings, researcher, reviewer, second_reviewer, submitted_claim
):
    require_approvals(settings, 2)
    claim = decide(reviewer, submitted_claim, "approve")
    claim = decide(second_reviewer, claim, "request_changes")
    claim = claim_update(
        user=researcher, claim_id=claim.pk, version=claim.version, statement="Reworded."
    )
    claim = claim_submit(user=researcher, claim_id=claim.pk, version=claim.version)

    claim = decide(second_reviewer, claim, "approve")
    assert claim.status == "submitted"  # the first round's approval no longer counts
    claim = decide(reviewer, claim, "approve")
    assert claim.status == "approved"


# --- edits and re-review ----------------------------------------------------------------


def test_author_edits_after_a_request_for_changes_and_resubmits(
    researcher, reviewer, submitted_claim
):
    claim = decide(reviewer, submitted_claim, "request_changes")
    iran = ActorFactory(name="Iran")
    source = SourceFactory(name="Investigation summary")
    claim = claim_update(
        user=researcher,
        claim_id=claim.pk,
        version=claim.version,
        statement="Iran carried out the July cyberattacks on Albania.",
        actors=[ActorLink(actor_id=iran.pk, role="accused")],
        sources=[SourceLink(source_id=source.pk, locator="section 2")],
    )
    assert (claim.status, claim.version) == ("changes_requested", 4)
    event = last_event(claim)
    assert (event.kind, event.from_status, event.to_status, event.version) == (
        EventKind.EDITED,
        "changes_requested",
        "changes_requested",
        4,
    )
    assert event.changes == {
        "statement": [
            "The Iranian state carried out the July cyberattacks on Albania.",
            "Iran carried out the July cyberattacks on Albania.",
        ],
        "actors": [[], [[iran.pk, "accused"]]],
        "sources": [[], [[source.pk, "section 2", ""]]],
    }

    claim = claim_submit(user=researcher, claim_id=claim.pk, version=claim.version)
    assert (claim.status, claim.version) == ("submitted", 5)
    assert claim in review_queue(reviewer)
    kinds = [event.kind for event in events(claim)]
    assert kinds == ["created", "submitted", "changes_requested", "edited", "submitted"]


def test_substantive_edit_of_an_approved_claim_needs_review_again(
    researcher, reviewer, submitted_claim
):
    claim = decide(reviewer, submitted_claim, "approve")
    approved_at = claim.submitted_at
    claim = claim_update(
        user=researcher, claim_id=claim.pk, version=claim.version, certainty="alleged"
    )

    assert (claim.status, claim.version) == ("submitted", 4)
    assert claim.submitted_at > approved_at
    event = last_event(claim)
    assert (event.kind, event.from_status, event.to_status) == (
        EventKind.EDITED,
        "approved",
        "submitted",
    )
    assert event.changes == {"certainty": ["asserted", "alleged"]}
    assert event.data == {"resubmitted_for_review": True}
    # The earlier approval does not carry over: the claim is back in the queue.
    assert claim in review_queue(reviewer)
    assert decide(reviewer, claim, "approve").status == "approved"


def test_claimant_change_of_an_approved_claim_needs_review_again(
    researcher, reviewer, submitted_claim
):
    claim = decide(reviewer, submitted_claim, "approve")
    rama = ActorFactory(name="Edi Rama")
    old_claimant = claim.claimant_id
    claim = claim_update(
        user=researcher, claim_id=claim.pk, version=claim.version, claimant_id=rama.pk
    )
    assert claim.status == "submitted"
    assert last_event(claim).changes == {"claimant": [old_claimant, rama.pk]}


def test_note_only_edit_keeps_an_approved_claim_approved(researcher, reviewer, submitted_claim):
    claim = decide(reviewer, submitted_claim, "approve")
    claim = claim_update(
        user=researcher, claim_id=claim.pk, version=claim.version, note="Checked on the video."
    )
    assert (claim.status, claim.version) == ("approved", 4)
    event = last_event(claim)
    assert (event.kind, event.from_status, event.to_status) == (
        EventKind.EDITED,
        "approved",
        "approved",
    )
    assert event.changes == {"note": ["", "Checked on the video."]}
    assert claim not in review_queue(reviewer)


def test_an_edit_that_changes_nothing_writes_nothing(researcher, draft_claim):
    before = state(draft_claim)
    claim_update(
        user=researcher, claim_id=draft_claim.pk, version=1, statement=draft_claim.statement
    )
    assert state(draft_claim) == before


@pytest.mark.parametrize("status", ["submitted", "rejected"])
def test_claims_under_review_or_rejected_cannot_be_edited(
    researcher, reviewer, submitted_claim, status
):
    claim = submitted_claim
    if status == "rejected":
        claim = decide(reviewer, claim, "reject")
    before = state(claim)
    with pytest.raises(InvalidTransition):
        claim_update(user=researcher, claim_id=claim.pk, version=claim.version, note="x")
    assert state(claim) == before


@pytest.mark.parametrize("role", ["other_researcher", "reviewer", "editor", "superuser"])
def test_only_the_author_edits(request, reviewer, second_reviewer, submitted_claim, role):
    claim = decide(second_reviewer, submitted_claim, "request_changes")
    before = state(claim)
    with pytest.raises(NotAllowed):
        claim_update(
            user=request.getfixturevalue(role),
            claim_id=claim.pk,
            version=claim.version,
            statement="Hijacked.",
        )
    assert state(claim) == before


def test_edit_with_a_stale_version_changes_nothing(researcher, draft_claim):
    before = state(draft_claim)
    with pytest.raises(StaleVersion):
        claim_update(user=researcher, claim_id=draft_claim.pk, version=5, statement="Late.")
    assert state(draft_claim) == before


def test_author_deletes_a_draft_and_the_trail_stays(researcher, draft_claim):
    claim_delete(user=researcher, claim_id=draft_claim.pk, version=1)
    assert not Claim.objects.filter(pk=draft_claim.pk).exists()
    assert [event.kind for event in events(draft_claim)] == ["created", "deleted"]


def test_submitted_claims_cannot_be_deleted(researcher, submitted_claim):
    with pytest.raises(InvalidTransition):
        claim_delete(user=researcher, claim_id=submitted_claim.pk, version=2)
    assert Claim.objects.filter(pk=submitted_claim.pk).exists()


def test_every_change_bumps_the_version_once_and_writes_one_event(
    researcher, reviewer, draft_claim
):
    claim = claim_submit(user=researcher, claim_id=draft_claim.pk, version=1)
    claim = decide(reviewer, claim, "request_changes")
    claim = claim_update(user=researcher, claim_id=claim.pk, version=claim.version, note="n")
    claim = claim_submit(user=researcher, claim_id=claim.pk, version=claim.version)
    claim = decide(reviewer, claim, "approve")
    trail = events(claim)
    assert [(e.kind, e.from_status, e.to_status, e.version) for e in trail] == [
        ("created", "", "draft", 1),
        ("submitted", "draft", "submitted", 2),
        ("changes_requested", "submitted", "changes_requested", 3),
        ("edited", "changes_requested", "changes_requested", 4),
        ("submitted", "changes_requested", "submitted", 5),
        ("approved", "submitted", "approved", 6),
    ]
    assert {e.actor for e in trail} == {researcher, reviewer}


# --- the author's email -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("decision", "words"),
    [
        ("approve", "Approve"),
        ("reject", "Misattributed"),
        ("request_changes", "Name the ministry that said it."),
    ],
)
def test_author_is_emailed_after_the_decision_commits(
    reviewer, submitted_claim, mailoutbox, django_capture_on_commit_callbacks, decision, words
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        decide(reviewer, submitted_claim, decision)
        assert mailoutbox == []  # nothing before the commit
    assert len(callbacks) == 1
    (mail,) = mailoutbox
    assert mail.to == [submitted_claim.author.email]
    assert mail.subject.startswith("[Claimdesk] ")
    assert words in mail.body
    assert submitted_claim.statement in mail.body


def test_a_rolled_back_decision_sends_nothing(
    reviewer, submitted_claim, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        decide(reviewer, submitted_claim, "approve")
        raise RuntimeError("the surrounding request failed")
    assert callbacks == []
    assert mailoutbox == []
    assert Claim.objects.get(pk=submitted_claim.pk).status == "submitted"
    assert not Review.objects.filter(claim=submitted_claim).exists()


def test_a_refused_decision_sends_nothing(
    reviewer, submitted_claim, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(StaleVersion):
        review_decide(user=reviewer, claim_id=submitted_claim.pk, version=1, decision="approve")
    assert mailoutbox == []


def test_the_subject_stays_on_one_line(
    researcher, reviewer, article, mailoutbox, django_capture_on_commit_callbacks
):
    claim = make_claim(author=researcher, article=article, statement="Two\nlines of claim")
    claim = claim_submit(user=researcher, claim_id=claim.pk, version=claim.version)
    with django_capture_on_commit_callbacks(execute=True):
        decide(reviewer, claim, "approve")
    (mail,) = mailoutbox
    assert "\n" not in mail.subject
    assert "Two lines of claim" in mail.subject


def test_no_email_for_an_author_without_address(
    researcher, reviewer, submitted_claim, mailoutbox, django_capture_on_commit_callbacks
):
    researcher.email = ""
    researcher.save()
    with django_capture_on_commit_callbacks(execute=True):
        decide(reviewer, submitted_claim, "approve")
    assert mailoutbox == []


def test_fuzzy_reanchor_of_a_submitted_claim_starts_a_new_round(
    settings, researcher, reviewer, second_reviewer, article
):
    """An approval given to the old quote must not count once the quote changed."""
    from annotations.models import ClaimStatus
    from annotations.services.claims import claim_submit
    from annotations.services.reviews import review_decide
    from annotations.services.revisions import article_revise
    from tests.factories import make_claim

    require_approvals(settings, 2)
    claim = make_claim(author=researcher, article=article)
    claim = claim_submit(user=researcher, claim_id=claim.pk, version=claim.version)
    claim = review_decide(
        user=reviewer, claim_id=claim.pk, version=claim.version, decision="approve"
    )
    assert claim.status == ClaimStatus.SUBMITTED
    article_revise(
        user=researcher,
        article_id=article.pk,
        text=article.text.replace("July cyberattacks", "July cyber attacks"),
    )
    claim.refresh_from_db()
    assert claim.anchor_state == "fuzzy"
    claim = review_decide(
        user=second_reviewer, claim_id=claim.pk, version=claim.version, decision="approve"
    )
    assert claim.status == ClaimStatus.SUBMITTED, "the earlier approval still counted"
