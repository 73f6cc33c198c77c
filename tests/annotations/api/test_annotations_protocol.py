"""The read side of the W3C Web Annotation Protocol at /api/v1/annotations/.

Checks follow the Protocol test suite's assertions (see the shared conformance
material's PROTOCOL_CHECKLIST.md); every answer also passes the W3C model validator and
expands offline as JSON-LD.
"""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.exports import webannotation
from tests.annotations.exports.builders import bulk_approved
from tests.annotations.exports.conformance import expand, validate_webanno

pytestmark = pytest.mark.django_db

ANNO_PROFILE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
MINIMAL = 'return=representation;include="http://www.w3.org/ns/ldp#PreferMinimalContainer"'
IRIS = 'return=representation;include="http://www.w3.org/ns/oa#PreferContainedIRIs"'


def container_url() -> str:
    return reverse("v1:annotation-list")


def annotation_url(claim) -> str:
    return reverse("v1:annotation-detail", args=[claim.pk])


@pytest.fixture
def many(desk, researcher, reviewer):
    """230 more approved claims: three pages of 100 with the desk's two."""
    return bulk_approved(
        230,
        article=desk.article,
        author=researcher,
        reviewer=reviewer,
        claimant=desk.rama,
        actors=[(desk.iran, "accused")],
        sources=[(desk.outlet, "p. 1")],
    )


# --------------------------------------------------------------------------- one annotation


def test_annotation_answer_follows_the_protocol(desk, as_user, reader):
    claim = desk["approved"]
    response = as_user(reader).get(annotation_url(claim), HTTP_ACCEPT=ANNO_PROFILE)
    assert response.status_code == 200
    assert response["Content-Type"] == ANNO_PROFILE
    assert re.search(r"<http://www.w3.org/ns/ldp#Resource>; *rel=\"type\"", response["Link"])
    assert {"GET", "HEAD", "OPTIONS"} <= {m.strip() for m in response["Allow"].split(",")}
    assert response["ETag"].startswith('"')
    assert "Accept" in response["Vary"]
    body = json.loads(response.content)
    assert body["id"] == "http://testserver" + annotation_url(claim)
    assert body["type"] == "Annotation"
    assert body["@context"][0] == "http://www.w3.org/ns/anno.jsonld"


def test_annotation_body_and_target_carry_the_claim(desk, as_user, reader):
    claim = desk["approved"]
    body = json.loads(as_user(reader).get(annotation_url(claim)).content)
    by_role = {}
    for item in body["body"]:
        by_role.setdefault(item["role"], []).append(item)
    assert by_role["statement"][0]["value"] == claim.statement
    assert by_role["statement"][0]["purpose"] == "describing"
    assert by_role["claimant"][0]["source"]["name"] == "Edi Rama"
    assert by_role["claimant"][0]["source"]["sameAs"] == "http://www.wikidata.org/entity/Q167446"
    assert by_role["accused"][0]["source"]["name"] == "Iran"
    assert by_role["target"][0]["source"]["name"] == "Albania"
    assert by_role["certainty"][0]["value"] == "asserted"
    assert [s["source"]["name"] for s in by_role["source"]] == [
        "Foreign Policy",
        "Joint investigation report",
    ]
    assert by_role["source"][0]["locator"] == "paragraph 1"
    target = body["target"]
    assert target["source"]["id"] == "https://news.example/albania-iran"
    quote, position = target["selector"]
    assert quote == {
        "type": "TextQuoteSelector",
        "exact": claim.exact,
        "prefix": claim.prefix,
        "suffix": claim.suffix,
    }
    assert position == {"type": "TextPositionSelector", "start": claim.start, "end": claim.end}
    assert target["state"]["type"] == "TimeState"
    assert target["state"]["cached"].endswith(f"/articles/{desk.article.pk}/revisions/1/")
    assert target["revision"] == 1
    assert body["creator"]["nickname"] == "rita"
    assert body["motivation"] == "describing"


def test_annotation_head_and_options_answer_200(desk, as_user, reader):
    client = as_user(reader)
    url = annotation_url(desk["approved"])
    head = client.head(url)
    assert head.status_code == 200
    assert head["ETag"] == client.get(url)["ETag"]
    assert client.options(url).status_code == 200
    assert "Link" in client.options(url)


def test_annotation_not_modified_when_the_etag_matches(desk, as_user, reader):
    client = as_user(reader)
    url = annotation_url(desk["approved"])
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_plain_json_when_asked_and_406_for_html(desk, as_user, reader):
    client = as_user(reader)
    url = annotation_url(desk["approved"])
    assert client.get(url, HTTP_ACCEPT="application/json")["Content-Type"] == "application/json"
    assert client.get(url, HTTP_ACCEPT="text/html").status_code == 406


