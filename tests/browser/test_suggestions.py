"""Suggested claims in real Chromium, on the demo desk's article about the attack: a
researcher turns suggestions on, accepts one with the keyboard, corrects the claimant
and saves (the claim exists and the acceptance is counted as after edits); dismisses
another and reloads: it stays dismissed, and the toggle stayed on."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from annotations.demo_data import ARTICLES, PASSWORD
from annotations.models import Actor, Claim
from annotations.roles import sync_role_groups
from articles.models import Article
from suggestions.models import SuggestionOutcome
from suggestions.selectors import project_counts

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db):
    """The demo desk's article written for the suggestions ("Rama blames Iran…"), whose
    suggestions `seed_demo` computed when it created the article."""
    sync_role_groups()
    call_command("seed_demo", stdout=io.StringIO())
    url = next(article["url"] for article in ARTICLES if article["key"] == "suggestions")
    return Article.objects.get(url=url)


def test_accept_a_suggestion_with_the_keyboard_and_dismiss_another(demo, page, login):
    rita = get_user_model().objects.get(username="rita")
    login(rita, password=PASSWORD)
    page.goto(f"/articles/{demo.pk}/")
    toggle = page.get_by_test_id("suggestions-toggle")
    expect(toggle).to_have_attribute("aria-pressed", "false")

    page.keyboard.press("s")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    status = page.get_by_test_id("suggestion-status")
    expect(status).to_contain_text(re.compile(r"\d+ suggested claims?"))
    shown = int(re.search(r"(\d+) suggested", status.inner_text()).group(1))
    assert shown >= 2

    # The first suggestion: Rama's accusation, accepted with A.
    page.keyboard.press("g")
    card = page.get_by_test_id("suggestion-card")
    expect(card).to_be_visible()
    expect(page.get_by_test_id("suggestion-meta")).to_contain_text("Edi Rama")
    page.keyboard.press("a")
    panel = page.locator("#claim-panel")
    expect(panel).to_be_visible()
    expect(page.locator("#id_claimant_label")).to_have_value("Edi Rama")
    expect(page.locator("#id_statement")).to_have_value(re.compile(r"^[A-Z].+\.$"))
    key = page.locator("#claim-form input[name=suggestion]").input_value()
    assert re.fullmatch(r"[0-9a-f]{32}", key)

    # The researcher corrects the claimant, then saves.
    claimant = page.locator("#id_claimant_label")
    claimant.fill("Albania's prime")
    option = claimant.locator("xpath=..").get_by_role("option", name=re.compile("Edi Rama"))
    expect(option.first).to_be_visible()
    claimant.fill("Tiran")
    option = claimant.locator("xpath=..").get_by_role("option", name=re.compile("Albania"))
    option.first.click()
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".message")).to_contain_text("Claim saved as a draft")

    claim = Claim.objects.get(article=demo)
    assert claim.claimant == Actor.objects.get(name="Albania")
    outcome = SuggestionOutcome.objects.get(key=key)
    assert outcome.claim == claim and outcome.accepted_as_suggested is False
    # Only the claimant was corrected: the cue and source mention came with the suggestion.
    assert outcome.edited_fields == ["claimant"]
    assert claim.cue_exact and claim.source_mention_exact
    assert project_counts(demo.project_id)["accepted_after_edits"] == 1

    # The toggle is remembered; the accepted suggestion is a claim now, not suggested.
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(status).to_contain_text(f"{shown - 1} suggested claim")
    page.keyboard.press("g")
    quote = page.locator("#suggestion-quote")
    expect(quote).not_to_be_empty()
    dismissed_quote = quote.inner_text()
    page.keyboard.press("d")
    expect(status).to_contain_text("Dismissed")
    assert SuggestionOutcome.objects.filter(dismissed_by=rita).count() == 1

    page.reload()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(status).to_contain_text(re.compile(r"\d+ suggested claims?|No suggested claims left"))
    remaining = page.evaluate(
        """async (url) => (await (await fetch(url)).json()).results.map(
            (s) => s.content.map((p) => p.exact).join(" … "))""",
        f"/api/v1/articles/{demo.pk}/suggestions/",
    )
    assert dismissed_quote not in remaining and len(remaining) == shown - 2
    assert page.js_errors == []


@pytest.mark.parametrize("width", (1280, 390))
def test_suggestions_pass_axe_and_fit_the_screen(demo, page, login, width):
    from tests.browser.test_accessibility import serious_violations

    page.set_viewport_size({"width": width, "height": 900})
    login(get_user_model().objects.get(username="rita"), password=PASSWORD)
    page.goto(f"/articles/{demo.pk}/")
    page.get_by_test_id("suggestions-toggle").click()
    page.get_by_test_id("suggestion-next").click()
    expect(page.get_by_test_id("suggestion-card")).to_be_visible()
    problems = [f"reader: {v}" for v in serious_violations(page)]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width

    # A manager starts the project's job from the project page and follows it.
    page.context.clear_cookies()
    login(get_user_model().objects.get(username="edith"), password=PASSWORD)
    page.goto(f"/projects/{demo.project.slug}/")
    problems += [f"project: {v}" for v in serious_violations(page)]
    page.get_by_test_id("compute-suggestions").click()
    bar = page.get_by_test_id("job-bar")
    expect(bar).to_have_attribute("aria-valuenow", "100")
    expect(page.get_by_test_id("job-status")).to_contain_text("Done")
    problems += [f"job: {v}" for v in serious_violations(page)]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    assert not problems, "\n".join(problems)
    assert page.js_errors == []
