"""Relations between claims: Tehran's denial `denies` Rama's accusation.

A relation belongs to the claim it starts from (`from_claim`): adding or removing one
changes what that claim says, so it follows the rules of editing that claim. Only its
author may, while the workflow lets them edit it; on an approved claim the change sends
the claim back to `submitted` in a new review round, as a substantive edit does. Each
change locks the from-claim's row, bumps its version with a conditional update (a lost
race is `StaleVersion`, on SQLite too) and writes one `related` or `unrelated` event per
relation, whose `changes` hold the claim's relations before and after.

The other claim must be one the user can see (else `NotFound`, a 404, as for any claim
they cannot see), in the same project, and not the claim itself; the same pair and kind
is recorded once.

The claim form sends a claim's relations with the rest of it: `claim_create` and
`claim_update` take `relations` and use `plan_relations` and `write_relations`, so that
one edit that changes the statement and a relation moves an approved claim back to
review once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction

from annotations import workflow
from annotations.models import Claim, ClaimRelation, EventKind, RelationKind
from annotations.selectors import claims_visible_to
from annotations.services.claims import (
    check_edit_claim,
    lock_claim,
    save_transition,
    workflow_participant,
)
from annotations.services.events import record_event
from annotations.services.rounds import review_round_start
from claimdesk.checks import may
from claimdesk.errors import InvalidInput, NotFound

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


# -- may I? --------------------------------------------------------------------------------


def check_relate_claim(*, user, claim: Claim) -> None:
    """Raise unless `user` may add or remove the relations of `claim`: exactly when they
    may edit it (NotAllowed for anyone but its author, InvalidTransition when its status
    allows no edit)."""
    check_edit_claim(user=user, claim=claim)


def can_relate_claim(user, claim: Claim) -> bool:
    return may(check_relate_claim, user=user, claim=claim)


# -- the rules ------------------------------------------------------------------------------


def _check_kind(kind: str, field: str) -> None:
    if kind not in RelationKind.values:
        choices = ", ".join(RelationKind.values)
        raise InvalidInput.for_field(
            f"Unknown kind of relation {kind!r}; use one of {choices}.",
            field=field,
            code="invalid_choice",
        )


def _other_claims(*, user, claim: Claim, ids: Sequence[int], fields: Sequence[str]) -> dict:
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


def plan_relations(*, user, claim: Claim, relations: Sequence[RelationLink]) -> RelationPlan:
    """What making the claim's own relations exactly `relations` removes and adds.

    Relations kept as they are are not touched. Errors name the row (`relations.N.kind`,
    `relations.N.to_claim`, or `relations.N` for a row listed twice, code `duplicate`);
    see `_other_claims` for the other refusals.
    """
    wanted = []
    for index, link in enumerate(relations):
        _check_kind(link.kind, f"{FIELD}.{index}.kind")
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
    others = _other_claims(
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


def transition_fields(*, user, claim: Claim) -> dict:
    """The fields a change of what `claim` says writes besides its own: `submitted` and
    a new review round for an approved claim, nothing else. Raises as `claim_update`
    does for a participant or status that allows no edit."""
    participant = workflow_participant(user=user, claim=claim)
    target = workflow.next_status(claim.status, workflow.Action.EDIT, participant)
    fields = {}
    if target != claim.status:
        fields["status"] = target
    if workflow.starts_review_round(claim.status, target, changed=True):
        fields.update(review_round_start())
    return fields


def _locked(*, user, claim_id: int, version: int | None) -> Claim:
    """The from-claim, visible to `user` (else NotFound), locked, at `version` when given,
    and one they may relate (else NotAllowed or InvalidTransition)."""
    if not claims_visible_to(user).filter(pk=claim_id).exists():
        raise NotFound("No such claim, or not one you can see.")
    claim = lock_claim(claim_id, version=version)
    check_relate_claim(user=user, claim=claim)
    return claim


def _change(*, user, claim: Claim, plan: RelationPlan) -> Claim:
    from_status = claim.status
    claim = save_transition(
        claim, expected_version=claim.version, **transition_fields(user=user, claim=claim)
    )
    write_relations(user=user, claim=claim, plan=plan, from_status=from_status)
    return claim


# -- the services -----------------------------------------------------------------------------


@transaction.atomic
def relation_add(
    *, user, claim_id: int, kind: str, to_claim_id: int, version: int | None = None
) -> ClaimRelation:
    """Record that the claim `kind` (denies, contradicts, supports, repeats) the claim
    `to_claim_id`.

    Locks the claim; checks `version` when given (StaleVersion). Raises NotFound for
    either claim the user cannot see, NotAllowed or InvalidTransition as for editing the
    claim, InvalidInput for an unknown kind (field `kind`), the claim itself
    (`self_relation`), another project's claim (`other_project`) or a relation already
    recorded (`duplicate`), these on the field `to_claim`. Writes a `related` event; an
    approved claim goes back to review.
    """
    claim = _locked(user=user, claim_id=claim_id, version=version)
    _check_kind(kind, "kind")
    others = _other_claims(user=user, claim=claim, ids=[to_claim_id], fields=["to_claim"])
    if ClaimRelation.objects.filter(from_claim=claim, to_claim_id=to_claim_id, kind=kind).exists():
        raise InvalidInput.for_field(
            f"This claim already {kind} that claim.", field="to_claim", code="duplicate"
        )
    plan = RelationPlan(add=[(RelationLink(kind, to_claim_id), others[to_claim_id])])
    claim = _change(user=user, claim=claim, plan=plan)
    return ClaimRelation.objects.get(from_claim=claim, to_claim_id=to_claim_id, kind=kind)


@transaction.atomic
def relation_remove(*, user, claim_id: int, relation_id: int, version: int | None = None) -> Claim:
    """Remove one of the claim's own relations (one that starts from it).

    Same refusals as `relation_add`; a relation that is not the claim's is NotFound.
    Writes an `unrelated` event; an approved claim goes back to review. Returns the claim.
    """
    claim = _locked(user=user, claim_id=claim_id, version=version)
    relation = ClaimRelation.objects.filter(pk=relation_id, from_claim_id=claim.pk).first()
    if relation is None:
        raise NotFound("This claim has no such relation.", field="relation")
    return _change(user=user, claim=claim, plan=RelationPlan(remove=[relation]))
