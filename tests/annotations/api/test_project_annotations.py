"""The annotation container of one project, `/api/v1/projects/{id}/annotations/`: the
site container's protocol with its own IRI, holding that project's claims only, and a
404 for whoever is not a member."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.exports import webannotation
from projects import access
from projects.models import Membership, Project
from tests.annotations.exports.builders import bulk_approved
from tests.annotations.exports.conformance import expand, validate_webanno
from tests.factories import ArticleFactory, UserFactory, main_desk

pytestmark = pytest.mark.django_db

ANNO_PROFILE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
MINIMAL = 'return=representation;include="http://www.w3.org/ns/ldp#PreferMinimalContainer"'
IRIS = 'return=representation;include="http://www.w3.org/ns/oa#PreferContainedIRIs"'


def container_url(project) -> str:
    return reverse("v1:project-annotation-list", args=[project.pk])


@pytest.fixture
def balkans(desk, researcher, reviewer) -> Project:
    """A second desk with three approved claims; the desk's researcher is not a member."""
    project = Project.objects.create(name="Balkans partner desk", slug="balkans")
    project.article = ArticleFactory(project=project)
    project.claim_ids = bulk_approved(
        3, article=project.article, author=researcher, reviewer=reviewer, claimant=desk.rama
    )
    return project


@pytest.fixture
def balkan_reviewer(balkans, reviewer):
    """The desk's reviewer, also a reviewer of the Balkans desk."""
    Membership.objects.create(project=balkans, user=reviewer, is_reviewer=True)
    access.forget(reviewer)  # the user object outlives the tests of this module
    return reviewer


def ids(items) -> list[int]:
    """Claim ids of a page's items (annotations or their IRIs)."""
    iris = [item if isinstance(item, str) else item["id"] for item in items]
    return [int(iri.rsplit("/", 1)[1]) for iri in iris]


def test_container_of_a_project_follows_the_protocol_with_its_own_iri(
    desk, balkans, as_user, balkan_reviewer
):
    response = as_user(balkan_reviewer).get(container_url(balkans), HTTP_ACCEPT=ANNO_PROFILE)
    assert response.status_code == 200
    assert response["Content-Type"] == ANNO_PROFILE
    body = json.loads(response.content)
    assert body["id"] == f"http://testserver/api/v1/projects/{balkans.pk}/annotations/"
    assert response["Content-Location"] == body["id"]
    assert {"BasicContainer", "AnnotationCollection"} <= set(body["type"])
    assert "<http://www.w3.org/ns/ldp#BasicContainer>" in response["Link"]
    assert 'rel="http://www.w3.org/ns/ldp#constrainedBy"' in response["Link"]
    assert {"Accept", "Prefer"} <= {v.strip() for v in response["Vary"].split(",")}
    assert response["ETag"]
    assert body["label"] == "Claimdesk verified claims of Balkans partner desk"
    assert body["total"] == 3
    assert ids(body["first"]["items"]) == balkans.claim_ids
    assert body["first"]["id"] == body["id"] + "?page=1"
    assert {item["project"] for item in body["first"]["items"]} == {"balkans"}
    # The annotations keep their one IRI, under the site's container.
    assert body["first"]["items"][0]["id"].startswith("http://testserver/api/v1/annotations/")


def test_each_project_lists_its_own_claims_only(desk, balkans, as_user, balkan_reviewer):
    client = as_user(balkan_reviewer)
    main = json.loads(client.get(container_url(main_desk())).content)
    assert ids(main["first"]["items"]) == [desk.claims["approved"].pk, desk.claims["sanctions"].pk]
    site = json.loads(client.get(reverse("v1:annotation-list")).content)
    assert site["total"] == 5  # the site's container: every project of a member of both


def test_pages_and_preferences_stay_under_the_projects_iri(
    desk, balkans, as_user, balkan_reviewer, monkeypatch
):
    monkeypatch.setattr(webannotation, "PAGE_SIZE", 2)
    client = as_user(balkan_reviewer)
    base = f"http://testserver{container_url(balkans)}"
    minimal = json.loads(client.get(container_url(balkans), HTTP_PREFER=MINIMAL).content)
    assert (minimal["first"], minimal["last"]) == (base + "?page=1", base + "?page=2")
    page = json.loads(client.get(minimal["last"]).content)
    assert page["id"] == base + "?page=2"
    assert page["partOf"]["id"] == base
    assert page["prev"] == base + "?page=1"
    assert ids(page["items"]) == balkans.claim_ids[2:]
    iris = json.loads(client.get(container_url(balkans), HTTP_PREFER=IRIS).content)
    assert iris["id"] == base + "?iris=1"
    assert ids(iris["first"]["items"]) == balkans.claim_ids[:2]
    assert client.get(container_url(balkans) + "?page=3").status_code == 404
    filtered = json.loads(client.get(container_url(balkans), {"status": "submitted"}).content)
    assert filtered["id"] == base + "?status=submitted"
    assert filtered["total"] == 0


def test_not_modified_when_the_etag_matches(balkans, as_user, balkan_reviewer):
    client = as_user(balkan_reviewer)
    etag = client.get(container_url(balkans))["ETag"]
    assert client.get(container_url(balkans), HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_non_member_and_a_missing_project_are_not_found(
    desk, balkans, as_user, researcher, superuser, anon
):
    access.forget(superuser)
    # rita is a member of Main desk only; the newcomer of no project.
    assert as_user(researcher).get(container_url(balkans)).status_code == 404
    newcomer = UserFactory(username="newcomer")
    assert as_user(newcomer).get(container_url(main_desk())).status_code == 404
    missing = reverse("v1:project-annotation-list", args=[balkans.pk + 1000])
    assert as_user(superuser).get(missing).status_code == 404
    assert anon.get(container_url(balkans)).status_code == 401


def test_a_superuser_reads_every_projects_container(balkans, as_user, superuser):
    access.forget(superuser)  # the user object outlives the tests of this module
    body = json.loads(as_user(superuser).get(container_url(balkans)).content)
    assert body["total"] == 3


def test_answers_pass_the_w3c_validator_and_expand(
    balkans, as_user, balkan_reviewer, conformance_dir, tmp_path
):
    client = as_user(balkan_reviewer)
    documents = [
        client.get(container_url(balkans)).content,
        client.get(container_url(balkans) + "?page=1").content,
        client.get(container_url(balkans), HTTP_PREFER=MINIMAL).content,
    ]
    validate_webanno(conformance_dir, tmp_path, *documents)
    expanded = json.dumps(expand(conformance_dir, json.loads(documents[0])))
    assert "http://www.w3.org/ns/ldp#BasicContainer" in expanded


def queries_for(client, user, url, **headers) -> int:
    """The queries of one request, the user's memberships read afresh as in a real
    request (the test's user object keeps them between requests)."""
    access.forget(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, **headers).status_code == 200
    return len(captured)


@pytest.mark.parametrize("prefer", [None, IRIS, MINIMAL])
def test_queries_do_not_grow_with_the_claims(
    desk, balkans, as_user, balkan_reviewer, researcher, prefer
):
    client = as_user(balkan_reviewer)
    headers = {"HTTP_PREFER": prefer} if prefer else {}
    more = dict(
        article=balkans.article,
        author=researcher,
        reviewer=balkan_reviewer,
        claimant=desk.rama,
        actors=[(desk.iran, "accused")],
        sources=[(desk.outlet, "p")],
    )
    bulk_approved(10, **more)
    few = queries_for(client, balkan_reviewer, container_url(balkans), **headers)
    bulk_approved(20, **more)
    assert queries_for(client, balkan_reviewer, container_url(balkans), **headers) == few
