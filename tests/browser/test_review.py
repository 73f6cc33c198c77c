"""The review queue in real Chromium: a reviewer clears it with the keyboard, then the
author reads the request for changes, edits and resubmits."""

import re

import pytest
from playwright.sync_api import expect

from annotations.models import Claim, ClaimEvent, Review
from annotations.roles import sync_role_groups
from annotations.services.claims import claim_submit
from tests.factories import ActorFactory, ArticleFactory, SourceFactory, UserFactory, make_claim

REQUEST = "Which ministry said it? Add the statement as a source (a j k r c)."


@pytest.fixture
def people(transactional_db):
    sync_role_groups()
    return {
        "author": UserFactory(username="rita", roles=["researcher"]),
        "reviewer": UserFactory(username="vera", roles=["reviewer"]),
    }


@pytest.fixture
def three_claims(people):
    article = ArticleFactory(title="Albania cuts ties with Iran")
    rama, iran = ActorFactory(name="Edi Rama"), ActorFactory(name="Iran")
    statement = SourceFactory(name="Video statement of the prime minister")
    quotes = [
        ("the Iranian state was behind the July cyberattacks", "Iran was behind the attacks."),
        ("Tehran rejected the accusation as baseless", "Iran rejects the accusation."),
        ("Washington announced sanctions", "The United States imposed sanctions."),
    ]
    claims = []
    for exact, text in quotes:
        claim = make_claim(
            author=people["author"],
            article=article,
            exact=exact,
            statement=text,
            claimant=rama,
            actors=[(iran, "accused")],
            sources=[(statement, "00:45")],
        )
        claims.append(claim_submit(user=people["author"], claim_id=claim.pk, version=claim.version))
    return claims


def focused_id(page):
    return page.evaluate(
        "() => { const item = document.activeElement.closest('[data-review-item]');"
        " return item ? item.id : null; }"
    )


def test_reviewer_clears_the_queue_with_the_keyboard_and_the_author_resubmits(
    page, login, people, three_claims
):
    first, second, third = three_claims
    login(people["reviewer"])
    page.goto("/review/")
    badge = page.get_by_test_id("queue-count")
    expect(badge).to_have_text("3")
    expect(page.locator("#review-keys")).to_contain_text("request changes")
    expect(page.locator(f"#claim-{first.pk} mark")).to_contain_text(
        "the Iranian state was behind the July cyberattacks"
    )

    # j and k move between claims.
    page.keyboard.press("j")
    assert focused_id(page) == f"claim-{first.pk}"
    page.keyboard.press("j")
    assert focused_id(page) == f"claim-{second.pk}"
    page.keyboard.press("k")
    assert focused_id(page) == f"claim-{first.pk}"

    # a: first to the checks, then approve once all three are ticked.
    page.keyboard.press("a")
    checks = page.locator(f"#claim-{first.pk} .review-checks input[type=checkbox]")
    expect(checks.nth(0)).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("a")
    expect(page.locator(f"#claim-{first.pk}")).to_have_count(0)
    expect(page.locator("[data-review-live]")).to_contain_text("Approved")
    expect(badge).to_have_text("2")
    expect(page.locator(f"#claim-{second.pk}")).to_be_focused()

    # r: to the reason, choose one with the keyboard, Esc, r again.
    page.keyboard.press("r")
    reason = page.locator(f"#claim-{second.pk} select[name=reason]")
    expect(reason).to_be_focused()
    page.keyboard.press("ArrowDown")  # a closed select takes the next option
    expect(reason).to_have_value("misattributed")
    page.keyboard.press("Escape")
    expect(page.locator(f"#claim-{second.pk}")).to_be_focused()
    # r again: to the comment, which a rejection needs; type why, Esc, r.
    page.keyboard.press("r")
    why = page.locator(f"#claim-{second.pk} textarea[name=comment]")
    expect(why).to_be_focused()
    page.keyboard.type("Rama did not say this.")
    page.keyboard.press("Escape")
    expect(page.locator(f"#claim-{second.pk}")).to_be_focused()
    page.keyboard.press("r")
    expect(page.locator(f"#claim-{second.pk}")).to_have_count(0)
    expect(page.locator("[data-review-live]")).to_contain_text("Rejected")
    expect(badge).to_have_text("1")
    expect(page.locator(f"#claim-{third.pk}")).to_be_focused()

    # c: to the comment; typing letters that are shortcuts does nothing but type.
    page.keyboard.press("c")
    comment = page.locator(f"#claim-{third.pk} textarea[name=comment]")
    expect(comment).to_be_focused()
    page.keyboard.type(REQUEST)
    expect(comment).to_have_value(REQUEST)
    assert Review.objects.filter(claim=third).count() == 0
    page.keyboard.press("Escape")
    page.keyboard.press("c")
    expect(page.locator(f"#claim-{third.pk}")).to_have_count(0)
    expect(page.locator("[data-review-live]")).to_contain_text("Changes requested")
    expect(badge).to_have_text("0")
    expect(page.locator("[data-review-empty]")).to_be_visible()

    assert [Claim.objects.get(pk=c.pk).status for c in three_claims] == [
        "approved",
        "rejected",
        "changes_requested",
    ]
    first_review = Review.objects.get(claim=first)
    assert (
        first_review.quote_checked,
        first_review.claimant_checked,
        first_review.sources_checked,
    ) == (True, True, True)
    assert Review.objects.get(claim=second).reason == "misattributed"
    assert Review.objects.get(claim=third).comment == REQUEST

    # The author sees the request on the claim page, edits and resubmits.
    page.get_by_role("button", name="Log out").click()
    login(people["author"])
    page.goto(f"/claims/{third.pk}/")
    request = page.get_by_test_id("changes-requested")
    expect(request).to_be_visible()
    expect(request).to_contain_text(REQUEST)
    expect(request).to_contain_text("vera")
    page.get_by_role("link", name="Edit", exact=True).click()
    page.fill("#id_statement", "The United States sanctioned Iran's Ministry of Intelligence.")
    page.get_by_role("button", name="Save and submit").click()
    page.wait_for_url(re.compile(rf"/claims/{third.pk}/$"))
    expect(page.get_by_test_id("claim-status")).to_have_text("Submitted")
    expect(page.get_by_test_id("changes-requested")).to_have_count(0)
    expect(page.locator(".timeline")).to_contain_text("The United States imposed sanctions.")
    expect(page.locator(".timeline")).to_contain_text(
        "The United States sanctioned Iran's Ministry of Intelligence."
    )

    resubmitted = Claim.objects.get(pk=third.pk)
    assert resubmitted.status == "submitted"
    assert list(
        ClaimEvent.objects.filter(claim_id=third.pk).order_by("id").values_list("kind", flat=True)
    ) == ["created", "submitted", "changes_requested", "edited", "submitted"]
    assert page.dialogs == []
    assert page.js_errors == []


