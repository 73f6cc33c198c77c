"""Merging two actors: every link moves, nothing is lost, and each claim says so."""

import pytest

from annotations.models import (
    Actor,
    ActorAlias,
    ActorKind,
    ActorRole,
    Claim,
    ClaimActor,
    ClaimEvent,
    ClaimStatus,
    EventKind,
)
from annotations.services.actors import actor_create, actor_merge
from claimdesk.errors import InvalidInput, InvalidMerge, NotAllowed
from tests.annotations.registry.conftest import DENIAL, SANCTIONS, add_claim
from tests.factories import ActorFactory


def links_of(actor_id):
    return {
        "claimant": Claim.objects.filter(claimant_id=actor_id).count(),
        "roles": ClaimActor.objects.filter(actor_id=actor_id).count(),
        "aliases": ActorAlias.objects.filter(actor_id=actor_id).count(),
        "children": Actor.objects.filter(parent_id=actor_id).count(),
    }


@pytest.fixture
def duplicate(actors, researcher, other_researcher):
    """ "Islamic Republic of Iran": a second record of Iran, with claims of its own."""
    persia = ActorFactory(
        name="Islamic Republic of Iran",
        kind=ActorKind.STATE,
        wikidata_id="Q794",
        description="Country in Western Asia.",
        aliases=["the Islamic Republic", "Tehran", "IRI"],
    )
    cyber = ActorFactory(name="Cyber Command of the Islamic Republic", parent=persia)
    claims = {
        # Iran's other record makes a denial (a draft: merges touch private drafts too).
        "denial": add_claim(
            author=other_researcher,
            claimant=persia,
            exact=DENIAL,
            status=ClaimStatus.DRAFT,
            actors=[(persia, ActorRole.DENIER), (actors.albania, ActorRole.TARGET)],
        ),
        # Both records are accused in one claim: the link must end up there once.
        "both_accused": add_claim(
            author=researcher,
            claimant=actors.rama,
            actors=[(actors.iran, ActorRole.ACCUSED), (persia, ActorRole.ACCUSED)],
        ),
        # Same claim, different roles: both links are kept.
        "two_roles": add_claim(
            author=researcher,
            claimant=actors.united_states,
            exact=SANCTIONS,
            status=ClaimStatus.APPROVED,
            actors=[(actors.iran, ActorRole.ACCUSED), (persia, ActorRole.MENTIONED)],
        ),
        # Claims that only name the survivor are not touched.
        "survivor_only": add_claim(
            author=researcher,
            claimant=actors.rama,
            actors=[(actors.iran, ActorRole.ACCUSED)],
        ),
    }
    return persia, cyber, claims


def test_merge_moves_every_link_and_loses_nothing(editor, actors, duplicate):
    persia, cyber, claims = duplicate
    iran = actors.iran
    loser_before, survivor_before = links_of(persia.pk), links_of(iran.pk)
    assert loser_before == {"claimant": 1, "roles": 3, "aliases": 3, "children": 1}
    assert survivor_before == {"claimant": 0, "roles": 3, "aliases": 2, "children": 1}
    claims_before = Claim.objects.count()

    survivor = actor_merge(user=editor, actor_id=persia.pk, into_id=iran.pk)

    assert survivor == iran
    assert not Actor.objects.filter(pk=persia.pk).exists()
    assert links_of(persia.pk) == {"claimant": 0, "roles": 0, "aliases": 0, "children": 0}
    assert Claim.objects.count() == claims_before
    after = links_of(iran.pk)
    assert after["claimant"] == survivor_before["claimant"] + loser_before["claimant"]
    # One role link (accused twice in the same claim) collapses into the survivor's.
    assert after["roles"] == survivor_before["roles"] + loser_before["roles"] - 1
    # "Tehran" was already an alias; the loser's name becomes one.
    assert after["aliases"] == survivor_before["aliases"] + loser_before["aliases"] - 1 + 1
    assert after["children"] == survivor_before["children"] + loser_before["children"]

    assert sorted(iran.aliases.values_list("name", flat=True)) == [
        "IRI",
        "Islamic Republic of Iran",
        "Tehran",
        "the Iranian state",
        "the Islamic Republic",
    ]
    cyber.refresh_from_db()
    assert cyber.parent == iran
    assert Claim.objects.get(pk=claims["denial"].pk).claimant == iran
    assert set(
        ClaimActor.objects.filter(claim=claims["two_roles"]).values_list("actor_id", "role")
    ) == {(iran.pk, ActorRole.ACCUSED), (iran.pk, ActorRole.MENTIONED)}
    assert set(
        ClaimActor.objects.filter(claim=claims["both_accused"]).values_list("actor_id", "role")
    ) == {(iran.pk, ActorRole.ACCUSED)}
    # The survivor takes what it lacked.
    iran.refresh_from_db()
    assert (iran.wikidata_id, iran.description) == ("Q794", "Country in Western Asia.")


