"""What merging one actor into another will do, worked out before `actor_merge` does it.

The merge page shows `merge_preview` and `actor_merge` applies `merge_alias_plan` and
`merge_fills`, so what an editor is shown is what the merge carries out. The hierarchy
helpers answer whether a merge or a new parent would make an actor part of itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet

from annotations.models import Actor, ActorAlias, Claim, ClaimActor


def ancestor_ids(actor_id: int) -> list[int]:
    """Ids of the actor's parent, grandparent and so on, nearest first (one query a level)."""
    found: list[int] = []
    current = Actor.objects.filter(pk=actor_id).values_list("parent_id", flat=True).first()
    while current is not None and current not in found and current != actor_id:
        found.append(current)
        current = Actor.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    return found


def descendant_ids(actor_id: int) -> list[int]:
    """Ids of the actor's children, their children and so on (one query a level)."""
    found: list[int] = []
    seen = {actor_id}
    level = [actor_id]
    while level:
        level = [
            child
            for child in Actor.objects.filter(parent_id__in=level).values_list("pk", flat=True)
            if child not in seen
        ]
        seen.update(level)
        found.extend(level)
    return found


@dataclass(frozen=True)
class AliasPlan:
    """What a merge does with names: `moved` alias rows go to the survivor, `dropped` ones
    are already known to it (same folded form), `new` names become aliases."""

    moved: list[ActorAlias]
    dropped: list[ActorAlias]
    new: list[str]


def merge_alias_plan(loser: Actor, survivor: Actor) -> AliasPlan:
    known = {survivor.folded, *survivor.aliases.values_list("folded", flat=True)}
    moved: list[ActorAlias] = []
    dropped: list[ActorAlias] = []
    new: list[str] = []
    if loser.folded not in known:
        known.add(loser.folded)
        new.append(loser.name)
    for alias in loser.aliases.order_by("pk"):
        if alias.folded in known:
            dropped.append(alias)
        else:
            known.add(alias.folded)
            moved.append(alias)
    return AliasPlan(moved=moved, dropped=dropped, new=new)


def _claims_naming(actor: Actor) -> QuerySet[Claim]:
    links = ClaimActor.objects.filter(claim=OuterRef("pk"), actor=actor)
    return Claim.objects.filter(Q(claimant=actor) | Q(Exists(links)))


@dataclass(frozen=True)
class MergePreview:
    """What merging `loser` into `survivor` will move. Counts cover every claim,
    drafts of other users included, because the merge moves them all."""

    loser: Actor
    survivor: Actor
    claims: int
    claims_as_claimant: int
    role_links: int
    role_links_already_held: int
    aliases: AliasPlan
    children: list[Actor]
    fills: dict[str, str] = field(default_factory=dict)


def merge_preview(loser: Actor, survivor: Actor) -> MergePreview:
    links = ClaimActor.objects.filter(actor=loser)
    held = ClaimActor.objects.filter(claim=OuterRef("claim"), role=OuterRef("role"), actor=survivor)
    return MergePreview(
        loser=loser,
        survivor=survivor,
        claims=_claims_naming(loser).count(),
        claims_as_claimant=Claim.objects.filter(claimant=loser).count(),
        role_links=links.count(),
        role_links_already_held=links.filter(Exists(held)).count(),
        aliases=merge_alias_plan(loser, survivor),
        children=list(loser.children.order_by("name", "pk")),
        fills=merge_fills(loser, survivor),
    )


def merge_fills(loser: Actor, survivor: Actor) -> dict[str, str]:
    """Fields the survivor lacks and takes from the loser (shown as text)."""
    fills = {}
    if not survivor.wikidata_id and loser.wikidata_id:
        fills["wikidata_id"] = loser.wikidata_id
    if not survivor.description.strip() and loser.description.strip():
        fills["description"] = loser.description
    if (
        survivor.parent_id is None
        and loser.parent_id is not None
        and loser.parent_id != survivor.pk
        and survivor.pk not in ancestor_ids(loser.parent_id)
    ):
        fills["parent"] = str(loser.parent)
    return fills