def test_the_plain_form_works_without_javascript(browser, live_server, people, three_claims):
    first = three_claims[0]
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    try:
        page.goto("/login/")
        page.fill("#id_username", "vera")
        page.fill("#id_password", "correct-horse-battery")
        page.click("button[type=submit]")
        page.goto("/review/")
        item = page.locator(f"#claim-{first.pk}")
        item.get_by_role("button", name=re.compile("^Reject")).click()
        expect(page.locator(f"#claim-{first.pk} .field-error")).to_contain_text(
            "Say why the claim is rejected."
        )
        page.locator(f"#claim-{first.pk} select[name=reason]").select_option("duplicate")
        page.locator(f"#claim-{first.pk} textarea[name=comment]").fill("Made twice.")
        page.locator(f"#claim-{first.pk}").get_by_role("button", name=re.compile("^Reject")).click()
        expect(page.locator(".messages")).to_contain_text("Rejected:")
        expect(page.locator(f"#claim-{first.pk}")).to_have_count(0)
        assert f"focus={three_claims[1].pk}" in page.url
        expect(page.get_by_test_id("queue-count")).to_have_text("2")
    finally:
        context.close()
    assert Claim.objects.get(pk=first.pk).status == "rejected"


def test_a_decision_someone_else_made_first_is_reported_and_reloaded(
    page, login, people, three_claims
):
    from annotations.services.reviews import review_decide

    first = three_claims[0]
    other = UserFactory(username="victor", roles=["reviewer"])
    login(people["reviewer"])
    page.goto("/review/")
    review_decide(
        user=other,
        claim_id=first.pk,
        version=first.version,
        decision="reject",
        reason="other",
        comment="No.",
    )
    item = page.locator(f"#claim-{first.pk}")
    item.locator("textarea[name=comment]").fill("Please name the source.")
    item.get_by_role("button", name=re.compile("^Request changes")).click()
    expect(page.locator("[data-review-live]")).to_contain_text("Someone decided first")
    expect(page.locator(f"#claim-{first.pk}")).to_have_count(0)
    expect(page.get_by_test_id("queue-count")).to_have_text("2")
    assert Claim.objects.get(pk=first.pk).status == "rejected"
    assert Review.objects.filter(claim=first).count() == 1
    assert page.dialogs == []
    assert page.js_errors == []
