"""The actor and source pages read kept counts and walk their lists through indexes: they
show what a fresh count of the claims the user may see shows (drafts their author's
only, other desks' claims never), page through every claim once, and say when a count
stops at its limit."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from django.urls import reverse

from annotations.models import ActorRole, Certainty, Claim, ClaimActor, ClaimStatus
from annotations.selectors import registry_claims
from annotations.selectors.claims import claims_visible_to
from projects.models import Project
from tests.annotations.registry.conftest import ACCUSATION, DENIAL, SANCTIONS, add_claim
from tests.factories import ArticleFactory, SourceFactory

STATUSES = list(ClaimStatus.values)


@pytest.fixture
def source(db):
    return SourceFactory(name="Foreign Policy")


@pytest.fixture
def desk_claims(actors, researcher, other_researcher, source):
    """Forty claims of Main desk among the example's actors, in every status, some drafts
    of each researcher, and claims of another desk that no member of Main desk sees."""
    rng = random.Random(7)
    cast = [actors.iran, actors.rama, actors.albania, actors.united_states, actors.ministry]
    other_desk = Project.objects.create(name="Elsewhere", slug="elsewhere")
    articles = [ArticleFactory(), ArticleFactory(project=other_desk)]
    for i in range(48):
        claimant = rng.choice(cast)
        named = rng.sample(cast, 3)
        links = [(named[0], ActorRole.ACCUSED), (named[1], rng.choice(ActorRole.values))]
        if i % 5 == 0:
            links.append((claimant, ActorRole.DENIER))
        add_claim(
            author=(researcher, other_researcher)[i % 2],
            article=articles[1 if i % 8 == 7 else 0],
            claimant=claimant,
            exact=(ACCUSATION, DENIAL, SANCTIONS)[i % 3],
            status=rng.choice(STATUSES),
            certainty=rng.choice(Certainty.values),
            actors=list(dict.fromkeys(links)),
            sources=[(source, f"p. {i}"), (source, "")][: 1 + i % 2] if i % 3 else [],
        )


def _reference(user, actor):
    """What the page showed when it counted every claim afresh."""
    visible = claims_visible_to(user)
    involved = visible.filter(pk__in=Claim.objects.filter(claimant=actor).values("pk")) | (
        visible.filter(actor_links__actor=actor)
    )
    involved = visible.filter(pk__in=involved.values("pk"))
    links = ClaimActor.objects.filter(actor=actor, claim__in=visible)
    pairs = Counter(
        (link.claim.claimant.name, link.actor.name)
        for link in ClaimActor.objects.filter(
            role=ActorRole.ACCUSED, claim__in=involved
        ).select_related("claim__claimant", "actor")
        if actor.pk in (link.claim.claimant_id, link.actor_id)
    )
    return {
        "status_counts": dict(Counter(involved.values_list("status", flat=True))),
        "role_counts": {
            "claimant": visible.filter(claimant=actor).count(),
            **{role: links.filter(role=role).count() for role in ActorRole.values},
        },
        "pairs": dict(pairs),
        "made": list(visible.filter(claimant=actor).order_by("-pk").values_list("pk", flat=True)),
        "about": list(
            involved.filter(actor_links__actor=actor)
            .distinct()
            .order_by("-pk")
            .values_list("pk", flat=True)
        ),
        "denials": list(
            visible.filter(
                pk__in=(
                    visible.filter(claimant=actor, certainty=Certainty.DENIED)
                    | visible.filter(actor_links__actor=actor, actor_links__role="denier")
                ).values("pk")
            )
            .order_by("-pk")
            .values_list("pk", flat=True)
        ),
    }


def _walk(client, url, name):
    """Every claim of the list `name`, following its "next" links, then back again."""
    seen, response = [], client.get(url)
    pages = [response.context[name]]
    while pages[-1].next_query:
        pages.append(client.get(url + pages[-1].next_query).context[name])
    seen = [claim.pk for page in pages for claim in page]
    back = pages[-1]
    backwards = [[claim.pk for claim in back]]
    while back.previous_query:
        back = client.get(url + back.previous_query).context[name]
        backwards.append([claim.pk for claim in back])
    assert [pk for page in reversed(backwards) for pk in page] == seen
    return seen, pages[0]


@pytest.mark.parametrize("who", ["researcher", "other_researcher", "reader", "superuser"])
def test_actor_pages_show_what_a_fresh_count_shows(
    request, client, actors, desk_claims, who, monkeypatch
):
    monkeypatch.setattr("annotations.views.registry.CLAIMS_PAGE_SIZE", 4)
    user = request.getfixturevalue(who)
    client.force_login(user)
    for actor in (actors.iran, actors.rama, actors.albania, actors.ministry):
        url = reverse("actor_detail", args=[actor.pk])
        expected = _reference(user, actor)
        claims = client.get(url).context["claims"]
        assert claims.status_counts == expected["status_counts"], actor
        assert claims.role_counts == expected["role_counts"], actor
        pairs = {(p["claimant"], p["accused"]): p["claims"] for p in claims.accusations}
        assert pairs == expected["pairs"], actor
        for name in ("made", "about", "denials"):
            listed, first = _walk(client, url, name)
            assert listed == expected[name], (actor, name)
            assert first.count == len(expected[name])


def test_the_source_page_lists_each_citing_claim_once_page_by_page(
    client, researcher, source, desk_claims, monkeypatch
):
    monkeypatch.setattr("annotations.views.registry.PAGE_SIZE", 3)
    client.force_login(researcher)
    url = reverse("source_detail", args=[source.pk])
    expected = list(
        claims_visible_to(researcher)
        .filter(source_links__source=source)
        .distinct()
        .order_by("-pk")
        .values_list("pk", flat=True)
    )
    listed, first = _walk(client, url, "claims")
    assert listed == expected
    assert first.count == len(expected)


def test_a_list_counted_past_its_limit_says_so(
    client, researcher, actors, source, desk_claims, monkeypatch
):
    monkeypatch.setattr(registry_claims, "COUNT_LIMIT", 2)
    client.force_login(researcher)
    page = client.get(reverse("source_detail", args=[source.pk]))
    assert page.context["claims"].count_label == "2+"
    html = page.content.decode()
    assert "(2+)" in html and 'data-testid="capped-note"' in html
    actor = client.get(reverse("actor_detail", args=[actors.iran.pk]))
    assert actor.context["denials"].count_label in ("0", "1", "2", "2+")
    # The claims made and about are counted by the kept counts, never capped.
    about = actor.context["about"]
    assert about.count > 2 and about.count_label == str(about.count)


def test_only_the_pairs_with_most_verified_claims_are_shown_past_the_limit(
    client, researcher, actors, desk_claims, monkeypatch
):
    monkeypatch.setattr(registry_claims, "PAIR_LIMIT", 1)
    client.force_login(researcher)
    response = client.get(reverse("actor_detail", args=[actors.iran.pk]))
    claims = response.context["claims"]
    assert len(claims.accusations) == 1 and claims.more_pairs
    assert 'data-testid="pairs-limited"' in response.content.decode()


def test_another_desks_source_claims_are_not_listed(client, researcher, actors):
    source = SourceFactory()
    elsewhere = Project.objects.create(name="Elsewhere", slug="elsewhere")
    add_claim(
        author=researcher,
        claimant=actors.rama,
        article=ArticleFactory(project=elsewhere),
        sources=[(source, "")],
    )
    client.force_login(researcher)
    response = client.get(reverse("source_detail", args=[source.pk]))
    assert response.context["claims"].count == 0
    assert list(response.context["claims"]) == []