def test_invisible_draft_and_unknown_annotation_are_not_found(desk, as_user, researcher, anon):
    client = as_user(researcher)
    assert client.get(annotation_url(desk["other_draft"])).status_code == 404
    assert client.get(reverse("v1:annotation-detail", args=[2**40])).status_code == 404
    assert client.get(annotation_url(desk["draft"])).status_code == 200  # own draft
    assert anon.get(annotation_url(desk["approved"])).status_code == 401


# --------------------------------------------------------------------------- the container


def test_container_follows_the_protocol(desk, as_user, reader):
    response = as_user(reader).get(container_url())
    assert response.status_code == 200
    assert response["Content-Type"] == ANNO_PROFILE
    body = json.loads(response.content)
    assert body["id"].endswith("/annotations/")
    assert response["Content-Location"] == body["id"]
    assert {"BasicContainer", "AnnotationCollection"} <= set(body["type"])
    assert re.search(r"<http://www.w3.org/ns/ldp#BasicContainer>; *rel=\"type\"", response["Link"])
    assert 'rel="http://www.w3.org/ns/ldp#constrainedBy"' in response["Link"]
    assert "<http://www.w3.org/TR/annotation-protocol/>" in response["Link"]
    assert {"GET", "HEAD", "OPTIONS"} <= {m.strip() for m in response["Allow"].split(",")}
    assert response["ETag"]
    assert {"Accept", "Prefer"} <= {v.strip() for v in response["Vary"].split(",")}
    assert body["total"] == 2  # the approved claims
    first = body["first"]
    assert first["type"] == "AnnotationPage"
    assert [item["id"].rsplit("/", 1)[1] for item in first["items"]] == [
        str(desk.claims["approved"].pk),
        str(desk.claims["sanctions"].pk),
    ]
    assert all("@context" in item for item in first["items"])
    assert body["last"] == first["id"]


def test_container_head_and_options_answer_200(desk, as_user, reader):
    client = as_user(reader)
    assert client.head(container_url()).status_code == 200
    options = client.options(container_url())
    assert options.status_code == 200
    assert "BasicContainer" in options["Link"]


def test_minimal_container_has_no_items(desk, as_user, reader, many):
    response = as_user(reader).get(container_url(), HTTP_PREFER=MINIMAL)
    body = json.loads(response.content)
    assert body["total"] == 232
    assert isinstance(body["first"], str)
    assert body["last"].endswith("page=3")
    assert "items" not in json.dumps(body)
    assert "Prefer" in response["Vary"]
    assert "Prefer" not in response
    assert response["Preference-Applied"] == "return=representation"


def test_contained_iris_preference_lists_iris(desk, as_user, reader):
    response = as_user(reader).get(container_url(), HTTP_PREFER=IRIS)
    body = json.loads(response.content)
    assert body["id"].endswith("?iris=1")
    assert all(isinstance(item, str) for item in body["first"]["items"])
    assert body["first"]["items"][0].endswith(f"/annotations/{desk.claims['approved'].pk}")


def test_container_pages_link_to_each_other(desk, as_user, reader, many):
    client = as_user(reader)
    collection = json.loads(client.get(container_url()).content)
    assert collection["first"]["next"].endswith("?page=2")
    assert len(collection["first"]["items"]) == 100
    seen = [item["id"] for item in collection["first"]["items"]]
    url, number = collection["first"]["next"], 2
    while url:
        response = client.get(url)
        assert response.status_code == 200
        page = json.loads(response.content)
        assert page["type"] == "AnnotationPage"
        assert page["id"] == url
        assert page["partOf"]["id"] == collection["id"]
        assert page["partOf"]["total"] == 232
        assert page["startIndex"] == (number - 1) * 100
        assert page["prev"].endswith(f"page={number - 1}")
        seen += [item["id"] for item in page["items"]]
        url, number = page.get("next"), number + 1
    assert number == 4
    assert len(seen) == len(set(seen)) == 232
    numbers = [int(iri.rsplit("/", 1)[1]) for iri in seen]
    assert numbers == sorted(numbers)  # oldest first, across and within pages
    assert client.get(container_url() + "?page=4").status_code == 404
    assert client.get(container_url() + "?page=0").status_code == 400


