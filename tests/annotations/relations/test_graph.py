"""The story graph page through the test client: actors as nodes, claims as edges (a
denial drawn as one), relations between claims, verified claims only unless asked, the
table beside it, what the user may see only, and a constant number of queries."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.selectors.graph import story_graph
from annotations.services.claims import claim_submit
from annotations.services.relations import relation_add
from annotations.services.reviews import review_decide
from tests.factories import ActorFactory, make_claim

pytestmark = pytest.mark.django_db

DENIAL = "Tehran rejected the accusation as baseless"


@pytest.fixture
def story(researcher, reviewer, article):
    iran = ActorFactory(name="Iran", kind="state", aliases=["Tehran"])
    rama = ActorFactory(name="Edi Rama")
    albania = ActorFactory(name="Albania", kind="state")
    accusation = make_claim(
        author=researcher,
        article=article,
        claimant=rama,
        actors=[(iran, "accused"), (albania, "target")],
    )
    accusation = claim_submit(user=researcher, claim_id=accusation.pk, version=1)
    accusation = review_decide(
        user=reviewer, claim_id=accusation.pk, version=accusation.version, decision="approve"
    )
    denial = make_claim(
        author=researcher,
        article=article,
        exact=DENIAL,
        statement="Iran denies attacking Albania.",
        claimant=iran,
        actors=[(albania, "target"), (iran, "denier")],
        certainty="denied",
    )
    relation_add(user=researcher, claim_id=denial.pk, kind="denies", to_claim_id=accusation.pk)
    denial = claim_submit(user=researcher, claim_id=denial.pk, version=2)
    return {
        "iran": iran,
        "rama": rama,
        "albania": albania,
        "accusation": accusation,
        "denial": denial,
    }


def graph_data(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="graph-data" type="application/json">') + len(
        '<script id="graph-data" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_the_actor_graph_draws_who_accuses_whom_and_who_denies_it(client, reviewer, story):
    client.force_login(reviewer)
    response = client.get(reverse("story_graph"), {"actor": story["iran"].pk})
    assert response.status_code == 200
    data = graph_data(response)
    names = {node["label"] for node in data["nodes"]}
    assert names == {"Iran", "Edi Rama", "Albania"}
    edges = {(e["kind"], e["source"], e["target"], e["status"]) for e in data["edges"]}
    iran, rama, albania = (f"actor-{story[k].pk}" for k in ("iran", "rama", "albania"))
    assert ("claim", rama, iran, "approved") in edges
    assert ("denial", iran, albania, "submitted") in edges
    assert ("relation", iran, rama, "submitted") in edges
    html = response.content.decode()
    assert "Showing verified (approved) claims only." in html
    # The table lists every edge; those of unverified claims start hidden.
    assert html.count("<tr data-status=") == len(data["edges"])
    rows = re.findall(r"<tr data-status=\"(\w+)\" data-edge=\"[^\"]+\"( hidden)?>", html)
    assert rows and all((status == "approved") == (not hidden) for status, hidden in rows)
    assert "cytoscape.min.js" in html


def test_all_shows_the_claims_under_review_in_the_table(client, reviewer, story):
    client.force_login(reviewer)
    html = client.get(
        reverse("story_graph"), {"actor": story["iran"].pk, "all": "1"}
    ).content.decode()
    assert "Showing every claim but rejected ones." in html
    assert 'data-status="submitted" data-edge="relation-' in html
    assert 'data-status="submitted" data-edge="relation-' in html.replace(" hidden", "")


def test_article_and_claim_graphs(client, reviewer, story):
    client.force_login(reviewer)
    by_article = graph_data(
        client.get(reverse("story_graph"), {"article": story["accusation"].article_id})
    )
    assert len(by_article["edges"]) == 4  # two claim edges, one denial, one relation
    by_claim = graph_data(client.get(reverse("story_graph"), {"claim": story["accusation"].pk}))
    assert {e["claim"] for e in by_claim["edges"]} == {
        story["accusation"].pk,
        story["denial"].pk,
    }


def test_the_graph_keeps_to_what_the_user_may_see(client, other_researcher, outsider, story):
    draft = make_claim(author=other_researcher, article=story["accusation"].article)
    client.force_login(outsider)
    assert client.get(reverse("story_graph"), {"article": draft.article_id}).status_code == 404
    assert client.get(reverse("story_graph"), {"claim": draft.pk}).status_code == 404
    assert graph_data(client.get(reverse("story_graph"), {"actor": story["iran"].pk})) == {
        "nodes": [],
        "edges": [],
    }
    assert client.get(reverse("story_graph"), {"actor": "x"}).status_code == 400
    client.logout()
    assert client.get(reverse("story_graph"), {"actor": story["iran"].pk}).status_code == 302


def test_without_a_subject_the_page_explains_itself(client, reviewer):
    client.force_login(reviewer)
    html = client.get(reverse("story_graph")).content.decode()
    assert "Open one from an actor" in html


def test_the_graph_reads_the_same_queries_when_claims_and_relations_double(researcher, story):
    iran, article = story["iran"], story["accusation"].article

    def grow():
        for _ in range(3):
            claim = make_claim(
                author=researcher,
                article=article,
                claimant=iran,
                actors=[(story["rama"], "target")],
            )
            relation_add(
                user=researcher, claim_id=claim.pk, kind="repeats", to_claim_id=story["denial"].pk
            )

    drawn = []

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            graph = story_graph(researcher, actor_ids=[iran.pk], include_unreviewed=True)
        drawn.append(len(graph.edges))
        return len(captured)

    grow()
    few = count()
    grow()
    assert count() == few
    assert drawn[1] > drawn[0]


def test_an_actors_graph_draws_its_newest_claims_up_to_the_limit(monkeypatch, researcher, story):
    """Found through the actor's own indexes (as claimant, linked in a role), newest
    first, capped: the claims that do not name the actor are never among them."""
    from annotations.selectors import graph as graph_module

    iran, article = story["iran"], story["accusation"].article
    make_claim(author=researcher, article=article, claimant=story["rama"])  # names no Iran
    as_linked = make_claim(
        author=researcher, article=article, claimant=story["rama"], actors=[(iran, "accused")]
    )
    as_claimant = make_claim(
        author=researcher, article=article, claimant=iran, actors=[(story["albania"], "target")]
    )
    make_claim(author=researcher, article=article, claimant=story["albania"])  # nor this
    monkeypatch.setattr(graph_module, "GRAPH_LIMIT", 2)
    graph = story_graph(researcher, actor_ids=[iran.pk], include_unreviewed=True)
    assert graph.truncated and graph.claims == 2
    assert {edge["claim"] for edge in graph.edges} == {as_linked.pk, as_claimant.pk}
    monkeypatch.setattr(graph_module, "GRAPH_LIMIT", 10)
    graph = story_graph(researcher, actor_ids=[iran.pk], include_unreviewed=True)
    assert not graph.truncated
    assert {edge["claim"] for edge in graph.edges} == {
        as_linked.pk,
        as_claimant.pk,
        story["accusation"].pk,
        story["denial"].pk,
    }
