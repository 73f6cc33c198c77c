"""Actor services: creating and changing actors, their aliases, parent and Wikidata id."""

import pytest

from annotations.models import Actor, ActorAlias, ActorKind
from annotations.services.actors import actor_create, actor_update
from claimdesk.errors import DuplicateEntry, InvalidInput, NotAllowed


def alias_names(actor):
    return sorted(actor.aliases.values_list("name", flat=True))


def test_researcher_creates_actor_with_aliases_and_parent(researcher, actors):
    actor = actor_create(
        user=researcher,
        name="  Islamic Revolutionary   Guard Corps ",
        kind=ActorKind.ORGANISATION,
        aliases=["IRGC", "", "  the Guards ", "irgc", "Islamic Revolutionary Guard Corps"],
        wikidata_id="q271110",
        parent_id=actors.iran.pk,
        description="A branch of Iran's armed forces.",
    )
    actor.refresh_from_db()
    assert actor.name == "Islamic Revolutionary Guard Corps"
    assert actor.folded == "islamic revolutionary guard corps"
    assert actor.wikidata_id == "Q271110"
    assert actor.parent == actors.iran
    # Blank lines, repeats (after folding) and the actor's own name are not aliases.
    assert alias_names(actor) == ["IRGC", "the Guards"]
    assert ActorAlias.objects.get(actor=actor, name="the Guards").folded == "the guards"


def test_command_without_user_may_create(db):
    actor = actor_create(user=None, name="Microsoft", kind=ActorKind.ORGANISATION)
    assert actor.pk is not None


@pytest.mark.parametrize("role_fixture", ["reader", "reviewer"])
def test_only_researchers_and_editors_create_actors(request, role_fixture):
    user = request.getfixturevalue(role_fixture)
    with pytest.raises(NotAllowed):
        actor_create(user=user, name="FBI", kind=ActorKind.ORGANISATION)
    assert not Actor.objects.filter(name="FBI").exists()


def test_editor_creates_actor(editor):
    assert actor_create(user=editor, name="FBI", kind=ActorKind.ORGANISATION).pk


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"name": "   "}, "name", "required"),
        ({"name": "???"}, "name", "invalid"),
        ({"kind": "planet"}, "kind", "invalid_choice"),
        ({"wikidata_id": "Q12a"}, "wikidata_id", "wikidata_id"),
        ({"wikidata_id": "12"}, "wikidata_id", "wikidata_id"),
        ({"wikidata_id": "Q0"}, "wikidata_id", "wikidata_id"),
        ({"parent_id": 10**9}, "parent", "does_not_exist"),
        ({"aliases": "Tehran"}, "aliases", "invalid"),
        ({"aliases": ["x" * 301]}, "aliases", "invalid"),
    ],
)
def test_create_refuses_bad_input_naming_the_field(editor, fields, field, code):
    arguments = {"name": "Hezbollah", "kind": ActorKind.GROUP, **fields}
    with pytest.raises(InvalidInput) as caught:
        actor_create(user=editor, **arguments)
    assert caught.value.errors[0]["field"] == field
    assert caught.value.errors[0]["code"] == code
    assert not Actor.objects.filter(name="Hezbollah").exists()


def test_wikidata_id_taken_by_another_actor_is_a_duplicate(editor, actors):
    actor_update(user=editor, actor_id=actors.iran.pk, wikidata_id="Q794")
    with pytest.raises(DuplicateEntry) as caught:
        actor_create(user=editor, name="Persia", kind=ActorKind.STATE, wikidata_id="Q794")
    assert caught.value.code == "duplicate"
    assert caught.value.field == "wikidata_id"
    assert caught.value.existing == actors.iran
    assert "Iran" in caught.value.detail


def test_editor_updates_fields_and_replaces_aliases(editor, actors):
    actor = actor_update(
        user=editor,
        actor_id=actors.united_states.pk,
        name="United States of America",
        kind=ActorKind.STATE,
        description="Federal republic.",
        wikidata_id="Q30",
        aliases=["Washington", "the US", "USA"],
    )
    actor.refresh_from_db()
    assert (actor.name, actor.folded, actor.wikidata_id, actor.description) == (
        "United States of America",
        "united states of america",
        "Q30",
        "Federal republic.",
    )
    assert alias_names(actor) == ["USA", "Washington", "the US"]

    actor_update(user=editor, actor_id=actor.pk, aliases=["Washington"])
    assert alias_names(actor) == ["Washington"]


def test_renaming_to_an_alias_drops_that_alias(editor, actors):
    actor_update(user=editor, actor_id=actors.iran.pk, name="Tehran")
    assert alias_names(actors.iran) == ["the Iranian state"]


def test_update_can_clear_the_parent(editor, actors):
    actor_update(user=editor, actor_id=actors.ministry.pk, parent_id=None)
    actors.ministry.refresh_from_db()
    assert actors.ministry.parent is None


@pytest.mark.parametrize("role_fixture", ["researcher", "reviewer", "reader"])
def test_only_editors_update_actors(request, role_fixture, actors):
    user = request.getfixturevalue(role_fixture)
    with pytest.raises(NotAllowed):
        actor_update(user=user, actor_id=actors.iran.pk, name="Persia")
    actors.iran.refresh_from_db()
    assert actors.iran.name == "Iran"


def test_update_refuses_unknown_fields(editor, actors):
    with pytest.raises(TypeError):
        actor_update(user=editor, actor_id=actors.iran.pk, folded="persia")


def test_actor_cannot_be_its_own_parent(editor, actors):
    with pytest.raises(InvalidInput) as caught:
        actor_update(user=editor, actor_id=actors.iran.pk, parent_id=actors.iran.pk)
    assert caught.value.errors[0] == {
        "field": "parent",
        "code": "parent_cycle",
        "detail": caught.value.detail,
    }


def test_parent_cycle_through_descendants_is_refused(editor, actors):
    unit = actor_create(
        user=editor, name="Unit 42", kind=ActorKind.GROUP, parent_id=actors.ministry.pk
    )
    with pytest.raises(InvalidInput) as caught:
        actor_update(user=editor, actor_id=actors.iran.pk, parent_id=unit.pk)
    assert caught.value.errors[0]["code"] == "parent_cycle"
    actors.iran.refresh_from_db()
    assert actors.iran.parent is None
