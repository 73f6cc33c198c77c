"""Actor search and suggestions: one ranking for the actor list, the API and the pickers.

Names and queries are compared folded (`annotations.text.fold`, the rule the mention
index uses too), so a name that mention detection finds in a text is found by search.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import QuerySet

from annotations.filters import ActorFilter, name_or_alias_matches
from annotations.mention_cache import mention_index
from annotations.models import Actor
from annotations.params import InvalidParameter, whole_number
from annotations.selectors.filtering import filtered
from annotations.text import fold


def actors_with_aliases() -> QuerySet[Actor]:
    """Actors with what a list row shows: parent and aliases, in a fixed number of queries."""
    return Actor.objects.select_related("parent").prefetch_related("aliases")


def actor_list(*, filters: Mapping | None = None) -> QuerySet[Actor]:
    """Actors filtered by `ActorFilter` (`q` ranked by `rank_by_name`, `kind`), by name
    when there is no `q`. Raises InvalidInput naming the field on a bad value."""
    return filtered(ActorFilter, actors_with_aliases(), filters)


def actor_search(query: str = "", *, kind: str = "") -> QuerySet[Actor]:
    """`actor_list` for one query and kind (an empty kind: every kind)."""
    return actor_list(filters={"q": query, "kind": kind})


def _has_word_prefix(folded: str, folded_query: str) -> bool:
    return folded.startswith(folded_query) or f" {folded_query}" in folded


def _matching_name(actor: Actor, folded_query: str) -> str:
    """The actor's name, or the first alias, that matches the folded query."""
    if _has_word_prefix(actor.folded, folded_query):
        return actor.name
    for alias in actor.aliases.all():
        if _has_word_prefix(alias.folded, folded_query):
            return alias.name
    return actor.name


def resolve_actor(reference: str) -> Actor:
    """The one actor `reference` names: an id, a Wikidata id, or a name or alias (folded).

    Raises Actor.DoesNotExist when none matches and Actor.MultipleObjectsReturned when
    a name is ambiguous; the message says which.
    """
    reference = reference.strip()
    if reference.isascii() and reference.isdigit():
        try:
            return Actor.objects.get(pk=whole_number(reference, field="id"))
        except InvalidParameter:
            raise Actor.DoesNotExist(f"No actor has the id {reference}.") from None
    if reference[:1] in "Qq" and reference[1:].isascii() and reference[1:].isdigit():
        return Actor.objects.get(wikidata_id=reference.upper())
    folded_reference = fold(reference)
    if not folded_reference:
        raise Actor.DoesNotExist("No actor is named that.")
    named = list(Actor.objects.filter(folded=folded_reference)[:2])
    if not named:
        named = list(
            Actor.objects.filter(aliases__folded=folded_reference).distinct().order_by("pk")[:2]
        )
    if not named:
        raise Actor.DoesNotExist(f"No actor is named {reference!r}.")
    if len(named) > 1:
        raise Actor.MultipleObjectsReturned(
            f"Several actors are named {reference!r}; give the id instead."
        )
    return named[0]


FOUND_IN = ("passage", "sentence", "text")


def suggest_actors(
    *, text: str, start: int, end: int, limit: int = 8, query: str = ""
) -> list[Actor]:
    """Actors a claim on `text[start:end]` most likely involves, best first.

    Order: actors named in the passage itself, then in the sentence(s) around it, then
    elsewhere in the text, nearest first. With `query`, only actors whose name or alias
    holds it (folded) are kept, and when the text names fewer than `limit` of them the
    best search matches (`actor_search`) fill the list. Each actor carries `matched`: the
    words that named it (in the text, or the name or alias that matched `query`), and
    `found_in`: "passage", "sentence", "text" or (from the search) "registry".

    Raises ValueError unless `0 <= start <= end <= len(text)`.
    """
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"invalid range [{start}, {end}) for a text of {len(text)}")
    if limit <= 0:
        return []
    index = mention_index()
    folded_query = fold(query)
    # rank: (tier, distance from the passage, first offset); matched: text of that mention
    ranked: dict[int, tuple[tuple[int, int, int], str]] = {}
    near = set(index.find_near(text, start, end)) if text else set()
    for mention in index.find(text):
        if mention.start < end and mention.end > start:
            tier, distance = 0, 0
        else:
            tier = 1 if mention.actor_id in near else 2
            distance = start - mention.end if mention.end <= start else mention.start - end
        rank = (tier, distance, mention.start)
        best = ranked.get(mention.actor_id)
        if best is None or rank < best[0]:
            ranked[mention.actor_id] = (rank, mention.matched)
    order = sorted(ranked, key=lambda actor_id: ranked[actor_id][0])
    candidates = Actor.objects.filter(pk__in=order)
    if folded_query:
        candidates = candidates.filter(name_or_alias_matches(folded_query))
    found = {actor.pk: actor for actor in candidates}
    suggestions = []
    for actor_id in order:
        actor = found.get(actor_id)
        if actor is not None:
            actor.matched = ranked[actor_id][1]
            actor.found_in = FOUND_IN[ranked[actor_id][0][0]]
            suggestions.append(actor)
    suggestions = suggestions[:limit]
    if folded_query and len(suggestions) < limit:
        taken = {actor.pk for actor in suggestions}
        for actor in actor_search(query).exclude(pk__in=taken)[: limit - len(suggestions)]:
            actor.matched = _matching_name(actor, folded_query)
            actor.found_in = "registry"
            suggestions.append(actor)
    return suggestions
