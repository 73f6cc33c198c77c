"""Registry services: actors (with aliases and a parent) and their merging.

Sources have their services beside `Source`, in `articles.sources`.

Every function is keyword-only and runs in one transaction. `user` is the person acting
(checked against `annotations.roles`: researchers and editors add actors, because the
claim form creates them inline; only editors change or merge them), or None when the
application itself acts (a management command).

Errors are domain errors naming the field: `InvalidInput` (code `invalid`, or a more
precise code in its `errors`), `DuplicateEntry` (code `duplicate`, with the record that
already holds the value), `InvalidMerge`, `NotAllowed`. Whenever actors or aliases change,
`annotations.mention_cache.registry_changed` runs after commit so that every process rebuilds
its mention index.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from annotations import mention_cache
from annotations.models import Actor, ActorAlias, Claim, ClaimActor, ClaimEvent, EventKind
from annotations.roles import can_add_actor, can_manage_registry, can_merge_actors
from annotations.services import merge_plan
from annotations.text import fold
from claimdesk import characters, limits
from claimdesk.checks import may
from claimdesk.errors import DuplicateEntry, InvalidInput, InvalidMerge, NotAllowed

MAX_ALIASES = limits.ALIASES
NAME_LENGTH = limits.NAME

ACTOR_FIELDS = frozenset({"name", "kind", "description", "wikidata_id", "parent_id", "aliases"})


def _invalid(detail: str, *, field: str, code: str = "invalid") -> InvalidInput:
    return InvalidInput.for_field(detail, field=field, code=code)


def _require(user, allowed: Callable[[Any], bool], detail: str) -> None:
    # No user: a command or a migration acting for the site.
    if user is not None and not allowed(user):
        raise NotAllowed(detail)


# "May I?" beside each service: the services call these first, and the pages ask them
# (through `can_*`) before offering the action.


def check_create_actor(*, user) -> None:
    _require(user, can_add_actor, "Only researchers and editors can add actors.")


def check_update_actor(*, user) -> None:
    _require(user, can_manage_registry, "Only editors can change actors.")


def check_merge_actors(*, user) -> None:
    _require(user, can_merge_actors, "Only editors can merge actors.")


def can_create_actor(user) -> bool:
    return may(check_create_actor, user=user)


def can_update_actor(user) -> bool:
    return may(check_update_actor, user=user)


def can_merge_actor(user) -> bool:
    return may(check_merge_actors, user=user)


def _full_clean(instance: models.Model, *, exclude: Iterable[str] = ()) -> None:
    """`full_clean` with its errors as one InvalidInput listing every field."""
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        raise InvalidInput.from_validation_error(exc) from exc


def _registry_changed_after_commit() -> None:
    # robust: a cache that is down must not turn a committed change into an error.
    transaction.on_commit(mention_cache.registry_changed, robust=True)


def _unknown_fields(fields: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise TypeError(f"unexpected field(s): {', '.join(unknown)}")


# --- Actors --------------------------------------------------------------------------------


def _clean_name(name: Any, *, field: str = "name") -> str:
    if not isinstance(name, str):
        raise _invalid("A name is text.", field=field)
    characters.check_characters(**{field: name})
    name = " ".join(unicodedata.normalize("NFC", name).split())
    if not name:
        raise _invalid("Give a name.", field=field, code="required")
    if not fold(name):
        raise _invalid("A name needs at least one letter or digit.", field=field)
    return name


def _clean_wikidata_id(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _invalid("A Wikidata id is text such as Q222.", field="wikidata_id")
    characters.check_characters(wikidata_id=value)
    value = value.strip()
    # People paste the id in lower case, or the whole entity URL.
    value = value.rsplit("/", 1)[-1]
    return value[:1].upper() + value[1:]


def _clean_aliases(aliases: Any, *, own_name: str) -> list[str]:
    """Aliases as stored: trimmed, empty lines skipped, one per folded form (the first
    spelling wins), none that folds to the actor's own name."""
    if isinstance(aliases, str) or not isinstance(aliases, Iterable):
        raise _invalid("Aliases are a list of names.", field="aliases")
    seen = {fold(own_name)}
    cleaned = []
    for raw in aliases:
        if not isinstance(raw, str):
            raise _invalid("Each alias is a name.", field="aliases")
        if not raw.strip():
            continue
        name = _clean_name(raw, field="aliases")
        if len(name) > NAME_LENGTH:
            raise _invalid(
                f"An alias has at most {NAME_LENGTH} characters: {name[:40]}…", field="aliases"
            )
        key = fold(name)
        if key in seen:
            continue
        seen.add(key)
        cleaned.append(name)
    if len(cleaned) > MAX_ALIASES:
        raise _invalid(f"An actor has at most {MAX_ALIASES} aliases.", field="aliases")
    return cleaned


