"""A container's count and page are read in one snapshot: outside a test's transaction
(as in production), PostgreSQL is asked for repeatable read before either is read."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from annotations.exports import webannotation
from annotations.services.claims import claim_submit
from annotations.services.reviews import review_decide
from tests.factories import UserFactory, make_claim


@pytest.mark.django_db(transaction=True)
def test_the_count_and_the_page_come_from_one_snapshot(monkeypatch):
    writer = UserFactory(username="snap-writer", roles=["researcher"])
    checker = UserFactory(username="snap-checker", roles=["reviewer"])
    approved = []
    for _ in range(5):
        claim = make_claim(author=writer)
        claim = claim_submit(user=writer, claim_id=claim.pk, version=claim.version)
        claim = review_decide(
            user=checker, claim_id=claim.pk, version=claim.version, decision="approve"
        )
        approved.append(claim.pk)
    monkeypatch.setattr(webannotation, "PAGE_SIZE", 2)
    client = APIClient()
    client.force_authenticate(checker)
    seen = []
    for number in (1, 2, 3):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("v1:annotation-list"), {"page": number})
        assert response.status_code == 200
        seen += [
            int(item["id"].rsplit("/", 1)[1]) for item in json.loads(response.content)["items"]
        ]
        statements = [query["sql"] for query in captured.captured_queries]
        if connection.vendor == "postgresql":
            assert any("REPEATABLE READ" in sql for sql in statements), statements
    assert seen == sorted(approved)