@pytest.mark.parametrize("page_size", [7, 50])
@pytest.mark.parametrize("query", ["", "?claimant={rama}"])
def test_pages_read_from_the_end_hold_the_same_claims(
    desk, as_user, reader, many, monkeypatch, page_size, query
):
    """The pages past the middle are read backwards from the end (kept count or
    counted): every page still holds the next claims in order, none twice, none lost."""
    monkeypatch.setattr(webannotation, "PAGE_SIZE", page_size)
    client = as_user(reader)
    base = container_url() + query.format(rama=desk.rama.pk)
    total = json.loads(client.get(base).content)["total"]
    seen = []
    for number in range(1, -(-total // page_size) + 1):
        sep = "&" if "?" in base else "?"
        page = json.loads(client.get(f"{base}{sep}page={number}").content)
        assert page["startIndex"] == (number - 1) * page_size
        seen += [int(item["id"].rsplit("/", 1)[1]) for item in page["items"]]
    assert len(seen) == total and seen == sorted(set(seen))


def test_container_filters_shape_the_collection(desk, as_user, researcher):
    client = as_user(researcher)
    body = json.loads(client.get(container_url(), {"status": ["submitted", "draft"]}).content)
    assert body["total"] == 2  # the submitted claim and rita's own draft
    assert "status=submitted" in body["id"] and "status=draft" in body["id"]
    assert body["label"] == "Claimdesk claims"
    claimant = json.loads(client.get(container_url(), {"claimant": desk.united_states.pk}).content)
    assert claimant["total"] == 1


def test_container_not_modified_when_the_etag_matches(desk, as_user, reader):
    client = as_user(reader)
    etag = client.get(container_url())["ETag"]
    assert client.get(container_url(), HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert (
        client.get(container_url(), HTTP_IF_NONE_MATCH=etag, HTTP_PREFER=MINIMAL).status_code == 200
    )


def test_anonymous_container_is_refused(anon, desk):
    assert anon.get(container_url()).status_code == 401


# --------------------------------------------------------------------------- conformance


def test_every_answer_passes_the_w3c_validator(
    desk, as_user, researcher, reviewer, conformance_dir, tmp_path, monkeypatch
):
    # Small pages: the validator takes a while per annotation.
    monkeypatch.setattr(webannotation, "PAGE_SIZE", 2)
    bulk_approved(
        3,
        article=desk.article,
        author=researcher,
        reviewer=reviewer,
        claimant=desk.rama,
        actors=[(desk.iran, "accused")],
        sources=[(desk.outlet, "p. 1")],
    )
    client = as_user(researcher)
    documents = [
        client.get(container_url()).content,
        client.get(container_url(), HTTP_PREFER=MINIMAL).content,
        client.get(container_url(), HTTP_PREFER=IRIS).content,
        client.get(container_url() + "?page=2").content,
        client.get(container_url() + "?page=3").content,
        client.get(container_url() + "?page=2&iris=1").content,
        client.get(container_url() + "?status=draft").content,
        client.get(container_url() + f"?claimant={desk.albania.pk}").content,  # empty
        client.get(annotation_url(desk["approved"])).content,
        client.get(annotation_url(desk["submitted"])).content,
        client.get(annotation_url(desk["draft"])).content,
    ]
    pages = [json.loads(document) for document in documents[3:5]]
    assert [len(page["items"]) for page in pages] == [2, 1]
    report = validate_webanno(conformance_dir, tmp_path, *documents)
    # The 11 documents, plus what they embed: the first page and its 2 annotations, the
    # IRI-only first page, the 2 + 1 annotations of pages 2 and 3, and the draft's page
    # with its annotation.
    assert "20 passed, 0 failed" in report


def test_answers_expand_offline_as_json_ld(desk, as_user, reader, conformance_dir):
    client = as_user(reader)
    for url in (container_url(), annotation_url(desk["approved"])):
        expanded = expand(conformance_dir, json.loads(client.get(url).content))
        text = json.dumps(expanded)
        assert "http://www.w3.org/ns/oa#TextQuoteSelector" in text
        assert "http://www.w3.org/ns/oa#TextPositionSelector" in text
        assert "http://www.w3.org/ns/oa#describing" in text
    collection = expand(conformance_dir, json.loads(client.get(container_url()).content))
    assert "http://www.w3.org/ns/ldp#BasicContainer" in collection[0]["@type"]
    assert "http://www.w3.org/ns/activitystreams#OrderedCollection" in collection[0]["@type"]


# --------------------------------------------------------------------------- query counts


def queries_for(client, url, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
        assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("prefer", [None, IRIS, MINIMAL])
def test_container_queries_do_not_grow_with_the_claims(desk, as_user, reader, researcher, prefer):
    client = as_user(reader)
    headers = {"HTTP_PREFER": prefer} if prefer else {}
    kwargs = dict(article=desk.article, author=researcher, reviewer=reader, claimant=desk.rama)
    links = dict(
        actors=[(desk.iran, "accused"), (desk.albania, "target")], sources=[(desk.outlet, "p")]
    )
    bulk_approved(10, **kwargs, **links)
    few = queries_for(client, container_url(), **headers)
    bulk_approved(10, **kwargs, **links)
    assert queries_for(client, container_url(), **headers) == few


def test_annotation_queries_are_a_fixed_number(
    desk, as_user, reader, django_assert_max_num_queries
):
    client = as_user(reader)
    with django_assert_max_num_queries(12):
        client.get(annotation_url(desk["approved"]))
