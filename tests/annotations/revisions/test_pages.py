"""The pages: edit an article, its revisions and their difference, orphaned claims,
re-attaching one."""

import re

import pytest
from django.urls import reverse

from annotations.models import AnchorState, Claim, ClaimEvent, ClaimStatus, EventKind
from annotations.services.revisions import article_revise
from annotations.views.revisions import shorten_unchanged, word_diff
from tests.annotations.revisions.conftest import PASSAGE
from tests.factories import make_claim


@pytest.fixture
def as_user(db, client):
    def log_in(user):
        client.force_login(user)
        return client

    return log_in


def edit(client, article, text, *, base, note=""):
    return client.post(
        reverse("article_edit", args=[article.pk]),
        {"text": text, "note": note, "base_revision": base},
    )


# -- the edit page -----------------------------------------------------------------------


def test_edit_page_shows_the_current_text_escaped(as_user, researcher, article):
    article_revise(user=researcher, article_id=article.pk, text="<b>Bold</b> & plain.")
    response = as_user(researcher).get(reverse("article_edit", args=[article.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; plain." in body
    assert 'name="base_revision" value="2"' in body


@pytest.mark.parametrize("role", ["reviewer", "reader"])
def test_edit_page_is_forbidden_without_the_right_to_revise(request, as_user, role, article):
    client = as_user(request.getfixturevalue(role))
    assert client.get(reverse("article_edit", args=[article.pk])).status_code == 403
    assert edit(client, article, "Their text.", base=1).status_code == 403
    assert article.revisions.count() == 1


def test_edit_page_needs_a_login(client, article):
    response = client.get(reverse("article_edit", args=[article.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_saving_an_insertion_moves_the_claim_and_shows_the_summary(
    as_user, researcher, draft_claim
):
    article = draft_claim.article
    client = as_user(researcher)
    inserted = "Editor's note: updated.\n\n"

    response = edit(client, article, inserted + article.text, base=1, note="Added a note")

    assert response.status_code == 302
    assert response["Location"].endswith(
        reverse("article_revisions", args=[article.pk]) + "?revised=2"
    )
    claim = Claim.objects.get(pk=draft_claim.pk)
    assert claim.anchor_state == AnchorState.MOVED
    assert claim.start == draft_claim.start + len(inserted)
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="revision-summary"' in page
    assert re.search(r'data-state="moved">Moved <strong>1</strong>', page)
    assert "Added a note" in page


def test_saving_a_changed_word_makes_approved_claim_fuzzy_and_submitted(
    as_user, researcher, approved_claim
):
    article = approved_claim.article
    client = as_user(researcher)

    edit(client, article, article.text.replace("July", "June"), base=1)

    claim = Claim.objects.get(pk=approved_claim.pk)
    assert (claim.anchor_state, claim.status) == (AnchorState.FUZZY, ClaimStatus.SUBMITTED)
    summary = client.get(reverse("article_revisions", args=[article.pk]) + "?revised=2")
    assert reverse("claim_reattach", args=[claim.pk]) in summary.content.decode()


def test_stale_edit_keeps_the_text_and_says_so(as_user, researcher, editor, article):
    original = article.text
    edit(as_user(editor), article, original + " Editor's change.", base=1)

    client = as_user(researcher)
    response = edit(client, article, original + " Researcher's change.", base=1)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone saved revision 2 while you were editing revision 1" in body
    assert "Researcher&#x27;s change." in body
    assert f"{reverse('revision_diff', args=[article.pk])}?from=1&amp;to=2" in body
    assert 'name="base_revision" value="2"' in body
    assert article.revisions.count() == 2
    # Knowing, the researcher saves again and replaces the editor's text.
    assert edit(client, article, original + " Researcher's change.", base=2).status_code == 302
    assert article.revisions.count() == 3


def test_unchanged_text_makes_no_revision(as_user, researcher, article):
    response = edit(as_user(researcher), article, article.text, base=1)
    assert response.status_code == 302
    assert article.revisions.count() == 1


def test_empty_text_is_a_form_error(as_user, researcher, article):
    response = edit(as_user(researcher), article, "  \n ", base=1)
    assert response.status_code == 200
    assert response.context["form"].errors["text"]
    assert article.revisions.count() == 1


# -- revisions and the difference --------------------------------------------------------


def test_revisions_page_lists_every_revision(as_user, researcher, reader, article):
    article_revise(user=researcher, article_id=article.pk, text=article.text + " More.", note="v2")
    response = as_user(reader).get(reverse("article_revisions", args=[article.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-revision="1"' in body and 'data-revision="2"' in body
    assert "v2" in body
    assert reverse("article_edit", args=[article.pk]) not in body


def test_diff_marks_insertions_and_deletions_and_escapes_text(as_user, researcher, article):
    new_text = article.text.replace("baseless", "<script>alert(1)</script> unfounded")
    article_revise(user=researcher, article_id=article.pk, text=new_text)

    response = as_user(researcher).get(
        reverse("revision_diff", args=[article.pk]), {"from": 1, "to": 2}
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "<del>baseless</del>" in body
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt; unfounded</ins>" in body
    assert "<script>alert" not in body


def test_diff_of_a_missing_revision_is_404(as_user, researcher, article):
    query = {"from": 1, "to": 9}
    response = as_user(researcher).get(reverse("revision_diff", args=[article.pk]), query)
    assert response.status_code == 404


def test_diff_of_a_revision_that_is_not_a_number_is_400(as_user, researcher, article):
    query = {"from": "x", "to": 1}
    response = as_user(researcher).get(reverse("revision_diff", args=[article.pk]), query)
    assert response.status_code == 400
    assert "from" in response.content.decode()


def test_word_diff_rebuilds_both_texts():
    old = "Tehran rejected the accusation as baseless, officials said."
    new = "Tehran firmly rejected the accusation as unfounded, officials said."
    pieces = word_diff(old, new)
    assert "".join(p.text for p in pieces if p.op != "insert") == old
    assert "".join(p.text for p in pieces if p.op != "delete") == new
    assert ("insert", "firmly ") in [(p.op, p.text) for p in pieces]
    assert ("delete", "baseless") in [(p.op, p.text) for p in pieces]


def test_long_unchanged_stretches_are_shortened_around_changes():
    old = "word " * 500 + "old ending"
    pieces = shorten_unchanged(word_diff(old, "word " * 500 + "new ending"))
    assert [p.op for p in pieces] == ["skip", "equal", "delete", "insert", "equal"]


# -- orphaned claims and re-attaching ----------------------------------------------------


def delete_passage(user, claim):
    article = claim.article
    article.refresh_from_db()
    kept = "\n\n".join(article.text.split("\n\n")[1:])
    article_revise(user=user, article_id=article.pk, text=kept)
    return Claim.objects.get(pk=claim.pk), kept


def test_deleted_passage_is_listed_on_the_orphaned_page_and_reattached(
    as_user, researcher, submitted_claim
):
    claim, text = delete_passage(researcher, submitted_claim)
    client = as_user(researcher)

    listing = client.get(reverse("orphaned_claims"))
    assert listing.status_code == 200
    section = listing.content.decode().split('data-testid="fuzzy-section"')[0]
    assert claim.statement in section and PASSAGE in section
    assert reverse("claim_reattach", args=[claim.pk]) in section

    page = client.get(reverse("claim_reattach", args=[claim.pk]))
    assert page.status_code == 200
    assert 'id="reattach-text"' in page.content.decode()

    passage = "Tehran rejected the accusation as baseless"
    start = text.index(passage)
    response = client.post(
        reverse("claim_reattach", args=[claim.pk]),
        {"version": claim.version, "start": start, "end": start + len(passage), "exact": passage},
    )

    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.anchor_state, claim.exact, claim.revision.number) == (
        AnchorState.ANCHORED,
        passage,
        2,
    )
    kinds = list(ClaimEvent.objects.filter(claim_id=claim.pk).values_list("kind", flat=True))
    assert kinds[-2:] == [EventKind.REANCHORED, EventKind.REATTACHED]
    assert claim.statement not in client.get(reverse("orphaned_claims")).content.decode()


def test_reattach_form_works_with_typed_offsets_alone(as_user, researcher, submitted_claim):
    claim, text = delete_passage(researcher, submitted_claim)
    start = text.index("Iran had never attacked Albania")
    response = as_user(researcher).post(
        reverse("claim_reattach", args=[claim.pk]),
        {"version": claim.version, "start": start, "end": start + 31, "exact": ""},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.exact == "Iran had never attacked Albania"


def test_reattach_form_refuses_a_mismatched_or_stale_selection(
    as_user, researcher, submitted_claim
):
    claim, _ = delete_passage(researcher, submitted_claim)
    client = as_user(researcher)
    url = reverse("claim_reattach", args=[claim.pk])

    mismatch = client.post(url, {"version": claim.version, "start": 0, "end": 6, "exact": "Nope!!"})
    stale = client.post(url, {"version": claim.version - 1, "start": 0, "end": 6, "exact": ""})

    assert mismatch.status_code == 200 and mismatch.context["form"].errors["exact"]
    assert stale.status_code == 200
    assert "changed since this page was loaded" in stale.content.decode()
    claim.refresh_from_db()
    assert claim.anchor_state == AnchorState.ORPHANED


def test_fuzzy_claims_are_listed_in_their_own_section(as_user, researcher, submitted_claim):
    article = submitted_claim.article
    article_revise(
        user=researcher, article_id=article.pk, text=article.text.replace("July", "June")
    )
    body = as_user(researcher).get(reverse("orphaned_claims")).content.decode()
    orphans, fuzzy = body.split('data-testid="fuzzy-section"')
    assert submitted_claim.statement not in orphans
    assert submitted_claim.statement in fuzzy


def test_orphaned_page_shows_only_visible_claims(
    as_user, researcher, other_researcher, editor, article
):
    mine = make_claim(author=researcher, article=article, statement="My own draft claim.")
    delete_passage(researcher, mine)

    assert (
        "My own draft claim."
        in as_user(researcher).get(reverse("orphaned_claims")).content.decode()
    )
    for user in (other_researcher, editor):
        body = as_user(user).get(reverse("orphaned_claims")).content.decode()
        assert "My own draft claim." not in body
        assert as_user(user).get(reverse("claim_reattach", args=[mine.pk])).status_code == 404


def test_only_author_or_editor_may_open_the_reattach_page(
    as_user, researcher, other_researcher, reviewer, editor, submitted_claim
):
    claim, _ = delete_passage(researcher, submitted_claim)
    url = reverse("claim_reattach", args=[claim.pk])
    assert as_user(other_researcher).get(url).status_code == 403
    assert as_user(reviewer).get(url).status_code == 403
    assert as_user(editor).get(url).status_code == 200
    listing = as_user(other_researcher).get(reverse("orphaned_claims")).content.decode()
    assert claim.statement in listing and url not in listing


def test_orphaned_page_narrows_to_one_article(as_user, researcher, submitted_claim):
    claim, _ = delete_passage(researcher, submitted_claim)
    other = make_claim(author=researcher, statement="Elsewhere.")
    delete_passage(researcher, other)
    body = (
        as_user(researcher)
        .get(reverse("orphaned_claims"), {"article": claim.article_id})
        .content.decode()
    )
    assert claim.statement in body and "Elsewhere." not in body


def test_reattach_page_speaks_of_paragraphs_and_words_not_offsets(
    as_user, researcher, submitted_claim
):
    """The old passage and the chosen one are placed in paragraphs and words; the
    code-point positions are only in the folded "type the position" part."""
    claim, text = delete_passage(researcher, submitted_claim)
    client = as_user(researcher)
    page = client.get(reverse("claim_reattach", args=[claim.pk])).content.decode()
    assert re.search(r"Its passage in revision 1, paragraph \d+ of \d+, \d+ words?:", page)
    assert "Offsets count characters" not in page
    assert "<summary>Type the position instead</summary>" in page
    passage = "Iran had never attacked Albania"
    start = text.index(passage)
    refused = client.post(
        reverse("claim_reattach", args=[claim.pk]),
        {"version": claim.version + 5, "start": start, "end": start + len(passage)},
    ).content.decode()
    paragraph = text.count("\n\n", 0, start) + 1
    total = text.count("\n\n") + 1
    assert f"Chosen: Paragraph {paragraph} of {total}, 5 words." in refused
