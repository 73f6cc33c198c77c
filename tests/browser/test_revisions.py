"""Re-attaching an orphaned claim in real Chromium: select the new passage, save.

The roles are groups a data migration creates, and a test against the live server
flushes the database afterwards. A serialized rollback should bring them back, but does
not once Playwright's event loop runs in this thread (Django then hands out another
connection, without the serialized data), so `roles` puts them back itself.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from annotations.models import AnchorState, Claim, EventKind
from annotations.roles import sync_role_groups
from annotations.services.revisions import article_revise
from tests.factories import ArticleFactory, UserFactory, make_claim

# Emoji before the passage: the browser counts UTF-16 units, the server code points.
TEXT = (
    "Tirana 🇦🇱 — live 😀 coverage.\n\n"
    "The prime minister said Iranian state hackers attacked public services in July.\n\n"
    "Tehran denied any part in it."
)
REVISED = (
    "Tirana 🇦🇱 — live 😀 coverage, updated.\n\n"
    "Officials 👩‍💻 now say hackers working for Iran's intelligence ministry disrupted "
    "public services.\n\n"
    "Tehran denied any part in it."
)
NEW_PASSAGE = "hackers working for Iran's intelligence ministry disrupted public services"

SELECT_PASSAGE = """(passage) => {
  const container = document.getElementById("reattach-text");
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(passage);
    if (at === -1) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + passage.length);
    const selection = document.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    container.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
    return true;
  }
  return false;
}"""


@pytest.fixture
def roles(transactional_db):
    """The role groups with their permissions, as the data migration makes them."""
    sync_role_groups()


@pytest.fixture
def researcher(roles):
    return UserFactory(username="rita", roles=["researcher"])


@pytest.fixture
def orphaned_claim(transactional_db, researcher):

    article = ArticleFactory(text=TEXT)
    claim = make_claim(
        author=researcher,
        article=article,
        exact="Iranian state hackers attacked public services in July",
        statement="Iranian state hackers attacked Albania's public services.",
    )
    article_revise(user=researcher, article_id=article.pk, text=REVISED)
    claim = Claim.objects.get(pk=claim.pk)
    assert claim.anchor_state == AnchorState.ORPHANED
    return claim


def test_researcher_reattaches_an_orphaned_claim_by_selecting_text(
    transactional_db, page, login, researcher, orphaned_claim
):
    login(researcher)
    page.goto(reverse("orphaned_claims"))
    item = page.locator(f'.orphan-item[data-claim="{orphaned_claim.pk}"]')
    assert "Iranian state hackers attacked" in item.inner_text()
    item.get_by_test_id("reattach-link").click()
    page.wait_for_selector("#reattach-text[data-ready]")

    assert page.evaluate(SELECT_PASSAGE, NEW_PASSAGE)
    expected_start = REVISED.index(NEW_PASSAGE)
    page.wait_for_function(
        "(start) => document.querySelector('#id_start').value === String(start)",
        arg=expected_start,
    )
    assert page.input_value("#id_end") == str(expected_start + len(NEW_PASSAGE))
    assert page.input_value("#id_exact") == NEW_PASSAGE
    # Where it stands is said in paragraphs and words; the offsets stay folded away.
    paragraph = REVISED.count("\n\n", 0, expected_start) + 1
    words = len(NEW_PASSAGE.split())
    expect(page.get_by_test_id("reattach-place")).to_have_text(
        f"Chosen: Paragraph {paragraph} of {REVISED.count(chr(10) * 2) + 1}, {words} words."
    )
    assert not page.is_visible("#id_start")
    page.get_by_test_id("reattach-submit").click()
    page.wait_for_url(f"**{reverse('claim_detail', args=[orphaned_claim.pk])}")

    claim = Claim.objects.get(pk=orphaned_claim.pk)
    assert claim.anchor_state == AnchorState.ANCHORED
    assert (claim.start, claim.exact) == (expected_start, NEW_PASSAGE)
    assert claim.revision.number == 2
    assert claim.events.latest("id").kind == EventKind.REATTACHED
    assert page.js_errors == []


def test_typed_offsets_show_the_quote_they_select(
    transactional_db, page, login, researcher, orphaned_claim
):
    login(researcher)
    page.goto(reverse("claim_reattach", args=[orphaned_claim.pk]))
    page.wait_for_selector("#reattach-text[data-ready]")
    start = REVISED.index("Tehran denied")
    page.click("text=Type the position instead")
    page.fill("#id_start", str(start))
    page.fill("#id_end", str(start + len("Tehran denied")))
    assert page.input_value("#id_exact") == "Tehran denied"
    expect(page.get_by_test_id("reattach-place")).to_contain_text(", 2 words.")
    assert page.js_errors == []