def _set_aliases(actor: Actor, names: list[str]) -> None:
    """Make the actor's aliases exactly `names` (already cleaned), keeping unchanged rows."""
    wanted = {fold(name): name for name in names}
    existing = {alias.folded: alias for alias in actor.aliases.all()}
    stale = [alias.pk for key, alias in existing.items() if key not in wanted]
    if stale:
        ActorAlias.objects.filter(pk__in=stale).delete()
    for key, name in wanted.items():
        alias = existing.get(key)
        if alias is not None and alias.name != name:
            alias.name = name
            alias.save(update_fields=["name", "folded"])
    ActorAlias.objects.bulk_create(
        ActorAlias(actor=actor, name=name, folded=key)
        for key, name in wanted.items()
        if key not in existing
    )


def _check_parent(actor: Actor, parent_id: Any) -> Actor | None:
    """The parent for `actor`, refusing an unknown id and any cycle."""
    if parent_id is None or parent_id == "":
        return None
    try:
        parent = Actor.objects.get(pk=int(parent_id))
    except (TypeError, ValueError, Actor.DoesNotExist):
        raise _invalid(
            f"There is no actor with id {parent_id}.", field="parent", code="does_not_exist"
        ) from None
    if actor.pk is not None and (
        parent.pk == actor.pk or actor.pk in merge_plan.ancestor_ids(parent.pk)
    ):
        raise _invalid(
            f"{parent} is part of {actor}; an actor cannot be part of itself.",
            field="parent",
            code="parent_cycle",
        )
    return parent


def _check_wikidata_free(actor: Actor) -> None:
    if not actor.wikidata_id:
        return
    other = Actor.objects.filter(wikidata_id=actor.wikidata_id).exclude(pk=actor.pk).first()
    if other is not None:
        raise DuplicateEntry(
            f"{actor.wikidata_id} is already the Wikidata id of {other.name} (id {other.pk}).",
            field="wikidata_id",
            existing=other,
        )


def _save_actor(actor: Actor) -> None:
    actor.folded = fold(actor.name)
    characters.check_instance(actor)
    limits.check_lengths(description=(actor.description, limits.DESCRIPTION))
    _check_wikidata_free(actor)
    _full_clean(actor, exclude=["parent"])
    try:
        # A savepoint, so that losing a race on the unique Wikidata id leaves the outer
        # transaction usable for the error.
        with transaction.atomic():
            actor.save()
    except IntegrityError:
        _check_wikidata_free(actor)
        raise


@transaction.atomic
def actor_create(
    *,
    user,
    name: str,
    kind: str,
    aliases: Iterable[str] = (),
    wikidata_id: str = "",
    parent_id: int | None = None,
    description: str = "",
) -> Actor:
    """Add an actor with its aliases. Researchers and editors may.

    Names are trimmed and NFC-normalised; aliases are cleaned as `_clean_aliases` says.
    Raises NotAllowed, InvalidInput (field `name`, `kind`, `aliases`, `wikidata_id` or
    `parent`), DuplicateEntry when another actor has the Wikidata id.
    """
    check_create_actor(user=user)
    actor = Actor(
        name=_clean_name(name),
        kind=kind,
        description=(description or "").strip(),
        wikidata_id=_clean_wikidata_id(wikidata_id),
    )
    actor.parent = _check_parent(actor, parent_id)
    cleaned_aliases = _clean_aliases(aliases, own_name=actor.name)
    _save_actor(actor)
    _set_aliases(actor, cleaned_aliases)
    _registry_changed_after_commit()
    return actor


