"""Actors that are probably one, for editors to merge."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef

from annotations.models import Actor, ActorAlias


@dataclass(frozen=True)
class DuplicateGroup:
    """Actors that are probably one: `reason` is "same_name" (all fold to `folded`) or
    "alias_is_name" (the first actor's alias `alias` is the name of the others)."""

    reason: str
    folded: str
    actors: list[Actor]
    alias: str = ""


def likely_duplicates() -> list[DuplicateGroup]:
    """Groups of actors that are likely the same, for editors to merge: the same name
    after case, accent and punctuation folding, or an alias of one that is the name of
    another. Three queries whatever the size of the registry."""
    shared = (
        Actor.objects.values("folded")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("folded", flat=True)
    )
    same_name: dict[str, list[Actor]] = {}
    for actor in Actor.objects.filter(folded__in=shared).order_by("folded", "pk"):
        same_name.setdefault(actor.folded, []).append(actor)
    groups = [DuplicateGroup("same_name", key, actors) for key, actors in same_name.items()]

    other_named = Actor.objects.filter(folded=OuterRef("folded")).exclude(pk=OuterRef("actor_id"))
    clashing = list(
        ActorAlias.objects.filter(Exists(other_named))
        .select_related("actor")
        .order_by("folded", "actor__name", "pk")
    )
    named: dict[str, list[Actor]] = {}
    for actor in Actor.objects.filter(folded__in={alias.folded for alias in clashing}).order_by(
        "pk"
    ):
        named.setdefault(actor.folded, []).append(actor)
    for alias in clashing:
        others = [actor for actor in named.get(alias.folded, []) if actor.pk != alias.actor_id]
        groups.append(
            DuplicateGroup("alias_is_name", alias.folded, [alias.actor, *others], alias.name)
        )
    return groups
