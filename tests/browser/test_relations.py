"""Relations in real Chromium: a researcher records from the claim form, with the
keyboard and the mouse, that Tehran's denial denies Rama's accusation; the reviewer
sees both claims side by side; the story graph of the demo draws its nodes and edges
without a console error, and its toggle changes what it shows."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from annotations.models import Actor, ClaimRelation
from annotations.roles import sync_role_groups
from annotations.services.claims import claim_submit
from annotations.services.reviews import review_decide
from tests.factories import ActorFactory, ArticleFactory, UserFactory, make_claim

DENIAL = "Tehran rejected the accusation as baseless"


@pytest.fixture
def people(transactional_db):
    sync_role_groups()  # an earlier transactional test's flush may have removed them
    return {
        "author": UserFactory(username="rita", roles=["researcher"]),
        "reviewer": UserFactory(username="vera", roles=["reviewer"]),
    }


@pytest.fixture
def story(people):
    article = ArticleFactory(title="Albania cuts ties with Iran")
    iran = ActorFactory(name="Iran", kind="state", aliases=["Tehran", "the Iranian state"])
    rama = ActorFactory(name="Edi Rama")
    albania = ActorFactory(name="Albania", kind="state")
    author, reviewer = people["author"], people["reviewer"]
    accusation = make_claim(
        author=author,
        article=article,
        statement="The Iranian state carried out the July cyberattacks on Albania.",
        claimant=rama,
        actors=[(iran, "accused"), (albania, "target")],
    )
    accusation = claim_submit(user=author, claim_id=accusation.pk, version=1)
    accusation = review_decide(
        user=reviewer, claim_id=accusation.pk, version=accusation.version, decision="approve"
    )
    denial = make_claim(
        author=author,
        article=article,
        exact=DENIAL,
        statement="Iran denies attacking Albania.",
        claimant=iran,
        actors=[(albania, "target")],
        certainty="denied",
    )
    return {"accusation": accusation, "denial": denial}


def console_errors(page) -> list[str]:
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    return errors


def test_a_researcher_records_a_denial_from_the_claim_form_and_the_reviewer_sees_both(
    page, login, people, story
):
    accusation, denial = story["accusation"], story["denial"]
    errors = console_errors(page)
    login(people["author"])
    page.goto(f"/claims/{denial.pk}/edit/")

    # The mouse adds a row; the keyboard finds the accusation through an alias of Iran.
    page.get_by_role("button", name="+ Add relation").click()
    row = page.locator(".relation-row").last
    picker = row.locator(".picker-input")
    expect(picker).to_be_focused()
    page.keyboard.type("Tehran")
    option = row.get_by_role("option", name=re.compile("July cyberattacks"))
    expect(option.first).to_be_visible()
    expect(option.first).to_contain_text("same article")
    page.keyboard.press("Enter")
    expect(picker).to_have_value(accusation.statement)
    expect(row.locator("input[name=relation_claim]")).to_have_value(str(accusation.pk))
    page.keyboard.press("Shift+Tab")
    kind = row.locator("select[name=relation_kind]")
    expect(kind).to_be_focused()
    kind.select_option("denies")
    page.get_by_role("button", name="Save and submit").click()
    page.wait_for_url(re.compile(rf"/claims/{denial.pk}/$"))

    expect(page.get_by_test_id("claim-status")).to_have_text("Submitted")
    relations = page.get_by_test_id("relations")
    expect(relations).to_contain_text("Denies")
    expect(relations).to_contain_text(accusation.statement)
    relation = ClaimRelation.objects.get()
    assert (relation.from_claim_id, relation.kind, relation.to_claim_id) == (
        denial.pk,
        "denies",
        accusation.pk,
    )

    # The reviewer reads the denial beside the accusation it denies.
    page.get_by_role("button", name="Log out").click()
    login(people["reviewer"])
    page.goto("/review/")
    item = page.locator(f"#claim-{denial.pk}")
    expect(item).to_contain_text("Iran denies attacking Albania.")
    related = item.get_by_test_id("review-related")
    expect(related).to_contain_text("Denies")
    expect(related).to_contain_text(accusation.statement)
    expect(related).to_contain_text(accusation.exact)
    # And the accusation's page says who denies it.
    page.goto(f"/claims/{accusation.pk}/")
    expect(page.get_by_test_id("relations")).to_contain_text("Denied by")
    expect(page.get_by_test_id("relations")).to_contain_text("Iran denies attacking Albania.")
    assert page.js_errors == [] and errors == []


def test_the_demo_story_graph_draws_and_its_toggle_changes_it(page, login, transactional_db):
    sync_role_groups()
    call_command("seed_demo", stdout=io.StringIO())
    errors = console_errors(page)
    login(get_user_model().objects.get(username="vera"), password="claimdesk-demo")
    iran = Actor.objects.get(name="Iran")
    # The demo's denial denies the accusation.
    assert ClaimRelation.objects.filter(
        from_claim__statement__startswith="Iran denies carrying out", kind="denies"
    ).exists()

    page.goto(f"/graph/?actor={iran.pk}")
    graph = page.get_by_test_id("story-graph")
    expect(graph).to_have_attribute("data-nodes", re.compile(r"^[1-9]\d*$"))
    verified = (int(graph.get_attribute("data-nodes")), int(graph.get_attribute("data-edges")))
    assert verified[0] >= 3 and verified[1] >= 2  # Rama accuses Iran, targets Albania
    canvas = graph.locator("canvas")
    expect(canvas.first).to_be_visible()
    table = page.get_by_test_id("graph-table")
    expect(table.locator("tr[data-status=approved]").first).to_be_visible()
    expect(table.locator("tr[data-status=submitted]").first).to_be_hidden()

    # The toggle, with the mouse: claims under review join, the denial among them.
    page.get_by_label("Include claims not yet verified").click()
    expect(graph).not_to_have_attribute("data-edges", str(verified[1]))
    everything = (int(graph.get_attribute("data-nodes")), int(graph.get_attribute("data-edges")))
    assert everything[0] > verified[0] and everything[1] > verified[1]
    expect(table.locator("tr[data-status=submitted]").first).to_be_visible()
    expect(table).to_contain_text("denies")
    data = page.evaluate(
        "() => ({nodes: window.storyGraph.nodes(':visible').length,"
        " edges: window.storyGraph.edges(':visible').length,"
        " relations: window.storyGraph.edges('.relation:visible').length})"
    )
    assert (data["nodes"], data["edges"]) == everything
    assert data["relations"] >= 1  # Tehran's denial denies Rama's accusation
    assert "all=1" in page.url

    # ...and back with the keyboard.
    page.get_by_label("Include claims not yet verified").press("Space")
    expect(graph).to_have_attribute("data-edges", str(verified[1]))
    assert int(graph.get_attribute("data-nodes")) == verified[0]
    assert page.js_errors == [] and errors == []
