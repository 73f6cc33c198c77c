"""Desks in real Chromium: a manager adds a member on the project page, the member sees
the desk and its articles while a user in no desk sees neither, a user in two desks
switches between them with the navigation's switcher (by keyboard too, and at phone
width), and the desk's guidelines sit beside the claim form in the reader."""

import re

import pytest
from playwright.sync_api import expect

from projects.models import Membership, Project
from tests.browser_support import PASSWORD
from tests.factories import ArticleFactory, UserFactory, main_desk
from tests.projects.conftest import member

GUIDELINES = (
    "Quote the **exact words**; a paraphrase is not a claim.\n\n"
    "- Name the claimant as the text does\n"
    "- Cite the outlet as a source\n"
)
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def desks(transactional_db):
    main = main_desk()
    main.guidelines = GUIDELINES
    main.save()
    balkans = Project.objects.create(name="Balkans partner desk", slug="balkans")
    return {"main": main, "balkans": balkans}


@pytest.fixture
def articles(desks):
    return {
        "main": ArticleFactory(title="Albania cuts ties with Iran", project=desks["main"]),
        "balkans": ArticleFactory(
            title="Serbia and Kosovo agree on plates", project=desks["balkans"]
        ),
    }


@pytest.fixture
def manager(desks):
    user = UserFactory(username="mona")
    member(desks["main"], user, "manager")
    member(desks["balkans"], user, "manager")
    return user


@pytest.fixture
def sessions(browser, live_server):
    """Each call is another person at another browser, logged in through the form."""
    opened = []

    def open_as(user, viewport=None):
        context = browser.new_context(
            viewport=viewport or {"width": 1280, "height": 900}, base_url=live_server.url
        )
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.js_errors = []
        page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
        in_flight = page.in_flight = set()
        context.on("request", lambda request: in_flight.add(request))
        context.on("requestfinished", lambda request: in_flight.discard(request))
        context.on("requestfailed", lambda request: in_flight.discard(request))
        opened.append((context, page))
        page.goto("/login/")
        page.fill("#id_username", user.get_username())
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        assert "/login/" not in page.url, "login failed"
        return page

    yield open_as
    for context, page in opened:
        # Let a request still being served finish before the test database is flushed.
        for _ in range(100):
            if not page.in_flight:
                break
            page.wait_for_timeout(50)
        context.close()


def switcher(page):
    return page.get_by_test_id("project-switcher")


def article_titles(page):
    return page.get_by_test_id("article-row").locator(".article-title")


def no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.clientWidth")
    return page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_manager_adds_a_member_who_then_sees_the_desk_and_an_outsider_sees_nothing(
    sessions, desks, articles, manager
):
    reta = UserFactory(username="reta")
    outsider = UserFactory(username="nobody")

    # The manager adds reta to Main desk as a researcher on the project page.
    page = sessions(manager)
    page.goto("/projects/main/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Main desk")
    expect(page.get_by_test_id("member-reta")).to_have_count(0)
    form = page.get_by_test_id("add-member")
    form.get_by_label("Username").click()
    page.keyboard.type("reta")
    page.keyboard.press("Tab")  # to the first role
    expect(form.get_by_label("Researcher")).to_be_focused()
    page.keyboard.press("Space")
    expect(form.get_by_label("Researcher")).to_be_checked()
    form.get_by_role("button", name="Add member").click()
    page.wait_for_url(re.compile(r"/projects/main/$"))
    expect(page.locator(".messages")).to_contain_text("Saved the roles of reta.")
    row = page.get_by_test_id("member-reta")
    expect(row).to_contain_text("reta")
    expect(row.get_by_label("researcher")).to_be_checked()
    expect(row.get_by_label("manager")).not_to_be_checked()
    membership = Membership.objects.get(user=reta)
    assert (membership.project_id, membership.roles) == (desks["main"].pk, ["researcher"])

    # A name that is nobody's is refused beside the field.
    form = page.get_by_test_id("add-member")
    form.get_by_label("Username").fill("no-such-user")
    form.get_by_label("Reviewer").check()
    form.get_by_role("button", name="Add member").click()
    expect(page.get_by_test_id("add-member").locator("[role=alert]")).to_be_visible()
    assert not Membership.objects.filter(user__username="no-such-user").exists()

    # reta, at her own browser, finds Main desk in the switcher and its articles only.
    reta_page = sessions(reta)
    reta_page.goto("/")
    expect(switcher(reta_page).get_by_role("combobox")).to_have_value("main")
    expect(switcher(reta_page).get_by_role("option")).to_have_text(["Main desk"])
    expect(reta_page.get_by_role("heading", level=1)).to_contain_text("in Main desk")
    expect(article_titles(reta_page)).to_have_text(["Albania cuts ties with Iran"])
    expect(reta_page.get_by_test_id("no-project")).to_have_count(0)

    # Someone in no desk sees neither the desk nor an article, and is told why; the
    # other desk's slug in the url changes nothing.
    outsider_page = sessions(outsider)
    for url in ("/", "/?project=main"):
        outsider_page.goto(url)
        expect(outsider_page.get_by_test_id("no-project")).to_be_visible()
        expect(switcher(outsider_page).get_by_role("combobox")).to_have_count(0)
        expect(switcher(outsider_page)).to_contain_text("No project")
        expect(outsider_page.get_by_test_id("article-row")).to_have_count(0)
        expect(outsider_page.locator("body")).not_to_contain_text("Main desk")
        expect(outsider_page.locator("body")).not_to_contain_text("Albania cuts ties")
    outsider_page.goto("/projects/main/")
    expect(outsider_page.locator("body")).not_to_contain_text("Main desk")
    expect(outsider_page.get_by_test_id("member-list")).to_have_count(0)

    assert page.js_errors == reta_page.js_errors == outsider_page.js_errors == []


