"""The actor and source registry, read side: search, hierarchy, likely duplicates, an
actor's claims at a glance, and the mention index over every name and alias.

Changes go through `annotations.services.actors`; this module only reads (apart from
`registry_changed`, which those services call after commit).

The mention index
-----------------
`mention_index()` returns one `MentionIndex` per process, rebuilt when the registry
changes. Whether it changed is decided by a key read on every call:
- a version number in the shared cache (`django.core.cache`), bumped by the services
  through `transaction.on_commit`, so every worker process notices a change made by
  any other;
- a fingerprint of the tables (number of actors and aliases, latest actor change,
  highest alias id), so changes made around the services (the admin, a data
  migration) are noticed too.
Reading the key costs one cache read and two aggregate queries; a rebuild reads every
name and alias once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)

from annotations.mentions import MentionIndex
from annotations.models import (
    Actor,
    ActorAlias,
    ActorRole,
    Certainty,
    Claim,
    ClaimActor,
    ClaimSource,
    ClaimStatus,
)
from annotations.selectors import claims_visible_to
from annotations.text import fold
from articles.models import Source

REGISTRY_VERSION_KEY = "claimdesk:registry:version"


# --- The mention index ------------------------------------------------------------------

_index_lock = threading.Lock()
_cached_index: tuple[tuple, MentionIndex] | None = None


def registry_changed() -> None:
    """Tell every process that actors or aliases changed. Call it after commit."""
    cache.add(REGISTRY_VERSION_KEY, 0, timeout=None)
    try:
        cache.incr(REGISTRY_VERSION_KEY)
    except ValueError:
        # Evicted between `add` and `incr`: starting again from 1 still differs from
        # whatever a process holds, because the fingerprint is part of the key too.
        cache.set(REGISTRY_VERSION_KEY, 1, timeout=None)


def _registry_key() -> tuple:
    actors = Actor.objects.aggregate(count=Count("pk"), modified=Max("modified"))
    aliases = ActorAlias.objects.aggregate(count=Count("pk"), last=Max("pk"))
    return (
        cache.get(REGISTRY_VERSION_KEY, 0),
        actors["count"],
        actors["modified"],
        aliases["count"],
        aliases["last"],
    )


def _index_entries() -> Iterable[tuple[int, str]]:
    # Actors before aliases, each by id: an ambiguous name lists the actor that first
    # had it as a name before those that have it as an alias.
    yield from Actor.objects.order_by("pk").values_list("pk", "name").iterator(chunk_size=5000)
    yield from (
        ActorAlias.objects.order_by("pk").values_list("actor_id", "name").iterator(chunk_size=5000)
    )


def mention_index() -> MentionIndex:
    """The mention index of the registry as it is now, built at most once per change.

    Safe to call from several threads; the index itself is read-only.
    """
    global _cached_index
    # The key is read before the names: a change that lands in between is then seen
    # by the next call, never hidden under a key that already includes it.
    key = _registry_key()
    cached = _cached_index
    if cached is not None and cached[0] == key:
        return cached[1]
    with _index_lock:
        cached = _cached_index
        if cached is not None and cached[0] == key:
            return cached[1]
        index = MentionIndex.build(_index_entries())
        _cached_index = (key, index)
        return index


def forget_mention_index() -> None:
    """Drop this process's index (tests start from a clean registry)."""
    global _cached_index
    with _index_lock:
        _cached_index = None


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
        candidates = candidates.filter(_name_or_alias_contains(folded_query))
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


# --- Search --------------------------------------------------------------------------------


def _word_prefix(field: str, folded_query: str) -> Q:
    """`field` (folded) has a word starting with the query: "wash" finds "Washington"
    and "iran" finds "Islamic Republic of Iran", but not "Tirane"."""
    return Q(**{f"{field}__startswith": folded_query}) | Q(
        **{f"{field}__contains": f" {folded_query}"}
    )


def _name_or_alias_contains(folded_query: str) -> Q:
    aliases = ActorAlias.objects.filter(_word_prefix("folded", folded_query), actor=OuterRef("pk"))
    return _word_prefix("folded", folded_query) | Q(Exists(aliases))


