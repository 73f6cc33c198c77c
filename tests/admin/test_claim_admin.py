"""The claim admin edits and deletes through the claim services, as the pages and the
API do: the same version, audit event and return to review, and the same refusals."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from annotations.models import ActorRole, Claim, ClaimEvent, EventKind
from annotations.services.claims import claim_submit, claim_update
from tests.admin.change_form import add_row, form_errors, submitted_form
from tests.factories import ARTICLE_TEXT, make_claim

pytestmark = pytest.mark.django_db


def change_url(claim) -> str:
    return reverse("admin:annotations_claim_change", args=[claim.pk])


def delete_url(claim) -> str:
    return reverse("admin:annotations_claim_delete", args=[claim.pk])


def events_after(claim, event_id: int) -> list[ClaimEvent]:
    return list(ClaimEvent.objects.filter(claim_id=claim.pk, pk__gt=event_id).order_by("pk"))


def last_event_id() -> int:
    return ClaimEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _statement(data, cast):
    data["statement"] = "Iran's intelligence ministry ran the July attacks."
    data["certainty"] = "alleged"


def _links(data, cast):
    add_row(data, "actor_links", actor=cast["albania"].pk, role=ActorRole.TARGET)
    data["source_links-0-DELETE"] = "on"


def _note(data, cast):
    data["note"] = "Check the date of the report."


_SAID = ARTICLE_TEXT.index(" said ") + 1
_RAMA = ARTICLE_TEXT.index("Edi Rama")


def _triple(data, cast):
    data["cue_start"], data["cue_end"] = _SAID, _SAID + 4
    data["source_mention_start"], data["source_mention_end"] = _RAMA, _RAMA + 8


EDITS = {
    "statement": (
        _statement,
        lambda cast: {
            "statement": "Iran's intelligence ministry ran the July attacks.",
            "certainty": "alleged",
        },
        "submitted",
    ),
    "links": (
        _links,
        lambda cast: {
            "actors": [
                {"actor": cast["iran"].pk, "role": ActorRole.ACCUSED},
                {"actor": cast["albania"].pk, "role": ActorRole.TARGET},
            ],
            "sources": [],
        },
        "submitted",
    ),
    "note": (_note, lambda cast: {"note": "Check the date of the report."}, "approved"),
    "cue and source mention": (
        _triple,
        lambda cast: {
            "cue": {"start": _SAID, "end": _SAID + 4, "exact": "said"},
            "source_mention": {"start": _RAMA, "end": _RAMA + 8, "exact": "Edi Rama"},
        },
        "submitted",
    ),
}


@pytest.mark.parametrize("edit", EDITS)
def test_admin_edit_of_an_approved_claim_is_the_api_patch(
    edit, approved, cast, staff_author, logged_in, api_as
):
    change_in_admin, api_payload, status = EDITS[edit]
    by_admin, by_api = approved(), approved()
    assert by_admin.status == by_api.status == "approved"
    version = by_admin.version
    before = last_event_id()

    browser = logged_in(staff_author)
    data = submitted_form(browser.get(change_url(by_admin)))
    change_in_admin(data, cast)
    response = browser.post(change_url(by_admin), data)
    assert response.status_code == 302, form_errors(response)
    patched = api_as(staff_author).patch(
        reverse("v1:claim-detail", args=[by_api.pk]),
        {"version": by_api.version, **api_payload(cast)},
        format="json",
    )
    assert patched.status_code == 200, patched.json()

    by_admin.refresh_from_db()
    by_api.refresh_from_db()
    assert (by_admin.status, by_admin.version) == (status, version + 1)
    assert (by_api.status, by_api.version) == (status, version + 1)
    [admin_event] = events_after(by_admin, before)
    [api_event] = events_after(by_api, before)
    assert admin_event.kind == api_event.kind == EventKind.EDITED
    assert admin_event.actor == api_event.actor == staff_author

    def said(event):
        return event.from_status, event.to_status, event.version, event.changes, event.data

    assert said(admin_event) == said(api_event)
    assert admin_event.changes  # the edit was recorded, not only matched
    assert list(by_admin.actor_links.values_list("actor_id", "role")) == list(
        by_api.actor_links.values_list("actor_id", "role")
    )
    assert list(by_admin.source_links.values_list("source_id", "locator")) == list(
        by_api.source_links.values_list("source_id", "locator")
    )


def test_an_unchanged_admin_form_changes_nothing(approved, staff_author, logged_in):
    claim = approved()
    before = last_event_id()
    browser = logged_in(staff_author)
    response = browser.post(change_url(claim), submitted_form(browser.get(change_url(claim))))
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("approved", 3)
    assert events_after(claim, before) == []


def test_a_stale_admin_form_is_refused_and_overwrites_nothing(approved, staff_author, logged_in):
    claim = approved()
    browser = logged_in(staff_author)
    data = submitted_form(browser.get(change_url(claim)))
    # Meanwhile the author edits the claim's note on a page (it stays approved).
    claim_update(user=staff_author, claim_id=claim.pk, version=claim.version, note="Elsewhere.")
    before = last_event_id()

    data["statement"] = "The admin's stale edit."
    response = browser.post(change_url(claim), data)

    assert response.status_code == 200
    assert any("reload and try again" in error for error in form_errors(response)["__all__"])
    assert response.context["adminform"].form["statement"].value() == "The admin's stale edit."
    claim.refresh_from_db()
    assert (claim.note, claim.status) == ("Elsewhere.", "approved")
    assert claim.statement != "The admin's stale edit."
    assert events_after(claim, before) == []
    assert not LogEntry.objects.filter(object_id=str(claim.pk)).exists()


def test_a_refusal_of_the_service_is_a_form_error_and_nothing_is_written(
    approved, cast, staff_author, logged_in, settings
):
    settings.MAX_LINKS_PER_CLAIM = 1
    claim = approved()
    browser = logged_in(staff_author)
    data = submitted_form(browser.get(change_url(claim)))
    data["statement"] = "A statement that must not be saved."
    add_row(data, "actor_links", actor=cast["albania"].pk, role=ActorRole.TARGET)
    before = last_event_id()

    response = browser.post(change_url(claim), data)

    assert response.status_code == 200
    assert form_errors(response)["__all__"] == ["A claim can name at most 1 further actors."]
    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("approved", 3)
    assert claim.statement != "A statement that must not be saved."
    assert claim.actor_links.count() == 1
    assert events_after(claim, before) == []


def test_a_claim_of_someone_else_is_read_only_in_the_admin(approved, superuser, logged_in):
    claim = approved()
    browser = logged_in(superuser)
    page = browser.get(change_url(claim))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert b'name="statement"' not in page.content

    data = submitted_form(page)
    data["statement"] = "Changed by someone who is not the author."
    assert browser.post(change_url(claim), data).status_code == 403
    claim.refresh_from_db()
    assert claim.statement != data["statement"]


def test_a_submitted_claim_is_read_only_for_its_author(staff_author, article, logged_in):
    claim = make_claim(author=staff_author, article=article)
    claim = claim_submit(user=staff_author, claim_id=claim.pk, version=claim.version)
    page = logged_in(staff_author).get(change_url(claim))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False


def test_admin_delete_of_a_draft_is_audited(staff_author, article, logged_in):
    claim = make_claim(author=staff_author, article=article)
    browser = logged_in(staff_author)
    assert browser.get(delete_url(claim)).status_code == 200

    response = browser.post(delete_url(claim), {"post": "yes"})

    assert response.status_code == 302
    assert not Claim.objects.filter(pk=claim.pk).exists()
    deleted = ClaimEvent.objects.get(claim_id=claim.pk, kind=EventKind.DELETED)
    assert deleted.actor == staff_author
    assert deleted.data["snapshot"]["statement"] == claim.statement


@pytest.mark.parametrize("who", ["staff_author", "superuser"])
def test_admin_refuses_to_delete_a_submitted_claim(who, staff_author, article, logged_in, request):
    claim = make_claim(author=staff_author, article=article)
    claim = claim_submit(user=staff_author, claim_id=claim.pk, version=claim.version)
    browser = logged_in(request.getfixturevalue(who))

    assert browser.get(delete_url(claim)).status_code == 403
    assert browser.post(delete_url(claim), {"post": "yes"}).status_code == 403
    assert Claim.objects.filter(pk=claim.pk).exists()
    assert not ClaimEvent.objects.filter(claim_id=claim.pk, kind=EventKind.DELETED).exists()
    assert not LogEntry.objects.filter(object_id=str(claim.pk)).exists()


def test_admin_refuses_to_delete_someone_elses_draft(staff_author, superuser, article, logged_in):
    claim = make_claim(author=staff_author, article=article)
    assert logged_in(superuser).post(delete_url(claim), {"post": "yes"}).status_code == 403
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_the_claim_list_offers_no_bulk_delete(staff_author, article, logged_in):
    claim = make_claim(author=staff_author, article=article)
    browser = logged_in(staff_author)
    changelist = reverse("admin:annotations_claim_changelist")
    page = browser.get(changelist)
    action_form = page.context["action_form"]
    actions = [name for name, _ in action_form.fields["action"].choices] if action_form else []
    assert "delete_selected" not in actions

    browser.post(changelist, {"action": "delete_selected", "_selected_action": [claim.pk]})
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_claim_relations_are_view_only_in_the_admin(superuser, logged_in):
    browser = logged_in(superuser)
    assert browser.get(reverse("admin:annotations_claimrelation_add")).status_code == 403


def test_a_claim_submitted_while_the_admin_deletes_it_stays(
    staff_author, article, logged_in, monkeypatch
):
    claim = make_claim(author=staff_author, article=article)
    claim_submit(user=staff_author, claim_id=claim.pk, version=claim.version)
    # The page's check passed just before the claim was submitted: the service has the
    # last word.
    monkeypatch.setattr("annotations.admin.can_delete_claim", lambda user, claim: True)
    browser = logged_in(staff_author)

    response = browser.post(delete_url(claim), {"post": "yes"}, follow=True)

    assert response.redirect_chain[0][0] == change_url(claim)
    assert [str(m) for m in response.context["messages"]] == [
        "Cannot delete a claim that is submitted."
    ]
    assert Claim.objects.filter(pk=claim.pk).exists()
    assert not ClaimEvent.objects.filter(claim_id=claim.pk, kind=EventKind.DELETED).exists()
    assert not LogEntry.objects.filter(object_id=str(claim.pk)).exists()


def test_the_admin_searches_claims_as_the_desk_does(staff_author, logged_in):
    """The changelist's search is the desk's full-text search: an actor's alias finds
    the claims naming the actor, and a search counts its own results only."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import ActorFactory

    iran = ActorFactory(name="Iran", kind="state", aliases=["Tehran"])
    named = make_claim(author=staff_author, actors=[(iran, ActorRole.ACCUSED)])
    other = make_claim(
        author=staff_author,
        exact="Washington announced sanctions",
        statement="Washington announced sanctions.",
    )
    browser = logged_in(staff_author)
    url = reverse("admin:annotations_claim_changelist")
    with CaptureQueriesContext(connection) as captured:
        response = browser.get(url, {"q": "Tehran"})
    found = [claim.pk for claim in response.context["cl"].result_list]
    assert found == [named.pk] and other.pk not in found
    whole_table = 'SELECT COUNT(*) AS "__count" FROM "annotations_claim"'
    assert not any(query["sql"] == whole_table for query in captured.captured_queries)
