"""Reads of the registry: alias search, likely duplicates, the mention index, suggestions.

Speed is not asserted here: `bench/mentions_bench.py` times the index on a text of
100,000 characters against 5,000 actors (three names each).
"""

import pytest

from annotations import mention_cache
from annotations.mention_cache import mention_index
from annotations.models import Actor, ActorAlias, ActorKind
from annotations.selectors.actors import actor_search, resolve_actor, suggest_actors
from annotations.selectors.duplicates import likely_duplicates
from annotations.services.actors import actor_create, actor_update
from tests.factories import ARTICLE_TEXT, ActorFactory


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Tehran", "Iran"),
        ("the iranian STATE", "Iran"),
        ("washington", "United States"),
        ("Tirana", "Albania"),
        ("Tiranë", "Albania"),
        ("TIRANE", "Albania"),
        ("mois", "Iran's Ministry of Intelligence"),
        ("Iran\u2019s ministry", "Iran's Ministry of Intelligence"),
        ("wash", "United States"),
        ("republic", None),
    ],
)
def test_search_finds_actors_by_name_or_alias_folded(actors, query, expected):
    ActorAlias.objects.create(actor=actors.albania, name="Tirana")
    assert [actor.name for actor in actor_search(query)][:1] == ([expected] if expected else [])


def test_search_matches_word_starts_exact_names_first(actors):
    persia = ActorFactory(name="Islamic Republic of Iran")
    ActorFactory(name="Tiranian Club")  # "iran" inside a word is not a match
    names = [actor.name for actor in actor_search("iran")]
    assert names == ["Iran", "Iran's Ministry of Intelligence", persia.name]


def test_search_filters_by_kind(actors):
    assert [actor.name for actor in actor_search("", kind=ActorKind.PERSON)] == ["Edi Rama"]


def test_resolve_actor_by_id_wikidata_name_or_alias(actors):
    actors.iran.wikidata_id = "Q794"
    actors.iran.save()
    for reference in (str(actors.iran.pk), "q794", "IRAN", "Tehran"):
        assert resolve_actor(reference) == actors.iran
    ActorFactory(name="iran")
    with pytest.raises(Actor.MultipleObjectsReturned):
        resolve_actor("Iran")
    with pytest.raises(Actor.DoesNotExist):
        resolve_actor("Atlantis")


def test_likely_duplicates_by_folded_name_and_by_alias(actors):
    copy = ActorFactory(name="  ALBANIA ")  # saved as typed, as a write around the services is
    accented = ActorFactory(name="Albanìa")
    tehran_city = ActorFactory(name="Tehran", kind=ActorKind.OTHER)
    ActorFactory(name="Unrelated")

    groups = likely_duplicates()

    same_name = [group for group in groups if group.reason == "same_name"]
    assert [(group.folded, {a.pk for a in group.actors}) for group in same_name] == [
        ("albania", {actors.albania.pk, copy.pk, accented.pk})
    ]
    by_alias = [group for group in groups if group.reason == "alias_is_name"]
    assert [(group.alias, [a.pk for a in group.actors]) for group in by_alias] == [
        ("Tehran", [actors.iran.pk, tehran_city.pk])
    ]


def test_likely_duplicates_use_a_fixed_number_of_queries(actors, django_assert_num_queries):
    for n in range(5):
        ActorFactory(name=f"Copy {n}")
        ActorFactory(name=f"copy {n}")
        ActorFactory(name=f"Other {n}", aliases=[f"Copy {n}"])
    with django_assert_num_queries(3):
        assert len(likely_duplicates()) == 10


def test_mention_index_finds_names_and_aliases(actors):
    found = {(m.matched, m.actor_id) for m in mention_index().find(ARTICLE_TEXT)}
    assert ("Albania", actors.albania.pk) in found
    assert ("Edi Rama", actors.rama.pk) in found
    assert ("the Iranian state", actors.iran.pk) in found
    assert ("Tehran", actors.iran.pk) in found
    assert ("Washington", actors.united_states.pk) in found
    # The longest name wins over the name inside it.
    assert ("Iran's Ministry of Intelligence", actors.ministry.pk) in found


