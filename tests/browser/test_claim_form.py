"""Making a claim in real Chromium: select, fill the side panel, save, see the highlight."""

import re

import pytest
from playwright.sync_api import expect

from annotations.models import Actor, Claim, ClaimStatus
from annotations.roles import sync_role_groups
from tests.factories import ActorFactory, ArticleFactory, UserFactory, make_claim

EMOJI_TEXT = (
    "Tiranë 🇦🇱 said on Thursday: the July attack 😡 came from Tehran.\n\n"
    "Officials in Tehran denied it, calling the charge baseless."
)


def restore_roles():
    """Bring back the role groups when an earlier transactional test's flush removed them.

    Not serialized rollback: once Playwright runs its event loop in this thread, Django
    hands out another connection object, with or without the serialized copy depending
    on which test set the database up, so the groups are rebuilt from the roles module.
    """
    sync_role_groups()


@pytest.fixture
def rita(transactional_db):
    restore_roles()
    return UserFactory(username="rita", roles=["researcher"])


def drag_select(page, phrase, occurrence=0):
    """Select `phrase` in the article text with a real mouse drag."""
    box = page.evaluate(
        """([phrase, occurrence]) => {
          const nodes = [];
          let text = "";
          const walker = document.createTreeWalker(
            document.getElementById("reader-text"), NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (!node.parentElement.closest(".run")) continue;
            nodes.push([text.length, node]);
            text += node.data;
          }
          let at = -1;
          for (let i = 0; i <= occurrence; i++) at = text.indexOf(phrase, at + 1);
          if (at === -1) return null;
          const rectOf = (index) => {
            const [base, node] = nodes.filter(([b]) => b <= index).pop();
            const range = document.createRange();
            range.setStart(node, index - base);
            range.setEnd(node, index - base + 1);
            return range.getBoundingClientRect();
          };
          const a = rectOf(at);
          const b = rectOf(at + phrase.length - 1);
          return {x1: a.left + 1, y1: a.top + a.height / 2,
                  x2: b.right - 1, y2: b.top + b.height / 2};
        }""",
        [phrase, occurrence],
    )
    assert box, f"{phrase!r} is not in the text"
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=6)
    page.mouse.up()


def pick(page, input_selector, typed, option_text):
    field = page.locator(input_selector)
    field.fill(typed)
    option = field.locator("xpath=..").get_by_role("option", name=re.compile(option_text))
    expect(option.first).to_be_visible()
    return option.first


def test_select_with_the_mouse_fill_the_form_and_see_the_highlight(
    transactional_db, rita, page, login
):
    user = rita
    iran = ActorFactory(name="Iran", kind="state", aliases=["Tehran", "the Iranian state"])
    albania = ActorFactory(name="Albania", kind="state", aliases=["Tirana"])
    rama = ActorFactory(name="Edi Rama", kind="person", aliases=["Rama"])
    article = ArticleFactory(title="Cyberattacks")
    login(user)
    page.goto(f"/articles/{article.pk}/")

    drag_select(page, "the Iranian state was behind the July cyberattacks")
    button = page.locator("#new-claim-button")
    expect(button).to_be_visible()
    button.click()
    panel = page.locator("#claim-panel")
    expect(panel).to_be_visible()
    expect(page.get_by_test_id("panel-quote")).to_have_text(
        "the Iranian state was behind the July cyberattacks"
    )
    # The actors the passage names are offered first.
    expect(panel.locator(".chip", has_text="Iran")).to_be_visible()

    page.fill("#id_statement", "The Iranian state carried out the July cyberattacks.")
    # "Tehran" finds Iran through its alias; the list says which alias matched.
    option = pick(page, "#id_claimant_label", "Rama", "Edi Rama")
    page.keyboard.press("Enter")
    expect(page.locator("#id_claimant_label")).to_have_value("Edi Rama")
    assert option  # chosen with the keyboard
    page.click("text=+ Add actor")
    row = panel.locator(".actor-row").last
    row.locator(".picker-input").fill("Tehran")
    alias = row.get_by_role("option", name=re.compile("Iran"))
    expect(alias.first).to_contain_text("matches “Tehran”")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    row.locator("select[name=role]").select_option("accused")
    page.click("text=+ Add actor")
    row = panel.locator(".actor-row").last
    row.locator(".picker-input").fill("alban")
    row.get_by_role("option", name=re.compile("Albania")).first.click()
    row.locator("select[name=role]").select_option("target")
    panel.locator("label.seg", has_text="Alleged").click()
    panel.get_by_role("button", name="Save draft").click()

    page.wait_for_url(re.compile(r"\?claim=\d+"))
    claim = Claim.objects.get()
    assert claim.status == ClaimStatus.DRAFT
    assert claim.claimant == rama
    assert claim.certainty == "alleged"
    assert sorted((link.actor_id, link.role) for link in claim.actor_links.all()) == sorted(
        [(iran.pk, "accused"), (albania.pk, "target")]
    )
    text = article.revisions.get().text
    assert text[claim.start : claim.end] == "the Iranian state was behind the July cyberattacks"
    highlight = page.locator(f'mark[data-claim="{claim.pk}"]')
    expect(highlight.first).to_be_visible()
    expect(highlight.first).to_have_class(re.compile("is-active"))
    expect(page.locator(f"#claim-{claim.pk}")).to_contain_text("Edi Rama")
    assert page.dialogs == [] and page.js_errors == []


