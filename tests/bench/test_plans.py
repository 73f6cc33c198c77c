"""The benchmark reads the plans of a request's queries: the costliest one's top node and
every sequential scan of a large table."""

import pytest
from django.db import connection

from bench.plans import Plans, describe, request_plans, sequential_scans
from tests.factories import UserFactory, make_claim

PLAN = {
    "Node Type": "Limit",
    "Total Cost": 12.5,
    "Plans": [
        {
            "Node Type": "Nested Loop",
            "Plans": [
                {
                    "Node Type": "Index Scan",
                    "Relation Name": "annotations_claim",
                    "Index Name": "claim_project_created_idx",
                },
                {"Node Type": "Seq Scan", "Relation Name": "annotations_review"},
                {"Node Type": "Seq Scan", "Relation Name": "projects_project"},
            ],
        }
    ],
}


def test_top_node_names_the_first_table_read_and_its_index():
    assert describe(PLAN) == (
        "Limit ← Index Scan on annotations_claim using claim_project_created_idx"
    )
    assert describe({"Node Type": "Seq Scan", "Relation Name": "annotations_claim"}) == (
        "Seq Scan on annotations_claim"
    )


def test_only_scans_of_large_tables_count():
    assert sequential_scans(PLAN) == {"annotations_review"}


def test_plans_of_two_requests_add_up():
    one = Plans(queries=3, costliest="a", cost=5.0, scans=["annotations_claim"], explained=True)
    two = Plans(queries=4, costliest="b", cost=9.0, scans=["annotations_review"])
    both = one.add(two)
    assert (both.queries, both.costliest, both.explained) == (7, "b", True)
    assert both.scans == ["annotations_claim", "annotations_review"]


@pytest.mark.django_db
def test_a_request_is_counted_and_on_postgresql_explained(client):
    user = UserFactory(roles=["researcher"])
    claim = make_claim(author=user)
    client.force_login(user)
    plans = request_plans(client, f"/claims/{claim.pk}/")
    assert plans.queries > 0
    assert plans.explained == (connection.vendor == "postgresql")
    if plans.explained:
        assert plans.costliest
        assert all(name.startswith(("annotations_", "articles_")) for name in plans.scans)
