"""The reader's claims list and the data its script reads, built without a template loop."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils.text import Truncator

from annotations.models import AnchorState, Claim
from annotations.reader_html import claim_quote
from annotations.services.actors import actor_update
from annotations.services.claims import claim_submit
from annotations.services.reviews import review_decide
from tests.factories import ActorFactory, ArticleFactory, UserFactory, make_claim

LONG_PASSAGE = (
    "Officials in Tirana said the attackers had been inside the government's networks for "
    "more than a year, had copied e-mail and personnel files, and had timed the wiper to "
    "strike on the eve of a conference on the Iranian opposition in exile."
)


def page(client, article):
    response = client.get(reverse("article_reader", args=[article.pk]))
    assert response.status_code == 200
    return response, response.content.decode()


def list_item(html: str, claim: Claim) -> ET.Element:
    """The claim's `<li>`, parsed (the list's markup is well-formed XML)."""
    match = re.search(rf'<li id="claim-{claim.pk}" .*?</li>', html, re.DOTALL)
    assert match, f"no list item for claim {claim.pk}"
    return ET.fromstring(match.group(0))


def text_of(element: ET.Element | None) -> str:
    assert element is not None
    return "".join(element.itertext())


def reader_data(html: str) -> dict:
    match = re.search(r'<script id="reader-data" type="application/json">(.*?)</script>', html)
    return json.loads(match.group(1))


@pytest.mark.django_db
def test_a_list_item_shows_number_status_statement_claimant_certainty_actors_and_quote(
    client, researcher, other_researcher, rama, iran, albania
):
    article = ArticleFactory(text=f"{LONG_PASSAGE}\n\nTehran denied it.")
    claim = make_claim(
        author=other_researcher,
        article=article,
        exact=LONG_PASSAGE,
        statement="Iran hid in Albania's networks for a year.",
        claimant=rama,
        certainty="alleged",
        actors=[(iran, "accused"), (albania, "target")],
    )
    claim_submit(user=other_researcher, claim_id=claim.pk, version=claim.version)
    client.force_login(researcher)
    _, html = page(client, article)
    item = list_item(html, claim)

    assert item.get("class") == "claim-item st-submitted"
    assert item.get("data-claim") == str(claim.pk)
    number = item.find("./div[@class='claim-item-head']/a[@class='claim-num st-submitted']")
    assert (number.get("href"), number.text) == (f"#passage-{claim.pk}", "1")
    assert text_of(item.find(".//span[@class='status status-submitted']")) == "Submitted"
    assert item.find(".//span[@class='anchor-state anchor-anchored']") is None
    link = item.find("./p[@class='claim-statement']/a")
    assert link.get("href") == reverse("claim_detail", args=[claim.pk])
    assert link.text == "Iran hid in Albania's networks for a year."
    meta = item.find("./p[@class='claim-meta']")
    assert text_of(meta) == "Edi Rama · alleged · Iran accused · Albania target"
    assert [role.get("class") for role in meta.findall("./span[@class]")][1:] == [
        "role role-accused",
        "role role-target",
    ]
    quote = text_of(item.find("./blockquote[@class='claim-quote']"))
    assert len(LONG_PASSAGE) > 180
    assert quote == Truncator(LONG_PASSAGE).chars(180)
    assert len(quote) == 180 and quote.endswith("…")
    assert text_of(item.find("./p[@class='muted small byline']")) == f"by {other_researcher}"


@pytest.mark.django_db
def test_my_own_claims_carry_no_byline(client, researcher, article):
    claim = make_claim(author=researcher, article=article)
    client.force_login(researcher)
    _, html = page(client, article)
    assert list_item(html, claim).find(".//p[@class='muted small byline']") is None


@pytest.mark.django_db
def test_a_claim_no_longer_in_the_text_is_listed_without_a_link_to_its_passage(
    client, researcher, article
):
    claim = make_claim(author=researcher, article=article)
    Claim.objects.filter(pk=claim.pk).update(anchor_state=AnchorState.ORPHANED)
    client.force_login(researcher)
    _, html = page(client, article)
    item = list_item(html, claim)
    assert item.get("class") == "claim-item st-draft unplaced"
    head = item.find("./div[@class='claim-item-head']")
    assert head.find("./a") is None
    assert text_of(head.find("./span[@class='claim-num st-draft']")) == "1"
    assert text_of(head.find("./span[@class='anchor-state anchor-orphaned']")) == "Orphaned"
    assert text_of(head.find("./span[@class='muted small']")) == "not in the current text"


@pytest.mark.django_db
def test_user_text_in_the_list_is_escaped(client, researcher):
    hostile = '<img src=x onerror="alert(1)">&'
    article = ArticleFactory(text=f"He said {hostile} twice.")
    author = UserFactory(username="o'<b>", roles=["researcher"])
    claimant = ActorFactory(name=f"Claimant {hostile}")
    named = ActorFactory(name=f"Named {hostile}")
    claim = make_claim(
        author=author,
        article=article,
        exact=f"said {hostile}",
        statement=f"Statement {hostile}",
        claimant=claimant,
        actors=[(named, "mentioned")],
    )
    claim_submit(user=author, claim_id=claim.pk, version=claim.version)
    client.force_login(researcher)
    _, html = page(client, article)
    aside = html[html.index('id="claim-list"') : html.index("</ol>")]
    assert "<img" not in aside and "<b>" not in aside
    item = list_item(html, claim)
    assert text_of(item.find("./p[@class='claim-statement']/a")) == f"Statement {hostile}"
    meta = text_of(item.find("./p[@class='claim-meta']"))
    assert meta == f"Claimant {hostile} · asserted · Named {hostile} mentioned"
    assert text_of(item.find("./blockquote")) == f"said {hostile}"
    assert text_of(item.find("./p[@class='muted small byline']")) == "by o'<b>"


@pytest.mark.django_db
def test_the_script_data_links_each_claim_and_offers_edit_only_where_allowed(
    client, researcher, other_researcher, article
):
    mine = make_claim(author=researcher, article=article, exact="Edi Rama said")
    theirs = make_claim(author=other_researcher, article=article, exact="Tehran rejected")
    claim_submit(user=other_researcher, claim_id=theirs.pk, version=theirs.version)
    client.force_login(researcher)
    _, html = page(client, article)
    data = {claim["id"]: claim for claim in reader_data(html)["claims"]}
    assert data[mine.pk]["url"] == reverse("claim_detail", args=[mine.pk])
    assert data[mine.pk]["edit_url"] == reverse("claim_edit", args=[mine.pk])
    assert data[mine.pk]["status_label"] == "Draft"
    assert data[theirs.pk]["url"] == reverse("claim_detail", args=[theirs.pk])
    assert data[theirs.pk]["edit_url"] == ""
    assert [data[mine.pk]["number"], data[theirs.pk]["number"]] == [1, 2]


@pytest.mark.django_db
def test_edit_is_offered_on_the_readers_own_claim_of_a_status_not_on_anothers(
    client, researcher, other_researcher, reviewer
):
    """Whether a claim may be edited is asked once per status and authorship: two claims
    sent back for changes, one the reader's and one another's, get different answers."""
    article = ArticleFactory(text="Edi Rama said it. Tehran rejected it.")
    mine = make_claim(author=researcher, article=article, exact="Edi Rama said")
    theirs = make_claim(author=other_researcher, article=article, exact="Tehran rejected")
    for claim, author in ((mine, researcher), (theirs, other_researcher)):
        claim = claim_submit(user=author, claim_id=claim.pk, version=claim.version)
        review_decide(
            user=reviewer,
            claim_id=claim.pk,
            version=claim.version,
            decision="request_changes",
            comment="Name the source of the quote.",
        )
    client.force_login(researcher)
    _, html = page(client, article)
    data = {claim["id"]: claim for claim in reader_data(html)["claims"]}
    assert data[mine.pk]["status"] == data[theirs.pk]["status"] == "changes_requested"
    assert data[mine.pk]["edit_url"] == reverse("claim_edit", args=[mine.pk])
    assert data[theirs.pk]["edit_url"] == ""


@pytest.mark.django_db
def test_a_renamed_actor_is_named_anew_in_the_text(client, researcher, editor, iran):
    """The reader keeps the mentions it found in a text only while the registry is the
    same; a change to an actor is seen on the next view."""
    article = ArticleFactory(text="Tehran rejected the accusation.")
    client.force_login(researcher)
    _, html = page(client, article)
    assert 'title="Known actor: Iran"' in html
    actor_update(user=editor, actor_id=iran.pk, name="Islamic Republic of Iran")
    _, html = page(client, article)
    assert 'title="Known actor: Islamic Republic of Iran"' in html


@pytest.mark.parametrize(
    "exact",
    [
        "short",
        "x" * 180,
        "x" * 181,
        "e\u0301" * 200,  # decomposed accents: NFC makes one character of each pair
        "e\u0301" * 90,  # short once composed: not cut, but composed all the same
        "a\u0301\u0302" * 100,  # marks with no composed form do not count as characters
    ],
)
def test_a_quote_is_cut_as_truncatechars_cuts_it(exact):
    assert claim_quote(exact) == Truncator(exact).chars(180)