def test_a_user_in_two_desks_switches_with_the_mouse_and_the_choice_is_remembered(
    sessions, desks, articles
):
    user = UserFactory(username="rita-p")
    member(desks["main"], user, "researcher")
    member(desks["balkans"], user, "reviewer", "editor")
    page = sessions(user)
    page.goto("/")
    select = switcher(page).get_by_role("combobox", name="Current project")
    # Without a choice yet, the first desk by name.
    expect(select).to_have_value("balkans")
    expect(switcher(page).get_by_role("option")).to_have_text(["Balkans partner desk", "Main desk"])
    expect(article_titles(page)).to_have_text(["Serbia and Kosovo agree on plates"])

    select.select_option(label="Main desk")
    switcher(page).get_by_role("button", name="Switch").click()
    page.wait_for_url(re.compile(r"\?project=main$"))
    expect(article_titles(page)).to_have_text(["Albania cuts ties with Iran"])
    expect(page.get_by_role("heading", level=1)).to_contain_text("in Main desk")

    # Remembered: a page that names no desk, and then a reload, stay in Main desk.
    page.goto("/actors/")
    expect(switcher(page).get_by_role("combobox")).to_have_value("main")
    page.goto("/")
    expect(switcher(page).get_by_role("combobox")).to_have_value("main")
    expect(article_titles(page)).to_have_text(["Albania cuts ties with Iran"])
    page.reload()
    expect(article_titles(page)).to_have_text(["Albania cuts ties with Iran"])
    # The navigation's Articles link names the desk.
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Articles")
    ).to_have_attribute("href", "/?project=main")
    assert page.js_errors == []


def test_at_phone_width_the_switcher_is_reached_and_used_with_the_keyboard(
    sessions, desks, articles, manager
):
    page = sessions(manager, viewport=PHONE)
    page.goto("/")
    assert no_horizontal_scroll(page)
    expect(article_titles(page)).to_have_text(["Serbia and Kosovo agree on plates"])

    # Tab from the top of the page until the switcher has the focus.
    select = switcher(page).get_by_role("combobox", name="Current project")
    for _ in range(20):
        page.keyboard.press("Tab")
        if select.evaluate("node => node === document.activeElement"):
            break
    expect(select).to_be_focused()
    expect(select).to_be_in_viewport()
    page.keyboard.press("ArrowDown")  # a closed select takes the next option
    expect(select).to_have_value("main")
    page.keyboard.press("Tab")
    switch = switcher(page).get_by_role("button", name="Switch")
    expect(switch).to_be_focused()
    expect(switch).to_be_in_viewport()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"\?project=main$"))
    expect(article_titles(page)).to_have_text(["Albania cuts ties with Iran"])
    expect(switcher(page).get_by_role("combobox")).to_have_value("main")
    assert no_horizontal_scroll(page)

    # The project page and its add-member form fit the phone too.
    page.goto("/projects/main/")
    expect(page.get_by_test_id("add-member")).to_be_visible()
    assert no_horizontal_scroll(page)
    for control in ("Username", "Researcher", "Manager"):
        box = page.get_by_test_id("add-member").get_by_label(control).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    # Where a member's roles wrap, each checkbox stays on the line of its role's name.
    labels = page.get_by_test_id("member-mona").locator("label")
    expect(labels).to_have_count(4)
    line = page.evaluate("parseFloat(getComputedStyle(document.body).lineHeight)")
    for label in labels.all():
        assert label.bounding_box()["height"] < 1.5 * line, label.inner_text()
    page.goto("/")
    expect(article_titles(page)).to_have_text(["Albania cuts ties with Iran"])
    assert page.js_errors == []


def test_the_desks_guidelines_sit_beside_the_claim_form(sessions, desks, articles):
    user = UserFactory(username="reta")
    member(desks["main"], user, "researcher")
    member(desks["balkans"], user, "researcher")
    page = sessions(user)

    page.goto(f"/articles/{articles['main'].pk}/")
    page.focus("#reader-text")
    for _ in range(4):  # "Alba"
        page.keyboard.press("Shift+ArrowRight")
    expect(page.locator("#new-claim-button")).to_be_visible()
    page.keyboard.press("n")
    panel = page.locator("#claim-panel")
    expect(panel).to_be_visible()
    guidelines = panel.get_by_test_id("project-guidelines")
    expect(guidelines).to_be_visible()
    summary = guidelines.locator("summary")
    expect(summary).to_have_text("Guidelines of Main desk")
    expect(guidelines.locator("strong")).to_be_hidden()  # folded until opened
    summary.click()
    expect(guidelines).to_have_attribute("open", "")
    expect(guidelines.locator("strong")).to_have_text("exact words")
    expect(guidelines.locator("li")).to_have_text(
        ["Name the claimant as the text does", "Cite the outlet as a source"]
    )
    # Folded again from the keyboard.
    summary.focus()
    page.keyboard.press("Enter")
    expect(guidelines.locator("strong")).to_be_hidden()
    expect(panel.locator("#claim-form")).to_be_visible()

    # A desk without guidelines shows none.
    page.goto(f"/articles/{articles['balkans'].pk}/")
    page.focus("#reader-text")
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("n")
    expect(page.locator("#claim-panel")).to_be_visible()
    expect(page.get_by_test_id("project-guidelines")).to_have_count(0)
    assert page.js_errors == []
