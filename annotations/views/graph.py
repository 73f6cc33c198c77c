"""The story graph page: who accuses whom, and who denies it, drawn for an actor, an
article or a claim and the claims related to it (`annotations.selectors.graph`).

The graph is drawn in the browser with Cytoscape.js (vendored under `static/vendor/`)
from data the page carries as JSON; a table of the same edges stands beside it for
screen readers and keyboards. Verified claims only unless `all=1`; the page's toggle
switches without a reload, and the same form works without JavaScript.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_GET

from annotations.idurls import IdUrl
from annotations.models import Actor, ActorRole, Certainty, ClaimStatus, RelationKind
from annotations.params import number_param
from annotations.selectors import claims_visible_to
from annotations.selectors.articles import articles_visible_to
from annotations.selectors.graph import GRAPH_LIMIT, story_graph
from annotations.services.merge_plan import descendant_ids


def _short(statement: str, limit: int = 100) -> str:
    """A statement cut to `limit` characters with an ellipsis, as `truncatechars` cuts
    it; done here because the filter, a row at a time, cost half of a 300-claim page."""
    return statement if len(statement) <= limit else f"{statement[: limit - 1]}…"


def _scope(request) -> tuple[dict, str, dict]:
    """What the graph is of (the selector's arguments), its title, and the hidden
    fields that keep it when the toggle is sent without JavaScript."""
    params = request.GET
    actor_id = number_param(params, "actor")
    article_id = number_param(params, "article")
    claim_id = number_param(params, "claim")
    if actor_id is not None:
        actor = get_object_or_404(Actor, pk=actor_id)
        family = params.get("include_children") == "1"
        ids = [actor.pk, *(descendant_ids(actor.pk) if family else [])]
        keep = {"actor": actor.pk, **({"include_children": "1"} if family else {})}
        return {"actor_ids": ids}, f"Who accuses whom around {actor.name}", keep
    if article_id is not None:
        article = get_object_or_404(articles_visible_to(request.user), pk=article_id)
        title = f"Who accuses whom in “{article.title}”"
        return {"article_id": article.pk}, title, {"article": article.pk}
    if claim_id is not None:
        claim = get_object_or_404(claims_visible_to(request.user), pk=claim_id)
        title = f"Claim {claim.pk} and the claims related to it"
        return {"claim_id": claim.pk}, title, {"claim": claim.pk}
    return {}, "Story graph", {}


@login_required
@require_GET
def story_graph_page(request):
    scope, title, keep = _scope(request)
    show_all = request.GET.get("all") == "1"
    graph = story_graph(request.user, include_unreviewed=True, **scope) if scope else None
    if graph is not None:
        actor_url, claim_url = IdUrl("actor_detail"), IdUrl("claim_detail")
        for node in graph.nodes:
            node["url"] = actor_url(node["actor"])
        for edge in graph.edges:
            edge["url"] = claim_url(edge["claim"])
    names = {node["id"]: node["label"] for node in graph.nodes} if graph else {}
    # The rows' links are the nodes' own: a `{% url %}` a row cost more than the queries.
    urls = {node["id"]: node["url"] for node in graph.nodes} if graph else {}
    statuses, certainties = dict(ClaimStatus.choices), dict(Certainty.choices)
    roles, kinds = dict(ActorRole.choices), dict(RelationKind.choices)
    rows = [
        {
            **edge,
            "from": names[edge["source"]],
            "to": names[edge["target"]],
            "short_statement": _short(edge["statement"]),
            "from_url": urls[edge["source"]],
            "to_url": urls[edge["target"]],
            "verified": edge["status"] == ClaimStatus.APPROVED,
            "status_label": statuses.get(edge["status"], edge["status"]),
            "certainty_label": certainties.get(edge["certainty"], edge["certainty"]).lower(),
            "says": (
                kinds[edge["relation"]].lower()
                if edge["kind"] == "relation"
                else f"{'denies: ' if edge['kind'] == 'denial' else ''}"
                f"{roles.get(edge['role'], edge['role']).lower()}"
            ),
        }
        for edge in (graph.edges if graph else [])
    ]
    return render(
        request,
        "annotations/graph.html",
        {
            "title": title,
            "graph": graph,
            "graph_data": graph.as_data() if graph else None,
            "rows": rows,
            "show_all": show_all,
            "keep": keep,
            "limit": GRAPH_LIMIT,
        },
    )


urlpatterns = [path("graph/", story_graph_page, name="story_graph")]
