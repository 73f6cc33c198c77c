"""Claims through the API: every endpoint by role, visibility, the workflow's errors."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotations.models import ClaimEvent, ClaimStatus
from tests.annotations.exports.builders import ACCUSATION, DENIAL
from tests.factories import ActorFactory, ArticleFactory, SourceFactory, make_claim

pytestmark = pytest.mark.django_db


def url(name: str, claim=None) -> str:
    if claim is None:
        return reverse(f"v1:{name}")
    return reverse(f"v1:{name}", args=[claim.pk])


def error_fields(response) -> list[str]:
    return [error["field"] for error in response.json()["errors"]]


def create_payload(desk, **changes) -> dict:
    text = desk.article.revisions.get(number=1).text
    start = text.index(DENIAL)
    payload = {
        "article": desk.article.pk,
        "start": start,
        "end": start + len(DENIAL),
        "exact": DENIAL,
        "statement": "Iran rejects the accusation.",
        "claimant": desk.iran.pk,
        "certainty": "denied",
        "actors": [{"actor": desk.albania.pk, "role": "target"}],
        "sources": [{"source": desk.outlet.pk, "locator": "paragraph 2", "note": "quoted"}],
    }
    payload.update(changes)
    return payload


# --------------------------------------------------------------------------- anonymous


ANONYMOUS_CALLS = [
    ("get", "claim-list", None),
    ("post", "claim-list", None),
    ("get", "claim-detail", "approved"),
    ("patch", "claim-detail", "draft"),
    ("delete", "claim-detail", "draft"),
    ("post", "claim-submit", "draft"),
    ("post", "claim-review", "submitted"),
    ("get", "claim-events", "approved"),
]


@pytest.mark.parametrize(("method", "name", "claim"), ANONYMOUS_CALLS)
def test_anonymous_is_asked_to_authenticate(desk, anon, method, name, claim):
    response = getattr(anon, method)(url(name, desk.claims[claim] if claim else None), {})
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"


# --------------------------------------------------------------------------- reading


def test_list_shows_own_drafts_but_never_other_peoples(desk, as_user, researcher):
    response = as_user(researcher).get(url("claim-list"))
    assert response.status_code == 200
    ids = {claim["id"] for claim in response.json()["results"]}
    assert desk.claims["draft"].pk in ids
    assert desk.claims["other_draft"].pk not in ids
    assert desk.claims["approved"].pk in ids


@pytest.mark.parametrize("who", ["reviewer", "editor", "reader"])
def test_other_roles_see_no_drafts(desk, as_user, request, who):
    response = as_user(request.getfixturevalue(who)).get(url("claim-list"))
    statuses = {claim["status"] for claim in response.json()["results"]}
    assert ClaimStatus.DRAFT not in statuses
    assert ClaimStatus.APPROVED in statuses


def test_superuser_sees_every_claim(desk, as_user, superuser):
    response = as_user(superuser).get(url("claim-list") + "?page_size=100")
    assert {c["id"] for c in response.json()["results"]} == {c.pk for c in desk.claims.values()}


def test_claim_answer_carries_the_whole_claim(desk, as_user, researcher):
    claim = desk["approved"]
    body = as_user(researcher).get(url("claim-detail", claim)).json()
    assert body["id"] == claim.pk
    assert body["status"] == "approved"
    assert body["version"] == claim.version
    assert body["anchor_state"] == "anchored"
    assert body["exact"] == ACCUSATION
    assert body["prefix"] and body["suffix"]
    assert body["article"] == desk.article.pk
    assert body["revision"] == 1
    assert body["claimant"] == {"id": desk.rama.pk, "name": "Edi Rama"}
    assert {"actor": {"id": desk.iran.pk, "name": "Iran"}, "role": "accused"} in body["actors"]
    assert body["sources"][0]["source"] == {
        "id": desk.outlet.pk,
        "name": "Foreign Policy",
        "url": "https://fp.example/",
    }
    assert body["sources"][0]["locator"] == "paragraph 1"
    assert body["certainty"] == "asserted"
    assert body["author"]["username"] == "rita"
    assert body["reviews"][0]["decision"] == "approve"
    assert body["reviews"][0]["rating_label"] == "Unproven"
    assert body["allowed_actions"] == ["edit", "edit_note"]
    for key in ("created", "modified", "submitted_at", "reviewed_at"):
        assert body[key]


@pytest.mark.parametrize("who", ["researcher", "reviewer", "editor", "reader"])
@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "claim-detail"),
        ("patch", "claim-detail"),
        ("delete", "claim-detail"),
        ("post", "claim-submit"),
        ("post", "claim-review"),
        ("get", "claim-events"),
    ],
)
def test_someone_elses_draft_is_not_found(desk, as_user, request, who, method, name):
    client = as_user(request.getfixturevalue(who))
    response = getattr(client, method)(url(name, desk.claims["other_draft"]), {"version": 1})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_author_and_superuser_read_the_draft(desk, as_user, other_researcher, superuser):
    for user in (other_researcher, superuser):
        assert as_user(user).get(url("claim-detail", desk.claims["other_draft"])).status_code == 200


def test_unknown_claim_is_not_found(as_user, researcher):
    response = as_user(researcher).get(reverse("v1:claim-detail", args=[2**40]))
    assert response.status_code == 404


def test_note_is_shown_to_the_author_and_reviewers_only(
    desk, as_user, researcher, reviewer, other_researcher
):
    claim = make_claim(author=researcher, article=desk.article)
    as_user(researcher).patch(
        url("claim-detail", claim), {"version": claim.version, "note": "ask Tirana"}
    )
    claim.refresh_from_db()
    from tests.annotations.exports.builders import submit

    submit(claim, researcher)
    assert as_user(researcher).get(url("claim-detail", claim)).json()["note"] == "ask Tirana"
    assert as_user(reviewer).get(url("claim-detail", claim)).json()["note"] == "ask Tirana"
    assert as_user(other_researcher).get(url("claim-detail", claim)).json()["note"] == ""


# --------------------------------------------------------------------------- creating


def test_researcher_creates_a_draft(desk, as_user, researcher):
    response = as_user(researcher).post(url("claim-list"), create_payload(desk))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft"
    assert body["version"] == 1
    assert body["exact"] == DENIAL
    assert body["prefix"].endswith("services.\n\n")
    assert body["claimant"]["name"] == "Iran"
    assert body["actors"] == [
        {"actor": {"id": desk.albania.pk, "name": "Albania"}, "role": "target"}
    ]
    assert body["sources"][0]["note"] == "quoted"
    assert body["author"]["username"] == "rita"
    assert ClaimEvent.objects.filter(claim_id=body["id"], kind="created").exists()


@pytest.mark.parametrize("who", ["reviewer", "editor", "reader"])
def test_only_researchers_create_claims(desk, as_user, request, who):
    response = as_user(request.getfixturevalue(who)).post(url("claim-list"), create_payload(desk))
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"claimant": 2**40}, "claimant"),
        ({"article": 2**40}, "article"),
        ({"actors": [{"actor": 2**40, "role": "accused"}]}, "actors.0.actor"),
        (
            {"sources": [{"source": "__outlet__"}, {"source": 2**40, "locator": "p. 2"}]},
            "sources.1.source",
        ),
        ({"actors": [{"actor": "__iran__", "role": "villain"}]}, "actors.0.role"),
        ({"revision": 7}, "revision"),
        ({"certainty": "probably"}, "certainty"),
        ({"start": -1}, "start"),
        ({"start": 10**30}, "start"),
        ({"statement": ""}, "statement"),
        ({"statement": "nul \x00 byte"}, "statement"),
    ],
)
def test_bad_claim_input_names_the_field(desk, as_user, researcher, changes, field):
    def fill(value):
        if value == "__outlet__":
            return desk.outlet.pk
        if value == "__iran__":
            return desk.iran.pk
        if isinstance(value, list):
            return [{k: fill(v) for k, v in item.items()} for item in value]
        return value

    payload = create_payload(desk, **{key: fill(value) for key, value in changes.items()})
    response = as_user(researcher).post(url("claim-list"), payload)
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "invalid"
    assert field in error_fields(response)


def test_too_many_actors_is_refused_before_looking_them_up(
    desk, as_user, researcher, settings, django_assert_max_num_queries
):
    settings.MAX_LINKS_PER_CLAIM = 3
    payload = create_payload(
        desk, actors=[{"actor": desk.iran.pk, "role": role} for role in ["accused"] * 4]
    )
    client = as_user(researcher)
    with django_assert_max_num_queries(12):
        response = client.post(url("claim-list"), payload)
    assert response.status_code == 400
    assert error_fields(response) == ["actors"]


def test_quote_that_does_not_match_the_text_is_an_anchor_mismatch(desk, as_user, researcher):
    payload = create_payload(desk, exact="Tehran welcomed the accusation as baseless")
    response = as_user(researcher).post(url("claim-list"), payload)
    assert response.status_code == 400
    assert response.json()["code"] == "anchor_mismatch"
    assert error_fields(response) == ["exact"]


def test_offsets_past_the_text_are_an_anchor_mismatch(desk, as_user, researcher):
    payload = create_payload(desk, start=100_000, end=100_010)
    response = as_user(researcher).post(url("claim-list"), payload)
    assert response.status_code == 400
    assert response.json()["code"] == "anchor_mismatch"


def test_utf16_offsets_are_converted_after_emoji(as_user, researcher):
    article = ArticleFactory(text="🇦🇱 Tirana 🚨 says Tehran did it.\n\nMore text.")
    claimant = ActorFactory(name="Albania")
    text = article.revisions.get().text
    quote = "Tehran did it"
    start = text.index(quote)
    utf16_start = len(text[:start].encode("utf-16-le")) // 2
    payload = {
        "article": article.pk,
        "start": utf16_start,
        "end": utf16_start + len(quote),
        "offset_unit": "utf16",
        "exact": quote,
        "statement": "Albania says Iran did it.",
        "claimant": claimant.pk,
        "certainty": "alleged",
    }
    response = as_user(researcher).post(url("claim-list"), payload)
    assert response.status_code == 201, response.json()
    assert (response.json()["start"], response.json()["end"]) == (start, start + len(quote))
    # The same offsets taken as code points miss the quote.
    payload["offset_unit"] = "codepoint"
    assert as_user(researcher).post(url("claim-list"), payload).json()["code"] == "anchor_mismatch"


def test_utf16_offset_inside_an_emoji_is_an_anchor_mismatch(as_user, researcher):
    article = ArticleFactory(text="🚨 Tehran did it.")
    payload = {
        "article": article.pk,
        "start": 1,
        "end": 5,
        "offset_unit": "utf16",
        "exact": "x",
        "statement": "s",
        "claimant": ActorFactory().pk,
        "certainty": "alleged",
    }
    response = as_user(researcher).post(url("claim-list"), payload)
    assert response.status_code == 400
    assert response.json()["code"] == "anchor_mismatch"
    assert error_fields(response) == ["start"]


# --------------------------------------------------------------------------- editing


def test_author_edits_a_draft_and_gets_the_new_version(desk, as_user, researcher):
    claim = desk["draft"]
    response = as_user(researcher).patch(
        url("claim-detail", claim),
        {
            "version": claim.version,
            "statement": "Rama blames Iran.",
            "actors": [{"actor": desk.ministry.pk, "role": "accused"}],
            "sources": [],
        },
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["version"] == claim.version + 1
    assert body["statement"] == "Rama blames Iran."
    assert [a["actor"]["id"] for a in body["actors"]] == [desk.ministry.pk]
    assert body["sources"] == []


def test_stale_version_is_a_conflict(desk, as_user, researcher):
    claim = desk["draft"]
    response = as_user(researcher).patch(
        url("claim-detail", claim), {"version": claim.version + 5, "statement": "Late edit."}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "stale_version"
    assert desk["draft"].statement != "Late edit."


def test_patch_needs_a_version(desk, as_user, researcher):
    response = as_user(researcher).patch(url("claim-detail", desk["draft"]), {"statement": "x"})
    assert response.status_code == 400
    assert error_fields(response) == ["version"]


def test_author_cannot_edit_a_claim_under_review(desk, as_user, researcher):
    claim = desk["submitted"]
    response = as_user(researcher).patch(
        url("claim-detail", claim), {"version": claim.version, "statement": "Changed."}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


@pytest.mark.parametrize("who", ["other_researcher", "reviewer", "editor"])
def test_only_the_author_edits(desk, as_user, request, who):
    claim = desk["changes_requested"]
    response = as_user(request.getfixturevalue(who)).patch(
        url("claim-detail", claim), {"version": claim.version, "statement": "Hijacked."}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_substantive_edit_of_an_approved_claim_sends_it_back_to_review(desk, as_user, researcher):
    claim = desk["approved"]
    response = as_user(researcher).patch(
        url("claim-detail", claim), {"version": claim.version, "certainty": "alleged"}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"


def test_edit_with_a_quote_that_does_not_match_is_an_anchor_mismatch(desk, as_user, researcher):
    claim = desk["draft"]
    response = as_user(researcher).patch(
        url("claim-detail", claim), {"version": claim.version, "exact": "something else"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "anchor_mismatch"


# --------------------------------------------------------------------------- deleting


def test_author_deletes_a_draft(desk, as_user, researcher):
    claim = desk["draft"]
    response = as_user(researcher).delete(url("claim-detail", claim) + f"?version={claim.version}")
    assert response.status_code == 204
    assert as_user(researcher).get(url("claim-detail", claim)).status_code == 404
    assert ClaimEvent.objects.filter(claim_id=claim.pk, kind="deleted").exists()


def test_deleting_with_a_stale_version_is_a_conflict(desk, as_user, researcher):
    claim = desk["draft"]
    response = as_user(researcher).delete(url("claim-detail", claim) + "?version=99")
    assert response.status_code == 409
    assert response.json()["code"] == "stale_version"


def test_approved_claim_cannot_be_deleted(desk, as_user, researcher):
    response = as_user(researcher).delete(url("claim-detail", desk["approved"]))
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


def test_other_user_cannot_delete(desk, as_user, other_researcher):
    response = as_user(other_researcher).delete(url("claim-detail", desk["changes_requested"]))
    assert response.status_code == 403


# --------------------------------------------------------------------------- submitting


def test_author_submits_a_draft(desk, as_user, researcher):
    claim = desk["draft"]
    response = as_user(researcher).post(url("claim-submit", claim), {"version": claim.version})
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    assert response.json()["version"] == claim.version + 1


def test_submitting_twice_is_an_invalid_transition(desk, as_user, researcher):
    claim = desk["submitted"]
    response = as_user(researcher).post(url("claim-submit", claim), {"version": claim.version})
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


def test_submit_with_stale_version_is_a_conflict(desk, as_user, researcher):
    claim = desk["draft"]
    response = as_user(researcher).post(url("claim-submit", claim), {"version": claim.version + 1})
    assert response.status_code == 409
    assert response.json()["code"] == "stale_version"


@pytest.mark.parametrize("who", ["other_researcher", "reviewer"])
def test_only_the_author_submits(desk, as_user, request, who):
    claim = desk["changes_requested"]
    response = as_user(request.getfixturevalue(who)).post(
        url("claim-submit", claim), {"version": claim.version}
    )
    assert response.status_code == 403


def test_submit_needs_a_version(desk, as_user, researcher):
    response = as_user(researcher).post(url("claim-submit", desk["draft"]), {})
    assert response.status_code == 400
    assert error_fields(response) == ["version"]


# --------------------------------------------------------------------------- reviewing


def test_reviewer_approves_with_a_rating(desk, as_user, reviewer):
    claim = desk["submitted"]
    response = as_user(reviewer).post(
        url("claim-review", claim),
        {
            "version": claim.version,
            "decision": "approve",
            "rating_value": 5,
            "rating_label": "True",
        },
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "approved"
    assert body["version"] == claim.version + 1
    assert body["reviews"][-1]["rating_value"] == 5


def test_reviewer_cannot_review_own_claim(desk, as_user, superuser):
    claim = make_claim(author=superuser, article=desk.article)
    from tests.annotations.exports.builders import submit

    claim = submit(claim, superuser)
    response = as_user(superuser).post(
        url("claim-review", claim), {"version": claim.version, "decision": "approve"}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "self_review"


def test_author_without_review_role_also_hears_self_review(desk, as_user, researcher):
    claim = desk["submitted"]
    response = as_user(researcher).post(
        url("claim-review", claim), {"version": claim.version, "decision": "approve"}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "self_review"


@pytest.mark.parametrize("who", ["other_researcher", "editor", "reader"])
def test_only_reviewers_review(desk, as_user, request, who):
    claim = desk["submitted"]
    response = as_user(request.getfixturevalue(who)).post(
        url("claim-review", claim), {"version": claim.version, "decision": "approve"}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_reviewing_an_approved_claim_is_an_invalid_transition(desk, as_user, second_reviewer):
    claim = desk["approved"]
    response = as_user(second_reviewer).post(
        url("claim-review", claim),
        {
            "version": claim.version,
            "decision": "reject",
            "reason": "other",
            "comment": "Not what the source says.",
        },
    )
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


def test_review_of_a_stale_version_is_a_conflict(desk, as_user, reviewer):
    claim = desk["submitted"]
    response = as_user(reviewer).post(
        url("claim-review", claim), {"version": claim.version - 1, "decision": "approve"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "stale_version"
    assert desk["submitted"].status == "submitted"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"decision": "reject"}, "reason"),
        ({"decision": "request_changes"}, "comment"),
        ({"decision": "approve", "reason": "duplicate"}, "reason"),
        ({"decision": "publish"}, "decision"),
        ({"decision": "approve", "rating_value": 6}, "rating_value"),
    ],
)
def test_bad_review_input_names_the_field(desk, as_user, reviewer, payload, field):
    claim = desk["submitted"]
    response = as_user(reviewer).post(
        url("claim-review", claim), {"version": claim.version, **payload}
    )
    assert response.status_code == 400
    assert field in error_fields(response)


def test_reviewer_rejects_with_a_reason(desk, as_user, reviewer):
    claim = desk["submitted"]
    response = as_user(reviewer).post(
        url("claim-review", claim),
        {
            "version": claim.version,
            "decision": "reject",
            "reason": "misattributed",
            "comment": "Not what the source says.",
        },
    )
    assert response.json()["status"] == "rejected"


# --------------------------------------------------------------------------- events


@pytest.mark.parametrize("who", ["researcher", "other_researcher", "reviewer", "editor"])
def test_audit_trail_of_a_visible_claim(desk, as_user, request, who):
    response = as_user(request.getfixturevalue(who)).get(url("claim-events", desk["approved"]))
    assert response.status_code == 200
    events = response.json()["results"]
    assert [e["kind"] for e in events] == ["created", "submitted", "approved"]
    assert events[-1]["actor"]["username"] == "vera"
    assert events[-1]["from_status"] == "submitted"
    assert events[-1]["to_status"] == "approved"
    assert events[-1]["data"]["rating_label"] == "Unproven"


def test_created_claims_are_listed_with_cursor_pages(desk, as_user, researcher):
    client = as_user(researcher)
    first = client.get(url("claim-list") + "?page_size=2").json()
    assert len(first["results"]) == 2
    second = client.get(first["next"]).json()
    assert {c["id"] for c in second["results"]}.isdisjoint({c["id"] for c in first["results"]})


def test_page_size_is_bounded(desk, as_user, researcher):
    response = as_user(researcher).get(url("claim-list") + "?page_size=100000")
    assert response.status_code == 200


def test_sources_of_claims_resolve_through_the_registry(desk, as_user, researcher):
    other = SourceFactory(name="Tirana Times")
    payload = create_payload(desk, sources=[{"source": other.pk}])
    response = as_user(researcher).post(url("claim-list"), payload)
    assert response.json()["sources"][0]["source"]["name"] == "Tirana Times"


def test_api_answers_json_only(desk, as_user, researcher):
    response = as_user(researcher).get(url("claim-list"), HTTP_ACCEPT="text/html")
    assert response.status_code == 406
    assert response.json()["code"] == "not_acceptable"
