"""The reader in real Chromium: overlapping highlights, the claims list, a narrow screen."""

import re

import pytest
from playwright.sync_api import expect

from annotations.models import Claim
from annotations.services.claims import claim_submit
from tests.browser.test_claim_form import restore_roles
from tests.factories import ActorFactory, ArticleFactory, UserFactory, make_claim


@pytest.fixture
def rita(transactional_db):
    restore_roles()
    return UserFactory(username="rita", roles=["researcher"])


def test_overlapping_claims_are_both_shown_and_each_is_clickable(
    transactional_db, rita, page, login
):
    oscar = UserFactory(username="oscar", roles=["researcher"])
    rama = ActorFactory(name="Edi Rama")
    article = ArticleFactory(title="Overlaps")
    accusation = make_claim(
        author=oscar,
        article=article,
        exact="Edi Rama said on Wednesday that an investigation",
        statement="An investigation showed who attacked.",
        claimant=rama,
    )
    claim_submit(user=oscar, claim_id=accusation.pk, version=accusation.version)
    mine = make_claim(
        author=rita,
        article=article,
        exact="an investigation had shown the Iranian state",
        statement="The Iranian state was behind the attacks.",
        claimant=rama,
    )
    login(rita)
    page.goto(f"/articles/{article.pk}/")

    both = page.locator(f'mark[data-claim="{accusation.pk}"] mark[data-claim="{mine.pk}"]')
    expect(both).to_have_text("an investigation")
    expect(page.locator(f'mark[data-claim="{accusation.pk}"]').first).to_have_class(
        re.compile("st-submitted")
    )
    expect(page.locator(f'mark[data-claim="{mine.pk}"]').first).to_have_class(
        re.compile("st-draft")
    )

    # The overlap asks which claim is meant.
    both.click()
    popover = page.locator("#claim-popover")
    expect(popover).to_contain_text("2 claims cover this passage")
    popover.get_by_role("button", name=re.compile("The Iranian state was behind")).click()
    expect(popover.get_by_role("link", name="Open claim")).to_have_attribute(
        "href", f"/claims/{mine.pk}/"
    )
    expect(page.locator(f"#claim-{mine.pk}")).to_have_class(re.compile("is-active"))

    # A passage covered by one claim opens it directly.
    page.locator(f'mark[data-claim="{accusation.pk}"]').first.click(position={"x": 3, "y": 5})
    expect(popover).to_contain_text("An investigation showed who attacked.")
    expect(page.locator(f"#claim-{accusation.pk}")).to_have_class(re.compile("is-active"))

    # From the list to the passage, and back with the number after the passage.
    page.keyboard.press("Escape")
    page.locator(f"#claim-{mine.pk} .claim-num").click()
    expect(page.locator(f'mark[data-claim="{mine.pk}"]').first).to_have_class(
        re.compile("is-active")
    )
    page.locator(f"#ref-{accusation.pk}").click()
    expect(page.locator(f"#claim-{accusation.pk}")).to_be_focused()
    assert page.dialogs == [] and page.js_errors == []


def test_at_390_pixels_the_form_is_a_bottom_sheet(transactional_db, rita, page, login):
    rama = ActorFactory(name="Edi Rama", aliases=["Rama"])
    article = ArticleFactory(title="Albania cuts diplomatic ties with Iran over cyberattack")
    make_claim(author=rita, article=article, exact="Tehran rejected the accusation", claimant=rama)
    page.set_viewport_size({"width": 390, "height": 844})
    login(rita)
    page.goto(f"/articles/{article.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # A selection as a phone's selection handles leave it.
    page.evaluate(
        """(phrase) => {
          const run = [...document.querySelectorAll("#reader-text .run")]
            .find((r) => r.textContent.includes(phrase));
          const node = document.createTreeWalker(run, NodeFilter.SHOW_TEXT).nextNode();
          const at = node.data.indexOf(phrase);
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + phrase.length);
          document.getSelection().removeAllRanges();
          document.getSelection().addRange(range);
        }""",
        "announced sanctions",
    )
    page.locator("#new-claim-button").click()
    panel = page.locator("#claim-panel")
    expect(panel).to_be_visible()
    box = panel.bounding_box()
    assert box["x"] == 0 and box["width"] == 390
    assert abs(box["y"] + box["height"] - 844) < 2  # docked to the bottom
    assert box["height"] < 844 * 0.8

    page.fill("#id_statement", "Washington sanctioned Iran's intelligence ministry.")
    page.fill("#id_claimant_label", "Rama")
    page.get_by_role("option", name=re.compile("Edi Rama")).first.click()
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r"\?claim=\d+"))
    claim = Claim.objects.get(exact="announced sanctions")
    expect(page.locator(f'mark[data-claim="{claim.pk}"]').first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.dialogs == [] and page.js_errors == []


def test_a_long_list_arrives_after_the_text_and_every_claim_is_reachable(
    transactional_db, rita, page, login, monkeypatch
):
    # The page brings two claims of the list; the script fetches the other three.
    monkeypatch.setattr("annotations.views.articles.CLAIMS_LISTED_FIRST", 2)
    rama, iran = ActorFactory(name="Edi Rama"), ActorFactory(name="Iran")
    article = ArticleFactory(title="Many claims")
    passages = [
        "Edi Rama said on Wednesday",
        "an investigation had shown",
        "the July cyberattacks",
        "Tehran rejected the accusation",
        "Washington announced sanctions",
    ]
    claims = [
        make_claim(
            author=rita,
            article=article,
            exact=exact,
            statement=f"About {exact}.",
            claimant=rama,
            actors=[(iran, "accused")],
        )
        for exact in passages
    ]
    login(rita)
    page.goto(f"/articles/{article.pk}/")
    expect(page.locator("#claim-list .claim-item")).to_have_count(5)
    expect(page.get_by_test_id("claim-list-more")).to_have_count(0)
    expect(page.locator("#claim-list .claim-num").last).to_have_text("5")

    # The last passage leads to its item, fetched after the page.
    last = claims[-1]
    page.locator(f'mark[data-claim="{last.pk}"]').first.click()
    expect(page.locator(f"#claim-{last.pk}")).to_have_class(re.compile("is-active"))
    page.locator(f"#ref-{last.pk}").click()
    expect(page.locator(f"#claim-{last.pk}")).to_be_focused()

    # A run after a passage's first ("Edi Rama" is a run of its own, a known actor)
    # borrows the passage's tooltip on hover.
    rest = page.locator(f'mark[data-claim="{claims[0].pk}"]:not([id])')
    expect(rest).to_have_count(1)
    expect(rest).not_to_have_attribute("title", re.compile("."))
    rest.hover()
    expect(rest).to_have_attribute("title", "Edi Rama claims; Iran accused")
    expect(page.locator(f"#passage-{claims[0].pk}")).to_have_attribute(
        "title", "Edi Rama claims; Iran accused"
    )
    assert page.js_errors == []
