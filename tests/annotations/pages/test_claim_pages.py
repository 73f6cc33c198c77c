"""The claim page, editing, submitting and deleting: who may, and that nobody else does."""

import pytest
from django.urls import reverse

from annotations.models import Claim, ClaimEvent, ClaimStatus, EventKind
from tests.factories import make_claim

pytestmark = pytest.mark.django_db


def snapshot(claim):
    claim = Claim.objects.get(pk=claim.pk)
    return (claim.statement, claim.status, claim.version, claim.claimant_id, claim.note)


def edit_data(claim, **fields):
    data = {
        "statement": claim.statement,
        "claimant": claim.claimant_id,
        "claimant_label": claim.claimant.name,
        "certainty": claim.certainty,
        "note": claim.note,
        "version": claim.version,
        "intent": "save",
    }
    data.update(fields)
    return data


# -- anonymous users ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("claim_detail", "get"),
        ("claim_edit", "get"),
        ("claim_edit", "post"),
        ("claim_submit", "post"),
        ("claim_delete", "post"),
    ],
)
def test_anonymous_is_sent_to_login(client, draft_claim, name, method):
    before = snapshot(draft_claim)
    response = getattr(client, method)(reverse(name, args=[draft_claim.pk]), {"version": 1})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert snapshot(draft_claim) == before


# -- the claim page ----------------------------------------------------------------------