def test_merge_records_one_event_per_affected_claim(editor, actors, duplicate):
    persia, _, claims = duplicate
    before = {claim.pk: (claim.status, claim.version) for claim in Claim.objects.all()}

    actor_merge(user=editor, actor_id=persia.pk, into_id=actors.iran.pk)

    events = ClaimEvent.objects.filter(kind=EventKind.MERGED)
    affected = {claims["denial"].pk, claims["both_accused"].pk, claims["two_roles"].pk}
    assert sorted(events.values_list("claim_id", flat=True)) == sorted(affected)
    for event in events:
        assert event.actor == editor
        assert event.data["merged_actor"] == {"id": persia.pk, "name": "Islamic Republic of Iran"}
        assert event.data["survivor"] == {"id": actors.iran.pk, "name": "Iran"}
        # Status and version stay: the same actor is named as before.
        assert (event.from_status, event.version) == before[event.claim_id]
        assert event.to_status == event.from_status

    denial = events.get(claim_id=claims["denial"].pk)
    assert denial.data["moved"] == {"claimant": True, "roles": ["denier"], "roles_already_held": []}
    assert denial.changes["claimant"] == [persia.pk, actors.iran.pk]
    both = events.get(claim_id=claims["both_accused"].pk)
    assert both.data["moved"]["roles_already_held"] == ["accused"]
    assert both.changes["actors"] == [
        sorted([[actors.iran.pk, "accused"], [persia.pk, "accused"]]),
        [[actors.iran.pk, "accused"]],
    ]
    for claim in Claim.objects.all():
        assert (claim.status, claim.version) == before[claim.pk]


def test_merge_refuses_an_actor_into_itself(editor, actors):
    with pytest.raises(InvalidMerge) as caught:
        actor_merge(user=editor, actor_id=actors.iran.pk, into_id=actors.iran.pk)
    assert caught.value.field == "into"
    assert Actor.objects.filter(pk=actors.iran.pk).exists()


def test_merge_refuses_an_actor_into_its_own_descendant(editor, actors):
    unit = actor_create(
        user=editor, name="Unit 42", kind=ActorKind.GROUP, parent_id=actors.ministry.pk
    )
    for descendant in (actors.ministry, unit):
        with pytest.raises(InvalidMerge):
            actor_merge(user=editor, actor_id=actors.iran.pk, into_id=descendant.pk)
    assert Actor.objects.filter(pk=actors.iran.pk).exists()
    assert not ClaimEvent.objects.filter(kind=EventKind.MERGED).exists()


def test_merging_a_child_into_its_parent_is_allowed(editor, actors):
    actor_merge(user=editor, actor_id=actors.ministry.pk, into_id=actors.iran.pk)
    assert not Actor.objects.filter(pk=actors.ministry.pk).exists()
    assert actors.iran.aliases.filter(name="MOIS").exists()


def test_merge_refuses_unknown_actors(editor, actors):
    with pytest.raises(InvalidInput) as caught:
        actor_merge(user=editor, actor_id=actors.iran.pk, into_id=10**9)
    assert caught.value.errors[0]["field"] == "into"


@pytest.mark.parametrize("role_fixture", ["researcher", "reviewer", "reader"])
def test_only_editors_merge(request, role_fixture, actors):
    user = request.getfixturevalue(role_fixture)
    with pytest.raises(NotAllowed):
        actor_merge(user=user, actor_id=actors.albania.pk, into_id=actors.iran.pk)
    assert Actor.objects.filter(pk=actors.albania.pk).exists()


def test_survivor_adopts_the_losers_parent_when_it_has_none(editor, actors):
    ministry_copy = ActorFactory(name="Ministry of Intelligence")
    actor_merge(user=editor, actor_id=actors.ministry.pk, into_id=ministry_copy.pk)
    ministry_copy.refresh_from_db()
    assert ministry_copy.parent == actors.iran
    assert ministry_copy.aliases.filter(name="Iran's Ministry of Intelligence").exists()


def test_merge_bumps_the_registry_after_commit(editor, actors, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        actor_merge(user=editor, actor_id=actors.albania.pk, into_id=actors.rama.pk)
    assert len(callbacks) == 1
