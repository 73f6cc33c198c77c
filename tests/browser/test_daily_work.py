"""The day's work in real Chromium: searching from the navigation (a word of an article
body, an alias, a quote; ranked and highlighted), the claims page's filters, My work (a
claim sent back leads to its edit) and the unread count of notifications, the export
page's download; no page of these wider than a phone's screen."""

import pytest
from playwright.sync_api import expect

from annotations.roles import sync_role_groups
from annotations.services.claims import claim_submit
from annotations.services.reviews import review_decide
from tests.factories import ActorFactory, ArticleFactory, UserFactory, make_claim

BODY = (
    "Nasser Kanaani, speaking for the foreign ministry, rejected the accusation.\n\n"
    "Edi Rama said an investigation had shown the Iranian state was behind the cyberattacks."
)
COMMENT = "Name the ministry that said it."


@pytest.fixture
def desk(transactional_db):
    sync_role_groups()
    writer = UserFactory(username="rita", roles=["researcher"])
    checker = UserFactory(username="vera", roles=["reviewer"])
    iran = ActorFactory(name="Iran", kind="state", aliases=["Tehran"])
    rama = ActorFactory(name="Edi Rama")
    article = ArticleFactory(title="Albania cuts ties", text=BODY)
    accusation = make_claim(
        author=writer,
        article=article,
        exact="the Iranian state was behind the cyberattacks",
        statement="Iran carried out the cyberattacks.",
        claimant=rama,
        actors=[(iran, "accused")],
    )
    accusation = claim_submit(user=writer, claim_id=accusation.pk, version=accusation.version)
    denial = make_claim(
        author=writer,
        article=article,
        exact="rejected the accusation",
        statement="The foreign ministry denies it.",
        claimant=iran,
    )
    return {"writer": writer, "checker": checker, "accusation": accusation, "denial": denial}


def no_sideways_scroll(page):
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"


def test_search_from_the_navigation(page, login, desk):
    login(desk["writer"])
    page.fill("[data-testid=nav-search]", "Kanaani")
    page.keyboard.press("Enter")
    expect(page.locator("[data-testid=search-article]")).to_have_count(1)
    expect(page.locator("[data-testid=search-article] mark").first).to_have_text("Kanaani")
    page.fill("[data-testid=search-page-q]", "Tehran")
    page.keyboard.press("Enter")
    claims = page.locator("[data-testid=search-claim]")
    expect(claims).to_have_count(2)
    expect(page.locator("[data-testid=search-actor]")).to_contain_text("Iran")
    page.fill("[data-testid=search-page-q]", '"rejected the accusation"')
    page.keyboard.press("Enter")
    expect(claims.first).to_contain_text("The foreign ministry denies it.")
    page.set_viewport_size({"width": 390, "height": 800})
    no_sideways_scroll(page)


def test_the_claims_page_filters(page, login, desk):
    login(desk["writer"])
    page.click("nav.mainnav >> text=Claims")
    expect(page.locator("[data-testid=claim-row]")).to_have_count(2)
    page.check("input[name=status][value=submitted]")
    page.click("text=Show claims")
    expect(page.locator("[data-testid=claim-row]")).to_have_count(1)
    expect(page.locator("[data-testid=claim-count]")).to_have_text("1 claim.")
    page.set_viewport_size({"width": 390, "height": 800})
    no_sideways_scroll(page)


def test_the_claims_page_chooses_an_actor_by_name(page, login, desk):
    """Nobody types an id: the claimant box offers the registry's matches for a name or
    an alias, chosen by keyboard, and the page lists that actor's claims."""
    login(desk["writer"])
    page.goto("/claims/")
    expect(page.locator("[data-testid=claim-row]")).to_have_count(2)
    box = page.locator("[data-testid=pick-claimant]")
    expect(box).to_have_attribute("role", "combobox")
    box.fill("Tehr")
    option = page.locator(".picker-option", has_text="Iran")
    expect(option).to_be_visible()
    expect(option).to_contain_text("Tehran")
    box.press("Enter")
    expect(box).to_have_value("Iran")
    page.click("text=Show claims")
    expect(page.locator("[data-testid=claim-row]")).to_have_count(1)
    expect(page.locator("[data-testid=claim-row]")).to_contain_text(
        "The foreign ministry denies it."
    )
    assert "claimant=" in page.url and "claimant=&" not in page.url
    expect(page.locator("[data-testid=pick-claimant]")).to_have_value("Iran")


def test_a_claim_sent_back_leads_to_its_edit_and_the_unread_count_changes(page, login, desk):
    claim = desk["accusation"]
    review_decide(
        user=desk["checker"],
        claim_id=claim.pk,
        version=claim.version,
        decision="request_changes",
        comment=COMMENT,
    )
    login(desk["writer"])
    expect(page.locator("[data-testid=unread-count]")).to_have_text("1")
    page.click("[data-testid=nav-my-work]")
    expect(page.locator("[data-testid=review-comment]")).to_contain_text(COMMENT)
    page.click("[data-testid=mark-read]")
    expect(page.locator("[data-testid=unread-count]")).to_have_count(0)
    page.set_viewport_size({"width": 390, "height": 800})
    no_sideways_scroll(page)
    page.click("[data-testid=edit-sent-back]")
    assert page.url.endswith(f"/claims/{claim.pk}/edit/")