def test_mention_index_is_reused_while_the_registry_is_unchanged(actors):
    assert mention_index() is mention_index()


def test_mention_index_is_rebuilt_after_an_actor_is_added(
    editor, actors, django_capture_on_commit_callbacks
):
    text = "Microsoft said the attackers were linked to Tehran."
    before = mention_index()
    assert [m.matched for m in before.find(text)] == ["Tehran"]

    with django_capture_on_commit_callbacks(execute=True):
        microsoft = actor_create(user=editor, name="Microsoft", kind=ActorKind.ORGANISATION)

    after = mention_index()
    assert after is not before
    assert [(m.matched, m.actor_id) for m in after.find(text)] == [
        ("Microsoft", microsoft.pk),
        ("Tehran", actors.iran.pk),
    ]


def test_mention_index_sees_a_new_alias_and_a_rename(editor, actors):
    text = "Officials in Tirana and the Persian state."
    assert [m.matched for m in mention_index().find(text)] == []
    actor_update(user=editor, actor_id=actors.albania.pk, aliases=["Tirana"])
    assert [m.actor_id for m in mention_index().find(text)] == [actors.albania.pk]
    actor_update(user=editor, actor_id=actors.iran.pk, name="the Persian state")
    assert [m.actor_id for m in mention_index().find(text)] == [
        actors.albania.pk,
        actors.iran.pk,
    ]


def test_mention_index_sees_changes_made_around_the_services(actors):
    """A write around the services (a shell, a data migration): the table fingerprint
    still changes."""
    text = "Kosovo condemned the attack."
    assert mention_index().find(text) == []
    kosovo = Actor.objects.create(name="Kosovo", kind=ActorKind.STATE)
    assert [m.actor_id for m in mention_index().find(text)] == [kosovo.pk]


def test_registry_version_is_bumped_after_commit(editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        actor_create(user=editor, name="NATO", kind=ActorKind.ORGANISATION)
    assert callbacks
    from django.core.cache import cache

    assert cache.get(mention_cache.REGISTRY_VERSION_KEY) >= 1


def test_suggestions_put_the_passages_actors_first(actors):
    passage = "Tehran rejected the accusation"
    start = ARTICLE_TEXT.index(passage)
    suggested = suggest_actors(text=ARTICLE_TEXT, start=start, end=start + len(passage))
    names = [(actor.name, actor.matched) for actor in suggested]
    # The passage, then the rest of its sentence ("... and said Iran had never attacked
    # Albania."), then the rest of the article, nearest first.
    assert names[0] == ("Iran", "Tehran")
    assert names[1] == ("Albania", "Albania")
    assert [name for name, _ in names[2:]] == [
        "United States",
        "Iran's Ministry of Intelligence",
        "Edi Rama",
    ]


def test_suggestions_respect_the_limit_and_the_query(actors):
    passage = "Washington announced sanctions"
    start = ARTICLE_TEXT.index(passage)
    end = start + len(passage)
    assert len(suggest_actors(text=ARTICLE_TEXT, start=start, end=end, limit=2)) == 2
    suggested = suggest_actors(text=ARTICLE_TEXT, start=start, end=end, query="iran")
    assert [(a.name, a.matched) for a in suggested] == [
        ("Iran's Ministry of Intelligence", "Iran's Ministry of Intelligence"),
        ("Iran", "Iran"),  # "said Iran had never attacked", the nearest mention
    ]


def test_suggestions_search_the_registry_when_the_text_names_no_match(actors):
    suggested = suggest_actors(text="", start=0, end=0, query="washington")
    assert [(a.name, a.matched) for a in suggested] == [("United States", "Washington")]


def test_suggestions_refuse_a_range_outside_the_text(actors):
    with pytest.raises(ValueError):
        suggest_actors(text="Iran", start=2, end=9)
