"""A claim's own relations to other claims, planned and written: what `claim_create`,
`claim_update` and the relation services (`annotations.services.relations`) share.

`plan_relations` checks a wanted list of relations against the claim's current ones
and the claims they point to; `write_relations` carries out a plan on a claim whose row
the caller has locked and whose version and status it has written, one `related` or
`unrelated` event per relation. Nothing here decides who may change a claim: the
callers do, as for any edit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings

from annotations.models import Claim, ClaimRelation, EventKind, RelationKind
from annotations.selectors import claims_visible_to
from annotations.services.events import record_event
from claimdesk.errors import InvalidInput, NotFound
from worklist.services import notify_relation

FIELD = "relations"


@dataclass(frozen=True)
class RelationLink:
    """One relation as a door asks for it: this claim `kind` the claim `to_claim_id`."""

    kind: str
    to_claim_id: int


@dataclass
class RelationPlan:
    """What a change of a claim's relations removes and adds, checked, not yet written."""

    remove: list[ClaimRelation] = field(default_factory=list)
    add: list[tuple[RelationLink, Claim]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.remove or self.add)


def relations_snapshot(claim_id: int) -> list[list]:
    """The claim's outgoing relations as plain JSON values, `[kind, to_claim_id]` sorted:
    the 'before' and 'after' of the events."""
    rows = ClaimRelation.objects.filter(from_claim_id=claim_id).values_list("kind", "to_claim_id")
    return sorted([kind, to_id] for kind, to_id in rows)


# -- the rules ------------------------------------------------------------------------------


def check_relation_kind(kind: str, field: str) -> None:
    if kind not in RelationKind.values:
        choices = ", ".join(RelationKind.values)
        raise InvalidInput.for_field(
            f"Unknown kind of relation {kind!r}; use one of {choices}.",
            field=field,
            code="invalid_choice",
        )


def other_claims(*, user, claim: Claim, ids: Sequence[int], fields: Sequence[str]) -> dict:
    """The claims relations are to point to, by id, as `user` may see them (one query).

    Raises, naming the field of the first bad one: InvalidInput for the claim itself
    (code `self_relation`) or a claim of another project (code `other_project`), and
    NotFound (404) for a claim they cannot see or that does not exist.
    """
    found = {
        other.pk: other
        for other in claims_visible_to(user)
        .filter(pk__in=set(ids))
        .only("pk", "project_id", "status", "statement")
    }
    for to_id, name in zip(ids, fields, strict=True):
        if to_id == claim.pk:
            raise InvalidInput.for_field(
                "A claim cannot relate to itself.", field=name, code="self_relation"
            )
        other = found.get(to_id)
        if other is None:
            raise NotFound("No such claim, or not one you can see.", field=name)
        if other.project_id != claim.project_id:
            raise InvalidInput.for_field(
                "Both claims of a relation must belong to the same project.",
                field=name,
                code="other_project",
            )
    return found


def check_relation_count(count: int, *, field: str = FIELD) -> None:
    """A claim relates to at most `MAX_LINKS_PER_CLAIM` claims, as it names at most that
    many actors: InvalidInput (code `max_items`) beyond."""
    limit = settings.MAX_LINKS_PER_CLAIM
    if count > limit:
        raise InvalidInput.for_field(
            f"A claim can relate to at most {limit} claims.", field=field, code="max_items"
        )


def plan_relations(*, user, claim: Claim, relations: Sequence[RelationLink]) -> RelationPlan:
    """What making the claim's own relations exactly `relations` removes and adds.

    Relations kept as they are are not touched. Errors name the row (`relations.N.kind`,
    `relations.N.to_claim`, or `relations.N` for a row listed twice, code `duplicate`);
    see `other_claims` for the other refusals.
    """
    check_relation_count(len(relations))
    wanted = []
    for index, link in enumerate(relations):
        check_relation_kind(link.kind, f"{FIELD}.{index}.kind")
        key = (link.kind, link.to_claim_id)
        if key in wanted:
            raise InvalidInput.for_field(
                "The same relation is listed twice.", field=f"{FIELD}.{index}", code="duplicate"
            )
        wanted.append(key)
    current = {
        (relation.kind, relation.to_claim_id): relation
        for relation in ClaimRelation.objects.filter(from_claim_id=claim.pk).order_by("id")
    }
    new = [
        (index, link)
        for index, link in enumerate(relations)
        if (link.kind, link.to_claim_id) not in current
    ]
    others = other_claims(
        user=user,
        claim=claim,
        ids=[link.to_claim_id for _, link in new],
        fields=[f"{FIELD}.{index}.to_claim" for index, _ in new],
    )
    return RelationPlan(
        remove=[relation for key, relation in current.items() if key not in wanted],
        add=[(link, others[link.to_claim_id]) for _, link in new],
    )


def write_relations(*, user, claim: Claim, plan: RelationPlan, from_status: str) -> None:
    """Carry out `plan` on a claim whose row is locked and whose new version and status
    are written already: one `unrelated` event per removal, one `related` per addition,
    each with the claim's relations before and after. The first event records the
    change of status from `from_status` (and that the claim went back to review)."""
    for relation in plan.remove:
        before = relations_snapshot(claim.pk)
        data = {"relation": relation.pk, "kind": relation.kind, "to_claim": relation.to_claim_id}
        relation.delete()
        from_status = _record(user, claim, EventKind.UNRELATED, before, data, from_status)
    for link, other in plan.add:
        before = relations_snapshot(claim.pk)
        # The from-claim's row is locked: nobody adds the same relation between the
        # plan's test and this insert.
        relation = ClaimRelation.objects.create(
            from_claim=claim, to_claim=other, kind=link.kind, created_by=user
        )
        data = {"relation": relation.pk, "kind": link.kind, "to_claim": other.pk}
        from_status = _record(user, claim, EventKind.RELATED, before, data, from_status)
        # The other claim's author learns that a claim now answers theirs.
        notify_relation(relation=relation, user=user)


def _record(user, claim: Claim, kind: str, before: list, data: dict, from_status: str) -> str:
    if from_status != claim.status:
        data = {**data, "resubmitted_for_review": True}
    record_event(
        claim=claim,
        kind=kind,
        user=user,
        from_status=from_status,
        to_status=claim.status,
        changes={FIELD: [before, relations_snapshot(claim.pk)]},
        data=data,
    )
    return claim.status
