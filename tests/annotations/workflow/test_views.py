"""The review queue and the decide view: who may use them, what the queue shows, and how
each outcome of a decision comes back (page and JSON)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.models import Claim, ClaimEvent, Review
from annotations.services.claims import SourceLink, claim_submit, claim_update
from annotations.services.reviews import review_decide
from tests.factories import ActorFactory, SourceFactory, UserFactory, make_claim, require_approvals

pytestmark = pytest.mark.django_db

QUEUE = reverse("review_queue")
JSON = {"HTTP_ACCEPT": "application/json"}
DECISIONS = {
    "approve": {
        "decision": "approve",
        "quote_checked": "on",
        "claimant_checked": "on",
        "sources_checked": "on",
    },
    "reject": {
        "decision": "reject",
        "reason": "unsupported",
        "comment": "Not what the source says.",
    },
    "request_changes": {"decision": "request_changes", "comment": "Cite the statement."},
}


def decide_url(claim):
    return reverse("review_decide", args=[claim.pk])


def post_decision(client, claim, decision, version=None, headers=None, follow=False, **extra):
    data = {**DECISIONS[decision], "version": claim.version if version is None else version}
    data.update(extra)
    return client.post(decide_url(claim), data, follow=follow, **(headers or {}))


def submitted(author, article=None, **kwargs):
    claim = make_claim(author=author, article=article, **kwargs)
    return claim_submit(user=author, claim_id=claim.pk, version=claim.version)


def snapshot(claim):
    claim = Claim.objects.get(pk=claim.pk)
    return (
        claim.status,
        claim.version,
        Review.objects.filter(claim=claim).count(),
        ClaimEvent.objects.filter(claim_id=claim.pk).count(),
    )


@pytest.fixture
def author_reviewer(db):
    return UserFactory(username="ruth", roles=["researcher", "reviewer"])


def logged_in(client, user):
    if user is not None:
        client.force_login(user)
    return client


# --- permission matrix ------------------------------------------------------------------

QUEUE_MATRIX = [
    ("anonymous", 302),
    ("reader", 403),
    ("researcher", 403),
    ("editor", 403),
    ("reviewer", 200),
    ("author_reviewer", 200),
    ("superuser", 200),
]


@pytest.mark.parametrize(("role", "status"), QUEUE_MATRIX)
def test_queue_permissions(request, client, submitted_claim, role, status):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    response = logged_in(client, user).get(QUEUE)
    assert response.status_code == status
    if role == "anonymous":
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("decision", ["approve", "reject", "request_changes"])
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("reader", 403),
        ("other_researcher", 403),
        ("editor", 403),
        ("reviewer", 302),
        ("author_reviewer", 302),  # on someone else's claim
        ("superuser", 302),  # on someone else's claim
    ],
)
def test_decide_permissions(request, client, submitted_claim, role, status, decision):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    before = snapshot(submitted_claim)
    response = post_decision(logged_in(client, user), submitted_claim, decision)
    assert response.status_code == status
    if status == 302 and role != "anonymous":
        assert snapshot(submitted_claim) != before
        review = Review.objects.get(claim=submitted_claim)
        assert (review.reviewer, review.decision) == (user, decision)
    else:
        assert snapshot(submitted_claim) == before
    if role == "anonymous":
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("decision", ["approve", "reject", "request_changes"])
@pytest.mark.parametrize("role", ["author_reviewer", "superuser"])
def test_author_as_reviewer_gets_self_review_and_nothing_changes(
    request, client, article, role, decision
):
    author = request.getfixturevalue(role)
    claim = submitted(author, article)
    before = snapshot(claim)
    client.force_login(author)

    response = post_decision(client, claim, decision)
    assert response.status_code == 403
    assert b"self_review" in response.content
    assert b"You cannot review a claim you authored." in response.content

    response = post_decision(client, claim, decision, headers=JSON)
    assert response.status_code == 403
    assert response.json()["code"] == "self_review"
    assert snapshot(claim) == before


def test_own_claims_are_not_in_the_queue_of_an_author_who_reviews(
    client, author_reviewer, submitted_claim, article
):
    own = submitted(author_reviewer, article, statement="My own claim.")
    client.force_login(author_reviewer)
    html = client.get(QUEUE).content.decode()
    assert submitted_claim.statement in html
    assert own.statement not in html


def test_someone_elses_draft_is_not_found(client, reviewer, draft_claim):
    client.force_login(reviewer)
    response = post_decision(client, draft_claim, "approve")
    assert response.status_code == 404
    assert snapshot(draft_claim)[2:] == (0, 1)


def test_decide_answers_post_only(client, reviewer, submitted_claim):
    client.force_login(reviewer)
    assert client.get(decide_url(submitted_claim)).status_code == 405


def test_decide_needs_the_csrf_token(reviewer, submitted_claim):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    before = snapshot(submitted_claim)
    assert post_decision(client, submitted_claim, "approve").status_code == 403
    assert snapshot(submitted_claim) == before


# --- the queue page ---------------------------------------------------------------------


def test_queue_lists_submitted_claims_oldest_first(
    client, researcher, other_researcher, reviewer, article
):
    first = submitted(researcher, article, statement="First submitted.")
    make_claim(author=researcher, article=article, statement="Still a draft.")
    second = submitted(other_researcher, article, statement="Second submitted.")
    decided = submitted(researcher, article, statement="Already rejected.")
    review_decide(
        user=reviewer,
        claim_id=decided.pk,
        version=decided.version,
        decision="reject",
        reason="other",
        comment="Not a claim.",
    )
    client.force_login(reviewer)
    html = client.get(QUEUE).content.decode()
    assert html.index("First submitted.") < html.index("Second submitted.")
    assert "Still a draft." not in html
    assert "Already rejected." not in html
    assert f'id="claim-{first.pk}"' in html
    assert f'id="claim-{second.pk}"' in html


def test_queue_shows_passage_claimant_actors_sources_and_history(
    client, researcher, reviewer, article
):
    rama = ActorFactory(name="Edi Rama")
    iran = ActorFactory(name="Iran")
    statement = SourceFactory(name="Video statement")
    claim = make_claim(
        author=researcher,
        article=article,
        claimant=rama,
        actors=[(iran, "accused")],
        sources=[(statement, "00:45")],
    )
    claim = claim_submit(user=researcher, claim_id=claim.pk, version=claim.version)
    client.force_login(reviewer)
    html = client.get(QUEUE).content.decode()

    passage = re.search(r'<blockquote class="passage">(.*?)</blockquote>', html, re.S).group(1)
    assert "Edi Rama said on Wednesday that an investigation had shown" in passage
    assert re.search(r"<mark[^>]*>.*the Iranian state was behind the July cyberattacks", passage)
    assert "on government services." in passage
    assert "Tehran rejected" not in passage  # the next paragraph is not context
    assert "Edi Rama" in html
    assert "Iran" in html and "Accused" in html
    assert "Video statement" in html and "00:45" in html
    assert "History" in html and "Submitted" in html
    assert f'name="version" value="{claim.version}"' in html
    assert "j</kbd>" in html and "request changes" in html


def test_queue_escapes_user_text(client, researcher, reviewer, article):
    claimant = ActorFactory(name="<img src=x onerror=alert(1)>")
    claim = make_claim(
        author=researcher,
        article=article,
        claimant=claimant,
        statement="<script>alert('statement')</script>",
    )
    claim = claim_submit(user=researcher, claim_id=claim.pk, version=claim.version)
    client.force_login(reviewer)
    html = client.get(QUEUE).content.decode()
    assert "<script>alert(" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(" in html


def test_queue_shows_the_approvals_still_needed(
    settings, client, researcher, reviewer, second_reviewer, submitted_claim
):
    require_approvals(settings, 2)
    review_decide(user=reviewer, claim_id=submitted_claim.pk, version=2, decision="approve")
    client.force_login(reviewer)
    assert submitted_claim.statement not in client.get(QUEUE).content.decode()
    client.force_login(second_reviewer)
    html = client.get(QUEUE).content.decode()
    assert "1 of 2 approvals" in html
    assert "Approval recorded" in html


def test_queue_count_badge_for_reviewers_only(client, researcher, reviewer, submitted_claim):
    client.force_login(reviewer)
    html = client.get(QUEUE).content.decode()
    assert re.search(r'data-testid="queue-count">1<', html)
    client.force_login(researcher)
    html = client.get(QUEUE).content.decode()  # refused, but the layout renders
    assert 'data-testid="queue-count"' not in html


def test_timeline_shows_edits_with_names_before_and_after(
    client, researcher, reviewer, second_reviewer, article
):
    rama = ActorFactory(name="Edi Rama")
    kanaani = ActorFactory(name="Nasser Kanaani")
    source = SourceFactory(name="Sanctions notice")
    claim = submitted(researcher, article, claimant=rama)
    claim = review_decide(
        user=second_reviewer,
        claim_id=claim.pk,
        version=claim.version,
        decision="request_changes",
        comment="Who said it?",
        rating_value=2,
        rating_label="Unproven",
    )
    claim = claim_update(
        user=researcher,
        claim_id=claim.pk,
        version=claim.version,
        claimant_id=kanaani.pk,
        sources=[],
        actors=[],
        statement="Reworded <em>claim</em>.",
    )
    claim_update(
        user=researcher,
        claim_id=claim.pk,
        version=claim.version,
        sources=[SourceLink(source_id=source.pk, locator="p. 2")],
    )
    claim = Claim.objects.get(pk=claim.pk)
    claim_submit(user=researcher, claim_id=claim.pk, version=claim.version)
    client.force_login(reviewer)
    html = client.get(QUEUE).content.decode()
    history = html[html.index("<details") : html.index("</details>")]
    assert "Changes requested" in history and "Who said it?" in history
    assert "2/5" in history and "Unproven" in history
    assert re.search(r"<del>.*Edi Rama.*</del>.*<ins>.*Nasser Kanaani.*</ins>", history, re.S)
    assert "Sanctions notice, p. 2" in history
    assert "Reworded &lt;em&gt;claim&lt;/em&gt;." in history
    assert "second_reviewer" not in history and "victor" in history


def test_timeline_resolves_names_in_a_fixed_number_of_queries(researcher, article):
    from annotations.templatetags.claim_timeline import build_timeline

    def edited_claim(edits):
        claim = make_claim(author=researcher, article=article)
        for _ in range(edits):
            claim = claim_update(
                user=researcher,
                claim_id=claim.pk,
                version=claim.version,
                claimant_id=ActorFactory().pk,
            )
        return list(ClaimEvent.objects.filter(claim_id=claim.pk).select_related("actor"))

    few, many = edited_claim(2), edited_claim(6)
    with CaptureQueriesContext(connection) as few_queries:
        build_timeline(few)
    with CaptureQueriesContext(connection) as many_queries:
        build_timeline(many)
    assert len(few_queries) == len(many_queries) == 1


@pytest.mark.parametrize("required", [1, 2])
def test_queue_queries_do_not_grow_with_the_claims(
    settings, client, researcher, reviewer, article, required
):
    require_approvals(settings, required)

    def add_claims(count):
        for index in range(count):
            submitted(
                researcher,
                article,
                statement=f"Claim {index}",
                actors=[(ActorFactory(), "accused"), (ActorFactory(), "target")],
                sources=[(SourceFactory(), "p. 1")],
            )

    client.force_login(reviewer)
    add_claims(3)
    with CaptureQueriesContext(connection) as small:
        assert client.get(QUEUE).status_code == 200
    add_claims(3)
    with CaptureQueriesContext(connection) as large:
        assert client.get(QUEUE).status_code == 200
    assert len(large) == len(small)


def test_queue_opens_at_the_page_of_a_focused_claim(client, researcher, reviewer, article):
    from annotations.views.reviews import QUEUE_PAGE_SIZE

    claims = [submitted(researcher, article) for _ in range(QUEUE_PAGE_SIZE + 1)]
    client.force_login(reviewer)
    response = client.get(QUEUE, {"focus": claims[-1].pk})
    assert response.context["page_obj"].number == 2
    assert f'data-focus="{claims[-1].pk}"' in response.content.decode()


# --- deciding from the queue ------------------------------------------------------------


def test_a_decision_returns_to_the_queue_with_the_next_claim_focused(
    client, researcher, reviewer, article
):
    first, second = submitted(researcher, article), submitted(researcher, article)
    client.force_login(reviewer)
    response = post_decision(client, first, "approve")
    assert response.status_code == 302
    assert f"focus={second.pk}" in response.url
    assert response.url.endswith(f"#claim-{second.pk}")
    page = client.get(response.url)
    assert "Approved: “" in page.content.decode()
    assert Claim.objects.get(pk=first.pk).status == "approved"


def test_the_last_decision_leaves_an_empty_queue(client, reviewer, submitted_claim):
    client.force_login(reviewer)
    response = post_decision(client, submitted_claim, "reject", follow=True)
    html = response.content.decode()
    assert "Rejected: “" in html
    assert "Nothing is waiting for your review" in html
    assert re.search(r'data-testid="queue-count">0<', html)


def test_a_stale_decision_reloads_the_queue_with_a_message(
    client, reviewer, second_reviewer, submitted_claim
):
    review_decide(
        user=second_reviewer,
        claim_id=submitted_claim.pk,
        version=submitted_claim.version,
        decision="request_changes",
        comment="Later.",
    )
    before = snapshot(submitted_claim)
    client.force_login(reviewer)
    response = post_decision(client, submitted_claim, "approve", version=2, follow=True)
    html = response.content.decode()
    assert "Someone decided first; reloaded." in html
    assert snapshot(submitted_claim) == before


def test_a_stale_decision_on_a_claim_still_waiting_focuses_it_again(
    settings, client, reviewer, second_reviewer, submitted_claim
):
    require_approvals(settings, 2)
    review_decide(user=second_reviewer, claim_id=submitted_claim.pk, version=2, decision="approve")
    client.force_login(reviewer)
    response = post_decision(client, submitted_claim, "reject", version=2)
    assert response.status_code == 302
    assert f"focus={submitted_claim.pk}" in response.url
    assert Review.objects.filter(claim=submitted_claim).count() == 1


@pytest.mark.parametrize(
    ("decision", "extra", "error"),
    [
        ("approve", {"sources_checked": ""}, "Confirm the quote, the claimant and the sources"),
        ("reject", {"reason": ""}, "Say why the claim is rejected."),
        ("request_changes", {"comment": ""}, "Say what should change."),
        ("approve", {"rating_value": "9"}, "Select a valid choice."),
    ],
)
def test_bad_input_shows_the_error_at_the_claim_and_keeps_the_input(
    client, reviewer, submitted_claim, decision, extra, error
):
    client.force_login(reviewer)
    before = snapshot(submitted_claim)
    sent = {**DECISIONS[decision], "comment": "my words", **extra}
    data = {key: value for key, value in sent.items() if value != ""}
    data["version"] = submitted_claim.version
    response = client.post(decide_url(submitted_claim), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert error in html
    assert "my words" in html or decision == "request_changes"
    assert snapshot(submitted_claim) == before


def test_decision_with_a_missing_version_is_refused(client, reviewer, submitted_claim):
    client.force_login(reviewer)
    response = client.post(decide_url(submitted_claim), DECISIONS["approve"])
    assert response.status_code == 400
    assert Claim.objects.get(pk=submitted_claim.pk).status == "submitted"


# --- JSON answers (review.js) -----------------------------------------------------------


def test_json_decision_answers_with_counts_and_the_next_claim(
    client, researcher, reviewer, article
):
    first, second = submitted(researcher, article), submitted(researcher, article)
    client.force_login(reviewer)
    response = post_decision(client, first, "request_changes", headers=JSON)
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "ok"
    assert body["next"] == second.pk
    assert body["queue_count"] == 1
    assert body["claim"] == {"id": first.pk, "status": "changes_requested", "version": 3}
    assert body["message"].startswith("Changes requested: ")


def test_json_stale_decision_is_a_conflict_with_the_fresh_item(
    settings, client, reviewer, second_reviewer, submitted_claim
):
    require_approvals(settings, 2)
    review_decide(user=second_reviewer, claim_id=submitted_claim.pk, version=2, decision="approve")
    client.force_login(reviewer)
    response = post_decision(client, submitted_claim, "approve", version=2, headers=JSON)
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "stale_version"
    assert body["message"].startswith("Someone decided first; reloaded.")
    assert 'name="version" value="3"' in body["item_html"]


def test_json_decision_on_a_claim_decided_meanwhile(
    client, reviewer, second_reviewer, submitted_claim
):
    review_decide(
        user=second_reviewer,
        claim_id=submitted_claim.pk,
        version=2,
        decision="reject",
        reason="duplicate",
        comment="Made twice.",
    )
    client.force_login(reviewer)
    response = post_decision(client, submitted_claim, "approve", version=3, headers=JSON)
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert response.json()["item_html"] == ""


def test_json_bad_input_returns_the_item_with_errors(client, reviewer, submitted_claim):
    client.force_login(reviewer)
    response = post_decision(client, submitted_claim, "reject", reason="", headers=JSON)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"][0]["field"] == "reason"
    assert "Say why the claim is rejected." in body["item_html"]


@pytest.mark.parametrize("role", ["other_researcher", "editor"])
def test_json_refuses_non_reviewers(request, client, submitted_claim, role):
    client.force_login(request.getfixturevalue(role))
    response = post_decision(client, submitted_claim, "approve", headers=JSON)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_the_timeline_shows_the_open_request_for_changes_until_resubmission(
    researcher, reviewer, submitted_claim
):
    from django.template.loader import render_to_string

    def rendered():
        events = ClaimEvent.objects.filter(claim_id=submitted_claim.pk).order_by("id")
        return render_to_string("annotations/_timeline.html", {"events": events})

    claim = review_decide(
        user=reviewer,
        claim_id=submitted_claim.pk,
        version=submitted_claim.version,
        decision="request_changes",
        comment="Quote the <minister> exactly.",
    )
    html = rendered()
    assert 'data-testid="changes-requested"' in html
    assert "Quote the &lt;minister&gt; exactly." in html
    claim = claim_update(user=researcher, claim_id=claim.pk, version=claim.version, note="ok")
    assert 'data-testid="changes-requested"' in rendered()  # still waiting for the author
    claim_submit(user=researcher, claim_id=claim.pk, version=claim.version)
    html = rendered()
    assert 'data-testid="changes-requested"' not in html
    assert "Quote the &lt;minister&gt; exactly." in html  # still in the history
