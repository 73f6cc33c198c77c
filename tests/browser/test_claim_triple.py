"""Marking a claim's cue and source mention in real Chromium: select the words, press C
or the "Mark selection as source mention" button, save, and see them marked."""

import re

import pytest
from playwright.sync_api import expect

from annotations.models import Claim
from tests.browser.test_claim_form import drag_select, pick, restore_roles
from tests.factories import ActorFactory, ArticleFactory, UserFactory


@pytest.fixture
def rita(transactional_db):
    restore_roles()
    return UserFactory(username="rita", roles=["researcher"])


def test_mark_the_cue_with_a_key_and_the_source_with_the_button(
    transactional_db,
    rita,
    page,
    login,
):
    ActorFactory(name="Edi Rama", kind="person", aliases=["Rama"])
    article = ArticleFactory(title="Cyberattacks")
    login(rita)
    page.goto(f"/articles/{article.pk}/")

    drag_select(page, "the Iranian state was behind the July cyberattacks")
    page.keyboard.press("n")
    page.fill("#id_statement", "The Iranian state carried out the July cyberattacks.")
    pick(page, "#id_claimant_label", "Rama", "Edi Rama").click()

    drag_select(page, "said")
    page.keyboard.press("c")
    cue = page.locator('[data-marked-span="cue"] [data-marked-words]')
    expect(cue).to_have_text("said")
    drag_select(page, "Edi Rama")
    page.get_by_role("button", name=re.compile("Mark selection as source mention")).click()
    expect(page.locator('[data-marked-span="source_mention"] [data-marked-words]')).to_have_text(
        "Edi Rama"
    )
    assert page.evaluate("CSS.highlights.has('pending-span-cue')")
    page.get_by_role("button", name="Save draft").click()

    page.wait_for_url(re.compile(r"\?claim=\d+"))
    claim = Claim.objects.get()
    assert (claim.cue_exact, claim.source_mention_exact) == ("said", "Edi Rama")
    # The selected claim's words are marked in the text and named in its list item.
    assert page.evaluate("CSS.highlights.has('span-cue') && CSS.highlights.has('span-source')")
    expect(page.locator(f"#claim-{claim.pk} .claim-triple")).to_contain_text("Cue said")
    assert page.dialogs == [] and page.js_errors == []


def test_clear_the_cue_before_saving(transactional_db, rita, page, login):
    ActorFactory(name="Edi Rama", kind="person", aliases=["Rama"])
    article = ArticleFactory(title="Cyberattacks")
    login(rita)
    page.goto(f"/articles/{article.pk}/")
    drag_select(page, "the Iranian state was behind the July cyberattacks")
    page.keyboard.press("n")
    page.fill("#id_statement", "Iran did it.")
    pick(page, "#id_claimant_label", "Rama", "Edi Rama").click()
    drag_select(page, "said")
    page.keyboard.press("c")
    clear = page.get_by_role("button", name="Clear cue")
    clear.focus()
    page.keyboard.press("Enter")
    expect(page.locator('[data-marked-span="cue"] [data-marked-none]')).to_be_visible()
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r"\?claim=\d+"))
    assert Claim.objects.get().cue_start is None
    assert page.js_errors == []
