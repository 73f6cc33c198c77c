"""What the database does for one request: the plan of every query it sends.

A page that stays flat as the desk grows reads its rows through indexes; one sequential
scan of claims, reviews or events is enough to make it grow with the desk. For each
request the benchmark counts the queries and, on PostgreSQL, asks `EXPLAIN` for each
read: the plan's top node of the costliest query is printed beside the figures, and
every sequential scan of a large table is named (the target is none). SQLite's planner
answers other questions, so plans are read on PostgreSQL only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The tables that grow with the desk fastest, by the tens of rows an article: a
# sequential scan of one of them grows with it. (Articles and their revisions grow too,
# fifty times slower; a planner may rightly scan a few thousand of them.)
LARGE_TABLES = frozenset(
    {
        "annotations_claim",
        "annotations_claimactor",
        "annotations_claimsource",
        "annotations_claimevent",
        "annotations_review",
    }
)


@dataclass
class Plans:
    """The queries of one request: how many, and on PostgreSQL what their plans do."""

    queries: int = 0
    costliest: str = ""
    cost: float = 0.0
    scans: list[str] = field(default_factory=list)
    explained: bool = False

    def add(self, other: Plans) -> Plans:
        """The plans of two requests counted as one (a figure of several requests)."""
        best = self if self.cost >= other.cost else other
        return Plans(
            queries=self.queries + other.queries,
            costliest=best.costliest,
            cost=best.cost,
            scans=sorted({*self.scans, *other.scans}),
            explained=self.explained or other.explained,
        )


def request_plans(django_client, path: str) -> Plans:
    """GET `path` with Django's test client in this process; count its queries and, on
    PostgreSQL, explain each read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = django_client.get(path)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)  # a streamed body queries as it goes
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}")
    plans = Plans(queries=len(captured))
    if connection.vendor != "postgresql":
        return plans
    plans.explained = True
    for query in captured.captured_queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        plan = explain(connection, sql)
        if plan is None:
            continue
        cost = plan.get("Total Cost", 0.0)
        if cost >= plans.cost:
            plans.cost, plans.costliest = cost, describe(plan)
        plans.scans = sorted({*plans.scans, *sequential_scans(plan)})
    return plans


def explain(connection, sql: str) -> dict | None:
    """The plan's top node of one captured query, or None when it cannot be explained
    again (a server-side cursor's query, say)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            value = cursor.fetchone()[0]
    except Exception:
        return None
    if isinstance(value, str):
        import json

        value = json.loads(value)
    return value[0]["Plan"]


def nodes(plan: dict):
    """Every node of a plan, the top first."""
    yield plan
    for child in plan.get("Plans", ()):
        yield from nodes(child)


def describe(plan: dict) -> str:
    """The top node, and the first node under it that reads a table."""
    top = plan["Node Type"]
    for node in nodes(plan):
        relation = node.get("Relation Name")
        if relation:
            index = node.get("Index Name")
            read = f"{node['Node Type']} on {relation}" + (f" using {index}" if index else "")
            return read if node is plan else f"{top} ← {read}"
    return top


def sequential_scans(plan: dict) -> set[str]:
    return {
        node["Relation Name"]
        for node in nodes(plan)
        if node["Node Type"] == "Seq Scan" and node.get("Relation Name") in LARGE_TABLES
    }
