"""The claim workflow as a small pure table.

    draft ──submit──▶ submitted ──approve──▶ approved
      ▲                  │  ├──reject──▶ rejected
      └──── edit ◀── changes_requested ◀──request_changes
    approved ──substantive edit or fuzzy re-anchor──▶ submitted

Two questions are answered in a fixed order, so that every caller gets the same error for
the same request:

1. *May this participant ever take this action?* Each action belongs to one role
   (`ACTION_ROLES`). The author of a claim never takes a review action, superusers
   included (`SelfReview`); anyone else without the role gets `NotAllowed`.
2. *Is the action possible from the claim's status?* `TRANSITIONS` maps
   `(status, action)` to the next status; a missing pair is an `InvalidTransition`.

This module imports nothing from the ORM so that the table can be tested without a
database; the services in `annotations.services` apply it inside a transaction that
locks the claim row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from claimdesk.errors import InvalidTransition, NotAllowed, SelfReview


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    REJECTED = "rejected"


class Action(StrEnum):
    EDIT = "edit"  # an edit that changes what the claim asserts
    EDIT_NOTE = "edit_note"  # an edit of the private note only
    SUBMIT = "submit"
    APPROVE = "approve"
    REJECT = "reject"
    REQUEST_CHANGES = "request_changes"
    DELETE = "delete"
    FUZZY_REANCHOR = "fuzzy_reanchor"  # the text changed and the quote only nearly matches


class Role(StrEnum):
    """Who acts, as far as the workflow cares."""

    AUTHOR = "author"  # wrote the claim
    REVIEWER = "reviewer"  # may review, and did not write the claim
    SYSTEM = "system"  # the application itself (re-anchoring after a text change)


REVIEW_ACTIONS = frozenset({Action.APPROVE, Action.REJECT, Action.REQUEST_CHANGES})

# Fields of a claim whose change alters what it asserts: an approved claim edited in any
# of them has to be reviewed again. The private note is the only other editable field.
# `relations` are the claim's own relations to other claims (it denies, supports...).
# The cue and source mention count like the anchor: they are the words a reviewer checks
# "the claimant really makes this claim in the text" against.
SUBSTANTIVE_FIELDS = frozenset(
    {
        "start",
        "end",
        "exact",
        "cue",
        "source_mention",
        "statement",
        "claimant",
        "certainty",
        "actors",
        "sources",
        "relations",
    }
)

# Who may take each action, whatever the status.
ACTION_ROLES: dict[Action, Role] = {
    Action.EDIT: Role.AUTHOR,
    Action.EDIT_NOTE: Role.AUTHOR,
    Action.SUBMIT: Role.AUTHOR,
    Action.DELETE: Role.AUTHOR,
    Action.APPROVE: Role.REVIEWER,
    Action.REJECT: Role.REVIEWER,
    Action.REQUEST_CHANGES: Role.REVIEWER,
    Action.FUZZY_REANCHOR: Role.SYSTEM,
}

# (status, action) -> next status; None means the claim is gone. An approval leads to
# `approved` only once enough reviewers approved: see `approval_outcome`.
TRANSITIONS: dict[tuple[Status, Action], Status | None] = {
    (Status.DRAFT, Action.EDIT): Status.DRAFT,
    (Status.DRAFT, Action.EDIT_NOTE): Status.DRAFT,
    (Status.DRAFT, Action.SUBMIT): Status.SUBMITTED,
    (Status.DRAFT, Action.DELETE): None,
    (Status.SUBMITTED, Action.APPROVE): Status.APPROVED,
    (Status.SUBMITTED, Action.REJECT): Status.REJECTED,
    (Status.SUBMITTED, Action.REQUEST_CHANGES): Status.CHANGES_REQUESTED,
    (Status.CHANGES_REQUESTED, Action.EDIT): Status.CHANGES_REQUESTED,
    (Status.CHANGES_REQUESTED, Action.EDIT_NOTE): Status.CHANGES_REQUESTED,
    (Status.CHANGES_REQUESTED, Action.SUBMIT): Status.SUBMITTED,
    (Status.CHANGES_REQUESTED, Action.DELETE): None,
    (Status.APPROVED, Action.EDIT): Status.SUBMITTED,
    (Status.APPROVED, Action.EDIT_NOTE): Status.APPROVED,
    # Re-anchoring touches claims in every status; only an approved claim changes status,
    # because its reviewers approved a quote that is no longer in the text.
    (Status.DRAFT, Action.FUZZY_REANCHOR): Status.DRAFT,
    (Status.SUBMITTED, Action.FUZZY_REANCHOR): Status.SUBMITTED,
    (Status.CHANGES_REQUESTED, Action.FUZZY_REANCHOR): Status.CHANGES_REQUESTED,
    (Status.APPROVED, Action.FUZZY_REANCHOR): Status.SUBMITTED,
    (Status.REJECTED, Action.FUZZY_REANCHOR): Status.REJECTED,
}


@dataclass(frozen=True)
class Participant:
    """What the workflow needs to know of whoever acts on a claim.

    `can_review` is the permission to review at all; a reviewer who wrote the claim is
    still its author and never its reviewer.
    """

    is_author: bool
    can_review: bool = False
    is_system: bool = False

    def roles(self) -> frozenset[Role]:
        if self.is_system:
            return frozenset({Role.SYSTEM})
        if self.is_author:
            return frozenset({Role.AUTHOR})
        if self.can_review:
            return frozenset({Role.REVIEWER})
        return frozenset()


SYSTEM = Participant(is_author=False, is_system=True)


# How a refusal names an action whose value does not read as a verb.
_ACTION_PHRASES = {
    Action.EDIT_NOTE: "edit the note of",
    Action.REQUEST_CHANGES: "request changes to",
    Action.FUZZY_REANCHOR: "re-anchor",
}


def _label(value: str) -> str:
    return value.replace("_", " ")


def _verb(action: Action) -> str:
    return _ACTION_PHRASES.get(action, _label(action))


def _parse(status: str, action: str) -> tuple[Status, Action]:
    try:
        action = Action(action)
    except ValueError:
        raise InvalidTransition(f"Unknown action {action!r}.", field="action") from None
    try:
        status = Status(status)
    except ValueError:
        raise InvalidTransition(f"Unknown status {status!r}.") from None
    return status, action


def check_allowed(action: str, participant: Participant) -> None:
    """Raise unless `participant` may ever take `action`: SelfReview for the author's own
    review, NotAllowed for anyone without the action's role."""
    action = Action(action)
    role = ACTION_ROLES[action]
    if role in participant.roles():
        return
    if action in REVIEW_ACTIONS:
        if participant.is_author and not participant.is_system:
            raise SelfReview()
        raise NotAllowed("Only reviewers can decide on claims.")
    if role is Role.AUTHOR:
        raise NotAllowed("Only the claim's author can do this.")
    raise NotAllowed()


