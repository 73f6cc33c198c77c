"""Stored cross-site scripting, tried in real Chromium.

Every text a user can write (article title, byline and text, statement, note, actor
names, aliases and descriptions, source names, publishers, notes and locators, review
comments and rating labels, revision notes, the name of an uploaded file) holds a
payload from the corpus below, and every page that shows it is opened. On each page:
no dialog opened, no payload ran (`window.__xss` stays undefined), no element a payload
would create exists (each carries `data-xss`), the Content-Security-Policy had nothing
to block, and the payloads read as typed.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotations.models import Actor, Claim, ClaimStatus
from annotations.services.actors import actor_create
from annotations.services.claims import (
    ActorLink,
    SourceLink,
    claim_create,
    claim_submit,
    claim_update,
)
from annotations.services.reviews import review_decide
from annotations.services.revisions import article_revise
from articles.models import Article, Source
from articles.services import article_create
from articles.sources import source_create
from tests.factories import UserFactory
from tests.security.world import ensure_roles

pytestmark = pytest.mark.browser
live = pytest.mark.django_db(transaction=True)

# Each payload, if it ever became markup, would set window.__xss and leave an element
# carrying `data-xss` behind.
CORPUS = [
    "<script data-xss>window.__xss=1</script>",
    '<img src=x data-xss onerror="window.__xss=2">',
    '<svg data-xss onload="window.__xss=3"><circle r=1></svg>',
    '"><a data-xss href="javascript:window.__xss=4">click</a>',
    "'><b data-xss onmouseover=window.__xss=5>hover</b>",
    "{{ request.user.password }} {% csrf_token %} ${window.__xss=6}",
    "</textarea></title></script><i data-xss>broken",
    "javascript:window.__xss=8",
    "&lt;b data-xss&gt;already escaped&lt;/b&gt;",
    '<iframe data-xss srcdoc="<script>parent.__xss=10</script>"></iframe>',
    "<!-- <u data-xss>unclosed comment",
    "</script><script data-xss>window.__xss=12</script>",
]


def payload(label: str, n: int) -> str:
    return f"{label} {CORPUS[n % len(CORPUS)]}"


INIT_SCRIPT = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sample || ""));
});
"""


class Desk:
    """The objects whose texts hold payloads, built through the services."""

    def __init__(self):
        ensure_roles()
        self.author = UserFactory(username="xss-author", roles=["researcher"])
        self.reviewer = UserFactory(username="xss-reviewer", roles=["reviewer"])
        self.editor = UserFactory(username="xss-editor", roles=["editor"])
        self.texts: dict[str, str] = {}
        author = self.author

        self.source = source_create(
            user=author,
            name=self.text("SRCNAME", 1),
            kind="outlet",
            url="https://example.org/report",
            publisher=self.text("SRCPUB", 2),
            notes=self.text("SRCNOTES", 3),
        )
        self.claimant = actor_create(
            user=author,
            name=self.text("ACTNAME", 0),
            kind="person",
            aliases=[self.text("ALIAS", 4)],
            description=self.text("ACTDESC", 5),
        )
        self.accused = actor_create(user=author, name=self.text("ACCUSED", 6), kind="state")
        # Same name once folded: the duplicates page lists the pair.
        Actor.objects.create(name=self.text("ACTNAME", 0).upper(), kind="person")

        paragraphs = [self.text(f"PARA{n}", n) for n in range(len(CORPUS))]
        self.article = article_create(
            user=author,
            title=self.text("TITLE", 7),
            byline=self.text("BYLINE", 8),
            text="\n\n".join(paragraphs),
            outlet=self.source,
        )
        self.quote = CORPUS[1]
        links = {
            "actors": [ActorLink(actor_id=self.accused.pk, role="accused")],
            "sources": [
                SourceLink(
                    source_id=self.source.pk,
                    locator=self.text("LOCATOR", 9),
                    note=self.text("SRCLINKNOTE", 10),
                )
            ],
        }
        # Sent back for changes, with a comment: the author's claim page and edit page.
        self.returned = self.claim(self.quote, "STMT-RETURNED", 11, **links)
        self.returned = claim_update(
            user=author,
            claim_id=self.returned.pk,
            version=self.returned.version,
            statement=self.text("STMT-EDITED", 0),
        )
        self.returned = claim_submit(
            user=author, claim_id=self.returned.pk, version=self.returned.version
        )
        review_decide(
            user=self.reviewer,
            claim_id=self.returned.pk,
            version=self.returned.version,
            decision="request_changes",
            comment=self.text("COMMENT", 2),
        )
        # Waiting in the review queue.
        self.waiting = self.claim(CORPUS[3], "STMT-WAITING", 4, **links)
        self.waiting = claim_submit(
            user=author, claim_id=self.waiting.pk, version=self.waiting.version
        )
        # Approved with a rating.
        approved = self.claim(CORPUS[9], "STMT-APPROVED", 5)
        approved = claim_submit(user=author, claim_id=approved.pk, version=approved.version)
        review_decide(
            user=self.reviewer,
            claim_id=approved.pk,
            version=approved.version,
            decision="approve",
            comment=self.text("APPROVAL", 6),
            rating_value=2,
            rating_label=self.text("RATING", 7),
        )

        # A revision that orphans a claim: revision notes, a diff, the orphans page.
        self.second = article_create(
            user=author,
            title=self.text("TITLE2", 8),
            text=self.text("OLD", 7) + "\n\nA paragraph that stays.",
        )
        orphan = claim_create(
            user=author,
            article=self.second,
            start=0,
            end=len(self.text("OLD", 7)),
            exact=self.text("OLD", 7),
            statement=self.text("STMT-ORPHAN", 9),
            claimant_id=self.claimant.pk,
            note=self.text("NOTE", 10),
        )
        self.orphan = claim_submit(user=author, claim_id=orphan.pk, version=orphan.version)
        article_revise(
            user=author,
            article_id=self.second.pk,
            text=self.text("NEW", 11) + "\n\nA paragraph that stays.",
            note=self.text("REVNOTE", 3),
        )
        self.orphan.refresh_from_db()
        assert self.orphan.anchor_state == "orphaned"
        self.returned.refresh_from_db()
        assert self.returned.status == ClaimStatus.CHANGES_REQUESTED

    def text(self, label: str, n: int) -> str:
        self.texts.setdefault(label, payload(label, n))
        return self.texts[label]

    def claim(self, exact: str, label: str, n: int, **links) -> Claim:
        text = self.article.revisions.get().text
        start = text.index(exact)
        return claim_create(
            user=self.author,
            article=self.article,
            start=start,
            end=start + len(exact),
            exact=exact,
            statement=self.text(label, n),
            claimant_id=self.claimant.pk,
            note=self.text(f"NOTE-{label}", n + 1),
            **links,
        )


