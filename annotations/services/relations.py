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
`claim_update` take `relations` and use `plan_relations` and `write_relations`
(`annotations.services.relation_links`), so that one edit that changes the statement
and a relation moves an approved claim back to review once.
"""

from __future__ import annotations

from django.db import transaction

from annotations import workflow
from annotations.models import Claim, ClaimRelation
from annotations.selectors import claims_visible_to
from annotations.services.claims import (
    check_edit_claim,
    lock_claim,
    save_transition,
    workflow_participant,
)
from annotations.services.relation_links import (
    RelationLink,
    RelationPlan,
    check_relation_count,
    check_relation_kind,
    other_claims,
    plan_relations,
    relations_snapshot,
    write_relations,
)
from annotations.services.rounds import review_round_start
from claimdesk.checks import may
from claimdesk.errors import InvalidInput, NotFound

__all__ = [
    "RelationLink",
    "RelationPlan",
    "can_relate_claim",
    "check_relate_claim",
    "plan_relations",
    "relation_add",
    "relation_remove",
    "relations_snapshot",
    "write_relations",
]


# -- may I? --------------------------------------------------------------------------------


def check_relate_claim(*, user, claim: Claim) -> None:
    """Raise unless `user` may add or remove the relations of `claim`: exactly when they
    may edit it (NotAllowed for anyone but its author, InvalidTransition when its status
    allows no edit)."""
    check_edit_claim(user=user, claim=claim)


def can_relate_claim(user, claim: Claim) -> bool:
    return may(check_relate_claim, user=user, claim=claim)


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
    check_relation_kind(kind, "kind")
    others = other_claims(user=user, claim=claim, ids=[to_claim_id], fields=["to_claim"])
    if ClaimRelation.objects.filter(from_claim=claim, to_claim_id=to_claim_id, kind=kind).exists():
        raise InvalidInput.for_field(
            f"This claim already {kind} that claim.", field="to_claim", code="duplicate"
        )
    check_relation_count(
        ClaimRelation.objects.filter(from_claim=claim).count() + 1, field="to_claim"
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
