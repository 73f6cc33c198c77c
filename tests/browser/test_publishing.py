"""Publishing in real Chromium: the demo's editor publishes the verified accusation and
its denial; an anonymous browser reads both public pages, whose markup names the right
people and verdicts, and every `url` of the ClaimReview export opens without a login."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from annotations.demo_data import PASSWORD
from annotations.models import Claim
from annotations.services.reviews import review_decide


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", stdout=io.StringIO())
    User = get_user_model()
    # The demo leaves Tehran's denial in the queue: a reviewer approves it with a rating.
    denial = Claim.objects.get(exact="Tehran rejected the accusation")
    review_decide(
        user=User.objects.get(username="victor"),
        claim_id=denial.pk,
        version=denial.version,
        decision="approve",
        rating_value=2,
    )
    accusation = Claim.objects.get(exact="the Iranian state was behind the July attack")
    return {
        "editor": User.objects.get(username="edith"),
        "accusation": accusation,
        "denial": denial,
    }


def _publish(page, claim, explanation):
    page.goto(f"/claims/{claim.pk}/")
    panel = page.get_by_test_id("publishing-panel")
    panel.get_by_label("Public explanation of the rating").fill(explanation)
    panel.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Fact check published.")).to_be_visible()
    return page.get_by_test_id("public-link").get_attribute("href")


def _markup(page) -> dict:
    return json.loads(page.locator('script[type="application/ld+json"]').text_content())


def test_an_editor_publishes_and_an_anonymous_browser_reads(
    page, login, demo, browser, live_server, settings
):
    login(demo["editor"], password=PASSWORD)
    accusation_url = _publish(
        page, demo["accusation"], "Albania's findings, backed by the FBI and Microsoft."
    )
    denial_url = _publish(page, demo["denial"], "The investigation contradicts the denial.")

    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    anonymous = context.new_page()
    try:
        anonymous.goto(accusation_url)
        expect(anonymous.get_by_test_id("claimant")).to_have_text("Edi Rama")
        expect(anonymous.get_by_test_id("verdict")).to_have_text("Mixed")
        review = _markup(anonymous)
        assert review["url"] == live_server.url + accusation_url
        assert review["itemReviewed"]["author"]["name"] == "Edi Rama"
        assert review["reviewRating"]["alternateName"] == "Mixed"
        assert review["author"]["@type"] == "Organization"
        # Usable at a phone's width: nothing wider than the screen.
        assert anonymous.evaluate("document.documentElement.scrollWidth") <= 390

        anonymous.goto(denial_url)
        expect(anonymous.get_by_test_id("claimant")).to_have_text("Iran")
        expect(anonymous.get_by_test_id("verdict")).to_have_text("Mostly false")
        review = _markup(anonymous)
        assert review["url"] == live_server.url + denial_url
        assert review["itemReviewed"]["author"]["name"] == "Iran"
        assert review["reviewRating"]["alternateName"] == "Mostly false"

        # The desk's index links both, and the export's addresses open for anyone.
        anonymous.goto("/fact-checks/desks/main/")
        index = anonymous.get_by_test_id("public-index")
        expect(index.get_by_role("link")).to_have_count(2)
        settings.SITE_URL = live_server.url
        out = io.StringIO()
        call_command(
            "export_claims",
            "--format",
            "claimreview",
            "--project",
            "main",
            "--no-progress",
            stdout=out,
            stderr=io.StringIO(),
        )
        urls = {e["item"]["url"] for e in json.loads(out.getvalue())["dataFeedElement"]}
        assert {live_server.url + accusation_url, live_server.url + denial_url} <= urls
        for url in (live_server.url + accusation_url, live_server.url + denial_url):
            response = anonymous.goto(url)
            assert response.status == 200
            assert "/login/" not in anonymous.url
    finally:
        context.close()