def test_author_sees_the_draft_with_its_actions(client, researcher, draft_claim):
    client.force_login(researcher)
    response = client.get(reverse("claim_detail", args=[draft_claim.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert draft_claim.statement in page
    assert reverse("claim_edit", args=[draft_claim.pk]) in page
    assert reverse("claim_submit", args=[draft_claim.pk]) in page
    assert reverse("claim_delete", args=[draft_claim.pk]) in page
    assert f'name="version" value="{draft_claim.version}"' in page
    assert '<mark class="hl st-draft lane-0"' in page  # the passage in context
    assert "Created" in page  # the timeline


def test_another_researcher_cannot_see_my_draft(client, other_researcher, draft_claim):
    client.force_login(other_researcher)
    assert client.get(reverse("claim_detail", args=[draft_claim.pk])).status_code == 404


@pytest.mark.parametrize("role", ["other_researcher", "reviewer", "editor", "reader"])
def test_everyone_reads_a_submitted_claim_without_author_actions(
    client, request, role, submitted_claim
):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("claim_detail", args=[submitted_claim.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("claim_edit", args=[submitted_claim.pk]) not in page
    assert reverse("claim_delete", args=[submitted_claim.pk]) not in page
    assert response.context["can_decide"] == (role == "reviewer")


def test_reviewer_is_offered_the_review(client, reviewer, submitted_claim):
    client.force_login(reviewer)
    response = client.get(reverse("claim_detail", args=[submitted_claim.pk]))
    assert f"?focus={submitted_claim.pk}" in response.content.decode()


def test_claim_page_lists_actors_sources_and_reviews(client, researcher, rama, iran, report):
    claim = make_claim(
        author=researcher, claimant=rama, actors=[(iran, "accused")], sources=[(report, "p. 4")]
    )
    client.force_login(researcher)
    page = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    assert "Edi Rama" in page
    assert "Iran" in page and "accused" in page
    assert "Mandiant report" in page and "p. 4" in page
    assert "No reviews yet." in page


# -- editing -----------------------------------------------------------------------------


def test_author_opens_the_edit_form_prefilled(client, researcher, iran, report):
    claim = make_claim(author=researcher, actors=[(iran, "accused")], sources=[(report, "§2")])
    client.force_login(researcher)
    response = client.get(reverse("claim_edit", args=[claim.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert claim.statement in page
    assert f'name="version" value="{claim.version}"' in page
    assert 'name="actor_label" value="Iran"' in page
    assert '<option value="accused" selected>' in page
    assert 'name="locator" value="§2"' in page


def test_author_edits_a_draft(client, researcher, draft_claim, iran):
    client.force_login(researcher)
    data = edit_data(
        draft_claim,
        statement="Iran attacked Albania.",
        actor=[iran.pk],
        actor_label=["Iran"],
        role=["accused"],
    )
    response = client.post(reverse("claim_edit", args=[draft_claim.pk]), data)
    assert response.status_code == 302
    claim = Claim.objects.get(pk=draft_claim.pk)
    assert claim.statement == "Iran attacked Albania."
    assert claim.version == draft_claim.version + 1
    assert [(link.actor, link.role) for link in claim.actor_links.all()] == [(iran, "accused")]
    assert ClaimEvent.objects.filter(claim_id=claim.pk, kind=EventKind.EDITED).exists()


def test_save_and_submit_from_the_edit_page(client, researcher, draft_claim):
    client.force_login(researcher)
    data = edit_data(draft_claim, statement="Changed.", intent="submit")
    client.post(reverse("claim_edit", args=[draft_claim.pk]), data)
    assert Claim.objects.get(pk=draft_claim.pk).status == ClaimStatus.SUBMITTED


def test_stale_edit_is_refused_with_a_clear_message(client, researcher, draft_claim):
    client.force_login(researcher)
    data = edit_data(draft_claim, statement="First edit.")
    client.post(reverse("claim_edit", args=[draft_claim.pk]), data)
    before = snapshot(draft_claim)
    data["statement"] = "Second edit from an old page."
    response = client.post(reverse("claim_edit", args=[draft_claim.pk]), data)
    assert response.status_code == 200
    assert "Someone changed this claim after you opened it" in response.content.decode()
    assert "Second edit from an old page." in response.content.decode()  # input kept
    assert snapshot(draft_claim) == before


def test_edit_errors_are_shown_at_their_fields(client, researcher, draft_claim):
    client.force_login(researcher)
    data = edit_data(draft_claim, statement="  ", claimant="", claimant_label="")
    response = client.post(reverse("claim_edit", args=[draft_claim.pk]), data)
    assert set(response.context["form"].errors) == {"statement", "claimant"}


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_researcher_cannot_edit_my_draft(client, other_researcher, draft_claim, method):
    before = snapshot(draft_claim)
    client.force_login(other_researcher)
    response = getattr(client, method)(
        reverse("claim_edit", args=[draft_claim.pk]), edit_data(draft_claim, statement="Hijack")
    )
    assert response.status_code == 404
    assert snapshot(draft_claim) == before


@pytest.mark.parametrize("role", ["other_researcher", "reviewer", "editor"])
def test_others_cannot_edit_a_visible_claim(client, request, role, submitted_claim):
    before = snapshot(submitted_claim)
    client.force_login(request.getfixturevalue(role))
    url = reverse("claim_edit", args=[submitted_claim.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, edit_data(submitted_claim, statement="Hijack"))
    assert response.status_code == 403
    assert snapshot(submitted_claim) == before


def test_author_cannot_edit_while_the_claim_awaits_review(client, researcher, submitted_claim):
    before = snapshot(submitted_claim)
    client.force_login(researcher)
    url = reverse("claim_edit", args=[submitted_claim.pk])
    response = client.post(url, edit_data(submitted_claim, statement="Sneaky"))
    assert response.status_code == 403
    assert snapshot(submitted_claim) == before


# -- submitting --------------------------------------------------------------------------


def test_author_submits_a_draft(client, researcher, draft_claim):
    client.force_login(researcher)
    url = reverse("claim_submit", args=[draft_claim.pk])
    response = client.post(url, {"version": draft_claim.version})
    assert response.status_code == 302
    assert Claim.objects.get(pk=draft_claim.pk).status == ClaimStatus.SUBMITTED


def test_stale_submit_changes_nothing_and_says_why(client, researcher, draft_claim):
    client.force_login(researcher)
    url = reverse("claim_submit", args=[draft_claim.pk])
    response = client.post(url, {"version": draft_claim.version + 1}, follow=True)
    assert Claim.objects.get(pk=draft_claim.pk).status == ClaimStatus.DRAFT
    assert "changed after you opened the page" in response.content.decode()


def test_submit_without_a_version_is_a_bad_request(client, researcher, draft_claim):
    client.force_login(researcher)
    assert client.post(reverse("claim_submit", args=[draft_claim.pk])).status_code == 400
    assert Claim.objects.get(pk=draft_claim.pk).status == ClaimStatus.DRAFT


def test_another_researcher_cannot_submit_my_draft(client, other_researcher, draft_claim):
    client.force_login(other_researcher)
    url = reverse("claim_submit", args=[draft_claim.pk])
    assert client.post(url, {"version": draft_claim.version}).status_code == 404
    assert Claim.objects.get(pk=draft_claim.pk).status == ClaimStatus.DRAFT


def test_resubmitting_a_submitted_claim_is_explained(client, researcher, submitted_claim):
    client.force_login(researcher)
    url = reverse("claim_submit", args=[submitted_claim.pk])
    response = client.post(url, {"version": submitted_claim.version}, follow=True)
    assert "Cannot submit a claim that is submitted." in response.content.decode()
    assert snapshot(submitted_claim)[2] == submitted_claim.version


# -- deleting ----------------------------------------------------------------------------


def test_author_deletes_a_draft_and_its_trail_stays(client, researcher, draft_claim):
    client.force_login(researcher)
    url = reverse("claim_delete", args=[draft_claim.pk])
    response = client.post(url, {"version": draft_claim.version})
    assert response.status_code == 302
    assert response["Location"] == reverse("article_reader", args=[draft_claim.article_id])
    assert not Claim.objects.filter(pk=draft_claim.pk).exists()
    assert ClaimEvent.objects.filter(claim_id=draft_claim.pk, kind=EventKind.DELETED).exists()


def test_another_researcher_cannot_delete_my_draft(client, other_researcher, draft_claim):
    client.force_login(other_researcher)
    url = reverse("claim_delete", args=[draft_claim.pk])
    assert client.post(url, {"version": draft_claim.version}).status_code == 404
    assert Claim.objects.filter(pk=draft_claim.pk).exists()


def test_others_cannot_delete_a_submitted_claim(client, other_researcher, submitted_claim):
    client.force_login(other_researcher)
    url = reverse("claim_delete", args=[submitted_claim.pk])
    assert client.post(url, {"version": submitted_claim.version}).status_code == 403
    assert Claim.objects.filter(pk=submitted_claim.pk).exists()


def test_author_cannot_delete_a_submitted_claim(client, researcher, submitted_claim):
    client.force_login(researcher)
    url = reverse("claim_delete", args=[submitted_claim.pk])
    response = client.post(url, {"version": submitted_claim.version}, follow=True)
    assert Claim.objects.filter(pk=submitted_claim.pk).exists()
    assert "Cannot delete a claim that is submitted." in response.content.decode()


def test_stale_delete_keeps_the_claim(client, researcher, draft_claim):
    client.force_login(researcher)
    client.post(reverse("claim_edit", args=[draft_claim.pk]), edit_data(draft_claim, note="A note"))
    url = reverse("claim_delete", args=[draft_claim.pk])
    response = client.post(url, {"version": draft_claim.version}, follow=True)
    assert Claim.objects.filter(pk=draft_claim.pk).exists()
    assert "changed after you opened the page" in response.content.decode()