def actor_search(query: str = "", *, kind: str = "") -> QuerySet[Actor]:
    """Actors with a name or alias that has a word starting with `query`, compared
    folded (case, accents and punctuation ignored: "tiranë" finds the alias "Tirane",
    "wash" finds "Washington").

    Exact names come first, then exact aliases, then names that start with the query,
    then the rest, each by name. Aliases are prefetched.
    """
    queryset = Actor.objects.all()
    if kind:
        queryset = queryset.filter(kind=kind)
    folded_query = fold(query)
    if folded_query:
        exact_alias = ActorAlias.objects.filter(actor=OuterRef("pk"), folded=folded_query)
        queryset = queryset.filter(_name_or_alias_contains(folded_query)).annotate(
            match_rank=Case(
                When(folded=folded_query, then=Value(0)),
                When(Exists(exact_alias), then=Value(1)),
                When(folded__startswith=folded_query, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
        queryset = queryset.order_by("match_rank", "name", "pk")
    return queryset.select_related("parent").prefetch_related("aliases")


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
    if reference.isdigit():
        return Actor.objects.get(pk=int(reference))
    if reference[:1] in "Qq" and reference[1:].isdigit():
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


def source_search(query: str = "", *, kind: str = "") -> QuerySet[Source]:
    queryset = Source.objects.all()
    if kind:
        queryset = queryset.filter(kind=kind)
    query = query.strip()
    if query:
        queryset = queryset.filter(
            Q(name__icontains=query) | Q(publisher__icontains=query) | Q(url__icontains=query)
        )
    return queryset


# --- Hierarchy -----------------------------------------------------------------------------


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


# --- Merging -------------------------------------------------------------------------------


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


# --- Likely duplicates ---------------------------------------------------------------------


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


# --- An actor's claims ---------------------------------------------------------------------


def _claim_rows(queryset: QuerySet[Claim]) -> QuerySet[Claim]:
    """What a row in a list of claims shows, without the article's text."""
    return (
        queryset.select_related("claimant", "article")
        .defer("article__text", "article__raw", "prefix", "suffix", "note")
        .prefetch_related(
            Prefetch(
                "actor_links",
                queryset=ClaimActor.objects.select_related("actor").only(
                    "id", "claim_id", "role", "actor__id", "actor__name"
                ),
            )
        )
        .order_by("-created", "-pk")
    )


@dataclass
class ActorClaims:
    """The claims of one actor (or of it and its descendants), as `user` may see them.

    `made`, `about` and `denials` are querysets ready to paginate; the rest is computed
    by one aggregate query each.
    """

    actor_ids: list[int]
    made: QuerySet[Claim]
    about: QuerySet[Claim]
    denials: QuerySet[Claim]
    status_counts: dict[str, int]
    role_counts: dict[str, int]
    accusations: list[dict]
    total: int

    @property
    def status_rows(self) -> list[tuple[str, str, int]]:
        """(status, label, count) in workflow order, statuses with claims only."""
        return [
            (value, label, self.status_counts[value])
            for value, label in ClaimStatus.choices
            if self.status_counts.get(value)
        ]

    @property
    def role_rows(self) -> list[tuple[str, str, int]]:
        """(role, label, count): claimant first, then each role of ActorRole."""
        labels = {"claimant": "Claimant", **dict(ActorRole.choices)}
        return [(role, labels[role], count) for role, count in self.role_counts.items()]


def actor_claims(*, user, actor_ids: list[int]) -> ActorClaims:
    visible = claims_visible_to(user)
    linked = ClaimActor.objects.filter(claim=OuterRef("pk"), actor_id__in=actor_ids)
    denier = linked.filter(role=ActorRole.DENIER)
    involved = visible.filter(Q(claimant_id__in=actor_ids) | Q(Exists(linked)))

    status_counts = dict(involved.order_by().values_list("status").annotate(n=Count("pk")))
    role_counts = dict(
        ClaimActor.objects.filter(actor_id__in=actor_ids, claim__in=visible)
        .order_by()
        .values_list("role")
        .annotate(n=Count("claim_id", distinct=True))
    )
    role_counts = {
        "claimant": visible.filter(claimant_id__in=actor_ids).count(),
        **{role: role_counts.get(role, 0) for role in ActorRole.values},
    }
    accusations = list(
        ClaimActor.objects.filter(role=ActorRole.ACCUSED, claim__in=involved)
        .order_by()
        .values(
            "claim__claimant_id",
            "claim__claimant__name",
            "actor_id",
            "actor__name",
        )
        .annotate(claims=Count("claim_id", distinct=True))
        .order_by("-claims", "claim__claimant__name", "actor__name")
    )
    return ActorClaims(
        actor_ids=actor_ids,
        made=_claim_rows(visible.filter(claimant_id__in=actor_ids)),
        about=_claim_rows(visible.filter(Exists(linked))),
        denials=_claim_rows(
            visible.filter(
                Q(claimant_id__in=actor_ids, certainty=Certainty.DENIED) | Q(Exists(denier))
            )
        ),
        status_counts=status_counts,
        role_counts=role_counts,
        accusations=[
            {
                "claimant_id": row["claim__claimant_id"],
                "claimant": row["claim__claimant__name"],
                "accused_id": row["actor_id"],
                "accused": row["actor__name"],
                "claims": row["claims"],
            }
            for row in accusations
        ],
        total=sum(status_counts.values()),
    )


def source_claims(*, user, source: Source) -> QuerySet[Claim]:
    """Claims `user` may see that cite `source`, each with `citations`: its links to it."""
    cites = ClaimSource.objects.filter(claim=OuterRef("pk"), source=source)
    return _claim_rows(claims_visible_to(user).filter(Exists(cites))).prefetch_related(
        Prefetch(
            "source_links",
            queryset=ClaimSource.objects.filter(source=source).order_by("pk"),
            to_attr="citations",
        )
    )
