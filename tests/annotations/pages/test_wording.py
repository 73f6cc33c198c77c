"""Wording a reader understands: where a claim stands in paragraphs and words, not
code-point offsets; "Delete this claim" whatever its status; mail subjects that say what
happened ("Approved:", not the reviewer's button "Approve:")."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotations.services.claims import claim_submit
from annotations.services.reviews import review_decide
from annotations.templatetags.places import place_of
from tests.factories import UserFactory, make_claim

pytestmark = pytest.mark.django_db


def test_a_place_is_said_in_paragraphs_and_words():
    text = "One two.\n\nThree four five.\n\nSix."
    start = text.index("four")
    assert place_of(text, start, start + len("four five")) == "paragraph 2 of 3, 2 words"


def test_the_claim_page_speaks_of_paragraphs_not_offsets(client):
    writer = UserFactory(username="writer", roles=["researcher"])
    claim = make_claim(author=writer)
    client.force_login(writer)
    page = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    assert "paragraph 1 of 4" in page
    assert f"characters {claim.start}" not in page
    assert "Delete this claim…" in page


@pytest.mark.parametrize(
    ("decision", "extra", "subject"),
    [
        ("approve", {}, "Approved:"),
        ("reject", {"reason": "unsupported", "comment": "No source."}, "Rejected:"),
        ("request_changes", {"comment": "Which ministry?"}, "Changes requested:"),
    ],
)
def test_mail_subjects_say_what_happened(
    mailoutbox, django_capture_on_commit_callbacks, decision, extra, subject
):
    writer = UserFactory(username="writer", roles=["researcher"])
    checker = UserFactory(username="checker", roles=["reviewer"])
    claim = make_claim(author=writer)
    claim = claim_submit(user=writer, claim_id=claim.pk, version=claim.version)
    with django_capture_on_commit_callbacks(execute=True):
        review_decide(
            user=checker, claim_id=claim.pk, version=claim.version, decision=decision, **extra
        )
    (mail,) = mailoutbox
    assert mail.subject.startswith(f"[Claimdesk] {subject} ")


def test_the_timeline_shows_a_one_word_edit_as_that_word(client):
    from annotations.services.claims import claim_update

    writer = UserFactory(username="writer", roles=["researcher"])
    long_statement = " ".join(["The Iranian state carried out the July cyberattacks."] * 30)
    claim = make_claim(author=writer, statement=long_statement)
    claim_update(
        user=writer,
        claim_id=claim.pk,
        version=claim.version,
        statement=long_statement.replace("July", "September", 1),
    )
    client.force_login(writer)
    page = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    assert 'data-testid="word-diff"' in page
    assert '<span class="visually-hidden">removed: </span>July</del>' in page
    assert '<span class="visually-hidden">added: </span>September</ins>' in page
    # Not the whole statement struck through.
    assert f"before: </span>{long_statement}" not in page


def test_a_highlight_says_who_makes_the_claim_on_hover_and_focus(client):
    from tests.factories import ActorFactory

    writer = UserFactory(username="writer", roles=["researcher"])
    rama, iran = ActorFactory(name="Edi Rama"), ActorFactory(name="Iran")
    claim = make_claim(author=writer, claimant=rama, actors=[(iran, "accused")])
    client.force_login(writer)
    page = client.get(reverse("article_reader", args=[claim.article_id])).content.decode()
    assert 'title="Edi Rama claims; Iran accused"' in page
    # The claim's number after the passage names it, and shows that name on focus.
    assert 'aria-label="Claim 1 in the list: Edi Rama claims; Iran accused"' in page


def test_a_rejection_needs_a_comment_at_every_door(client):
    from rest_framework.test import APIClient

    from annotations.models import ClaimStatus

    writer = UserFactory(username="writer", roles=["researcher"])
    checker = UserFactory(username="checker", roles=["reviewer"])
    claim = make_claim(author=writer)
    claim = claim_submit(user=writer, claim_id=claim.pk, version=claim.version)
    api = APIClient()
    api.force_authenticate(checker)
    answer = api.post(
        reverse("v1:claim-review", args=[claim.pk]),
        {"version": claim.version, "decision": "reject", "reason": "unsupported"},
        format="json",
    )
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "comment"
    client.force_login(checker)
    response = client.post(
        reverse("review_decide", args=[claim.pk]),
        {"version": claim.version, "decision": "reject", "reason": "unsupported"},
        follow=True,
    )
    assert "Tell the author why, in a comment." in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


def test_the_review_form_says_the_rating_feeds_claimreview(client):
    """A reviewer reads, beside the rating, that an approval without one is left out of
    the ClaimReview export (the export page counts those it leaves out)."""
    writer = UserFactory(username="writer", roles=["researcher"])
    checker = UserFactory(username="checker", roles=["reviewer"])
    claim = make_claim(author=writer)
    claim_submit(user=writer, claim_id=claim.pk, version=claim.version)
    client.force_login(checker)
    page = client.get(reverse("review_queue")).content.decode()
    assert 'name="rating_value"' in page
    assert "An approval with a rating is published in the ClaimReview export" in page
