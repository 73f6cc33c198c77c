"""Claim filters on the claim list, the annotation container and the export."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def listed(client, query: str) -> set[int]:
    response = client.get(reverse("v1:claim-list") + "?page_size=200&" + query)
    assert response.status_code == 200, response.json()
    return {claim["id"] for claim in response.json()["results"]}


VALID = [
    ("status=approved", {"approved", "sanctions"}),
    ("status=approved&status=draft", {"approved", "sanctions", "draft"}),
    (
        "article={article}",
        {"draft", "submitted", "approved", "sanctions", "changes_requested", "rejected"},
    ),
    ("actor={iran}", {"draft", "submitted", "approved", "changes_requested", "rejected"}),
    ("actor={iran}&role=denier", {"submitted"}),
    ("actor={ministry}", {"sanctions"}),
    ("role=target", {"draft", "submitted", "approved", "changes_requested", "rejected"}),
    ("claimant={rama}", {"draft", "approved", "changes_requested", "rejected"}),
    ("source={report}", {"draft", "approved", "changes_requested", "rejected"}),
    ("certainty=denied", {"submitted"}),
    ("certainty=confirmed&certainty=denied", {"submitted", "sanctions"}),
    ("anchor_state=orphaned", set()),
    ("anchor_state=anchored&status=submitted", {"submitted"}),
    ("created_after=2100-01-01T00:00:00Z", set()),
    ("created_before=2100-01-01T00:00:00Z&status=rejected", {"rejected"}),
    (
        "reviewed_after=2000-01-01T00:00:00Z",
        {"approved", "sanctions", "changes_requested", "rejected"},
    ),
    ("q=sanctioned", {"sanctions"}),
    ("q=denies", {"submitted"}),
]


@pytest.mark.parametrize("few", [2000, 0], ids=["by ids", "by subquery"])
@pytest.mark.parametrize(("query", "expected"), VALID, ids=[q for q, _ in VALID])
def test_each_filter_selects_its_claims(
    desk, as_user, researcher, query, expected, few, monkeypatch
):
    # An actor of few claims (by the kept counts) is filtered by ids, one of many by a
    # subquery: both select the same claims.
    monkeypatch.setattr("annotations.filters.FEW_CLAIMS", few)
    values = {
        "article": desk.article.pk,
        "iran": desk.iran.pk,
        "ministry": desk.ministry.pk,
        "rama": desk.rama.pk,
        "report": desk.report.pk,
    }
    found = listed(as_user(researcher), query.format(**values))
    assert found == {desk.claims[name].pk for name in expected}


def test_filters_never_reveal_someone_elses_draft(desk, as_user, researcher):
    found = listed(as_user(researcher), "status=draft")
    assert found == {desk.claims["draft"].pk}


INVALID = [
    ("status", "published"),
    ("article", "abc"),
    ("article", "1" + "0" * 30),
    ("project", "desk"),
    ("actor", "Iran"),
    ("claimant", str(2**40)),
    ("claimant", "1" + "0" * 30),
    ("role", "villain"),
    ("source", "-1"),
    ("certainty", "maybe"),
    ("anchor_state", "lost"),
    ("created_after", "yesterday"),
    ("created_before", "2022-13-45"),
    ("reviewed_after", "not-a-date"),
    ("q", "nul\x00byte"),
]
ENDPOINTS = {
    "claims": ("v1:claim-list", ""),
    "annotations": ("v1:annotation-list", ""),
    "export": ("v1:export-claims", "format=jsonl&"),
}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(("field", "value"), INVALID, ids=[f"{f}={v!r}" for f, v in INVALID])
def test_invalid_filter_value_is_a_400_naming_the_field(
    desk, as_user, researcher, endpoint, field, value
):
    name, prefix = ENDPOINTS[endpoint]
    response = as_user(researcher).get(reverse(name) + "?" + prefix + urlencode({field: value}))
    assert response.status_code == 400
    body = json.loads(response.content)
    if "\x00" not in value:  # a NUL byte is refused before the view, with its own code
        assert body["code"] == "invalid"
    assert body["errors"][0]["field"] == field
    assert body["errors"][0]["detail"]


@pytest.mark.parametrize("field", ["article", "project"])
def test_an_unknown_article_or_project_lists_nothing_as_another_projects_would(
    desk, as_user, researcher, field
):
    """Ids of scoped rows are not looked up: an id never used and an id of another
    project both list nothing, so the answer does not tell them apart."""
    assert listed(as_user(researcher), f"{field}={2**40}") == set()