def approve_the_accusation(desk) -> None:
    claim = desk["accusation"]
    review_decide(
        user=desk["checker"], claim_id=claim.pk, version=claim.version, decision="approve"
    )


def test_the_export_page_downloads(page, login, desk):
    approve_the_accusation(desk)
    login(desk["writer"])
    page.click("nav.mainnav >> text=Export")
    page.check("input[name=format][value=csv]")
    page.click("text=Count the claims")
    expect(page.locator("[data-testid=export-count]")).to_have_text("1")
    with page.expect_download() as download:
        page.click("[data-testid=export-download]")
    with open(download.value.path(), encoding="utf-8") as file:
        text = file.read()
    assert "Iran carried out the cyberattacks." in text


def test_the_export_page_chooses_a_claimant_by_name(page, login, desk):
    """The export page's filters are the claims page's: the claimant is picked by name
    with the keyboard, and the download holds that claimant's claims only."""
    approve_the_accusation(desk)
    login(desk["writer"])
    page.goto("/export/")
    page.check("input[name=format][value=jsonl]")
    page.click("text=Filters")
    box = page.locator("[data-testid=pick-claimant]")
    box.fill("Tehr")
    expect(page.locator(".picker-option", has_text="Iran")).to_be_visible()
    box.press("Enter")
    expect(box).to_have_value("Iran")
    page.click("text=Count the claims")
    expect(page.locator("[data-testid=export-count]")).to_have_text("0")
    box = page.locator("[data-testid=pick-claimant]")
    box.fill("Edi")
    expect(page.locator(".picker-option", has_text="Edi Rama")).to_be_visible()
    box.press("Enter")
    page.click("text=Count the claims")
    expect(page.locator("[data-testid=export-count]")).to_have_text("1")
    with page.expect_download() as download:
        page.click("[data-testid=export-download]")
    with open(download.value.path(), encoding="utf-8") as file:
        lines = file.read().splitlines()
    assert len(lines) == 1 and "Iran carried out the cyberattacks." in lines[0]


def test_find_in_the_article_with_the_keyboard(page, login, desk):
    login(desk["writer"])
    page.goto(f"/articles/{desk['accusation'].article_id}/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator("[data-testid=skip-to-text]")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#reader-text")).to_be_focused()
    page.fill("[data-testid=find-q]", "the")
    status = page.locator("[data-testid=find-status]")
    expect(status).to_have_text("1 of 4")
    page.keyboard.press("Enter")
    expect(status).to_have_text("2 of 4")
    page.keyboard.press("Shift+Enter")
    page.keyboard.press("Shift+Enter")
    expect(status).to_have_text("4 of 4")
    found = page.evaluate("() => CSS.highlights.get('find-hit').size")
    assert found == 4
    page.fill("[data-testid=find-q]", "zebra")
    expect(status).to_have_text("No match")
    expect(page.locator("[data-testid=reader-correct]")).to_be_visible()
    page.click("[data-testid=reader-revisions]")
    assert page.url.endswith("/revisions/")
    assert not page.js_errors


def test_claim_form_groups_suggestions_and_warns_before_losing_text(page, login, desk):
    from tests.browser.test_claim_form import drag_select

    article = ArticleFactory(title="Cyberattacks")
    login(desk["writer"])
    page.goto(f"/articles/{article.pk}/")
    drag_select(page, "the Iranian state was behind the July cyberattacks")
    page.locator("#new-claim-button").click()
    panel = page.locator("#claim-panel")
    # The passage names no actor of this registry ("the Iranian state" is no alias
    # here); its sentence names Edi Rama, and it says so rather than "In this passage".
    labels = panel.locator(".suggestions-label")
    expect(labels.first).to_have_text("In its sentence:")
    expect(panel.locator(".suggestions-label[data-found-in=passage]")).to_have_count(0)
    expect(panel.locator(".chip", has_text="Edi Rama")).to_be_visible()
    page.fill("#id_statement", "Half a thought")
    asked = []
    page.on("dialog", lambda dialog: asked.append(dialog.type))
    page.click("nav.mainnav >> text=Claims")
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    assert f"/articles/{article.pk}/" in page.url


def test_question_mark_lists_the_shortcuts_and_touch_screens_read_of_taps(
    browser, live_server, desk
):
    from tests.browser_support import PASSWORD

    for touch in (False, True):
        context = browser.new_context(
            viewport={"width": 390 if touch else 1280, "height": 800},
            base_url=live_server.url,
            has_touch=touch,
            is_mobile=touch,
        )
        page = context.new_page()
        page.goto("/login/")
        page.fill("#id_username", "rita")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.goto(f"/articles/{desk['accusation'].article_id}/")
        hint_keys = page.locator("#reader-hint .hint-keys")
        hint_touch = page.locator("#reader-hint .hint-touch")
        if touch:
            expect(hint_touch).to_be_visible()
            expect(hint_keys).to_be_hidden()
        else:
            expect(hint_keys).to_be_visible()
            expect(hint_touch).to_be_hidden()
            page.keyboard.press("?")
            dialog = page.locator("#shortcuts-dialog")
            expect(dialog).to_be_visible()
            expect(dialog).to_contain_text("Request changes")
            page.keyboard.press("Escape")
            expect(dialog).to_be_hidden()
        context.close()