def test_passage_after_emoji_and_accents_is_stored_at_code_point_offsets(
    transactional_db, rita, page, login
):
    user = rita
    albania = ActorFactory(name="Albania", kind="state", aliases=["Tiranë"])
    article = ArticleFactory(title="Emoji", text=EMOJI_TEXT)
    login(user)
    page.goto(f"/articles/{article.pk}/")

    drag_select(page, "came from Tehran")
    page.keyboard.press("n")
    page.fill("#id_statement", "The attack came from Iran.")
    pick(page, "#id_claimant_label", "Tiran", "Albania").click()
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r"\?claim=\d+"))

    claim = Claim.objects.get()
    assert claim.claimant == albania
    assert claim.exact == "came from Tehran"
    assert claim.start == EMOJI_TEXT.index("came from Tehran")  # code points, not UTF-16
    assert (claim.start, claim.end) == (46, 62)
    assert page.dialogs == [] and page.js_errors == []


def test_keyboard_selection_with_shift_and_arrows(transactional_db, rita, page, login):
    user = rita
    article = ArticleFactory(title="Keys", text=EMOJI_TEXT)
    login(user)
    page.goto(f"/articles/{article.pk}/")

    page.focus("#reader-text")
    for _ in range(9):  # past "Tiranë 🇦🇱 ": the flag is one character on screen
        page.keyboard.press("ArrowRight")
    for _ in range(4):  # "said"
        page.keyboard.press("Shift+ArrowRight")
    expect(page.locator("#new-claim-button")).to_be_visible()
    page.keyboard.press("n")
    expect(page.get_by_test_id("panel-quote")).to_have_text("said")
    assert page.locator("#id_start").input_value() == str(EMOJI_TEXT.index("said"))
    page.keyboard.press("Escape")
    expect(page.locator("#claim-panel")).to_be_hidden()
    assert page.js_errors == []


def test_create_an_actor_inline(transactional_db, rita, page, login):
    user = rita
    article = ArticleFactory(title="Inline")
    login(user)
    page.goto(f"/articles/{article.pk}/")

    drag_select(page, "Tehran rejected the accusation as baseless")
    page.click("#new-claim-button")
    page.fill("#id_statement", "Iran did not carry out the attacks.")
    pick(page, "#id_claimant_label", "Nasser Kanaani", "Create actor").click()
    dialog = page.locator("#create-actor-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("input[name=name]")).to_have_value("Nasser Kanaani")
    dialog.locator("select[name=kind]").select_option("person")
    dialog.locator("input[name=aliases]").fill("Kanaani, the spokesman")
    dialog.get_by_role("button", name="Create actor").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#id_claimant_label")).to_have_value("Nasser Kanaani")

    actor = Actor.objects.get(name="Nasser Kanaani")
    assert sorted(alias.name for alias in actor.aliases.all()) == ["Kanaani", "the spokesman"]
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r"\?claim=\d+"))
    assert Claim.objects.get().claimant == actor
    assert page.dialogs == [] and page.js_errors == []


def test_missing_required_fields_show_errors_in_the_reopened_panel(
    transactional_db, rita, page, login
):
    user = rita
    article = ArticleFactory(title="Errors")
    login(user)
    page.goto(f"/articles/{article.pk}/")

    drag_select(page, "Washington announced sanctions")
    page.click("#new-claim-button")
    page.fill("#id_note", "Keep this note")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()

    panel = page.locator("#claim-panel")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("Write the claim in plain words.")
    expect(panel).to_contain_text("Say who makes the claim")
    expect(page.get_by_test_id("panel-quote")).to_have_text("Washington announced sanctions")
    expect(page.locator("#id_note")).to_have_value("Keep this note")
    expect(page.locator("#id_statement")).to_be_focused()
    assert not Claim.objects.exists()
    assert page.dialogs == [] and page.js_errors == []


def test_submit_a_draft_from_its_page(transactional_db, rita, page, login):
    user = rita
    claim = make_claim(author=user)
    login(user)
    page.goto(f"/claims/{claim.pk}/")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_test_id("claim-status")).to_have_text("Submitted")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    assert page.dialogs == [] and page.js_errors == []