@pytest.fixture
def desk(transactional_db):
    return Desk()


@pytest.fixture
def guarded(page):
    page.context.add_init_script(INIT_SCRIPT)
    return page


def as_user(page, login, user):
    page.context.clear_cookies()
    login(user)


def assert_inert(page, where: str) -> None:
    """Nothing a payload would do happened on the page now shown."""
    assert page.evaluate("typeof window.__xss") == "undefined", f"{where}: a payload ran"
    injected = page.evaluate(
        "Array.from(document.querySelectorAll('[data-xss]')).map(e => e.outerHTML)"
    )
    assert injected == [], f"{where}: markup from a payload: {injected}"
    blocked = page.evaluate("window.__csp || []")
    assert blocked == [], f"{where}: the policy had to block {blocked}"
    assert page.dialogs == [], f"{where}: a dialog opened: {page.dialogs}"


def visit(page, url: str, desk: Desk, shows: list[str]) -> str:
    # "load": the page's scripts (deferred and module scripts) have run by then.
    page.goto(url, wait_until="load")
    assert_inert(page, url)
    body = page.inner_text("body")
    missing = [label for label in shows if desk.texts[label] not in body]
    assert not missing, f"{url}: these texts do not read as typed: {missing}"
    return body


@live
def test_stored_payloads_stay_text_on_every_page(desk, guarded, login):
    page, d = guarded, desk
    as_user(page, login, d.author)
    a, second = d.article.pk, d.second.pk
    pages = [
        (reverse("article_list"), ["TITLE", "TITLE2"]),
        (
            reverse("article_reader", args=[a]),
            ["TITLE", "BYLINE", "PARA0", "PARA5", "PARA11", "STMT-WAITING", "STMT-APPROVED"],
        ),
        (
            reverse("claim_detail", args=[d.returned.pk]),
            ["STMT-EDITED", "ACTNAME", "ACCUSED", "SRCNAME", "LOCATOR", "COMMENT"],
        ),
        (reverse("claim_detail", args=[d.orphan.pk]), ["STMT-ORPHAN", "OLD", "NOTE"]),
        (reverse("claim_edit", args=[d.returned.pk]), []),
        (reverse("article_revisions", args=[second]), ["REVNOTE"]),
        (reverse("revision_diff", args=[second]), ["OLD", "NEW"]),
        (reverse("orphaned_claims"), ["STMT-ORPHAN"]),
        (reverse("claim_reattach", args=[d.orphan.pk]), ["STMT-ORPHAN", "NEW"]),
        (reverse("article_edit", args=[a]), ["TITLE"]),
        (reverse("actor_list"), ["ACTNAME", "ACCUSED"]),
        (reverse("actor_detail", args=[d.claimant.pk]), ["ACTNAME", "ALIAS", "ACTDESC"]),
        (reverse("actor_detail", args=[d.accused.pk]), ["ACCUSED", "STMT-WAITING"]),
        (reverse("source_list"), ["SRCNAME", "SRCPUB"]),
        (reverse("source_detail", args=[d.source.pk]), ["SRCNAME", "SRCPUB", "SRCNOTES"]),
    ]
    for url, shows in pages:
        visit(page, url, d, shows)

    # The review queue, where a reviewer reads the passage in context.
    as_user(page, login, d.reviewer)
    visit(
        page,
        reverse("review_queue"),
        d,
        ["STMT-WAITING", "ACTNAME", "ACCUSED", "SRCNAME", "LOCATOR"],
    )

    # The registry's editing pages.
    as_user(page, login, d.editor)
    for url, shows in [
        (reverse("actor_edit", args=[d.claimant.pk]), []),
        (f"{reverse('actor_merge', args=[d.accused.pk])}?into={d.claimant.pk}", ["ACCUSED"]),
        (reverse("actor_duplicates"), ["ACTNAME"]),
        (reverse("source_edit", args=[d.source.pk]), []),
    ]:
        visit(page, url, d, shows)
    # Form fields hold the payloads as values, not as markup.
    page.goto(reverse("actor_edit", args=[d.claimant.pk]))
    assert page.input_value("#id_name") == d.texts["ACTNAME"]


