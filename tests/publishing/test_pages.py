"""The public pages and feeds, as an anonymous reader (or a search engine) reads them."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import orjson
import pytest
from django.urls import reverse

from annotations.services.claims import claim_update
from publishing import views
from publishing.services import claim_unpublish
from tests.annotations.exports.claimreview_check import ERROR, check_claim_review
from tests.publishing.helpers import EXPLANATION, publish
from tests.publishing.jsonld import embedded_jsonld

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def page_of(claim) -> str:
    return reverse("public_review", args=[claim.pk])


def test_a_published_review_page_carries_its_claimreview(room, anon):
    publish(room.accusation, room.editor)
    response = anon.get(page_of(room.accusation))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Edi Rama" in html
    assert "Mostly true" in html
    assert EXPLANATION in html
    assert 'href="https://news.example/albania-iran"' in html  # the article it appeared in
    assert "Main desk" in html
    [review] = embedded_jsonld(html)
    page = "http://testserver" + page_of(room.accusation)
    # Google's required properties, and the page the markup names is this one.
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["url"] == page
    assert review["claimReviewed"] == room.accusation.statement
    assert review["reviewRating"]["alternateName"] == "Mostly true"
    assert review["reviewRating"]["ratingValue"] == 4
    assert review["reviewRating"]["ratingExplanation"] == EXPLANATION
    assert review["author"] == {
        "@type": "Organization",
        "name": "Claimdesk",
        "url": "http://testserver/",
    }
    item = review["itemReviewed"]
    assert item["author"] == {
        "@type": "Person",
        "name": "Edi Rama",
        "sameAs": "https://www.wikidata.org/wiki/Q381397",
    }
    assert item["firstAppearance"]["url"] == "https://news.example/albania-iran"
    assert [p for p in check_claim_review(review, page_url=page) if p.level == ERROR] == []


def test_the_public_page_sends_public_headers_and_answers_304(room, anon):
    publish(room.accusation, room.editor)
    response = anon.get(page_of(room.accusation))
    assert response["Cache-Control"] == f"public, max-age={views.CACHE_SECONDS}"
    assert response["Content-Security-Policy"]  # the same policy as every page
    container = reverse("v1:project-annotation-list", args=[room.accusation.project_id])
    assert response["Link"] == (
        f'<http://testserver{container}>; rel="http://www.w3.org/ns/oa#annotationService"'
    )
    assert "Set-Cookie" not in response
    etag = response["ETag"]
    for validator in (etag, f"W/{etag}", "*", f'"other", {etag}'):
        again = anon.get(page_of(room.accusation), HTTP_IF_NONE_MATCH=validator)
        assert again.status_code == 304, validator
        assert again["ETag"] == etag
    assert anon.get(page_of(room.accusation), HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_nothing_unpublished_is_public(room, anon):
    assert anon.get(page_of(room.denial)).status_code == 404
    desk = room.accusation.project.slug
    for name in ("public_desk", "public_feed_jsonld", "public_feed_atom"):
        assert anon.get(reverse(name, args=[desk])).status_code == 404
    assert anon.get(reverse("public_desk", args=["no-such-desk"])).status_code == 404


def test_a_withdrawn_review_says_so_and_leaves_the_index(room, anon):
    publish(room.accusation, room.editor)
    publish(room.denial, room.editor)
    claim_unpublish(
        user=room.manager,
        claim_id=room.denial.pk,
        version=room.denial.version,
        reason="The denial was misquoted.",
    )
    html = anon.get(page_of(room.denial)).content.decode()
    assert "Withdrawn on" in html
    assert "The denial was misquoted." in html
    assert embedded_jsonld(html) == []
    assert "Mostly false" not in html  # the verdict no longer stands
    index = anon.get(reverse("public_desk", args=["main"])).content.decode()
    assert page_of(room.accusation) in index
    assert page_of(room.denial) not in index
    feed = orjson.loads(anon.get(reverse("public_feed_jsonld", args=["main"])).content)
    withdrawn = [e for e in feed["dataFeedElement"] if "dateDeleted" in e]
    assert [e["item"]["url"] for e in withdrawn] == ["http://testserver" + page_of(room.denial)]


def test_an_edited_review_is_under_review_until_published_again(room, anon):
    publish(room.accusation, room.editor)
    claim = room.accusation
    claim.refresh_from_db()
    claim_update(
        user=room.researcher,
        claim_id=claim.pk,
        version=claim.version,
        statement="SECRET-DRAFT the Iranian state did it all.",
    )
    html = anon.get(page_of(claim)).content.decode()
    assert "Under review" in html
    assert "SECRET-DRAFT" not in html
    assert embedded_jsonld(html) == []
    index = anon.get(reverse("public_desk", args=["main"])).content.decode()
    assert "under review" in index


def test_the_index_pages(room, anon, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    publish(room.accusation, room.editor)
    publish(room.denial, room.editor)
    first = anon.get(reverse("public_desk", args=["main"])).content.decode()
    second = anon.get(reverse("public_desk", args=["main"]) + "?page=2").content.decode()
    assert page_of(room.denial) in first and page_of(room.accusation) not in first
    assert page_of(room.accusation) in second
    assert 'rel="next"' in first and 'rel="prev"' in second
    for bad in ("3", "0", "x"):
        url = reverse("public_desk", args=["main"]) + f"?page={bad}"
        assert anon.get(url).status_code == 404


def test_the_data_feed_and_the_atom_feed(room, anon):
    publish(room.accusation, room.editor)
    publish(room.denial, room.editor)
    response = anon.get(reverse("public_feed_jsonld", args=["main"]))
    assert response["Content-Type"] == "application/ld+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    feed = orjson.loads(response.content)
    assert feed["@type"] == "DataFeed"
    reviews = {e["item"]["url"]: e["item"] for e in feed["dataFeedElement"]}
    assert set(reviews) == {
        "http://testserver" + page_of(c) for c in (room.accusation, room.denial)
    }
    denial = reviews["http://testserver" + page_of(room.denial)]
    assert denial["reviewRating"]["alternateName"] == "Mostly false"
    assert denial["itemReviewed"]["author"]["name"] == "Iran"
    atom = anon.get(reverse("public_feed_atom", args=["main"]))
    assert atom["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(atom.content)
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2
    links = {e.find(f"{ATOM}link").get("href") for e in entries}
    assert links == {"http://testserver" + page_of(c) for c in (room.accusation, room.denial)}


def test_user_text_is_escaped_on_the_page_and_in_the_markup(room, anon):
    claim = room.accusation
    publish(claim, room.editor, explanation="</script><script>alert(1)</script> & more")
    html = anon.get(page_of(claim)).content.decode()
    assert "<script>alert(1)" not in html
    [review] = embedded_jsonld(html)
    assert review["reviewRating"]["ratingExplanation"].startswith("</script>")


def test_site_url_names_the_pages(room, anon, settings):
    settings.SITE_URL = "https://factcheck.example.org"
    publish(room.accusation, room.editor)
    [review] = embedded_jsonld(anon.get(page_of(room.accusation)).content.decode())
    assert review["url"] == "https://factcheck.example.org" + page_of(room.accusation)