@transaction.atomic
def actor_update(*, user, actor_id: int, **fields: Any) -> Actor:
    """Change an actor. Editors only. `fields` are any of name, kind, description,
    wikidata_id, parent_id (None clears it) and aliases (the new complete list).

    Locks the actor row. Raises NotAllowed, InvalidInput (`parent` with code
    `parent_cycle` when the new parent is the actor or one of its descendants),
    DuplicateEntry for a Wikidata id another actor has; TypeError for unknown fields.
    """
    _unknown_fields(fields, ACTOR_FIELDS)
    check_update_actor(user=user)
    actor = Actor.objects.select_for_update().filter(pk=actor_id).first()
    if actor is None:
        raise _invalid(
            f"There is no actor with id {actor_id}.", field="actor", code="does_not_exist"
        )
    if "name" in fields:
        actor.name = _clean_name(fields["name"])
    if "kind" in fields:
        actor.kind = fields["kind"]
    if "description" in fields:
        actor.description = (fields["description"] or "").strip()
    if "wikidata_id" in fields:
        actor.wikidata_id = _clean_wikidata_id(fields["wikidata_id"])
    if "parent_id" in fields:
        actor.parent = _check_parent(actor, fields["parent_id"])
    aliases = None
    if "aliases" in fields:
        aliases = _clean_aliases(fields["aliases"], own_name=actor.name)
    _save_actor(actor)
    if aliases is not None:
        _set_aliases(actor, aliases)
    else:
        # A new name may equal an alias, which then says nothing more.
        actor.aliases.filter(folded=actor.folded).delete()
    _registry_changed_after_commit()
    return actor


