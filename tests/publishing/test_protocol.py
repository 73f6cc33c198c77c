"""The Web Annotation Protocol for the public: a desk's published reviews, anonymously."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.annotations.exports.conformance import validate_webanno
from tests.publishing.helpers import approve, publish

pytestmark = pytest.mark.django_db

JSONLD = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


def container(room) -> str:
    return reverse("v1:project-annotation-list", args=[room.accusation.project_id])


def item(claim) -> str:
    return reverse("v1:annotation-detail", args=[claim.pk])


@pytest.fixture
def published(room):
    publish(room.accusation, room.editor)
    publish(room.denial, room.editor)
    return room


def test_anonymous_reads_the_desks_published_reviews(published, anon, tmp_path, conformance_dir):
    response = anon.get(container(published))
    assert response.status_code == 200
    assert response["Content-Type"] == JSONLD
    body = json.loads(response.content)
    assert body["total"] == 2
    items = body["first"]["items"]
    assert {a["id"] for a in items} == {
        "http://testserver" + item(c) for c in (published.accusation, published.denial)
    }
    for annotation in items:
        assert annotation["creator"]["type"] == "Organization"
        bodies = {b.get("role"): b for b in annotation["body"]}
        assert bodies["fact_check"]["id"].startswith("http://testserver/fact-checks/")
    one = anon.get(item(published.accusation))
    assert one.status_code == 200
    annotation = json.loads(one.content)
    verdict = [b for b in annotation["body"] if b.get("role") == "verdict"]
    assert verdict[0]["value"] == "Mostly true"
    page = anon.get(container(published) + "?page=1")
    assert page.status_code == 200
    validate_webanno(conformance_dir, tmp_path, body, annotation, json.loads(page.content))


def test_a_member_keeps_the_container_of_everything_they_may_read(published, as_user, room):
    from tests.factories import make_claim

    unpublished = make_claim(
        author=room.researcher, article=room.accusation.article, exact="July cyberattacks"
    )
    approve(unpublished, author=room.researcher, reviewer=room.reviewer)
    body = json.loads(as_user(room.reviewer).get(container(room)).content)
    assert body["total"] == 3
    annotation = json.loads(as_user(room.reviewer).get(item(room.accusation)).content)
    assert annotation["creator"]["type"] == "Person"  # the members' own annotation


def test_unpublished_claims_stay_private(room, anon, as_user):
    # A desk that has published nothing: log in (401), as before.
    assert anon.get(container(room)).status_code == 401
    assert anon.get(item(room.accusation)).status_code == 401
    publish(room.accusation, room.editor)
    assert anon.get(item(room.denial)).status_code == 401
    from tests.factories import UserFactory

    stranger = as_user(UserFactory(username="olga"))
    assert stranger.get(item(room.denial)).status_code == 404
    assert stranger.get(item(room.accusation)).status_code == 200
    assert json.loads(stranger.get(container(room)).content)["total"] == 1


def test_cors_headers_and_preflight(published, anon):
    response = anon.get(container(published))
    assert response["Access-Control-Allow-Origin"] == "*"
    exposed = {h.strip() for h in response["Access-Control-Expose-Headers"].split(",")}
    assert {"ETag", "Link", "Allow", "Vary"} <= exposed
    assert "Allow" in response
    assert {"Accept", "Prefer"} <= {v.strip() for v in response["Vary"].split(",")}
    preflight = anon.options(
        container(published),
        HTTP_ORIGIN="https://reader.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="prefer, if-none-match",
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "Prefer" in preflight["Access-Control-Allow-Headers"]
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]


@pytest.mark.parametrize("url", ["container", "item"])
def test_weak_and_star_validators_answer_304(published, anon, url):
    target = container(published) if url == "container" else item(published.accusation)
    etag = anon.get(target)["ETag"]
    assert not etag.startswith("W/")
    for validator in (etag, f"W/{etag}", "*", f'W/"nope", {etag}'):
        response = anon.get(target, HTTP_IF_NONE_MATCH=validator)
        assert response.status_code == 304, validator
        assert response["ETag"] == etag
    assert anon.get(target, HTTP_IF_NONE_MATCH='W/"nope"').status_code == 200


@pytest.mark.parametrize("url", ["container", "item"])
def test_each_representation_has_its_own_etag(published, anon, url):
    target = container(published) if url == "container" else item(published.accusation)
    jsonld = anon.get(target, HTTP_ACCEPT="application/ld+json")
    plain = anon.get(target, HTTP_ACCEPT="application/json")
    assert plain["Content-Type"] == "application/json"
    assert jsonld.content == plain.content
    assert jsonld["ETag"] != plain["ETag"]
    assert (
        anon.get(
            target, HTTP_ACCEPT="application/json", HTTP_IF_NONE_MATCH=jsonld["ETag"]
        ).status_code
        == 200
    )


def test_a_members_container_answers_304_to_weak_validators_too(published, as_user):
    client = as_user(published.reviewer)
    etag = client.get(reverse("v1:annotation-list"))["ETag"]
    assert (
        client.get(reverse("v1:annotation-list"), HTTP_IF_NONE_MATCH=f"W/{etag}").status_code == 304
    )
    assert client.get(reverse("v1:annotation-list"), HTTP_IF_NONE_MATCH="*").status_code == 304


def test_withdrawn_and_under_review_leave_the_public_container(published, anon):
    from annotations.services.claims import claim_update
    from publishing.services import claim_unpublish

    denial = published.denial
    claim_unpublish(
        user=published.manager, claim_id=denial.pk, version=denial.version, reason="Misquoted."
    )
    accusation = published.accusation
    accusation.refresh_from_db()
    claim_update(
        user=published.researcher,
        claim_id=accusation.pk,
        version=accusation.version,
        statement="Changed words.",
    )
    body = json.loads(anon.get(container(published)).content)
    assert body["total"] == 0
    assert anon.get(item(accusation)).status_code == 401