@live
def test_picker_suggestions_stay_text(desk, guarded, login):
    page, d = guarded, desk
    as_user(page, login, d.author)
    page.goto(reverse("claim_edit", args=[d.returned.pk]))
    picker = page.locator("#id_claimant_label")
    picker.fill("")
    picker.type("ACTNAME", delay=20)
    options = page.locator("[data-picker=actor] .picker-list .option-name")
    options.first.wait_for(state="visible")
    page.wait_for_load_state("networkidle")
    assert d.texts["ACTNAME"] in options.all_inner_texts()
    assert_inert(page, "actor picker")


@live
def test_a_decision_form_sent_back_by_the_server_stays_text(desk, guarded, login):
    # The queue's script puts the server's re-rendered item in with innerHTML: the one
    # place where markup from a response enters the page.
    page, d = guarded, desk
    as_user(page, login, d.reviewer)
    page.goto(reverse("review_queue"), wait_until="load")
    item = page.locator(f"#claim-{d.waiting.pk}")
    comment = d.text("TYPED", 0)
    item.locator("textarea[name=comment]").fill(comment)
    item.locator("input[name=rating_label]").fill(CORPUS[1])
    with page.expect_response(lambda r: "/decide/" in r.url) as answer:
        item.locator("button[data-decision=reject]").click()
    assert answer.value.status == 400
    page.wait_for_timeout(100)
    assert_inert(page, "re-rendered queue item")
    fresh = page.locator(f"#claim-{d.waiting.pk}")
    assert fresh.locator("textarea[name=comment]").input_value() == comment
    assert fresh.locator("input[name=rating_label]").input_value() == CORPUS[1]


@live
def test_an_uploaded_file_name_stays_text(desk, guarded, login):
    page, d = guarded, desk
    as_user(page, login, d.author)
    page.goto(reverse("article_import"))
    name = '<img src=x onerror="window.__xss=20" data-xss>.txt'
    page.set_input_files(
        "input[type=file]",
        files=[
            {
                "name": name,
                "mimeType": "text/plain",
                "buffer": b"The body of an uploaded text, with no headline.",
            }
        ],
    )
    page.locator("[data-testid=preview-import]").click()
    page.wait_for_load_state("networkidle")
    assert_inert(page, "import preview")
    assert "onerror" in page.input_value("#id_title")


@live
def test_a_javascript_url_that_slipped_into_the_database_does_not_run(desk, guarded, login):
    # Every entry point refuses such a URL (see the limits tests); this puts one in
    # behind their back to show that the policy still stops it.
    Source.objects.filter(pk=desk.source.pk).update(url="javascript:window.__xss=30")
    Article.objects.filter(pk=desk.article.pk).update(url="javascript:window.__xss=31")
    page = guarded
    as_user(page, login, desk.author)
    for url, selector in [
        (reverse("source_detail", args=[desk.source.pk]), ".registry-url a"),
        (reverse("article_reader", args=[desk.article.pk]), "a[rel~=noopener]"),
    ]:
        page.goto(url)
        link = page.locator(selector).first
        link.click()
        page.wait_for_timeout(200)
        assert page.evaluate("typeof window.__xss") == "undefined", url
        blocked = page.evaluate("window.__csp || []")
        assert any("script-src" in entry for entry in blocked), blocked


def test_the_detector_sees_a_payload_that_became_markup(browser):
    context = browser.new_context()
    page = context.new_page()
    page.dialogs = []
    page.set_content(f"<p>{CORPUS[1]}</p><p>{CORPUS[3]}</p>")
    with pytest.raises(AssertionError, match="payload"):
        assert_inert(page, "a page that does not escape")
    context.close()