def actors_locked(actor_ids: Iterable[int]) -> set[int]:
    """Lock the rows of `actor_ids` until the transaction ends; return those that exist.

    A claim names actors it looked up a moment earlier, and a merge deletes one. Taken
    before the claim is written, the lock settles who goes first: a merge that comes
    later waits, then moves the new claim to the survivor with the others; a merge that
    came first has deleted the row, which is then missing from the answer, so the claim
    service refuses cleanly instead of failing on the foreign key at commit. Rows are
    locked in id order, the order `actor_merge` locks its actors in, so two writers
    never wait for each other in a circle. (SQLite has no row locks; writers there take
    turns anyway.)
    """
    ids = sorted(set(actor_ids))
    if not ids:
        return set()
    return set(
        Actor.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _sorted_links(links: Iterable[tuple[int, str]]) -> list[list]:
    return sorted([actor_id, role] for actor_id, role in links)


@transaction.atomic
def actor_merge(*, user, actor_id: int, into_id: int) -> Actor:
    """Merge actor `actor_id` into `into_id` (the survivor) and delete it. Editors only.

    Everything moves: claims it makes, its role links (a link the survivor already has
    on the same claim with the same role is kept once), its aliases, its children. Its
    name and aliases become aliases of the survivor (unless the survivor already has
    that name, folded); the survivor takes the Wikidata id, description and parent it
    lacks. Each affected claim gets one `merged` event saying what moved; claims keep
    their status and version, since the same actor is named as before. The survivor
    is returned with `merge_summary` (counts of what moved) for the caller's message.

    Locks both actor rows and the loser's children (whose parent changes) in one
    statement, in id order: the order `actors_locked` uses for the actors a claim names,
    so a claim written at the same moment either goes first (and is moved with the
    others) or waits and finds the loser gone; neither side waits for the other in a
    circle. Raises NotAllowed, InvalidMerge (field `into`) for a merge into itself or
    into one of its own descendants, InvalidInput (code `does_not_exist`) for an
    unknown id.
    """
    check_merge_actors(user=user)
    if actor_id == into_id:
        raise InvalidMerge("An actor cannot be merged into itself.", field="into")
    locked = {
        actor.pk: actor
        for actor in Actor.objects.select_for_update()
        .filter(Q(pk__in=[actor_id, into_id]) | Q(parent_id=actor_id))
        .order_by("pk")
    }
    loser, survivor = locked.get(actor_id), locked.get(into_id)
    if loser is None:
        raise _invalid(
            f"There is no actor with id {actor_id}.", field="actor", code="does_not_exist"
        )
    if survivor is None:
        raise _invalid(f"There is no actor with id {into_id}.", field="into", code="does_not_exist")
    if loser.pk in merge_plan.ancestor_ids(survivor.pk):
        raise InvalidMerge(
            f"{survivor.name} is part of {loser.name}; merge it the other way round, "
            "or change its parent first.",
            field="into",
        )

    # What the affected claims look like before anything moves.
    naming_loser = Claim.objects.filter(
        Q(claimant=loser) | Q(Exists(ClaimActor.objects.filter(claim=OuterRef("pk"), actor=loser)))
    )
    claims = list(naming_loser.order_by("pk").values_list("pk", "claimant_id", "version", "status"))
    links_before: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for claim_id, linked_actor_id, role in ClaimActor.objects.filter(
        claim__in=naming_loser
    ).values_list("claim_id", "actor_id", "role"):
        links_before[claim_id].append((linked_actor_id, role))

    # Role links: drop those the survivor already has, move the rest.
    held = ClaimActor.objects.filter(claim=OuterRef("claim"), role=OuterRef("role"), actor=survivor)
    ClaimActor.objects.filter(actor=loser).filter(Exists(held)).delete()
    ClaimActor.objects.filter(actor=loser).update(actor=survivor)
    Claim.objects.filter(claimant=loser).update(claimant=survivor)
    children = list(loser.children.values_list("pk", flat=True))
    loser.children.update(parent=survivor, modified=timezone.now())

    plan = merge_plan.merge_alias_plan(loser, survivor)
    ActorAlias.objects.filter(pk__in=[alias.pk for alias in plan.moved]).update(actor=survivor)
    fills = merge_plan.merge_fills(loser, survivor)
    loser_summary = {"id": loser.pk, "name": loser.name}
    loser_parent_id = loser.parent_id
    loser.delete()  # its remaining aliases are those the survivor already knows

    ActorAlias.objects.bulk_create(
        ActorAlias(actor=survivor, name=name, folded=fold(name)) for name in plan.new
    )
    if "wikidata_id" in fills:
        survivor.wikidata_id = fills["wikidata_id"]
    if "description" in fills:
        survivor.description = fills["description"]
    if "parent" in fills:
        survivor.parent_id = loser_parent_id
    _save_actor(survivor)

    survivor_summary = {"id": survivor.pk, "name": survivor.name}
    events = []
    for claim_id, claimant_id, version, status in claims:
        before = links_before.get(claim_id, [])
        after = {(survivor.pk if a == loser_summary["id"] else a, role) for a, role in before}
        moved_roles = sorted({role for a, role in before if a == loser_summary["id"]})
        already = [role for role in moved_roles if (survivor.pk, role) in before]
        changes: dict[str, list] = {}
        if claimant_id == loser_summary["id"]:
            changes["claimant"] = [loser_summary["id"], survivor.pk]
        if moved_roles:
            changes["actors"] = [_sorted_links(before), _sorted_links(after)]
        events.append(
            ClaimEvent(
                claim_id=claim_id,
                kind=EventKind.MERGED,
                actor=user if user is not None and user.is_authenticated else None,
                from_status=status,
                to_status=status,
                version=version,
                changes=changes,
                data={
                    "merged_actor": loser_summary,
                    "survivor": survivor_summary,
                    "moved": {
                        "claimant": claimant_id == loser_summary["id"],
                        "roles": moved_roles,
                        "roles_already_held": already,
                    },
                },
            )
        )
    # One insert per batch rather than per claim: a merge can touch thousands of claims.
    ClaimEvent.objects.bulk_create(events, batch_size=500)

    survivor.merge_summary = {
        "claims": len(claims),
        "children": len(children),
        "aliases_moved": len(plan.moved) + len(plan.new),
        "filled": sorted(fills),
    }
    _registry_changed_after_commit()
    return survivor
