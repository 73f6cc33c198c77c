"""The claim list keeps to the index made for its question, whatever the planner knows.

SQLite has no statistics until someone runs ANALYZE, which a Claimdesk on SQLite never
does; its planner then picks among indexes by their shape alone. These tests read the
plan SQLite chose for the list's main query (PostgreSQL plans by statistics, measured
at the large size in `make bench`)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plans"),
]


def plan_of_claim_query(client, url: str) -> str:
    """SQLite's plan of the request's query that selects claim rows."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    main = [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].startswith('SELECT "annotations_claim"."id"')
    ]
    assert main, "no query selected claims"
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {main[0]}")
        return " | ".join(row[-1] for row in cursor.fetchall())


def test_an_articles_claims_are_read_through_the_articles_index(desk, as_user, researcher):
    plan = plan_of_claim_query(
        as_user(researcher), reverse("v1:claim-list") + f"?article={desk.article.pk}"
    )
    assert "USING INDEX claim_article_created_idx" in plan, plan


def test_a_desks_claims_are_read_through_the_desks_index(desk, as_user, researcher):
    plan = plan_of_claim_query(
        as_user(researcher), reverse("v1:claim-list") + f"?project={desk.article.project_id}"
    )
    assert "claim_project_created_idx" in plan, plan


@pytest.mark.parametrize(
    ("sort", "index"),
    [
        ("-created", "claim_project_created_idx"),
        ("created", "claim_project_created_idx"),
        ("-modified", "claim_project_changed_idx"),
        ("-reviewed_at", "claim_project_reviewed_idx"),
        ("status", "claim_project_status_new_idx"),
    ],
)
def test_the_claims_page_reads_each_order_through_its_index(desk, client, researcher, sort, index):
    """Every order of the claims page is walked through an index of the desk's claims in
    that order: sorted afresh, a page of a large desk sorted every claim it holds."""
    client.force_login(researcher)
    plan = plan_of_claim_query(client, reverse("claim_index") + f"?sort={sort}")
    assert index in plan and "TEMP B-TREE" not in plan, plan
