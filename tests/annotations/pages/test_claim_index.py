"""The claims page: the API's claim filters as a form, sorting, paging, a bounded count,
scoped to the reader's desks; the article list's status pills lead to it."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.services.claims import claim_submit
from projects.models import Project
from tests.factories import ActorFactory, ArticleFactory, SourceFactory, UserFactory, make_claim
from tests.projects.conftest import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer():
    return UserFactory(username="writer", roles=["researcher"])


def listed(client, **params) -> list[int]:
    response = client.get(reverse("claim_index"), params)
    assert response.status_code == 200
    return [row.pk for row in response.context["rows"]]


def test_filters_sorting_and_count(client, writer, iran):
    article = ArticleFactory()
    draft = make_claim(
        author=writer,
        article=article,
        exact="Washington announced sanctions",
        statement="Ospreys nest here.",
    )
    sent = make_claim(author=writer, article=article, actors=[(iran, "accused")])
    sent = claim_submit(user=writer, claim_id=sent.pk, version=sent.version)
    client.force_login(writer)
    assert listed(client) == [sent.pk, draft.pk]
    assert listed(client, sort="created") == [draft.pk, sent.pk]
    assert listed(client, status="submitted") == [sent.pk]
    assert listed(client, actor=iran.pk) == [sent.pk]
    assert listed(client, q="ospreys") == [draft.pk]
    assert listed(client, q="Tehran") == [sent.pk]
    page = client.get(reverse("claim_index"), {"article": article.pk}).content.decode()
    assert "2 claims." in page


def test_a_bad_filter_is_shown_on_its_field(client, writer):
    make_claim(author=writer)
    client.force_login(writer)
    response = client.get(reverse("claim_index"), {"status": "published", "actor": "Iran"})
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert set(response.context["form"].errors) == {"status", "actor"}


def test_another_desks_claims_and_someone_elses_drafts_are_not_listed(client, writer):
    colleague = UserFactory(username="colleague", roles=["researcher"])
    make_claim(author=colleague)
    elsewhere = Project.objects.create(name="Balkans", slug="balkans")
    other = UserFactory(username="balkan")
    member(elsewhere, other, "researcher")
    theirs = make_claim(author=other, article=ArticleFactory(project=elsewhere))
    claim_submit(user=other, claim_id=theirs.pk, version=theirs.version)
    client.force_login(writer)
    assert listed(client) == []


def test_the_article_lists_status_pills_link_to_the_claims_page(client, writer):
    article = ArticleFactory()
    make_claim(author=writer, article=article)
    client.force_login(writer)
    page = client.get(reverse("article_list")).content.decode()
    assert f"{reverse('claim_index')}?article={article.pk}&amp;status=draft" in page


def test_the_page_reads_a_fixed_number_of_queries(client, writer, iran):
    client.force_login(writer)

    def add(n):
        for _ in range(n):
            make_claim(author=writer, actors=[(iran, "accused")])

    def count():
        with CaptureQueriesContext(connection) as captured:
            listed(client, q="Tehran")
        return len(captured)

    add(3)
    first = count()
    add(3)
    assert count() == first


def test_a_chosen_actor_is_named_and_the_actor_page_links_here(client, writer, iran):
    client.force_login(writer)
    page = client.get(reverse("claim_index"), {"actor": iran.pk}).content.decode()
    # The id from the link fills the picker's hidden field; its box shows the name.
    assert f'name="actor" value="{iran.pk}" class="picker-id"' in page
    assert re.search(r'name="actor_label"[^>]*value="Iran"', page)
    actor_page = client.get(reverse("actor_detail", args=[iran.pk])).content.decode()
    assert f"{reverse('claim_index')}?actor={iran.pk}" in actor_page
    dated = client.get(reverse("claim_index"), {"created_after": "2020-01-01T10:00"})
    assert dated.status_code == 200 and not dated.context["form"].errors


def test_actors_claimants_and_sources_are_chosen_by_name_not_id(client, writer, iran):
    """The boxes are pickers over the registry (a hidden id, a visible name); a name typed
    and sent without choosing (no script, or Enter too early) is looked up by the server:
    a name or an alias finds its actor, an unknown name is an error on its field."""
    rama = ActorFactory(name="Edi Rama", aliases=["Rama"])
    source = SourceFactory(name="Ministry statement")
    article = ArticleFactory()
    accusation = make_claim(
        author=writer,
        article=article,
        claimant=rama,
        actors=[(iran, "accused")],
        sources=[(source, "")],
    )
    other = make_claim(author=writer, article=article, exact="Washington announced sanctions")
    client.force_login(writer)
    page = client.get(reverse("claim_index")).content.decode()
    for field in ("actor", "claimant", "source"):
        assert f'<label for="id_{field}_label">' in page
        assert f'id="id_{field}_label" class="picker-input"' in page
    assert "claim_filters.js" in page
    assert listed(client, actor_label="Tehran") == [accusation.pk]
    assert listed(client, claimant_label="rama") == [accusation.pk]
    assert listed(client, source_label="ministry statement") == [accusation.pk]
    # A chosen id wins over the name shown beside it.
    assert listed(client, actor=iran.pk, actor_label="something else") == [accusation.pk]
    response = client.get(reverse("claim_index"), {"actor_label": "Nobody at all"})
    assert response.context["rows"] == []
    assert "No actor is named “Nobody at all”." in response.content.decode()
    assert set(response.context["form"].errors) == {"actor"}
    assert other.pk in listed(client)
