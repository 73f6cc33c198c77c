"""The story graph: who accuses whom, and who denies it, as nodes and edges.

Actors are the nodes; claims are the edges, from the claimant to each actor the claim
accuses or targets (a claim that names neither runs to the other actors it names), and
a relation between two claims (this denial denies that accusation) is an edge from the
one claim's claimant to the other's. A graph is drawn for one actor (the claims they
make or are named in; with `include_children`, its parts' too), one article, or one
claim and the claims related to it.

Verified (approved) claims only by default; with `include_unreviewed`, claims in draft
(the user's own), under review or sent back for changes too. Rejected claims are never
drawn. Every edge says its claim's status and certainty, so a page can tell them apart.
At most `GRAPH_LIMIT` claims (the newest), read in a few queries whatever the size: an
actor's claims are found by walking its indexes newest first (as its page does,
`annotations.selectors.registry_claims`), not by testing every claim of the desk
against the 200,000 links an actor like Iran has at the large benchmark size.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet

from annotations.models import ActorRole, Certainty, Claim, ClaimActor, ClaimRelation, ClaimStatus
from annotations.selectors.claims import claims_visible_to
from annotations.selectors.registry_claims import naming_streams, newest_ids

GRAPH_LIMIT = 300

# The roles a claim's edge runs to: whom it accuses, whom it says was attacked.
EDGE_ROLES = (ActorRole.ACCUSED, ActorRole.TARGET)
UNREVIEWED = (ClaimStatus.DRAFT, ClaimStatus.SUBMITTED, ClaimStatus.CHANGES_REQUESTED)


@dataclass
class StoryGraph:
    nodes: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    claims: int = 0  # how many claims it draws
    truncated: bool = False  # more claims matched than `GRAPH_LIMIT`

    def as_data(self) -> dict:
        return {"nodes": self.nodes, "edges": self.edges}


def graph_claims(
    user,
    *,
    actor_ids: list[int] | None = None,
    article_id: int | None = None,
    claim_id: int | None = None,
    include_unreviewed: bool = False,
) -> QuerySet[Claim]:
    """The claims a graph draws, newest first (see the module's docstring)."""
    statuses = [ClaimStatus.APPROVED, *(UNREVIEWED if include_unreviewed else ())]
    claims = claims_visible_to(user).filter(status__in=statuses)
    if article_id is not None:
        claims = claims.filter(article_id=article_id)
    if claim_id is not None:
        out = ClaimRelation.objects.filter(from_claim_id=claim_id, to_claim=OuterRef("pk"))
        into = ClaimRelation.objects.filter(to_claim_id=claim_id, from_claim=OuterRef("pk"))
        claims = claims.filter(Q(pk=claim_id) | Exists(out) | Exists(into))
    if actor_ids:
        # Last, so that the newest claims taken are those of the other scopes too.
        ids = newest_ids(naming_streams(claims, actor_ids), limit=GRAPH_LIMIT + 1)
        claims = claims.filter(pk__in=ids)
    return claims.order_by("-created", "-id")


def story_graph(user, **scope) -> StoryGraph:
    """The graph of the claims `graph_claims(user, **scope)` selects."""
    rows = list(
        graph_claims(user, **scope).values(
            "pk",
            "statement",
            "status",
            "certainty",
            "claimant_id",
            "claimant__name",
            "claimant__kind",
        )[: GRAPH_LIMIT + 1]
    )
    graph = StoryGraph(truncated=len(rows) > GRAPH_LIMIT)
    rows = rows[:GRAPH_LIMIT]
    graph.claims = len(rows)
    if not rows:
        return graph
    claims = {row["pk"]: row for row in rows}
    actors: dict[int, dict] = {}

    def node(actor_id: int, name: str, kind: str, status: str) -> str:
        if actor_id not in actors:
            actors[actor_id] = {
                "id": f"actor-{actor_id}",
                "actor": actor_id,
                "label": name,
                "kind": kind,
                "statuses": [],
            }
        # The statuses of the claims the actor is drawn for: a page that shows verified
        # claims only hides an actor named in none of them.
        if status not in actors[actor_id]["statuses"]:
            actors[actor_id]["statuses"].append(status)
        return actors[actor_id]["id"]

    links: dict[int, list[tuple]] = {}
    for claim_id, actor_id, name, kind, role in (
        ClaimActor.objects.filter(claim_id__in=claims)
        .order_by("claim_id", "id")
        .values_list("claim_id", "actor_id", "actor__name", "actor__kind", "role")
    ):
        links.setdefault(claim_id, []).append((actor_id, name, kind, role))

    for row in rows:
        source = node(
            row["claimant_id"], row["claimant__name"], row["claimant__kind"], row["status"]
        )
        named = links.get(row["pk"], [])
        towards = [link for link in named if link[3] in EDGE_ROLES] or named
        for actor_id, name, kind, role in towards:
            if actor_id == row["claimant_id"]:
                continue  # Iran, the denier of a charge against Iran, is its claimant too
            target = node(actor_id, name, kind, row["status"])
            graph.edges.append(_claim_edge(row, source, target, role))

    for relation_id, kind, from_id, to_id in ClaimRelation.objects.filter(
        from_claim_id__in=claims, to_claim_id__in=claims
    ).values_list("pk", "kind", "from_claim_id", "to_claim_id"):
        start, end = claims[from_id], claims[to_id]
        graph.edges.append(
            {
                "id": f"relation-{relation_id}",
                "source": f"actor-{start['claimant_id']}",
                "target": f"actor-{end['claimant_id']}",
                "claim": from_id,
                "to_claim": to_id,
                "label": kind,
                "kind": "relation",
                "relation": kind,
                "status": start["status"],
                "certainty": start["certainty"],
                "statement": start["statement"],
                "to_statement": end["statement"],
            }
        )
    graph.nodes = sorted(actors.values(), key=lambda n: (n["label"], n["actor"]))
    return graph


def _claim_edge(row: dict, source: str, target: str, role: str) -> dict:
    denial = row["certainty"] == Certainty.DENIED
    return {
        "id": f"claim-{row['pk']}-{target}",
        "source": source,
        "target": target,
        "claim": row["pk"],
        "label": f"denies ({role})" if denial else role,
        "kind": "denial" if denial else "claim",
        "role": role,
        "status": row["status"],
        "certainty": row["certainty"],
        "statement": row["statement"],
    }