def next_status(status: str, action: str, participant: Participant) -> Status | None:
    """Return the status after `action`, or None when the claim is deleted.

    Raises, in this order: SelfReview when the author tries to decide on their own claim
    (superusers included), NotAllowed when the participant lacks the action's role,
    InvalidTransition when the action is not possible from `status`.
    """
    status, action = _parse(status, action)
    check_allowed(action, participant)
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise InvalidTransition(
            f"Cannot {_verb(action)} a claim that is {_label(status)}."
        ) from None


def edit_action(changed_fields: Iterable[str]) -> Action:
    """The action an edit of these fields amounts to: EDIT when it changes what the claim
    asserts, EDIT_NOTE when only the private note changed."""
    return Action.EDIT if SUBSTANTIVE_FIELDS.intersection(changed_fields) else Action.EDIT_NOTE


def approval_outcome(*, approvals: int, required: int) -> Status:
    """Where a claim goes once it holds `approvals` distinct approvals (this one included)
    in the current review round: `approved` from `required` on, else still `submitted`."""
    return Status.APPROVED if approvals >= max(required, 1) else Status.SUBMITTED


def starts_review_round(from_status: str, to_status: str | None, *, changed: bool = False) -> bool:
    """Whether a change starts a new review round, so that earlier approvals stop counting.

    One rule for every path: a claim that ends up `submitted` after a change of the
    words or substance under review (`changed`: a substantive edit, a fuzzy re-anchoring,
    a re-attachment to other words) needs fresh approvals, and so does every claim that
    enters `submitted` from another status (a submission, a resubmission after changes
    were requested). Approvals of an earlier round were given to a claim that has changed
    since. A change that leaves a claim in another status starts no round: its next
    submission will.
    """
    return to_status == Status.SUBMITTED and (from_status != Status.SUBMITTED or changed)


def allowed_actions(status: str, participant: Participant) -> list[Action]:
    """The actions this participant may take now: what the pages offer as buttons."""
    possible = []
    for action in Action:
        if action is Action.FUZZY_REANCHOR:
            continue
        try:
            next_status(status, action, participant)
        except (InvalidTransition, NotAllowed, SelfReview):
            continue
        possible.append(action)
    return possible
