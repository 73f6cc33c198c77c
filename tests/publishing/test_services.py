"""Publishing as an editorial step: who may, four-eyes, withdrawal, re-review, events."""

from __future__ import annotations

import pytest

from annotations.models import ClaimEvent, ClaimStatus
from annotations.services.claims import claim_update
from claimdesk.errors import InvalidInput, InvalidTransition, NotAllowed, StaleVersion
from projects.models import Membership
from publishing import selectors
from publishing.models import Publication, PublicationState
from publishing.services import (
    SelfPublication,
    can_publish,
    can_unpublish,
    claim_publish,
    claim_unpublish,
)
from tests.factories import UserFactory, main_desk, make_claim
from tests.publishing.helpers import EXPLANATION, publish

pytestmark = pytest.mark.django_db


def _user(room, who):
    if who == "superuser":
        user = UserFactory(username="root")
        user.is_superuser = True
        user.save()
        return user
    if who == "other_desk_editor":
        from projects.models import Project

        other = Project.objects.create(slug="balkans", name="Balkans partner desk")
        user = UserFactory(username="bora")
        Membership.objects.create(user=user, project=other, is_editor=True)
        return user
    if who == "outsider":
        return UserFactory(username="olga")
    return getattr(room, who)


# who -> may publish someone else's approved, rated claim of Main desk
PUBLISH_MATRIX = [
    ("researcher", False),  # the author, and no editor
    ("reviewer", False),
    ("editor", True),
    ("manager", True),
    ("superuser", True),
    ("other_desk_editor", False),
    ("outsider", False),
]


@pytest.mark.parametrize(("who", "allowed"), PUBLISH_MATRIX)
def test_who_may_publish(room, who, allowed):
    user = _user(room, who)
    assert can_publish(user, room.accusation) is allowed
    if allowed:
        publication = publish(room.accusation, user)
        assert publication.state == PublicationState.PUBLISHED
    else:
        with pytest.raises(NotAllowed):
            publish(room.accusation, user)
        assert not Publication.objects.exists()


def test_an_editor_never_publishes_a_claim_they_wrote(room):
    """Four-eyes: an editor who is also the claim's author is refused, superusers too."""
    Membership.objects.filter(user=room.researcher).update(is_editor=True)
    from projects.access import forget

    forget(room.researcher)
    room.researcher.refresh_from_db()
    assert not can_publish(room.researcher, room.accusation)
    with pytest.raises(SelfPublication):
        publish(room.accusation, room.researcher)
    root = _user(room, "superuser")
    own = make_claim(author=root, article=room.accusation.article, exact="July cyberattacks")
    with pytest.raises(SelfPublication):
        publish(own, root)


def test_only_an_approved_claim_with_a_rating_is_published(room):
    draft = make_claim(author=room.researcher, article=room.accusation.article)
    with pytest.raises(InvalidTransition):
        publish(draft, room.editor)
    from tests.publishing.helpers import approve

    unrated = make_claim(
        author=room.researcher, article=room.accusation.article, exact="July cyberattacks"
    )
    unrated = approve(unrated, author=room.researcher, reviewer=room.reviewer, value=None)
    with pytest.raises(InvalidTransition, match="rating"):
        publish(unrated, room.editor)


def test_a_stale_version_publishes_nothing(room):
    with pytest.raises(StaleVersion):
        claim_publish(
            user=room.editor,
            claim_id=room.accusation.pk,
            version=room.accusation.version + 1,
            explanation=EXPLANATION,
        )
    assert not Publication.objects.exists()
    assert not ClaimEvent.objects.filter(kind="published").exists()


@pytest.mark.parametrize("explanation", ["", "   ", "x" * 5001, "bad\x00text"])
def test_an_explanation_is_required_and_bounded(room, explanation):
    with pytest.raises(InvalidInput) as caught:
        publish(room.accusation, room.editor, explanation=explanation)
    assert caught.value.errors[0]["field"] == "explanation"
    assert not Publication.objects.exists()


def test_publishing_is_an_audited_event_and_keeps_the_claim_as_it_is(room):
    before = room.accusation.version
    publication = publish(room.accusation, room.editor)
    room.accusation.refresh_from_db()
    assert room.accusation.version == before
    assert room.accusation.status == ClaimStatus.APPROVED
    event = ClaimEvent.objects.get(claim_id=room.accusation.pk, kind="published")
    assert event.actor == room.editor
    assert event.data["explanation"] == EXPLANATION
    assert event.data["rating"] == {"value": 4, "label": "Mostly true"}
    assert event.data["url"] == f"/fact-checks/{room.accusation.pk}/"
    assert publication.content["rating"]["label"] == "Mostly true"
    assert publication.content["claimant"]["name"] == "Edi Rama"


def test_unpublishing_withdraws_with_a_reason_and_is_audited(room):
    publish(room.accusation, room.editor)
    assert can_unpublish(room.manager, room.accusation)
    assert not can_unpublish(room.reviewer, room.accusation)
    with pytest.raises(InvalidInput):
        claim_unpublish(
            user=room.manager,
            claim_id=room.accusation.pk,
            version=room.accusation.version,
            reason=" ",
        )
    publication = claim_unpublish(
        user=room.manager,
        claim_id=room.accusation.pk,
        version=room.accusation.version,
        reason="The investigation's report was corrected.",
    )
    assert publication.state == PublicationState.WITHDRAWN
    assert publication.withdrawn_at is not None
    event = ClaimEvent.objects.get(claim_id=room.accusation.pk, kind="unpublished")
    assert event.actor == room.manager
    assert event.data["reason"] == "The investigation's report was corrected."
    with pytest.raises(InvalidTransition):
        claim_unpublish(
            user=room.manager,
            claim_id=room.accusation.pk,
            version=room.accusation.version,
            reason="Again.",
        )
    # A withdrawn review can be published again.
    assert publish(room.accusation, room.editor).state == PublicationState.PUBLISHED


def test_a_substantive_edit_sends_a_published_claim_back_to_review(room):
    publish(room.accusation, room.editor)
    claim = room.accusation
    claim.refresh_from_db()
    edited = claim_update(
        user=room.researcher,
        claim_id=claim.pk,
        version=claim.version,
        statement="The Iranian state carried out the July and September cyberattacks.",
    )
    assert edited.status == ClaimStatus.SUBMITTED
    shown = selectors.public_review(claim.pk)
    assert shown.state == PublicationState.PUBLISHED
    assert shown.under_review
    # What the public sees is still what was published, not the unreviewed edit.
    assert shown.content["statement"] == (
        "The Iranian state carried out the July cyberattacks on Albania."
    )
    assert not selectors.desk_reviews(main_desk().pk, current_only=True).exists()
    # Approved again, it stays under review until an editor publishes it again.
    from annotations.services.reviews import review_decide

    review_decide(
        user=room.reviewer,
        claim_id=claim.pk,
        version=edited.version,
        decision="approve",
        rating_value=3,
    )
    assert selectors.public_review(claim.pk).under_review
    publish(claim, room.editor)
    shown = selectors.public_review(claim.pk)
    assert not shown.under_review
    assert shown.content["statement"].endswith("July and September cyberattacks.")
    assert shown.content["rating"] == {"value": 3, "label": "Mixed"}


def test_a_note_edit_leaves_the_public_page_as_it_is(room):
    publish(room.accusation, room.editor)
    claim = room.accusation
    claim.refresh_from_db()
    claim_update(user=room.researcher, claim_id=claim.pk, version=claim.version, note="Check.")
    assert not selectors.public_review(claim.pk).under_review
